import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import type { TestState } from '../../../client/src/extension';
import { askHarness, harnessPresent, waitFor, workspaceRoot } from './helpers';

// "haconf: New HA Cluster…" in real VS Code: the command (answers prefilled, so no input box is typed
// into), the summary quick pick confirmed with Enter through the browser harness, the files the server wrote,
// and the new cluster in the Clusters view, clean.

const NAME = 'e2e-new';
const ANSWERS = {
  kind: 'nodeport',
  name: NAME,
  vip: '10.30.0.10/24',
  nodes: 'n1=10.30.0.11,n2=10.30.0.12',
  nodePorts: '80:30080',
  workers: '10.30.0.21,10.30.0.22',
  iface: 'eth0',
  haproxyVersion: '2.6',
};

describe('new cluster', () => {
  it('haconf.newCluster shows the failover summary, writes the cluster on confirmation, and the Clusters view lists it clean', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('haconf.newCluster'), 'the command haconf.newCluster is registered');
    if (!harnessPresent()) return; // desktop VS Code: no browser to confirm the modal; the protocol test covers the server side
    const dir = path.join(workspaceRoot(), NAME);
    const running = vscode.commands.executeCommand('haconf.newCluster', ANSWERS);
    await askHarness({ waitFor: '.quick-input-widget :text("create cluster e2e-new")', screenshot: 'new-cluster', pressAfter: ['Enter'], timeoutMs: 30000 });
    await running;
    for (const f of ['haconf.yaml', 'haproxy.cfg', 'n1/keepalived.conf', 'n2/keepalived.conf']) assert.ok(fs.existsSync(path.join(dir, f)), `${f} was written`);
    const cluster = await waitFor(
      `cluster ${NAME} in the Clusters view`,
      async () => {
        const s = await vscode.commands.executeCommand<TestState>('haconf._testState');
        return s.clusters.find((c) => c.name === NAME);
      },
      20000,
    );
    assert.deepEqual(cluster.nodes, ['n1', 'n2']);
    assert.equal(cluster.errors, 0);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(dir, 'haconf.yaml'), 'haconf.yaml is opened');
  });
});
