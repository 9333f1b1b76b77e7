// The extension's own page: the screenshots the user README (README.marketplace.md) shows, taken here in the
// real workbench, and the code link of a finding opening the rule's page bundled with the extension
// (docs/rules/<code>.md in the Markdown preview), not the web.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { askHarness, codeOf, harnessPresent, openEditor, positionOf, restoreText, sleep, waitFor, waitForDiagnostics, wsUri } from './helpers';

async function showHoverAt(editor: vscode.TextEditor, pos: vscode.Position): Promise<void> {
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.showHover');
}

function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType));
}

describe('page: screenshots and local rule docs', () => {
  it('hover on a keyword (screenshot for the README)', async () => {
    const editor = await openEditor('haproxy.cfg');
    await showHoverAt(editor, positionOf(editor.document, 'balance roundrobin', 2));
    await askHarness({ screenshot: 'hover', waitFor: '.monaco-hover :text("spread over the servers")', pressAfter: ['Escape'] });
  });

  it('completion in a backend (screenshot for the README)', async () => {
    const editor = await openEditor('haproxy.cfg');
    const before = editor.document.getText();
    const at = positionOf(editor.document, '    server w1 10.20.0.21:30080 check');
    // A keyword typed halfway: the list narrows to the http-request family, and the details show our description.
    await editor.edit((b) => b.insert(at, '    http-re\n'));
    const pos = new vscode.Position(at.line, '    http-re'.length);
    editor.selection = new vscode.Selection(pos, pos);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    try {
      await askHarness({ waitFor: '.suggest-widget.visible .monaco-list-row :text("http-request")' });
      await vscode.commands.executeCommand('toggleSuggestionDetails');
      await askHarness({ screenshot: 'completion', waitFor: '.suggest-details-container .suggest-details', pressAfter: ['Escape'] });
    } finally {
      await restoreText(editor, before);
      await editor.document.save();
    }
  });

  it("a finding's code link opens the bundled rule page, offline", async () => {
    const editor = await openEditor('haproxy.cfg');
    const uri = wsUri('haproxy.cfg');
    const d = await waitForDiagnostics(uri, 'haproxy/removed-keyword', (ds) => ds.find((x) => codeOf(x) === 'haproxy/removed-keyword'));
    // What VS Code holds: the code's target is the extension's command, not a web address.
    assert.equal(typeof d.code, 'object');
    const target = (d.code as { target: vscode.Uri }).target;
    assert.equal(target.scheme, 'command', `code link ${target.toString()}`);
    assert.equal(target.path, 'haconf.openRuleDocs');
    assert.deepEqual(JSON.parse(target.query), ['haproxy/removed-keyword']);
    for (const t of previewTabs()) await vscode.window.tabGroups.close(t);

    if (harnessPresent()) {
      // A person's way: hover the underlined keyword and click the code in the hover.
      await showHoverAt(editor, d.range.start);
      await askHarness({ waitFor: '.monaco-hover .code-link :text("haproxy/removed-keyword")', clickAfter: '.monaco-hover .code-link :text("haproxy/removed-keyword")' });
    } else {
      await vscode.commands.executeCommand(target.path, ...(JSON.parse(target.query) as string[]));
    }
    const tab = await waitFor(
      'a Markdown preview of the rule page',
      () => previewTabs().find((t) => /removed-keyword/.test(t.label)),
      20000,
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .map((t) => t.label)
          .join(', '),
    );
    assert.match(tab.label, /removed-keyword\.md/);
    await askHarness({ screenshot: 'rule-doc', waitFor: `.tab :text("${tab.label}")`, webviewText: 'What it reports' });
    await vscode.window.tabGroups.close(tab);
    await sleep(100);
  });

  it('the code link in the Problems panel opens the bundled page of a cross-node finding', async () => {
    // The quick-fix spec (03) aligned lb3 with its peers: put its VRID back to 62 for this test, and restore after.
    const lb3 = await vscode.workspace.openTextDocument(wsUri('lb3/keepalived.conf'));
    const original = lb3.getText();
    const wasDirty = lb3.isDirty;
    if (!/virtual_router_id 62\b/.test(original)) {
      const vrid = positionOf(lb3, 'virtual_router_id 61', 'virtual_router_id '.length);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(lb3.uri, new vscode.Range(vrid, vrid.translate(0, 2)), '62');
      assert.ok(await vscode.workspace.applyEdit(edit), 'could not set lb3 back to VRID 62');
    }
    try {
      const d = await waitForDiagnostics(wsUri('lb3/keepalived.conf'), 'cluster/vrid-mismatch', (ds) => ds.find((x) => codeOf(x) === 'cluster/vrid-mismatch'));
      const target = (d.code as { target: vscode.Uri }).target;
      assert.equal(target.toString(true), 'command:haconf.openRuleDocs?["cluster/vrid-mismatch"]');
      for (const t of previewTabs()) await vscode.window.tabGroups.close(t);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      // Under desktop VS Code there is no browser harness: the link's command is run as VS Code would.
      if (!harnessPresent()) await vscode.commands.executeCommand(target.path, ...(JSON.parse(target.query) as string[]));
      else await askHarness({ waitFor: '.markers-panel .monaco-link:has-text("cluster/vrid-mismatch")', clickAfter: '.markers-panel .monaco-link:has-text("cluster/vrid-mismatch")' });
      const tab = await waitFor('a Markdown preview of cluster/vrid-mismatch', () => previewTabs().find((t) => /vrid-mismatch\.md/.test(t.label)), 20000);
      await askHarness({ waitFor: `.tab :text("${tab.label}")`, webviewText: 'What it reports' });
      await vscode.window.tabGroups.close(tab);
    } finally {
      if (lb3.getText() !== original) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(lb3.uri, new vscode.Range(lb3.positionAt(0), lb3.positionAt(lb3.getText().length)), original);
        await vscode.workspace.applyEdit(edit);
        if (!wasDirty) await lb3.save();
      }
    }
  });
});
