// Templates over the real language server: the VRID mismatch of examples/ansible-role reaches the editor
// on the template line, with the variable file as related information, a quick fix that edits that file,
// and a hover with the value per host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, type LspDiagnostic } from './client';

test('ansible-role over LSP: VRID finding on the template line, related host_vars, quick fix on the variable file, hover per host', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-lsp-')));
  fs.cpSync(path.resolve(__dirname, '../../examples/ansible-role'), root, { recursive: true });
  const srv = await startServer(root);
  try {
    const tpl = path.join(root, 'roles/lb/templates/keepalived.conf.j2');
    const vars = path.join(root, 'inventory/host_vars/lb2.yml');
    const ds = await srv.waitForDiagnostics(uri(tpl), (d) => d.some((x) => x.code === 'cluster/vrid-mismatch'), 20000);
    const d = ds.find((x) => x.code === 'cluster/vrid-mismatch') as LspDiagnostic;
    assert.equal(d.range.start.line, 16);
    assert.ok(
      d.relatedInformation?.some((r) => r.location.uri === uri(vars)),
      JSON.stringify(d.relatedInformation),
    );
    // Nothing is published for the rendered (virtual) files.
    assert.ok(![...srv.diagnostics.keys()].some((k) => k.includes('.haconf-rendered')), [...srv.diagnostics.keys()].join('\n'));
    const actions = (await srv.request('textDocument/codeAction', { textDocument: { uri: uri(tpl) }, range: d.range, context: { diagnostics: [d] } })) as {
      title: string;
      edit?: { changes: Record<string, { newText: string }[]> };
    }[];
    const fix = actions.find((a) => a.edit?.changes[uri(vars)]);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.edit!.changes[uri(vars)][0].newText, '51');
    srv.open(tpl, 'keepalived', fs.readFileSync(tpl, 'utf8'));
    const h = (await srv.request('textDocument/hover', { textDocument: { uri: uri(tpl) }, position: { line: 16, character: 26 } })) as { contents: { value: string } };
    assert.match(h.contents.value, /lb2 \| `52`/);
  } finally {
    await srv.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
