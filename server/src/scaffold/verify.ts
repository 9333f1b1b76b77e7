// Before `haconf init` writes anything it proves the cluster works, twice:
// 1. the failover simulation (cluster/failover.ts) on the planned numbers: the first node holds the VIP,
//    and however many nodes' checks fail, every healthy node outranks every failed one, so the VIP always
//    moves to a healthy node;
// 2. the whole workspace check (`haconf check` + the cluster rules) on the rendered files, in memory:
//    not one error or warning.
// Either failing means the files would be wrong, so nothing is written.
import * as path from 'node:path';
import { parseIp } from '../core/net';
import { globToRegExp, hasGlobMagic } from '../core/glob';
import { defaultCheckOptions, type Diagnostic } from '../core/types';
import type { ReadResult, SourceHost } from '../core/sourceHost';
import { effectivePriority, simulateFailover, type FailoverTable, type SimNode } from '../cluster/failover';
import { checkWorkspace } from '../engine/workspace';
import type { ScaffoldPlan } from './plan';
import type { ScaffoldFiles } from './render';

/** The planned nodes as the simulation sees them (what the rendered keepalived.conf files say). */
export function simulatedNodes(plan: ScaffoldPlan): SimNode[] {
  return plan.nodes.map((n) => ({
    name: n.name,
    ip: parseIp(n.ip),
    priority: n.priority,
    nopreempt: false,
    syncGroup: false,
    scripts: [{ name: 'chk_haproxy', weight: plan.weight, reverse: false }],
  }));
}

/** Problems with the planned failover, in words; empty when a failed check always moves the VIP to a healthy node. */
export function failoverProblems(plan: ScaffoldPlan): { table?: FailoverTable; problems: string[] } {
  if (plan.kind === 'pacemaker') return { problems: [] }; // Pacemaker moves the VIP; no VRRP arithmetic
  const nodes = simulatedNodes(plan);
  const table = simulateFailover(nodes);
  const problems: string[] = [];
  if (table.initialHolder !== plan.nodes[0].name) problems.push(`${table.initialHolder ?? 'nobody'} holds the VIP at start, not ${plan.nodes[0].name}`);
  for (const s of table.scenarios) {
    if (s.kind === 'script-fails' && s.node === table.initialHolder && (s.holder === s.node || s.holder === undefined)) {
      problems.push(`when chk_haproxy fails on ${s.node} the VIP ${s.holder ? 'stays there' : 'has no holder'}`);
    }
  }
  // Checks failing one node after another (the VIP holder first): a failed node must never outrank a healthy one.
  const failed = new Set<string>();
  for (const n of nodes.slice(0, -1)) {
    failed.add(n.name);
    const prio = (x: SimNode) => effectivePriority(x, failed.has(x.name) ? new Set(['chk_haproxy']) : new Set());
    const healthy = nodes.filter((x) => !failed.has(x.name)).map((x) => ({ name: x.name, prio: Number(prio(x)) }));
    const down = nodes.filter((x) => failed.has(x.name)).map((x) => ({ name: x.name, prio: Number(prio(x)) }));
    const worstHealthy = healthy.reduce((a, b) => (b.prio < a.prio ? b : a));
    const bestFailed = down.reduce((a, b) => (b.prio > a.prio ? b : a));
    if (bestFailed.prio >= worstHealthy.prio) {
      problems.push(
        `with chk_haproxy failed on ${[...failed].join(', ')}, failed ${bestFailed.name} (${bestFailed.prio}) is not below healthy ${worstHealthy.name} (${worstHealthy.prio}), so as more checks fail the VIP can stay on a failed node; the weight must exceed ${plan.nodes[0].priority - plan.nodes[plan.nodes.length - 1].priority}`,
      );
      break;
    }
  }
  return { table, problems };
}

/** Files held in memory under `root`, served the way NodeSourceHost serves the disk. */
export class MemorySourceHost implements SourceHost {
  private readonly files = new Map<string, string>();
  constructor(root: string, files: ScaffoldFiles, extra: Map<string, string> = new Map()) {
    for (const [rel, text] of files) this.files.set(path.join(root, rel), text);
    for (const [abs, text] of extra) this.files.set(abs, text);
  }
  readText(absPath: string): ReadResult {
    const text = this.files.get(absPath);
    return text === undefined ? { ok: false, reason: `${absPath}: no such file` } : { ok: true, text };
  }
  isFile(absPath: string): boolean {
    return this.files.has(absPath);
  }
  glob(absPattern: string, limit = 1000): string[] {
    if (!hasGlobMagic(absPattern)) return this.files.has(absPattern) ? [absPattern] : [];
    const parts = absPattern.split('/').map((seg) => (hasGlobMagic(seg) ? globToRegExp(seg) : seg));
    const out = [...this.files.keys()].filter((f) => {
      const fp = f.split('/');
      return fp.length === parts.length && parts.every((p, i) => (typeof p === 'string' ? p === fp[i] : p.test(fp[i]) && !fp[i].startsWith('.')));
    });
    return out.sort().slice(0, limit);
  }
  paths(): string[] {
    return [...this.files.keys()];
  }
}

/** Every finding `haconf check` would report on the rendered files, were they written under `root`. */
export function checkRendered(root: string, files: ScaffoldFiles, haproxyVersion: string, serviceTexts: Map<string, string> = new Map()): Diagnostic[] {
  const host = new MemorySourceHost(root, files, serviceTexts);
  const configs = [...files.keys()].filter((f) => /\.(cfg|conf)$/.test(f)).map((f) => ({ file: path.join(root, f) }));
  const ws = checkWorkspace({ files: configs, manifests: [path.join(root, 'haconf.yaml')] }, defaultCheckOptions({ haproxyVersion }), host);
  return ws.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
}
