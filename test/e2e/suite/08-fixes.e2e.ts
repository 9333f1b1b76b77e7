import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { EXTENSION_ID, askHarness, codeOf, openEditor, restoreText, waitFor, waitForDiagnostics, workspaceRoot, wsUri } from './helpers';

// Mechanical fixes in real VS Code: the reqadd and duplicate-cookie quick fixes, "Fix all" run by
// editor.codeActionsOnSave, and "haconf: Check Upgrade to HAProxy…" on examples/as-written (copied into the
// fixture as as-written/haproxy.cfg) to the newest version, applied through the refactor preview. Every file
// is put back afterwards, so the other specs see the fixture unchanged.

const AS_WRITTEN = 'as-written/haproxy.cfg';

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

describe('mechanical fixes', () => {
  let fixtureText: string;
  let asWritten: string;

  before(async () => {
    fixtureText = fs.readFileSync(wsUri('haproxy.cfg').fsPath, 'utf8');
    const repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    asWritten = fs.readFileSync(path.join(repo, 'examples/as-written/ingress-nodeport/haproxy.cfg'), 'utf8');
    fs.mkdirSync(path.join(workspaceRoot(), 'as-written'), { recursive: true });
    fs.writeFileSync(wsUri(AS_WRITTEN).fsPath, asWritten);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(wsUri('haproxy.cfg').fsPath, fixtureText);
    fs.rmSync(path.join(workspaceRoot(), 'as-written'), { recursive: true, force: true });
    await vscode.workspace.getConfiguration('editor', { languageId: 'haproxy' }).update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
  });

  it('rewrites reqadd as http-request add-header with its quick fix', async () => {
    const uri = wsUri('haproxy.cfg');
    const editor = await openEditor('haproxy.cfg');
    const d = await waitForDiagnostics(uri, 'the reqadd finding', (ds) => ds.find((x) => codeOf(x) === 'haproxy/removed-keyword'));
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    const actions = await quickFixes(uri, d.range);
    const fix = actions.find((a) => a.title === "Rewrite as 'http-request add-header'");
    assert.ok(fix?.edit, `the rewrite among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true, 'it is the preferred fix (Auto Fix applies it)');
    await vscode.commands.executeCommand('editor.action.quickFix');
    await askHarness({ screenshot: 'quick-fix-reqadd', waitFor: `.action-widget :text("Rewrite as 'http-request add-header'")`, pressAfter: ['Escape'] });
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.equal(editor.document.lineAt(d.range.start.line).text, '    http-request add-header X-Forwarded-Proto http');
    await waitForDiagnostics(uri, 'the reqadd finding to clear', (ds) => (ds.some((x) => codeOf(x) === 'haproxy/removed-keyword') ? undefined : true));
    await restoreText(editor, fixtureText);
    assert.equal(await editor.document.save(), true);
  });

  it('gives a duplicate cookie value its own value with its quick fix', async () => {
    const uri = wsUri(AS_WRITTEN);
    const editor = await openEditor(AS_WRITTEN);
    const dup = await waitForDiagnostics(uri, 'the duplicate cookies', (ds) => {
      const found = ds.filter((x) => codeOf(x) === 'haproxy/duplicate-cookie');
      return found.length === 2 ? found : undefined;
    });
    const d = dup[0];
    const actions = await quickFixes(uri, d.range);
    const fix = actions.find((a) => a.title === "Use the unique cookie value 'viettq-worker2'");
    assert.ok(fix?.edit, `the unique value among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.match(editor.document.lineAt(d.range.start.line).text, /^ {4}server viettq-worker2 192\.168\.10\.15:30080 cookie viettq-worker2 weight 1 check inter 2000$/);
    await waitForDiagnostics(uri, 'one duplicate cookie left', (ds) => (ds.filter((x) => codeOf(x) === 'haproxy/duplicate-cookie').length === 1 ? true : undefined));
    await restoreText(editor, asWritten);
    assert.equal(await editor.document.save(), true);
  });

  it('applies every mechanical fix on save through editor.codeActionsOnSave: source.fixAll.haconf', async () => {
    const uri = wsUri(AS_WRITTEN);
    const editor = await openEditor(AS_WRITTEN);
    await waitForDiagnostics(uri, 'the findings of the as-written file', (ds) => (ds.some((x) => codeOf(x) === 'haproxy/duplicate-cookie') ? true : undefined));
    const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.haconf')) ?? [];
    assert.deepEqual(
      all.map((a) => a.title),
      ['Fix all mechanical problems (4 fixes)'],
    );
    await vscode.workspace.getConfiguration('editor', { languageId: 'haproxy' }).update('codeActionsOnSave', { 'source.fixAll.haconf': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    // An edit, then an explicit save: VS Code runs the fix-all action before writing.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# fixed on save\n'));
    await vscode.commands.executeCommand('workbench.action.files.save');
    const text = await waitFor('the fixes applied on save', () => {
      const t = editor.document.getText();
      return !editor.document.isDirty && t.includes('127.0.0.1:1999') ? t : undefined;
    });
    assert.match(text, /\n {4}stats socket 127\.0\.0\.1:1999 level admin\n/);
    assert.match(text, /\n {4}http-request add-header X-Forwarded-Proto https\n/);
    assert.match(text, /cookie viettq-worker2 /);
    assert.match(text, /cookie viettq-worker3 /);
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), text, 'saved with the fixes');
    await vscode.workspace.getConfiguration('editor', { languageId: 'haproxy' }).update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
    await restoreText(editor, asWritten);
    assert.equal(await editor.document.save(), true);
  });

  it('checks the upgrade of examples/as-written to the newest HAProxy and applies the rewrites after the refactor preview', async () => {
    const uri = wsUri(AS_WRITTEN);
    await waitForDiagnostics(uri, 'the reqadd finding', (ds) => (ds.some((x) => codeOf(x) === 'haproxy/removed-keyword') ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const pending = vscode.commands.executeCommand<{ to: string; items: number; rewrites: number; applied: boolean }>('haconf.checkUpgrade');
    // The version pick (newest first), then the refactor preview of the one workspace edit.
    if ((await askHarness({ screenshot: 'upgrade-pick', waitFor: '.quick-input-widget :text("newest")', pressAfter: ['Enter'] })) === 'no-harness') {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await askHarness({ screenshot: 'upgrade-preview', waitFor: '.bulk-edit-panel :text("as-written")' });
    // Every change starts unticked (needsConfirmation): tick both files, as a user does, then Apply.
    await vscode.commands.executeCommand('refactorPreview.focus');
    await vscode.commands.executeCommand('list.collapseAll');
    await vscode.commands.executeCommand('list.focusFirst');
    await vscode.commands.executeCommand('refactorPreview.toggleCheckedState');
    await vscode.commands.executeCommand('list.focusDown');
    await vscode.commands.executeCommand('refactorPreview.toggleCheckedState');
    await vscode.commands.executeCommand('refactorPreview.apply');
    const outcome = await pending;
    assert.ok(outcome, 'the command reports its outcome');
    assert.equal(outcome.applied, true);
    assert.ok(outcome.rewrites >= 2, `rewrites: ${JSON.stringify(outcome)}`);
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /\n {4}http-request add-header X-Forwarded-Proto https\n/);
    assert.doesNotMatch(text, /reqadd/);
    const fixture = (await vscode.workspace.openTextDocument(wsUri('haproxy.cfg'))).getText();
    assert.match(fixture, /\n {4}http-request add-header X-Forwarded-Proto http\n/, 'the fixture haproxy.cfg is rewritten in the same edit');
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
  });
});
