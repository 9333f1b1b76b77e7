import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import type { TestState } from '../../../client/src/extension';
import { EXTENSION_ID, askHarness, openEditor, waitFor } from './helpers';

/** What the client's test hook `haconf._testState` returns (client/src/extension.ts). */
type State = Partial<TestState> & { activationMs?: number };

const CLUSTER = 'e2e-edge';
const VIP = '10.20.0.10';

async function testState(): Promise<State> {
  const commands = await vscode.commands.getCommands(true);
  assert.ok(commands.includes('haconf._testState'), 'the client registers the test hook command haconf._testState');
  const s = await vscode.commands.executeCommand<State>('haconf._testState');
  assert.ok(s && typeof s === 'object', 'haconf._testState returns an object');
  return s;
}

function clustersViewId(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  const views = (ext.packageJSON as { contributes?: { views?: Record<string, { id: string; name?: string }[]> } }).contributes?.views ?? {};
  const all = Object.values(views).flat();
  const v = all.find((x) => /cluster/i.test(`${x.id} ${x.name ?? ''}`));
  assert.ok(v, `the manifest contributes a clusters view (views: ${all.map((x) => x.id).join(', ') || 'none'})`);
  return v.id;
}

describe('cluster UI', () => {
  it('the status bar summarises the cluster of the active file: name, node count, VIP, errors', async () => {
    await openEditor('lb1/keepalived.conf');
    const s = await waitFor(
      'a status text naming the cluster',
      async () => {
        const st = await testState();
        return st.statusText?.includes(CLUSTER) ? st : undefined;
      },
      15000,
    );
    const text = s.statusText ?? '';
    assert.match(text, /\b3\b/, `node count 3 in '${text}'`);
    assert.ok(text.includes(VIP), `VIP ${VIP} in '${text}'`);
    assert.match(text, /(?:\$\(error\)\s*2|\b2\s+errors?)\b/, `the cluster's two errors (reqadd, VRID mismatch) in '${text}'`);
    assert.equal(s.statusVisible, true, 'the status bar item is shown');
    assert.equal(s.serverRunning, true, 'the language server is running');
    await askHarness({ waitFor: `footer :text("${CLUSTER}")` });
  });

  it('the clusters tree lists the cluster with its three hosts', async () => {
    const s = await testState();
    const c = (s.clusters ?? []).find((x) => x.name === CLUSTER);
    assert.ok(c, `cluster ${CLUSTER} in ${JSON.stringify(s.clusters)}`);
    assert.deepEqual([...c.nodes].sort(), ['lb1', 'lb2', 'lb3']);
    assert.ok(
      c.vips.some((v) => v.startsWith(VIP)),
      `VIP ${VIP} in ${JSON.stringify(c.vips)}`,
    );
    assert.equal(c.errors, 2, 'reqadd + VRID mismatch');
    const id = clustersViewId();
    await vscode.commands.executeCommand(`${id}.focus`);
    await askHarness({ waitFor: `.pane-body :text("${CLUSTER}")` });
  });

  it('haconf.showCluster opens the failover table', async () => {
    await vscode.commands.executeCommand('haconf.showCluster', CLUSTER);
    const tab = await waitFor('a webview or preview tab for the cluster', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => (t.input instanceof vscode.TabInputWebview || t.input instanceof vscode.TabInputCustom || t.input instanceof vscode.TabInputText) && /cluster|failover|e2e-edge/i.test(t.label)),
    );
    assert.ok(tab.isActive, `the failover table tab '${tab.label}' is in front`);
    assert.equal((await testState()).failoverShown, CLUSTER);
    // Room for the tree in the picture.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    // The webview's content lives in nested iframes; the harness waits for its frame, then lets it paint.
    await askHarness({ screenshot: 'cluster-view', waitFor: '.pane-body :text("lb3")', webviewText: 'lb3', timeoutMs: 20000 });
  });
});
