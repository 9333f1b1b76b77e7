import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { askHarness, completionLabels, harnessPresent, openEditor, workspaceRoot } from './helpers';

// Typing a config line by line with VS Code's defaults: Enter must insert a newline even when the suggest
// widget is open with an item equal to the word just typed (`defaults⏎`, `option redispatch⏎`).
describe('typing line by line', () => {
  it('the extension sets acceptSuggestionOnEnter "smart" and a final newline for its languages', () => {
    for (const languageId of ['haproxy', 'keepalived', 'corosync']) {
      assert.equal(vscode.workspace.getConfiguration('editor', { languageId }).get('acceptSuggestionOnEnter'), 'smart', languageId);
      assert.equal(vscode.workspace.getConfiguration('files', { languageId }).get('insertFinalNewline'), true, languageId);
    }
  });

  it('no completion item only repeats the word already typed', async () => {
    const file = path.join(workspaceRoot(), 'typed-api', 'haproxy.cfg');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'defaults\n    option redispatch\n');
    try {
      const uri = vscode.Uri.file(file);
      await vscode.workspace.openTextDocument(uri);
      const afterSection = await completionLabels(uri, new vscode.Position(0, 'defaults'.length));
      assert.equal(afterSection.includes('defaults'), false, `'defaults' offered at the end of 'defaults': ${afterSection.slice(0, 10).join(', ')}`);
      const afterOption = await completionLabels(uri, new vscode.Position(1, '    option redispatch'.length));
      assert.equal(afterOption.includes('redispatch'), false, `'redispatch' offered at its own end: ${afterOption.slice(0, 10).join(', ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('typing a small haproxy.cfg key by key gives one line per Enter', async () => {
    const file = path.join(workspaceRoot(), 'typed', 'haproxy.cfg');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    try {
      const editor = await openEditor(path.relative(workspaceRoot(), file));
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      // Under @vscode/test-electron there is no browser to type with; the checks above still run there.
      if (!harnessPresent()) return;
      await askHarness({
        waitFor: '.monaco-editor.focused .view-lines',
        typeLines: ['defaults', 'mode http', 'option redispatch', 'timeout connect 5s'],
        timeoutMs: 60000,
      });
      const lines = editor.document
        .getText()
        .split('\n')
        .map((l) => l.trimEnd());
      assert.deepEqual(lines, ['defaults', '    mode http', '    option redispatch', '    timeout connect 5s', ''], JSON.stringify(editor.document.getText()));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('typing a keepalived block key by key: Enter after a complete keyword or value starts the next line', async () => {
    const file = path.join(workspaceRoot(), 'typed-ka', 'keepalived.conf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    try {
      const editor = await openEditor(path.relative(workspaceRoot(), file));
      await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
      if (!harnessPresent()) return;
      // `{` is closed by the editor itself; Enter between the braces opens an indented line.
      await askHarness({ waitFor: '.monaco-editor.focused .view-lines', typeLines: ['vrrp_instance VI_1 {', 'state BACKUP', 'interface eth0', 'priority 100'], timeoutMs: 60000 });
      const lines = editor.document
        .getText()
        .split('\n')
        .map((l) => l.trimEnd());
      assert.deepEqual(lines, ['vrrp_instance VI_1 {', '    state BACKUP', '    interface eth0', '    priority 100', '', '}'], JSON.stringify(editor.document.getText()));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
