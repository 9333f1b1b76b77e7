// The version line of the local `haproxy` and `keepalived` (`<tool> -v`), which decides the version checked
// for when nothing closer names one (core/targetVersion.ts). Running the binary costs ~10-20 ms per tool, a
// sixth of a small `haconf check`, so the line is kept in `$XDG_CACHE_HOME/haconf/tool-versions.json`
// (default ~/.cache/haconf/) keyed by the binary's real path and used only while the binary's stat (size,
// mtime and ctime in ns, inode, device) is unchanged: an upgraded or replaced binary is run again.
//
// The cache is an optimisation and nothing more: a missing, corrupt, foreign or unwritable one costs the
// probe, never an error or a message. It is read only from a folder that is a real directory of ours that
// nobody else may write to (so another user cannot plant a version), no larger than CACHE_MAX_BYTES,
// through the engine's non-blocking regular-file reader, and written whole (temp file + rename) by
// core/safeWrite.ts. A failed probe is never cached.
import type { SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { homeDir } from '../core/homeDir';
import { readRegularFile } from '../core/sourceHost';
import { writeAtomicConfined } from '../core/safeWrite';
import { resolveTool } from './guard';
import { makeDirs } from '../core/makeDirs';

export type LocalTool = 'haproxy' | 'keepalived';

/** The binary as found on the PATH and its version line (the `local` input of core/targetVersion.ts). */
export interface LocalToolVersion {
  path: string;
  output: string;
}

/** Where each tool prints its version; undefined when the probe failed (never cached). */
const VERSION_LINE: Record<LocalTool, (run: SpawnSyncReturns<string>) => string | undefined> = {
  haproxy: (run) => (run.status === 0 && run.stdout ? run.stdout.split('\n')[0] || undefined : undefined),
  // keepalived prints its version on stderr.
  keepalived: (run) => `${run.stderr ?? ''}\n${run.stdout ?? ''}`.split('\n').find((line) => /Keepalived v/.test(line)),
};

export const CACHE_FILE_NAME = 'tool-versions.json';
/** A cache holds a few lines; anything bigger is not ours and is not read. */
const CACHE_MAX_BYTES = 64 * 1024;
/** Binaries remembered at once (a PATH change or a test's fake binaries add entries; the oldest go). */
const CACHE_MAX_ENTRIES = 16;
/** A version line longer than this is not a version line. */
const LINE_MAX_CHARS = 500;
const FORMAT = 1;

/** What identifies one build of a binary on disk; all decimal strings (bigint stat, JSON has no bigint). */
interface Stamp {
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
}

interface Entry extends Stamp {
  tool: LocalTool;
  /** The binary's real path (symlinks resolved). */
  binary: string;
  line: string;
}

/**
 * The first version line of the local `tool` found on `env.PATH` outside the `untrusted` folders (see
 * resolveTool), from the cache when the binary is unchanged, else by running `<tool> -v`. Undefined when the
 * tool is not installed or does not say its version.
 */
export function localToolVersion(tool: LocalTool, untrusted: string[], env: NodeJS.ProcessEnv = process.env): LocalToolVersion | undefined {
  const found = resolveTool(tool, env.PATH, untrusted);
  if (!found.ok) return undefined;
  const real = realPath(found.file);
  const stamp = real === undefined ? undefined : stampOf(real);
  const file = cacheFile(env);
  const entries = file && stamp ? readCache(file) : [];
  const hit = entries.find((e) => e.tool === tool && e.binary === real && sameStamp(e, stamp!));
  if (hit) return { path: found.file, output: hit.line };

  // node:child_process is required only on a miss: loading it costs a cached check ~2 ms.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const line = VERSION_LINE[tool](spawnSync(found.file, ['-v'], { encoding: 'utf8', timeout: 5000, env: { PATH: found.safePath } }));
  if (line === undefined) return undefined;
  // Stat again after the run: when the binary was replaced meanwhile, the line may be either binary's, so it
  // is used this once and not remembered.
  if (file && stamp && real !== undefined && line.length <= LINE_MAX_CHARS) {
    const after = stampOf(real);
    if (after && sameStamp(after, stamp)) {
      const kept = entries.filter((e) => !(e.tool === tool && e.binary === real));
      writeCache(file, [{ tool, binary: real, line, ...stamp }, ...kept].slice(0, CACHE_MAX_ENTRIES));
    }
  }
  return { path: found.file, output: line };
}

/** `$XDG_CACHE_HOME/haconf/tool-versions.json` (an absolute XDG_CACHE_HOME only, as the spec says), else `~/.cache/haconf/…`. */
export function cacheFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'haconf', CACHE_FILE_NAME);
  let home = env.HOME;
  if (!home) {
    try {
      home = homeDir();
    } catch {
      return undefined; // no home (a service account without one): probe every time
    }
  }
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'haconf', CACHE_FILE_NAME) : undefined;
}

function realPath(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

function stampOf(real: string): Stamp | undefined {
  try {
    const st = fs.statSync(real, { bigint: true });
    return { size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), dev: String(st.dev) };
  } catch {
    return undefined;
  }
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;
}

/**
 * True when `dir` is a real directory (not a link) owned by this user and writable by nobody else: only
 * then is what it holds trusted, or written to.
 */
function privateDir(dir: string): boolean {
  try {
    const st = fs.lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * The cache as this process last read or wrote it, with the file's stat then: a check asks for haproxy and
 * keepalived in turn, and the second answer needs no second read while the file is unchanged.
 */
let lastRead: { key: string; entries: Entry[] } | undefined;

function fileKey(file: string, st: fs.BigIntStats): string {
  return `${file}\0${st.dev}\0${st.ino}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}`;
}

/** The valid entries of the cache file; none when it is missing, foreign, too big or not what haconf writes. */
function readCache(file: string): Entry[] {
  if (!privateDir(path.dirname(file))) return [];
  let key: string;
  try {
    const st = fs.lstatSync(file, { bigint: true });
    if (!st.isFile() || st.size > CACHE_MAX_BYTES) return []; // a link, a FIFO, a device or a huge file
    key = fileKey(file, st);
  } catch {
    return [];
  }
  if (lastRead?.key === key) return lastRead.entries;
  const entries = parseCache(file);
  lastRead = { key, entries };
  return entries;
}

function parseCache(file: string): Entry[] {
  const read = readRegularFile(file);
  if (!read.ok || read.text.length > CACHE_MAX_BYTES) return [];
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch {
    return [];
  }
  if (!isRecord(data) || data.format !== FORMAT || !Array.isArray(data.entries)) return [];
  return data.entries.filter(isEntry).slice(0, CACHE_MAX_ENTRIES);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEntry(v: unknown): v is Entry {
  if (!isRecord(v)) return false;
  const digits = (k: string): boolean => typeof v[k] === 'string' && /^\d{1,40}$/.test(v[k] as string);
  return (
    (v.tool === 'haproxy' || v.tool === 'keepalived') &&
    typeof v.binary === 'string' &&
    path.isAbsolute(v.binary) &&
    typeof v.line === 'string' &&
    v.line.length > 0 &&
    v.line.length <= LINE_MAX_CHARS &&
    !v.line.includes('\n') &&
    digits('size') &&
    digits('mtimeNs') &&
    digits('ctimeNs') &&
    digits('ino') &&
    digits('dev')
  );
}

/** Writes the cache whole; any failure (read-only home, a link in the way, a full disk) only loses the cache. */
function writeCache(file: string, entries: Entry[]): void {
  const dir = path.dirname(file);
  try {
    // Never create it inside someone else's folder (`sudo` keeps the user's HOME): that user could no
    // longer write their own cache.
    if (!makeDirs(dir, 0o700, ownedByMe)) return;
    if (!privateDir(dir)) return;
    writeAtomicConfined(dir, file, `${JSON.stringify({ format: FORMAT, entries })}\n`, 0o600);
    lastRead = { key: fileKey(file, fs.lstatSync(file, { bigint: true })), entries };
  } catch {
    // the probe's answer is still returned; the next run probes again
  }
}

function ownedByMe(p: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  try {
    return fs.statSync(p).uid === uid;
  } catch {
    return false;
  }
}
