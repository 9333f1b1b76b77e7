// Workspace membership in real VS Code (issue 12, items 3, 6 and 7): a *.cfg the server recognises opens as
// HAProxy, haconf.files.associations is read, untitled buffers are checked, and a deleted folder takes its
// findings with it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it, after } from 'mocha';
import { codeOf, completionLabels, hoverText, waitFor, waitForDiagnostics, workspaceRoot, wsUri } from './helpers';

const created: string[] = [];
function write(rel: string, text: string): vscode.Uri {
  const abs = path.join(workspaceRoot(), rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  created.push(rel.split('/')[0]);
  return vscode.Uri.file(abs);
}

const ka = (vrid: number, state: string) =>
  `vrrp_instance VI_9 {\n    state ${state}\n    interface eth0\n    virtual_router_id ${vrid}\n    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        10.99.0.10/24\n    }\n}\n`;

describe('workspace membership', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('haconf').update('files.associations', undefined, vscode.ConfigurationTarget.Workspace);
    for (const top of new Set(created)) fs.rmSync(path.join(workspaceRoot(), top), { recursive: true, force: true });
  });

  it('opens a *.cfg outside a haproxy/ folder as HAProxy when the server recognises it', async () => {
    const uri = write('edge/lb-edge.cfg', 'global\n    maxconn 100\n\ndefaults\n    mode http\n\nfrontend www\n    bindd :80\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const lang = await waitFor(
      'the language switch',
      () => {
        const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString());
        return d && d.languageId === 'haproxy' ? d.languageId : undefined;
      },
      15000,
      () => `languageId ${vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString())?.languageId}`,
    );
    assert.equal(lang, 'haproxy');
    await waitForDiagnostics(uri, 'haproxy/unknown-keyword', (ds) => ds.find((d) => codeOf(d) === 'haproxy/unknown-keyword'));
  });

  it('reads haconf.files.associations: a *.txt under vrrp/ is keepalived', async () => {
    await vscode.workspace.getConfiguration('haconf').update('files.associations', { '**/vrrp/*.txt': 'keepalived' }, vscode.ConfigurationTarget.Workspace);
    const uri = write('vrrp/peer.txt', 'vrrp_instance VI_1 {\n    state MASTR\n    interface eth0\n    virtual_router_id 7\n    priority 100\n}\n');
    // The settings change reaches the server, which rescans; opening the file then switches its language.
    await new Promise((r) => setTimeout(r, 1000));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor('keepalived language', () => (vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString())?.languageId === 'keepalived' ? true : undefined));
    await waitForDiagnostics(uri, 'a keepalived finding', (ds) => (ds.length ? ds : undefined));
  });

  it('checks an untitled HAProxy buffer: diagnostics, completion and hover', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'haproxy', content: 'backend web\n    balanse roundrobin\n    \n' });
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.equal(doc.uri.scheme, 'untitled');
    const d = await waitForDiagnostics(doc.uri, 'haproxy/unknown-keyword', (ds) => ds.find((x) => codeOf(x) === 'haproxy/unknown-keyword'));
    assert.equal(d.range.start.line, 1);
    const labels = await completionLabels(doc.uri, new vscode.Position(2, 4));
    assert.ok(labels.includes('balance'), `completion in an untitled buffer (${labels.length} items)`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 2));
    assert.match(hoverText(hovers), /backend/i);
  });

  it('a deleted folder takes its findings with it at once', async () => {
    const n1 = write('extra/n1/keepalived.conf', ka(71, 'MASTER'));
    write('extra/n2/keepalived.conf', ka(71, 'BACKUP'));
    const n3 = write('extra/n3/keepalived.conf', ka(72, 'BACKUP'));
    await waitForDiagnostics(n3, 'cluster/vrid-mismatch', (ds) => ds.find((x) => codeOf(x) === 'cluster/vrid-mismatch'));
    assert.ok(n1);
    fs.rmSync(path.join(workspaceRoot(), 'extra'), { recursive: true });
    await waitForDiagnostics(n3, 'no findings left', (ds) => (ds.length === 0 ? true : undefined), 10000);
    const state = await vscode.commands.executeCommand<{ clusters: { nodes: string[] }[] }>('haconf._testState');
    assert.equal(vscode.languages.getDiagnostics(wsUri('extra/n3/keepalived.conf')).length, 0);
    assert.ok(state, 'test state');
  });
});
