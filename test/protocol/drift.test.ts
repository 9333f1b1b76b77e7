// The custom requests behind "haconf: Check Drift…" over a real stdio connection: refused in Restricted
// Mode and for manifests outside the workspace; a host that refuses connections comes back as a clear
// "unreachable" answer, not an error. (The in-sync and drifted answers over real ssh: test/deploy/drift.test.ts
// and the deploy e2e.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from './client';
import type { DriftResult } from '../../server/src/deploy/drift';

/** One host on 127.0.0.1 port 1, where nothing listens: ssh fails at once with "Connection refused". */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-drift-lsp-'));
  fs.writeFileSync(
    path.join(dir, 'haproxy.cfg'),
    'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server s 127.0.0.1:8080\n',
  );
  fs.writeFileSync(
    path.join(dir, 'haconf.yaml'),
    `cluster: refused
defaults:
  ssh: { user: root, port: 1, connectTimeout: 2 }
hosts:
  - name: lb1
    address: 127.0.0.1/8
    files:
      - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }
`,
  );
  return dir;
}

async function waitForClusters(srv: Awaited<ReturnType<typeof startServer>>): Promise<void> {
  for (let i = 0; i < 100 && (await srv.request<unknown[]>('haconf/clusters', {})).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
}

test('haconf/drift: an unreachable host is reported in the answer (exit code 2); bad params and foreign manifests are refused', async (tt) => {
  const dir = workspace();
  tt.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const manifest = path.join(dir, 'haconf.yaml');
  const srv = await startServer(dir);
  try {
    await waitForClusters(srv);
    const r = await srv.request<DriftResult>('haconf/drift', { manifest });
    assert.equal(r.exitCode, 2);
    assert.equal(r.cluster, 'refused');
    assert.deepEqual(r.summary, { hosts: 1, inSync: 0, drifted: 0, unreachable: 1, filesDiffering: 0 });
    assert.equal(r.hosts[0].reachable, false);
    assert.match(r.hosts[0].error!, /^cannot reach lb1: .*Connection refused/);
    assert.deepEqual(
      r.hosts[0].files.map((f) => f.state),
      ['unknown'],
    );
    await assert.rejects(srv.request('haconf/driftAdopt', { manifest, host: 'lb1', source: 'haproxy.cfg' }), (e: Error) =>
      /cannot read lb1:\/etc\/haproxy\/haproxy\.cfg: .*Connection refused/.test(e.message),
    );
    await assert.rejects(srv.request('haconf/drift', { manifest, hosts: ['nope'] }), (e: Error) => /unknown host nope; the manifest has lb1/.test(e.message));
    await assert.rejects(srv.request('haconf/drift', { manifest: '/etc/haconf.yaml' }), (e: Error) => /is not a haconf\.yaml of this workspace/.test(e.message));
    await assert.rejects(srv.request('haconf/drift', { manifest: 'haconf.yaml' }), (e: Error) => /absolute path/.test(e.message));
    await assert.rejects(srv.request('haconf/driftAdopt', { manifest, host: 3 }), (e: Error) => /needs host, source/.test(e.message));
    assert.equal(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8').includes('server s 127.0.0.1:8080'), true, 'nothing written');
  } finally {
    await srv.stop();
  }
});

test('haconf/drift and haconf/driftAdopt are refused in Restricted Mode before any host is contacted', async (tt) => {
  const dir = workspace();
  tt.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const manifest = path.join(dir, 'haconf.yaml');
  const srv = await startServer(dir, undefined, { trusted: false });
  try {
    await waitForClusters(srv);
    const t0 = performance.now();
    await assert.rejects(srv.request('haconf/drift', { manifest }), (e: Error) => /checking drift is refused in Restricted Mode/.test(e.message));
    await assert.rejects(srv.request('haconf/driftAdopt', { manifest, host: 'lb1', source: 'haproxy.cfg' }), (e: Error) => /adopting a host's file is refused in Restricted Mode/.test(e.message));
    assert.ok(performance.now() - t0 < 1000, 'refused at once, without trying ssh');
  } finally {
    await srv.stop();
  }
});
