// One line of a haproxy.cfg as compact data: the words' source strings in one array, their columns and
// flags in a typed array shared by every statement of a parse, and the unquoted values only for the words
// that need them. A big file has millions of words; one object per word kept the garbage collector busy
// for a quarter of a check, so rules read words through the accessors below, by index.
// Word and Activity live here, below types.ts (which re-exports them), so the two never import each other.
/** One word of a statement as HAProxy splits it (quotes joined, escapes undone). */
export interface Word {
  /** Source text of the word, quotes and backslashes included. */
  raw: string;
  /** What HAProxy sees after unquoting and unescaping. Environment variables are replaced by their
   * `${V-default}` default when one is written, else by the empty string (see `dynamic`). */
  value: string;
  /** Column where the word starts and ends ([start, end)) on `line`. */
  start: number;
  end: number;
  /** The word contains a quoted piece. */
  quoted: boolean;
  /** The word expands an environment variable, so its real value is only known at run time. */
  dynamic: boolean;
}

/** Whether a line takes part in the configuration, from the enclosing `.if` blocks. */
export type Activity = 'active' | 'inactive' | 'unknown';

/** Flags per word in the position buffer. */
export const QUOTED = 1;
export const DYNAMIC = 2;

/** Ints per word in the position buffer: start column, end column, flags. */
export const SLOTS = 3;

/** Where the words of a parse live (the lexer's WordBuffer): read-only once the parse is done. */
export interface WordStore {
  /** Source text of every word, quotes and backslashes included. */
  readonly raws: readonly string[];
  /** What HAProxy sees, per word, where it differs from the source (quotes, escapes, variables);
   * absent when every word of the parse is plain. */
  readonly unquoted: readonly (string | undefined)[] | undefined;
  /** Columns and flags: SLOTS ints per word. */
  readonly pos: Int32Array;
}

export class Statement {
  /** 0 or 1: how many leading words are the `no` / `default` modifier (assemble() sets it with setModifier()). */
  readonly mod: number = 0;
  /** Number of words, the modifier excluded. A field, not a getter: rules read it in every loop, and a
   * getter call stays a call until V8 optimises the caller (most of a one-shot check runs before that). */
  readonly count: number;
  activity: Activity = 'active';

  constructor(
    public line: number,
    /** Position in `doc.statements`: the key of what the analysis remembers about it (analysisCache.ts). */
    public index: number,
    private readonly store: WordStore,
    /** Index in `store` of the first word (the modifier, when there is one). */
    private readonly first: number,
    /** Number of words, the modifier included. */
    private readonly n: number,
    /** Column of an unescaped `#` comment on the line, if any. */
    readonly commentStart: number | undefined,
  ) {
    this.count = n;
  }

  /** Marks the first word as a `no` / `default` modifier (1) or not (0). */
  setModifier(mod: 0 | 1): void {
    (this as { mod: number }).mod = mod;
    (this as { count: number }).count = this.n - mod;
  }

  /** What HAProxy sees of word `k` (after unquoting and unescaping; `${V-default}` gives its default,
   * else ''); undefined past the last word. `k = -1` is the modifier, when there is one. */
  value(k: number): string | undefined {
    const j = k + this.mod;
    if (j < 0 || j >= this.n) return undefined;
    const i = this.first + j;
    const unquoted = this.store.unquoted;
    if (unquoted !== undefined) {
      const v = unquoted[i];
      if (v !== undefined) return v;
    }
    return this.store.raws[i];
  }

  /** Source text of word `k`, quotes and backslashes included. */
  raw(k: number): string | undefined {
    const j = k + this.mod;
    return j < 0 || j >= this.n ? undefined : this.store.raws[this.first + j];
  }

  /** Source text of words [from, count) joined by single spaces. */
  rawText(from: number): string {
    let out = '';
    for (let k = from; k < this.count; k++) out += (k === from ? '' : ' ') + this.raw(k);
    return out;
  }

  /** Column where word `k` starts. */
  start(k: number): number {
    return this.store.pos[(this.first + k + this.mod) * SLOTS];
  }

  /** Column after word `k`. */
  end(k: number): number {
    return this.store.pos[(this.first + k + this.mod) * SLOTS + 1];
  }

  /** Column after the last word. */
  get lastEnd(): number {
    return this.store.pos[(this.first + this.n - 1) * SLOTS + 1];
  }

  /** Word `k` contains a quoted piece. */
  quoted(k: number): boolean {
    return (this.store.pos[(this.first + k + this.mod) * SLOTS + 2] & QUOTED) !== 0;
  }

  /** Word `k` expands an environment variable: its real value is only known at run time. */
  dynamic(k: number): boolean {
    return (this.store.pos[(this.first + k + this.mod) * SLOTS + 2] & DYNAMIC) !== 0;
  }

  /** Whether `value(k) === raw(k)` (no quotes, escapes or variables). */
  plain(k: number): boolean {
    return this.store.unquoted === undefined || this.store.unquoted[this.first + k + this.mod] === undefined;
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
    const j = k + this.mod;
    if (j < 0 || j >= this.n) return undefined;
    return { raw: this.raw(k)!, value: this.value(k)!, start: this.start(k), end: this.end(k), quoted: this.quoted(k), dynamic: this.dynamic(k) };
  }

  /** The `no` / `default` modifier, when assemble() found one. */
  get modifier(): Word | undefined {
    return this.mod ? this.word(-1) : undefined;
  }

  /** Every word as an object, the modifier excluded (tests and one-off tools; allocates). */
  get words(): Word[] {
    const out: Word[] = [];
    for (let k = 0; k < this.count; k++) out.push(this.word(k)!);
    return out;
  }
}
