import { parseCidr, parseIp } from '../../core/net';
import type { Cluster, ClusterNode } from '../model';
import type { GroupMember } from '../groups';
import { majority } from '../groups';
import type { HaproxyBindFact } from '../../core/facts';
import { probedPorts } from './ports';
import { rel, type ClusterReporter } from './context';
import { plural } from '../../core/plural';

const NODEPORT_MIN = 30000;
const NODEPORT_MAX = 32767;

function bindCovers(b: HaproxyBindFact, port: number): boolean {
  if (b.port === undefined) return false;
  return port >= b.port && port <= (b.portEnd ?? b.port);
}

/** A vrrp_script that probes a port must probe one haproxy listens on, or it watches something else. */
export function checkTrackPorts(cluster: Cluster, r: ClusterReporter): void {
  for (const node of cluster.nodes) {
    if (!node.keepalived || node.haproxy.length === 0) continue;
    const binds = node.haproxy.flatMap((h) => h.binds);
    const tracked = new Set(node.keepalived.instances.flatMap((i) => i.tracks.map((t) => t.name)));
    for (const name of tracked) {
      const s = node.keepalived.scripts.get(name);
      if (!s?.command) continue;
      for (const port of probedPorts(s.command.value)) {
        if (binds.some((b) => bindCovers(b, port))) continue;
        const listening = [...new Set(binds.filter((b) => b.port !== undefined).map((b) => (b.portEnd ? `${b.port}-${b.portEnd}` : String(b.port))))];
        const hint = port === 6443 ? ' (6443 is usually the Kubernetes apiserver itself, which stays up when haproxy dies)' : '';
        r.report(
          'track-port-unbound',
          s.command.loc,
          `${node.name}: vrrp_script ${name} probes port ${port}, but no haproxy bind on ${node.name} listens there${hint}; haproxy listens on ${listening.join(', ') || 'nothing'}. Probe a port haproxy binds`,
          binds.slice(0, 5).map((b) => rel(b.loc, `bind in ${b.proxy}`)),
        );
      }
    }
  }
}

export function checkNodePorts(cluster: Cluster, r: ClusterReporter): void {
  if (cluster.workers.length === 0) return;
  const workerIps = new Map(cluster.workers.map((w) => [parseIp(w.value)?.text ?? w.value, w]));
  const declared = new Set(cluster.nodePorts.map((p) => p.value));
  const seenFile = new Set<string>();
  for (const node of cluster.nodes) {
    for (const h of node.haproxy) {
      if (seenFile.has(h.file)) continue; // a shared haproxy.cfg is judged once
      seenFile.add(h.file);
      for (const be of h.backends) {
        const toWorkers = be.servers.filter((s) => s.host !== undefined && workerIps.has(s.host));
        if (toWorkers.length === 0) continue;
        for (const s of toWorkers) {
          // A server without a port forwards on the port the client used (a bound NodePort range); its
          // `check port` is a health port (kube-proxy's 10256, a DaemonSet), not a NodePort.
          const port = s.port;
          if (port === undefined) continue;
          if (port < NODEPORT_MIN || port > NODEPORT_MAX) {
            r.report(
              'nodeport-mismatch',
              s.loc,
              `server ${s.name} in ${be.name} sends to worker ${s.host} on port ${port}, outside the NodePort range ${NODEPORT_MIN}-${NODEPORT_MAX}; use the Service's nodePort`,
              cluster.nodePorts.map((p) => rel(p.loc, `NodePort ${p.value}`)),
            );
          } else if (declared.size && !declared.has(port)) {
            r.report(
              'nodeport-mismatch',
              s.loc,
              `server ${s.name} in ${be.name} sends to NodePort ${port}, but the Services expose ${[...declared].join(', ')}; traffic would hit a closed port`,
              cluster.nodePorts.map((p) => rel(p.loc, `NodePort ${p.value}`)),
            );
          }
        }
        const present = new Set(toWorkers.map((s) => s.host!));
        const missing = [...workerIps.keys()].filter((w) => !present.has(w));
        if (missing.length) {
          r.report(
            'backend-missing-worker',
            be.loc,
            `backend ${be.name} leaves out worker${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; their capacity is unused and traffic concentrates on ${[...present].join(', ')}`,
            missing.map((w) => rel(workerIps.get(w)!.loc, `worker ${w}`)),
          );
        }
      }
    }
  }
}

/** Nodes that share a VIP should carry the same haproxy.cfg, or failover changes behaviour. */
export function checkDivergence(cluster: Cluster, r: ClusterReporter): void {
  const withCfg = cluster.nodes.filter((n) => n.haproxy.length > 0);
  if (withCfg.length < 2) return;
  const text = (n: ClusterNode) => n.haproxy.map((h) => h.fingerprint).join('\n');
  const maj = majority(withCfg, text);
  if (!maj || maj.count === withCfg.length) return;
  const ref = maj.value;
  for (const n of withCfg) {
    if (text(n) === text(ref)) continue;
    const file = n.haproxy[0].file;
    r.report(
      'haproxy-divergent',
      { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      `${n.name}'s haproxy config differs from ${ref.name}'s (${maj.count} of ${plural(withCfg.length, 'node')} agree); after a failover clients would see different routing. Keep one haproxy.cfg for all nodes`,
      [rel({ file: ref.haproxy[0].file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, `${ref.name}'s haproxy config`)],
    );
  }
}

/** haproxy binding the VIP itself can only start on backups with ip_nonlocal_bind. */
export function checkNonlocalBind(cluster: Cluster, groups: GroupMember[][], r: ClusterReporter): void {
  const vips = new Set<string>();
  for (const g of groups)
    for (const m of g)
      for (const v of m.inst.vips) {
        const c = parseCidr(v.value);
        if (c) vips.add(c.ip.text);
      }
  if (!vips.size) return;
  const seen = new Set<string>();
  for (const n of cluster.nodes) {
    for (const h of n.haproxy) {
      for (const b of h.binds) {
        const key = `${b.loc.file}:${b.loc.range.start.line}`;
        if (seen.has(key) || !vips.has(b.host)) continue;
        seen.add(key);
        r.report(
          'nonlocal-bind',
          b.loc,
          `haproxy binds the VIP ${b.host}; on the nodes that do not hold it haproxy only starts with sysctl net.ipv4.ip_nonlocal_bind=1 (or bind *:${b.port ?? 'PORT'} instead)`,
        );
      }
    }
  }
}
