// Every file haconf writes on the local machine (the audit log, `haconf pull` targets, the deploy journal,
// the known_hosts file ssh may append to) goes through here. A workspace is not trusted input: a
// symbolic link planted at `.haconf/audit.jsonl` (or at a parent folder) must not make haconf append to
// ~/.bashrc, and a manifest path with `../` must not reach outside the folder the user opened.
//
// Guarantees, for a file inside a confinement root (the manifest's folder, or a folder the user chose):
// - the path is inside the root after normalisation (no `..` escape, no absolute path elsewhere);
// - no folder between the root and the file is a symbolic link (checked with lstat, one by one);
// - the file itself is opened with O_NOFOLLOW, and must be a regular file (fstat after open);
// - new files are created 0600 and new folders 0700; replacing writes a fresh 0600 temp file beside the
//   target and renames it over, so a reader never sees half a file.
// Node has no openat(), so a folder swapped for a link between the check and the open is not caught;
// that needs write access to the workspace at the very moment of the write.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class UnsafeLocalPathError extends Error {}

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** True when `p` is `root` itself or lies below it (both absolute, normalised). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `p` (relative to `root` when not absolute) and checks it names a file strictly below `root`.
 * `what` names the setting in the error message, e.g. "deploy.auditLog (haconf.yaml line 12)".
 */
export function confinedPath(root: string, p: string, what: string): string {
  const rootAbs = path.resolve(root);
  const abs = path.resolve(rootAbs, p);
  if (abs === rootAbs || !isInside(rootAbs, abs)) {
    throw new UnsafeLocalPathError(`${what} ${p} must be a file inside ${rootAbs} (the manifest's folder); haconf writes nowhere else. Move the file into that folder or fix the path`);
  }
  return abs;
}

/**
 * Checks that no folder from `root` (exclusive) down to `file`'s parent is a symbolic link or not a
 * folder. With `create`, missing folders are made (0700). Returns false when a folder is missing and
 * `create` is off.
 */
function checkParents(root: string, file: string, create: boolean): boolean {
  const rootAbs = path.resolve(root);
  const rel = path.relative(rootAbs, path.dirname(file));
  let cur = rootAbs;
  for (const part of rel ? rel.split(path.sep) : []) {
    cur = path.join(cur, part);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(cur);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (!create) return false;
      fs.mkdirSync(cur, { mode: 0o700 });
      st = fs.lstatSync(cur);
    }
    if (st.isSymbolicLink()) throw new UnsafeLocalPathError(`${cur} is a symbolic link; haconf does not write through links (${file}). Replace the link with a real folder`);
    if (!st.isDirectory()) throw new UnsafeLocalPathError(`${cur} is not a folder, so ${file} cannot be written there`);
  }
  return true;
}

/** Opens `file` for writing without following a link at its last component; refuses non-regular files. */
function openNoFollow(file: string, flags: number, mode: number): number {
  let fd: number;
  try {
    fd = fs.openSync(file, flags | O_NOFOLLOW, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // O_NOFOLLOW on a link fails with ELOOP (Linux) or EMLINK (some BSDs).
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafeLocalPathError(`${file} is a symbolic link; haconf does not write through links. Remove the link (haconf creates the file itself)`);
    throw e;
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile()) {
    fs.closeSync(fd);
    throw new UnsafeLocalPathError(`${file} is not a regular file; haconf only writes regular files`);
  }
  return fd;
}

/** writeSync may write less than asked (a full disk, a signal); loop until all of it is written. */
function writeAll(fd: number, data: string | Buffer): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Appends `data` to `file` (inside `root`), creating it 0600. Used for the audit log and the journal. */
export function appendConfined(root: string, file: string, data: string | Buffer, opts: { fsync?: boolean } = {}): void {
  const abs = confinedPath(root, file, 'file');
  checkParents(root, abs, true);
  const fd = openNoFollow(abs, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
  try {
    writeAll(fd, data);
    if (opts.fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces (or creates) `file` inside `root` atomically: a 0600 temp file beside it, written, fsynced,
 * given `mode` (default: the old file's mode, else 0600), renamed over. An existing link or non-regular
 * file at `file` is refused, not replaced: the user put it there.
 */
export function writeAtomicConfined(root: string, file: string, content: string | Buffer, mode?: number): void {
  const abs = confinedPath(root, file, 'file');
  checkParents(root, abs, true);
  let keepMode = 0o600;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st?.isSymbolicLink()) throw new UnsafeLocalPathError(`${abs} is a symbolic link; haconf does not write through links. Replace the link with the file itself`);
  if (st && !st.isFile()) throw new UnsafeLocalPathError(`${abs} is not a regular file; haconf only writes regular files`);
  if (st) keepMode = st.mode & 0o777;
  // node:crypto is required here, not imported: a `haconf check` that writes nothing does not load it (~4 ms).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.haconf-tmp-${randomBytes(6).toString('hex')}`);
  const fd = openNoFollow(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    try {
      writeAll(fd, content);
      fs.fchmodSync(fd, mode ?? keepMode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * For a file another program writes (ssh appends to known_hosts): checks the same rules without writing.
 * The file may be missing (its folder must then exist, unless `missingFolderOk`: haconf will make it); when present it must be a regular file, not a
 * link. Returns a reason when the file is unusable, undefined when it is fine.
 */
export function unsafeExistingFile(root: string, file: string, opts: { missingFolderOk?: boolean } = {}): string | undefined {
  try {
    if (!checkParents(root, file, false)) return opts.missingFolderOk ? undefined : `its folder ${path.dirname(file)} does not exist`;
  } catch (e) {
    if (e instanceof UnsafeLocalPathError) return e.message;
    return `cannot inspect it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot inspect it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  if (st.isSymbolicLink()) return `${file} is a symbolic link`;
  if (!st.isFile()) return `${file} is not a regular file`;
  return undefined;
}
