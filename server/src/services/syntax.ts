// Argument syntax as the manuals write it (`<name> <fmt>`, `[table <table>]`, `{ on | off }`,
// `(<var-name>[,<cond>...]) <expr>`): split into parameters for signature help, and turned into a snippet
// of the required arguments for completion. Pure string work; the data comes from the keyword and action
// files (haproxy/keywords.ts, haproxy/actionData.ts).
import type { ArgSpec } from '../core/schema';

export interface SyntaxParam {
  /** The parameter as written in the signature label. */
  label: string;
  /** Written inside `[…]`. */
  optional: boolean;
  /** `(…)` attached to the name (`set-var(<var-name>)`): not a word of its own. */
  attached: boolean;
  /** Literal values of a `{ a | b }` choice, or a bare literal word (`layer4`). */
  choices?: string[];
  /** Placeholder name of a required argument (`<name>` → `name`; a choice of placeholders → the first). */
  placeholder?: string;
  /** First literal word of an optional group (`[table <table>]` → `table`): the word that opens it. */
  lead?: string;
  /** Words the parameter takes (`[table <table>]` → 2). */
  words: number;
  /** Ends with `*` or `...`: may repeat. */
  repeats: boolean;
}

/** Top-level pieces of a syntax string: brackets, braces and parentheses kept whole. */
function pieces(syntax: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of syntax) {
    if (ch === '[' || ch === '{' || ch === '(' || ch === '<') depth++;
    else if (ch === ']' || ch === '}' || ch === ')' || ch === '>') depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function inner(piece: string): string {
  return piece.replace(/^[[{(]\s*/, '').replace(/\s*[\]})][*]?(\.\.\.)?$/, '');
}

/** Splits at `|` outside nested brackets (also used by scripts/gen-haproxy-actions.ts on the manuals). */
export function alternatives(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of text) {
    if ('[{(<'.includes(ch)) depth++;
    else if (']})>'.includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === '|' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

const LITERAL = /^[a-z0-9][a-z0-9._-]*$/i;

function placeholderOf(text: string): string | undefined {
  return /<([^<>]+)>?/.exec(text)?.[1]?.trim();
}

/** The parameters of a syntax string such as `<name> [ -m <meth> ]`. */
export function parseSyntax(syntax: string): SyntaxParam[] {
  const out: SyntaxParam[] = [];
  const list = pieces(syntax.trim());
  for (let i = 0; i < list.length; i++) {
    const piece = list[i];
    // An unbraced alternative (`<int> | <expr>`): one parameter.
    if (piece === '|' && out.length) {
      const prev = out[out.length - 1];
      if (list[i + 1]) prev.label += ` | ${list[++i]}`;
      continue;
    }
    const repeats = /(\*|\.\.\.)$/.test(piece);
    const base: SyntaxParam = { label: piece, optional: false, attached: i === 0 && piece.startsWith('('), words: 1, repeats };
    if (piece.startsWith('[')) {
      const body = inner(piece);
      const words = pieces(body);
      base.optional = true;
      base.words = Math.max(1, words.filter((w) => w !== '|').length);
      const first = words[0] ?? '';
      if (LITERAL.test(first)) base.lead = first;
      else if (first.startsWith('{')) {
        const alts = alternatives(inner(first));
        if (alts.every((a) => LITERAL.test(a))) {
          base.choices = alts;
          base.lead = alts[0];
        }
      }
      base.placeholder = placeholderOf(body);
    } else if (piece.startsWith('{')) {
      const alts = alternatives(inner(piece));
      if (alts.every((a) => LITERAL.test(a))) base.choices = alts;
      else base.placeholder = placeholderOf(alts[0] ?? piece);
    } else if (piece.startsWith('(')) {
      base.placeholder = placeholderOf(piece);
    } else if (piece.startsWith('<')) {
      base.placeholder = placeholderOf(piece);
    } else if (LITERAL.test(piece)) base.choices = [piece];
    out.push(base);
  }
  return out;
}

/** `${n:text}` with the characters a snippet treats specially escaped. */
function tabstop(n: number, text: string): string {
  return `\${${n}:${text.replace(/[$}\\]/g, (c) => `\\${c}`)}}`;
}

/**
 * The snippet for the required arguments of `syntax`, after the name: `(${1:var-name}) ${2:expr}`,
 * `${1|on,off|}`, `layer4`. Optional parameters are left out. Empty when nothing is required.
 */
export function syntaxSnippet(params: readonly SyntaxParam[]): string {
  let n = 1;
  let out = '';
  for (const p of params) {
    if (p.optional) continue;
    if (p.attached) {
      const names = inner(p.label)
        .replace(/\[[^\]]*\]/g, '')
        .split(',')
        .map((x) => placeholderOf(x))
        .filter((x): x is string => !!x);
      out += `(${names.map((x) => tabstop(n++, x)).join(',')})`;
      continue;
    }
    if (p.choices?.length === 1) out += ` ${p.choices[0]}`;
    else if (p.choices) out += ` \${${n++}|${p.choices.join(',')}|}`;
    else if (p.label.startsWith('<')) {
      // `<address>[:[port]]` → `${1:address}`; `<address>:<port_range>` → `${1:address}:${2:port_range}`.
      out += ` ${p.label.replace(/\[[^\]]*\]*\]?/g, '').replace(/<([^<>]+)>/g, (_, name: string) => tabstop(n++, name.trim()))}`;
    } else out += ` ${tabstop(n++, p.placeholder ?? 'value')}`;
  }
  return out.startsWith(' ') ? out.slice(1) : out;
}

/**
 * The syntax of keyword arguments from the keyword data (`<time>`, `[<arguments>]…`). `valuesOf` gives an
 * enum's values at the target version (HAProxy's `mode log` arrived in 3.1); all of them when absent.
 */
export function argsSyntax(args: readonly ArgSpec[], valuesOf: (arg: ArgSpec) => readonly string[] = (arg) => arg.values ?? []): string {
  return args
    .map((a) => {
      const values = a.type === 'enum' && a.values ? valuesOf(a) : [];
      const core = values.length && values.length <= 12 ? `{ ${values.join(' | ')} }` : `<${a.name}>`;
      const body = a.rest ? `${core}...` : core;
      return a.optional ? `[${body}]` : body;
    })
    .join(' ');
}

/**
 * Which parameter the `k`-th argument word (0-based, after the name) fills. Optional groups are skipped unless
 * the word opens them (`table` for `[table <table>]`); a repeating last parameter keeps the rest.
 */
export function activeParam(params: readonly SyntaxParam[], words: readonly string[], k: number): number {
  let p = params.length && params[0].attached ? 1 : 0;
  let w = 0;
  while (p < params.length) {
    const param = params[p];
    if (w >= k) return p;
    const word = words[w];
    if (param.optional && param.lead !== undefined && word !== param.lead && !param.choices?.includes(word)) {
      p++;
      continue;
    }
    if (w + param.words > k) return p;
    w += param.words;
    if (param.repeats && p === params.length - 1) return p;
    p++;
  }
  return Math.max(0, params.length - 1);
}
