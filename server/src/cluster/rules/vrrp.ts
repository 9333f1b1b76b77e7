import { inSubnet, parseCidr } from '../../core/net';
import type { Cluster } from '../model';
import type { Located } from '../../core/facts';
import { majority, type GroupMember } from '../groups';
import { rel, replaceFix, type ClusterReporter } from './context';

type Pick = (m: GroupMember) => Located<string> | undefined;

/**
 * Peers must agree on one value; report on the odd ones out, pointing at the majority. A `secret` value
 * (auth_pass) is never written into the message, the notes or the quick fix's title, only compared.
 */
function agree(group: GroupMember[], pick: Pick, code: string, what: string, r: ClusterReporter, defaultValue?: string, secret = false): void {
  const vals = group.map((m) => ({ m, v: pick(m) }));
  const effectiveValue = (x: { v?: Located<string> }) => x.v?.value ?? defaultValue;
  const present = vals.filter((x) => effectiveValue(x) !== undefined);
  if (present.length < 2) return;
  const maj = majority(present, (x) => effectiveValue(x)!);
  if (!maj || maj.count === present.length) return;
  const majValue = effectiveValue(maj.value)!;
  const holders = present.filter((x) => effectiveValue(x) === majValue);
  const names = holders.map((h) => h.m.node.name).join(', ');
  for (const x of present) {
    if (effectiveValue(x) === majValue) continue;
    const loc = x.v?.loc ?? x.m.inst.loc;
    const related = holders.map((h) => rel(h.v?.loc ?? h.m.inst.loc, secret ? `${h.m.node.name} has the ${what} most peers use` : `${h.m.node.name} has ${what} ${majValue}`));
    const fix = x.v ? [replaceFix(secret ? `Use the ${what} of ${holders[0].m.node.name} like the other nodes` : `Use ${what} ${majValue} like the other nodes`, x.v.loc, majValue)] : undefined;
    const message = secret
      ? `${x.m.node.name}: ${what} differs from its peers' (${names}); VRRP peers must agree or they all become MASTER (values not shown: they are secrets)`
      : `${x.m.node.name}: ${what} ${effectiveValue(x)} differs from its peers' ${majValue} (${names}); VRRP peers must agree or they all become MASTER`;
    r.report(code, loc, message, related, fix);
  }
}

export function checkVrrpConsistency(cluster: Cluster, groups: GroupMember[][], r: ClusterReporter): void {
  for (const g of groups) {
    agree(g, (m) => m.inst.vrid && { value: String(m.inst.vrid.value), loc: m.inst.vrid.loc }, 'vrid-mismatch', 'virtual_router_id', r);
    agree(g, (m) => m.inst.advertInt && { value: String(m.inst.advertInt.value), loc: m.inst.advertInt.loc }, 'advert-int-mismatch', 'advert_int', r, '1');
    agree(g, (m) => m.inst.authType && { value: m.inst.authType.value.toUpperCase(), loc: m.inst.authType.loc }, 'auth-mismatch', 'auth_type', r, 'none');
    // keepalived only uses the first 8 characters of auth_pass.
    agree(g, (m) => m.inst.authPass && { value: m.inst.authPass.value.slice(0, 8), loc: m.inst.authPass.loc }, 'auth-mismatch', 'auth_pass (first 8 characters)', r, undefined, true);
    agree(
      g,
      (m) => ({
        value: m.inst.vips
          .map((v) => v.value.split('/')[0])
          .sort()
          .join(' '),
        loc: m.inst.vipBlock ?? m.inst.loc,
      }),
      'vip-mismatch',
      'virtual_ipaddress set',
      r,
    );
    checkPriorities(g, r);
    checkUnicastPeers(g, r);
    checkVipSubnet(g, r);
  }
  void cluster;
}

function checkPriorities(g: GroupMember[], r: ClusterReporter): void {
  const prio = (m: GroupMember) => m.inst.priority?.value ?? 100;
  const masters = g.filter((m) => m.inst.state?.value.toUpperCase() === 'MASTER');
  if (masters.length > 1) {
    for (const m of masters.slice(1)) {
      r.report(
        'priority-conflict',
        m.inst.state!.loc,
        `${m.node.name} is also declared state MASTER; with ${masters.map((x) => x.node.name).join(' and ')} both starting as MASTER the VIP flaps at start-up. Declare one MASTER (or all BACKUP) and let priority decide`,
        [rel(masters[0].inst.state!.loc, `${masters[0].node.name} is MASTER`)],
      );
    }
  }
  const seen = new Map<number, GroupMember>();
  for (const m of g) {
    const p = prio(m);
    const other = seen.get(p);
    if (other) {
      r.report(
        'priority-conflict',
        m.inst.priority?.loc ?? m.inst.loc,
        `${m.node.name} and ${other.node.name} both have priority ${p}; equal priorities make the election depend on IP order. Give every node its own priority`,
        [rel(other.inst.priority?.loc ?? other.inst.loc, `${other.node.name} priority ${p}`)],
      );
    } else seen.set(p, m);
  }
  for (const master of masters) {
    for (const b of g) {
      if (b === master || b.inst.state?.value.toUpperCase() === 'MASTER') continue;
      if (prio(b) > prio(master)) {
        r.report(
          'priority-conflict',
          master.inst.priority?.loc ?? master.inst.loc,
          `${master.node.name} is state MASTER with priority ${prio(master)}, below BACKUP ${b.node.name} (${prio(b)}); the BACKUP will take the VIP as soon as it starts`,
          [rel(b.inst.priority?.loc ?? b.inst.loc, `${b.node.name} priority ${prio(b)}`)],
        );
      }
    }
  }
}

function addrOf(m: GroupMember): string | undefined {
  if (m.node.address) return m.node.address.ip.text;
  return m.inst.unicastSrcIp?.value;
}

function checkUnicastPeers(g: GroupMember[], r: ClusterReporter): void {
  if (!g.some((m) => m.inst.unicastPeers.length)) return;
  const addrs = g.map(addrOf);
  if (addrs.some((a) => a === undefined)) return; // cannot judge without every node's address
  for (const m of g) {
    const own = addrOf(m)!;
    const peers = m.inst.unicastPeers.map((p) => p.value.split('/')[0]);
    const loc = m.inst.unicastPeerBlock ?? m.inst.loc;
    const expected = g.filter((x) => x !== m).map((x) => addrOf(x)!);
    const ownEntry = m.inst.unicastPeers.find((p) => p.value.split('/')[0] === own);
    if (ownEntry) {
      r.report('unicast-peer-mismatch', ownEntry.loc, `${m.node.name} lists its own address ${own} in unicast_peer; list only the other nodes (${expected.join(', ')})`);
    }
    const missing = expected.filter((a) => !peers.includes(a));
    const extra = peers.filter((p) => p !== own && !expected.includes(p));
    if (missing.length || extra.length) {
      const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unknown ${extra.join(', ')}` : ''].filter(Boolean);
      r.report(
        'unicast-peer-mismatch',
        loc,
        `${m.node.name}: unicast_peer should hold exactly the other nodes' addresses (${expected.join(', ')}): ${parts.join('; ')}. Adverts to or from a missing peer are never seen, so two nodes can hold the VIP`,
        g.filter((x) => x !== m).map((x) => rel(x.node.addressLoc ?? x.inst.loc, `${x.node.name} is ${addrOf(x)}`)),
      );
    }
  }
}

function checkVipSubnet(g: GroupMember[], r: ClusterReporter): void {
  for (const m of g) {
    const net = m.node.address;
    if (!net || net.prefix === undefined) continue;
    for (const v of m.inst.vips) {
      const c = parseCidr(v.value);
      if (!c || c.ip.family !== net.ip.family) continue;
      if (!inSubnet(c.ip, net)) {
        r.report(
          'vip-outside-subnet',
          v.loc,
          `VIP ${c.ip.text} is outside ${m.node.name}'s subnet ${net.ip.text}/${net.prefix}; clients on that segment cannot reach it by ARP and the gratuitous ARPs go nowhere`,
          m.node.addressLoc ? [rel(m.node.addressLoc, `${m.node.name} address`)] : undefined,
        );
      }
    }
  }
}
