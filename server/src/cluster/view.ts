// What the editor shows about clusters: a plain, serialisable summary sent over the custom LSP request
// `haconf/clusters`. The client renders it (tree view, status bar, failover table) without knowing the engine.
import type { Diagnostic } from '../core/types';
import type { Cluster } from './model';
import { vrrpGroups } from './groups';
import { failoverRows, groupTable } from './failover';

export interface ClusterViewNode {
  name: string;
  address?: string;
  /** Absolute paths of the node's files. */
  files: string[];
  /** Base priority of the node's first VRRP instance. */
  priority?: number;
  holdsVip: boolean;
}

export interface FailoverView {
  instance: string;
  vrid?: number;
  vips: string[];
  nodes: string[];
  holder?: string;
  rows: { label: string; kind: string; states: string[]; holder?: string; blocked: boolean }[];
}

export interface ClusterView {
  name: string;
  origin: 'manifest' | 'inferred';
  reason: string;
  manifest?: string;
  nodes: ClusterViewNode[];
  vips: string[];
  failover: FailoverView[];
  errors: number;
  warnings: number;
  files: string[];
}

export function clusterViews(clusters: readonly Cluster[], diagnosticsOf: (file: string) => readonly Diagnostic[]): ClusterView[] {
  return clusters.map((c) => {
    const groups = vrrpGroups(c);
    const failover: FailoverView[] = groups.map((g) => {
      const t = groupTable(g);
      return {
        instance: [...new Set(g.map((m) => m.inst.name))].join('/'),
        vrid: g.find((m) => m.inst.vrid)?.inst.vrid?.value,
        vips: [...new Set(g.flatMap((m) => m.inst.vips.map((v) => v.value)))],
        nodes: t.nodes,
        holder: t.initialHolder,
        rows: failoverRows(t),
      };
    });
    const holders = new Set(failover.map((f) => f.holder).filter(Boolean));
    let errors = 0;
    let warnings = 0;
    for (const f of c.files) {
      for (const d of diagnosticsOf(f)) {
        if (d.severity === 'error') errors++;
        else if (d.severity === 'warning') warnings++;
      }
    }
    return {
      name: c.name,
      origin: c.origin,
      reason: c.reason,
      manifest: c.manifest?.file,
      nodes: c.nodes.map((n) => ({
        name: n.name,
        address: n.address ? `${n.address.ip.text}${n.address.prefix !== undefined ? '/' + n.address.prefix : ''}` : undefined,
        files: [n.keepalived?.file, ...n.haproxy.map((h) => h.file), n.corosync?.file].filter((f): f is string => Boolean(f)),
        priority: n.keepalived?.instances[0]?.priority?.value ?? (n.keepalived?.instances.length ? 100 : undefined),
        holdsVip: holders.has(n.name),
      })),
      vips: [...new Set(failover.flatMap((f) => f.vips))],
      failover,
      errors,
      warnings,
      files: c.files,
    };
  });
}
