// The keepalived layer's registry: the model builder, then the rules, each run isolated (core/rule.ts).
// To add a rule: write a `Rule<RuleContext>` (its RuleMeta and its check) and append it to the list below.
import type { Diagnostic } from '../../core/types';
import { RuleRegistry, type Builder, type Rule } from '../../core/rule';
import type { KeepalivedDoc } from '../types';
import { buildModel, RuleContext } from './context';
import { checkUnknownKeywords } from './keywords';
import { checkValues } from './values';
import { checkVrrp } from './vrrp';
import { checkScripts } from './scripts';
import { parsingRules } from './parsing';
import { META, rules as CATALOGUE_ORDER } from './meta';

export const modelBuilder: Builder<RuleContext> = { name: 'keepalived script and global model', build: buildModel };

/** The parser records syntax and include findings while reading (parser.ts); this rule reports them first. */
export const parseFindingsRule: Rule<RuleContext> = {
  name: 'keepalived parse findings',
  meta: META['keepalived/syntax'],
  alsoReports: [META['keepalived/include-missing']],
  check: (ctx) => {
    for (const d of ctx.doc.diagnostics) ctx.diagnostics.push(d);
  },
};

export const unknownKeywordRule: Rule<RuleContext> = { meta: META['keepalived/unknown-keyword'], check: checkUnknownKeywords };

/** One walk per vrrp_instance checks its values and its authentication block. */
export const valuesRule: Rule<RuleContext> = {
  name: 'keepalived values',
  meta: META['keepalived/invalid-value'],
  alsoReports: [META['keepalived/auth-pass-truncated'], META['keepalived/auth-type-ah'], META['keepalived/auth-unsupported']],
  check: checkValues,
};

/** Preemption, weights and track references of the VRRP instances. */
export const vrrpRule: Rule<RuleContext> = {
  name: 'keepalived vrrp',
  meta: META['keepalived/nopreempt-master'],
  alsoReports: [META['keepalived/nopreempt-with-weight'], META['keepalived/address-owner-weight'], META['keepalived/undefined-reference']],
  check: checkVrrp,
};

/** One list of script uses serves both script rules. */
export const scriptsRule: Rule<RuleContext> = {
  name: 'keepalived scripts',
  meta: META['keepalived/script-security'],
  alsoReports: [META['keepalived/script-not-absolute'], META['keepalived/script-shell-syntax']],
  check: checkScripts,
};

export const keepalivedRules = new RuleRegistry<RuleContext>(
  'keepalived',
  [modelBuilder],
  [parseFindingsRule, unknownKeywordRule, valuesRule, vrrpRule, scriptsRule, ...parsingRules],
  CATALOGUE_ORDER,
);

export const rules = keepalivedRules.catalogue;

/** Runs every per-file rule over a parsed document; parse findings come first. */
/** `version`: the keepalived branch checked for ("2.2", "2.3"); undefined accepts every release's keywords. */
export function runRules(doc: KeepalivedDoc, version?: string, fromHosts?: boolean): Diagnostic[] {
  const ctx = new RuleContext(doc, version, fromHosts);
  keepalivedRules.run(ctx);
  return ctx.diagnostics;
}
