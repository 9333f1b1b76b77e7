// haconf.validateWithLocalTools in a trusted workspace must still not run the workspace's code: neither
// its Lua scripts (haproxy -c executes lua-load while checking) nor its own ./haproxy through an empty
// PATH entry. The real language server, the real haproxy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri } from './client';

const SETTINGS = { haproxy: { version: '2.6' }, rules: {}, validateWithLocalTools: true };
// A certificate that does not exist: only the real haproxy -c reports it, so its finding proves it ran.
const MISSING_CERT =
  'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :443 ssl crt /nonexistent/cert.pem\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n';

test('local tools on, trusted: a lua-load script never runs, on save or on a settings change; an information finding says why', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-lua-')));
  const canary = path.join(dir, 'pwned');
  fs.writeFileSync(path.join(dir, 'evil.lua'), `local f = io.open(${JSON.stringify(canary)}, "w"); f:write("ran"); f:close()\n`);
  const file = path.join(dir, 'haproxy.cfg');
  const text = `global\n    lua-load ${path.join(dir, 'evil.lua')}\n${MISSING_CERT}`;
  fs.writeFileSync(file, text);
  const srv = await startServer(dir, SETTINGS);
  try {
    srv.open(file, 'haproxy', text);
    // A settings change re-runs the local tools on every open file.
    await srv.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await srv.conn.sendNotification('textDocument/didSave', { textDocument: { uri: uri(file) } });
    const ds = await srv.waitForDiagnostics(uri(file), (d) => d.some((x) => x.code === 'haproxy/local-tool'), 15000);
    const local = ds.filter((x) => x.code === 'haproxy/local-tool');
    assert.equal(local.length, 1, JSON.stringify(local));
    assert.equal(local[0].severity, 3, 'information');
    assert.equal(local[0].range.start.line, 1);
    assert.match(local[0].message, /not run.*lua-load/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(fs.existsSync(canary), false, 'the workspace Lua script ran');
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('local tools on, trusted: an empty PATH entry does not let the workspace ./haproxy run; the real one does', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-path-')));
  const canary = path.join(dir, 'pwned');
  fs.writeFileSync(path.join(dir, 'haproxy'), `#!/bin/sh\necho ran > ${canary}\necho '[ALERT] (1) : config : parsing [haproxy.cfg:1] : fake'\n`, { mode: 0o755 });
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, MISSING_CERT);
  // The server runs in the workspace folder, with an empty entry first in PATH (execvp reads it as ".").
  const srv = await startServer(dir, SETTINGS, undefined, { cwd: dir, env: { ...process.env, PATH: `:.:${process.env.PATH}` } });
  try {
    srv.open(file, 'haproxy', MISSING_CERT);
    await srv.conn.sendNotification('textDocument/didSave', { textDocument: { uri: uri(file) } });
    const ds = await srv.waitForDiagnostics(uri(file), (d) => d.some((x) => x.code === 'haproxy/local-tool'), 15000);
    const local = ds.find((x) => x.code === 'haproxy/local-tool')!;
    assert.equal(local.range.start.line, 6, 'the real haproxy -c found the missing certificate');
    assert.match(local.message, /cert/);
    assert.equal(fs.existsSync(canary), false, "the workspace's ./haproxy ran");
  } finally {
    await srv.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
