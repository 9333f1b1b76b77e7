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
    let st: fs.Stats;
    try {
      st = fs.statSync(absPath);
    } catch (e) {
      return { ok: false, reason: `cannot read ${absPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
    if (!st.isFile()) {
      return { ok: false, reason: `${absPath} is not a regular file; only regular files are read` };
    }
    if (st.size > MAX_FILE_BYTES) {
      return { ok: false, reason: `${absPath} is ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit` };
    }
    try {
      return { ok: true, text: decode(fs.readFileSync(absPath)) };
    } catch (e) {
      return { ok: false, reason: `cannot read ${absPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
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
