// Line-level reading the way keepalived's lib/parser.c does it: comments cut by an unquoted `!`/`#`
// anywhere (even mid-word), `\#` and `\!` escapes, `$NAME` expansion, and braces that split a line.
// Text is kept as an array of characters that remember their column, so every word produced keeps an
// exact range even after comments are removed or definitions expanded.

export interface Ch {
  c: string;
  /** Column (UTF-16) where the source of this character starts and ends on its line. */
  s: number;
  e: number;
  /** Produced by expansion rather than written literally. */
  x?: boolean;
}

export function toChars(line: string): Ch[] {
  const out: Ch[] = new Array(line.length);
  for (let i = 0; i < line.length; i++) out[i] = { c: line[i], s: i, e: i + 1 };
  return out;
}

export function charsText(chars: Ch[]): string {
  let s = '';
  for (const ch of chars) s += ch.c;
  return s;
}

export interface Decommented {
  chars: Ch[];
  /** Index in the input where a comment started. */
  commentAt?: number;
  /** Column of a `"` that is never closed. */
  openQuoteCol?: number;
}

/** Drops the comment and resolves `\#`/`\!` outside quotes, as decomment() does. */
export function decomment(chars: Ch[]): Decommented {
  const out: Ch[] = [];
  let quote = false;
  let quoteCol = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch.c === '"') {
      quote = !quote;
      quoteCol = ch.s;
      out.push(ch);
      continue;
    }
    if (ch.c === '\\' && i + 1 < chars.length) {
      const next = chars[i + 1];
      if (!quote && (next.c === '#' || next.c === '!')) {
        out.push({ c: next.c, s: ch.s, e: next.e, x: ch.x || next.x });
      } else {
        out.push(ch, next);
      }
      i++;
      continue;
    }
    if (!quote && (ch.c === '!' || ch.c === '#')) {
      return { chars: out, commentAt: i };
    }
    out.push(ch);
  }
  return quote ? { chars: out, openQuoteCol: quoteCol } : { chars: out };
}

export type TokenKind = 'word' | 'open' | 'close';

export interface Token {
  kind: TokenKind;
  text: string;
  s: number;
  e: number;
  quoted: boolean;
  expanded: boolean;
}

const isBlank = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f';

/**
 * Splits into words and braces. A word starting with `"` runs to the next `"`; any unquoted `{` or `}`
 * is a token of its own (keepalived cuts the line there and reads the rest as the next line).
 */
export function tokenize(chars: Ch[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = chars.length;
  while (i < n) {
    const ch = chars[i];
    if (isBlank(ch.c)) {
      i++;
      continue;
    }
    if (ch.c === '{' || ch.c === '}') {
      out.push({ kind: ch.c === '{' ? 'open' : 'close', text: ch.c, s: ch.s, e: ch.e, quoted: false, expanded: !!ch.x });
      i++;
      continue;
    }
    if (ch.c === '"') {
      let j = i + 1;
      let text = '';
      let expanded = !!ch.x;
      while (j < n && chars[j].c !== '"') {
        text += chars[j].c;
        expanded ||= !!chars[j].x;
        j++;
      }
      const end = j < n ? chars[j].e : chars[n - 1].e;
      out.push({ kind: 'word', text, s: ch.s, e: end, quoted: true, expanded });
      i = j + 1;
      continue;
    }
    let j = i;
    let text = '';
    let expanded = false;
    let s = ch.s;
    let e = ch.e;
    while (j < n) {
      const c = chars[j];
      if (isBlank(c.c) || c.c === '"' || c.c === '{' || c.c === '}') break;
      text += c.c;
      expanded ||= !!c.x;
      if (c.s < s) s = c.s;
      if (c.e > e) e = c.e;
      j++;
    }
    out.push({ kind: 'word', text, s, e, quoted: false, expanded });
    i = j;
  }
  return out;
}

export interface Definition {
  name: string;
  /** Lines of the value; more than one for a definition continued with a trailing `\`. */
  lines: string[];
}

/** Values for keepalived's predefined names; placeholders where the real value depends on the host. */
export function predefined(dir: string): Map<string, Definition> {
  const m = new Map<string, Definition>();
  const add = (name: string, value: string) => m.set(name, { name, lines: [value] });
  add('_PWD', dir);
  add('_INSTANCE', 'keepalived');
  add('_RANDOM', '1');
  add('_HASH', '#');
  add('_BANG', '!');
  return m;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** Expansion rounds per line; recursive definitions stop here instead of looping. */
export const MAX_EXPANSION_ROUNDS = 16;
const MAX_EXPANDED_CHARS = 65536;

export interface Expanded {
  chars: Ch[];
  /** Further lines from a multi-line definition, to be read after this one. */
  extra: Ch[][];
  changed: boolean;
  /** The expansion did not settle within MAX_EXPANSION_ROUNDS. */
  runaway: boolean;
}

/** Expands `$NAME` and `${NAME}` (and `${NAME params}`) recursively; undefined names stay literal. */
export function expand(chars: Ch[], defs: Map<string, Definition>): Expanded {
  let cur = chars;
  let extra: Ch[][] = [];
  let changed = false;
  for (let round = 0; round < MAX_EXPANSION_ROUNDS; round++) {
    const r = expandOnce(cur, defs);
    if (!r.changed) return { chars: cur, extra, changed, runaway: false };
    changed = true;
    cur = r.chars;
    if (r.extra.length) extra = [...r.extra, ...extra];
    if (cur.length > MAX_EXPANDED_CHARS) return { chars: cur.slice(0, MAX_EXPANDED_CHARS), extra, changed, runaway: true };
  }
  return { chars: cur, extra, changed, runaway: expandOnce(cur, defs).changed };
}

function expandOnce(chars: Ch[], defs: Map<string, Definition>): { chars: Ch[]; extra: Ch[][]; changed: boolean } {
  const out: Ch[] = [];
  let extra: Ch[][] = [];
  let changed = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch.c !== '$' || i + 1 >= chars.length) {
      out.push(ch);
      continue;
    }
    const braces = chars[i + 1].c === '{';
    let j = braces ? i + 2 : i + 1;
    if (j >= chars.length || !NAME_START.test(chars[j].c)) {
      out.push(ch);
      continue;
    }
    let name = '';
    while (j < chars.length && NAME_CHAR.test(chars[j].c)) name += chars[j++].c;
    let end: number;
    if (braces) {
      // `${_RANDOM 1 10}`: digits and spaces may follow the name before `}`.
      while (j < chars.length && (chars[j].c === ' ' || /\d/.test(chars[j].c))) j++;
      if (j >= chars.length || chars[j].c !== '}') {
        out.push(ch);
        continue;
      }
      end = j + 1;
    } else {
      const next = chars[j]?.c;
      if (next !== undefined && next !== ' ' && next !== '\t' && next !== ',' && next !== ')') {
        out.push(ch);
        continue;
      }
      end = j;
    }
    const def = defs.get(name);
    if (!def) {
      out.push(ch);
      continue;
    }
    const s = ch.s;
    const e = chars[end - 1].e;
    const mk = (text: string): Ch[] => Array.from(text, (c) => ({ c, s, e, x: true }));
    out.push(...mk(def.lines[0]));
    if (def.lines.length > 1) extra = [...extra, ...def.lines.slice(1).map(mk)];
    changed = true;
    i = end - 1;
  }
  return { chars: out, extra, changed };
}

/** `$NAME=VALUE` (no blank before `=`); the value may end with `\` to continue on the next line. */
export function parseDefinition(text: string): { name: string; value: string; continued: boolean } | undefined {
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)=[ \t]*(.*)$/.exec(text);
  if (!m) return undefined;
  let value = m[2];
  const continued = value.endsWith('\\');
  if (continued) value = value.slice(0, -1).replace(/[ \t]+$/, '');
  return { name: m[1], value, continued };
}

export interface Generator {
  vars: string[];
  /** One set of values per generated line. */
  rows: string[][];
  /** The text after `)`, repeated per row. */
  textStart: number;
}

/** Most lines one `~SEQ`/`~LST` may generate before we stop (a typo could ask for billions). */
export const MAX_GENERATED_LINES = 10000;

/** Parses `~SEQ(var, [start,] [step,] end) text`, `~SEQx(...)` and `~LST(var, v1, v2, …) text`. */
export function parseGenerator(text: string): Generator | { error: string } {
  const seq = /^~SEQ(x?)\s*\(\s*([^\s,)]+)\s*,([^)]*)\)\s*/.exec(text);
  if (seq) {
    const nums = seq[3].split(',').map((p) => p.trim());
    if (nums.some((p) => !/^[-+]?(0x[0-9a-f]+|\d+)$/i.test(p))) return { error: `invalid ~SEQ parameters '${seq[3].trim()}'` };
    const v = nums.map((p) => Number(p));
    let start: number, step: number, end: number;
    if (v.length === 1) [end, step, start] = [v[0], v[0] < 1 ? -1 : 1, v[0] < 0 ? -1 : 1];
    else if (v.length === 2) [start, end, step] = [v[0], v[1], v[0] <= v[1] ? 1 : -1];
    else if (v.length === 3) [start, step, end] = v;
    else return { error: '~SEQ takes 1 to 3 numbers after the variable' };
    if (step === 0 || (start < end && step < 0) || (start > end && step > 0)) return { error: `~SEQ never reaches ${end} from ${start} in steps of ${step}` };
    const hex = seq[1] === 'x';
    const rows: string[][] = [];
    for (let x = start; step > 0 ? x <= end : x >= end; x += step) {
      // One row past the limit, so the parser sees that it was exceeded and says so.
      if (rows.length > MAX_GENERATED_LINES) break;
      rows.push([hex ? x.toString(16) : String(x)]);
    }
    return { vars: [seq[2]], rows, textStart: seq[0].length };
  }
  const lst = /^~LST\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,([^)]*)\)\s*/.exec(text);
  if (lst) {
    const values = lst[2]
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    return { vars: [lst[1]], rows: values.slice(0, MAX_GENERATED_LINES + 1).map((v) => [v]), textStart: lst[0].length };
  }
  // Multi-variable ~LST({a,b},{1,2},…) and other forms: accepted, not expanded.
  return { vars: [], rows: [], textStart: text.length };
}
