// One in-memory model of every config file in the workspace, with open editor buffers laid over the disk:
// the engine's only path from files to findings. `haconf check` fills a fresh model in one pass
// (engine/workspace.ts); the language server fills it by a background scan, then edits it. An edit
// re-parses and re-checks that one file (engine/analyse.ts), rebuilds the (cheap, facts-only) cluster
// grouping, and re-runs the cross-file rules only for the clusters that hold the file. Parsed documents
// are kept per file so completion, hover and navigation never parse on their own.
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import { defaultCheckOptions } from '../core/types';
import { NodeSourceHost, type ReadResult, type SourceHost } from '../core/sourceHost';
import { perParseHost } from '../core/parseHost';
import { compareDiagnostics, sortDiagnostics } from '../core/policy';
import { LANGUAGE_MODULES } from './languages';
import { detectLanguage, type Association } from './detect';
import { isVirtualDocument } from './virtualDocs';
import { collectFiles, MANIFEST_NAMES } from './collect';
import { analyseFile, finishFindings, findingsKey, refusal, type FileAnalysis } from './analyse';
import { loadManifest, type LoadedManifest } from '../manifest/load';
import type { Manifest } from '../manifest/model';
import { templateMask } from '../templates/unrendered';
import { isTemplatePath } from '../templates/names';
import { mapToTemplates, TemplateCheckCache, templateOf, type TemplateRendering } from '../templates/workspace';
import { buildClusters, type Cluster, type WorkspaceEntry } from '../cluster/model';
import { checkCluster, checkCrossClusters } from '../cluster/rules';
import { vrrpGroups } from '../cluster/groups';
import type { HaproxyDoc } from '../haproxy/types';
import { isSplitFolder, splitCompanions, type HaproxySet } from './haproxySets';
import { HaproxySetState } from './haproxySetState';
import { hasGlobMagic, pathGlobToRegExp } from '../core/glob';

interface ModelFile {
  file: string;
  language: Language;
  text: string;
  open: boolean;
  /** Found by the folder scan or named by a manifest (kept after the editor closes it). */
  inWorkspace: boolean;
  /** The language was given (a manifest's `kind`), not detected: a new text on disk keeps it. */
  declared?: boolean;
  analysis?: FileAnalysis;
  /** A parse of the current text made for a request, before the debounced check ran. */
  parsed?: { text: string; doc: unknown };
}

interface ManifestState {
  file: string;
  loaded: LoadedManifest;
  /** Kubernetes YAML files whose nodePorts the manifest read. */
  inputs: string[];
}

/**
 * The host the model reads through: editor buffers (`overlay`) shadow the files of the host it was given
 * (the disk for the CLI and the language server, memory for the scaffold's proof).
 */
export class OverlayHost implements SourceHost {
  /** Editor buffers that shadow the files, keyed by absolute path. */
  readonly overlay = new Map<string, string>();
  readonly isFile?: (absPath: string) => boolean;

  constructor(private readonly base: SourceHost) {
    if (base.isFile) this.isFile = (p) => this.overlay.has(p) || base.isFile!(p);
  }

  readText(absPath: string): ReadResult {
    const over = this.overlay.get(absPath);
    return over !== undefined ? { ok: true, text: over } : this.base.readText(absPath);
  }

  glob(absPattern: string, limit?: number): string[] {
    return this.base.glob(absPattern, limit);
  }
}

function clusterKey(c: Cluster): string {
  return `${c.name}\u0000${[...c.files].sort().join('\u0000')}`;
}

/**
 * Merges lists that are each sorted (`compareDiagnostics`) into one sorted list; on ties the earlier list
 * comes first, so the result is what a stable sort of their concatenation gives, in linear time (a file
 * with 100,000 findings is merged on every publish).
 */
function mergeSorted(lists: Diagnostic[][]): Diagnostic[] {
  let out = lists[0] ?? [];
  for (let k = 1; k < lists.length; k++) {
    const a = out;
    const b = lists[k];
    const merged: Diagnostic[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) merged.push(compareDiagnostics(b[j], a[i]) < 0 ? b[j++] : a[i++]);
    while (i < a.length) merged.push(a[i++]);
    while (j < b.length) merged.push(b[j++]);
    out = merged;
  }
  return out;
}

/**
 * Drops repeats (same code, range and message: a file read by two includers is reported by both) from one
 * file's sorted findings, keeping the first. Repeats share a start position, and a sorted list keeps each
 * start position together, so only findings of the same position are compared.
 */
function dedupeSorted(ds: Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let groupStart = 0;
  for (const d of ds) {
    const first = out[groupStart];
    if (!first || first.range.start.line !== d.range.start.line || first.range.start.character !== d.range.start.character) groupStart = out.length;
    let repeat = false;
    for (let k = groupStart; k < out.length && !repeat; k++) {
      const o = out[k];
      repeat = o.code === d.code && o.message === d.message && o.range.end.line === d.range.end.line && o.range.end.character === d.range.end.character;
    }
    if (!repeat) out.push(d);
  }
  return out;
}

export class WorkspaceModel {
  readonly host: OverlayHost;
  private options: CheckOptions;
  private readonly files = new Map<string, ModelFile>();
  private manifests = new Map<string, ManifestState>();
  private manifestPaths: string[] = [];
  private clusterList: Cluster[] = [];
  /** Cluster diagnostics by cluster key, before policy. */
  private clusterRaw = new Map<string, Diagnostic[]>();
  /** Cross-file findings (cluster + manifest) after policy, by file. */
  private crossByFile = new Map<string, Diagnostic[]>();
  /** `findingsKey` of each file's cross-file findings: a file is published again when its key changes. */
  private crossKeys = new Map<string, string>();
  /** Which analysed files read a given file (a keepalived include is read by its includer). */
  private readers = new Map<string, Set<string>>();
  /** Which analysed files looked for a given file without reading it (FileAnalysis.watched): re-checked when it changes. */
  private watchers = new Map<string, Set<string>>();
  /** Files to analyse again though their text is the same: an include they read or look for came or went on disk. */
  private readonly stale = new Set<string>();
  /** The same for include patterns (`include conf.d/*.conf`): a file created there re-checks the includers. */
  private patternWatchers = new Map<string, { match: RegExp; files: Set<string> }>();
  /** The user's `haconf.files.associations`, compiled; consulted by every detection. */
  private associationList: readonly Association[] = [];
  /** Split HAProxy configurations: their members' findings replace the members' own checks. */
  private readonly haproxySets = new HaproxySetState();
  /** conf.d-style folders already listed for companions of their files. */
  private readonly splitFoldersRead = new Set<string>();
  /** The last answer of `diagnostics(file)` and the finding lists it was made of. */
  private readonly shown = new Map<string, { inputs: Diagnostic[][]; result: Diagnostic[] }>();
  private lastTemplateRendering: TemplateRendering | undefined;
  private readonly templateCache = new TemplateCheckCache();

  constructor(host: SourceHost = new NodeSourceHost(), options: CheckOptions = defaultCheckOptions()) {
    this.host = new OverlayHost(host);
    this.options = options;
  }

  get checkOptions(): CheckOptions {
    return this.options;
  }

  /** The templates rendered per host at the last regrouping (for hover on a template variable). */
  get templateRendering(): TemplateRendering | undefined {
    return this.lastTemplateRendering;
  }

  get clusters(): readonly Cluster[] {
    return this.clusterList;
  }

  /** Scans folders for configs and manifests, then checks everything. Returns what the scan skipped on purpose (limits). */
  scan(folders: string[]): string[] {
    const found = collectFiles(
      folders.filter((f) => f.length > 0),
      undefined,
      { associations: this.associationList },
    );
    for (const f of found.files) {
      const read = this.host.readText(f.file);
      if (!read.ok) continue;
      const language = f.language ?? detectLanguage(f.file, read.text, this.associationList);
      if (!language) continue;
      const existing = this.files.get(f.file);
      if (existing) existing.inWorkspace = true;
      else this.files.set(f.file, { file: f.file, language, text: read.text, open: false, inWorkspace: true });
    }
    this.manifestPaths = [...new Set([...this.manifestPaths, ...found.manifests])];
    this.recheckAll();
    return found.notes;
  }

  setOptions(options: CheckOptions): void {
    this.options = options;
    this.recheckAll();
  }

  /** An editor opened or changed a buffer. Returns false when the text is not a config we know. */
  setBuffer(file: string, text: string, language?: Language): boolean {
    this.host.overlay.set(file, text);
    if (MANIFEST_NAMES.includes(path.basename(file))) {
      if (!this.manifestPaths.includes(file)) this.manifestPaths.push(file);
      return true;
    }
    const f = this.files.get(file);
    if (f) {
      f.text = text;
      f.open = true;
      if (language && language !== f.language) this.changeLanguage(f, language);
      return true;
    }
    const lang = language ?? detectLanguage(file, text, this.associationList);
    if (!lang) return false;
    this.files.set(file, { file, language: lang, text, open: true, inWorkspace: false });
    return true;
  }

  /** The editor closed a buffer: fall back to the disk, or forget files outside the workspace. */
  closeBuffer(file: string): void {
    this.host.overlay.delete(file);
    const f = this.files.get(file);
    if (!f) return;
    f.open = false;
    if (!f.inWorkspace) {
      this.files.delete(file);
      this.rebuildClusters([file]);
      return;
    }
    const read = this.host.readText(file);
    // A buffer whose file was deleted meanwhile leaves with it (the caller's refresh updates its includers).
    // The disk's text decides the language again, as a scan would: the editor's language was for the buffer.
    if (!read.ok) this.dropFile(f);
    else this.takeDiskText(f, read.text);
  }

  /**
   * A file not open in an editor got new text from the disk. Its language is decided again, as a scan
   * would decide it: a file rewritten into something that is no config of ours leaves the model (its
   * includers still show its findings); one that is now another language is analysed afresh.
   */
  private takeDiskText(f: ModelFile, text: string): void {
    const language = f.declared ? f.language : detectLanguage(f.file, text, this.associationList);
    if (!language) {
      this.dropFile(f);
      return;
    }
    if (language !== f.language) this.changeLanguage(f, language);
    f.text = text;
  }

  /** A known file is now another language: its analysis (and what it read) is dropped, to be made afresh. */
  private changeLanguage(f: ModelFile, language: Language): void {
    this.unlink(f);
    f.language = language;
    f.analysis = undefined;
    f.parsed = undefined;
  }

  /**
   * A file changed on disk (watcher or poll). Open buffers win over the disk. Returns the files to
   * re-check: the file itself, or everything a deleted folder held.
   */
  diskChanged(file: string, deleted = false): string[] {
    if (MANIFEST_NAMES.includes(path.basename(file))) {
      if (deleted) this.manifestPaths = this.manifestPaths.filter((m) => m !== file);
      else if (!this.manifestPaths.includes(file)) this.manifestPaths.push(file);
      return [file];
    }
    const f = this.files.get(file);
    if (f?.open) {
      // The buffer wins over the disk, but whether the file exists decides what includes find: the
      // configs that read it or look for it are checked again.
      const others = this.dependents(file).filter((d) => d !== file);
      for (const d of others) this.stale.add(d);
      return [file, ...others];
    }
    if (deleted) {
      // A deleted folder arrives as one event for the folder: everything under it goes, and the configs
      // that read or look for something there (an open buffer there stays) are checked again.
      const removed = this.removeUnder(file);
      const others = this.dependentsUnder(file).filter((d) => this.files.has(d) && !removed.includes(d));
      for (const d of others) this.stale.add(d);
      return [...(removed.length ? removed : [file]), ...others];
    }
    if (f) {
      const read = this.host.readText(file);
      if (read.ok) this.takeDiskText(f, read.text);
      else this.dropFile(f);
      return [file];
    }
    // A new file: its name decides whether it is read at all (a YAML file never is, see detect.ts).
    let text: string | undefined;
    const language = detectLanguage(
      file,
      () => {
        const read = this.host.readText(file);
        return (text = read.ok ? read.text : undefined);
      },
      this.associationList,
    );
    if (language && text === undefined) {
      const read = this.host.readText(file);
      text = read.ok ? read.text : undefined;
    }
    if (language && text !== undefined) this.files.set(file, { file, language, text, open: false, inWorkspace: true });
    return [file];
  }

  // ---- Workspace membership: background scans, deletions, associations (see services/scan.ts) ----

  get associations(): readonly Association[] {
    return this.associationList;
  }

  /** Sets the user's associations; known files not open in an editor are detected again. Returns files whose language changed or that left. */
  setAssociations(list: readonly Association[]): string[] {
    this.associationList = list;
    const changed: string[] = [];
    for (const f of [...this.files.values()]) {
      if (f.open || isVirtualDocument(f.file)) continue;
      const language = detectLanguage(f.file, f.text, list);
      if (language === f.language) continue;
      changed.push(f.file);
      if (!language) this.dropFile(f);
      else this.changeLanguage(f, language);
    }
    return changed;
  }

  /**
   * Adds files a background scan found and checks them, with one cluster regrouping for the whole batch.
   * Files already known (open in an editor, or found before) are only marked as part of the workspace.
   * Returns the files whose diagnostics may differ now.
   */
  addScanned(found: { file: string; language: Language; text: string }[], manifests: string[] = []): string[] {
    const touched = new Set<string>();
    for (const { file, language, text } of found) {
      const existing = this.files.get(file);
      if (existing) {
        existing.inWorkspace = true;
        continue;
      }
      // Not analysed here: applyCoverage below analyses, in path order, only the files that no earlier
      // file reads through its includes (300 files that each include all 300 would be 90,000 reads).
      this.files.set(file, { file, language, text, open: false, inWorkspace: true });
      touched.add(file);
    }
    const newManifests = manifests.filter((m) => !this.manifestPaths.includes(m));
    if (newManifests.length) {
      this.manifestPaths.push(...newManifests);
      for (const m of this.manifests.keys()) touched.add(m);
      this.loadManifests();
      for (const m of this.manifests.keys()) touched.add(m);
      this.clusterRaw.clear();
    }
    if (!touched.size && !newManifests.length) return [];
    // The same steps as refresh(): files read through an earlier file's includes are checked there, and
    // split HAProxy sets are judged together.
    this.applyCoverage(touched);
    for (const f of this.recheckHaproxySets(new Set(touched))) touched.add(f);
    for (const f of this.rebuildClusters([...touched])) touched.add(f);
    return [...touched];
  }

  /** Forgets every file and manifest at or under `target` that no editor holds open. Returns them. */
  removeUnder(target: string): string[] {
    const prefix = target.endsWith(path.sep) ? target : target + path.sep;
    const under = (p: string) => p === target || p.startsWith(prefix);
    const removed: string[] = [];
    for (const f of [...this.files.values()]) {
      if (f.open || !under(f.file)) continue;
      this.dropFile(f);
      removed.push(f.file);
    }
    const manifests = this.manifestPaths.filter(under);
    if (manifests.length) {
      this.manifestPaths = this.manifestPaths.filter((m) => !under(m));
      removed.push(...manifests);
    }
    return removed;
  }

  /** Forgets workspace files (not open) that are gone from the disk; Check Workspace calls this before rescanning. */
  dropMissing(exists: (file: string) => boolean): string[] {
    const removed: string[] = [];
    for (const f of [...this.files.values()]) {
      if (f.open || isVirtualDocument(f.file) || exists(f.file)) continue;
      this.dropFile(f);
      removed.push(f.file);
    }
    const gone = this.manifestPaths.filter((m) => !this.host.overlay.has(m) && !exists(m));
    if (gone.length) {
      this.manifestPaths = this.manifestPaths.filter((m) => !gone.includes(m));
      removed.push(...gone);
    }
    return removed;
  }

  /** Takes a file out of the model (deleted, or no longer one of ours). */
  private dropFile(f: ModelFile): void {
    this.unlink(f);
    this.shown.delete(f.file);
    this.files.delete(f.file);
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  languageOf(file: string): Language | undefined {
    return this.files.get(file)?.language;
  }

  textOf(file: string): string | undefined {
    return this.files.get(file)?.text ?? this.host.overlay.get(file);
  }

  isManifest(file: string): boolean {
    return this.manifestPaths.includes(file);
  }

  /** The manifests as loaded (whether they could be read or not), in the order they were named. */
  loadedManifests(): LoadedManifest[] {
    return [...this.manifests.values()].map((m) => m.loaded);
  }

  /** The split HAProxy configurations of the last check (engine/haproxySets.ts). */
  get haproxySetList(): readonly HaproxySet[] {
    return this.haproxySets.all;
  }

  /** Files checked only through an earlier file that includes them (`applyCoverage`), not on their own. */
  coveredFiles(): string[] {
    return [...this.files.values()].filter((f) => !f.analysis).map((f) => f.file);
  }

  /** Every finding the model shows, of every file, sorted: what `haconf check` reports. */
  allDiagnostics(): Diagnostic[] {
    return sortDiagnostics(this.knownFiles().flatMap((f) => this.diagnostics(f)));
  }

  /** Every file the model has diagnostics for (configs, their includes, manifests). */
  knownFiles(): string[] {
    const set = new Set<string>(this.files.keys());
    for (const f of this.files.values()) for (const s of f.analysis?.sources.keys() ?? []) set.add(s);
    for (const m of this.manifestPaths) set.add(m);
    for (const f of this.crossByFile.keys()) set.add(f);
    return [...set];
  }

  allFiles(): { file: string; language: Language; open: boolean }[] {
    return [...this.files.values()].map((f) => ({ file: f.file, language: f.language, open: f.open }));
  }

  /**
   * Re-checks what changed since the last call: files whose text moved on, manifests, and the clusters
   * holding them. Returns the files whose diagnostics may differ now.
   */
  refresh(changed: string[]): string[] {
    const touched = new Set<string>();
    let manifestsChanged = false;
    for (const file of changed) {
      if (this.manifestPaths.includes(file) || [...this.manifests.values()].some((m) => m.inputs.includes(file))) manifestsChanged = true;
      const f = this.files.get(file);
      if (!f) {
        touched.add(file);
        // A removed include: the files that read it see it gone.
        for (const reader of this.dependents(file)) {
          const r = this.files.get(reader);
          if (!r || reader === file) continue;
          this.analyse(r);
          touched.add(reader);
        }
        continue;
      }
      if (f.analysis?.text === f.text && !this.stale.delete(file)) continue;
      // A file checked through its includer (see applyCoverage) is re-checked there, below.
      if (f.analysis || !this.analysedReaders(file).length) {
        for (const s of f.analysis?.sources.keys() ?? []) touched.add(s);
        this.analyse(f);
        for (const s of f.analysis!.sources.keys()) touched.add(s);
      }
      // Files that include this one see its new text too.
      for (const reader of this.dependents(file)) {
        const r = this.files.get(reader);
        if (!r || reader === file) continue;
        for (const s of r.analysis?.sources.keys() ?? []) touched.add(s);
        this.analyse(r);
        touched.add(reader);
        for (const s of r.analysis!.sources.keys()) touched.add(s);
      }
    }
    this.applyCoverage(touched);
    if (manifestsChanged) {
      for (const m of this.manifests.keys()) touched.add(m);
      this.loadManifests();
      for (const m of this.manifests.keys()) touched.add(m);
      this.clusterRaw.clear();
    }
    for (const f of this.recheckHaproxySets(new Set([...changed, ...touched]))) touched.add(f);
    for (const f of this.rebuildClusters([...changed, ...touched])) touched.add(f);
    return [...touched];
  }

  /** Re-checks every file, manifest and cluster (start-up and settings changes). */
  recheckAll(): void {
    this.shown.clear();
    this.stale.clear();
    for (const f of this.files.values()) this.forget(f);
    this.applyCoverage(new Set());
    this.loadManifests();
    this.recheckHaproxySets(undefined);
    this.clusterRaw.clear();
    this.rebuildClusters([...this.files.keys()]);
  }

  /**
   * A HAProxy file of a conf.d-style folder is read with the folder's other *.cfg files and the haproxy.cfg
   * above it: those the scan did not find (the folder lies outside the workspace folders) are read from
   * disk, once per folder. Returns the files added.
   */
  private loadSplitCompanions(changed: ReadonlySet<string> | undefined): string[] {
    const added: string[] = [];
    // After an edit only the changed files can be new to a folder; a full re-check looks at every file.
    const candidates = changed ? [...changed].map((c) => this.files.get(c)).filter((f): f is ModelFile => f !== undefined) : [...this.files.values()];
    for (const f of candidates) {
      const dir = path.dirname(f.file);
      if (f.language !== 'haproxy' || this.splitFoldersRead.has(dir) || !isSplitFolder(dir)) continue;
      this.splitFoldersRead.add(dir);
      for (const c of splitCompanions(f.file, this.host)) {
        if (this.files.has(c)) continue;
        const read = this.host.readText(c);
        if (!read.ok || detectLanguage(c, read.text) !== 'haproxy') continue;
        const companion: ModelFile = { file: c, language: 'haproxy', text: read.text, open: false, inWorkspace: true };
        this.files.set(c, companion);
        this.analyse(companion);
        added.push(c);
      }
    }
    return added;
  }

  /** The split HAProxy configuration whose findings `file` shows (engine/haproxySets.ts). */
  haproxySetOf(file: string): HaproxySet | undefined {
    return this.haproxySets.setOf(file);
  }

  private recheckHaproxySets(changed: ReadonlySet<string> | undefined): string[] {
    const added = this.loadSplitCompanions(changed);
    if (changed && added.length) changed = new Set([...changed, ...added]);
    const docOf = (file: string) => {
      const f = this.files.get(file);
      return f?.language === 'haproxy' ? (f.analysis?.doc as HaproxyDoc | undefined) : undefined;
    };
    const finish = (file: string, raw: Diagnostic[]) => {
      const text = this.files.get(file)?.analysis?.text;
      return finishFindings(raw, (f) => (f === file ? text : undefined), this.options);
    };
    return this.haproxySets.update([...this.files.values()], this.readManifests(), docOf, changed, this.options, finish);
  }

  /** Analysed files other than `file` whose parse read it. */
  private analysedReaders(file: string): string[] {
    return [...(this.readers.get(file) ?? [])].filter((r) => r !== file && this.files.get(r)?.analysis !== undefined);
  }

  /**
   * Decides which files are checked on their own. In path order, a file that an earlier checked file
   * already read through its includes is checked there, in the context it is used in (its findings reach
   * it through `readers`), and not again on its own: 300 files that each `include conf.d/*.conf` meant 300
   * checks of the same 300 files at start-up and again on every keystroke. Every other file is checked on
   * its own. Depends only on the texts, so an edited model and a fresh one agree. Adds the files whose
   * findings may have changed to `touched`.
   */
  private applyCoverage(touched: Set<string>): void {
    const covered = new Set<string>();
    for (const file of [...this.files.keys()].sort()) {
      const f = this.files.get(file)!;
      if (covered.has(file)) {
        if (f.analysis) {
          touched.add(file);
          for (const s of f.analysis.sources.keys()) touched.add(s);
          this.forget(f);
        }
        continue;
      }
      if (f.analysis?.text !== f.text) {
        for (const s of f.analysis?.sources.keys() ?? []) touched.add(s);
        this.analyse(f);
        touched.add(file);
        for (const s of f.analysis!.sources.keys()) touched.add(s);
      }
      for (const s of f.analysis!.sources.keys()) if (s !== file) covered.add(s);
    }
  }

  /** Findings for one file, sorted: its own check, checks of files that include it, and cross-file findings. The list is shared: do not change it. */
  diagnostics(file: string): Diagnostic[] {
    // The lists it is made of are replaced, never changed in place, when a check runs: the same lists give
    // the same answer (publishing, code actions and the cluster view all ask after one edit).
    const inputs: Diagnostic[][] = [];
    for (const reader of this.readers.get(file) ?? []) {
      inputs.push(this.haproxySets.diagnosticsFor(reader) ?? this.files.get(reader)?.analysis?.diagnostics ?? []);
    }
    const cross = this.crossByFile.get(file);
    if (cross) inputs.push(cross);
    const hit = this.shown.get(file);
    if (hit && hit.inputs.length === inputs.length && hit.inputs.every((l, k) => l === inputs[k])) return hit.result;
    // Every list is sorted already (finishFindings), and filtering keeps the order.
    const lists: Diagnostic[][] = [];
    for (const own of inputs) {
      const mine = own === cross ? own : own.filter((d) => d.file === file);
      if (mine.length) lists.push(mine);
    }
    const result = dedupeSorted(mergeSorted(lists));
    this.shown.set(file, { inputs, result });
    return result;
  }

  /** The parsed document of the current text, parsing now if the debounced check has not run yet. */
  docFor(file: string): { language: Language; doc: unknown; text: string } | undefined {
    const f = this.files.get(file);
    if (!f) return undefined;
    if (f.analysis?.text === f.text) return f.analysis.doc === undefined ? undefined : { language: f.language, doc: f.analysis.doc, text: f.text };
    if (f.parsed?.text !== f.text) {
      if (refusal(file, f.text, f.language)) return undefined;
      try {
        f.parsed = { text: f.text, doc: LANGUAGE_MODULES[f.language].parse(file, templateMask(file, f.text, f.language)?.text ?? f.text, perParseHost(this.host), this.options) };
      } catch {
        return undefined;
      }
    }
    return { language: f.language, doc: f.parsed.doc, text: f.text };
  }

  /** The last parsed document even if the buffer moved on since (cheap: for completion while typing). */
  lastDoc(file: string): { language: Language; doc: unknown; text: string } | undefined {
    const f = this.files.get(file);
    if (!f) return undefined;
    const doc = f.parsed && (!f.analysis || f.parsed.text === f.text) ? f.parsed.doc : f.analysis?.doc;
    if (doc === undefined) return this.docFor(file);
    return { language: f.language, doc, text: f.text };
  }

  /** Every parsed document of a language (for workspace symbols); `doc` may be an includer's tree holding `file`. */
  docs(language?: Language): { file: string; language: Language; doc: unknown }[] {
    const out: { file: string; language: Language; doc: unknown }[] = [];
    for (const f of this.files.values()) {
      if (language && f.language !== language) continue;
      // A file checked through its includer (recheckAll) is part of that includer's tree: no parse of its own.
      const reader = f.analysis ? undefined : [...(this.readers.get(f.file) ?? [])].map((r) => this.files.get(r)).find((r) => r?.analysis?.doc !== undefined && r.language === f.language);
      if (reader) {
        out.push({ file: f.file, language: f.language, doc: reader.analysis!.doc });
        continue;
      }
      const d = this.docFor(f.file);
      if (d) out.push({ file: f.file, language: f.language, doc: d.doc });
    }
    return out;
  }

  /** Files (main files) whose parse read `file`. */
  readersOf(file: string): string[] {
    return [...(this.readers.get(file) ?? [])];
  }

  clustersOf(file: string): Cluster[] {
    return this.clusterList.filter((c) => c.files.includes(file));
  }

  /** Drops a file's own analysis (it is checked through an includer instead). */
  private forget(f: ModelFile): void {
    this.unlink(f);
    f.analysis = undefined;
  }

  private analyse(f: ModelFile): void {
    this.unlink(f);
    // Build on the parse made for a request, or else on the last analysed tree (the language reuses the
    // unchanged lines). Neither is used afterwards: both are replaced here.
    const prev = f.parsed?.text === f.text ? f.parsed : f.analysis?.doc !== undefined ? { text: f.analysis.text, doc: f.analysis.doc } : undefined;
    f.analysis = analyseFile(f.file, f.text, f.language, this.options, this.host, prev);
    f.parsed = undefined;
    for (const s of f.analysis.sources.keys()) addTo(this.readers, s, f.file);
    for (const s of f.analysis.watched ?? []) {
      if (!hasGlobMagic(s)) addTo(this.watchers, s, f.file);
      else {
        let entry = this.patternWatchers.get(s);
        if (!entry) this.patternWatchers.set(s, (entry = { match: pathGlobToRegExp(s), files: new Set() }));
        entry.files.add(f.file);
      }
    }
  }

  /** Takes a file's analysis out of the readers and watchers maps (before it is replaced or dropped). */
  private unlink(f: ModelFile): void {
    for (const s of f.analysis?.sources.keys() ?? []) this.readers.get(s)?.delete(f.file);
    for (const s of f.analysis?.watched ?? []) {
      this.watchers.get(s)?.delete(f.file);
      const entry = this.patternWatchers.get(s);
      entry?.files.delete(f.file);
      if (entry?.files.size === 0) this.patternWatchers.delete(s);
    }
  }

  /** Files that read or look for `target` or anything under it (a deleted folder). */
  private dependentsUnder(target: string): string[] {
    const prefix = target.endsWith(path.sep) ? target : target + path.sep;
    const under = (p: string) => p === target || p.startsWith(prefix);
    const out = new Set<string>();
    for (const map of [this.readers, this.watchers]) for (const [p, files] of map) if (under(p)) for (const f of files) out.add(f);
    for (const [pattern, { files }] of this.patternWatchers) if (under(pattern)) for (const f of files) out.add(f);
    return [...out];
  }

  /** Files to check again when `file` changed: those that read it, and those that looked for it. A copy:
   * analyse() takes a reader out of these sets and puts it back. */
  private dependents(file: string): string[] {
    const out = new Set([...(this.readers.get(file) ?? []), ...(this.watchers.get(file) ?? [])]);
    for (const { match, files } of this.patternWatchers.values()) if (match.test(file)) for (const f of files) out.add(f);
    return [...out];
  }

  /** The manifests that could be read: one that could not (its finding says why) groups no cluster and no HAProxy set. */
  private readManifests(): Manifest[] {
    return [...this.manifests.values()].filter((m) => m.loaded.text !== undefined).map((m) => m.loaded.manifest);
  }

  private loadManifests(): void {
    this.manifests = new Map();
    for (const file of this.manifestPaths) {
      const loaded = loadManifest(file, this.host);
      const state: ManifestState = { file, loaded, inputs: [...loaded.inputs.keys()] };
      // Files a manifest names belong to the workspace even outside the scanned folders.
      for (const h of loaded.manifest.hosts) {
        for (const mf of h.files) {
          if (this.files.has(mf.sourceAbs)) continue;
          const r = this.host.readText(mf.sourceAbs);
          if (!r.ok) continue;
          const language = mf.kind ?? detectLanguage(mf.sourceAbs, r.text, this.associationList);
          if (!language) continue;
          const f: ModelFile = { file: mf.sourceAbs, language, text: r.text, open: false, inWorkspace: true, ...(mf.kind ? { declared: true } : {}) };
          this.files.set(f.file, f);
          this.analyse(f);
        }
      }
      this.manifests.set(file, state);
    }
  }

  /** Regroups files into clusters and re-runs the rules of clusters holding a changed file. Returns affected files. */
  private rebuildClusters(changed: string[]): string[] {
    const entries: WorkspaceEntry[] = [];
    // An untitled buffer is checked on its own: a scratch copy must not join (and break) a real cluster.
    for (const f of this.files.values()) if (f.analysis && !isVirtualDocument(f.file)) entries.push({ file: f.file, ...f.analysis.facts });
    // Templates with an Ansible inventory join as one rendered file per host (templates/workspace.ts),
    // rendered again when a template, the options or a file the rendering read changed; then their
    // clusters count as changed.
    const { result: templates, fresh: templatesChanged } = this.templateCache.run(
      [...this.files.values()].filter((f) => f.analysis && isTemplatePath(f.file) && !isVirtualDocument(f.file)).map((f) => ({ file: f.file, language: f.language, text: f.text })),
      (file, text, language) => analyseFile(file, text, language, this.options, this.host),
      [...this.manifests.values()].map((m) => m.loaded.manifest),
      JSON.stringify(this.options),
    );
    entries.push(...templates.entries);
    this.lastTemplateRendering = templates.rendering;
    const before = this.clusterList;
    const renderedFor = new Map(templates.rendering.rendered.map((r) => [`${r.template}\0${r.host.name}`, r.virtualFile]));
    const clusters = buildClusters(entries, this.readManifests(), (template, host) => renderedFor.get(`${template}\0${host}`));
    const changedSet = new Set(changed);
    const affected = new Set<string>();
    const raw = new Map<string, Diagnostic[]>();
    const all = clusters.map((cluster) => ({ cluster, groups: vrrpGroups(cluster) }));
    for (const { cluster, groups } of all) {
      const key = clusterKey(cluster);
      const cached = this.clusterRaw.get(key);
      const dirty = cluster.files.some((f) => changedSet.has(f) || (templatesChanged && templates.virtualFiles.has(f)));
      if (cached && !dirty) raw.set(key, cached);
      else {
        raw.set(key, checkCluster(cluster, groups));
        for (const f of cluster.files) affected.add(f);
      }
    }
    for (const c of before) if (!raw.has(clusterKey(c))) for (const f of c.files) affected.add(f);
    const collisions = checkCrossClusters(all);
    this.clusterRaw = raw;
    this.clusterList = clusters;
    const cross = [...mapToTemplates([...[...raw.values()].flat(), ...collisions], templates.rendering), ...templates.findings, ...[...this.manifests.values()].flatMap((m) => m.loaded.diagnostics)];
    const text = (f: string) => this.files.get(f)?.text ?? this.host.overlay.get(f) ?? (this.host.readText(f).ok ? (this.host.readText(f) as { text: string }).text : undefined);
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of finishFindings(cross, text, this.options)) {
      const list = byFile.get(d.file);
      if (list) list.push(d);
      else byFile.set(d.file, [d]);
    }
    // A file is published again when what it shows changed, not only how many findings it has: a
    // vrid-collision reported from another cluster keeps its count when the colliding line moves.
    const keys = new Map<string, string>();
    for (const [f, ds] of byFile) {
      const key = findingsKey(ds);
      keys.set(f, key);
      if (this.crossKeys.get(f) !== key) affected.add(f);
    }
    for (const f of this.crossKeys.keys()) if (!keys.has(f)) affected.add(f);
    this.crossByFile = byFile;
    this.crossKeys = keys;
    // A finding on a rendered host's virtual file is shown on its template: publish the template.
    return [...new Set([...affected].map((f) => templateOf(f, templates.rendering)))];
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
