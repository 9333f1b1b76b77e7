// haproxy/unknown-fetch, haproxy/unknown-converter, haproxy/fetch-arguments: the sample expressions of every
// live statement (ACL criteria, anonymous ACLs in conditions, `%[…]` in any argument, and the expression
// arguments of actions and stick rules), checked by ../expressions.ts against the target version.
import { lineRange } from '../../core/range';
import { checkExpression, conditionCriteria, formatExpressions, type ExprFinding } from '../expressions';
import type { Statement, Word } from '../types';
import { isLive, type RuleContext } from './context';
import type { Rule } from '../../core/rule';
import { META } from './meta';

/** Rule keywords whose action word may be followed by a sample expression. */
const ACTION_KEYWORDS = new Set([
  'http-request', 'http-response', 'http-after-response', 'tcp-request content', 'tcp-request session',
  'tcp-request connection', 'tcp-response content',
]);

/** Actions whose next word is a sample expression. */
const EXPR_ACTIONS = /^(set-var\(.*\)|track-sc\d+|capture|set-src|set-dst|set-src-port|set-dst-port|set-priority-class|set-priority-offset)$/;

const STICK = new Set(['stick on', 'stick match', 'stick store-request', 'stick store-response']);

interface Site { word: Word; text: string; offset: number; acl: boolean }

/** The places of one statement that hold a sample expression. */
function sites(name: string | undefined, st: Statement, argStart: number): Site[] {
  const words = st.words;
  const out: Site[] = [];
  const whole = (w: Word | undefined, acl = false) => {
    if (w && !w.dynamic) out.push({ word: w, text: w.value, offset: 0, acl });
  };
  // Words inside `{ … }` and the values of an `acl` line are patterns, not formats.
  const pattern = new Set<number>();
  if (name === 'acl') {
    whole(words[argStart + 1], true);
    for (let i = argStart + 1; i < words.length; i++) pattern.add(i);
  } else if (name && STICK.has(name)) {
    whole(words[argStart]);
  } else if (name === 'http-check set-var' || name === 'tcp-check set-var') {
    whole(words[argStart]);
  } else if (name && ACTION_KEYWORDS.has(name) && EXPR_ACTIONS.test(words[argStart]?.value ?? '')) {
    whole(words[argStart + 1]);
  }
  const cond = words.findIndex((w, i) => i >= argStart && (w.value === 'if' || w.value === 'unless'));
  if (cond >= 0 && name !== 'acl') {
    const values = words.slice(cond + 1).map((w) => w.value);
    for (const i of conditionCriteria(values)) whole(words[cond + 1 + i], true);
    let depth = 0;
    for (let i = cond + 1; i < words.length; i++) {
      if (words[i].value === '{') depth++;
      else if (words[i].value === '}') depth = Math.max(0, depth - 1);
      else if (depth > 0) pattern.add(i);
    }
  }
  for (let i = argStart; i < words.length; i++) {
    const w = words[i];
    if (pattern.has(i) || w.dynamic || !w.value.includes('%')) continue;
    for (const f of formatExpressions(w.value)) out.push({ word: w, text: f.text, offset: f.offset, acl: false });
  }
  return out;
}

export const expressionsRule: Rule<RuleContext> = {
  meta: META['haproxy/unknown-fetch'],
  alsoReports: [META['haproxy/unknown-converter'], META['haproxy/fetch-arguments']],
  check: checkExpressions,
};

export function checkExpressions(ctx: RuleContext): void {
  for (const list of ctx.bySection.values()) {
    for (const r of list) {
      if (!isLive(r.st) || r.status === 'removed' || r.status === 'not-yet') continue;
      for (const s of sites(r.name, r.st, r.argStart)) {
        for (const f of checkExpression(s.text, ctx.version, { acl: s.acl })) report(ctx, r.st, s, f);
      }
    }
  }
}

function report(ctx: RuleContext, st: Statement, s: Site, f: ExprFinding): void {
  // Offsets map onto the line only when the word is written as HAProxy reads it (no quotes or escapes).
  const exact = s.word.raw === s.word.value;
  const range = exact
    ? lineRange(st.line, s.word.start + s.offset + f.start, s.word.start + s.offset + f.end)
    : ctx.wordRange(st, s.word);
  ctx.report(f.code, range, f.message);
}
