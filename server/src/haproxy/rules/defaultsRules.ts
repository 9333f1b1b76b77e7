// Statements HAProxy refuses in an anonymous `defaults` section. Since 2.5 a defaults section may carry
// http-request / http-response / http-after-response and tcp-request / tcp-response rules, but only when it
// has a name (proxies then take it with `from NAME`); an anonymous defaults refuses them while parsing,
// whether or not a proxy uses it. Checked with the real `haproxy -c` 2.6, 3.0 and 3.2, which all say
// "'http-request' not allowed in anonymous 'defaults' section." (tcp-*: "… is not allowed in anonymous
// 'defaults' sections"; tcp-response: "… only allowed in 'backend' sections or 'defaults' section with a name").
// Before 2.5 no defaults section took rules at all; that is the keyword schema's business, not this rule's.
import type { Rule } from '../../core/rule';
import type { RuleMeta } from '../../core/types';
import { compareVersions } from '../../core/schema';
import { isLive, type RuleContext } from './context';

const RULE_KEYWORDS = new Set(['http-request', 'http-response', 'http-after-response', 'tcp-request', 'tcp-response']);

export const anonymousDefaultsMeta: RuleMeta = {
  code: 'haproxy/rule-in-anonymous-defaults',
  defaultSeverity: 'error',
  summary: 'An http-request / http-response / http-after-response / tcp-request / tcp-response rule in a defaults section without a name.',
  rationale:
    'HAProxy 2.5 and later accept such rules in a defaults section only when it is named (proxies take it with `from NAME`); in an anonymous defaults section haproxy -c refuses the configuration.',
  example: 'defaults\n    mode http\n    http-request deny if { path /admin }',
};

function checkAnonymousDefaults(ctx: RuleContext): void {
  if (compareVersions(ctx.version, '2.5') < 0) return;
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const section = sections[s];
    if (section.kind !== 'defaults' || section.name) continue;
    const list = ctx.bySection.get(section);
    if (!list) continue;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const keyword = r.st.value(0);
      if (!isLive(r.st) || r.st.mod || keyword === undefined || !RULE_KEYWORDS.has(keyword)) continue;
      ctx.report(
        anonymousDefaultsMeta,
        ctx.wordRange(r.st, 0),
        `'${keyword}' is not allowed in an anonymous 'defaults' section (HAProxy ${ctx.version} refuses it): name the section ('defaults NAME') and add 'from NAME' to the proxies that should inherit the rule, or move the rule into the frontend/backend`,
      );
    }
  }
}

export const anonymousDefaultsRule: Rule<RuleContext> = { meta: anonymousDefaultsMeta, check: checkAnonymousDefaults };
