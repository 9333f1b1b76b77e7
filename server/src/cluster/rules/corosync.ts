import type { Cluster } from '../model';
import { rel, type ClusterReporter } from './context';
import { parseIp } from '../../core/net';

/** corosync's nodelist must name exactly the cluster's hosts. */
export function checkCorosyncMembership(cluster: Cluster, r: ClusterReporter): void {
  const hostAddrs = new Map<string, string>();
  for (const n of cluster.nodes) if (n.address) hostAddrs.set(n.address.ip.text, n.name);
  if (hostAddrs.size !== cluster.nodes.length) return; // needs every node's address (from the manifest)
  const seen = new Set<string>();
  for (const n of cluster.nodes) {
    const c = n.corosync;
    if (!c || seen.has(c.file)) continue;
    seen.add(c.file);
    const ring = new Map<string, (typeof c.nodes)[number]>();
    for (const node of c.nodes) {
      const ip = node.ring0 ? (parseIp(node.ring0.value)?.text ?? node.ring0.value) : undefined;
      if (ip) ring.set(ip, node);
    }
    for (const [ip, node] of ring) {
      if (!hostAddrs.has(ip)) {
        r.report(
          'corosync-membership',
          node.ring0!.loc,
          `corosync node ${ip} is not one of the cluster's hosts (${[...hostAddrs].map(([a, h]) => `${h} ${a}`).join(', ')}); membership and quorum would count a stranger`,
        );
      }
    }
    const missing = [...hostAddrs].filter(([a]) => !ring.has(a));
    if (missing.length) {
      r.report(
        'corosync-membership',
        c.nodelist ?? { file: c.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        `the corosync nodelist leaves out ${missing.map(([a, h]) => `${h} (${a})`).join(', ')}; those hosts cannot join the membership`,
        missing.map(([, h]) => {
          const node = cluster.nodes.find((x) => x.name === h)!;
          return rel(node.addressLoc ?? { file: c.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, `${h}`);
        }),
      );
    }
  }
}
