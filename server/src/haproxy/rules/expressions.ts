// haproxy/unknown-fetch, haproxy/unknown-converter, haproxy/fetch-arguments: the sample expressions of every
// live statement (ACL criteria, anonymous ACLs in conditions, `%[…]` in any argument, and the expression
// arguments of actions and stick rules), checked by ../expressions.ts against the target version.
import { lineRange } from '../../core/range';
import { checkExpression, conditionCriteria, formatExpressions, type ExprFinding } from '../expressions';
import type { Resolved, Statement } from '../types';
import { SectionMemo, unlessClean } from './sectionMemo';
import { isLive, type RuleContext } from './context';
import type { Rule } from '../../core/rule';
import { META } from './meta';

/** Rule keywords whose action word may be followed by a sample expression. */
const ACTION_KEYWORDS = new Set(['http-request', 'http-response', 'http-after-response', 'tcp-request content', 'tcp-request session', 'tcp-request connection', 'tcp-response content']);

/** Actions whose next word is a sample expression. */
const EXPR_ACTIONS = /^(set-var\(.*\)|track-sc\d+|capture|set-src|set-dst|set-src-port|set-dst-port|set-priority-class|set-priority-offset)$/;

const STICK = new Set(['stick on', 'stick match', 'stick store-request', 'stick store-response']);

/** One sample expression of a statement: in word `k`, at `offset` in that word's value. */
export interface Site {
  k: number;
  text: string;
  offset: number;
  acl: boolean;
}

/**
 * The places of one statement that hold a sample expression. Reads the words through the statement's
 * accessors (no word objects): it runs on every live statement, and most hold no expression at all.
 */
export function expressionSites(name: string | undefined, st: Statement, argStart: number, formats = true): Site[] | undefined {
  const count = st.count;
  let out: Site[] | undefined;
  // Words inside `{ … }` and the values of an `acl` line are patterns, not formats.
  let patternFrom = count;
  let braceWords: Set<number> | undefined;
  if (name === 'acl') {
    out = wholeWord(out, st, argStart + 1, true);
    patternFrom = argStart + 1;
  } else if (name && STICK.has(name)) {
    out = wholeWord(out, st, argStart, false);
  } else if (name === 'http-check set-var' || name === 'tcp-check set-var') {
    out = wholeWord(out, st, argStart, false);
  } else if (name && ACTION_KEYWORDS.has(name) && EXPR_ACTIONS.test(st.value(argStart) ?? '')) {
    out = wholeWord(out, st, argStart + 1, false);
  }
  if (name !== 'acl') {
    let cond = -1;
    for (let i = argStart; i < count; i++) {
      const v = st.value(i);
      if (v === 'if' || v === 'unless') {
        cond = i;
        break;
      }
    }
    if (cond >= 0) {
      for (const i of conditionCriteria(st.values(cond + 1))) out = wholeWord(out, st, cond + 1 + i, true);
      let depth = 0;
      for (let i = cond + 1; i < count; i++) {
        const v = st.value(i);
        if (v === '{') depth++;
        else if (v === '}') depth = Math.max(0, depth - 1);
        else if (depth > 0) (braceWords ??= new Set()).add(i);
      }
    }
  }
  // `formats: false`: the caller knows no word of the file holds a '%' (RuleContext.mayHold).
  for (let i = argStart; formats && i < count; i++) {
    if (i >= patternFrom || braceWords?.has(i) || st.dynamic(i)) continue;
    const v = st.value(i)!;
    if (!v.includes('%')) continue;
    for (const f of formatExpressions(v)) (out ??= []).push({ k: i, text: f.text, offset: f.offset, acl: false });
  }
  return out;
}

/** `out` with word `k` of `st` added as one whole expression (a function, not a closure made per line). */
function wholeWord(out: Site[] | undefined, st: Statement, k: number, acl: boolean): Site[] | undefined {
  if (k >= st.count || st.dynamic(k)) return out;
  (out ??= []).push({ k, text: st.value(k)!, offset: 0, acl });
  return out;
}

export const expressionsRule: Rule<RuleContext> = {
  meta: META['haproxy/unknown-fetch'],
  alsoReports: [META['haproxy/unknown-converter'], META['haproxy/fetch-arguments']],
  check: checkExpressions,
};

/** Sections whose expressions all checked clean: an edit re-checks only the edited section's. */
const clean = new SectionMemo<true>();

export function checkExpressions(ctx: RuleContext): void {
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const list = ctx.sectionStatements[s];
    if (list) unlessClean(ctx, clean, sections[s], () => checkSection(ctx, list));
  }
}

function checkSection(ctx: RuleContext, list: readonly Resolved[]): true {
  const formats = ctx.mayHold('%');
  for (const r of list) {
    if (!isLive(r.st) || r.status === 'removed' || r.status === 'not-yet') continue;
    const found = expressionSites(r.name, r.st, r.argStart, formats);
    if (found === undefined) continue;
    for (const s of found) {
      for (const f of findingsOf(s.text, ctx.version, s.acl)) report(ctx, r.st, s, f);
    }
  }
  return true;
}

/**
 * The findings of one expression text, remembered: a config repeats the same few criteria (`hdr(host)`,
 * `path_beg`, `src`) on thousands of lines, and the result depends only on the text, the version and
 * whether it is an ACL criterion. Offsets are relative to the text, so they hold wherever it is written.
 */
const seen = new Map<string, readonly ExprFinding[]>();
const SEEN_MAX = 20_000;

function findingsOf(text: string, version: string, acl: boolean): readonly ExprFinding[] {
  const key = `${acl ? 'a' : 'e'}${version}\u0000${text}`;
  let found = seen.get(key);
  if (found === undefined) {
    if (seen.size >= SEEN_MAX) seen.clear();
    found = checkExpression(text, version, { acl });
    seen.set(key, found);
  }
  return found;
}

function report(ctx: RuleContext, st: Statement, s: Site, f: ExprFinding): void {
  // Offsets map onto the line only when the word is written as HAProxy reads it (no quotes or escapes).
  const exact = st.plain(s.k) || st.raw(s.k) === st.value(s.k);
  const start = st.start(s.k);
  const range = exact ? lineRange(st.line, start + s.offset + f.start, start + s.offset + f.end) : ctx.wordRange(st, s.k);
  // The findings are cached per text and version (../expressions.ts is pure); the wording of where the
  // version came from is added here.
  ctx.report(f.code, range, ctx.options.haproxyVersionFromHosts ? f.message.replace('(the target version)', '(what your hosts run)') : f.message);
}
