// Things keepalived settles while it reads the file, line by line, and `keepalived -t` then fails on
// (checked with 2.2.7, 2.3.3 and 2.3.4, test/parity/keepalived-classes.test.ts): a keyword left without its
// value, a track entry naming a definition that only comes later, a repeated notify line, a keyword
// deprecated in that block, and addresses in static/virtual routes and rules.
import type { Rule } from '../../core/rule';
import { parseCidr } from '../../core/net';
import { keywordIn } from '../keywords';
import { blockName, blocksOf, trackEntries, type TrackKind } from '../model';
import type { KaBlock, KaStatement } from '../types';
import { related, type RuleContext } from './context';

/** Keywords keepalived requires a value for whose schema entry lists no argument (checked with each binary). */
const NEEDS_VALUE = new Set(['interface', 'advert_int', 'state', 'notify', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop']);
/** Checked with a range by the invalid-value rule, which already says that the value is missing. */
const CHECKED_ELSEWHERE = new Set(['priority', 'virtual_router_id', 'weight']);

function needsValue(st: KaStatement): boolean {
  const name = st.words[0].text;
  if (CHECKED_ELSEWHERE.has(name) || st.block || !st.parent.kind || st.parent.value) return false;
  if (NEEDS_VALUE.has(name)) return !!keywordIn(st.parent.kind, name);
  const first = keywordIn(st.parent.kind, name)?.args?.[0];
  // A boolean keyword alone means "on"; only required non-boolean values are missing.
  return !!first && !first.optional && first.type !== 'bool';
}

export const missingValueRule: Rule<RuleContext> = {
  meta: {
    code: 'keepalived/missing-value',
    defaultSeverity: 'error',
    summary: 'A keyword that takes a value has none, typically because its only "value" is a comment (`interface # set me`).',
    rationale:
      'keepalived stops reading the line with "missing a parameter after keyword" and `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4): an unquoted `#` or `!` starts a comment, so a placeholder written as a comment leaves the keyword empty.',
    example: 'vrrp_instance VI_1 {\n    interface # set me\n}',
  },
  check(ctx) {
    for (const st of ctx.doc.statements) {
      if (st.words.length !== 1 || !needsValue(st)) continue;
      const name = st.words[0].text;
      const why = st.commentStart ? ` Its only "value" is a comment: an unquoted \`#\` or \`!\` starts one, so keepalived sees \`${name}\` alone.` : '';
      ctx.report(
        missingValueRule.meta,
        st.file,
        st.words[0].range,
        `\`${name}\` needs a value; keepalived reports "missing a parameter after keyword \`${name}\`" and \`keepalived -t\` fails.${why} Write the value (quote it if it contains \`#\` or \`!\`).`,
      );
    }
  },
};

/** Track kinds keepalived resolves while reading the instance (a later definition is "not found"). */
const RESOLVED_WHILE_READING: Partial<Record<TrackKind, string>> = { script: 'vrrp_script', process: 'vrrp_track_process' };

export const definedLaterRule: Rule<RuleContext> = {
  meta: {
    code: 'keepalived/defined-later',
    defaultSeverity: 'error',
    summary: 'A track_script or track_process entry names a vrrp_script or vrrp_track_process defined further down the file.',
    rationale:
      'keepalived looks the name up while it reads the vrrp_instance; a definition that comes later is not known yet, so it logs "track script … not found, ignoring" and the check never affects failover. `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4).',
    example: 'vrrp_instance VI_1 {\n    track_script {\n        chk_haproxy\n    }\n}\nvrrp_script chk_haproxy {\n    script "/usr/bin/killall -0 haproxy"\n}',
  },
  check(ctx) {
    const order = new Map<KaStatement, number>();
    for (const [index, st] of ctx.doc.statements.entries()) order.set(st, index);
    const firstDefinition = new Map<string, KaStatement>();
    for (const [kind, keyword] of Object.entries(RESOLVED_WHILE_READING)) {
      for (const b of blocksOf(ctx.doc, keyword)) {
        const name = blockName(b)?.text;
        const key = `${kind}\u0000${name}`;
        if (name && b.header && !firstDefinition.has(key)) firstDefinition.set(key, b.header);
      }
    }
    for (const inst of blocksOf(ctx.doc, 'vrrp_instance')) {
      for (const e of trackEntries(inst)) {
        const keyword = RESOLVED_WHILE_READING[e.kind];
        const def = keyword && firstDefinition.get(`${e.kind}\u0000${e.name.text}`);
        if (!def || (order.get(def) ?? 0) < (order.get(e.statement) ?? 0)) continue;
        ctx.report(
          definedLaterRule.meta,
          e.statement.file,
          e.name.range,
          `\`${e.name.text}\` is defined by \`${keyword} ${e.name.text}\` further down; keepalived resolves the name while reading this instance, reports "not found, ignoring" and drops the track, so the check never affects failover. Move the \`${keyword}\` block above the vrrp_instance.`,
          {
            related: related(def, 'defined here, after its use'),
          },
        );
      }
    }
  },
};

const NOTIFY = /^notify(_master|_backup|_fault|_stop|_deleted|_master_rx_lower_pri|_up|_down)?$|^quorum_(up|down)$/;

export const duplicateNotifyRule: Rule<RuleContext> = {
  meta: {
    code: 'keepalived/duplicate-notify',
    defaultSeverity: 'error',
    summary: 'The same notify script keyword appears twice in one block.',
    rationale:
      'keepalived keeps the first one and logs "script already specified - ignoring" for the next; `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4). The script the author added last never runs.',
    example: 'vrrp_instance VI_1 {\n    notify_master /etc/keepalived/a.sh\n    notify_master /etc/keepalived/b.sh\n}',
  },
  check(ctx) {
    // The first line of each notify keyword, per enclosing block.
    const seen = new Map<KaBlock, Map<string, KaStatement>>();
    for (const st of ctx.doc.statements) {
      const name = st.words[0].text;
      if (!NOTIFY.test(name) || st.words.length < 2 || !st.parent.kind || st.parent.value) continue;
      let inBlock = seen.get(st.parent);
      if (!inBlock) seen.set(st.parent, (inBlock = new Map()));
      const first = inBlock.get(name);
      if (!first) {
        inBlock.set(name, st);
        continue;
      }
      // Lines under different `@id` conditions apply on different hosts.
      if (st.condition && first.condition && st.condition.id !== first.condition.id) continue;
      ctx.report(
        duplicateNotifyRule.meta,
        st.file,
        st.words[0].range,
        `\`${name}\` is already set in this block; keepalived keeps the first one and ignores this one ("script already specified"), and \`keepalived -t\` fails. Keep one ${name} line (call both programs from one script if both must run).`,
        {
          related: related(first, 'first one, which keepalived keeps'),
        },
      );
    }
  },
};

/** Deprecated keywords keepalived -t fails on, by the block they sit in (checked with each binary). */
const DEPRECATED_REJECTED: Record<string, Record<string, string>> = {
  vrrp_instance: { lvs_sync_daemon_interface: 'use `lvs_sync_daemon INTERFACE VI_NAME` in global_defs' },
  HTTP_GET: { nb_get_retry: 'write `retry`' },
  SSL_GET: { nb_get_retry: 'write `retry`' },
};

export const deprecatedKeywordRule: Rule<RuleContext> = {
  meta: {
    code: 'keepalived/deprecated-keyword',
    defaultSeverity: 'error',
    summary:
      'A keyword keepalived still reads but reports as deprecated in this block: `lvs_sync_daemon_interface` inside a vrrp_instance, `nb_get_retry` in HTTP_GET/SSL_GET. (Deprecated keywords keepalived accepts silently, such as `lvs_flush_onstop` or `enable_snmp_keepalived`, are not reported.)',
    rationale: 'keepalived logs "is deprecated" and `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4), so a configuration check in a deploy pipeline fails on it.',
    example: 'vrrp_instance VI_1 {\n    lvs_sync_daemon_interface eth0\n}',
  },
  check(ctx) {
    for (const st of ctx.doc.statements) {
      const advice = st.parent.kind ? DEPRECATED_REJECTED[st.parent.kind]?.[st.words[0].text] : undefined;
      if (!advice) continue;
      ctx.report(
        deprecatedKeywordRule.meta,
        st.file,
        st.words[0].range,
        `\`${st.words[0].text}\` inside ${st.parent.kind} is deprecated; keepalived warns and \`keepalived -t\` fails. Instead, ${advice}.`,
      );
    }
  },
};

/** Words after which keepalived reads an address in a route or rule line. */
const ADDRESS_AFTER = new Set(['src', 'from', 'to', 'via', 'gw', 'or', 'prefsrc']);
/** Route types that may come before the destination (`blackhole 10.0.0.0/8`). */
const ROUTE_TYPES = new Set(['blackhole', 'unreachable', 'prohibit', 'throw', 'local', 'broadcast', 'multicast', 'unicast', 'anycast', 'nat']);
/** Looks like an address someone meant to write: digits and dots, or hex with colons, optional /prefix. */
const ADDRESS_LIKE = /^(?:\d+(?:\.\d+){1,3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(?:\/\d+)?$/;

export const routeAddressRule: Rule<RuleContext> = {
  meta: {
    code: 'keepalived/invalid-route',
    defaultSeverity: 'error',
    summary: 'An address in virtual_routes, static_routes, virtual_rules or static_rules is not a valid IP address or prefix.',
    rationale:
      'keepalived logs "invalid IP … skipping" (or clamps an over-long prefix) and `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4): the route or rule is dropped or installed differently than written.',
    example: 'virtual_routes {\n    192.0.2.300/24 via 192.0.2.1\n}',
  },
  check(ctx) {
    for (const st of ctx.doc.statements) {
      const kind = st.parent.kind;
      if (kind !== 'virtual_routes' && kind !== 'static_routes' && kind !== 'virtual_rules' && kind !== 'static_rules') continue;
      st.words.forEach((w, i) => {
        const prev = st.words[i - 1]?.text;
        const slot = i === 0 || (prev !== undefined && ADDRESS_AFTER.has(prev)) || (i === 1 && prev !== undefined && ROUTE_TYPES.has(prev));
        if (!slot || w.expanded || !ADDRESS_LIKE.test(w.text) || parseCidr(w.text)) return;
        ctx.report(
          routeAddressRule.meta,
          st.file,
          w.range,
          `\`${w.text}\` is not a valid IP address${w.text.includes('/') ? ' with a prefix length the family allows (≤ 32 for IPv4, ≤ 128 for IPv6)' : ''}; keepalived skips or alters this ${kind.endsWith('rules') ? 'rule' : 'route'} and \`keepalived -t\` fails.`,
        );
      });
    }
  },
};

export const parsingRules: readonly Rule<RuleContext>[] = [missingValueRule, definedLaterRule, duplicateNotifyRule, deprecatedKeywordRule, routeAddressRule];
