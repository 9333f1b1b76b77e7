import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempTree } from '../helpers/tmp';
import * as path from 'node:path';
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
  const dir = tempTree({ 'haproxy.cfg': 'global\n    foo bar\ndefaults\n    mode http\n    contimeout 5s\nfrontend f\n    bind :80\n    cookie X insert\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n' });
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
  const dir = tempTree({ 'haproxy.cfg': 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n' });
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
  assert.deepEqual(parseCorosyncOutput('/x/c.conf', 'Nov 23 10:46:25.221 error   [MAIN  ] Knet requires an explicit nodeid for the local node\nNov 23 10:46:25.221 error   [MAIN  ] Corosync Cluster Engine exiting with status 8 at main.c:1417.').map((d) => d.message), ['corosync -t: Knet requires an explicit nodeid for the local node']);
  assert.equal(parseKeepalivedOutput('/x/k.conf', '(k.conf: Line 4) Unknown keyword \'bogus_kw\'', 5)[0].range.start.line, 3);
});

test('a missing tool is reported, not thrown', async () => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const r = await runLocalTool('haproxy', '/tmp/haproxy.cfg', 2000);
    assert.equal(r.ran, false);
    assert.match(r.message ?? '', /not installed/);
  } finally {
    process.env.PATH = saved;
  }
});

test('a local-tool finding on a line we already flag joins our finding; others stay on their own', () => {
  const r = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 12 } });
  const ours = [
    { file: '/x/haproxy.cfg', range: r(4), severity: 'warning' as const, code: 'haproxy/unknown-keyword', message: "unknown keyword 'balanse'" },
    { file: '/x/haproxy.cfg', range: r(9), severity: 'error' as const, code: 'haproxy/invalid-value', message: 'bad port' },
  ];
  const local = parseHaproxyOutput('/x/haproxy.cfg', "[ALERT]    (1) : config : parsing [/x/haproxy.cfg:5] : unknown keyword 'balanse' in 'backend' section\n[ALERT]    (1) : config : parsing [/x/haproxy.cfg:12] : unable to load certificate\n");
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
