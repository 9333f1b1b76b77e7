// The corosync layer's registry: the model builder, then the rules, each run isolated (core/rule.ts).
// To add a rule: write a `Rule<RuleContext>` (its RuleMeta and its check) next to the others and append it
// to the list below.
import { RuleRegistry, type Builder } from '../../core/rule';
import { buildContextModel, RuleContext } from './context';
import { keysCheck, syntaxCheck } from './keys';
import { duplicatesCheck, nodeidsCheck, nodelistCheck } from './nodes';
import { expectedVotesCheck, twoNodeCheck } from './quorum';
import { bindnetaddrCheck, cryptoCheck, linksCheck } from './transport';
import { linkRules } from './links';

export { RuleContext };

export const modelBuilder: Builder<RuleContext> = { name: 'corosync model', build: buildContextModel };

export const corosyncRules = new RuleRegistry<RuleContext>(
  'corosync',
  [modelBuilder],
  [syntaxCheck, keysCheck, nodelistCheck, nodeidsCheck, duplicatesCheck, twoNodeCheck, expectedVotesCheck, cryptoCheck, linksCheck, bindnetaddrCheck, ...linkRules],
);
