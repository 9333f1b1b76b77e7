// The HAProxy layer's registry: builders first (they make the model every rule reads), then the rules,
// each run isolated (core/rule.ts). To add a rule: write a `Rule<RuleContext>` (its RuleMeta and its
// check) and append it to `rules` below; docs/rules.md, SARIF and the editor's code links follow from here.
import { RuleRegistry } from '../../core/rule';
import type { RuleContext } from './context';
import { keywordBuilder } from './keywords';
import { serverBuilder } from './servers';
import { proxyBuilder, duplicatesRule, modesRule, referencesRule, serverRulesRule, timeoutsRule } from './proxies';
import { argumentsRule } from './arguments';
import { securityRule } from './security';
import { expressionsRule } from './expressions';
import { finalNewlineRule, syntaxRule } from './syntax';
import { anonymousDefaultsRule, defaultsInheritanceRule } from './defaultsRules';
import { httpchkRule } from './httpchk';
import { CATALOGUE_ORDER } from './meta';

export const haproxyRules = new RuleRegistry<RuleContext>(
  'haproxy',
  [keywordBuilder, serverBuilder, proxyBuilder],
  [
    syntaxRule,
    argumentsRule,
    referencesRule,
    duplicatesRule,
    serverRulesRule,
    modesRule,
    timeoutsRule,
    anonymousDefaultsRule,
    defaultsInheritanceRule,
    httpchkRule,
    securityRule,
    expressionsRule,
    finalNewlineRule,
  ],
  CATALOGUE_ORDER,
);
