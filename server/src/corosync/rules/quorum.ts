// corosync/two-node-misuse and corosync/expected-votes: votequorum arithmetic the daemon does not check.
import type { RuleMeta } from '../../core/types';
import type { RelatedLocation } from '../../core/types';
import { flagOn, uintOf } from '../model';
import type { RuleContext } from './context';
import { plural } from '../../core/plural';
import type { Rule } from '../../core/rule';

export const twoNodeMisuseRule: RuleMeta = {
  code: 'corosync/two-node-misuse',
  defaultSeverity: 'error',
  summary: '`two_node: 1` with other than two nodes, with `expected_votes` other than 2, or with a quorum device or auto_tie_breaker.',
  rationale:
    'two_node lets a lone survivor keep quorum and only makes sense for exactly two one-vote nodes; corosync accepts it otherwise (`corosync -t` exits 0 on 3.1.7, 3.1.9, 3.1.10, and with more nodes it only implies wait_for_all), so the setting misleads rather than breaks: a warning.',
  example: 'quorum {\n    provider: corosync_votequorum\n    two_node: 1\n    expected_votes: 3\n}',
  variants: {
    accepted: { severity: 'warning', when: 'no quorum device and no auto_tie_breaker: corosync -t accepts the file and two_node only implies wait_for_all' },
  },
};

export const expectedVotesRule: RuleMeta = {
  code: 'corosync/expected-votes',
  defaultSeverity: 'warning',
  summary: '`expected_votes` differs from the votes of the nodelist.',
  rationale:
    'expected_votes overrides the count from the nodelist. Set lower, both halves of a split can be quorate (4 nodes with expected_votes 3); set higher, the cluster loses quorum earlier than it should.',
  example: 'quorum {\n    expected_votes: 3\n}\nnodelist {\n    node { … }  # four nodes\n}',
  fix: 'Sets expected_votes to the nodelist total.',
};

function nodeVotes(ctx: RuleContext): number {
  let sum = 0;
  for (const n of ctx.model.nodes) sum += uintOf(n.keys.get('quorum_votes')) ?? 1;
  return sum;
}

export function checkTwoNode(ctx: RuleContext): void {
  const { last, nodes, sections } = ctx.model;
  const twoNode = last.get('quorum.two_node');
  if (!twoNode || !flagOn(twoNode)) return;
  const reasons: string[] = [];
  const related: RelatedLocation[] = [];
  if (nodes.length > 0 && nodes.length !== 2) {
    reasons.push(`the nodelist has ${nodes.length} node${nodes.length === 1 ? '' : 's'}, not 2`);
    related.push(...nodes.slice(0, 5).map((n) => ctx.rel(n.section.name.range, 'node')));
  }
  const expected = last.get('quorum.expected_votes');
  const ev = uintOf(expected);
  if (expected && ev !== undefined && ev !== 2) {
    reasons.push(`expected_votes is ${ev}, not 2`);
    related.push(ctx.rel(expected.range, 'expected_votes'));
  }
  const device = sections.get('quorum.device')?.[0];
  if (device) {
    reasons.push('a quorum device is configured (it already breaks ties)');
    related.push(ctx.rel(device.name.range, 'quorum device'));
  }
  const atb = last.get('quorum.auto_tie_breaker');
  if (atb && flagOn(atb)) {
    reasons.push('auto_tie_breaker is on (votequorum refuses to combine them)');
    related.push(ctx.rel(atb.range, 'auto_tie_breaker'));
  }
  if (reasons.length === 0) return;
  // corosync -t accepts every one of these. Only a quorum device makes votequorum refuse the file
  // ("two_node and quorum device cannot be configured at the same time") and auto_tie_breaker turns two_node
  // off; with more nodes or other expected_votes two_node merely does nothing besides wait_for_all.
  const refused = device || (atb && flagOn(atb));
  ctx.report('two-node-misuse', twoNode.range, `two_node is only for a cluster of exactly two one-vote nodes, but ${reasons.join('; ')}. Remove two_node (or the conflicting setting).`, {
    related,
    variant: refused ? undefined : 'accepted',
  });
}

export function checkExpectedVotes(ctx: RuleContext): void {
  const { last, nodes } = ctx.model;
  const expected = last.get('quorum.expected_votes');
  const ev = uintOf(expected);
  if (!expected || ev === undefined || nodes.length === 0) return;
  // two_node with expected_votes other than 2 is already a two-node-misuse error.
  if (flagOn(last.get('quorum.two_node')) && ev !== 2) return;
  const deviceVotes = ctx.model.sections.has('quorum.device') ? (uintOf(last.get('quorum.device.votes')) ?? 0) : 0;
  const total = nodeVotes(ctx) + deviceVotes;
  if (ev === total) return;
  const detail = deviceVotes ? `${plural(nodes.length, 'node')} plus ${plural(deviceVotes, 'device vote')} = ${total}` : `${plural(nodes.length, 'node')} with ${plural(total, 'vote')} in total`;
  const effect =
    ev < total
      ? `a minority can be quorate: with ${ev} expected, ${Math.floor(ev / 2) + 1} votes make quorum, so two partitions may both run services`
      : `quorum needs ${Math.floor(ev / 2) + 1} votes, more than the cluster loses gracefully`;
  ctx.report('expected-votes', expected.value.range, `expected_votes is ${ev} but the nodelist has ${detail}; it overrides the nodelist count and ${effect}. Set it to ${total} or remove it.`, {
    related: nodes.slice(0, 5).map((n) => ctx.rel(n.section.name.range, 'node')),
    fixes: [{ title: `Set expected_votes to ${total}`, edits: [{ range: expected.value.range, newText: String(total) }] }],
  });
}

export const twoNodeCheck: Rule<RuleContext> = { meta: twoNodeMisuseRule, check: checkTwoNode };

export const expectedVotesCheck: Rule<RuleContext> = { meta: expectedVotesRule, check: checkExpectedVotes };
