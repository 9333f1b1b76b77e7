import * as vscode from 'vscode';
import type { ClusterView } from '../../server/src/protocol';
import { renderFailoverHtml } from './failoverHtml';

export class FailoverPanel {
  private panel: vscode.WebviewPanel | undefined;
  private shown: string | undefined;

  show(c: ClusterView): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('haconf.failover', `Failover: ${c.name}`, vscode.ViewColumn.Beside, { enableScripts: false });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.shown = c.name;
    this.panel.title = `Failover: ${c.name}`;
    this.panel.webview.html = renderFailoverHtml(c, this.panel.webview.cspSource);
    this.panel.reveal(undefined, true);
  }

  refresh(clusters: readonly ClusterView[]): void {
    const c = clusters.find((x) => x.name === this.shown);
    if (this.panel && c) this.panel.webview.html = renderFailoverHtml(c, this.panel.webview.cspSource);
  }

  get visibleCluster(): string | undefined {
    return this.panel ? this.shown : undefined;
  }
}
