// Whitespace-only formatting. It changes the indentation at the start of a line and removes trailing
// blanks, nothing else: no line is joined or split, and the inside of quotes is never touched, so the
// daemons read exactly the same words. The new indentation depends only on the words of the lines, never
// on their current indentation, which makes format(format(x)) === format(x). One exception on purpose: when
// the keepalived parser had to guess where a block ends, it read the indentation to do so, and that
// indentation is left as it is.
import type { Language, Range, TextEdit } from '../core/types';
import { lineRange } from '../core/range';
import { COROSYNC_MAX_LINE, HAPROXY_MAX_WORDS, KEEPALIVED_MAX_LINE } from '../core/limits';
import { lexLine } from '../haproxy/lexer';
import { sectionNames } from '../haproxy/keywords';
import { LineIndex } from './text';
import { parseKeepalived } from '../keepalived/parser';
import type { SourceHost } from '../core/sourceHost';

export interface FormatOptions {
  /** Spaces per level; HAProxy bodies use one level. */
  indent: number;
  /** False: one tab per level instead of `indent` spaces (the editor's FormattingOptions.insertSpaces). */
  insertSpaces: boolean;
  haproxyVersion: string;
}

const DEFAULTS: FormatOptions = { indent: 4, insertSpaces: true, haproxyVersion: '2.6' };

/** The leading blanks for a plan's indentation (in columns, a multiple of `indent`). */
function indentText(columns: number, opts: FormatOptions): string {
  if (opts.insertSpaces || opts.indent <= 0) return ' '.repeat(columns);
  return '\t'.repeat(Math.floor(columns / opts.indent)) + ' '.repeat(columns % opts.indent);
}

/**
 * Deepest nesting the formatter indents. Real files nest a few levels; past this (100,000 unclosed `{`)
 * lines keep their indentation, instead of each getting hundreds of kilobytes of spaces.
 */
export const MAX_FORMAT_DEPTH = 32;

/** Per line: the indentation it should have, or undefined to leave its start alone; and whether trailing blanks may go. */
interface LinePlan {
  indent?: number;
  trimEnd: boolean;
}

function leading(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

function trailingStart(line: string): number {
  let e = line.length;
  while (e > 0 && (line[e - 1] === ' ' || line[e - 1] === '\t')) e--;
  return e;
}

/** Trailing blanks after a backslash are escaped characters, not whitespace. */
function escapedEnd(line: string): boolean {
  const e = trailingStart(line);
  return e < line.length && e > 0 && line[e - 1] === '\\';
}

function planHaproxy(lines: LineIndex, opts: FormatOptions): LinePlan[] {
  const sections = new Set(sectionNames(opts.haproxyVersion));
  type Kind = 'blank' | 'comment' | 'header' | 'body' | 'directive' | 'orphan';
  const kinds: Kind[] = [];
  const plans: LinePlan[] = [];
  let inSection = false;
  for (let n = 0; n < lines.count; n++) {
    const text = lines.line(n);
    const issues: { line: number; start: number; end: number; message: string }[] = [];
    const lexed = lexLine(text, 0, text.length, n, issues);
    const w = lexed.words;
    const safeEnd = issues.length === 0 && w.length < HAPROXY_MAX_WORDS - 1 && !escapedEnd(text);
    plans.push({ trimEnd: safeEnd });
    if (w.length === 0) {
      kinds.push(text.trim() === '' ? 'blank' : 'comment');
      continue;
    }
    const first = w[0].value;
    if (first.startsWith('.')) kinds.push('directive');
    else if (sections.has(first)) {
      kinds.push('header');
      inSection = true;
    } else kinds.push(inSection ? 'body' : 'orphan');
  }
  // Comments and directives take the indentation of the next statement; `.elif/.else/.endif` that of their `.if`.
  const body = opts.indent;
  let next: number | undefined;
  const ifStack: number[] = [];
  const nextIndent: (number | undefined)[] = new Array(lines.count);
  for (let n = lines.count - 1; n >= 0; n--) {
    nextIndent[n] = next;
    if (kinds[n] === 'header' || kinds[n] === 'orphan') next = 0;
    else if (kinds[n] === 'body') next = body;
  }
  let prevInSection = false;
  for (let n = 0; n < lines.count; n++) {
    const k = kinds[n];
    const text = lines.line(n);
    if (k === 'header' || k === 'orphan') plans[n].indent = 0;
    else if (k === 'body') plans[n].indent = body;
    else if (k === 'blank') plans[n].indent = 0;
    else if (k === 'comment') plans[n].indent = nextIndent[n] ?? (leading(text) === 0 || !prevInSection ? 0 : body);
    else {
      const word = text.trim().split(/\s/)[0];
      const own = nextIndent[n] ?? (prevInSection ? body : 0);
      if (word === '.if') {
        ifStack.push(own);
        plans[n].indent = own;
      } else if (word === '.elif' || word === '.else') plans[n].indent = ifStack[ifStack.length - 1] ?? own;
      else if (word === '.endif') plans[n].indent = ifStack.pop() ?? own;
      else plans[n].indent = own;
    }
    if (k === 'header') prevInSection = true;
  }
  return plans;
}

/** keepalived: comments start at an unquoted `!` or `#` anywhere; `\` escapes them; braces nest blocks. */
function planKeepalived(lines: LineIndex, opts: FormatOptions, source: string): LinePlan[] {
  const plans: LinePlan[] = [];
  let depth = 0;
  let continued = false;
  for (let n = 0; n < lines.count; n++) {
    const text = lines.line(n);
    let closesFirst = 0;
    let seenWord = false;
    let quote = false;
    let net = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        i++;
        seenWord = true;
        continue;
      }
      if (c === '"') {
        quote = !quote;
        seenWord = true;
        continue;
      }
      if (quote) continue;
      if (c === '!' || c === '#') break;
      if (c === '{') {
        net++;
        seenWord = true;
      } else if (c === '}') {
        if (!seenWord) closesFirst++;
        net--;
      } else if (c !== ' ' && c !== '\t') seenWord = true;
    }
    const trimmed = text.trim();
    const level = Math.max(0, depth - closesFirst);
    const indent = continued || level > MAX_FORMAT_DEPTH ? undefined : trimmed === '' ? 0 : level * opts.indent;
    plans.push({ indent, trimEnd: !quote && !escapedEnd(text) });
    depth = Math.max(0, depth + net);
    continued = /\\$/.test(text.trimEnd()) && !trimmed.startsWith('#') && !trimmed.startsWith('!');
  }
  // When the parser had to guess where blocks end (a `}` missing or extra, a `{` without keyword), brace
  // depth is not the structure: indenting by it would push the rest of the file into an open block and
  // erase the one hint the parser reads, a dedented keyword ending the block. Lines then keep their
  // indentation; trailing blanks still go.
  if (parseKeepalived('/format/keepalived.conf', source, NO_INCLUDES).bracesRecovered) for (const p of plans) p.indent = undefined;
  return plans;
}

/** Formatting reads one buffer: included files are not opened. */
const NO_INCLUDES: SourceHost = { readText: () => ({ ok: false, reason: 'not read while formatting' }), glob: () => [] };

/** corosync: `#` comments only at the start of a line; a line holding `{` opens a section, a line that is `}` closes one. */
function planCorosync(lines: LineIndex, opts: FormatOptions): LinePlan[] {
  const plans: LinePlan[] = [];
  let depth = 0;
  for (let n = 0; n < lines.count; n++) {
    const t = lines.line(n).trim();
    if (t === '') {
      plans.push({ indent: 0, trimEnd: true });
      continue;
    }
    if (t === '}') depth = Math.max(0, depth - 1);
    plans.push({ indent: depth > MAX_FORMAT_DEPTH ? undefined : depth * opts.indent, trimEnd: true });
    if (t.startsWith('#') || t === '}') continue;
    if (t.includes('{')) depth++;
  }
  return plans;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Minimal edits (indentation and trailing blanks per line) turning `text` into its formatted form. */
export function formatEdits(language: Language, text: string, options: Partial<FormatOptions> = {}, range?: Range): TextEdit[] {
  const opts = { ...DEFAULTS, ...options };
  const lines = new LineIndex(text);
  const plans = language === 'haproxy' ? planHaproxy(lines, opts) : language === 'keepalived' ? planKeepalived(lines, opts, text) : planCorosync(lines, opts);
  const limit = language === 'corosync' ? COROSYNC_MAX_LINE - 2 : language === 'keepalived' ? KEEPALIVED_MAX_LINE - 1 : Infinity;
  const first = range ? range.start.line : 0;
  let last = range ? range.end.line : lines.count - 1;
  if (range && range.end.character === 0 && range.end.line > range.start.line) last--;
  const edits: TextEdit[] = [];
  for (let n = first; n <= Math.min(last, lines.count - 1); n++) {
    const line = lines.line(n);
    const plan = plans[n];
    const lead = leading(line);
    const tail = plan.trimEnd ? trailingStart(line) : line.length;
    if (tail <= lead) {
      // Blank line (or nothing but blanks): empty it.
      if (line.length > 0 && plan.trimEnd) edits.push({ range: lineRange(n, 0, line.length), newText: '' });
      continue;
    }
    const want = plan.indent === undefined ? line.slice(0, lead) : indentText(plan.indent, opts);
    // Never push a line over the daemon's line-length limit: that would change how it is read.
    const grows = want.length > lead && byteLength(want + line.slice(lead, tail)) > limit;
    if (want !== line.slice(0, lead) && !grows) edits.push({ range: lineRange(n, 0, lead), newText: want });
    if (tail < line.length) edits.push({ range: lineRange(n, tail, line.length), newText: '' });
  }
  return edits;
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const starts: number[] = [];
  let off = 0;
  for (let n = 0; n < lines.count; n++) {
    starts.push(off);
    off = text.indexOf('\n', off);
    off = off < 0 ? text.length : off + 1;
  }
  const offset = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : starts[p.line] + p.character);
  const sorted = edits.map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

export function formatText(language: Language, text: string, options: Partial<FormatOptions> = {}): string {
  return applyEdits(text, formatEdits(language, text, options));
}
