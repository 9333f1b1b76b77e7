import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { askHarness, codeOf, openEditor, waitForDiagnostics, wsUri } from './helpers';

describe('quick fix', () => {
  it("aligns lb3 with its peers' VRID and the cross-file finding clears", async () => {
    const uri = wsUri('lb3/keepalived.conf');
    const d = await waitForDiagnostics(uri, 'cluster/vrid-mismatch', (ds) => ds.find((x) => codeOf(x) === 'cluster/vrid-mismatch'));
    const editor = await openEditor('lb3/keepalived.conf');
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    editor.revealRange(d.range);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const titles = (actions ?? []).map((a) => a.title);
    const fix = (actions ?? []).find((a) => /virtual_router_id 61/.test(a.title));
    assert.ok(fix, `a quick fix to use the peers' VRID among: ${titles.join(' | ') || '(none)'}`);
    assert.ok(
      titles.some((t) => t.startsWith('Disable cluster/vrid-mismatch')),
      `a "disable for this line" action among: ${titles.join(' | ')}`,
    );

    // Open the real light-bulb menu for the screenshot, then close it.
    await vscode.commands.executeCommand('editor.action.quickFix');
    await askHarness({ screenshot: 'quick-fix', waitFor: '.action-widget :text("virtual_router_id 61")', pressAfter: ['Escape'] });

    if (fix.edit) assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'the quick fix edit applies');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.match(editor.document.lineAt(16).text, /^\s*virtual_router_id 61\s*$/);
    await waitForDiagnostics(uri, 'the VRID finding to clear', (ds) => (ds.some((x) => codeOf(x) === 'cluster/vrid-mismatch') ? undefined : true));
    assert.equal(await editor.document.save(), true);
  });
});
