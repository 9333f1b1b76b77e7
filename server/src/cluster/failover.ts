// Failover simulation: who holds the VIP when a tracked check fails or a node dies. Follows keepalived
// 2.2.7 (vrrp/vrrp_track.c, vrrp.c) as summarised in shared/reference/config-facts.md:
// - a positive weight is added while the script succeeds, a negative one while it fails; weights sum;
//   `reverse` flips the direction; weight 0 puts the instance in FAULT when the script fails;
// - the effective priority is clamped to 1..254; a base priority of 255 (address owner) never moves;
// - inside a vrrp_sync_group (without sync_group_tracking_weight) weights are ignored: a failing script
//   puts the whole instance in FAULT;
// - a backup takes over only when its priority is strictly above the holder's and it may preempt;
//   nopreempt backups never take over from a live holder. Elections with no live holder go to the
//   highest priority, ties to the higher primary IP.
import { compareIps, parseIp, type IpAddress } from '../core/net';
import type { GroupMember } from './groups';

export interface SimScript {
  name: string;
  weight: number;
  reverse: boolean;
}

export interface SimNode {
  /** Host name shown in tables and messages. */
  name: string;
  /** Primary IP used for tie-breaks; undefined sorts lowest. */
  ip?: IpAddress;
  priority: number;
  nopreempt: boolean;
  /** Member of a vrrp_sync_group without sync_group_tracking_weight. */
  syncGroup: boolean;
  scripts: SimScript[];
}

export type NodeState = number | 'FAULT' | 'DOWN';

export interface Scenario {
  kind: 'healthy' | 'script-fails' | 'node-down';
  /** Node the failure happens on. */
  node?: string;
  script?: string;
  label: string;
  states: Record<string, NodeState>;
  /** Who holds the VIP after the event; undefined when nobody can. */
  holder?: string;
}

export interface FailoverTable {
  nodes: string[];
  scenarios: Scenario[];
  /** Holder in the healthy state. */
  initialHolder?: string;
}

/** Effective priority of one node given which of its scripts fail. */
export function effectivePriority(node: SimNode, failing: ReadonlySet<string>): NodeState {
  if (node.priority >= 255) return 255;
  let sum = 0;
  for (const s of node.scripts) {
    const up = !failing.has(s.name);
    const weight = node.syncGroup ? 0 : s.weight;
    if (weight === 0) {
      // reverse with weight 0: FAULT while the script succeeds.
      if (s.reverse ? up : !up) return 'FAULT';
      continue;
    }
    const applies = weight > 0 ? up : !up;
    if (applies) sum += s.reverse ? -weight : weight;
  }
  return Math.min(254, Math.max(1, node.priority + sum));
}

function better(a: SimNode, pa: number, b: SimNode, pb: number): boolean {
  if (pa !== pb) return pa > pb;
  if (a.ip && b.ip) return compareIps(a.ip, b.ip) > 0;
  return Boolean(a.ip) && !b.ip;
}

/** Election with no live holder: highest priority, ties to the higher primary IP. */
function elect(nodes: SimNode[], states: Record<string, NodeState>): string | undefined {
  let best: SimNode | undefined;
  for (const n of nodes) {
    const s = states[n.name];
    if (typeof s !== 'number') continue;
    if (!best || better(n, s, best, states[best.name] as number)) best = n;
  }
  return best?.name;
}

/** After an event, does the holder keep the VIP, or who preempts it? */
function settle(nodes: SimNode[], states: Record<string, NodeState>, holder: string | undefined): string | undefined {
  const h = holder !== undefined ? states[holder] : undefined;
  if (typeof h !== 'number') return elect(nodes, states);
  const challengers = nodes.filter((n) => {
    const s = states[n.name];
    return n.name !== holder && !n.nopreempt && typeof s === 'number' && s > h;
  });
  return challengers.length ? elect(challengers, states) : holder;
}

export function simulateFailover(nodes: SimNode[]): FailoverTable {
  const none = new Set<string>();
  const healthyStates: Record<string, NodeState> = {};
  for (const n of nodes) healthyStates[n.name] = effectivePriority(n, none);
  const initialHolder = elect(nodes, healthyStates);
  const scenarios: Scenario[] = [{ kind: 'healthy', label: 'all healthy', states: healthyStates, holder: initialHolder }];

  for (const n of nodes) {
    for (const s of n.scripts) {
      const states = { ...healthyStates, [n.name]: effectivePriority(n, new Set([s.name])) };
      scenarios.push({ kind: 'script-fails', node: n.name, script: s.name, label: `${s.name} fails on ${n.name}`, states, holder: settle(nodes, states, initialHolder) });
    }
  }
  for (const n of nodes) {
    const states: Record<string, NodeState> = { ...healthyStates, [n.name]: 'DOWN' };
    scenarios.push({ kind: 'node-down', node: n.name, label: `${n.name} down`, states, holder: settle(nodes, states, initialHolder) });
  }
  return { nodes: nodes.map((n) => n.name), scenarios, initialHolder };
}

export function formatState(s: NodeState): string {
  return typeof s === 'number' ? String(s) : s;
}

/** The simulation's view of one virtual router: each member's priority, scripts and tie-break address. */
export function simNodes(group: GroupMember[]): SimNode[] {
  return group.map(({ node, inst }) => {
    const scripts = inst.tracks.flatMap((t) => {
      const def = node.keepalived?.scripts.get(t.name);
      if (!def) return []; // keepalived drops undefined track scripts; keepalived/undefined-reference says so
      return [{ name: t.name, weight: t.weight ?? def.weight, reverse: t.reverse ?? def.reverse }];
    });
    const ip = node.address?.ip ?? (inst.unicastSrcIp ? parseIp(inst.unicastSrcIp.value) : undefined);
    return {
      name: node.name,
      ip,
      priority: inst.priority?.value ?? 100,
      nopreempt: inst.nopreempt,
      syncGroup: Boolean(inst.syncGroup) && !inst.syncGroupTrackingWeight,
      scripts,
    };
  });
}

/** The failover table of one virtual router (a group from cluster/groups.ts). */
export function groupTable(group: GroupMember[]): FailoverTable {
  return simulateFailover(simNodes(group));
}

/** A check failed on the VIP holder and the VIP stayed there: the case cluster/failover-blocked reports. */
export function staysOnFailedNode(table: FailoverTable, s: Scenario): boolean {
  return s.kind === 'script-fails' && s.node === table.initialHolder && s.holder === table.initialHolder;
}

/** One printable row per scenario: states as text in the table's node order. */
export interface FailoverRow {
  label: string;
  kind: Scenario['kind'];
  states: string[];
  holder?: string;
  /** The VIP stays on the node whose check failed (staysOnFailedNode). */
  blocked: boolean;
}

/** The table as rows, as the CLI, the editor's cluster view and `haconf init` print it. */
export function failoverRows(table: FailoverTable): FailoverRow[] {
  return table.scenarios.map((s) => ({
    label: s.label,
    kind: s.kind,
    states: table.nodes.map((n) => formatState(s.states[n])),
    holder: s.holder,
    blocked: staysOnFailedNode(table, s),
  }));
}
