import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_BYTES, MAX_INCLUDE_FILES } from './limits';
import { globToRegExp, hasGlobMagic } from './glob';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * How the engine reaches files. The CLI reads the disk; the language server
 * overlays unsaved editor buffers. Parsers that follow includes go through this
 * so they never touch device files, FIFOs or huge files directly.
 */
export interface SourceHost {
  readText(absPath: string): ReadResult;
  /** Absolute paths of regular files matching an absolute glob, sorted, at most `limit`. */
  glob(absPattern: string, limit?: number): string[];
  /** Whether a regular file exists at the path; absent means the disk is asked (an in-memory host answers itself). */
  isFile?(absPath: string): boolean;
}

/** Decodes bytes as the daemons see them: UTF-8, with invalid sequences kept as U+FFFD. */
export function decode(buf: Buffer): string {
  return buf.toString('utf8');
}

/** True when the content is clearly not a text config (NUL bytes in the first 8 KiB). */
export function looksBinary(text: string): boolean {
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  return head.includes('\u0000');
}

export class NodeSourceHost implements SourceHost {
  /** Editor buffers that shadow the disk, keyed by absolute path. */
  readonly overlay = new Map<string, string>();

  readText(absPath: string): ReadResult {
    const over = this.overlay.get(absPath);
    if (over !== undefined) return { ok: true, text: over };
    return readRegularFile(absPath);
  }

  glob(absPattern: string, limit = MAX_INCLUDE_FILES): string[] {
    if (!hasGlobMagic(absPattern)) {
      return isRegularFile(absPattern) ? [absPattern] : [];
    }
    const parts = absPattern.split('/');
    let dirs = [parts[0] === '' ? '/' : parts[0]];
    const out: string[] = [];
    for (let i = 1; i < parts.length; i++) {
      const seg = parts[i];
      if (seg === '') continue;
      const last = i === parts.length - 1;
      const next: string[] = [];
      for (const dir of dirs) {
        if (!hasGlobMagic(seg)) {
          next.push(path.join(dir, seg));
          continue;
        }
        let names: string[];
        try {
          names = fs.readdirSync(dir).sort();
        } catch {
          continue;
        }
        const re = globToRegExp(seg);
        for (const n of names) if (re.test(n) && !n.startsWith('.')) next.push(path.join(dir, n));
      }
      dirs = next;
      if (last) break;
    }
    for (const p of dirs) {
      if (isRegularFile(p)) out.push(p);
      if (out.length >= limit) break;
    }
    return out.sort();
  }
}

/** True for an existing regular file (symlinks followed); false for anything else or on any error. */
export function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Kernel pseudo file systems: their "regular" files are generated on read (/proc/self/environ holds the
 * environment, secrets included), report size 0, and some block forever (/proc/kmsg). Never config files.
 * statfs f_type magics from linux/magic.h.
 */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'],
  [0x1cd1, 'devpts'],
  [0x6e736673, 'nsfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x67596969, 'rpc_pipefs'],
  [0x19800202, 'mqueue'],
  [0xf97cff8c, 'selinuxfs'],
  [0x958458f6, 'hugetlbfs'],
  [0x50495045, 'pipefs'],
  [0x534f434b, 'sockfs'],
]);
/** Folders that hold devices and kernel state, refused by (real) path even where statfs cannot tell (devtmpfs is tmpfs). */
const PSEUDO_DIRS = ['/proc', '/sys', '/dev'];

/** Why `p` lies on a kernel pseudo file system, or undefined. `real` is its resolved path. */
export function pseudoFileReason(p: string, real: string): string | undefined {
  const dir = PSEUDO_DIRS.find((d) => real === d || real.startsWith(`${d}/`));
  if (dir) return `${p} is under ${dir} (devices and kernel state), not a config file; it is not read`;
  try {
    const type = fs.statfsSync(real).type;
    const name = PSEUDO_FS.get(type >>> 0);
    if (name) return `${p} is on a ${name} file system (kernel state), not a config file; it is not read`;
  } catch {
    // statfs unsupported here: the path check above and the non-blocking read below still apply.
  }
  return undefined;
}

/**
 * Reads a regular file of at most MAX_FILE_BYTES without ever blocking: pseudo file systems are refused by
 * path and statfs, the file is opened O_NONBLOCK (a FIFO or a device cannot hold the open), and type and
 * size are checked on the open descriptor (fstat), so the file cannot be swapped between check and read.
 * Reasons never quote the file's content.
 */
export function readRegularFile(absPath: string): ReadResult {
  const r = readRegularBytes(absPath);
  return r.ok ? { ok: true, text: decode(r.bytes) } : r;
}

export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** readRegularFile's bytes, undecoded: a deploy uploads and hashes exactly what is on disk. */
export function readRegularBytes(absPath: string): BytesResult {
  const fail = (e: unknown): BytesResult => ({ ok: false, reason: `cannot read ${absPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
  let real: string;
  try {
    real = fs.realpathSync(absPath);
  } catch (e) {
    return fail(e);
  }
  const pseudo = pseudoFileReason(absPath, real);
  if (pseudo) return { ok: false, reason: pseudo };
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (e) {
    return fail(e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: `${absPath} is not a regular file; only regular files are read` };
    if (st.size > MAX_FILE_BYTES) return { ok: false, reason: `${absPath} is ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit` };
    // Read to the end, but never past the limit: the size reported is not trusted (files can grow).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Sized from fstat (+1 to see the end at once); a file that grew meanwhile takes further chunks.
      const want = chunks.length === 0 ? st.size + 1 : 1 << 16;
      const buf = Buffer.allocUnsafe(Math.max(1, Math.min(want, MAX_FILE_BYTES + 1 - total)));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > MAX_FILE_BYTES) return { ok: false, reason: `${absPath} is over the ${MAX_FILE_BYTES}-byte limit` };
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return { ok: false, reason: `${absPath} would block on read (not a regular file on disk); it is not read` };
    return fail(e);
  } finally {
    fs.closeSync(fd);
  }
}
