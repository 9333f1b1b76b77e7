import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempTree } from '../helpers/tmp';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { haproxyCodeLoading, resolveTool } from '../../server/src/localtools/guard';
import { runLocalTool } from '../../server/src/localtools/run';
import { parseHaproxyOutput, parseCorosyncOutput, parseKeepalivedOutput } from '../../server/src/localtools/parse';
import { mergeLocalFindings } from '../../server/src/localtools/merge';

function requireTool(name: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`]);
  } catch {
    assert.fail(`${name} is not installed; run test/setup.sh (this suite runs the real tool)`);
  }
}

test('haproxy -c findings land on their lines, summaries dropped', async () => {
  requireTool('haproxy');
  const dir = tempTree({
    'haproxy.cfg': 'global\n    foo bar\ndefaults\n    mode http\n    contimeout 5s\nfrontend f\n    bind :80\n    cookie X insert\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n',
  });
  const r = await runLocalTool('haproxy', path.join(dir, 'haproxy.cfg'));
  assert.equal(r.ran, true);
  const got = r.diagnostics.map((d) => `${d.range.start.line + 1} ${d.severity}`);
  assert.ok(got.includes('2 error'), got.join(','));
  assert.ok(got.includes('5 error'), got.join(','));
  assert.ok(got.includes('8 warning'), got.join(','));
  assert.ok(r.diagnostics.every((d) => d.code === 'haproxy/local-tool' && d.message.startsWith('haproxy -c: ')));
  assert.ok(!r.diagnostics.some((d) => /Fatal errors/.test(d.message)));
});

test('a clean file gives no local-tool findings', async () => {
  requireTool('haproxy');
  const dir = tempTree({
    'haproxy.cfg':
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n',
  });
  const r = await runLocalTool('haproxy', path.join(dir, 'haproxy.cfg'));
  assert.deepEqual(r.diagnostics, []);
});

test('keepalived -t findings with lines', async () => {
  requireTool('keepalived');
  const dir = tempTree({ 'keepalived.conf': 'vrrp_instance X {\n  virtual_router_id 300\n  priority 100\n  bogus_kw 1\n  virtual_ipaddress {\n    10.0.0.1\n  }\n}\n' });
  const r = await runLocalTool('keepalived', path.join(dir, 'keepalived.conf'));
  assert.equal(r.ran, true);
  const lines = r.diagnostics.map((d) => d.range.start.line + 1);
  assert.ok(lines.includes(2) && lines.includes(4), lines.join(','));
});

test('parsers on captured output', () => {
  assert.equal(parseHaproxyOutput('/x/h.cfg', '[NOTICE]   (1) : haproxy version is 2.6\n[ALERT]    (1) : config : parsing [/x/h.cfg:3] : unknown keyword').length, 1);
  assert.deepEqual(
    parseCorosyncOutput(
      '/x/c.conf',
      'Nov 23 10:46:25.221 error   [MAIN  ] Knet requires an explicit nodeid for the local node\nNov 23 10:46:25.221 error   [MAIN  ] Corosync Cluster Engine exiting with status 8 at main.c:1417.',
    ).map((d) => d.message),
    ['corosync -t: Knet requires an explicit nodeid for the local node'],
  );
  assert.equal(parseKeepalivedOutput('/x/k.conf', "(k.conf: Line 4) Unknown keyword 'bogus_kw'", 5)[0].range.start.line, 3);
});

test('a missing tool is reported, not thrown', async () => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const dir = tempTree({ 'haproxy.cfg': 'defaults\n    mode http\n' });
    const r = await runLocalTool('haproxy', path.join(dir, 'haproxy.cfg'), 2000);
    assert.equal(r.ran, false);
    assert.match(r.message ?? '', /not installed/);
  } finally {
    process.env.PATH = saved;
  }
});

test('haproxy directives that run code while checking are found however they are spelled', () => {
  const hit = (t: string) => haproxyCodeLoading(`global\n    maxconn 10\n${t}\n`);
  for (const line of [
    '    lua-load /w/evil.lua',
    '    lua-load-per-thread evil.lua',
    '    lua-prepend-path /w/?.lua',
    '    "lua-load" evil.lua',
    "    l'u'a-load evil.lua",
    '    \\x6cua-load evil.lua',
    '    "${KW}" evil.lua',
    '    ssl-provider-path /w',
    '    ssl-provider evil',
    '    ssl-engine /w/evil.so',
  ]) {
    const r = hit(line);
    assert.ok(r, line);
    assert.equal(r.line, 2, line);
  }
  for (const line of ['    tune.lua.session-timeout 5s', '    # lua-load /w/evil.lua', '    http-request lua.foo', '    log-format "%[lua.x]"', "    description 'lua-load'"]) {
    assert.equal(hit(line), undefined, line);
  }
});

test('haproxy -c is not run on a file with lua-load: the script never executes, an information finding says why', async () => {
  requireTool('haproxy');
  const dir = tempTree({ 'evil.lua': '' });
  const canary = path.join(dir, 'pwned');
  fs.writeFileSync(path.join(dir, 'evil.lua'), `local f = io.open(${JSON.stringify(canary)}, "w"); f:write("ran"); f:close()\n`);
  fs.writeFileSync(
    path.join(dir, 'haproxy.cfg'),
    `global\n    lua-load ${path.join(dir, 'evil.lua')}\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n`,
  );
  const r = await runLocalTool('haproxy', path.join(dir, 'haproxy.cfg'));
  assert.equal(fs.existsSync(canary), false, 'the workspace Lua script ran');
  assert.equal(r.ran, false);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].severity, 'information');
  assert.equal(r.diagnostics[0].range.start.line, 1);
  assert.match(r.diagnostics[0].message, /not run.*lua-load/);
});

test('a workspace ./haproxy never runs: empty, relative and workspace PATH entries are skipped', async () => {
  requireTool('haproxy');
  const dir = tempTree({
    'haproxy.cfg':
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n',
  });
  const canary = path.join(dir, 'pwned');
  for (const sub of ['.', 'bin']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    fs.writeFileSync(path.join(dir, sub, 'haproxy'), `#!/bin/sh\necho ran > ${canary}\n`, { mode: 0o755 });
  }
  const link = `${dir}-link`;
  fs.symlinkSync(path.join(dir, 'bin'), link);
  const saved = { path: process.env.PATH, cwd: process.cwd() };
  process.chdir(dir);
  try {
    for (const bad of ['', '.', 'bin', path.join(dir, 'bin'), link]) {
      process.env.PATH = `${bad}${path.delimiter}${saved.path}`;
      const r = await runLocalTool('haproxy', path.join(dir, 'haproxy.cfg'), { workspaceFolders: [dir] });
      assert.equal(fs.existsSync(canary), false, `PATH entry ${JSON.stringify(bad)} ran the workspace's haproxy`);
      assert.equal(r.ran, true, `the real haproxy still runs (PATH entry ${JSON.stringify(bad)}): ${r.message}`);
    }
    process.env.PATH = `${path.join(dir, 'bin')}${path.delimiter}`;
    const none = await runLocalTool('haproxy', path.join(dir, 'haproxy.cfg'), { workspaceFolders: [dir] });
    assert.equal(none.ran, false);
    assert.match(none.message ?? '', /outside the workspace/);
    assert.equal(fs.existsSync(canary), false);
  } finally {
    process.chdir(saved.cwd);
    process.env.PATH = saved.path;
    fs.rmSync(link, { force: true });
  }
});

test('resolveTool keeps only absolute PATH entries outside the untrusted folders', () => {
  const dir = tempTree({ 'bin/haproxy': '#!/bin/sh\n' });
  fs.chmodSync(path.join(dir, 'bin/haproxy'), 0o755);
  const r = resolveTool('haproxy', ['', '.', 'bin', path.join(dir, 'bin'), '/usr/sbin', '/usr/bin'].join(path.delimiter), [dir]);
  assert.ok(r.ok);
  assert.equal(r.file, '/usr/sbin/haproxy');
  assert.equal(r.safePath, '/usr/sbin:/usr/bin');
});

test('a local-tool finding on a line we already flag joins our finding; others stay on their own', () => {
  const r = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 12 } });
  const ours = [
    { file: '/x/haproxy.cfg', range: r(4), severity: 'warning' as const, code: 'haproxy/unknown-keyword', message: "unknown keyword 'balanse'" },
    { file: '/x/haproxy.cfg', range: r(9), severity: 'error' as const, code: 'haproxy/invalid-value', message: 'bad port' },
  ];
  const local = parseHaproxyOutput(
    '/x/haproxy.cfg',
    "[ALERT]    (1) : config : parsing [/x/haproxy.cfg:5] : unknown keyword 'balanse' in 'backend' section\n[ALERT]    (1) : config : parsing [/x/haproxy.cfg:12] : unable to load certificate\n",
  );
  const merged = mergeLocalFindings(ours, local);
  assert.equal(merged.length, 3);
  assert.equal(merged[0].code, 'haproxy/unknown-keyword');
  assert.equal(merged[0].severity, 'error', 'the more severe of the two');
  assert.match(merged[0].related![0].message, /^haproxy -c: unknown keyword 'balanse'/);
  assert.deepEqual(merged[1], ours[1]);
  assert.equal(merged[2].code, 'haproxy/local-tool');
  assert.equal(merged[2].range.start.line, 11);
  assert.deepEqual(mergeLocalFindings(ours, []), ours);
});
