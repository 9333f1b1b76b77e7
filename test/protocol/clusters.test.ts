// The custom requests behind the VS Code cluster UI, over a real stdio connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startServer, uri } from './client';
import type { ClusterView } from '../../server/src/cluster/view';

test('haconf/clusters returns the example clusters with failover tables; haconf/checkWorkspace rescans', async () => {
  const root = path.resolve(__dirname, '../../examples/as-written');
  const srv = await startServer(root);
  try {
    // The workspace scan runs after `initialized`; its first publication says it is done.
    await srv.waitForDiagnostics(uri(path.join(root, 'apiserver-lb/master1/keepalived.conf')), (ds) => ds.length > 0);
    const clusters = await srv.request<ClusterView[]>('haconf/clusters', {});
    const names = clusters.map((c) => c.name).sort();
    assert.deepEqual(names, ['apiserver-lb', 'ingress-nodeport', 'minimal-vrrp', 'nodeport-range']);
    const api = clusters.find((c) => c.name === 'apiserver-lb')!;
    assert.equal(api.origin, 'manifest');
    assert.deepEqual(
      api.nodes.map((n) => n.name),
      ['master1', 'master2', 'master3'],
    );
    assert.ok(api.errors >= 1, 'the failover-blocked error counts');
    const table = api.failover[0];
    assert.equal(table.holder, 'master1');
    assert.ok(table.rows.some((r) => r.blocked && r.label === 'chk_haproxy fails on master1'));
    const ingress = clusters.find((c) => c.name === 'ingress-nodeport')!;
    assert.deepEqual(ingress.vips, ['192.168.10.10']);
    assert.equal(ingress.nodes.find((n) => n.holdsVip)?.name, 'master1');
    const again = await srv.request<{ clusters: number }>('haconf/checkWorkspace', {});
    assert.equal(again.clusters, 4);
  } finally {
    await srv.stop();
  }
});

test('haconf.validateWithLocalTools adds the real haproxy -c findings on save, only when trusted', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-local-'));
  const file = path.join(dir, 'haproxy.cfg');
  // A certificate that does not exist: only the real tool can see that.
  const text =
    'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :443 ssl crt /nonexistent/cert.pem\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n';
  fs.writeFileSync(file, text);
  const srv = await startServer(dir, { haproxy: { version: '2.6' }, rules: {}, validateWithLocalTools: true });
  try {
    srv.open(file, 'haproxy', text);
    await srv.conn.sendNotification('textDocument/didSave', { textDocument: { uri: uri(file) } });
    const ds = await srv.waitForDiagnostics(uri(file), (d) => d.some((x) => x.code === 'haproxy/local-tool'), 15000);
    const local = ds.find((x) => x.code === 'haproxy/local-tool')!;
    assert.equal(local.range.start.line, 6);
    assert.match(local.message, /cert/);
  } finally {
    await srv.stop();
  }
});

test('deploy over LSP: targets come from manifests; Restricted Mode refuses deploy and local tools', async () => {
  const root = path.resolve(__dirname, '../../examples/corrected');
  const srv = await startServer(root, { haproxy: { version: '2.6' }, rules: {}, validateWithLocalTools: true }, { trusted: false });
  try {
    // The corrected examples publish no diagnostics, so wait for the scan through the cluster request.
    for (let i = 0; i < 100 && (await srv.request<unknown[]>('haconf/clusters', {})).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const targets = await srv.request<{ manifest: string; cluster: string; hosts: string[] }[]>('haconf/deployTargets', {});
    assert.deepEqual(targets.map((t) => t.cluster).sort(), ['apiserver-lb', 'ingress-nodeport', 'nodeport-range']);
    await assert.rejects(srv.request('haconf/deploy', { manifest: targets[0].manifest, dryRun: true }), (e: Error) => /Restricted Mode/.test(e.message));
    // Recovering an interrupted deploy runs commands on the hosts too: refused, and nothing is listed.
    await assert.rejects(srv.request('haconf/deployRecover', { manifest: targets[0].manifest, action: 'rollback' }), (e: Error) => /Restricted Mode/.test(e.message));
    assert.deepEqual(await srv.request('haconf/deployInterrupted', {}), []);
    // The same missing-certificate file the trusted test flags within a second: untrusted, no tool runs.
    const fs = await import('node:fs');
    const os = await import('node:os');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-untrusted-')), 'haproxy.cfg');
    const text =
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :443 ssl crt /nonexistent/cert.pem\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n';
    fs.writeFileSync(file, text);
    srv.open(file, 'haproxy', text);
    await srv.conn.sendNotification('textDocument/didSave', { textDocument: { uri: uri(file) } });
    await new Promise((r) => setTimeout(r, 3000));
    assert.ok(!(srv.diagnostics.get(uri(file))?.diagnostics ?? []).some((d) => d.code === 'haproxy/local-tool'));
  } finally {
    await srv.stop();
  }
});
