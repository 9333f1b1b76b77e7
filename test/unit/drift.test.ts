// `haconf drift` and adopting a host's file, with the deploy fixture: each "host" is a folder and remote
// calls run the real remote scripts with the local sh (so `haproxy -v` etc. are this machine's daemons).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDrift } from '../../server/src/cli/drift';
import { UsageError } from '../../server/src/cli/args';
import { adoptFromHost, drift, parseVersions } from '../../server/src/deploy/drift';
import { DeployUsageError } from '../../server/src/deploy/plan';
import { Redactor } from '../../server/src/deploy/secrets';
import { deployOpts, LocalShellTransport, makeWorkspace, ok, type Workspace } from '../deploy/fixture';
import { pull } from '../../server/src/deploy/pull';
import { deploy } from '../../server/src/deploy/deploy';
import { manifestVersionInputs, readHostVersions } from '../../server/src/manifest/hostVersions';
import { parseManifest } from '../../server/src/manifest/parse';
import { resolveHaproxyVersion } from '../../server/src/core/targetVersion';

async function cli(argv: string[], ws: Workspace, t: LocalShellTransport): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  try {
    const code = await runDrift(argv, { stdout: (s) => (stdout += s), stderr: () => undefined, cwd: ws.dir, transport: t });
    return { code, stdout, stderr: '' };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, stdout, stderr: e.message };
    throw e;
  }
}

/** Every host on the workspace's files. */
function syncAll(ws: Workspace): void {
  for (const h of ws.plan.hosts) {
    fs.copyFileSync(path.join(ws.dir, 'haproxy.cfg'), ws.remote(h.name, 'haproxy.cfg'));
    fs.copyFileSync(path.join(ws.dir, h.name, 'keepalived.conf'), ws.remote(h.name, 'keepalived.conf'));
  }
}

const realVersion = (cmd: string): string => execFileSync('sh', ['-c', `${cmd} -v 2>&1 | head -n 1`], { encoding: 'utf8' }).trim();

test('in sync: exit 0, every file "same", the daemons\' real versions recorded', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  syncAll(ws);
  const t = new LocalShellTransport();
  const r = await drift({ manifestPath: ws.manifest, transport: t });
  assert.equal(r.exitCode, 0);
  assert.deepEqual(r.summary, { hosts: 3, inSync: 3, drifted: 0, unreachable: 0, filesDiffering: 0 });
  for (const h of r.hosts) {
    assert.deepEqual(
      h.files.map((f) => f.state),
      ['same', 'same'],
    );
    assert.equal(
      h.files.every((f) => f.diff === ''),
      true,
    );
    const ha = h.versions.find((v) => v.daemon === 'haproxy')!;
    assert.equal(ha.line, realVersion('haproxy'));
    assert.match(ha.version!, /^2\.\d+\.\d+/);
    assert.equal(h.versions.find((v) => v.daemon === 'keepalived')!.line, realVersion('keepalived'));
    assert.equal(h.versions.find((v) => v.daemon === 'corosync')!.version, /version '([^']+)'/.exec(realVersion('corosync'))![1]);
  }
  // One versions call and one read per file per host: nothing else is run.
  assert.deepEqual([...new Set(t.calls.map((c) => c.op))].sort(), ['read', 'versions']);
  const text = await cli([], ws, new LocalShellTransport());
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^lb1: in sync \(haproxy 2\.\d/m);
  assert.match(text.stdout, /3 hosts: 3 in sync, 0 drifted/);
});

test('a file changed on one host: exit 1, only that host and file drift, the diff is masked', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  syncAll(ws);
  const secret = 'Sup3rS3cretPw';
  const remote = ws.remote('lb2', 'haproxy.cfg');
  fs.writeFileSync(remote, fs.readFileSync(remote, 'utf8').replace('timeout client 30s', `timeout client 45s\n    stats auth admin:${secret}`));
  const r = await drift({ manifestPath: ws.manifest, transport: new LocalShellTransport() });
  assert.equal(r.exitCode, 1);
  assert.deepEqual(r.summary, { hosts: 3, inSync: 2, drifted: 1, unreachable: 0, filesDiffering: 1 });
  const lb2 = r.hosts.find((h) => h.host === 'lb2')!;
  assert.equal(lb2.drifted, true);
  const f = lb2.files.find((x) => x.source === 'haproxy.cfg')!;
  assert.equal(f.state, 'differs');
  assert.match(f.diff, /^--- haproxy\.cfg\n\+\+\+ lb2:.*haproxy\.cfg\n@@ /);
  assert.match(f.diff, /^- {4}timeout client 30s$/m);
  assert.match(f.diff, /^\+ {4}timeout client 45s$/m);
  assert.match(f.diff, /^\+ {4}stats auth admin:\*{8}$/m);
  const json = JSON.stringify(r);
  assert.equal(json.includes(secret), false, 'the secret appears nowhere in the result (diff, texts, messages)');
  assert.equal(lb2.files.find((x) => x.source !== 'haproxy.cfg')!.state, 'same');
  for (const h of r.hosts.filter((x) => x.host !== 'lb2')) assert.equal(h.drifted, false);
  const text = await cli(['--hosts', 'lb2'], ws, new LocalShellTransport());
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^lb2: DRIFTED/m);
  assert.match(text.stdout, /^ {2}M .*haproxy\.cfg ← haproxy\.cfg: lb2:.* differs from haproxy\.cfg$/m);
  assert.match(text.stdout, /^ {6}\+ {4}stats auth admin:\*{8}$/m);
  assert.equal(text.stdout.includes(secret), false);
  const json2 = await cli(['--format', 'json'], ws, new LocalShellTransport());
  assert.equal(JSON.parse(json2.stdout).exitCode, 1);
});

test('missing on a host and missing in the workspace are drift; an unreachable host is exit 2, named, and not read', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  syncAll(ws);
  fs.rmSync(ws.remote('lb1', 'keepalived.conf'));
  const t = new LocalShellTransport();
  let r = await drift({ manifestPath: ws.manifest, transport: t });
  assert.equal(r.exitCode, 1);
  const lb1ka = r.hosts[0].files.find((f) => f.source === 'lb1/keepalived.conf')!;
  assert.equal(lb1ka.state, 'missing-remote');
  assert.match(lb1ka.diff, /\(missing\)/);
  const ka3 = path.join(ws.dir, 'lb3', 'keepalived.conf');
  const ka3Text = fs.readFileSync(ka3);
  fs.rmSync(ka3);
  r = await drift({ manifestPath: ws.manifest, transport: new LocalShellTransport() });
  assert.equal(r.hosts[2].files.find((f) => f.source === 'lb3/keepalived.conf')!.state, 'missing-local');
  fs.writeFileSync(ka3, ka3Text);
  syncAll(ws);
  const down = new LocalShellTransport();
  down.unreachable.add('lb3');
  r = await drift({ manifestPath: ws.manifest, transport: down });
  assert.equal(r.exitCode, 2);
  const lb3 = r.hosts[2];
  assert.equal(lb3.reachable, false);
  assert.match(lb3.error!, /^cannot reach lb3: ssh: connect to host lb3 port 22: No route to host/);
  assert.deepEqual(
    lb3.files.map((f) => f.state),
    ['unknown', 'unknown'],
  );
  assert.deepEqual(down.ops('read', 'lb3'), [], 'one failed probe, no read per file');
  const text = await cli([], ws, down);
  assert.equal(text.code, 2);
  assert.match(text.stdout, /^lb3: UNREACHABLE\n {4}cannot reach lb3/m);
  assert.match(text.stdout, /1 unreachable/);
});

test('usage errors exit 2 and contact no host', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  for (const argv of [['--bogus'], ['--format', 'xml'], ['--hosts', 'nope'], ['--manifest', 'missing.yaml'], ['stray'], ['--check']]) {
    const t = new LocalShellTransport();
    const r = await cli(argv, ws, t);
    assert.equal(r.code, 2, argv.join(' '));
    assert.ok(r.stderr.length > 0);
    assert.deepEqual(t.calls, [], argv.join(' '));
  }
});

test('versions: not installed and unrecognised lines; host output is scrubbed of workspace secrets', () => {
  const red = new Redactor();
  red.addValue('topsecretvalue');
  const v = parseVersions('HACONF haproxy HAProxy version 3.0.5-1 2024/09/19\nHACONF keepalived -\nHACONF corosync odd topsecretvalue build\n', red);
  assert.deepEqual(v[0], { daemon: 'haproxy', installed: true, version: '3.0.5-1', line: 'HAProxy version 3.0.5-1 2024/09/19' });
  assert.deepEqual(v[1], { daemon: 'keepalived', installed: false, version: null, line: '' });
  assert.equal(v[2].version, null);
  assert.equal(v[2].line.includes('topsecretvalue'), false);
});

test("adopt: writes the host's version into the workspace; refuses when the host changed since the check, or a source outside the folder", async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  syncAll(ws);
  fs.appendFileSync(ws.remote('lb2', 'haproxy.cfg'), '# hand edit on lb2\n');
  const r = await drift({ manifestPath: ws.manifest, transport: new LocalShellTransport() });
  const seen = r.hosts[1].files[0];
  fs.appendFileSync(ws.remote('lb2', 'haproxy.cfg'), '# second edit\n');
  await assert.rejects(
    adoptFromHost({ manifestPath: ws.manifest, host: 'lb2', source: 'haproxy.cfg', expectedSha256: seen.remoteSha256!, transport: new LocalShellTransport() }),
    (e: Error) => e instanceof DeployUsageError && /changed since the drift check/.test(e.message),
  );
  assert.doesNotMatch(fs.readFileSync(path.join(ws.dir, 'haproxy.cfg'), 'utf8'), /hand edit/);
  const a = await adoptFromHost({ manifestPath: ws.manifest, host: 'lb2', source: 'haproxy.cfg', transport: new LocalShellTransport() });
  assert.equal(a.written, path.join(ws.dir, 'haproxy.cfg'));
  assert.deepEqual(a.sharedWith, ['lb1', 'lb3']);
  assert.match(a.message, /lb1, lb3 also receive haproxy\.cfg and will differ until the next deploy/);
  assert.equal(fs.readFileSync(path.join(ws.dir, 'haproxy.cfg'), 'utf8'), fs.readFileSync(ws.remote('lb2', 'haproxy.cfg'), 'utf8'));
  const after = await drift({ manifestPath: ws.manifest, transport: new LocalShellTransport() });
  assert.deepEqual(
    after.hosts.map((h) => h.drifted),
    [true, false, true],
  );
  // A manifest whose source lies outside its folder: adopting would write outside the workspace.
  fs.writeFileSync(ws.manifest, fs.readFileSync(ws.manifest, 'utf8').replace('source: haproxy.cfg', 'source: ../escape-haproxy.cfg'));
  await assert.rejects(
    adoptFromHost({ manifestPath: ws.manifest, host: 'lb1', source: '../escape-haproxy.cfg', transport: new LocalShellTransport() }),
    /outside .*; haconf pull only writes inside the manifest's folder/,
  );
  assert.equal(fs.existsSync(path.join(path.dirname(ws.dir), 'escape-haproxy.cfg')), false);
});

test('peers on different daemon versions get a note (not drift: exit code unchanged)', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  syncAll(ws);
  const t = new LocalShellTransport();
  // lb3 answers as an older HAProxy and without corosync.
  t.override = (host, call) =>
    host.name === 'lb3' && call.op === 'versions' ? ok('HACONF haproxy HAProxy version 2.4.22-0+deb11u1 2023/02/14\nHACONF keepalived Keepalived v2.2.7 (01/16,2022)\nHACONF corosync -\n') : undefined;
  const r = await drift({ manifestPath: ws.manifest, transport: t });
  assert.equal(r.exitCode, 0);
  const local = /version (\S+)/.exec(realVersion('haproxy'))![1];
  assert.deepEqual(r.notes, [`the hosts run different haproxy versions: lb1, lb2 ${local}; lb3 2.4.22-0+deb11u1`]);
  const text = await cli([], ws, t);
  assert.match(text.stdout, /^note: the hosts run different haproxy versions: lb1, lb2 .*; lb3 2\.4\.22-0\+deb11u1$/m);
  assert.match(text.stdout, /^lb3: in sync \(haproxy 2\.4\.22-0\+deb11u1, keepalived 2\.2\.7, corosync not installed\)$/m);
  // What the hosts said is kept beside the manifest, and the next check targets the oldest HAProxy of them.
  const recorded = readHostVersions(path.dirname(ws.manifest));
  assert.equal(recorded.lb3.haproxy, 'HAProxy version 2.4.22-0+deb11u1 2023/02/14');
  assert.equal(recorded.lb3.corosync, undefined);
  assert.equal(recorded.lb1.haproxy, realVersion('haproxy'));
  const target = resolveHaproxyVersion(manifestVersionInputs(parseManifest(ws.manifest, fs.readFileSync(ws.manifest, 'utf8')).manifest));
  assert.equal(target.version, '2.4');
  assert.match(target.reason, /^from the hosts \(lb1 2\.6\.\d+.*lb3 2\.4\.22-0\+deb11u1; the oldest\)$/);
});

test('a link on the host is "unreadable" (exit 2, the read script\'s reason); binary and very large files drift without a diff', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  syncAll(ws);
  const ka = ws.remote('lb1', 'keepalived.conf');
  fs.renameSync(ka, `${ka}.real`);
  fs.symlinkSync(`${ka}.real`, ka);
  fs.writeFileSync(ws.remote('lb2', 'haproxy.cfg'), Buffer.from([0x67, 0x6c, 0x00, 0x01, 0x0a]));
  fs.writeFileSync(ws.remote('lb3', 'haproxy.cfg'), 'x\n'.repeat(25000));
  const r = await drift({ manifestPath: ws.manifest, transport: new LocalShellTransport() });
  assert.equal(r.exitCode, 2);
  const link = r.hosts[0].files.find((f) => f.source === 'lb1/keepalived.conf')!;
  assert.equal(link.state, 'unreadable');
  assert.match(link.message, /is a symbolic link; point the manifest at the real file/);
  const bin = r.hosts[1].files.find((f) => f.source === 'haproxy.cfg')!;
  assert.equal(bin.state, 'differs');
  assert.equal(bin.diff, '');
  assert.match(bin.message, /binary content, no diff shown/);
  const big = r.hosts[2].files.find((f) => f.source === 'haproxy.cfg')!;
  assert.equal(big.state, 'differs');
  assert.equal(big.diff, '');
  assert.match(big.message, /too large to diff here; compare the sha256 values/);
  const text = await cli([], ws, new LocalShellTransport());
  assert.equal(text.code, 2);
  assert.match(text.stdout, /^lb1: NOT CHECKED/m);
  assert.match(text.stdout, /^ {2}E .*keepalived\.conf ← lb1\/keepalived\.conf: .*symbolic link/m);
});

test('pull and deploy record what the hosts run (one versions step per host, in the session they open anyway); pull --check writes nothing', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const dir = path.dirname(ws.manifest);
  const record = path.join(dir, '.haconf', 'host-versions.json');
  const older = "HACONF haproxy HAProxy version 3.2.26-1 2026/11/02\nHACONF keepalived Keepalived v2.3.4 (06/01,2025)\nHACONF corosync Corosync Cluster Engine, version '3.1.10'\n";
  const targetNow = () => resolveHaproxyVersion(manifestVersionInputs(parseManifest(ws.manifest, fs.readFileSync(ws.manifest, 'utf8')).manifest));

  const checkOnly = new LocalShellTransport();
  await pull({ manifestPath: ws.manifest, transport: checkOnly, check: true });
  assert.equal(fs.existsSync(record), false, 'pull --check wrote the version record');

  const t = new LocalShellTransport();
  t.override = (host, call) => (host.name === 'lb2' && call.op === 'versions' ? ok(older) : undefined);
  await pull({ manifestPath: ws.manifest, transport: t });
  assert.deepEqual(
    t.ops('versions').map((c) => c.host),
    ['lb1', 'lb2', 'lb3'],
  );
  const recorded = readHostVersions(dir);
  assert.equal(recorded.lb2.haproxy, 'HAProxy version 3.2.26-1 2026/11/02');
  assert.equal(recorded.lb2.keepalived, 'Keepalived v2.3.4 (06/01,2025)');
  assert.equal(recorded.lb1.haproxy, realVersion('haproxy'));
  // The oldest of the hosts: this machine's 2.6 on lb1/lb3.
  assert.equal(targetNow().origin, 'hosts');
  assert.equal(targetNow().version, /version (\d+\.\d+)/.exec(realVersion('haproxy'))![1]);

  // deploy: the versions step rides in each host's lock session, after the reads.
  fs.rmSync(record);
  const d = new LocalShellTransport();
  d.vipHolders = () => ['lb1'];
  d.override = (_host, call) => (call.op === 'versions' ? ok(older) : undefined);
  await deploy(deployOpts(ws, d));
  assert.equal(d.ops('versions').length, 3);
  assert.deepEqual(Object.keys(readHostVersions(dir)).sort(), ['lb1', 'lb2', 'lb3']);
  assert.equal(targetNow().version, '3.2');
  assert.match(targetNow().reason, /^from the hosts \(lb1 3\.2\.26-1, lb2 3\.2\.26-1, lb3 3\.2\.26-1; the oldest\)$/);
});

test('pull: an unreachable host costs one connection attempt (the versions step), not one per file', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = new LocalShellTransport();
  const refused = { code: 255, stdout: Buffer.alloc(0), stderr: 'ssh: connect to host 10.0.0.2 port 22: Connection refused', connectionFailed: true };
  t.override = (host) => (host.name === 'lb2' ? refused : undefined);
  const r = await pull({ manifestPath: ws.manifest, transport: t });
  assert.equal(r.exitCode, 1);
  assert.equal(t.calls.filter((c) => c.host === 'lb2').length, 1, JSON.stringify(t.calls.filter((c) => c.host === 'lb2')));
  const failed = r.entries.filter((e) => e.state === 'failed');
  assert.ok(failed.length >= 2, JSON.stringify(r.entries.map((e) => [e.source, e.state])));
  for (const e of failed) assert.match(e.message, /lb2: ssh: connect to host 10\.0\.0\.2 port 22: Connection refused/);
  // lb1 and lb3 answered: their versions are recorded, lb2 has none.
  assert.deepEqual(Object.keys(readHostVersions(path.dirname(ws.manifest))).sort(), ['lb1', 'lb3']);
});
