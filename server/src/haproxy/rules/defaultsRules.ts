// Statements HAProxy refuses in an anonymous `defaults` section. Since 2.5 a defaults section may carry
// http-request / http-response / http-after-response and tcp-request / tcp-response rules, but only when it
// has a name (proxies then take it with `from NAME`); an anonymous defaults refuses them while parsing,
// whether or not a proxy uses it. Checked with the real `haproxy -c` 2.6, 3.0 and 3.2, which all say
// "'http-request' not allowed in anonymous 'defaults' section." (tcp-*: "… is not allowed in anonymous
// 'defaults' sections"; tcp-response: "… only allowed in 'backend' sections or 'defaults' section with a name").
// `acl` lines are refused there too ("'acl' not allowed in anonymous 'defaults' section."), by the same versions.
// Before 2.5 no defaults section took rules at all; that is the keyword schema's business, not this rule's.
import type { Rule } from '../../core/rule';
import type { RuleMeta } from '../../core/types';
import { compareVersions } from '../../core/schema';
import { isLive, type ProxyModel, type RuleContext } from './context';
import { readBefore } from './scope';

const RULE_KEYWORDS = new Set(['http-request', 'http-response', 'http-after-response', 'tcp-request', 'tcp-response']);
/** Refused in an anonymous defaults: the rules, and the ACLs they would use ("'acl' not allowed in anonymous 'defaults' section."). */
const NOT_IN_ANONYMOUS = new Set([...RULE_KEYWORDS, 'acl']);

export const anonymousDefaultsMeta: RuleMeta = {
  code: 'haproxy/rule-in-anonymous-defaults',
  defaultSeverity: 'error',
  summary: 'An http-request / http-response / http-after-response / tcp-request / tcp-response rule, or an acl, in a defaults section without a name.',
  rationale:
    'HAProxy 2.5 and later accept such rules in a defaults section only when it is named (proxies take it with `from NAME`); in an anonymous defaults section haproxy -c refuses the configuration.',
  example: 'defaults\n    mode http\n    http-request deny if { path /admin }',
};

function checkAnonymousDefaults(ctx: RuleContext): void {
  if (compareVersions(ctx.version, '2.5') < 0) return;
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const section = sections[s];
    if (section.kind !== 'defaults' || section.name) continue;
    const list = ctx.sectionStatements[s];
    if (!list) continue;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const keyword = r.st.value(0);
      if (!isLive(r.st) || r.st.mod || keyword === undefined || !NOT_IN_ANONYMOUS.has(keyword)) continue;
      ctx.report(
        anonymousDefaultsMeta,
        ctx.wordRange(r.st, 0),
        `'${keyword}' is not allowed in an anonymous 'defaults' section (HAProxy ${ctx.version} refuses it): name the section ('defaults NAME') and add 'from NAME' to the proxies that should inherit the rule, or move the rule into the frontend/backend`,
      );
    }
  }
}

export const anonymousDefaultsRule: Rule<RuleContext> = { meta: anonymousDefaultsMeta, check: checkAnonymousDefaults };

// Which proxies may inherit a named defaults section that carries rules. HAProxy checks this when a proxy
// takes its defaults (by `from NAME`, or as the last defaults read before it); haproxy -c 2.6, 3.0 and 3.2
// all refuse, on the proxy's header line:
//   defaults: "a defaults section cannot inherit from a defaults section defining TCP/HTTP rules" (`from`);
//   listen:   "a listen section cannot inherit from a defaults section defining TCP/HTTP rules."
//   frontend: "… cannot inherit from a defaults section defining 'tcp-response content' rules"
//   backend:  "… cannot inherit from a defaults section defining 'tcp-request connection' or 'tcp-request session' rules"
//   a frontend and a backend on the same one: "frontends and backends cannot inherit from the same defaults
//   section if it defines TCP/HTTP rules" (reported on the proxy that mixes them).
// http-check / tcp-check lines are not rules in this sense (a defaults with them serves both sides).

export const defaultsInheritanceMeta: RuleMeta = {
  code: 'haproxy/defaults-rules-inheritance',
  defaultSeverity: 'error',
  summary: 'A proxy inheriting a named defaults section whose TCP/HTTP rules it cannot take.',
  rationale:
    'Since 2.5 rules in a named defaults section are inherited, but haproxy -c refuses another defaults or a listen section inheriting them, a frontend inheriting tcp-response rules, a backend inheriting tcp-request connection/session rules, and frontends and backends sharing one such defaults section.',
  example: 'defaults web\n    mode http\n    http-request deny if { path /admin }\nfrontend www from web\n    bind :80\n    default_backend app\nbackend app from web\n    server a 127.0.0.1:8080',
};

export interface DefaultsRules {
  any: boolean;
  tcpResponse: boolean;
  tcpRequestEarly: boolean;
}

/** The kinds of TCP/HTTP rules a defaults section carries; split.ts puts them in a set's signature. */
export function rulesOf(d: ProxyModel): DefaultsRules {
  const found: DefaultsRules = { any: false, tcpResponse: false, tcpRequestEarly: false };
  for (let i = 0; i < d.statements.length; i++) {
    const st = d.statements[i].st;
    const keyword = st.value(0);
    if (!isLive(st) || st.mod || keyword === undefined || !RULE_KEYWORDS.has(keyword)) continue;
    found.any = true;
    if (keyword === 'tcp-response') found.tcpResponse = true;
    const ruleset = st.value(1);
    if (keyword === 'tcp-request' && (ruleset === 'connection' || ruleset === 'session')) found.tcpRequestEarly = true;
  }
  return found;
}

function checkDefaultsInheritance(ctx: RuleContext): void {
  if (compareVersions(ctx.version, '2.5') < 0) return;
  const memo = new Map<ProxyModel, DefaultsRules>();
  /** Per defaults section: the first frontend and the first backend that took it (from files read before this one, then this file). */
  const users = new Map<ProxyModel, DefaultsUsers>();
  for (let i = 0; i < ctx.proxies.length; i++) {
    const p = ctx.proxies[i];
    const d = p.defaults;
    if (!d?.section.name || p.section.header.activity !== 'active') continue;
    let rules = memo.get(d);
    if (!rules) memo.set(d, (rules = rulesOf(d)));
    if (!rules.any) continue;
    const at = ctx.wordRange(p.section.header, 0);
    const name = d.section.name.value;
    const related = [ctx.location(d.section.header, 0, `defaults section '${name}'`, d.file)];
    if (p.kind === 'defaults') {
      ctx.report(
        defaultsInheritanceMeta,
        at,
        `a defaults section cannot inherit from defaults '${name}', which defines TCP/HTTP rules (HAProxy ${ctx.version} refuses it): take 'from' a defaults section without rules`,
        { related },
      );
      continue;
    }
    if (p.kind === 'listen') {
      ctx.report(
        defaultsInheritanceMeta,
        at,
        `a listen section cannot inherit the TCP/HTTP rules of defaults '${name}' (HAProxy ${ctx.version} refuses it): give it a defaults section without rules, or split it into a frontend and a backend`,
        { related },
      );
      continue;
    }
    if (p.kind === 'frontend' && rules.tcpResponse) {
      ctx.report(
        defaultsInheritanceMeta,
        at,
        `a frontend cannot inherit the 'tcp-response content' rules of defaults '${name}' (HAProxy ${ctx.version} refuses it): move those rules into the backends`,
        { related },
      );
      continue;
    }
    if (p.kind === 'backend' && rules.tcpRequestEarly) {
      ctx.report(
        defaultsInheritanceMeta,
        at,
        `a backend cannot inherit the 'tcp-request connection/session' rules of defaults '${name}' (HAProxy ${ctx.version} refuses it): move those rules into the frontends`,
        { related },
      );
      continue;
    }
    let seen = users.get(d);
    if (!seen) users.set(d, (seen = earlierUsers(ctx, d)));
    const other = p.kind === 'frontend' ? seen.backend : seen.frontend;
    if (other) {
      ctx.report(
        defaultsInheritanceMeta,
        at,
        `${p.kind}s and ${other.kind}s cannot inherit from the same defaults section '${name}' when it defines TCP/HTTP rules (HAProxy ${ctx.version} refuses it): give the ${p.kind} its own defaults section ('from OTHER')`,
        { related: [...related, ctx.location(other.section.header, 0, `${other.kind} inheriting it`, other.file)] },
      );
      continue;
    }
    if (p.kind === 'frontend') seen.frontend ??= p;
    else seen.backend ??= p;
  }
}

interface DefaultsUsers {
  frontend?: ProxyModel;
  backend?: ProxyModel;
}

/**
 * The frontend and the backend of the files read before this one (a split configuration) that took `d`:
 * HAProxy refuses the mix across files too ("frontends and backends cannot inherit from the same defaults
 * section if it defines TCP/HTTP rules (defaults section at a.cfg:4)", haproxy -c 2.6 on `-f a.cfg -f b.cfg`).
 */
function earlierUsers(ctx: RuleContext, d: ProxyModel): DefaultsUsers {
  const seen: DefaultsUsers = {};
  const outer = ctx.outer;
  if (!outer) return seen;
  const took = (p: ProxyModel) => p.file !== ctx.doc.file && p.defaults?.section === d.section && p.section.header.activity === 'active' && readBefore(outer, p);
  for (const p of outer.frontends.values()) if (p.kind === 'frontend' && took(p)) seen.frontend ??= p;
  for (const p of outer.backends.values()) if (p.kind === 'backend' && took(p)) seen.backend ??= p;
  return seen;
}

export const defaultsInheritanceRule: Rule<RuleContext> = { meta: defaultsInheritanceMeta, check: checkDefaultsInheritance };
