import * as path from 'node:path';
import { isSplitFolder, readByDirectoryLoad } from '../engine/haproxySets';
import { parseCidr, type Cidr } from '../core/net';
import type { Manifest } from '../manifest/model';
import type { CorosyncFacts, HaproxyFacts, KeepalivedFacts, Loc, Located } from '../core/facts';

/** One parsed config file as the cluster layer sees it. */
export interface WorkspaceEntry {
  file: string;
  keepalived?: KeepalivedFacts;
  haproxy?: HaproxyFacts;
  corosync?: CorosyncFacts;
}

export interface ClusterNode {
  name: string;
  address?: Cidr;
  addressLoc?: Loc;
  keepalived?: KeepalivedFacts;
  haproxy: HaproxyFacts[];
  corosync?: CorosyncFacts;
}

export interface Cluster {
  name: string;
  origin: 'manifest' | 'inferred';
  /** Why these files were put together, for users who wonder. */
  reason: string;
  manifest?: Manifest;
  nodes: ClusterNode[];
  workers: Located<string>[];
  nodePorts: Located<number>[];
  /** Every file that belongs to the cluster. */
  files: string[];
}

/** Strip options and prefix so `10.0.0.10/24 dev eth0` and `10.0.0.10` compare equal. */
export function vipKey(vip: string): string {
  const c = parseCidr(vip);
  return c ? `${c.ip.family}:${c.ip.value}` : vip.toLowerCase();
}

function nodeNameFor(file: string): string {
  const base = path.basename(file);
  if (/^(keepalived|haproxy|corosync)\.(conf|cfg)$/i.test(base)) return path.basename(path.dirname(file));
  return base.replace(/\.(conf|cfg)$/i, '').replace(/^(keepalived|haproxy|corosync)[-_.]?/i, '') || base;
}

function commonDir(files: string[]): string {
  let dir = path.dirname(files[0]);
  for (const f of files) {
    while (!(f.startsWith(dir + path.sep) || path.dirname(f) === dir) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  }
  return dir;
}

class UnionFind {
  private parent: number[] = [];
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/**
 * Groups files into clusters. Manifests win: the files a haconf.yaml names belong to its cluster.
 * Without one, keepalived files that share a VIP are peers (grouped in linear time with a union-find
 * over VIPs), and haproxy/corosync files join the node whose folder they sit in, or every node when they
 * sit in the peers' common folder. `renderedFor` names the virtual file of a template rendered for a manifest
 * host, which then stands for the template in that host's node.
 */
export function buildClusters(entries: WorkspaceEntry[], manifests: Manifest[], renderedFor?: (template: string, host: string) => string | undefined): Cluster[] {
  const byFile = new Map(entries.map((e) => [e.file, e]));
  const claimed = new Set<string>();
  const clusters: Cluster[] = [];

  for (const m of manifests) {
    const nodes: ClusterNode[] = [];
    const files: string[] = [m.file];
    for (const h of m.hosts) {
      const node: ClusterNode = { name: h.name, address: h.cidr, addressLoc: { file: m.file, range: h.addressRange }, haproxy: [] };
      for (const f of h.files) {
        // A template source counts as its rendering for this host (templates/workspace.ts), when there is one.
        const rendered = renderedFor?.(f.sourceAbs, h.name);
        if (rendered && !files.includes(f.sourceAbs)) files.push(f.sourceAbs);
        const e = byFile.get(rendered ?? f.sourceAbs);
        if (!e) continue;
        claimed.add(e.file);
        if (!files.includes(e.file)) files.push(e.file);
        if (e.keepalived) node.keepalived = e.keepalived;
        if (e.haproxy) node.haproxy.push(e.haproxy);
        if (e.corosync) node.corosync = e.corosync;
      }
      nodes.push(node);
    }
    clusters.push({
      name: m.cluster ?? path.basename(m.dir),
      origin: 'manifest',
      reason: `listed in ${m.file}`,
      manifest: m,
      nodes,
      workers: m.kubernetes?.workers.map((w) => ({ value: w.address, loc: { file: m.file, range: w.range } })) ?? [],
      nodePorts: m.kubernetes?.nodePorts.map((p) => ({ value: p.port, loc: { file: p.file ?? m.file, range: p.range } })) ?? [],
      files,
    });
  }

  const ka = entries.filter((e) => e.keepalived && !claimed.has(e.file));
  const uf = new UnionFind();
  const firstByVip = new Map<string, number>();
  for (const e of ka) {
    const id = uf.add();
    for (const inst of e.keepalived!.instances) {
      for (const v of inst.vips) {
        const k = vipKey(v.value);
        const other = firstByVip.get(k);
        if (other === undefined) firstByVip.set(k, id);
        else uf.union(id, other);
      }
    }
  }
  const groups = new Map<number, WorkspaceEntry[]>();
  ka.forEach((e, i) => {
    const root = uf.find(i);
    const g = groups.get(root);
    if (g) g.push(e);
    else groups.set(root, [e]);
  });

  const others = entries.filter((e) => !e.keepalived && !claimed.has(e.file));
  const othersByDir = new Map<string, WorkspaceEntry[]>();
  for (const e of others) {
    // The files of a `conf.d`-style folder are read with the haproxy.cfg above it (engine/haproxySets.ts):
    // they sit where that file sits.
    const d = e.haproxy && isSplitFolder(path.dirname(e.file)) && readByDirectoryLoad(e.file) ? path.dirname(path.dirname(e.file)) : path.dirname(e.file);
    const g = othersByDir.get(d);
    if (g) g.push(e);
    else othersByDir.set(d, [e]);
  }

  for (const [, members] of groups) {
    if (members.length < 2) continue;
    const files = members.map((m) => m.file);
    const root = commonDir(files);
    const shared = othersByDir.get(root) ?? [];
    const nodes: ClusterNode[] = members.map((m) => {
      const node: ClusterNode = { name: nodeNameFor(m.file), keepalived: m.keepalived, haproxy: [] };
      const src = m.keepalived!.instances.find((i) => i.unicastSrcIp)?.unicastSrcIp;
      const cidr = src ? parseCidr(src.value) : undefined;
      if (cidr && src) {
        node.address = cidr;
        node.addressLoc = src.loc;
      }
      const beside = path.dirname(m.file) === root ? [] : (othersByDir.get(path.dirname(m.file)) ?? []);
      for (const e of [...beside, ...shared]) {
        if (e.haproxy) node.haproxy.push(e.haproxy);
        if (e.corosync) node.corosync = e.corosync;
        if (!files.includes(e.file)) files.push(e.file);
      }
      return node;
    });
    const vips = [...new Set(members.flatMap((m) => m.keepalived!.instances.flatMap((i) => i.vips.map((v) => v.value))))];
    clusters.push({
      name: path.basename(root),
      origin: 'inferred',
      reason: `no haconf.yaml: ${members.map((m) => path.relative(root, m.file)).join(', ')} share VIP ${vips.slice(0, 3).join(', ')}; haproxy/corosync files join the node whose folder holds them, or every node when they sit in ${root}`,
      nodes,
      workers: [],
      nodePorts: [],
      files,
    });
  }
  return clusters;
}
