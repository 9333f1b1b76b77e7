// The language server's target HAProxy version: the setting when given, else haconf.yaml's
// haproxy.version, …; announced to the client (status bar) as haconf/targetVersion, and used by the checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri } from './client';

const CFG =
  'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\nfrontend www\n    bind :80\n    http-request set-var(txn.n) req.bytes_in\n    http-request set-header X %[bogus_fetch_x]\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n';
const MANIFEST = 'cluster: c1\nhaproxy:\n  version: "3.2"\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - source: haproxy.cfg\n        target: /etc/haproxy/haproxy.cfg\n';

async function withServer(settings: Record<string, unknown>, fn: (s: Awaited<ReturnType<typeof startServer>>, file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-target-'));
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), CFG);
  fs.writeFileSync(path.join(dir, 'haconf.yaml'), MANIFEST);
  const s = await startServer(dir, settings);
  try {
    await fn(s, path.join(dir, 'haproxy.cfg'));
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('no version setting: haconf.yaml haproxy.version decides, the client is told why, the checks follow', async () => {
  await withServer({ haproxy: { version: '' }, rules: {} }, async (s, file) => {
    s.open(file, 'haproxy', CFG);
    await s.waitForDiagnostics(uri(file), (d) => d.some((x) => /does not exist in HAProxy 3\.2 \(the target version\); it is there in 3\.3/.test(x.message)));
    assert.deepEqual(s.targetVersions.at(-1), { version: '3.2', origin: 'manifest', reason: 'from haconf.yaml line 3' });
  });
});

test('the setting wins over haconf.yaml', async () => {
  await withServer({ haproxy: { version: '3.4' }, rules: {} }, async (s, file) => {
    s.open(file, 'haproxy', CFG);
    const ds = await s.waitForDiagnostics(uri(file), (d) => d.some((x) => /bogus_fetch_x/.test(x.message)));
    assert.deepEqual(
      ds.filter((x) => /req\.bytes_in/.test(x.message)),
      [],
      'req.bytes_in exists in 3.4',
    );
    assert.deepEqual(s.targetVersions.at(-1), { version: '3.4', origin: 'setting', reason: 'from the haconf.haproxyVersion setting' });
  });
});

test('versions recorded from the hosts (haconf pull/deploy): the editor targets them and its findings say "your hosts run"', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-target-hosts-'));
  const KA = 'global_defs {\n    router_id lb1\n    json_version 2\n}\n';
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), CFG);
  fs.writeFileSync(path.join(dir, 'keepalived.conf'), KA);
  fs.writeFileSync(path.join(dir, 'haconf.yaml'), MANIFEST.replace('haproxy:\n  version: "3.2"\n', ''));
  fs.mkdirSync(path.join(dir, '.haconf'));
  fs.writeFileSync(
    path.join(dir, '.haconf', 'host-versions.json'),
    JSON.stringify({ lb1: { haproxy: 'HAProxy version 3.2.26-1 2026/11/02', keepalived: 'Keepalived v2.2.7 (01/16,2022)', recorded: '2026-12-01T00:00:00Z' } }),
  );
  const s = await startServer(dir, { haproxy: { version: '' }, rules: {} });
  try {
    const file = path.join(dir, 'haproxy.cfg');
    s.open(file, 'haproxy', CFG);
    await s.waitForDiagnostics(uri(file), (d) => d.some((x) => /does not exist in HAProxy 3\.2 \(what your hosts run\); it is there in 3\.3/.test(x.message)));
    assert.deepEqual(s.targetVersions.at(-1), { version: '3.2', origin: 'hosts', reason: 'from host lb1 3.2.26-1' });
    const ka = path.join(dir, 'keepalived.conf');
    s.open(ka, 'keepalived', KA);
    await s.waitForDiagnostics(uri(ka), (d) => d.some((x) => /`json_version` only exists from keepalived 2\.3 \(your hosts run 2\.2\)/.test(x.message)));
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
