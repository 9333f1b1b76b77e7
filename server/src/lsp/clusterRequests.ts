import type { Connection } from 'vscode-languageserver/node';
import type { WorkspaceModel } from '../engine/model';
import { clusterViews } from '../cluster/view';
import { CHECK_WORKSPACE, CLUSTERS } from '../protocol';
import { onRequest } from './customMethods';

/**
 * Custom requests behind the client's cluster UI: `haconf/clusters` returns the cluster summaries the tree
 * view, status bar and failover table render; `haconf/checkWorkspace` re-scans the folders first.
 */
export function registerClusterRequests(connection: Connection, model: () => WorkspaceModel, rescan: () => void): void {
  onRequest(connection, CLUSTERS, () => {
    const m = model();
    return clusterViews(m.clusters, (f) => m.diagnostics(f));
  });
  onRequest(connection, CHECK_WORKSPACE, () => {
    rescan();
    return { clusters: model().clusters.length };
  });
}
