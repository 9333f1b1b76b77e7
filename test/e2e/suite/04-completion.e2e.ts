import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { completionLabels, labelOf, openEditor, restoreText } from './helpers';

/** Inserts `line` after the first line matching `after`, asks for completion at its end, then puts the text back. */
async function completeOnNewLine(rel: string, after: RegExp, line: string): Promise<string[]> {
  const editor = await openEditor(rel);
  const original = editor.document.getText();
  const anchor = original.split('\n').findIndex((l) => after.test(l));
  assert.ok(anchor >= 0, `no line matches ${after} in ${rel}`);
  const at = new vscode.Position(anchor + 1, 0);
  assert.equal(await editor.edit((b) => b.insert(at, `${line}\n`)), true);
  try {
    return await completionLabels(editor.document.uri, new vscode.Position(at.line, line.length));
  } finally {
    await restoreText(editor, original);
  }
}

/** Like completeOnNewLine, but the whole completion items (to see what they insert). */
async function itemsOnNewLine(rel: string, after: RegExp, line: string): Promise<vscode.CompletionItem[]> {
  const editor = await openEditor(rel);
  const original = editor.document.getText();
  const anchor = original.split('\n').findIndex((l) => after.test(l));
  assert.ok(anchor >= 0, `no line matches ${after} in ${rel}`);
  const at = new vscode.Position(anchor + 1, 0);
  assert.equal(await editor.edit((b) => b.insert(at, `${line}\n`)), true);
  try {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, new vscode.Position(at.line, line.length));
    return list?.items ?? [];
  } finally {
    await restoreText(editor, original);
  }
}

/** Completion labels at the end of `line` inserted in the frontend. */
function completionsAfter(line: string): Promise<string[]> {
  return completeOnNewLine('haproxy.cfg', /^frontend fe_http$/, line);
}

describe('completion', () => {
  it('offers the http-request actions, with their arguments as a snippet', async () => {
    const items = await itemsOnNewLine('haproxy.cfg', /^frontend fe_http$/, '    http-request ');
    const labels = items.map(labelOf);
    for (const a of ['set-header', 'deny', 'redirect', 'return']) assert.ok(labels.includes(a), `'${a}' offered (got ${labels.slice(0, 20).join(', ')})`);
    assert.equal(labels.includes('accept'), false, "'accept' is a tcp-request action");
    assert.equal(labels.includes('balance'), false, 'no keywords where an action goes');
    const setHeader = items.find((i) => labelOf(i) === 'set-header')!;
    const insert = setHeader.insertText instanceof vscode.SnippetString ? setHeader.insertText.value : String(setHeader.insertText);
    assert.equal(insert, 'set-header ${1:name} ${2:fmt}');
  });

  it('offers fetches and ACL keywords after acl NAME, converters after a comma', async () => {
    const labels = await completionsAfter('    acl a ');
    for (const f of ['path_beg', 'req.hdr', 'src', 'hdr']) assert.ok(labels.includes(f), `'${f}' offered (got ${labels.length} items)`);
    assert.equal(labels.includes('lower'), false, 'converters only after a comma');
    const converters = await completionsAfter('    acl a req.hdr(host),');
    assert.ok(converters.includes('lower') && converters.includes('map_str'), `converters (got ${converters.slice(0, 20).join(', ')})`);
  });

  it('offers time values after timeout connect, and units after a number', async () => {
    const values = await completeOnNewLine('haproxy.cfg', /^backend be_ingress$/, '    timeout connect ');
    assert.ok(values.includes('5s') && values.includes('30s'), `time values (got ${values.join(', ')})`);
    const units = await completeOnNewLine('haproxy.cfg', /^backend be_ingress$/, '    timeout connect 10');
    // VS Code sorts the list itself.
    assert.deepEqual([...units].sort(), ['10d', '10h', '10m', '10ms', '10s', '10us']);
  });

  it('shows the signature of server with the parameter being typed', async () => {
    const editor = await openEditor('haproxy.cfg');
    const original = editor.document.getText();
    const anchor = original.split('\n').findIndex((l) => /^backend be_ingress$/.test(l));
    const at = new vscode.Position(anchor + 1, 0);
    assert.equal(await editor.edit((b) => b.insert(at, '    server w9 \n')), true);
    try {
      const help = await vscode.commands.executeCommand<vscode.SignatureHelp>('vscode.executeSignatureHelpProvider', editor.document.uri, new vscode.Position(at.line, 14), ' ');
      assert.ok(help?.signatures.length, 'a signature');
      const sig = help.signatures[help.activeSignature];
      assert.equal(sig.label, 'server <name> <address>[:[port]] [param*]');
      const param = sig.parameters[help.activeParameter].label as [number, number];
      assert.equal(sig.label.slice(param[0], param[1]), '<address>[:[port]]');
    } finally {
      await restoreText(editor, original);
    }
  });

  it('offers backend keywords inside a backend, and not frontend-only ones', async () => {
    const labels = await completeOnNewLine('haproxy.cfg', /^backend be_ingress$/, '    ');
    for (const k of ['server', 'option httpchk', 'timeout server']) assert.ok(labels.includes(k), `'${k}' offered in a backend (got ${labels.length} items)`);
    assert.equal(labels.includes('bind'), false, "'bind' is not allowed in a backend");
    assert.equal(labels.includes('balance'), false, "be_ingress already sets 'balance' (one value only)");
  });

  it('offers the backend names after use_backend', async () => {
    const labels = await completeOnNewLine('haproxy.cfg', /^\s+default_backend be_ingress$/, '    use_backend ');
    assert.ok(labels.includes('be_ingress'), `be_ingress among ${labels.slice(0, 20).join(', ')}`);
    assert.ok(labels.includes('be_api'), `be_api among ${labels.slice(0, 20).join(', ')}`);
    assert.equal(labels.includes('balance'), false, 'no keywords where a backend name goes');
  });

  it('offers the vrrp_script names inside track_script { }', async () => {
    const labels = await completeOnNewLine('lb1/keepalived.conf', /^\s+track_script \{$/, '        ');
    assert.ok(labels.includes('chk_haproxy'), `chk_haproxy among ${labels.slice(0, 20).join(', ')}`);
  });
});
