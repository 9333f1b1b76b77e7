// What must be true before haconf runs a local checker on a workspace file. The checkers are real
// programs: `haproxy -c` executes `lua-load` scripts while parsing, and a binary found through an empty
// or relative PATH entry (or one inside the workspace) is whatever the workspace put there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lexLine } from '../haproxy/lexer';
import { splitLines } from '../core/range';
import type { SyntaxIssue } from '../haproxy/types';

/**
 * HAProxy directives that load and run code while `haproxy -c` parses the file: Lua scripts (executed at
 * load time) and OpenSSL engines/providers (shared libraries). Everything `lua-…` is included so a future
 * variant is refused rather than run.
 */
const CODE_LOADING = /^(lua-.*|ssl-engine|ssl-provider|ssl-provider-path)$/;

export interface CodeLoadingLine {
  /** 0-based line. */
  line: number;
  /** The keyword as written (or the raw word when an environment variable hides it). */
  keyword: string;
  why: string;
}

/**
 * The first line of a haproxy.cfg that would make `haproxy -c` load code, or undefined. Words are split
 * exactly as HAProxy does (quotes, backslashes), so `"lua-load"` or `lua\-load` are caught too; a keyword
 * built from an environment variable cannot be known here and counts as code-loading.
 */
export function haproxyCodeLoading(text: string): CodeLoadingLine | undefined {
  const lines = splitLines(text);
  const issues: SyntaxIssue[] = [];
  for (let n = 0; n < lines.length; n++) {
    const l = lines[n];
    // Cheap pre-filter: only lines that spell a keyword plainly or could hide one (quotes, escapes such as
    // `\x6cua-load`, environment variables) are lexed.
    if (!/lua|ssl|[$\\"']/i.test(l)) continue;
    issues.length = 0;
    const first = lexLine(l, 0, l.length, n, issues).words[0];
    if (!first) continue;
    if (first.dynamic) return { line: n, keyword: first.raw, why: 'its keyword comes from an environment variable, so haconf cannot tell whether it loads code' };
    if (CODE_LOADING.test(first.value)) return { line: n, keyword: first.value, why: `\`${first.value}\` makes haproxy load and run code (Lua scripts or OpenSSL modules) while it checks the file` };
  }
  return undefined;
}

function realOrNull(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export type Resolved = { ok: true; file: string; safePath: string } | { ok: false; reason: string };

/**
 * Finds `name` the way execvp would, but only in PATH entries that are absolute and, after resolving
 * symlinks, not inside any of `untrusted` (the workspace folders and the checked file's folder). An empty
 * entry, `.` or `bin` means "the current directory" to execvp, which is how a workspace's own `./haproxy`
 * would run. Returns the absolute binary and the filtered PATH to hand to the child.
 */
export function resolveTool(name: string, pathEnv: string | undefined, untrusted: string[]): Resolved {
  const fences = untrusted.map((u) => realOrNull(u) ?? path.resolve(u));
  const kept: string[] = [];
  for (const entry of (pathEnv ?? '').split(path.delimiter)) {
    if (!entry || !path.isAbsolute(entry)) continue;
    const real = realOrNull(entry);
    if (!real || fences.some((f) => isInside(real, f))) continue;
    kept.push(entry);
  }
  for (const dir of kept) {
    const candidate = path.join(dir, name);
    try {
      // Most PATH folders lack the tool: asked without an exception (each costs ~50 µs, and `haconf check`
      // looks for haproxy and keepalived at every start).
      if (!fs.statSync(candidate, { throwIfNoEntry: false })) continue;
      const real = fs.realpathSync.native(candidate);
      if (fences.some((f) => isInside(real, f))) continue; // a symlink from a system folder into the workspace
      if (!fs.statSync(real).isFile()) continue;
      fs.accessSync(real, fs.constants.X_OK);
      return { ok: true, file: candidate, safePath: kept.join(path.delimiter) };
    } catch {
      // missing or not executable here: the next PATH folder may have it
    }
  }
  return {
    ok: false,
    reason: `${name} is not installed in a PATH folder outside the workspace (empty, relative and workspace PATH entries are ignored); install it or turn off haconf.validateWithLocalTools`,
  };
}
