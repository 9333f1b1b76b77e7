import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { EXTENSION_ID, askHarness, codeOf, isOpen, mark, openEditor, timings, waitForDiagnostics, wsUri } from './helpers';

describe('activation and diagnostics', () => {
  it('activates the extension from the fixture workspace', async () => {
    mark('suiteStart');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this window`);
    if (ext.isActive) mark('activeSeen');
    await ext.activate();
    mark('activeSeen');
    assert.equal(ext.isActive, true);
    const state = await vscode.commands.executeCommand<{ activationMs?: number }>('haconf._testState');
    if (typeof state?.activationMs === 'number') timings.activationMs = state.activationMs;
  });

  it('reports the removed keyword in the open haproxy.cfg at its exact range', async () => {
    const uri = wsUri('haproxy.cfg');
    const editor = await openEditor('haproxy.cfg');
    assert.equal(editor.document.languageId, 'haproxy');
    const d = await waitForDiagnostics(uri, 'haproxy/removed-keyword', (ds) => ds.find((x) => codeOf(x) === 'haproxy/removed-keyword'));
    mark('firstDiagnostic');
    // `    reqadd X-Forwarded-Proto:\ http` on line 18 (1-based): the keyword itself is underlined.
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [17, 4, 17, 10]);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /reqadd/);
    assert.match(d.message, /http-request/, 'the message says what to write instead');
  });

  it('reports the VRID mismatch on lb3/keepalived.conf without that file ever being opened', async () => {
    const uri = wsUri('lb3/keepalived.conf');
    assert.equal(isOpen(uri), false, 'precondition: lb3/keepalived.conf is not open');
    const d = await waitForDiagnostics(uri, 'cluster/vrid-mismatch', (ds) => ds.find((x) => codeOf(x) === 'cluster/vrid-mismatch'));
    // `    virtual_router_id 62` on line 17 (1-based): the value is underlined.
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [16, 22, 16, 24]);
    assert.match(d.message, /62/);
    assert.match(d.message, /61/);
    const related = (d.relatedInformation ?? []).map((r) => r.location.uri.fsPath).sort();
    assert.deepEqual(related, [wsUri('lb1/keepalived.conf').fsPath, wsUri('lb2/keepalived.conf').fsPath], 'the peers holding 61 are linked');
    assert.equal(isOpen(uri), false, 'checking did not open lb3/keepalived.conf');
    // The peers agree with each other: no finding is pinned on them.
    for (const peer of ['lb1/keepalived.conf', 'lb2/keepalived.conf']) {
      assert.equal(
        vscode.languages.getDiagnostics(wsUri(peer)).some((x) => codeOf(x) === 'cluster/vrid-mismatch'),
        false,
        `${peer} has no vrid finding`,
      );
    }
  });

  it('shows both findings in the Problems panel', async () => {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await askHarness({ screenshot: 'problems', waitFor: '.markers-panel :text("virtual_router_id 62")' });
    await askHarness({ waitFor: '.markers-panel :text("reqadd")' });
  });
});
