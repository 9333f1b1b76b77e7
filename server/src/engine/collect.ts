import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Language } from '../core/types';
import { MAX_WORKSPACE_FILES } from '../core/limits';
import { languageFromPath, languageFromContent } from './detect';

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
const SNIFF_BYTES = 16384;

/**
 * Expands the CLI's paths into config files. Named files are always taken; files found by walking are
 * taken when their name or (for *.cfg / *.conf) their first lines say which daemon they configure.
 * Symlinked directories are followed once (by real path), so loops end. A named YAML file is a manifest
 * when it looks like one, and refused otherwise (unless the caller forces a language, `--lang`).
 */
export function collectFiles(inputs: string[], cwd: string = process.cwd(), opts: { languageForced?: boolean } = {}): CollectResult {
  const result: CollectResult = { files: [], manifests: [], unreadable: [], notes: [] };
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const add = (abs: string, display: string, language?: Language): void => {
    if (seenFiles.has(abs)) return;
    if (result.files.length >= MAX_WORKSPACE_FILES) {
      if (result.files.length === MAX_WORKSPACE_FILES) result.notes.push(`stopped after ${MAX_WORKSPACE_FILES} files (the per-run limit); check fewer folders at once`);
      return;
    }
    seenFiles.add(abs);
    result.files.push({ file: abs, display, language });
  };

  const walk = (dirAbs: string, dirDisplay: string, depth: number): void => {
    let real: string;
    try {
      real = fs.realpathSync(dirAbs);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    if (depth > 64) {
      result.notes.push(`${dirDisplay}: deeper than 64 levels, not walked further`);
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      result.notes.push(`${dirDisplay}: cannot list (${(e as NodeJS.ErrnoException).code ?? e})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const abs = path.join(dirAbs, ent.name);
      const display = path.join(dirDisplay, ent.name);
      let st: fs.Stats;
      try {
        st = fs.statSync(abs);
      } catch {
        continue; // dangling symlink or a symlink loop
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name) && !ent.name.startsWith('.')) walk(abs, display, depth + 1);
      } else if (st.isFile()) {
        if (MANIFEST_NAMES.includes(ent.name)) {
          result.manifests.push(abs);
          continue;
        }
        const lang = languageFromPath(abs);
        if (lang) add(abs, display, lang);
        else if (/\.(cfg|conf)$/i.test(ent.name) && st.size > 0) {
          const sniffed = sniff(abs);
          if (sniffed) add(abs, display, sniffed);
        }
      }
    }
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
    if (st.isDirectory()) walk(abs, input, 0);
    else if (st.isFile() && MANIFEST_NAMES.includes(path.basename(abs))) result.manifests.push(abs);
    else if (st.isFile() && /\.ya?ml$/i.test(abs) && !opts.languageForced) {
      // A YAML file named on the command line is a manifest under another name, or not haconf's at all:
      // never guess a config language for it (its `key: value` lines look like corosync).
      if (looksLikeManifest(abs)) result.manifests.push(abs);
      else result.unreadable.push({ path: input, reason: `${input}: a YAML file that is not a haconf manifest (no top-level hosts: or cluster:); haconf checks haproxy, keepalived and corosync configs and haconf.yaml manifests. Name the manifest's hosts, or pass --lang to check it as a config anyway` });
    }
    else if (st.isFile()) add(abs, input, languageFromPath(abs));
    else result.unreadable.push({ path: input, reason: `${input}: not a regular file or directory; only regular files are read` });
  }
  return result;
}

/** A haconf manifest declares its hosts (or its cluster name) at the top level. */
function looksLikeManifest(abs: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return /^(?:hosts|cluster)\s*:/m.test(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function sniff(abs: string): Language | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return languageFromContent(buf.subarray(0, n).toString('utf8'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
