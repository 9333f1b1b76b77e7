// Templates over the real language server: the VRID mismatch of examples/ansible-role reaches the editor
// on the template line, with the variable file as related information, a quick fix that edits that file,
// and a hover with the value per host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, type LspDiagnostic } from './client';
import { writeRoleWorkspace } from '../deploy/roleWorkspace';
import { fakePlan } from '../deploy/fixture';

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

test('deploy over LSP (the VS Code path): the template is in its manifest cluster, a host it cannot be rendered for is refused before contact', async () => {
  const plan = fakePlan(3);
  const ws = writeRoleWorkspace({
    hosts: plan.hosts,
    vip: plan.vip,
    worker: plan.worker,
    targets: () => ({ haproxy: '/etc/haproxy/haproxy.cfg', keepalived: '/etc/keepalived/keepalived.conf' }),
    defaults: '',
  });
  const root = fs.realpathSync(ws.dir);
  // lb3 has no router id: the template has no default for it.
  const tpl = path.join(root, 'roles/lb/templates/keepalived.conf.j2');
  fs.writeFileSync(tpl, fs.readFileSync(tpl, 'utf8').replace('router_id {{ inventory_hostname | upper }}', 'router_id {{ keepalived_router_id }}'));
  for (const h of ['lb1', 'lb2']) fs.appendFileSync(path.join(root, `inventory/host_vars/${h}.yml`), `keepalived_router_id: ${h.toUpperCase()}\n`);
  const srv = await startServer(root);
  try {
    // The editor shows the same on the template line (information: only the un-rendered check ran for lb3).
    const ds = await srv.waitForDiagnostics(uri(tpl), (d) => d.some((x) => x.code === 'template/not-rendered'), 20000);
    assert.match(ds.find((x) => x.code === 'template/not-rendered')!.message, /^lb3: not rendered \(undefined variable 'keepalived_router_id'\)/);
    const targets = (await srv.request('haconf/deployTargets', {})) as { manifest: string; cluster: string; files: string[] }[];
    const mine = targets.find((t) => t.manifest === path.join(root, 'haconf.yaml'));
    assert.ok(mine?.files.includes(tpl), `the template belongs to the manifest's cluster: ${JSON.stringify(targets)}`);
    const r = (await srv.request('haconf/deploy', { manifest: path.join(root, 'haconf.yaml'), dryRun: true })) as { outcome: string; message: string };
    assert.equal(r.outcome, 'refused');
    assert.match(r.message, /roles\/lb\/templates\/keepalived\.conf\.j2:3: lb3: template not rendered: undefined variable 'keepalived_router_id'/);
    assert.match(r.message, /No host was contacted; nothing was changed/);
  } finally {
    await srv.stop();
    ws.cleanup();
  }
});
