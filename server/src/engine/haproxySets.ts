// Which HAProxy files are read together as one split configuration, and in which order.
//
// HAProxy accepts several `-f` arguments, and a directory: `-f DIR` reads the regular files of DIR whose
// name ends in `.cfg` and does not start with a dot, in byte order of their names (scandir + alphasort;
// the binary never calls setlocale, so the C locale applies whatever LANG says; checked on haproxy 2.6.12:
// `B.cfg` before `a.cfg`, `x.conf` and `.x.cfg` ignored), not recursively. Sets are recognised two ways (docs/clusters.md, "Split HAProxy configurations"):
// 1. a haconf.yaml host listing two or more HAProxy files: one set, in the order the host's list gives
//    (`defaults.files` first, then the host's own), unless two of them have a `global` section: those are
//    taken as separate HAProxy instances on one host, each checked alone;
// 2. a folder whose name ends in `.d` (`conf.d`, `haproxy.d`) holding two or more HAProxy `*.cfg` files, as
//    `-f DIR` reads it; a `haproxy.cfg` in the folder above comes first (`-f haproxy.cfg -f conf.d`, the
//    usual packaging).
// A file belongs to at most one set, the first that names it (manifests before folders); a file listed
// for several hosts with different companions is judged with the first host's set. Other HAProxy files
// are checked alone.
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { Manifest } from '../manifest/model';
import type { HaproxyDoc } from '../haproxy/types';
import type { SourceHost } from '../core/sourceHost';
import { checkHaproxySet, setSignature } from '../haproxy/split';

export interface HaproxySet {
  /** Files in the order HAProxy reads them (absolute paths). */
  files: string[];
  /** Files whose findings come from this set (all of `files` except those an earlier set owns). */
  owned: string[];
  /** Why these files form a set, for `haconf cluster` and hovers. */
  reason: string;
}

/** A `-f DIR` folder: its name ends in `.d`. */
export function isSplitFolder(dir: string): boolean {
  return /\.d$/.test(path.basename(dir));
}

/** Whether `-f DIR` reads this file: a name ending in `.cfg` that does not start with a dot. */
export function readByDirectoryLoad(file: string): boolean {
  const base = path.basename(file);
  return base.endsWith('.cfg') && !base.startsWith('.');
}

/** Byte order of the names, as alphasort in the C locale sorts them. */
export function loadOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(path.basename(a)), Buffer.from(path.basename(b)));
}

/** At most this many files are taken from one `.d` folder (HAProxy has no limit; a larger folder is unusual). */
export const MAX_SPLIT_FILES = 500;

/**
 * The files HAProxy reads together with `file` when `file` sits in a `.d` folder: the folder's `*.cfg`
 * files and the `haproxy.cfg` above it, found on disk (for a file opened or named outside the scanned
 * folders). Empty for a file elsewhere.
 */
export function splitCompanions(file: string, host: SourceHost): string[] {
  const dir = path.dirname(file);
  if (!isSplitFolder(dir) || !readByDirectoryLoad(file)) return [];
  const members = host.glob(path.join(dir, '*.cfg'), MAX_SPLIT_FILES).filter(readByDirectoryLoad);
  const main = host.glob(path.join(path.dirname(dir), 'haproxy.cfg'));
  return [...main, ...members].filter((f) => f !== file);
}

/**
 * The split configurations among `files` (every config the workspace knows, with its language) and the
 * manifests' hosts.
 */
export function findHaproxySets(
  files: readonly { file: string; language: Language }[],
  manifests: readonly Manifest[],
  docOf: (file: string) => HaproxyDoc | undefined = () => undefined,
): HaproxySet[] {
  const haproxy = new Set(files.filter((f) => f.language === 'haproxy').map((f) => f.file));
  const owner = new Set<string>();
  const sets: HaproxySet[] = [];
  const seen = new Set<string>();
  const add = (members: string[], reason: string) => {
    const key = members.join('\u0000');
    if (members.length < 2 || seen.has(key)) return;
    seen.add(key);
    const owned = members.filter((f) => !owner.has(f));
    for (const f of owned) owner.add(f);
    sets.push({ files: members, owned, reason });
  };
  for (const m of manifests) {
    for (const h of m.hosts) {
      const members = [...new Set(h.files.filter((f) => (f.kind ?? (haproxy.has(f.sourceAbs) ? 'haproxy' : undefined)) === 'haproxy').map((f) => f.sourceAbs))];
      if (members.filter((f) => hasGlobal(docOf(f))).length >= 2) continue;
      add(members, `${path.basename(m.file)} lists ${members.length} HAProxy files for host ${h.name}`);
    }
  }
  const byFolder = new Map<string, string[]>();
  for (const f of haproxy) {
    const dir = path.dirname(f);
    if (!isSplitFolder(dir) || !readByDirectoryLoad(f) || owner.has(f)) continue;
    const list = byFolder.get(dir);
    if (list) list.push(f);
    else byFolder.set(dir, [f]);
  }
  for (const [dir, list] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort(loadOrder);
    const main = path.join(path.dirname(dir), 'haproxy.cfg');
    const withMain = haproxy.has(main) && !owner.has(main) ? [main, ...list] : list;
    add(
      withMain,
      withMain === list
        ? `haproxy -f ${path.basename(dir)}/ reads its *.cfg files in name order`
        : `haproxy -f haproxy.cfg -f ${path.basename(dir)}/ reads haproxy.cfg, then the *.cfg files of ${path.basename(dir)}/ in name order`,
    );
  }
  return sets;
}

/** Whether a parse has a `global` section that takes part in the configuration. */
function hasGlobal(doc: HaproxyDoc | undefined): boolean {
  return doc?.sections.some((s) => s.kind === 'global' && s.header.activity !== 'inactive') ?? false;
}

/**
 * Raw findings (before suppression and severities) of the files each set owns, checked with their set.
 * `docOf` gives the current parse of a file; a member without one (unreadable, binary) is left out.
 * `narrow` (the language server, after an edit): a set whose signature is the one given for it needs only
 * its `changed` files re-checked; `signatures` receives each set's new signature by its first file.
 * `alone` receives the owned files judged without their set, which show their own findings instead: all
 * of a set with fewer than two readable members, and a member without a parse (binary, unreadable).
 */
export function checkHaproxySets(
  sets: readonly HaproxySet[],
  docOf: (file: string) => HaproxyDoc | undefined,
  options: CheckOptions,
  narrow?: { changed: ReadonlySet<string>; signatures: Map<string, string> },
  alone?: Set<string>,
): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const set of sets) {
    const docs = set.files.map(docOf).filter((d): d is HaproxyDoc => d !== undefined);
    if (docs.length < 2) {
      for (const f of set.owned) alone?.add(f);
      continue;
    }
    for (const f of set.owned) if (!docOf(f)) alone?.add(f);
    let only: Set<string> | undefined;
    if (narrow) {
      const signature = setSignature(docs, options);
      if (narrow.signatures.get(set.files.join('\u0000')) === signature) only = new Set(set.files.filter((f) => narrow.changed.has(f)));
      narrow.signatures.set(set.files.join('\u0000'), signature);
    }
    const raw = checkHaproxySet(docs, options, only);
    for (const f of set.owned) {
      const ds = raw.get(f);
      if (ds) out.set(f, ds);
    }
  }
  return out;
}
