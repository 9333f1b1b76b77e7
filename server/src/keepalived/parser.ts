// Tolerant keepalived.conf parser: reads the main file and its includes as one stream (as keepalived
// does), expands definitions and generators, and builds a tree of blocks using the keyword schema to tell
// keyword blocks from data blocks. Never throws; linear in the input size.
import * as path from 'node:path';
import type { Range } from '../core/types';
import { looksBinary, type SourceHost } from '../core/sourceHost';
import { lineRange, splitLines } from '../core/range';
import { KEEPALIVED_MAX_LINE, MAX_ANALYSED_LINE, MAX_INCLUDE_DEPTH, MAX_INCLUDE_FILES } from '../core/limits';
import { charsText, decomment, expand, parseDefinition, parseGenerator, predefined, toChars, tokenize, MAX_GENERATED_LINES, type Ch, type Definition, type Token } from './lexer';
import { childBlock, isKnownKind, keywordIn, ROOT_KIND } from './keywords';
import type { KaBlock, KaCondition, KaStatement, KeepalivedDoc } from './types';

const INCLUDE_RE = /^(include[rmwba]?)[ \t]+(.*)$/;
/** Unclosed blocks reported one by one before a single summary finding. */
const MAX_UNCLOSED_REPORTS = 20;
/** How far up the block stack the missing-`}` recovery looks. */
const MAX_RECOVERY_DEPTH = 64;
import { MAX_INCLUDE_BYTES, MAX_INCLUDE_READS } from '../core/limits';
import { plural } from '../core/plural';
import { severityOf } from '../core/rule';
import { META, type KeepalivedCode } from './rules/meta';
export { MAX_INCLUDE_READS };

interface LineCtx {
  file: string;
  line: number;
  condition?: KaCondition;
  commentCol?: number;
}

export function parseKeepalived(file: string, text: string, host: SourceHost): KeepalivedDoc {
  const root: KaBlock = { kind: ROOT_KIND, value: false, file, children: [] };
  const doc: KeepalivedDoc = { file, root, statements: [], includes: [], definitions: [], sources: new Map([[file, text]]), watched: new Set(), diagnostics: [], bracesRecovered: false };
  const p = new Parser(doc, host);
  p.readFile(file, text, 0, [file]);
  p.finish();
  return doc;
}

class Parser {
  private stack: KaBlock[];
  private pending: KaStatement | undefined;
  private readonly defs: Map<string, Definition>;
  private multiline: Definition | undefined;
  private generated = 0;
  private includeReads = 0;
  /** Characters of included text read so far in this parse (MAX_INCLUDE_BYTES). */
  private includeBytes = 0;
  /** Set when MAX_INCLUDE_READS or MAX_INCLUDE_BYTES stopped the reading: later includes are skipped silently. */
  private includesStopped = false;
  /** The depth limit was reported once already. */
  private depthReported = false;
  /** Files read by this parse (for the top-level read-once rule). */
  private readonly readFiles = new Set<string>();
  /** Glob results of this parse, by absolute pattern. */
  private readonly globs = new Map<string, string[]>();
  /** Include findings already reported (file, line, message). */
  private readonly includeFindings = new Set<string>();
  private strayOpens = 0;

  constructor(
    private readonly doc: KeepalivedDoc,
    private readonly host: SourceHost,
  ) {
    this.stack = [doc.root];
    this.defs = predefined(path.dirname(doc.file));
  }

  /** Records a parse finding; its severity comes from the code's metadata (rules/meta.ts) or its named variant. */
  private error(file: string, range: Range, message: string, code: KeepalivedCode = 'keepalived/syntax', variant?: string): void {
    this.doc.diagnostics.push({ file, range, severity: severityOf(META[code], variant), code, message });
  }

  readFile(file: string, text: string, depth: number, chain: string[]): void {
    const lines = splitLines(text);
    for (let n = 0; n < lines.length; n++) {
      let raw = lines[n];
      const bytes = raw.length > KEEPALIVED_MAX_LINE / 4 ? Buffer.byteLength(raw, 'utf8') : raw.length;
      // fgets() into a 1024-byte buffer: 1023 bytes of text at most, the rest is read as another line.
      if (bytes >= KEEPALIVED_MAX_LINE) {
        this.error(
          file,
          lineRange(n, 0, raw.length),
          `line is ${bytes} bytes; keepalived reads at most ${KEEPALIVED_MAX_LINE - 1} bytes per line and treats the rest as a new line. Split it (a block can span several lines).`,
        );
      }
      if (raw.length > MAX_ANALYSED_LINE) raw = raw.slice(0, MAX_ANALYSED_LINE);
      this.readLine(toChars(raw), { file, line: n }, depth, chain);
    }
  }

  private readLine(input: Ch[], ctx: LineCtx, depth: number, chain: string[]): void {
    const d = decomment(input);
    if (d.openQuoteCol !== undefined) {
      this.error(ctx.file, lineRange(ctx.line, d.openQuoteCol, d.openQuoteCol + 1), 'unterminated quote: this `"` is never closed on its line; add the closing `"` (quoted words cannot span lines).');
    }
    if (d.commentAt !== undefined) ctx = { ...ctx, commentCol: input[d.commentAt].s };
    let chars = d.chars;
    let start = 0;
    while (start < chars.length && (chars[start].c === ' ' || chars[start].c === '\t')) start++;
    chars = chars.slice(start);
    let end = chars.length;
    while (end > 0 && /[ \t\r]/.test(chars[end - 1].c)) end--;
    chars = chars.slice(0, end);

    if (this.multiline) {
      // Continuation of `$NAME=… \`: every line up to one not ending in `\` belongs to the value.
      const t = charsText(chars);
      const more = t.endsWith('\\');
      const value = more ? t.slice(0, -1).replace(/[ \t]+$/, '') : t;
      if (value !== '') this.multiline.lines.push(value);
      if (!more || t === '') this.multiline = undefined;
      return;
    }
    if (chars.length === 0) return;
    let text = charsText(chars);

    const inc = INCLUDE_RE.exec(text);
    if (inc) {
      this.include(inc[1], inc[2].trim(), ctx, chars, depth, chain);
      return;
    }

    if (text.startsWith('@')) {
      const negate = text[1] === '^';
      const idStart = negate ? 2 : 1;
      const blank = text.search(/[ \t]/);
      if (blank < 0) return; // `@id` with nothing after it: keepalived drops the line
      const condition: KaCondition = {
        id: text.slice(idStart, blank),
        negate,
        range: lineRange(ctx.line, chars[0].s, chars[blank - 1].e),
      };
      let rest = blank;
      while (rest < chars.length && (chars[rest].c === ' ' || chars[rest].c === '\t')) rest++;
      chars = chars.slice(rest);
      text = text.slice(rest);
      ctx = { ...ctx, condition };
      if (chars.length === 0) return;
    }

    if (text.startsWith('$')) {
      const def = parseDefinition(text);
      if (def) {
        const entry: Definition = { name: def.name, lines: [def.value] };
        this.defs.set(def.name, entry);
        if (def.continued) this.multiline = entry;
        this.doc.definitions.push({ name: def.name, value: def.value, file: ctx.file, range: lineRange(ctx.line, chars[0].s, chars[chars.length - 1].e) });
        return;
      }
      if (/^\$[A-Za-z_][A-Za-z0-9_]*[ \t]+=/.test(text)) {
        this.error(ctx.file, lineRange(ctx.line, chars[0].s, chars[chars.length - 1].e), 'bad definition: keepalived allows no blank between the name and `=`; write `$NAME=VALUE`.');
        return;
      }
    }

    if (text.startsWith('~SEQ') || text.startsWith('~LST')) {
      this.generate(text, chars, ctx, depth, chain);
      return;
    }

    this.emitExpanded(chars, ctx);
  }

  private emitExpanded(chars: Ch[], ctx: LineCtx): void {
    let extra: Ch[][] = [];
    if (chars.some((c) => c.c === '$')) {
      const ex = expand(chars, this.defs);
      if (ex.runaway) {
        this.error(
          ctx.file,
          lineRange(ctx.line, chars[0].s, chars[chars.length - 1].e),
          'definitions on this line keep expanding (a definition refers to itself?); fix the `$NAME` definitions it uses.',
        );
      }
      if (ex.changed) {
        // keepalived runs the comment scan again on the substituted text (so `$_HASH` starts a comment).
        chars = decomment(ex.chars).chars;
        extra = ex.extra;
      }
    }
    this.emitTokens(tokenize(chars), ctx);
    for (const more of extra) this.emitTokens(tokenize(decomment(more).chars), ctx);
  }

  private generate(text: string, chars: Ch[], ctx: LineCtx, depth: number, chain: string[]): void {
    const g = parseGenerator(text);
    const range = lineRange(ctx.line, chars[0].s, chars[chars.length - 1].e);
    if ('error' in g) {
      this.error(ctx.file, range, `${g.error}; write ~SEQ(var, start, step, end) followed by the line to repeat.`);
      return;
    }
    const body = chars.slice(g.textStart);
    if (body.length === 0 || g.rows.length === 0) return;
    const saved = g.vars.map((v) => this.defs.get(v));
    for (const row of g.rows) {
      if (this.generated >= MAX_GENERATED_LINES) {
        this.error(
          ctx.file,
          range,
          `generators in this file produce more than ${MAX_GENERATED_LINES} lines; only the first ${MAX_GENERATED_LINES} are checked.`,
          'keepalived/syntax',
          'generator-limit',
        );
        break;
      }
      this.generated++;
      for (const [i, v] of g.vars.entries()) this.defs.set(v, { name: v, lines: [row[i]] });
      const t = charsText(body);
      if (t.startsWith('~SEQ') || t.startsWith('~LST')) this.generate(t, body, ctx, depth, chain);
      else this.emitExpanded(body, ctx);
    }
    g.vars.forEach((v, i) => {
      const old = saved[i];
      if (old) this.defs.set(v, old);
      else this.defs.delete(v);
    });
  }

  private include(keyword: string, pattern: string, ctx: LineCtx, chars: Ch[], depth: number, chain: string[]): void {
    // Once a parse-wide limit stopped the reading, later includes are neither read nor reported again.
    if (this.includesStopped) return;
    const range = lineRange(ctx.line, chars[0].s, chars[chars.length - 1].e);
    const abs = path.isAbsolute(pattern) ? pattern : path.resolve(path.dirname(ctx.file), pattern);
    // The same pattern in many files (every conf.d file saying `include conf.d/*.conf`) lists the folder once per parse.
    let matches = this.globs.get(abs);
    if (!matches) this.globs.set(abs, (matches = this.host.glob(abs, MAX_INCLUDE_FILES + 1)));
    const ref = { file: ctx.file, keyword, pattern, range, files: [] as string[] };
    this.doc.includes.push(ref);
    // An include line inside a file that is read several times is visited several times: each distinct
    // finding is reported once.
    const report = (message: string, variant?: 'not-read') => {
      const key = `${ctx.file}\0${ctx.line}\0${message}`;
      if (this.includeFindings.has(key)) return;
      this.includeFindings.add(key);
      // The default (a warning) when keepalived reads on; the 'not-read' variant when part of the config is lost.
      this.error(ctx.file, range, message, 'keepalived/include-missing', variant);
    };
    if (matches.length > MAX_INCLUDE_FILES) {
      report(`${keyword} ${pattern}: matches more than ${MAX_INCLUDE_FILES} files; only the first ${MAX_INCLUDE_FILES} are read and checked. Narrow the pattern.`);
      matches = matches.slice(0, MAX_INCLUDE_FILES);
    }
    // A file created later that the pattern names (or matches) brings this include back: it is watched.
    this.doc.watched.add(abs);
    if (matches.length === 0) {
      report(`${keyword} ${pattern}: no file matches ${abs}; keepalived only logs this${keyword === 'include' ? '' : ' and counts it as a configuration error'}. Fix the path or remove the line.`);
      return;
    }
    // A top-level include of a file this parse already read would define everything in it twice; reading
    // it again is also how `include *.conf` in every file fans out. Inside a block, a shared fragment
    // (the same authentication block in every instance) is read each time, as keepalived does.
    const topLevel = this.stack.length === 1;
    const cycles: string[] = [];
    const tooDeep: string[] = [];
    const again: string[] = [];
    try {
      for (const m of matches) {
        if (chain.includes(m)) {
          cycles.push(m);
          continue;
        }
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
          tooDeep.push(m);
          continue;
        }
        if (topLevel && this.readFiles.has(m)) {
          again.push(m);
          continue;
        }
        if (++this.includeReads > MAX_INCLUDE_READS) {
          this.includesStopped = true;
          report(
            `${keyword} ${pattern}: this configuration reads more than ${MAX_INCLUDE_READS} included files (includes that include each other many times over); the rest is not read. Include each file once.`,
            'not-read',
          );
          return;
        }
        const read = this.host.readText(m);
        if (!read.ok) {
          this.doc.watched.add(m);
          report(`${keyword} ${pattern}: ${read.reason}`);
          continue;
        }
        if (looksBinary(read.text)) {
          this.doc.watched.add(m);
          report(`${keyword} ${pattern}: ${m} contains NUL bytes and looks binary, not a keepalived config; it is not read.`);
          continue;
        }
        this.includeBytes += read.text.length;
        if (this.includeBytes > MAX_INCLUDE_BYTES) {
          this.includesStopped = true;
          report(
            `${keyword} ${pattern}: included files add up to more than ${MAX_INCLUDE_BYTES} characters in this configuration; ${m} and everything after it is not read. Include each file once.`,
            'not-read',
          );
          return;
        }
        this.readFiles.add(m);
        ref.files.push(m);
        this.doc.sources.set(m, read.text);
        this.readFile(m, read.text, depth + 1, [...chain, m]);
      }
    } finally {
      if (cycles.length === 1) {
        const m = cycles[0];
        report(
          `${keyword} ${pattern}: ${m} is already being read (include cycle ${[...chain.slice(chain.indexOf(m)), m].map((f) => path.basename(f)).join(' → ')}); remove one of the includes.`,
          'not-read',
        );
      } else if (cycles.length > 1) {
        report(
          `${keyword} ${pattern}: ${cycles.length} of the files it matches are already being read (include cycles, e.g. ${[...chain.slice(chain.indexOf(cycles[0])), cycles[0]].map((f) => path.basename(f)).join(' → ')}); remove the includes that point back.`,
          'not-read',
        );
      }
      // Reported at the first include that hits the depth limit only: in a fan-out every file at the
      // deepest level would say the same.
      if (tooDeep.length && !this.depthReported) this.depthReported = true;
      else tooDeep.length = 0;
      if (tooDeep.length === 1) report(`${keyword} ${pattern}: includes nest deeper than ${MAX_INCLUDE_DEPTH} levels; ${tooDeep[0]} is not read. Flatten the include chain.`, 'not-read');
      else if (tooDeep.length > 1)
        report(`${keyword} ${pattern}: includes nest deeper than ${MAX_INCLUDE_DEPTH} levels; ${plural(tooDeep.length, 'file')} it matches are not read. Flatten the include chain.`, 'not-read');
      if (again.length) {
        report(
          `${keyword} ${pattern}: ${again.length === 1 ? `${again[0]} was` : `${again.length} of the files it matches were`} already read at the top level of this configuration; keepalived reads ${again.length === 1 ? 'it' : 'them'} again and defines everything twice. haconf checks each top-level include once. Include each file once.`,
        );
      }
    }
  }

  private emitTokens(tokens: Token[], ctx: LineCtx): void {
    let words: Token[] = [];
    const flush = (isLast: boolean) => {
      if (!words.length) return;
      const last = words[words.length - 1];
      const st: KaStatement = {
        file: ctx.file,
        line: ctx.line,
        words: words.map((w) => ({ text: w.text, range: lineRange(ctx.line, w.s, w.e), quoted: w.quoted, ...(w.expanded ? { expanded: true } : {}) })),
        range: lineRange(ctx.line, words[0].s, last.e),
        parent: this.top(),
      };
      if (ctx.condition) st.condition = ctx.condition;
      if (isLast && ctx.commentCol !== undefined) {
        st.commentStart = { line: ctx.line, character: ctx.commentCol };
        if (!last.quoted && !last.expanded && last.e === ctx.commentCol) st.cutWord = true;
      }
      words = [];
      this.statement(st);
    };
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === 'word') {
        words.push(t);
        continue;
      }
      flush(false);
      const r = lineRange(ctx.line, t.s, t.e);
      if (t.kind === 'open') this.open(r, ctx.file);
      else this.close(r, ctx.file);
    }
    flush(true);
  }

  private top(): KaBlock {
    return this.stack[this.stack.length - 1];
  }

  private statement(st: KaStatement): void {
    this.recoverMissingClose(st);
    st.parent = this.top();
    st.parent.children.push(st);
    this.doc.statements.push(st);
    this.pending = st;
  }

  /**
   * A keyword that does not fit the current block but fits an enclosing one most likely means a `}` is
   * missing. Root-level blocks (vrrp_instance, virtual_server…) always end what is open; other keywords
   * only when indented no deeper than the open block's header. Each auto-closed block is reported.
   */
  private recoverMissingClose(st: KaStatement): void {
    if (this.stack.length < 2) return;
    const cur = this.top();
    if (cur.kind === undefined || !isKnownKind(cur.kind)) return;
    const kw = st.words[0].text;
    if (!cur.value && keywordIn(cur.kind, kw)) return;
    const limit = Math.max(0, this.stack.length - 1 - MAX_RECOVERY_DEPTH);
    for (let i = this.stack.length - 2; i >= limit; i--) {
      const anc = this.stack[i];
      if (anc.kind === undefined || anc.value) return;
      if (!keywordIn(anc.kind, kw)) continue;
      const below = this.stack[i + 1];
      const header = below.header;
      const rootOpener = anc.kind === ROOT_KIND && childBlock(ROOT_KIND, kw) !== undefined;
      const dedented = header !== undefined && header.file === st.file && st.range.start.character <= header.range.start.character;
      if (!rootOpener && !dedented) return;
      this.doc.bracesRecovered = true;
      for (let j = this.stack.length - 1; j > i; j--) {
        const b = this.stack[j];
        const where = b.header ?? undefined;
        const r = where ? where.words[0].range : (b.open ?? lineRange(0, 0, 0));
        const name = where ? where.words.map((w) => w.text).join(' ') : '{';
        this.error(
          where?.file ?? b.file,
          r,
          `missing \`}\`: block \`${name}\` opened on line ${r.start.line + 1} is not closed before \`${kw}\` on line ${st.line + 1}${st.file !== (where?.file ?? b.file) ? ` of ${path.basename(st.file)}` : ''}; add \`}\` where it ends.`,
        );
      }
      this.stack.length = i + 1;
      return;
    }
  }

  private open(range: Range, file: string): void {
    const cur = this.top();
    const header = this.pending && this.pending.parent === cur && !this.pending.block ? this.pending : undefined;
    let kind: string | undefined;
    let value = cur.value;
    if (!header) {
      this.doc.bracesRecovered = true;
      if (++this.strayOpens <= MAX_UNCLOSED_REPORTS) {
        this.error(file, range, 'unexpected `{` with no keyword before it; keepalived ignores it, so the next `}` closes the enclosing block. Remove it or put the block keyword before it.');
      }
    } else if (!cur.value && cur.kind !== undefined) {
      const edge = childBlock(cur.kind, header.words[0].text);
      kind = edge?.kind;
      value = edge?.value ?? false;
    }
    const block: KaBlock = { kind, value, file, open: range, children: [], parent: cur };
    if (header) {
      block.header = header;
      header.block = block;
    }
    this.stack.push(block);
    this.pending = undefined;
  }

  private close(range: Range, file: string): void {
    this.pending = undefined;
    if (this.stack.length === 1) {
      this.doc.bracesRecovered = true;
      this.error(file, range, 'extra `}`: no block is open here; remove it (or the block above was closed too early).');
      return;
    }
    this.top().close = range;
    this.stack.pop();
  }

  finish(): void {
    if (this.strayOpens > MAX_UNCLOSED_REPORTS) {
      this.error(
        this.doc.file,
        lineRange(0, 0, 0),
        `${this.strayOpens} \`{\` have no keyword before them (only the first ${MAX_UNCLOSED_REPORTS} are marked); this does not look like a keepalived configuration.`,
      );
    }
    const open = this.stack.slice(1);
    if (open.length > 0) this.doc.bracesRecovered = true;
    open.forEach((b, i) => {
      if (i >= MAX_UNCLOSED_REPORTS && i < open.length - 1) return;
      const where = b.header;
      const r = where ? where.words[0].range : (b.open ?? lineRange(0, 0, 0));
      const name = where ? where.words.map((w) => w.text).join(' ') : '{';
      const more = i === open.length - 1 && open.length > MAX_UNCLOSED_REPORTS ? ` (${open.length} blocks are open at the end of the file)` : '';
      this.error(where?.file ?? b.file, r, `missing \`}\`: block \`${name}\` is never closed${more}; add \`}\` where it ends.`);
    });
    this.stack.length = 1;
    for (const st of this.doc.statements) {
      if (st.block || st.parent.value || st.parent.kind === undefined) continue;
      const edge = childBlock(st.parent.kind, st.words[0].text);
      if (edge) {
        this.error(
          st.file,
          st.words[0].range,
          `\`${st.words[0].text}\` starts a block: write \`${st.words[0].text}${st.words.length > 1 ? ' …' : ''} {\` and put its ${edge.value ? 'entries' : 'keywords'} inside, closed by \`}\`.`,
        );
      }
    }
  }
}
