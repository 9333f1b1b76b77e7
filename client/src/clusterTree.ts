import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterView, ClusterViewNode } from '../../server/src/protocol';
import { plural } from '../../server/src/core/plural';
import type { DriftFileRef, DriftMark, DriftMarks } from './drift';

type Item =
  | { kind: 'cluster'; cluster: ClusterView }
  | { kind: 'node'; cluster: ClusterView; node: ClusterViewNode }
  | { kind: 'file'; file: string; cluster: ClusterView; node: ClusterViewNode; drift?: DriftFileRef };

/** How a drift mark reads in the tree (description, tooltip) and its icon. */
function driftWords(m: DriftMark): { text: string; icon: vscode.ThemeIcon } {
  const when = new Date(m.checkedAt).toLocaleTimeString();
  if (m.state === 'drifted') return { text: `drifted (checked ${when})`, icon: new vscode.ThemeIcon('diff', new vscode.ThemeColor('problemsWarningIcon.foreground')) };
  if (m.state === 'unreachable') return { text: `unreachable (checked ${when})`, icon: new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsErrorIcon.foreground')) };
  if (m.state === 'not-checked') return { text: `could not be read (checked ${when})`, icon: new vscode.ThemeIcon('question', new vscode.ThemeColor('problemsWarningIcon.foreground')) };
  return { text: `in sync (checked ${when})`, icon: new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')) };
}

/** "haconf: Clusters": clusters → hosts → files, with the VIP holder and priorities. */
export class ClusterTree implements vscode.TreeDataProvider<Item> {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private clusters: ClusterView[] = [];

  /** Drift marks come only from checks the user asked for (or a deploy); the tree never checks by itself. */
  constructor(private readonly drift?: DriftMarks) {
    drift?.onDidChange(() => this.changed.fire(undefined));
  }

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
    if (item.kind === 'node') {
      return item.node.files.map((file) => {
        const mark = this.drift?.file(item.cluster.manifest, item.node.name, file);
        const drift = mark?.file && mark.state === 'drifted' ? { manifest: item.cluster.manifest!, host: item.node.name, file: mark.file } : undefined;
        return { kind: 'file', file, cluster: item.cluster, node: item.node, drift };
      });
    }
    return [];
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if (item.kind === 'cluster') {
      const c = item.cluster;
      const t = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Expanded);
      const problems = c.errors ? plural(c.errors, 'error') : c.warnings ? plural(c.warnings, 'warning') : 'clean';
      const checked = this.drift?.result(c.manifest);
      const drifted = checked ? checked.summary.drifted + checked.summary.unreachable : 0;
      const driftText = checked ? (drifted ? ` · drift: ${plural(checked.summary.drifted, 'host')} drifted, ${checked.summary.unreachable} unreachable` : ' · hosts in sync') : '';
      t.description = `${plural(c.nodes.length, 'node')} · VIP ${c.vips.join(', ') || '—'} · ${problems}${driftText}`;
      t.tooltip = new vscode.MarkdownString(`**${c.name}** (${c.origin})\n\n${c.reason}`);
      t.iconPath = new vscode.ThemeIcon(
        c.errors ? 'error' : c.warnings ? 'warning' : 'pass',
        new vscode.ThemeColor(c.errors ? 'problemsErrorIcon.foreground' : c.warnings ? 'problemsWarningIcon.foreground' : 'testing.iconPassed'),
      );
      t.contextValue = 'haconf.cluster';
      t.command = { command: 'haconf.showCluster', title: 'Show failover table', arguments: [c.name] };
      return t;
    }
    if (item.kind === 'node') {
      const n = item.node;
      const t = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Collapsed);
      t.description = [n.address, n.priority !== undefined ? `priority ${n.priority}` : undefined, n.holdsVip ? 'holds VIP' : undefined].filter(Boolean).join(' · ');
      t.iconPath = new vscode.ThemeIcon(n.holdsVip ? 'star-full' : 'server');
      const mark = this.drift?.host(item.cluster.manifest, n.name);
      if (mark) {
        const w = driftWords(mark);
        // The state first: the view is narrow and the end of a description is cut off.
        t.description = `${w.text}${t.description ? ` · ${t.description}` : ''}`;
        if (mark.state !== 'in-sync') t.iconPath = w.icon;
        const versions = mark.host.versions
          .filter((v) => v.installed)
          .map((v) => `${v.daemon} ${v.version ?? v.line}`)
          .join(', ');
        t.tooltip = [mark.host.error, versions ? `Versions: ${versions}` : undefined].filter(Boolean).join('\n') || undefined;
      }
      return t;
    }
    const t = new vscode.TreeItem(vscode.Uri.file(item.file), vscode.TreeItemCollapsibleState.None);
    t.label = path.basename(item.file);
    t.description = path.basename(path.dirname(item.file));
    t.resourceUri = vscode.Uri.file(item.file);
    t.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(item.file)] };
    const mark = this.drift?.file(item.cluster.manifest, item.node.name, item.file);
    if (mark) {
      const w = driftWords(mark);
      t.description = `${w.text} · ${t.description}`;
      t.tooltip = mark.file?.message;
      if (mark.state !== 'in-sync') t.iconPath = w.icon;
      if (item.drift) {
        // A drifted file opens its masked diff; the context menu offers adopt / deploy ours.
        t.contextValue = 'haconf.file.drifted';
        if (item.drift.file.diff) t.command = { command: 'haconf.driftOpenDiff', title: 'Show drift', arguments: [item.drift] };
      }
    }
    return t;
  }
}
