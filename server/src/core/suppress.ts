import type { Diagnostic } from './types';
import { splitLines } from './range';

// `# haconf-disable-next-line code [code...]` silences the next non-comment line;
// `# haconf-disable code [code...]` silences the whole file. With no codes, all rules.
// The marker may follow `#` or `!` (keepalived's other comment character).
const MARKER = /(?:^|\s)[#!]\s*haconf-disable(-next-line)?(?=\s|$)([^#!]*)/;

export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  /** 0-based line -> codes (or 'all') suppressed on that line. */
  lines: Map<number, Set<string> | 'all'>;
}

function codesOf(rest: string): Set<string> | 'all' {
  const codes = rest.split(/[\s,]+/).filter((c) => c.length > 0 && c !== '--');
  return codes.length === 0 ? 'all' : new Set(codes);
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  if (!a) return b;
  for (const c of b) a.add(c);
  return a;
}

export function findSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map() };
  if (!text.includes('haconf-disable')) return result;
  const lines = splitLines(text);
  let pending: Set<string> | 'all' | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = line.includes('haconf-disable') ? MARKER.exec(line) : null;
    if (m) {
      const codes = codesOf(m[2]);
      if (m[1]) pending = merge(pending, codes);
      else result.file = merge(result.file, codes);
      // The marker applies to the next statement, never to the line that carries it.
      continue;
    }
    if (pending && line.trim() !== '') {
      result.lines.set(i, pending);
      pending = undefined;
    }
  }
  return result;
}

function matches(set: Set<string> | 'all' | undefined, code: string): boolean {
  if (!set) return false;
  if (set === 'all') return true;
  if (set.has(code)) return true;
  // `haproxy/*` or a bare language prefix silences a whole family.
  const family = code.split('/')[0];
  return set.has(`${family}/*`) || set.has(family);
}

export function isSuppressed(s: Suppressions, d: Diagnostic): boolean {
  if (matches(s.file, d.code)) return true;
  return matches(s.lines.get(d.range.start.line), d.code);
}
