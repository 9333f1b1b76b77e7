import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { completionLabels, openEditor, restoreText } from './helpers';

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

describe('completion', () => {
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
