import * as vscode from 'vscode';
import type { ClusterView } from '../../server/src/protocol';
import { plural } from '../../server/src/core/plural';

/** Summarises the cluster of the active file: name, node count, VIP, errors. */
export class ClusterStatus {
  readonly item = vscode.window.createStatusBarItem('haconf.cluster', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'haconf cluster';
    this.item.command = 'haconf.showCluster';
  }

  private lastFile: string | undefined;

  update(clusters: readonly ClusterView[], editor: vscode.TextEditor | undefined): void {
    // Focus on a webview or panel leaves no active editor: keep describing the last file's cluster.
    if (editor?.document.uri.scheme === 'file') this.lastFile = editor.document.uri.fsPath;
    const file = this.lastFile;
    const c = file ? clusters.find((x) => x.files.includes(file)) : undefined;
    if (!c) {
      this.item.hide();
      return;
    }
    const problems = c.errors ? `$(error) ${c.errors}` : c.warnings ? `$(warning) ${c.warnings}` : '$(pass)';
    this.item.text = `$(server-environment) ${c.name} · ${plural(c.nodes.length, 'node')} · VIP ${c.vips.join(', ') || '—'} · ${problems}`;
    this.item.tooltip = `${c.reason}\nClick for the failover table`;
    this.item.command = { command: 'haconf.showCluster', title: 'Show cluster', arguments: [c.name] };
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** The HAProxy version the checks target and why (the server's `haconf/targetVersion` notification). */
export class TargetVersionStatus {
  readonly item = vscode.window.createStatusBarItem('haconf.targetVersion', vscode.StatusBarAlignment.Left, 49);

  constructor() {
    this.item.name = 'haconf HAProxy version';
    this.item.command = { command: 'workbench.action.openSettings', title: 'Set the HAProxy version', arguments: ['haconf.haproxy.version'] };
  }

  update(target: { version: string; reason: string }): void {
    this.item.text = `HAProxy ${target.version}`;
    this.item.tooltip = `haconf checks for HAProxy ${target.version}: ${target.reason}\nClick to set haconf.haproxy.version`;
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
