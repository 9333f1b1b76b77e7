import type { Cluster, ClusterNode } from './model';
import type { VrrpInstanceFact } from '../core/facts';
import { vipKey } from './model';

export interface GroupMember {
  node: ClusterNode;
  inst: VrrpInstanceFact;
}

/**
 * The VRRP instances across a cluster's nodes that form one virtual router. Instances are matched by name
 * when the name appears on several nodes, otherwise by a shared VIP.
 */
export function vrrpGroups(cluster: Cluster): GroupMember[][] {
  const nameCount = new Map<string, number>();
  for (const n of cluster.nodes) for (const i of n.keepalived?.instances ?? []) nameCount.set(i.name, (nameCount.get(i.name) ?? 0) + 1);
  const groups = new Map<string, GroupMember[]>();
  for (const node of cluster.nodes) {
    for (const inst of node.keepalived?.instances ?? []) {
      const key = (nameCount.get(inst.name) ?? 0) > 1 ? `name:${inst.name}` : `vip:${inst.vips.length ? vipKey(inst.vips[0].value) : inst.name}`;
      const g = groups.get(key);
      if (g) g.push({ node, inst });
      else groups.set(key, [{ node, inst }]);
    }
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/** The most common value and its count; ties go to the first value seen. */
export function majority<T>(values: T[], key: (v: T) => string = String): { value: T; count: number } | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const v of values) {
    const k = key(v);
    const c = counts.get(k);
    if (c) c.count++;
    else counts.set(k, { value: v, count: 1 });
  }
  let best: { value: T; count: number } | undefined;
  for (const c of counts.values()) if (!best || c.count > best.count) best = c;
  return best;
}
