import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempTree } from '../helpers/tmp';

const CLEAN_HAPROXY = `defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend web
    bind :8080
    default_backend app

backend app
    server a1 127.0.0.1:9000 check
`;

test('usage errors exit 2 with a message, not a stack trace', async () => {
  for (const argv of [['check', '--format', 'xml'], ['check', '--lang', 'nginx'], ['check', '--bogus'], ['frobnicate'], ['check', '--max-warnings', '-1'], ['check', '--haproxy-version', 'latest']]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /^haconf: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('a missing input exits 2 and names the path', async () => {
  const r = await runCli(['check', '/nonexistent/haproxy.cfg']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/nonexistent\/haproxy\.cfg/);
});

test('a device file given explicitly is refused, not read', async () => {
  const r = await runCli(['check', '--lang', 'haproxy', '/dev/zero']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a regular file/);
});

test('a clean file exits 0 and the summary counts it', async () => {
  const dir = tempTree({ 'haproxy.cfg': CLEAN_HAPROXY });
  const r = await runCli(['check', 'haproxy.cfg'], dir);
  assert.equal(r.stdout.trim().split('\n').at(-1), '0 errors, 0 warnings in 1 file checked');
  assert.equal(r.code, 0, r.stdout);
});

test('a binary file gives one clear error finding and exit 1', async () => {
  const dir = tempTree({ 'haproxy.cfg': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0xff]) });
  const r = await runCli(['check', '--format', 'json', 'haproxy.cfg'], dir);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; line: number; message: string }[] };
  assert.equal(out.diagnostics.length, 1);
  assert.equal(out.diagnostics[0].code, 'haproxy/syntax');
  assert.equal(out.diagnostics[0].file, 'haproxy.cfg');
  assert.equal(out.diagnostics[0].line, 1);
  assert.match(out.diagnostics[0].message, /binary/);
});

test('text output looks like a compiler: path:line:col severity message [code]', async () => {
  const dir = tempTree({ 'haproxy.cfg': Buffer.from('\u0000\u0001') });
  const r = await runCli(['check', 'haproxy.cfg'], dir);
  assert.match(r.stdout, /^haproxy\.cfg:1:1 error .+ \[haproxy\/syntax\]$/m);
  assert.match(r.stdout, /^1 error, 0 warnings in 1 file checked$/m);
});

test('directories are walked; files are recognised by name, folder or content', async () => {
  const dir = tempTree({
    'lb/haproxy-edge.cfg': CLEAN_HAPROXY,
    'lb/haproxy/extra.cfg': CLEAN_HAPROXY,
    'lb/ka/keepalived.conf': 'vrrp_instance VI_1 {\n  state BACKUP\n}\n',
    'lb/keepalived/node2.conf': 'vrrp_instance VI_1 {\n  state BACKUP\n}\n',
    'lb/cluster/corosync.conf': 'totem {\n  version: 2\n}\n',
    'lb/sniffed.cfg': CLEAN_HAPROXY,
    'lb/notes.conf': 'just some notes\n',
    'lb/readme.md': '# hi\n',
    'lb/node_modules/haproxy.cfg': 'ignored\n',
  });
  fs.symlinkSync(path.join(dir, 'lb'), path.join(dir, 'lb', 'loop'));
  const r = await runCli(['check', '--format', 'json', '--rule', 'haproxy/missing-timeout=off', 'lb'], dir);
  const stats = await runCli(['check', 'lb'], dir);
  assert.match(stats.stdout, /in 6 files checked/);
  assert.doesNotMatch(r.stdout, /node_modules/);
  assert.doesNotMatch(stats.stdout, /notes\.conf|readme/);
});

test('json output has the documented shape with 1-based positions', async () => {
  const dir = tempTree({ 'keepalived.conf': Buffer.from('\u0000') });
  const r = await runCli(['check', '--format=json', 'keepalived.conf'], dir);
  const out = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] };
  const keys = Object.keys(out.diagnostics[0]).sort();
  assert.deepEqual(keys, ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'related', 'severity'].sort());
  assert.equal(out.diagnostics[0].severity, 'error');
});

test('sarif output is SARIF 2.1.0 with rule ids and regions', async () => {
  const dir = tempTree({ 'corosync.conf': Buffer.from('\u0000') });
  const r = await runCli(['check', '--format', 'sarif', 'corosync.conf'], dir);
  const sarif = JSON.parse(r.stdout) as {
    version: string;
    runs: { tool: { driver: { name: string } }; results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].tool.driver.name, 'haconf');
  assert.equal(sarif.runs[0].results[0].ruleId, 'corosync/syntax');
  assert.equal(sarif.runs[0].results[0].level, 'error');
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 1);
});

test('--max-warnings turns too many warnings into exit 1', async () => {
  // A proxy without any timeout: haproxy/missing-timeout is a warning.
  const dir = tempTree({ 'haproxy.cfg': 'frontend web\n    bind :8080\n    default_backend app\n\nbackend app\n    server a1 127.0.0.1:9000\n' });
  const lenient = await runCli(['check', 'haproxy.cfg'], dir);
  assert.equal(lenient.code, 0, lenient.stdout);
  assert.match(lenient.stdout, /\[haproxy\/missing-timeout\]/);
  const strict = await runCli(['check', '--max-warnings', '0', 'haproxy.cfg'], dir);
  assert.equal(strict.code, 1);
  const off = await runCli(['check', '--max-warnings', '0', '--rule', 'haproxy/missing-timeout=off', 'haproxy.cfg'], dir);
  assert.equal(off.code, 0, off.stdout);
});

test('--rule can raise a warning to an error', async () => {
  const dir = tempTree({ 'haproxy.cfg': 'frontend web\n    bind :8080\n    default_backend app\n\nbackend app\n    server a1 127.0.0.1:9000\n' });
  const r = await runCli(['check', '--rule', 'haproxy/missing-timeout=error', 'haproxy.cfg'], dir);
  assert.equal(r.code, 1);
  assert.match(r.stdout, / error .*\[haproxy\/missing-timeout\]/);
});

test('--rule with a code no rule has is a usage error with a suggestion, not silently ignored', async () => {
  const dir = tempTree({ 'haproxy.cfg': 'frontend web\n    bind :8080\n    default_backend app\n\nbackend app\n    server a1 127.0.0.1:9000\n' });
  const r = await runCli(['check', '--rule', 'haproxy/missing-timeouts=off', 'haproxy.cfg'], dir);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /no rule 'haproxy\/missing-timeouts'; did you mean 'haproxy\/missing-timeout'\?/);
});

test('check says which HAProxy version it targets and why, unless the flag gave it', async () => {
  const MANIFEST = 'cluster: c1\nhaproxy:\n  version: "3.2"\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - source: haproxy.cfg\n        target: /etc/haproxy/haproxy.cfg\n';
  const withManifest = tempTree({ 'haproxy.cfg': CLEAN_HAPROXY, 'haconf.yaml': MANIFEST });
  const bare = tempTree({ 'haproxy.cfg': CLEAN_HAPROXY });
  const recorded = tempTree({
    'haproxy.cfg': CLEAN_HAPROXY,
    'haconf.yaml': MANIFEST.replace('haproxy:\n  version: "3.2"\n', ''),
    '.haconf/host-versions.json': JSON.stringify({ lb1: { haproxy: 'HAProxy version 3.0.11-1+deb13u4 2026/10/15', recorded: '2026-12-01T00:00:00Z' } }),
  });
  try {
    assert.match((await runCli(['check', withManifest])).stderr, /^haconf: checking for HAProxy 3\.2 \(from haconf\.yaml line 3; /m);
    assert.match((await runCli(['check', recorded])).stderr, /^haconf: checking for HAProxy 3\.0 \(from host lb1 3\.0\.11-1\+deb13u4; /m);
    // This machine has Debian 12's haproxy on the PATH (test/setup.sh installs it).
    assert.match((await runCli(['check', bare])).stderr, /^haconf: checking for HAProxy 2\.6 \(local \S+haproxy 2\.6\.\d+; /m);
    assert.doesNotMatch((await runCli(['check', '--haproxy-version', '3.4', bare])).stderr, /checking for/);
  } finally {
    for (const d of [withManifest, bare, recorded]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test('findings about a version range name the version the hosts run when it comes from them ("your hosts run 3.2")', async () => {
  const MANIFEST = 'cluster: c1\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - source: haproxy.cfg\n        target: /etc/haproxy/haproxy.cfg\n';
  // 3.2 warns about a frontend and a backend of the same name, 3.3 refuses it; `mode log` exists from 2.9.
  const CFG =
    'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\nfrontend web\n    bind :8080\n    default_backend web\n\nbackend web\n    server a1 127.0.0.1:9000\n';
  const recorded = (version: string) =>
    tempTree({
      'haproxy.cfg': CFG,
      'haconf.yaml': MANIFEST,
      '.haconf/host-versions.json': JSON.stringify({ lb1: { haproxy: `HAProxy version ${version} 2026/10/15`, recorded: '2026-12-01T00:00:00Z' } }),
    });
  const hosts32 = recorded('3.2.26-1');
  const hosts26 = tempTree({
    'haproxy.cfg': `${CFG}\nbackend logs\n    mode log\n`,
    'haconf.yaml': MANIFEST,
    '.haconf/host-versions.json': JSON.stringify({ lb1: { haproxy: 'HAProxy version 2.6.12-1+deb12u4 2026/10/15', recorded: '2026-12-01T00:00:00Z' } }),
  });
  try {
    const r32 = await runCli(['check', hosts32]);
    assert.match(r32.stdout, /has the same name as the frontend on line 7: refused from HAProxy 3\.3; your hosts run 3\.2, which only warns/);
    const flag32 = await runCli(['check', '--haproxy-version', '3.2', hosts32]);
    assert.match(flag32.stdout, /HAProxy 3\.2 warns and 3\.3 refuses it/);
    const r26 = await runCli(['check', hosts26]);
    assert.match(r26.stdout, /mode: 'log' is a valid value only from HAProxy 2\.9 \(your hosts run 2\.6\)/);
  } finally {
    for (const d of [hosts32, hosts26]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test('check targets the keepalived the hosts run: a 2.3 keyword is an error for 2.2.7 hosts, fine for 2.3 ones and with --keepalived-version 2.3', async () => {
  const MANIFEST = 'cluster: c1\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - source: keepalived.conf\n        target: /etc/keepalived/keepalived.conf\n';
  const CONF = 'global_defs {\n    router_id lb1\n    json_version 2\n}\n';
  const tree = (line: string) =>
    tempTree({ 'keepalived.conf': CONF, 'haconf.yaml': MANIFEST, '.haconf/host-versions.json': JSON.stringify({ lb1: { keepalived: line, recorded: '2026-12-01T00:00:00Z' } }) });
  const old = tree('Keepalived v2.2.7 (01/16,2022)');
  const recent = tree('Keepalived v2.3.4 (06/01,2025)');
  const pinned = tempTree({ 'keepalived.conf': CONF, 'haconf.yaml': `${MANIFEST}keepalived:\n  version: "2.2"\n` });
  try {
    const r = await runCli(['check', old]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^haconf: checking for keepalived 2\.2 \(from host lb1 2\.2\.7; --keepalived-version sets it\)$/m);
    assert.match(r.stdout, /`json_version` only exists from keepalived 2\.3 \(your hosts run 2\.2\)/);
    assert.equal((await runCli(['check', recent])).code, 0);
    assert.equal((await runCli(['check', '--keepalived-version', '2.3', old])).code, 0);
    assert.match((await runCli(['check', pinned])).stderr, /checking for keepalived 2\.2 \(from haconf\.yaml line 9; /);
  } finally {
    for (const d of [old, recent, pinned]) fs.rmSync(d, { recursive: true, force: true });
  }
});
