// A Jinja2 + Ansible role in real VS Code: the copy of examples/ansible-role written into the workspace
// opens its keepalived.conf.j2 as keepalived, gets the VRID mismatch of one host_vars file on the template
// line, offers the quick fix that edits the variable file, and hovers the values per host. Runs last and
// removes the copy, so the other specs see the fixture workspace unchanged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, describe, it } from 'mocha';
import { codeOf, hoverText, waitForDiagnostics, workspaceRoot } from './helpers';

// The compiled spec runs from <repo>/.tmp/e2e/out/suite (test/e2e/build.ts): the example is in the repo.
function exampleDir(): string {
  const dir = path.resolve(__dirname, '../../../..', 'examples', 'ansible-role');
  if (!fs.existsSync(path.join(dir, 'ansible.cfg'))) throw new Error(`examples/ansible-role not found at ${dir}`);
  return dir;
}

describe('templates', () => {
  const dest = (): string => path.join(workspaceRoot(), 'ansible-role');
  after(() => fs.rmSync(dest(), { recursive: true, force: true }));

  it('a keepalived.conf.j2 of an Ansible role shows the VRID mismatch from host_vars/lb2.yml on the template line, with a quick fix on the variable file and a hover per host', async () => {
    fs.cpSync(exampleDir(), dest(), { recursive: true });
    const tplUri = vscode.Uri.file(path.join(dest(), 'roles/lb/templates/keepalived.conf.j2'));
    const varsUri = vscode.Uri.file(path.join(dest(), 'inventory/host_vars/lb2.yml'));
    const doc = await vscode.workspace.openTextDocument(tplUri);
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.equal(doc.languageId, 'keepalived', 'the .j2 template opens as keepalived');
    const d = await waitForDiagnostics(tplUri, 'cluster/vrid-mismatch', (ds) => ds.find((x) => codeOf(x) === 'cluster/vrid-mismatch'), 30000);
    assert.equal(d.range.start.line, 16);
    assert.match(d.message, /^lb2: virtual_router_id 52/);
    assert.ok(
      d.relatedInformation?.some((r) => r.location.uri.fsPath === varsUri.fsPath),
      'the host_vars file is related information',
    );
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', tplUri, d.range)) ?? [];
    const fix = actions.find((a) => a.edit?.get(varsUri).length);
    assert.ok(fix, `a quick fix edits lb2.yml: ${actions.map((a) => a.title).join(' | ')}`);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', tplUri, new vscode.Position(16, 26))) ?? [];
    const text = hoverText(hovers);
    assert.match(text, /lb2/, `hover lists the hosts: ${text.slice(0, 300)}`);
    assert.match(text, /52/);
  });
});
