import * as path from 'node:path';
import { defaultCheckOptions } from '../core/types';
import { NodeSourceHost } from '../core/sourceHost';
import { checkWorkspace } from '../engine/workspace';
import { collectFiles } from '../engine/collect';
import { vrrpGroups } from '../cluster/groups';
import { groupTable } from '../cluster/rules/failover';
import { formatState, type FailoverTable } from '../cluster/failover';
import type { Cluster } from '../cluster/model';
import { ArgCursor, UsageError } from './args';
import type { CliIO } from './check';

export interface ClusterReport {
  name: string;
  origin: 'manifest' | 'inferred';
  reason: string;
  nodes: { name: string; address?: string; files: string[] }[];
  vrrp: { instances: string[]; vips: string[]; vrid?: number; failover: FailoverTable }[];
}

export function describeCluster(c: Cluster, rel: (f: string) => string): ClusterReport {
  return {
    name: c.name,
    origin: c.origin,
    reason: c.reason,
    nodes: c.nodes.map((n) => ({
      name: n.name,
      address: n.address ? `${n.address.ip.text}${n.address.prefix !== undefined ? '/' + n.address.prefix : ''}` : undefined,
      files: [n.keepalived?.file, ...n.haproxy.map((h) => h.file), n.corosync?.file].filter((f): f is string => Boolean(f)).map(rel),
    })),
    vrrp: vrrpGroups(c).map((g) => ({
      instances: [...new Set(g.map((m) => m.inst.name))],
      vips: [...new Set(g.flatMap((m) => m.inst.vips.map((v) => v.value)))],
      vrid: g.find((m) => m.inst.vrid)?.inst.vrid?.value,
      failover: groupTable(g),
    })),
  };
}

export function formatFailoverTable(t: FailoverTable): string {
  const head = ['scenario', ...t.nodes, 'VIP on'];
  const rows = t.scenarios.map((s) => [s.label, ...t.nodes.map((n) => formatState(s.states[n])), s.holder ?? '(nobody)']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const flag = (i: number) => {
    const s = t.scenarios[i];
    return s.kind === 'script-fails' && s.node === t.initialHolder && s.holder === t.initialHolder ? '   <- VIP stays on the failed node' : '';
  };
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r, i) => line(r) + flag(i))].join('\n');
}

/** `haconf cluster [PATH...] [--format text|json]`: the cluster model and its failover table. */
export function runCluster(argv: string[], io: CliIO): number {
  let format: 'text' | 'json' = 'text';
  const paths: string[] = [];
  const args = new ArgCursor(argv);
  while (args.next()) {
    const a = args.name;
    if (a === '--format') {
      const v = args.value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not '${v}'`);
      format = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else paths.push(a);
  }
  const collected = collectFiles(paths.length ? paths : ['.'], io.cwd);
  for (const u of collected.unreadable) io.stderr(`haconf: ${u.reason}\n`);
  if (collected.unreadable.length) return 2;
  const ws = checkWorkspace({ files: collected.files, manifests: collected.manifests }, defaultCheckOptions(), new NodeSourceHost());
  const rel = (f: string) => path.relative(io.cwd, f) || f;
  const reports = ws.clusters.map((c) => describeCluster(c, rel));
  if (format === 'json') {
    io.stdout(JSON.stringify({ clusters: reports }, null, 2) + '\n');
    return 0;
  }
  if (!reports.length) {
    io.stdout('no cluster found: add a haconf.yaml, or keep the keepalived.conf files of peers that share a VIP under one folder\n');
    return 0;
  }
  const out: string[] = [];
  for (const r of reports) {
    out.push(`cluster ${r.name} (${r.origin}: ${r.reason})`);
    for (const n of r.nodes) out.push(`  ${n.name}${n.address ? ' ' + n.address : ''}: ${n.files.join(', ') || 'no files'}`);
    for (const v of r.vrrp) {
      out.push('', `  VRRP ${v.instances.join('/')} VRID ${v.vrid ?? '?'} VIP ${v.vips.join(' ')}`);
      out.push(formatFailoverTable(v.failover).replace(/^/gm, '    '));
    }
    out.push('');
  }
  io.stdout(out.join('\n') + '\n');
  return 0;
}
