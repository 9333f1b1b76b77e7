// Workspace trust granted after start-up (VS Code's Restricted Mode) takes effect in the running server,
// without a restart: deploys are accepted and the opt-in local tools run on the open files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri } from './client';
import { TRUST } from '../../server/src/protocol';

test('trust granted after start-up: deploys and local tools are allowed at once', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-trust-')));
  const file = path.join(root, 'haproxy.cfg');
  // haproxy -c rejects the unknown keyword; our own check reports it as haproxy/unknown-keyword.
  const text =
    'global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\nfrontend f\n    bind 127.0.0.1:18080\n    bogus_keyword_xyz\n    default_backend b\n\nbackend b\n    server s1 127.0.0.1:8081\n';
  fs.writeFileSync(file, text);
  const srv = await startServer(root, { haproxy: { version: '2.6' }, rules: {}, validateWithLocalTools: true }, { trusted: false });
  try {
    srv.open(file, 'haproxy', text);
    const untrusted = await srv.waitForDiagnostics(uri(file), (ds) => ds.some((d) => d.code === 'haproxy/unknown-keyword'));
    assert.ok(!untrusted.some((d) => d.code === 'haproxy/local-tool'), 'no local tool in Restricted Mode');
    await assert.rejects(srv.request('haconf/deploy', { manifest: 'haconf.yaml', dryRun: true }), /Restricted Mode/);

    srv.conn.sendNotification(TRUST.method, { trusted: true });
    await assert.rejects(srv.request('haconf/deploy', { manifest: 'haconf.yaml', dryRun: true }), /absolute path/);
    // haproxy -c now runs; it rejects the same line we flag, so its words join our finding (one squiggle).
    const merged = await srv.waitForDiagnostics(uri(file), (ds) => ds.some((d) => d.relatedInformation?.some((r) => r.message.startsWith('haproxy -c:'))), 30000);
    const line = merged.find((d) => d.code === 'haproxy/unknown-keyword')!;
    assert.equal(line.severity, 1, 'an error');
    assert.match(line.relatedInformation!.map((r) => r.message).join('\n'), /haproxy -c: .*bogus_keyword_xyz/);
    assert.equal(merged.filter((d) => d.range.start.line === line.range.start.line).length, 1, 'one finding on the line, not two');
  } finally {
    await srv.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
