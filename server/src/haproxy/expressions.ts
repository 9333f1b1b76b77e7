// Sample expressions (`fetch(args),conv1(args),conv2`): where they appear in a statement, how they split,
// and their check against the fetch/converter data of the target version (fetchData.ts). Pure: text in,
// findings with offsets out; rules/expressions.ts turns them into diagnostics.
//
// Zero false errors is the bar, so the check only says what HAProxy itself refuses, measured against the
// real binaries (test/unit/haproxy-expressions.test.ts): a name no covered version knows, a name the
// target version does not have yet or no longer has, more arguments than the keyword takes, a missing
// argument of a kind HAProxy cannot leave empty (integer, userlist, server, mask), and an integer argument
// that is not a number. Names Lua scripts register (`lua.*`) and arguments that expand environment
// variables are never judged.
import { didYouMean } from '../core/schema';
import { fetchData, lookupAclKeyword, lookupConverter, lookupFetch, rangeStatus, sampleNames, type SampleKeyword } from './fetchData';

export type ExprCode = 'haproxy/unknown-fetch' | 'haproxy/unknown-converter' | 'haproxy/fetch-arguments';

export interface ExprFinding {
  code: ExprCode;
  /** Offsets in the checked text, [start, end). */
  start: number;
  end: number;
  message: string;
}

interface Call {
  name: string;
  start: number;
  nameEnd: number;
  end: number;
  /** The arguments as written (quotes kept), absent without parentheses. */
  args?: string[];
}

/** Splits `a(b,c),d` into calls; undefined when the text is not an expression (an unbalanced parenthesis). */
export function splitExpression(text: string): Call[] | undefined {
  const calls: Call[] = [];
  let i = 0;
  while (i <= text.length) {
    const start = i;
    while (i < text.length && text[i] !== '(' && text[i] !== ',') i++;
    const name = text.slice(start, i);
    const call: Call = { name, start, nameEnd: i, end: i };
    if (text[i] === '(') {
      const args: string[] = [];
      let cur = '';
      let quote = '';
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        const ch = text[i];
        if (ch === '\\' && i + 1 < text.length) {
          cur += ch + text[i + 1];
          i += 2;
          continue;
        }
        if (quote) {
          if (ch === quote) quote = '';
          cur += ch;
          i++;
          continue;
        }
        if (ch === '"' || ch === "'") {
          quote = ch;
          cur += ch;
          i++;
          continue;
        }
        if (ch === ')') {
          i++;
          break;
        }
        if (ch === ',') {
          args.push(cur);
          cur = '';
          i++;
          continue;
        }
        cur += ch;
        i++;
      }
      // `()` carries no argument; `(a,)` carries an empty second one, as in HAProxy.
      if (args.length || cur !== '') args.push(cur);
      call.args = args;
      call.end = i;
    }
    calls.push(call);
    if (i >= text.length) break;
    if (text[i] !== ',') return undefined;
    i++;
  }
  return calls;
}

/** Kinds HAProxy cannot take as empty: leaving them out is an error, unlike strings and proxy names. */
const NEEDED = new Set(['integer', 'userlist', 'server', 'mask4', 'mask6', 'ipv4', 'ipv6']);

function checkArgs(kind: 'fetch' | 'converter', spec: SampleKeyword, call: Call, out: ExprFinding[]): void {
  if (spec.argsFrom === 'manual') return;
  const given = call.args ?? [];
  const at = { start: call.start, end: call.end };
  if (!spec.variadic && given.length > spec.args.length) {
    const takes = spec.args.length === 0 ? 'takes no arguments' : `takes at most ${spec.args.length} argument${spec.args.length > 1 ? 's' : ''}`;
    out.push({ code: 'haproxy/fetch-arguments', ...at, message: `${kind} '${spec.name}' ${takes}, not ${given.length}: HAProxy refuses the extra ones` });
    return;
  }
  for (let i = 0; i < spec.args.length; i++) {
    const a = spec.args[i];
    const value = given[i];
    if (value === undefined || value === '') {
      if (!a.optional && NEEDED.has(a.kind)) {
        out.push({ code: 'haproxy/fetch-arguments', ...at, message: `${kind} '${spec.name}' needs its argument ${i + 1} (${a.kind})` });
        return;
      }
      continue;
    }
    if (a.kind === 'integer' && !value.includes('$') && !/^\s*[-+]?\d+\s*$/.test(value)) {
      out.push({ code: 'haproxy/fetch-arguments', ...at, message: `${kind} '${spec.name}': argument ${i + 1} must be an integer, not '${value}'` });
      return;
    }
  }
}

function statusMessage(kind: 'fetch' | 'converter', name: string, r: { added?: string; removed?: string }, version: string): string | undefined {
  const st = rangeStatus(r, version);
  // The data covers some branches only (fetchData().versions): "there in 3.0" does not claim 2.9 lacked it.
  if (st === 'not-yet') return `${kind} '${name}' does not exist in HAProxy ${version} (the target version); it is there in ${r.added}`;
  if (st === 'removed') {
    const versions = fetchData().versions;
    const last = versions[versions.indexOf(r.removed!) - 1];
    return `${kind} '${name}' is gone in HAProxy ${version} (the target version)${last ? `; ${last} still has it` : ''}`;
  }
  return undefined;
}

/** Names registered at run time: Lua (`core.register_fetches`/`register_converters`). */
function registeredAtRunTime(name: string): boolean {
  return name.startsWith('lua.');
}

/** Device-detection modules (WURFL, DeviceAtlas, 51Degrees) register fetches that their own manuals
 * document, not configuration.txt, and Debian does not build them: an unknown name there is not judged. */
function optionalModule(name: string): boolean {
  return /^(wurfl-|da-|51d\.)/.test(name);
}

export interface ExprOptions {
  /** The expression is an ACL criterion, where ACL keywords (`hdr_beg`, `path_end`, …) are allowed too. */
  acl?: boolean;
}

/** Checks one sample expression; offsets are relative to `text`. */
export function checkExpression(text: string, version: string, opts: ExprOptions = {}): ExprFinding[] {
  const out: ExprFinding[] = [];
  if (!text || text.includes('${')) return out;
  const calls = splitExpression(text);
  if (!calls) {
    // HAProxy: "missing closing ')' after arguments to fetch keyword".
    if (/^[a-z0-9_.+-]*\([^)]*$/i.test(text))
      out.push({ code: 'haproxy/fetch-arguments', start: 0, end: text.length, message: `missing ')' after the arguments of '${text.slice(0, text.indexOf('('))}'` });
    return out;
  }
  const [first, ...convs] = calls;
  if (!first.name) {
    if (first.args) out.push({ code: 'haproxy/unknown-fetch', start: first.start, end: first.end, message: 'missing sample fetch name before the arguments' });
    return out;
  }
  if (registeredAtRunTime(first.name)) return out;
  const aclKw = opts.acl ? lookupAclKeyword(first.name) : undefined;
  const fetch = lookupFetch(first.name);
  if (aclKw && rangeStatus(aclKw, version) === 'ok') {
    const base = lookupFetch(aclKw.fetch);
    if (base) checkArgs('fetch', { ...base, name: first.name }, first, out);
  } else if (fetch) {
    const msg = statusMessage('fetch', first.name, fetch, version);
    if (msg) out.push({ code: 'haproxy/unknown-fetch', start: first.start, end: first.nameEnd, message: msg });
    else checkArgs('fetch', fetch, first, out);
  } else if (!aclKw) {
    if (optionalModule(first.name)) return out;
    const hint = didYouMean(first.name, sampleNames('fetches', version));
    const asConv = lookupConverter(first.name) ? ` ('${first.name}' is a converter: it goes after a fetch and a comma)` : '';
    out.push({ code: 'haproxy/unknown-fetch', start: first.start, end: first.nameEnd, message: `unknown sample fetch '${first.name}'${asConv}${hint ? `; did you mean '${hint}'?` : ''}` });
    return out;
  }
  for (const c of convs) {
    if (!c.name || registeredAtRunTime(c.name)) continue;
    const conv = lookupConverter(c.name);
    if (!conv) {
      if (optionalModule(c.name)) continue;
      const hint = didYouMean(c.name, sampleNames('converters', version));
      out.push({ code: 'haproxy/unknown-converter', start: c.start, end: c.nameEnd, message: `unknown converter '${c.name}'${hint ? `; did you mean '${hint}'?` : ''}` });
      continue;
    }
    const msg = statusMessage('converter', c.name, conv, version);
    if (msg) out.push({ code: 'haproxy/unknown-converter', start: c.start, end: c.nameEnd, message: msg });
    else checkArgs('converter', conv, c, out);
  }
  return out;
}

/** `%[expr]` and `%{flags}[expr]` pieces of a log-format string: the expressions and their offsets. */
export function formatExpressions(text: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') continue;
    if (text[i + 1] === '%') {
      i++;
      continue;
    }
    let j = i + 1;
    if (text[j] === '{') {
      const close = text.indexOf('}', j);
      if (close < 0) break;
      j = close + 1;
    }
    if (text[j] !== '[') continue;
    // The expression ends at the first `]` outside parentheses (arguments may hold brackets, e.g. regexes).
    let depth = 0;
    let k = j + 1;
    for (; k < text.length; k++) {
      if (text[k] === '(') depth++;
      else if (text[k] === ')') depth = Math.max(0, depth - 1);
      else if (text[k] === ']' && depth === 0) break;
    }
    if (k >= text.length) break;
    out.push({ text: text.slice(j + 1, k), offset: j + 1 });
    i = k;
  }
  return out;
}

/** Words of a condition (`if`/`unless` …): the criteria of anonymous ACLs `{ criterion flags values }`. */
export function conditionCriteria(words: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '{' && i + 1 < words.length) out.push(i + 1);
  }
  return out;
}
