import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { SourceHost } from '../core/sourceHost';
import { applyPolicy, sortDiagnostics } from '../core/policy';
import { loadManifest, type LoadedManifest } from '../manifest/load';
import type { Manifest } from '../manifest/model';
import { buildClusters, type Cluster, type WorkspaceEntry } from '../cluster/model';
import { checkClusters } from '../cluster/rules';
import { checkFile, checkText, type FileCheckOutcome, type FileCheckResult } from './check';
import { isTemplatePath } from '../templates/names';
import { checkTemplatesPerHost, mapToTemplates } from '../templates/workspace';
import { checkHaproxySets, findHaproxySets, splitCompanions, type HaproxySet } from './haproxySets';
import type { HaproxyDoc } from '../haproxy/types';

export interface WorkspaceInput {
  files: { file: string; language?: Language }[];
  manifests: string[];
}

export interface WorkspaceResult {
  files: FileCheckOutcome[];
  manifests: LoadedManifest[];
  clusters: Cluster[];
  /** Split HAProxy configurations whose files were checked together. */
  haproxySets: HaproxySet[];
  /** Every finding: per-file, manifest and cluster, after suppression and severity overrides. */
  diagnostics: Diagnostic[];
  /** Files not checked on their own because a file checked before them includes them (their findings come from there). */
  coveredFiles: string[];
}

/** Checks a set of files as one workspace: each file alone, then each cluster across its files. */
export function checkWorkspace(input: WorkspaceInput, options: CheckOptions, host: SourceHost, forced?: Language): WorkspaceResult {
  const files: FileCheckOutcome[] = [];
  const texts = new Map<string, string>();
  const entries: WorkspaceEntry[] = [];
  const raw: Diagnostic[] = [];
  // A file an earlier file already read through its includes was checked there, in the context it is
  // used in; checking it again as a file of its own would repeat that work for every includer (300 files
  // that each `include conf.d/*.conf` meant 300 full checks of the same 300 files).
  const covered = new Set<string>();
  const coveredFiles: string[] = [];
  for (const f of input.files) {
    if (covered.has(path.resolve(f.file))) {
      coveredFiles.push(path.resolve(f.file));
      continue;
    }
    const outcome = checkFile(f.file, options, host, forced ?? f.language);
    files.push(outcome);
    if ('error' in outcome) continue;
    for (const [p, t] of outcome.sources) {
      texts.set(p, t);
      if (p !== outcome.file) covered.add(p);
    }
    entries.push(toEntry(outcome));
  }
  const manifests: LoadedManifest[] = [];
  const parsed: Manifest[] = [];
  for (const m of input.manifests) {
    const loaded = loadManifest(m, host);
    raw.push(...loaded.diagnostics);
    if (loaded.text === undefined) continue;
    texts.set(m, loaded.text);
    for (const [f, t] of loaded.inputs) texts.set(f, t);
    manifests.push(loaded);
    parsed.push(loaded.manifest);
  }
  // Manifest sources that the walk did not find (outside the checked folders) still belong to the cluster.
  const known = new Set([...entries.map((e) => e.file), ...coveredFiles]);
  for (const m of parsed) {
    for (const h of m.hosts) {
      for (const f of h.files) {
        if (known.has(f.sourceAbs)) continue;
        known.add(f.sourceAbs);
        const outcome = checkFile(f.sourceAbs, options, host, f.kind);
        if ('error' in outcome) continue;
        files.push(outcome);
        for (const [p, t] of outcome.sources) texts.set(p, t);
        entries.push(toEntry(outcome));
      }
    }
  }
  // A file of a conf.d-style folder is read by HAProxy with its companions: check those the walk did not find.
  const foldersListed = new Set<string>();
  for (const f of [...files]) {
    if ('error' in f || f.language !== 'haproxy' || foldersListed.has(path.dirname(f.file))) continue;
    foldersListed.add(path.dirname(f.file));
    for (const c of splitCompanions(f.file, host)) {
      if (known.has(c)) continue;
      known.add(c);
      const outcome = checkFile(c, options, host);
      if ('error' in outcome || outcome.language !== 'haproxy') continue;
      files.push(outcome);
      for (const [p, t] of outcome.sources) texts.set(p, t);
      entries.push(toEntry(outcome));
    }
  }
  // The files of a split HAProxy configuration are judged together: their findings replace the lone checks.
  const checked = files.filter((f): f is FileCheckResult => !('error' in f));
  const byFile = new Map(checked.map((f) => [f.file, f]));
  const docOf = (f: string) => (byFile.get(f)?.language === 'haproxy' ? (byFile.get(f)!.doc as HaproxyDoc | undefined) : undefined);
  const haproxySets = findHaproxySets(checked, parsed, docOf);
  const together = checkHaproxySets(haproxySets, docOf, options);
  for (const [file, raw] of together) {
    const f = byFile.get(file)!;
    f.diagnostics = sortDiagnostics(applyPolicy(raw, (p) => f.sources.get(p), options));
  }
  // Templates with an Ansible inventory are rendered per host (templates/workspace.ts): each rendering is
  // checked as a virtual file, joins the cluster layer, and its findings move to the template lines.
  const templates = checkTemplatesPerHost(
    checked.filter((f) => isTemplatePath(f.file)).map((f) => ({ file: f.file, language: f.language, text: f.sources.get(f.file) ?? '' })),
    (file, text, language) => checkText(file, text, language, options, host),
    parsed,
  );
  entries.push(...templates.entries);
  const clusters = buildClusters(entries, parsed);
  raw.push(...mapToTemplates(checkClusters(clusters), templates.rendering));
  // A file included by several checked files is reported once, not once per includer.
  const seen = new Set<string>();
  const perFile = [...files.flatMap((f) => ('error' in f ? [] : f.diagnostics)), ...templates.findings].filter((d) => {
    const key = `${d.file}\0${d.range.start.line}\0${d.range.start.character}\0${d.range.end.line}\0${d.range.end.character}\0${d.code}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const diagnostics = sortDiagnostics([...perFile, ...applyPolicy(raw, (f) => texts.get(f), options)]);
  return { files, manifests, clusters, haproxySets, diagnostics, coveredFiles };
}

function toEntry(r: FileCheckResult): WorkspaceEntry {
  return { file: r.file, ...r.facts };
}
