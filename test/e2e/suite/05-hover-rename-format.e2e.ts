import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { codeOf, hoverText, openEditor, positionOf, sleep } from './helpers';

describe('hover', () => {
  it('describes a haproxy keyword and links the manual', async () => {
    const editor = await openEditor('haproxy.cfg');
    const pos = positionOf(editor.document, 'balance roundrobin', 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos);
    const text = hoverText(hovers ?? []);
    assert.match(text, /balance/, `hover names the keyword: ${text.slice(0, 200)}`);
    assert.match(text, /https?:\/\//, 'hover links the upstream manual');
    assert.ok(text.length > 60, 'hover says more than the name');
    assert.match(text, /spread over the servers of a backend/, 'the description in our own words');
    assert.match(text, /Syntax: `balance \[<algorithm>\]/);
    assert.match(text, /docs\.haproxy\.org\/\d\.\d+\/configuration\.html#4\.2-balance/, 'the manual anchor of the keyword');
  });

  it('describes the server option check', async () => {
    const editor = await openEditor('haproxy.cfg');
    const pos = positionOf(editor.document, '10.20.0.21:30080 check', '10.20.0.21:30080 c'.length);
    const text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? []);
    assert.match(text, /`check`\*\* — server option/, text.slice(0, 300));
    assert.match(text, /periodic health checks/);
    assert.match(text, /#5\.2-check\)/);
  });

  it('describes corosync token with its default', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'corosync', content: 'totem {\n    version: 2\n    cluster_name: lb\n    token: 3000\n}\n' });
    await vscode.window.showTextDocument(doc, { preview: false });
    const pos = positionOf(doc, 'token:', 2);
    let text = '';
    // The server learns about an untitled document through didOpen; ask until it has parsed it.
    for (let i = 0; i < 20 && !text; i++) {
      text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? []);
      if (!text) await sleep(100);
    }
    assert.match(text, /declared lost/, text.slice(0, 300));
    assert.match(text, /Default: 3000/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows the VRRP peers on a virtual_router_id', async () => {
    const editor = await openEditor('lb1/keepalived.conf');
    const pos = positionOf(editor.document, 'virtual_router_id', 3);
    const text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? []);
    for (const peer of ['lb2', 'lb3']) assert.ok(text.includes(peer), `peer ${peer} in the hover: ${text.slice(0, 300)}`);
    assert.match(text, /VRRP router ID shared by all peers/, 'the description in our own words');
    assert.match(text, /Syntax: `virtual_router_id <vrid>`/, 'a real argument name');
    assert.match(text, /keepalived\.conf\.5\.en\.html#VRRP_instance\(s\)/);
  });
});

describe('rename', () => {
  it('renames a backend at its declaration and every use', async () => {
    const editor = await openEditor('haproxy.cfg');
    const doc = editor.document;
    const pos = positionOf(doc, '\nbackend be_api', '\nbackend '.length + 1);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, pos, 'be_api_v2');
    assert.ok(edit, 'the rename provider answers');
    const edits = edit.get(doc.uri);
    assert.equal(edits.length, 2, `declaration + use_backend: ${JSON.stringify(edits.map((e) => e.range.start))}`);
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    const text = doc.getText();
    assert.match(text, /^backend be_api_v2$/m);
    assert.match(text, /use_backend be_api_v2 if is_api/);
    assert.doesNotMatch(text, /\bbe_api\b/, 'no old name left (comments do not mention it)');
    // Give the server a debounce period: the renamed reference must still resolve.
    await sleep(400);
    const undefinedRefs = vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === 'haproxy/undefined-reference');
    assert.deepEqual(
      undefinedRefs.map((d) => d.message),
      [],
    );
  });

  it('refuses a name the daemon could not read back', async () => {
    const editor = await openEditor('haproxy.cfg');
    const pos = positionOf(editor.document, '\nbackend be_ingress', '\nbackend '.length + 1);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', editor.document.uri, pos, 'two words')), /cannot be used as a name/);
  });
});

describe('format', () => {
  it('re-indents the badly indented backend, keeps comments, and is idempotent', async () => {
    const editor = await openEditor('haproxy.cfg');
    const doc = editor.document;
    const comments = doc
      .getText()
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('#'));
    const opts: vscode.FormattingOptions = { tabSize: 4, insertSpaces: true };
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, opts);
    assert.ok(edits && edits.length > 0, 'the badly indented be_api needs edits');
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.equal(await vscode.workspace.applyEdit(we), true);
    const lines = doc.getText().split('\n');
    const at = lines.findIndex((l) => /^backend be_api/.test(l));
    assert.deepEqual(lines.slice(at, at + 4), ['backend be_api_v2', '    balance roundrobin', '    server w1 10.20.0.21:30081 check', '    server w2 10.20.0.22:30081 check']);
    assert.deepEqual(
      lines.map((l) => l.trim()).filter((l) => l.startsWith('#')),
      comments,
      'comments kept',
    );
    const again = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, opts);
    const changing = (again ?? []).filter((e) => doc.getText(e.range) !== e.newText);
    assert.deepEqual(changing, [], 'formatting a formatted document changes nothing');
  });
});
