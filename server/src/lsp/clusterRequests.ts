import type { Connection } from 'vscode-languageserver/node';
import type { WorkspaceModel } from '../engine/model';
import { clusterViews, CLUSTERS_REQUEST, type ClusterView } from '../cluster/view';

export const CHECK_WORKSPACE_REQUEST = 'haconf/checkWorkspace';

/**
 * Custom requests behind the client's cluster UI: `haconf/clusters` returns the cluster summaries the tree
 * view, status bar and failover table render; `haconf/checkWorkspace` re-scans the folders first.
 */
export function registerClusterRequests(connection: Connection, model: () => WorkspaceModel, rescan: () => void): void {
  connection.onRequest(CLUSTERS_REQUEST, (): ClusterView[] => {
    const m = model();
    return clusterViews(m.clusters, (f) => m.diagnostics(f));
  });
  connection.onRequest(CHECK_WORKSPACE_REQUEST, (): { clusters: number } => {
    rescan();
    return { clusters: model().clusters.length };
  });
}
