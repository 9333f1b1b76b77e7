// What haconf itself says will happen to the VIP: the lab tests compare the real daemons against this.
import { checkWorkspace } from '../../server/src/engine/workspace';
import { collectFiles } from '../../server/src/engine/collect';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';
import { vrrpGroups } from '../../server/src/cluster/groups';
import { groupTable, type FailoverTable, type NodeState, type Scenario } from '../../server/src/cluster/failover';

export interface FailoverPrediction {
  table: FailoverTable;
  initialHolder: string;
  /** The scenario "the tracked check fails on the initial holder". */
  holderCheckFails: Scenario;
  /** Who holds the VIP in that scenario; undefined when nobody can. */
  holderAfterCheckFails?: string;
  /** Effective priority of the initial holder before and after its check fails. */
  holderPriority: { healthy: NodeState; failing: NodeState };
  /** The cluster/failover-blocked findings haconf reports for the folder. */
  blocked: Diagnostic[];
}

/**
 * Runs the whole workspace check on a folder laid out as <dir>/lbN/keepalived.conf + <dir>/haproxy.cfg
 * and reads the failover table of its single VRRP group. Throws with a clear message when haconf does
 * not see the cluster (so the lab test fails instead of comparing against nothing).
 */
export function predictFailover(dir: string): FailoverPrediction {
  const c = collectFiles([dir]);
  const ws = checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions({ haproxyVersion: '2.6' }), new NodeSourceHost());
  const where = `${dir} (files: ${c.files.map((f) => f.display).join(', ') || 'none'})`;
  if (ws.clusters.length !== 1) {
    throw new Error(`haconf found ${ws.clusters.length} clusters in ${where}; expected exactly 1. Does the keepalived module report vrrp_instance facts (VIPs, priority, track_script)?`);
  }
  const groups = vrrpGroups(ws.clusters[0]);
  if (groups.length !== 1) throw new Error(`haconf found ${groups.length} VRRP groups in ${where}; expected exactly 1`);
  const table = groupTable(groups[0]);
  const initialHolder = table.initialHolder;
  if (!initialHolder) throw new Error(`haconf's simulation elects no initial VIP holder for ${where}`);
  const fails = table.scenarios.filter((s) => s.kind === 'script-fails' && s.node === initialHolder);
  if (fails.length !== 1) throw new Error(`expected one tracked check on ${initialHolder}, the simulation has ${fails.length} check-failure scenarios for it`);
  const healthy = table.scenarios.find((s) => s.kind === 'healthy');
  if (!healthy) throw new Error('the simulation has no healthy scenario');
  return {
    table,
    initialHolder,
    holderCheckFails: fails[0],
    holderAfterCheckFails: fails[0].holder,
    holderPriority: { healthy: healthy.states[initialHolder], failing: fails[0].states[initialHolder] },
    blocked: ws.diagnostics.filter((d) => d.code === 'cluster/failover-blocked'),
  };
}
