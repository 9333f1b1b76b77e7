// Issue-15 corosync classes: token minimum, link layout (links per node, address families, ip_version,
// interface blocks, duplicate link numbers), knet-only options on udp/udpu, nodeid 0, quorum-device
// conflicts. Each severity follows `corosync -t` of 3.1.7, 3.1.9 and 3.1.10
// (test/parity/corosync-classes.test.ts): an error where it exits non-zero, a warning where it accepts.
import type { Rule } from '../../core/rule';
import { parseIp } from '../../core/net';
import type { KeyNode, SectionNode } from '../parser';
import { flagOn, uintOf } from '../model';
import type { RuleContext } from './context';

/** corosync's TOKEN_TIMEOUT minimum ("may not be less than (30 ms)"); 0 means "use the default". */
const TOKEN_MIN = 30;

export const tokenMinimumRule: Rule<RuleContext> = {
  meta: {
    code: 'corosync/token-below-minimum',
    defaultSeverity: 'error',
    summary: '`token` below 30 ms.',
    rationale:
      'corosync refuses to start: "The token timeout parameter (N ms) may not be less than (30 ms)" (3.1.7, 3.1.9, 3.1.10). `token` is in milliseconds; a value such as `token: 3` was usually meant as seconds.',
    example: 'totem {\n    token: 3\n}',
  },
  check(ctx) {
    const k = ctx.model.last.get('totem.token');
    const v = uintOf(k);
    if (!k || v === undefined || v === 0 || v >= TOKEN_MIN) return;
    ctx.reportRule(
      tokenMinimumRule.meta,
      k.value.range,
      `token is ${v} ms, below corosync's minimum of ${TOKEN_MIN} ms; corosync refuses to start. The value is in milliseconds (the default is 3000 for two nodes, 1000 + 650 per extra node with token_coefficient).`,
      {
        fixes: [{ title: `Set token to ${v * 1000} (${v} s)`, edits: [{ range: k.value.range, newText: String(v * 1000) }] }],
      },
    );
  },
};

/** The ringN_addr keys of one node, by link number. */
function linksOf(keys: Map<string, KeyNode>): Map<number, KeyNode> {
  const out = new Map<number, KeyNode>();
  for (const [name, k] of keys) {
    const m = /^ring([0-7])_addr$/.exec(name);
    if (m) out.set(Number(m[1]), k);
  }
  return out;
}

function keysIn(section: SectionNode): Map<string, KeyNode> {
  const out = new Map<string, KeyNode>();
  for (const c of section.children) if (c.kind === 'key') out.set(c.key.text, c);
  return out;
}

export const linkLayoutRule: Rule<RuleContext> = {
  meta: {
    code: 'corosync/link-mismatch',
    defaultSeverity: 'error',
    summary:
      'The links do not line up: nodes with different numbers of links, an `interface` block for a link no node has, IPv4 and IPv6 addresses in one link, or addresses that do not match `ip_version`.',
    rationale:
      'corosync refuses to start ("Not all nodes have the same number of links", "Nodes for link 0 have different IP families", "failed to parse bindnet address") on 3.1.7, 3.1.9 and 3.1.10.',
    example: 'nodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        ring1_addr: 10.1.0.1\n    }\n    node {\n        ring0_addr: 10.0.0.2\n    }\n}',
  },
  check(ctx) {
    const { nodes, sections, last } = ctx.model;
    if (nodes.length === 0) return;
    const perNode = nodes.map((n) => ({ node: n, links: linksOf(n.keys) }));
    const first = perNode[0];
    const firstSet = [...first.links.keys()].sort().join(',');
    for (const p of perNode.slice(1)) {
      const set = [...p.links.keys()].sort().join(',');
      if (set === firstSet) continue;
      ctx.reportRule(
        linkLayoutRule.meta,
        p.node.section.name.range,
        `this node has links ${set || 'none'} but the first node has ${firstSet || 'none'}; corosync refuses to start ("Not all nodes have the same number of links"). Give every node the same ringN_addr keys.`,
        {
          related: [ctx.rel(first.node.section.name.range, 'first node')],
        },
      );
    }
    const used = new Set(perNode.flatMap((p) => [...p.links.keys()]));
    for (const iface of sections.get('totem.interface') ?? []) {
      const num = keysIn(iface).get('linknumber') ?? keysIn(iface).get('ringnumber');
      const n = num ? uintOf(num) : 0;
      if (n === undefined || used.has(n)) continue;
      ctx.reportRule(
        linkLayoutRule.meta,
        num ? num.range : iface.name.range,
        `interface block for link ${n}, but no node has ring${n}_addr; corosync counts it as a link and refuses to start ("Not all nodes have the same number of links"). Add ring${n}_addr to every node or delete this interface block.`,
      );
    }
    // One address family per link; hostnames are resolved later and are not judged here.
    const links = new Set(perNode.flatMap((p) => [...p.links.keys()]));
    for (const link of links) {
      let family: { v: 4 | 6; key: KeyNode } | undefined;
      for (const p of perNode) {
        const k = p.links.get(link);
        const ip = k ? parseIp(k.value.text) : undefined;
        if (!k || !ip) continue;
        if (!family) family = { v: ip.family, key: k };
        else if (family.v !== ip.family) {
          ctx.reportRule(
            linkLayoutRule.meta,
            k.value.range,
            `link ${link} mixes IPv${family.v} and IPv${ip.family} addresses; corosync refuses to start ("Nodes for link ${link} have different IP families"). Use one family per link.`,
            {
              related: [ctx.rel(family.key.value.range, `IPv${family.v} address`)],
            },
          );
          break;
        }
      }
    }
    const version = last.get('totem.ip_version');
    const want = version?.value.text === 'ipv4' ? 4 : version?.value.text === 'ipv6' ? 6 : undefined;
    if (!version || !want) return;
    for (const p of perNode) {
      for (const [, k] of p.links) {
        const ip = parseIp(k.value.text);
        if (!ip || ip.family === want) continue;
        ctx.reportRule(
          linkLayoutRule.meta,
          k.value.range,
          `${k.key.text} is an IPv${ip.family} address but ip_version is ${version.value.text}; corosync refuses to start ("failed to parse bindnet address"). Remove ip_version (knet's default ipv6-4 takes both families) or write the addresses in IPv${want}.`,
          {
            related: [ctx.rel(version.range, 'ip_version')],
          },
        );
        return;
      }
    }
  },
};

/** knet link options of an interface block that corosync refuses on udp/udpu ("Can only set … on knet"). */
const KNET_INTERFACE_KEYS = new Set(['knet_link_priority', 'knet_ping_interval', 'knet_ping_timeout', 'knet_ping_precision', 'knet_pong_count', 'knet_transport']);

export const knetOnlyRule: Rule<RuleContext> = {
  meta: {
    code: 'corosync/knet-only',
    defaultSeverity: 'warning',
    summary: 'A knet-only option (`knet_*`, `link_mode`) with the udp or udpu transport.',
    rationale:
      'udp and udpu ignore the knet options of the totem section (corosync -t accepts them, so they silently do nothing); the knet options of an interface block make corosync refuse to start ("Can only set link priority on knet transport type").',
    example: 'totem {\n    transport: udpu\n    interface {\n        linknumber: 0\n        knet_link_priority: 5\n    }\n}',
    variants: {
      interface: { severity: 'error', when: 'the option sits in an interface block: corosync refuses to start (3.1.7, 3.1.9, 3.1.10)' },
    },
  },
  check(ctx) {
    const { transport, transportKey, doc } = ctx.model;
    if (transport !== 'udp' && transport !== 'udpu') return;
    const related = transportKey ? [ctx.rel(transportKey.range, 'transport')] : undefined;
    for (const k of doc.keys) {
      const name = k.key.text;
      if (k.sectionPath === 'totem.interface' && KNET_INTERFACE_KEYS.has(name)) {
        ctx.reportRule(knetOnlyRule.meta, k.key.range, `${name} is a knet link option, but transport is ${transport}; corosync refuses to start. Delete it or use transport knet.`, {
          variant: 'interface',
          related,
        });
      } else if (k.sectionPath === 'totem' && (name.startsWith('knet_') || name === 'link_mode')) {
        ctx.reportRule(knetOnlyRule.meta, k.key.range, `${name} only applies to the knet transport; with transport ${transport} it does nothing. Delete it or use transport knet.`, { related });
      }
    }
  },
};

export const nodeidZeroRule: Rule<RuleContext> = {
  meta: {
    code: 'corosync/nodeid-zero',
    defaultSeverity: 'error',
    summary: '`nodeid: 0` under the knet transport.',
    rationale: 'corosync treats 0 as "no nodeid" and knet needs an explicit one: it refuses to start ("Knet requires an explicit nodeid") on 3.1.7, 3.1.9 and 3.1.10. Node ids start at 1.',
    example: 'nodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        nodeid: 0\n    }\n}',
  },
  check(ctx) {
    if (ctx.model.transport !== 'knet') return;
    for (const n of ctx.model.nodes) {
      const k = n.keys.get('nodeid');
      if (k && uintOf(k) === 0) {
        ctx.reportRule(nodeidZeroRule.meta, k.value.range, 'nodeid 0 means "no nodeid" to corosync, and knet needs an explicit one; corosync refuses to start. Use a unique id from 1 up.');
      }
    }
  },
};

export const qdeviceRule: Rule<RuleContext> = {
  meta: {
    code: 'corosync/qdevice-conflict',
    defaultSeverity: 'warning',
    summary: 'A quorum device together with auto_tie_breaker or last_man_standing, or a `device { net { … } }` without `host`.',
    rationale:
      'corosync -t accepts these (3.1.7, 3.1.9, 3.1.10), but votequorum does not combine a quorum device with auto_tie_breaker or last_man_standing, and corosync-qdevice cannot start without the qnetd host, so the cluster runs without the tie-breaker it was configured with.',
    example: 'quorum {\n    auto_tie_breaker: 1\n    device {\n        model: net\n        net {\n            algorithm: ffsplit\n        }\n    }\n}',
  },
  check(ctx) {
    const { sections, last, all } = ctx.model;
    const device = sections.get('quorum.device')?.[0];
    if (!device) return;
    for (const name of ['auto_tie_breaker', 'last_man_standing']) {
      const k = last.get(`quorum.${name}`);
      if (!k || !flagOn(k)) continue;
      ctx.reportRule(
        qdeviceRule.meta,
        k.range,
        `${name} with a quorum device: votequorum does not use both, so one of the two tie-breaking schemes is not what runs. Keep the device (and remove ${name}) or the other way round.`,
        {
          related: [ctx.rel(device.name.range, 'quorum device')],
        },
      );
    }
    for (const net of sections.get('quorum.device.net') ?? []) {
      if ((all.get('quorum.device.net.host') ?? []).some((k) => k.parent === net)) continue;
      ctx.reportRule(
        qdeviceRule.meta,
        net.name.range,
        "the quorum device's net section has no host; corosync-qdevice cannot reach a qnetd server and does not start, so there is no tie-breaker. Add 'host: QNETD_ADDRESS'.",
      );
    }
  },
};

export const duplicateLinkRule: Rule<RuleContext> = {
  meta: {
    code: 'corosync/duplicate-link',
    defaultSeverity: 'warning',
    summary: 'Two interface blocks with the same linknumber.',
    rationale: 'corosync -t accepts it (3.1.7, 3.1.9, 3.1.10) and merges both blocks into one link, so the later block silently overrides settings of the first.',
    example: 'totem {\n    interface {\n        linknumber: 0\n    }\n    interface {\n        linknumber: 0\n    }\n}',
  },
  check(ctx) {
    const seen = new Map<number, SectionNode>();
    for (const iface of ctx.model.sections.get('totem.interface') ?? []) {
      const keys = keysIn(iface);
      const n = uintOf(keys.get('linknumber') ?? keys.get('ringnumber')) ?? 0;
      const first = seen.get(n);
      if (!first) {
        seen.set(n, iface);
        continue;
      }
      ctx.reportRule(
        duplicateLinkRule.meta,
        iface.name.range,
        `a second interface block for link ${n}; corosync merges them, so this block's settings override the first one's. Merge them into one block or give this one its own linknumber.`,
        {
          related: [ctx.rel(first.name.range, `first interface for link ${n}`)],
        },
      );
    }
  },
};

export const linkRules: readonly Rule<RuleContext>[] = [tokenMinimumRule, linkLayoutRule, knetOnlyRule, nodeidZeroRule, qdeviceRule, duplicateLinkRule];
