import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Language } from '../core/types';
import { MAX_WORKSPACE_FILES } from '../core/limits';
import { detectLanguage, languageFromPath, type Association } from './detect';

export const MANIFEST_NAMES = ['haconf.yaml', 'haconf.yml'];

export interface CollectedFile {
  /** Absolute path. */
  file: string;
  /** Path as the user gave it or as found under a given directory. */
  display: string;
  /** Known from the name; undefined means "sniff the content". */
  language?: Language;
}

export interface CollectResult {
  files: CollectedFile[];
  /** Cluster manifests (haconf.yaml) found or given. */
  manifests: string[];
  /** Inputs that could not be read at all: the CLI exits 2 on these. */
  unreadable: { path: string; reason: string }[];
  /** Things skipped on purpose while walking (device files, symlink loops, the file limit). */
  notes: string[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

/** Folders a walk never enters: dot folders, node_modules, build output. */
export function isSkippedFolderName(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.');
}
/** Kernel and device trees: never configs, and walking them from `/` costs more than everything else. */
const SKIP_ABSOLUTE = new Set(['/proc', '/sys', '/dev', '/run']);
const SNIFF_BYTES = 16384;
/** Directories that cannot be listed are named up to this many times, then counted. */
const MAX_LIST_NOTES = 5;

/** What a folder walk finds, one event at a time, so a caller can stop or pause between any two. */
export type WalkEvent =
  | { kind: 'config'; file: string; display: string; language: Language; size: number }
  | { kind: 'manifest'; file: string }
  | { kind: 'unlistable'; display: string; reason: string }
  | { kind: 'note'; message: string }
  /** Emitted every few hundred entries looked at, so a caller with a time budget gets control back. */
  | { kind: 'progress'; entries: number; dir: string };

/**
 * Walks a folder for configs and manifests, sorted by name, depth first. Files are taken when their name
 * (or an association) says which daemon they configure, or, for *.cfg / *.conf, when their first lines do
 * (`detectLanguage`). Symlinked directories are followed once (by real path), so loops end; dot folders,
 * node_modules and the kernel's pseudo file systems are skipped.
 */
export function* walkConfigs(dirAbs: string, dirDisplay: string, associations: readonly Association[] = []): Generator<WalkEvent, void, void> {
  const seenDirs = new Set<string>();
  let entries = 0;
  function* walk(dir: string, display: string, depth: number): Generator<WalkEvent, void, void> {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    if (depth > 0 && SKIP_ABSOLUTE.has(real)) return;
    if (depth > 64) {
      yield { kind: 'note', message: `${display}: deeper than 64 levels, not walked further` };
      return;
    }
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      yield { kind: 'unlistable', display, reason: String((e as NodeJS.ErrnoException).code ?? e) };
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of dirents) {
      if (++entries % 256 === 0) yield { kind: 'progress', entries, dir: display };
      const abs = path.join(dir, ent.name);
      const shown = path.join(display, ent.name);
      // Most entries are neither folders nor candidates: skip them without a stat.
      const isDirLike = ent.isDirectory() || ent.isSymbolicLink();
      if (!isDirLike && !MANIFEST_NAMES.includes(ent.name) && !mayBeConfig(abs, associations)) continue;
      let st: fs.Stats;
      try {
        st = fs.statSync(abs);
      } catch {
        continue; // dangling symlink or a symlink loop
      }
      if (st.isDirectory()) {
        if (!isSkippedFolderName(ent.name)) yield* walk(abs, shown, depth + 1);
      } else if (st.isFile()) {
        if (MANIFEST_NAMES.includes(ent.name)) {
          yield { kind: 'manifest', file: abs };
          continue;
        }
        if (st.size === 0 && !languageFromPath(abs, associations)) continue;
        const language = detectLanguage(abs, () => sniff(abs), associations);
        if (language) yield { kind: 'config', file: abs, display: shown, language, size: st.size };
      }
    }
  }
  yield* walk(dirAbs, dirDisplay, 0);
}

/** Cheap name test before any stat: could detectLanguage take this file? */
function mayBeConfig(abs: string, associations: readonly Association[]): boolean {
  return /\.(cfg|conf|haproxy)(\.(j2|jinja2?))?$/i.test(abs) || (associations.length > 0 && languageFromPath(abs, associations) !== undefined);
}

/**
 * Expands the CLI's paths into config files. Named files are always taken; files found by walking are
 * taken when `walkConfigs` recognises them. Stops at MAX_WORKSPACE_FILES with one note.
 */
export function collectFiles(inputs: string[], cwd: string = process.cwd(), opts: { languageForced?: boolean; associations?: readonly Association[] } = {}): CollectResult {
  const associations = opts.associations ?? [];
  const result: CollectResult = { files: [], manifests: [], unreadable: [], notes: [] };
  const seenFiles = new Set<string>();
  let full = false;
  let unlistable = 0;

  const add = (abs: string, display: string, language?: Language): void => {
    if (seenFiles.has(abs) || full) return;
    if (result.files.length >= MAX_WORKSPACE_FILES) {
      full = true;
      result.notes.push(`stopped after ${MAX_WORKSPACE_FILES} files (the per-run limit); check fewer folders at once`);
      return;
    }
    seenFiles.add(abs);
    result.files.push({ file: abs, display, language });
  };

  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      result.unreadable.push({ path: input, reason: `${input}: no such file or directory (${(e as NodeJS.ErrnoException).code ?? e})` });
      continue;
    }
    if (st.isDirectory()) {
      for (const ev of walkConfigs(abs, input, associations)) {
        if (full) break;
        if (ev.kind === 'config') add(ev.file, ev.display, ev.language);
        else if (ev.kind === 'manifest') result.manifests.push(ev.file);
        else if (ev.kind === 'note') result.notes.push(ev.message);
        else if (ev.kind === 'unlistable' && ++unlistable <= MAX_LIST_NOTES) result.notes.push(`${ev.display}: cannot list (${ev.reason})`);
      }
    } else if (st.isFile() && MANIFEST_NAMES.includes(path.basename(abs))) result.manifests.push(abs);
    else if (st.isFile() && /\.ya?ml$/i.test(abs) && !opts.languageForced) {
      // A YAML file named on the command line is a manifest under another name, or not haconf's at all:
      // never guess a config language for it (its `key: value` lines look like corosync).
      if (looksLikeManifest(abs)) result.manifests.push(abs);
      else
        result.unreadable.push({
          path: input,
          reason: `${input}: a YAML file that is not a haconf manifest (no top-level hosts: or cluster:); haconf checks haproxy, keepalived and corosync configs and haconf.yaml manifests. Name the manifest's hosts, or pass --lang to check it as a config anyway`,
        });
    } else if (st.isFile()) add(abs, input, languageFromPath(abs, associations));
    else result.unreadable.push({ path: input, reason: `${input}: not a regular file or directory; only regular files are read` });
  }
  if (unlistable > MAX_LIST_NOTES) result.notes.push(`${unlistable - MAX_LIST_NOTES} more folders could not be listed`);
  return result;
}

/** A haconf manifest declares its hosts (or its cluster name) at the top level. */
function looksLikeManifest(abs: string): boolean {
  const head = sniff(abs);
  return head !== undefined && /^(?:hosts|cluster)\s*:/m.test(head);
}

/** The first bytes of a file, for content detection; undefined when it cannot be read. */
export function sniff(abs: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
