// Trojan Source and terminal escapes: text from configs, manifests and hosts must neither hide what it is
// (a `<lang>/hidden-characters` finding in all three languages) nor reach the terminal raw
// (core/hiddenText.ts escapeForTerminal, applied to everything the CLI prints).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { DeployCliIO } from '../../server/src/cli/deploy';
import { escapeForTerminal } from '../../server/src/core/hiddenText';
import { collectFiles } from '../../server/src/engine/collect';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { defaultCheckOptions } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { clusterViews } from '../../server/src/cluster/view';
import { renderFailoverHtml } from '../../client/src/failoverHtml';
import { runCli } from '../helpers/cli';
import { tempTree } from '../helpers/tmp';
import { LocalShellTransport, makeWorkspace } from '../deploy/fixture';

const TROJAN = path.resolve('test/fixtures/trojan');
/** Raw characters that must never be printed: ESC, CR alone, the BIDI controls, zero-width space. */
const RAW = /[\x1b\x07\x08\u202a-\u202e\u2066-\u2069\u200b]|\r(?!\n)/;

test('a track_script name with BIDI controls is an error, and the failover table shows it escaped', async () => {
  const check = await runCli(['check', TROJAN]);
  const hits = check.stdout.split('\n').filter((l) => l.includes('[keepalived/hidden-characters]'));
  assert.equal(hits.length, 4, check.stdout); // the vrrp_script header and the track_script line, on both nodes
  assert.ok(hits.every((l) => / error this line contains U\+202E RIGHT-TO-LEFT OVERRIDE/.test(l)));
  assert.ok(
    hits.some((l) => /keepalived\.conf:21:13 .*keepalived reads `chk_\\u202eyxorpah\\u202c`/.test(l)),
    'the real name, escaped',
  );
  assert.equal(check.code, 1);
  const cluster = await runCli(['cluster', TROJAN]);
  assert.match(cluster.stdout, /^ {4}chk_\\u202eyxorpah\\u202c fails on node1 +70 +90 +node2$/m, 'shown as what it is, columns aligned');
  for (const out of [check.stdout, cluster.stdout]) assert.equal(RAW.test(out), false, 'no raw BIDI control printed');
});

test('hidden characters are found in all three languages, with the right severity', async (tt) => {
  const dir = tempTree({
    'haproxy.cfg':
      'global\n    log stdout format raw local0\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nbackend be\u200bapp\n    server s1 10.0.0.1:80\n',
    'corosync.conf':
      'totem {\n    version: 2\n    cluster_name: c\x1b[8mhidden\n    transport: knet\n}\nnodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        nodeid: 1\n    }\n}\nquorum {\n    provider: corosync_votequorum\n}\n',
    'keepalived.conf': '\ufeffvrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n',
  });
  tt.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['check', dir, '--format', 'json']);
  assert.equal(RAW.test(r.stdout), false, 'JSON output escapes them too');
  const ds = (JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; severity: string; code: string; message: string }[] }).diagnostics;
  const hidden = ds.filter((d) => d.code.endsWith('/hidden-characters'));
  assert.deepEqual(
    hidden.map((d) => `${path.basename(d.file)}:${d.line} ${d.severity} ${d.code}`).sort(),
    ['corosync.conf:3 error corosync/hidden-characters', 'haproxy.cfg:8 warning haproxy/hidden-characters'],
    'a byte-order mark at the start of a file is fine',
  );
  assert.match(hidden.find((d) => d.code.startsWith('haproxy'))!.message, /U\+200B ZERO WIDTH SPACE.*reads `backend be\\u200bapp`/);
  assert.match(hidden.find((d) => d.code.startsWith('corosync'))!.message, /U\+001B ESCAPE/);
});

test('ANSI escapes from config text and from hosts never reach the terminal raw (check, deploy progress)', async (tt) => {
  const dir = tempTree({ 'haproxy.cfg': 'global\n    log stdout format raw local0\nfrontend f\x1b]0;owned\x07\x1b[2J\n    bind :80\n    bogus-keyword \x1b[1A\x1b[2Kall good\r\n' });
  tt.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const args of [[], ['--color'], ['--format', 'sarif']]) {
    const r = await runCli(['check', dir, ...args]);
    assert.equal(RAW.test(r.stdout.replace(/\x1b\[(?:0|2|31|33|36)m/g, '')), false, `${args.join(' ')}: only haconf's own colours are raw`);
    assert.match(r.stdout, /\\u001b\[2J/, 'shown escaped');
  }
  // A host whose validator prints escape sequences: the deploy progress and result show them escaped.
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  t.override = async (host, call) =>
    host.name === 'lb2' && call.op === 'exec' && call.args[0].includes('grep -q')
      ? { code: 1, stdout: Buffer.alloc(0), stderr: '[ALERT] \x1b[2J\x1b[Hdeploy ok\u202e\n', connectionFailed: false }
      : undefined;
  let stdout = '';
  let stderr = '';
  const io: DeployCliIO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: ws.dir, transport: t, isTTY: false, signal: new AbortController().signal };
  const code = await main(['deploy', '--yes', '--manifest', ws.manifest], io);
  assert.equal(code, 1, stdout + stderr);
  assert.match(stdout, /\[ALERT\] \\u001b\[2J\\u001b\[Hdeploy ok\\u202e/);
  assert.equal(RAW.test(stdout + stderr), false);
  assert.equal(escapeForTerminal(escapeForTerminal('\x1b\u202e')), escapeForTerminal('\x1b\u202e'), 'idempotent');
});

test("the editor's failover page shows a BIDI-named track_script escaped, never raw", () => {
  const collected = collectFiles([TROJAN]);
  const result = checkWorkspace({ files: collected.files, manifests: collected.manifests }, defaultCheckOptions(), new NodeSourceHost());
  const views = clusterViews(result.clusters, () => []);
  assert.ok(views.length > 0 && views.some((v) => v.failover.length > 0), 'the fixture makes a cluster with a failover table');
  const html = views.map((v) => renderFailoverHtml(v, 'vscode-resource:')).join('\n');
  assert.match(html, /chk_\\u202eyxorpah\\u202c fails on node1/);
  assert.equal(RAW.test(html), false, 'no raw BIDI control in the page');
});
