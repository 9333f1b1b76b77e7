// One line of a haproxy.cfg as compact data: the words' source strings in one array, their columns and
// flags in a typed array shared by every statement of a parse, and the unquoted values only for the words
// that need them. A big file has millions of words; one object per word kept the garbage collector busy
// for a quarter of a check, so rules read words through the accessors below, by index.
import type { Activity, Word } from './types';

/** Flags per word in the position buffer. */
export const QUOTED = 1;
export const DYNAMIC = 2;

/** Ints per word in the position buffer: start column, end column, flags. */
export const SLOTS = 3;

export class Statement {
  /** 0 or 1: how many leading words are the `no` / `default` modifier (set by assemble()). */
  mod = 0;
  activity: Activity = 'active';

  constructor(
    public line: number,
    /** Position in `doc.statements`: the key of what the analysis remembers about it (analysisCache.ts). */
    public index: number,
    /** Source text of every word, quotes and backslashes included, modifier first when there is one. */
    readonly raws: string[],
    /** What HAProxy sees, per word, where it differs from the source (quotes, escapes, variables);
     * absent when every word is plain. */
    readonly unquoted: (string | undefined)[] | undefined,
    /** Columns and flags of the words: SLOTS ints per word from `at`. */
    public pos: Int32Array,
    readonly at: number,
    /** Column of an unescaped `#` comment on the line, if any. */
    readonly commentStart: number | undefined,
  ) {}

  /** Number of words, the modifier excluded. */
  get count(): number {
    return this.raws.length - this.mod;
  }

  /** What HAProxy sees of word `k` (after unquoting and unescaping; `${V-default}` gives its default,
   * else ''); undefined past the last word. */
  value(k: number): string | undefined {
    const i = k + this.mod;
    if (this.unquoted !== undefined) {
      const v = this.unquoted[i];
      if (v !== undefined) return v;
    }
    return this.raws[i];
  }

  /** Source text of word `k`, quotes and backslashes included. */
  raw(k: number): string | undefined {
    return this.raws[k + this.mod];
  }

  /** Column where word `k` starts. */
  start(k: number): number {
    return this.pos[this.at + (k + this.mod) * SLOTS];
  }

  /** Column after word `k`. */
  end(k: number): number {
    return this.pos[this.at + (k + this.mod) * SLOTS + 1];
  }

  /** Column after the last word. */
  get lastEnd(): number {
    return this.pos[this.at + (this.raws.length - 1) * SLOTS + 1];
  }

  /** Word `k` contains a quoted piece. */
  quoted(k: number): boolean {
    return (this.pos[this.at + (k + this.mod) * SLOTS + 2] & QUOTED) !== 0;
  }

  /** Word `k` expands an environment variable: its real value is only known at run time. */
  dynamic(k: number): boolean {
    return (this.pos[this.at + (k + this.mod) * SLOTS + 2] & DYNAMIC) !== 0;
  }

  /** Whether `value(k) !== raw(k)`. */
  plain(k: number): boolean {
    return this.unquoted === undefined || this.unquoted[k + this.mod] === undefined;
  }

  /** The values of words [from, count). */
  values(from = 0): string[] {
    const out: string[] = [];
    for (let k = from; k < this.count; k++) out.push(this.value(k)!);
    return out;
  }

  /** Word `k` as an object, for the few models that keep a word (a server's name, a section's name);
   * undefined past the last word. Rules on hot paths read the accessors instead. */
  word(k: number): Word | undefined {
    return this.wordAt(k + this.mod);
  }

  /** The `no` / `default` modifier, when assemble() found one. */
  get modifier(): Word | undefined {
    return this.mod ? this.wordAt(0) : undefined;
  }

  /** Every word as an object, the modifier excluded (tests and one-off tools; allocates). */
  get words(): Word[] {
    const out: Word[] = [];
    for (let k = 0; k < this.count; k++) out.push(this.word(k)!);
    return out;
  }

  private wordAt(i: number): Word | undefined {
    if (i < 0 || i >= this.raws.length) return undefined;
    const p = this.at + i * SLOTS;
    const raw = this.raws[i];
    return {
      raw,
      value: this.unquoted?.[i] ?? raw,
      start: this.pos[p],
      end: this.pos[p + 1],
      quoted: (this.pos[p + 2] & QUOTED) !== 0,
      dynamic: (this.pos[p + 2] & DYNAMIC) !== 0,
    };
  }
}
