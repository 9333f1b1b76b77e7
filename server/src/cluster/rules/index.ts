// The cluster layer's registries: the rules of one cluster (re-run by the language server when one of its
// files changes) and the rules across clusters, each rule run isolated (core/rule.ts). To add a rule: write
// a `Rule<ClusterContext>` (its RuleMeta and its check) and append it to `clusterRules` below (or a
// `Rule<CrossClusterContext>` to `crossClusterRules` when it compares clusters with each other).
import type { Diagnostic, RuleMeta } from '../../core/types';
import { RuleRegistry, type Rule } from '../../core/rule';
import type { Cluster } from '../model';
import { vrrpGroups, type GroupMember } from '../groups';
import { ClusterContext, CrossClusterContext } from './context';
import { checkVrrpConsistency } from './vrrp';
import { checkFailover } from './failover';
import { checkDivergence, checkNodePorts, checkNonlocalBind, checkTrackPorts } from './haproxy';
import { checkCorosyncMembership } from './corosync';
import { checkVridCollisions } from './collision';
import { CATALOGUE_ORDER, META } from './meta';

export { ClusterContext, CrossClusterContext };

/** One walk over each VRRP group compares the peers' settings. */
const vrrpRule: Rule<ClusterContext> = {
  name: 'cluster vrrp consistency',
  meta: META['cluster/vrid-mismatch'],
  alsoReports: [
    META['cluster/vip-mismatch'],
    META['cluster/advert-int-mismatch'],
    META['cluster/auth-mismatch'],
    META['cluster/priority-conflict'],
    META['cluster/unicast-peer-mismatch'],
    META['cluster/vip-outside-subnet'],
  ],
  check: (ctx) => checkVrrpConsistency(ctx.cluster, ctx.groups, ctx),
};

const failoverRule: Rule<ClusterContext> = {
  meta: META['cluster/failover-blocked'],
  check: (ctx) => {
    for (const g of ctx.groups) checkFailover(g, ctx);
  },
};

const trackPortRule: Rule<ClusterContext> = { meta: META['cluster/track-port-unbound'], check: (ctx) => checkTrackPorts(ctx.cluster, ctx) };

/** One walk over the backends aimed at the workers checks their ports and their coverage. */
const nodePortRule: Rule<ClusterContext> = {
  name: 'cluster node ports',
  meta: META['cluster/nodeport-mismatch'],
  alsoReports: [META['cluster/backend-missing-worker']],
  check: (ctx) => checkNodePorts(ctx.cluster, ctx),
};

const divergenceRule: Rule<ClusterContext> = { meta: META['cluster/haproxy-divergent'], check: (ctx) => checkDivergence(ctx.cluster, ctx) };

const nonlocalBindRule: Rule<ClusterContext> = { meta: META['cluster/nonlocal-bind'], check: (ctx) => checkNonlocalBind(ctx.cluster, ctx.groups, ctx) };

const corosyncRule: Rule<ClusterContext> = { meta: META['cluster/corosync-membership'], check: (ctx) => checkCorosyncMembership(ctx.cluster, ctx) };

const collisionRule: Rule<CrossClusterContext> = { meta: META['cluster/vrid-collision'], check: (ctx) => checkVridCollisions(ctx.all, ctx) };

export const clusterRules = new RuleRegistry<ClusterContext>(
  'cluster',
  [],
  [vrrpRule, failoverRule, trackPortRule, nodePortRule, divergenceRule, nonlocalBindRule, corosyncRule],
  CATALOGUE_ORDER.filter((m) => m !== META['cluster/vrid-collision']),
);

export const crossClusterRules = new RuleRegistry<CrossClusterContext>('cluster', [], [collisionRule]);

/** Every cluster/* code, in the order docs/rules.md lists them (both registries; not cluster/internal-error). */
export const CLUSTER_RULES: RuleMeta[] = [...clusterRules.catalogue, ...crossClusterRules.catalogue].sort((a, b) => CATALOGUE_ORDER.indexOf(a) - CATALOGUE_ORDER.indexOf(b));

/** Every cross-file rule over every cluster. Linear in the number of nodes per cluster plus one map pass for collisions. */
export function checkClusters(clusters: Cluster[]): Diagnostic[] {
  const all = clusters.map((cluster) => ({ cluster, groups: vrrpGroups(cluster) }));
  const out: Diagnostic[] = [];
  for (const { cluster, groups } of all) out.push(...checkCluster(cluster, groups));
  out.push(...checkCrossClusters(all));
  return out;
}

/** The rules of one cluster (what the language server re-runs when one of its files changes). */
export function checkCluster(cluster: Cluster, groups = vrrpGroups(cluster)): Diagnostic[] {
  const ctx = new ClusterContext(cluster, groups);
  clusterRules.run(ctx);
  return ctx.diagnostics;
}

/** The rules that compare clusters with each other (VRID collisions on a shared segment). */
export function checkCrossClusters(all: { cluster: Cluster; groups: GroupMember[][] }[]): Diagnostic[] {
  const ctx = new CrossClusterContext(all);
  crossClusterRules.run(ctx);
  return ctx.diagnostics;
}
