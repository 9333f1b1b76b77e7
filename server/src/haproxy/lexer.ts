// Splits one line into words the way HAProxy 2.6's parse_line() does (src/tools.c), keeping the source
// range of every word. One pass over the characters, no regular expressions: it runs on every line of
// 100k-line files.
import type { SyntaxIssue, Word } from './types';
import { DYNAMIC, QUOTED, SLOTS } from './statement';
import { HAPROXY_MAX_WORDS as MAX_WORDS_IMPORT } from '../core/limits';

const HAPROXY_MAX_WORDS = MAX_WORDS_IMPORT;

export interface LexedLine {
  words: Word[];
  commentStart?: number;
  /** A blank followed the last word: HAProxy counts an empty extra argument then. */
  trailingBlank: boolean;
}

const SPACE = 32;
const TAB = 9;
const VT = 11;
const FF = 12;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const DOLLAR = 36;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === VT || c === FF;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isVarChar(c: number): boolean {
  return isAlpha(c) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Lexes `text[from, to)` (one line without its newline). Columns in the result are relative to `from`.
 * Problems HAProxy rejects the line for are appended to `issues`; the words found so far are kept.
 */
export function lexLine(text: string, from: number, to: number, line: number, issues: SyntaxIssue[]): LexedLine {
  const words: Word[] = [];
  const code = lexWords(text, from, to, line, issues, words);
  return { words, commentStart: code >= 2 ? (code >> 1) - 1 : undefined, trailingBlank: (code & 1) === 1 };
}

/**
 * Where the lexer writes words: their source strings, their values where they differ, and SLOTS ints
 * each (start, end, flags) in a typed array that grows. The parser keeps one per parse and every
 * statement of that parse reads its words from it (statement.ts), so a file costs a few arrays, not an
 * object (or an array) per word or per line.
 */
export class WordBuffer {
  /** Source string of every word; made with room for `capacity` words (an array grown by push was copied
   * again at every doubling: 6 MB of garbage for a 30,000-line file). */
  readonly raws: string[];
  /** Words pushed so far. */
  size = 0;
  /** Value of every word where it differs from the source; absent until one does. */
  unquoted: (string | undefined)[] | undefined;
  pos: Int32Array;
  /** Index of the current line's first word. */
  lineFirst = 0;

  constructor(capacity = 64) {
    this.pos = new Int32Array(capacity * SLOTS);
    this.raws = new Array<string>(capacity);
  }

  /** Starts a new line: its words go after the previous lines' ones. */
  startLine(): void {
    this.lineFirst = this.size;
  }

  push(raw: string, value: string | undefined, start: number, end: number, flags: number): void {
    const i = this.size++;
    if (value !== undefined && this.unquoted === undefined) this.unquoted = new Array<string | undefined>(i).fill(undefined);
    if (this.unquoted !== undefined) this.unquoted.push(value);
    this.raws[i] = raw;
    const p = i * SLOTS;
    if (p + SLOTS > this.pos.length) {
      const bigger = new Int32Array(this.pos.length * 2);
      bigger.set(this.pos);
      this.pos = bigger;
    }
    this.pos[p] = start;
    this.pos[p + 1] = end;
    this.pos[p + 2] = flags;
  }

  /** Number of words of the current line. */
  get count(): number {
    return this.size - this.lineFirst;
  }

  /** Column where word `k` of the current line starts. */
  startOf(k: number): number {
    return this.pos[(this.lineFirst + k) * SLOTS];
  }

  endOf(k: number): number {
    return this.pos[(this.lineFirst + k) * SLOTS + 1];
  }

  /** Drops the spare capacity of the columns once every line is read. */
  trim(): void {
    const used = this.size * SLOTS;
    if (used < this.pos.length) this.pos = this.pos.slice(0, used);
    this.raws.length = this.size;
  }
}

/** Recently seen short words, so the thousands of `server`, `check`, `if` … of a big file share one string
 * each instead of one copy per occurrence (fewer objects for the garbage collector to move). */
const INTERN_BITS = 12;
const internTable: (string | undefined)[] = new Array(1 << INTERN_BITS).fill(undefined);
const INTERN_MAX = 24;

function sliceWord(text: string, start: number, end: number): string {
  if (end - start > INTERN_MAX) return text.slice(start, end);
  let h = 0;
  for (let k = start; k < end; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return internWord(text, start, end, h);
}

/** sliceWord() with the hash of the characters (h = h * 31 + c from 0) already taken while reading them. */
function internWord(text: string, start: number, end: number, h: number): string {
  const len = end - start;
  if (len > INTERN_MAX) return text.slice(start, end);
  const slot = (h ^ (h >>> INTERN_BITS) ^ len) & ((1 << INTERN_BITS) - 1);
  const cand = internTable[slot];
  if (cand !== undefined && cand.length === len && text.startsWith(cand, start)) return cand;
  const s = text.slice(start, end);
  internTable[slot] = s;
  return s;
}

/**
 * lexLine() without the result object: appends the words to `words` and returns
 * `(commentStart + 1) * 2 + trailingBlank` (0 when there is no comment and no trailing blank).
 * The parser calls it for every line with one reused array. `plainFastPath: false` reads every word
 * with the full reader (the tests compare both).
 */
export function lexWords(text: string, from: number, to: number, line: number, issues: SyntaxIssue[], words: Word[], plainFastPath = true): number {
  const buf = new WordBuffer();
  buf.startLine();
  const code = lexInto(text, from, to, line, issues, buf, plainFastPath);
  for (let k = 0; k < buf.count; k++) {
    const raw = buf.raws[k];
    const flags = buf.pos[k * SLOTS + 2];
    words.push({
      raw,
      value: buf.unquoted?.[k] ?? raw,
      start: buf.startOf(k),
      end: buf.endOf(k),
      quoted: (flags & QUOTED) !== 0,
      dynamic: (flags & DYNAMIC) !== 0,
    });
  }
  return code;
}

/** lexWords() into a WordBuffer (after its startLine()): what the parser runs on every line. */
export function lexInto(text: string, from: number, to: number, line: number, issues: SyntaxIssue[], words: WordBuffer, plainFastPath = true): number {
  let i = from;
  // HAProxy stops at a carriage return anywhere on the line.
  while (i < to && isBlank(text.charCodeAt(i))) i++;
  let commentStart: number | undefined;
  let trailingBlank = false;
  let separators = 0;
  let tooMany = false;

  while (i < to) {
    const c0 = text.charCodeAt(i);
    if (c0 === 13) break;
    if (c0 === HASH) {
      commentStart = i - from;
      break;
    }
    let stop = false;
    // biome-ignore lint/suspicious/noConfusingLabels: a labelled block lets the fast path leave to the full reader without a flag test per character
    word: {
      // Most words are plain (no quote, backslash or '$'): read them in a tight loop first, and fall back
      // to the full reader below from the word's start when one of those shows up.
      if (plainFastPath) {
        let j = i;
        let c = c0;
        let hash = 0; // sliceWord()'s hash, taken in the same pass
        while (c > 36 ? c !== BACKSLASH && c !== SQUOTE : c === 33 /* ! */) {
          hash = (Math.imul(hash, 31) + c) | 0;
          if (++j === to) break;
          c = text.charCodeAt(j);
        }
        if (j === to || c === SPACE || c === TAB || c === HASH || c === 13 || c === VT || c === FF) {
          words.push(internWord(text, i, j, hash), undefined, i - from, j - from, 0);
          i = j;
          stop = c === 13;
          break word;
        }
      }
      // One word: runs until an unquoted blank, '#', CR or the end.
      const wStart = i;
      let simple = true; // no quotes, escapes or variables: value === raw
      let quoted = false;
      let dynamic = false;
      let value = '';
      let chunk = i; // start of the pending literal run copied into `value`
      let squote = false;
      let dquote = false;
      let quoteAt = -1;
      let failed = false;
      while (i < to) {
        const c = text.charCodeAt(i);
        if (c >= 45 && c !== BACKSLASH) {
          i++;
          continue;
        }
        if (c === 13) {
          stop = true;
          break;
        }
        if (c === HASH && !squote && !dquote) break;
        if (c === DQUOTE && !squote) {
          if (simple) simple = false;
          value += text.slice(chunk, i);
          quoted = true;
          dquote = !dquote;
          quoteAt = dquote ? i : -1;
          chunk = ++i;
          continue;
        }
        if (c === SQUOTE && !dquote) {
          simple = false;
          value += text.slice(chunk, i);
          quoted = true;
          squote = !squote;
          quoteAt = squote ? i : -1;
          chunk = ++i;
          continue;
        }
        if (c === BACKSLASH && !squote) {
          const n = i + 1 < to ? text.charCodeAt(i + 1) : 0;
          let out: string | undefined;
          let len = 2;
          switch (n) {
            case SPACE:
            case BACKSLASH:
            case HASH:
            case SQUOTE:
            case DQUOTE:
              out = String.fromCharCode(n);
              break;
            case 116: // t
              out = '\t';
              break;
            case 110: // n
              out = '\n';
              break;
            case 114: // r
              out = '\r';
              break;
            case DOLLAR:
              if (dquote) out = '$';
              break;
            case 120: // x
              if (i + 3 < to && isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3))) {
                out = String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
                len = 4;
              } else {
                issues.push({
                  line,
                  start: i - from,
                  end: Math.min(to, i + 4) - from,
                  message: 'truncated or invalid hexadecimal escape: write \\x followed by two hex digits, or \\\\x for a literal backslash',
                });
                failed = true;
              }
              break;
            default:
              break;
          }
          if (failed) break;
          if (out !== undefined) {
            simple = false;
            value += text.slice(chunk, i) + out;
            i += len;
            chunk = i;
          } else {
            i++; // the backslash stays as is (e.g. \1 in a regex)
          }
          continue;
        }
        if (isBlank(c) && !squote && !dquote) break;
        if (c === DOLLAR && dquote) {
          simple = false;
          dynamic = true;
          value += text.slice(chunk, i);
          const r = readVariable(text, i, to, line, from, issues);
          if (!r) {
            failed = true;
            break;
          }
          value += r.fallback;
          i = r.next;
          chunk = i;
          continue;
        }
        i++;
      }
      const wEnd = i;
      if (!failed && (squote || dquote)) {
        issues.push({
          line,
          start: quoteAt - from,
          end: to - from,
          message: `unmatched ${squote ? 'single' : 'double'} quote: close it, or escape it with a backslash if it is part of the value`,
        });
        failed = true;
      }
      if (!simple) value += text.slice(chunk, wEnd);
      const raw = sliceWord(text, wStart, wEnd);
      words.push(raw, simple || value === raw ? undefined : value, wStart - from, wEnd - from, (quoted ? QUOTED : 0) | (dynamic ? DYNAMIC : 0));
      if (failed) {
        // HAProxy drops the whole line; we keep what was read so later rules have something to point at,
        // but nothing after the error position.
        return commentStart === undefined ? 0 : (commentStart + 1) * 2;
      }
    }
    if (stop || i >= to) break;
    const c = text.charCodeAt(i);
    if (c === HASH) {
      commentStart = i - from;
      break;
    }
    if (isBlank(c)) {
      while (i < to && isBlank(text.charCodeAt(i))) i++;
      separators++;
      if (separators >= HAPROXY_MAX_WORDS && !tooMany) tooMany = true;
      if (i >= to || text.charCodeAt(i) === HASH || text.charCodeAt(i) === 13) {
        trailingBlank = true;
        if (i < to && text.charCodeAt(i) === HASH) commentStart = i - from;
        break;
      }
    }
  }
  if (tooMany) {
    const n = words.count;
    issues.push({
      line,
      start: n ? words.startOf(Math.min(n - 1, HAPROXY_MAX_WORDS - 1)) : 0,
      end: n ? words.endOf(n - 1) : 0,
      message: `too many words on one line: HAProxy accepts at most ${HAPROXY_MAX_WORDS}; split the statement (e.g. several http-request lines or an ACL file)`,
    });
  }
  return (commentStart === undefined ? 0 : (commentStart + 1) * 2) + (trailingBlank ? 1 : 0);
}

interface VarRead {
  next: number;
  /** What the variable contributes statically: its `${V-default}` default, else ''. */
  fallback: string;
}

function readVariable(text: string, at: number, to: number, line: number, from: number, issues: SyntaxIssue[]): VarRead | undefined {
  let i = at + 1;
  const brace = i < to && text.charCodeAt(i) === 123 ? i++ : -1;
  const c = i < to ? text.charCodeAt(i) : 0;
  if (!isAlpha(c) && c !== 95 && c !== 46) {
    issues.push({
      line,
      start: at - from,
      end: Math.min(to, i + 1) - from,
      message: "'$' inside double quotes starts an environment variable, but no valid name follows: write \\$ for a literal dollar sign or use single quotes",
    });
    return undefined;
  }
  const nameStart = i;
  if (c === 46) i++;
  while (i < to && isVarChar(text.charCodeAt(i))) i++;
  if (c === 46) {
    const name = text.slice(nameStart, i);
    if (name !== '.LINE' && name !== '.FILE' && name !== '.SECTION') {
      issues.push({
        line,
        start: at - from,
        end: i - from,
        message: `unknown internal variable '${name}': only .LINE, .FILE and .SECTION exist`,
      });
      return undefined;
    }
  }
  let fallback = '';
  if (brace >= 0) {
    if (i < to && text.charCodeAt(i) === 91) {
      // ${V[*]} word expansion
      if (text.slice(i, i + 3) !== '[*]') {
        issues.push({ line, start: i - from, end: Math.min(to, i + 3) - from, message: "invalid word expansion: only '${NAME[*]}' is allowed" });
        return undefined;
      }
      i += 3;
    }
    if (i < to && text.charCodeAt(i) === 45) {
      const close = text.indexOf('}', i);
      if (close < 0 || close >= to) {
        issues.push({ line, start: brace - from, end: to - from, message: "unmatched '{' in environment variable: close it with '}'" });
        return undefined;
      }
      fallback = text.slice(i + 1, close);
      i = close;
    } else if (i >= to || text.charCodeAt(i) !== 125) {
      issues.push({ line, start: brace - from, end: i - from, message: "unmatched '{' in environment variable: close it with '}'" });
      return undefined;
    }
    i++;
  }
  return { next: i, fallback };
}
