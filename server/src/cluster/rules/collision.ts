import { parseCidr } from '../../core/net';
import type { Cluster } from '../model';
import type { GroupMember } from '../groups';
import { rel, type ClusterReporter } from './context';

/** The L2 segment a VRRP group advertises on: the nodes' subnet, else the VIP's /24 (or its own prefix). */
function segmentOf(g: GroupMember[]): string | undefined {
  const addr = g.find((m) => m.node.address?.prefix !== undefined)?.node.address;
  const base =
    addr ??
    (() => {
      const v = g[0].inst.vips[0];
      const c = v ? parseCidr(v.value) : undefined;
      if (!c) return undefined;
      return { ip: c.ip, prefix: c.prefix ?? (c.ip.family === 4 ? 24 : 64) };
    })();
  if (!base || base.prefix === undefined) return undefined;
  const bits = BigInt(base.ip.family === 4 ? 32 : 128);
  return `${base.ip.family}:${base.ip.value >> (bits - BigInt(base.prefix))}/${base.prefix}`;
}

/** Two clusters on one segment with one VRID share a virtual MAC (00:00:5e:00:01:VRID) and fight. */
export function checkVridCollisions(all: { cluster: Cluster; groups: GroupMember[][] }[], r: ClusterReporter): void {
  const first = new Map<string, { cluster: Cluster; member: GroupMember }>();
  for (const { cluster, groups } of all) {
    for (const g of groups) {
      const seg = segmentOf(g);
      const withVrid = g.find((m) => m.inst.vrid);
      if (!seg || !withVrid) continue;
      const key = `${seg}#${withVrid.inst.vrid!.value}`;
      const prev = first.get(key);
      if (!prev) first.set(key, { cluster, member: withVrid });
      else if (prev.cluster !== cluster) {
        const vrid = withVrid.inst.vrid!.value;
        r.report(
          'vrid-collision',
          withVrid.inst.vrid!.loc,
          `cluster ${cluster.name} uses virtual_router_id ${vrid} on the same segment as cluster ${prev.cluster.name}; both would answer for MAC 00:00:5e:00:01:${vrid.toString(16).padStart(2, '0')}. Pick a VRID unique on the segment`,
          [rel(prev.member.inst.vrid!.loc, `${prev.cluster.name} (${prev.member.node.name}) uses ${vrid}`)],
        );
      }
    }
  }
}
