// Exact rewrites of HAProxy 1.x request/response filters (reqadd, reqdel, reqrep, rspadd, …, block) into
// the http-request / http-response actions that replaced them in 2.1. A rewrite is offered only when the new
// line does exactly what the old one did; otherwise the answer is the reason there is none, which the docs
// and the upgrade assistant show. Pure: reads the statement's words and its section's other lines.
//
// Why order matters: HAProxy 1.x ran a proxy's request rules in fixed phases, whatever their order in the
// file: `block` first (turned into http-request deny rules placed before the others), then the http-request
// rules, then the req* filters (reqrep, reqdel, reqdeny, …) in file order, then every reqadd. Once rewritten,
// all of them are http-request rules run in file order. So a line keeps its meaning only when no earlier
// line of its section ran in a later phase and no later line ran in an earlier one. Responses are the same
// with http-response, the rsp* filters and rspadd.
import type { Statement } from './statement';

export type LegacyRewrite = { text: string } | { reason: string };

type Direction = 'request' | 'response';

interface Legacy {
  direction: Direction;
  /** The phase HAProxy 1.x ran it in (see above). */
  phase: number;
  /** What it did, so the rewrite knows its arguments. */
  kind: 'add' | 'del' | 'rep' | 'verdict' | 'block';
  /** The regex was matched case-insensitively (the req*i* forms). */
  icase: boolean;
}

const BLOCK = 0;
const RULES = 1;
const FILTERS = 2;
const ADDS = 3;

const LEGACY: Record<string, Legacy> = {
  block: { direction: 'request', phase: BLOCK, kind: 'block', icase: false },
  reqadd: { direction: 'request', phase: ADDS, kind: 'add', icase: false },
  reqdel: { direction: 'request', phase: FILTERS, kind: 'del', icase: false },
  reqidel: { direction: 'request', phase: FILTERS, kind: 'del', icase: true },
  reqrep: { direction: 'request', phase: FILTERS, kind: 'rep', icase: false },
  reqirep: { direction: 'request', phase: FILTERS, kind: 'rep', icase: true },
  reqallow: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: false },
  reqiallow: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: true },
  reqpass: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: false },
  reqipass: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: true },
  reqdeny: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: false },
  reqideny: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: true },
  reqtarpit: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: false },
  reqitarpit: { direction: 'request', phase: FILTERS, kind: 'verdict', icase: true },
  rspadd: { direction: 'response', phase: ADDS, kind: 'add', icase: false },
  rspdel: { direction: 'response', phase: FILTERS, kind: 'del', icase: false },
  rspidel: { direction: 'response', phase: FILTERS, kind: 'del', icase: true },
  rsprep: { direction: 'response', phase: FILTERS, kind: 'rep', icase: false },
  rspirep: { direction: 'response', phase: FILTERS, kind: 'rep', icase: true },
  rspdeny: { direction: 'response', phase: FILTERS, kind: 'verdict', icase: false },
  rspideny: { direction: 'response', phase: FILTERS, kind: 'verdict', icase: true },
};

/** Whether `keyword` is one of the 1.x filters this module rewrites (or explains why not). */
export function isLegacyFilter(keyword: string): boolean {
  return Object.hasOwn(LEGACY, keyword);
}

/** The phase a line of a proxy ran in under HAProxy 1.x, for `direction`; undefined for other lines. */
function phaseOf(st: Statement, direction: Direction): number | undefined {
  const first = st.value(0);
  if (first === undefined) return undefined;
  if (first === (direction === 'request' ? 'http-request' : 'http-response')) return RULES;
  const legacy = LEGACY[first];
  return legacy && legacy.direction === direction ? legacy.phase : undefined;
}

/** An HTTP header name that is also a literal in a regex (no character a regex reads specially). */
const HEADER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The exact replacement of `st` (the whole statement, from its first word to its last), or why there is
 * none. `body` is the statement's section, in file order, so the phases can be compared.
 */
export function rewriteLegacyFilter(st: Statement, body: readonly Statement[]): LegacyRewrite | undefined {
  const keyword = st.value(0)!;
  const legacy = LEGACY[keyword];
  if (!legacy) return undefined;
  for (let k = 0; k < st.count; k++) if (st.dynamic(k)) return { reason: 'it uses an environment variable, so its value is only known at run time' };
  const order = orderProblem(st, body, legacy);
  if (order) return { reason: order };
  const action = legacy.direction === 'request' ? 'http-request' : 'http-response';
  const condAt = conditionIndex(st);
  const args = st.values(1).slice(0, condAt - 1);
  const cond = condAt < st.count ? ` ${st.rawText(condAt)}` : '';
  const built = rewriteArgs(keyword, legacy, args);
  if ('reason' in built) return built;
  return { text: `${action} ${built.text}${cond}` };
}

/**
 * The phases of a section's request and response lines, with, per line, the line before it that ran in the
 * latest phase and the line after it that ran in the earliest: one pass per section and direction, so a
 * section of thousands of 1.x filters is not compared pair by pair.
 */
interface PhaseIndex {
  position: Map<Statement, number>;
  /** Index of the line before position i with the highest phase (-1: none). */
  latestBefore: Int32Array;
  /** Index of the line after position i with the lowest phase (-1: none). */
  earliestAfter: Int32Array;
  phases: Int8Array;
}

/** Per section body (kept while the body array and its length are the same) and direction. */
const phaseIndexes = new WeakMap<readonly Statement[], { length: number; request?: PhaseIndex; response?: PhaseIndex }>();

function phaseIndex(body: readonly Statement[], direction: Direction): PhaseIndex {
  let entry = phaseIndexes.get(body);
  if (!entry || entry.length !== body.length) phaseIndexes.set(body, (entry = { length: body.length }));
  const known = entry[direction];
  if (known) return known;
  const n = body.length;
  const phases = new Int8Array(n).fill(-1);
  const position = new Map<Statement, number>();
  for (let i = 0; i < n; i++) {
    const st = body[i];
    position.set(st, i);
    if (st.activity !== 'inactive') phases[i] = phaseOf(st, direction) ?? -1;
  }
  const latestBefore = new Int32Array(n).fill(-1);
  for (let i = 1, best = -1; i < n; i++) {
    if (phases[i - 1] >= 0 && (best < 0 || phases[i - 1] > phases[best])) best = i - 1;
    latestBefore[i] = best;
  }
  const earliestAfter = new Int32Array(n).fill(-1);
  for (let i = n - 2, best = -1; i >= 0; i--) {
    if (phases[i + 1] >= 0 && (best < 0 || phases[i + 1] < phases[best])) best = i + 1;
    earliestAfter[i] = best;
  }
  const index = { position, latestBefore, earliestAfter, phases };
  entry[direction] = index;
  return index;
}

/** Why moving `st`'s line into file order changes when it runs, if it does. */
function orderProblem(st: Statement, body: readonly Statement[], legacy: Legacy): string | undefined {
  const action = legacy.direction === 'request' ? 'http-request' : 'http-response';
  let index = phaseIndex(body, legacy.direction);
  let at = index.position.get(st);
  if (at === undefined || body[at] !== st) {
    // The body changed in place since the index was made: make it again.
    phaseIndexes.delete(body);
    index = phaseIndex(body, legacy.direction);
    at = index.position.get(st);
    if (at === undefined) return undefined;
  }
  const before = index.latestBefore[at];
  if (before >= 0 && index.phases[before] > legacy.phase) {
    const other = body[before];
    return `line ${other.line + 1} ('${other.value(0)}') comes before it but HAProxy 1.x ran it after; an ${action} rule in its place would change the order, so move the lines by hand`;
  }
  const after = index.earliestAfter[at];
  if (after >= 0 && index.phases[after] < legacy.phase) {
    const other = body[after];
    return `line ${other.line + 1} ('${other.value(0)}') comes after it but HAProxy 1.x ran it before; an ${action} rule in its place would change the order, so move the lines by hand`;
  }
  return undefined;
}

/** Index of the `if`/`unless` word of a filter line, or `st.count` when it has none. */
function conditionIndex(st: Statement): number {
  for (let k = 1; k < st.count; k++) {
    const v = st.value(k);
    if (v === 'if' || v === 'unless') return k;
  }
  return st.count;
}

function rewriteArgs(keyword: string, legacy: Legacy, args: string[]): LegacyRewrite {
  switch (legacy.kind) {
    case 'block':
      return args.length === 0 ? { text: 'deny' } : { reason: "'block' takes only a condition" };
    case 'add':
      return rewriteAdd(args);
    case 'del':
      return rewriteDel(args);
    case 'rep':
      return legacy.icase ? { reason: `'${keyword}' matches case-insensitively and replace-header has no such flag` } : rewriteRep(args);
    case 'verdict':
      return {
        reason: `'${keyword}' matches its regex against the request line and every raw header line; no 2.1+ condition reads raw header lines, so write the ACL for what it meant (e.g. 'http-request deny if { path_beg /admin }')`,
      };
  }
}

/** `reqadd Name:\ value` → `add-header Name value` (a log-format value: `%` doubled). */
function rewriteAdd(args: string[]): LegacyRewrite {
  if (args.length !== 1) return { reason: 'it does not have exactly one header line argument' };
  const line = args[0];
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon) : '';
  if (!HEADER_NAME.test(name)) return { reason: `'${line}' is not a 'Name: value' header line` };
  const value = line.slice(colon + 1).trim();
  if (value === '') return { reason: 'the header has an empty value' };
  if (value.includes('\\')) return { reason: 'the value holds a backslash, which a log-format value reads differently' };
  const word = quoteWord(value.replace(/%/g, '%%'));
  if (word === undefined) return { reason: 'the value holds a single quote or a line break' };
  return { text: `add-header ${name} ${word}` };
}

/** `reqdel ^Name:` (optionally `.*`) → `del-header Name`. */
function rewriteDel(args: string[]): LegacyRewrite {
  if (args.length !== 1) return { reason: 'it does not have exactly one regex argument' };
  const m = /^\^([A-Za-z0-9_-]+):(?:\.\*)?\$?$/.exec(args[0]);
  if (!m) return { reason: `the regex '${args[0]}' does not name exactly one header ('^Name:'), so del-header cannot match the same lines` };
  return { text: `del-header ${m[1]}` };
}

/**
 * `reqrep ^Name:\ REGEX Name:\ REPLACEMENT` → `replace-header Name ^REGEX REPLACEMENT`: HAProxy 1.x replaced
 * the whole header line by the expanded replacement when the regex matched; replace-header replaces the
 * whole value the same way, with the same group numbers since the name part has no group.
 */
function rewriteRep(args: string[]): LegacyRewrite {
  if (args.length !== 2) return { reason: 'it does not have exactly a regex and a replacement' };
  const [search, replace] = args;
  const m = /^\^([A-Za-z0-9_-]+):(?: |\\s\*| \*|\[ \]\*)(.*)$/.exec(search);
  if (!m)
    return {
      reason: `the regex '${search}' does not start with '^Name:\\ ', so it may rewrite the request line or several headers; replace-header, replace-path and replace-uri each see only one of them`,
    };
  const name = m[1];
  const rest = m[2];
  const prefix = `${name}:`;
  if (!replace.startsWith(prefix)) return { reason: `the replacement does not keep the header name '${name}'` };
  const value = replace.slice(prefix.length).replace(/^ +/, '');
  if (value === '') return { reason: 'the replacement leaves the header empty' };
  if (/\\0/.test(value)) return { reason: 'the replacement uses \\0 (the whole line), which has no equivalent for a header value' };
  const regexWord = quoteWord(`^${rest}`);
  const valueWord = quoteWord(value.replace(/%/g, '%%'));
  if (regexWord === undefined || valueWord === undefined) return { reason: 'the regex or the replacement holds a single quote or a line break' };
  return { text: `replace-header ${name} ${regexWord} ${valueWord}` };
}

/**
 * One HAProxy word whose value is `value`: as is when nothing in it is special to the tokenizer, else in
 * single quotes (no escapes and no variables inside); undefined when it holds a single quote or a line break.
 */
export function quoteWord(value: string): string | undefined {
  if (/^[^\s#'"\\$]+$/.test(value)) return value;
  if (/['\r\n]/.test(value)) return undefined;
  return `'${value}'`;
}
