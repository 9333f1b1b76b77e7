// Rollout order from the cluster model: hosts that hold no VIP first, lowest effective priority first,
// the VIP holder last, so the VIP moves at most once and only after every backup runs the new files.
import { parseIp, parseCidr } from '../core/net';
import type { Cluster } from '../cluster/model';
import { vrrpGroups } from '../cluster/groups';
import { groupTable } from '../cluster/failover';

export interface VrrpView {
  /** Highest effective priority per host in the healthy state. */
  priorities: Map<string, number>;
  /** Hosts the model expects to hold a VIP. */
  holders: Set<string>;
  /** Every VIP address (without prefix), deduplicated. */
  vips: string[];
}

export function vrrpView(cluster: Cluster | undefined): VrrpView {
  const priorities = new Map<string, number>();
  const holders = new Set<string>();
  const vips = new Set<string>();
  if (!cluster) return { priorities, holders, vips: [] };
  for (const g of vrrpGroups(cluster)) {
    const table = groupTable(g);
    const healthy = table.scenarios[0]?.states ?? {};
    for (const [host, st] of Object.entries(healthy)) {
      if (typeof st === 'number') priorities.set(host, Math.max(st, priorities.get(host) ?? 0));
    }
    if (table.initialHolder) holders.add(table.initialHolder);
    for (const m of g)
      for (const v of m.inst.vips) {
        const c = parseCidr(v.value.split(/\s+/)[0]);
        if (c) vips.add(c.ip.text);
      }
  }
  return { priorities, holders, vips: [...vips] };
}

/** Sorts host names: non-holders by ascending priority (unknown first), then holders; ties keep `hosts` order. */
export function rolloutOrder(hosts: string[], priorities: Map<string, number>, holders: Set<string>): string[] {
  const idx = new Map(hosts.map((h, i) => [h, i]));
  return [...hosts].sort((a, b) => {
    const ha = holders.has(a) ? 1 : 0;
    const hb = holders.has(b) ? 1 : 0;
    if (ha !== hb) return ha - hb;
    const pa = priorities.get(a) ?? -1;
    const pb = priorities.get(b) ?? -1;
    if (pa !== pb) return pa - pb;
    return idx.get(a)! - idx.get(b)!;
  });
}

/** Addresses in `ip -o addr show` output. */
export function addressesIn(ipOutput: string): string[] {
  const out: string[] = [];
  for (const m of ipOutput.matchAll(/\binet6?\s+([0-9A-Fa-f:.]+)(?:\/\d+)?/g)) out.push(m[1]);
  return out;
}

/** True when the `ip -o addr` output carries `vip`. */
export function holdsVip(ipOutput: string, vip: string): boolean {
  const want = parseIp(vip);
  if (!want) return false;
  return addressesIn(ipOutput).some((a) => {
    const ip = parseIp(a);
    return ip !== undefined && ip.family === want.family && ip.value === want.value;
  });
}
