import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterView, ClusterViewNode } from '../../server/src/cluster/view';
import { plural } from '../../server/src/core/plural';

type Item =
  | { kind: 'cluster'; cluster: ClusterView }
  | { kind: 'node'; cluster: ClusterView; node: ClusterViewNode }
  | { kind: 'file'; file: string };

/** "haconf: Clusters": clusters → hosts → files, with the VIP holder and priorities. */
export class ClusterTree implements vscode.TreeDataProvider<Item> {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private clusters: ClusterView[] = [];

  set(clusters: ClusterView[]): void {
    this.clusters = clusters;
    this.changed.fire(undefined);
  }

  get current(): readonly ClusterView[] {
    return this.clusters;
  }

  getChildren(item?: Item): Item[] {
    if (!item) return this.clusters.map((cluster) => ({ kind: 'cluster', cluster }));
    if (item.kind === 'cluster') return item.cluster.nodes.map((node) => ({ kind: 'node', cluster: item.cluster, node }));
    if (item.kind === 'node') return item.node.files.map((file) => ({ kind: 'file', file }));
    return [];
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if (item.kind === 'cluster') {
      const c = item.cluster;
      const t = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Expanded);
      const problems = c.errors ? plural(c.errors, 'error') : c.warnings ? plural(c.warnings, 'warning') : 'clean';
      t.description = `${plural(c.nodes.length, 'node')} · VIP ${c.vips.join(', ') || '—'} · ${problems}`;
      t.tooltip = new vscode.MarkdownString(`**${c.name}** (${c.origin})\n\n${c.reason}`);
      t.iconPath = new vscode.ThemeIcon(c.errors ? 'error' : c.warnings ? 'warning' : 'pass', new vscode.ThemeColor(c.errors ? 'problemsErrorIcon.foreground' : c.warnings ? 'problemsWarningIcon.foreground' : 'testing.iconPassed'));
      t.contextValue = 'haconf.cluster';
      t.command = { command: 'haconf.showCluster', title: 'Show failover table', arguments: [c.name] };
      return t;
    }
    if (item.kind === 'node') {
      const n = item.node;
      const t = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Collapsed);
      t.description = [n.address, n.priority !== undefined ? `priority ${n.priority}` : undefined, n.holdsVip ? 'holds VIP' : undefined].filter(Boolean).join(' · ');
      t.iconPath = new vscode.ThemeIcon(n.holdsVip ? 'star-full' : 'server');
      return t;
    }
    const t = new vscode.TreeItem(vscode.Uri.file(item.file), vscode.TreeItemCollapsibleState.None);
    t.label = path.basename(item.file);
    t.description = path.basename(path.dirname(item.file));
    t.resourceUri = vscode.Uri.file(item.file);
    t.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(item.file)] };
    return t;
  }
}
