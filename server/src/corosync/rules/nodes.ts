// corosync/missing-nodelist, corosync/nodeid-required, corosync/duplicate-node.
import type { RuleMeta } from '../../core/types';
import { lineRange } from '../../core/range';
import { parseIp } from '../../core/net';
import type { KeyNode } from '../parser';
import { uintOf } from '../model';
import type { RuleContext } from './context';
import type { Rule } from '../../core/rule';

export const missingNodelistRule: RuleMeta = {
  code: 'corosync/missing-nodelist',
  defaultSeverity: 'error',
  summary: 'No usable nodelist: none at all, no `node` in it, a node without `ring0_addr`, or (with several links) a node without `name`.',
  rationale:
    'corosync 3 finds the local node and its peers only in the nodelist; without one it refuses to start ("No valid name found for local host"). Configurations written for corosync 2 multicast often have none. A node without ring0_addr is never contacted, and with more than one link corosync refuses nodes that lack a name.',
  example: 'totem {\n    version: 2\n    transport: udp\n}',
};

export const nodeidRequiredRule: RuleMeta = {
  code: 'corosync/nodeid-required',
  defaultSeverity: 'error',
  summary: 'A node without `nodeid` under the knet transport (the corosync 3 default), or with an IPv6 address.',
  rationale: 'knet cannot derive node ids from addresses, so corosync refuses to start when any node lacks one; udp/udpu can only derive them from IPv4 addresses.',
  example: 'nodelist {\n    node {\n        ring0_addr: 10.0.0.1\n    }\n}',
};

export const duplicateNodeRule: RuleMeta = {
  code: 'corosync/duplicate-node',
  defaultSeverity: 'error',
  summary: 'Two nodes share a nodeid, an address on the same link, or a name.',
  rationale:
    'corosync refuses duplicate nodeids. Duplicate addresses or names it accepts (`corosync -t` exits 0 on 3.1.7, 3.1.9 and 3.1.10, and the daemon starts and runs), but then two entries describe one host, the real second host is missing and quorum counts a vote that does not exist (measured: three entries for two hosts give "Expected votes: 3").',
  example: 'node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n}\nnode {\n    ring0_addr: 10.0.0.1\n    nodeid: 2\n}',
  variants: {
    'same-address-or-name': { severity: 'warning', when: 'two nodes share an address on one link or a name (corosync accepts it and starts; only a duplicate nodeid stops it)' },
  },
};

export function checkNodelist(ctx: RuleContext): void {
  const { model } = ctx;
  if (model.nodes.length > 0) {
    checkNodeAddresses(ctx);
    return;
  }
  const list = model.nodelists[0];
  if (list) {
    ctx.report('missing-nodelist', list.name.range, "nodelist holds no 'node { … }' block; corosync 3 needs one per cluster member (ring0_addr and nodeid) to find the local node.");
    return;
  }
  const totem = model.sections.get('totem')?.[0];
  ctx.report(
    'missing-nodelist',
    totem?.name.range ?? lineRange(0, 0, 0),
    "no nodelist: corosync 3 finds the local node only in 'nodelist { node { ring0_addr: … nodeid: … } }' and refuses to start without it; add one node block per member (multicast discovery of corosync 2 is gone).",
  );
}

function checkNodeAddresses(ctx: RuleContext): void {
  const { nodes } = ctx.model;
  let multiLink: KeyNode | undefined;
  for (const n of nodes) {
    for (const [name, k] of n.keys) if (/^ring[1-7]_addr$/.test(name) && !multiLink) multiLink = k;
  }
  for (const n of nodes) {
    if (!n.keys.has('ring0_addr')) {
      const name = n.keys.get('name');
      ctx.report(
        'missing-nodelist',
        n.section.name.range,
        `${name ? `node ${name.value.text}` : 'this node'} has no ring0_addr; corosync takes link 0 addresses only from ring0_addr (not from name), so the node is never contacted, and if it is the local one corosync refuses to start ("No interfaces defined"). Add 'ring0_addr: ADDRESS'.`,
      );
    }
    if (multiLink && !n.keys.has('name')) {
      ctx.report(
        'missing-nodelist',
        n.section.name.range,
        `with more than one link (${multiLink.key.text} on line ${multiLink.range.start.line + 1}) every node needs a 'name'; corosync refuses to start without it. Add 'name: HOSTNAME'.`,
        {
          related: [ctx.rel(multiLink.range, 'second link')],
        },
      );
    }
  }
}

export function checkNodeids(ctx: RuleContext): void {
  const { model } = ctx;
  const knet = model.transport === 'knet';
  const why = model.transportKey ? `transport is ${model.transport}` : 'knet is the default transport of corosync 3';
  for (const node of model.nodes) {
    if (node.keys.has('nodeid')) continue;
    const ring0 = node.keys.get('ring0_addr');
    const label = ring0 ? `node ${ring0.value.text}` : 'this node';
    const related = model.transportKey ? [ctx.rel(model.transportKey.range, 'transport')] : undefined;
    if (knet) {
      ctx.report('nodeid-required', node.section.name.range, `${label} has no nodeid; ${why} and knet needs an explicit, unique nodeid for every node (corosync refuses to start). Add 'nodeid: N'.`, {
        related,
      });
    } else if (ring0 && parseIp(ring0.value.text)?.family === 6) {
      ctx.report('nodeid-required', node.section.name.range, `${label} has an IPv6 address but no nodeid; corosync can only derive node ids from IPv4 addresses. Add 'nodeid: N'.`, { related });
    }
  }
}

/** Canonical form of an address so `10.0.0.1` and `010.0.0.1`-style spellings or IPv6 variants compare equal. */
function addrKey(v: string): string {
  const ip = parseIp(v);
  return ip ? `${ip.family}:${ip.value}` : v.toLowerCase().replace(/\.$/, '');
}

export function checkDuplicates(ctx: RuleContext): void {
  const seen = new Map<string, KeyNode>();
  for (const node of ctx.model.nodes) {
    for (const [name, k] of node.keys) {
      let id: string | undefined;
      let what: string;
      if (name === 'nodeid') {
        const v = uintOf(k);
        if (v === undefined) continue;
        id = `nodeid:${v}`;
        what = `nodeid ${v}`;
      } else if (/^ring[0-7]_addr$/.test(name)) {
        if (k.value.text === '') continue;
        id = `${name}:${addrKey(k.value.text)}`;
        what = `${name} ${k.value.text}`;
      } else if (name === 'name') {
        if (k.value.text === '') continue;
        id = `name:${k.value.text}`;
        what = `name ${k.value.text}`;
      } else continue;
      const first = seen.get(id);
      if (!first) {
        seen.set(id, k);
        continue;
      }
      const consequence =
        name === 'nodeid'
          ? 'corosync refuses to start ("appears twice")'
          : 'corosync accepts it, but one host is listed twice, the other member is missing and quorum counts a vote that does not exist';
      ctx.report('duplicate-node', k.value.range, `${what} is already used by the node on line ${first.range.start.line + 1}; ${consequence}. Give every node its own value.`, {
        related: [ctx.rel(first.range, `first ${name}`)],
        ...(name === 'nodeid' ? {} : { variant: 'same-address-or-name' }),
      });
    }
  }
}

export const nodelistCheck: Rule<RuleContext> = { meta: missingNodelistRule, check: checkNodelist };

export const nodeidsCheck: Rule<RuleContext> = { meta: nodeidRequiredRule, check: checkNodeids };

export const duplicatesCheck: Rule<RuleContext> = { meta: duplicateNodeRule, check: checkDuplicates };
