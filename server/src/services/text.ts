// Line access into a document text without splitting it on every request: a 30,000-line file is
// indexed once per version (one pass over the characters), then each line is a slice.
import type { Position, Range } from '../core/types';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  /** Line `n` without its line break (a trailing \r is dropped). Empty past the end. */
  line(n: number): string {
    if (n < 0 || n >= this.starts.length) return '';
    const from = this.starts[n];
    let to = n + 1 < this.starts.length ? this.starts[n + 1] - 1 : this.text.length;
    if (to > from && this.text.charCodeAt(to - 1) === 13) to--;
    return this.text.slice(from, to);
  }

  /** Whether line `n` ends with \r\n. */
  crlf(n: number): boolean {
    if (n + 1 >= this.starts.length) return false;
    const end = this.starts[n + 1] - 1;
    return end > this.starts[n] && this.text.charCodeAt(end - 1) === 13;
  }
}

const byText = new Map<string, LineIndex>();

/** Cached index of a text; keeps the most recent few texts only. */
export function lineIndex(text: string): LineIndex {
  let idx = byText.get(text);
  if (!idx) {
    idx = new LineIndex(text);
    if (byText.size >= 8) byText.delete(byText.keys().next().value as string);
    byText.set(text, idx);
  }
  return idx;
}

export function rangeContains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** The identifier-like run around `character` on a line (for keepalived / corosync words). */
export function wordAt(line: string, character: number, re = /[^\s{}"'#!]/): { text: string; start: number; end: number } | undefined {
  let s = character;
  let e = character;
  while (s > 0 && re.test(line[s - 1])) s--;
  while (e < line.length && re.test(line[e])) e++;
  if (s === e) return undefined;
  return { text: line.slice(s, e), start: s, end: e };
}
