// The deploy engine end to end against local folders standing for hosts (test/deploy/fixture.ts): the
// real remote scripts run under the local sh; only ssh itself, the VIP probe and the haproxy probe are
// simulated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { deploy } from '../../server/src/deploy/deploy';
import { localIdentity } from '../../server/src/deploy/lock';
import { collect, leftovers, LocalShellTransport, makeWorkspace, type Workspace, deployOpts, vipOnLb1 } from '../deploy/fixture';
import type { AuditRecord } from '../../server/src/deploy/audit';

const read = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

function snapshot(ws: Workspace): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of ws.plan.hosts) for (const f of ['haproxy.cfg', 'keepalived.conf'] as const) out[`${h.name}/${f}`] = read(ws.remote(h.name, f));
  return out;
}

const opts = deployOpts;

const fake = vipOnLb1;

function installOrder(t: LocalShellTransport): string[] {
  return [...new Set(t.ops('install').map((c) => c.host))];
}

test('a good deploy replaces every changed file, reloads each service once, in rollout order', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const { events, onEvent } = collect();
  const r = await deploy(opts(ws, t, { onEvent }));
  assert.equal(r.outcome, 'success', r.message);
  assert.equal(r.exitCode, 0);
  // lb1 holds the VIP (priority 100+20); the others go first, lowest effective priority first.
  assert.deepEqual(installOrder(t), ['lb3', 'lb2', 'lb1']);
  assert.deepEqual(
    r.plan!.hosts.map((h) => h.name),
    ['lb3', 'lb2', 'lb1'],
  );
  for (const h of ws.plan.hosts) {
    assert.equal(read(ws.remote(h.name, 'haproxy.cfg')), read(path.join(ws.dir, 'haproxy.cfg')));
    assert.equal(read(ws.remote(h.name, 'keepalived.conf')), read(path.join(ws.dir, h.name, 'keepalived.conf')));
    assert.deepEqual(ws.reloads(h.name), ['haproxy', 'keepalived']);
    assert.deepEqual(leftovers(ws, h.name), []);
    assert.equal(fs.existsSync(ws.lockDir(h.name)), false, 'lock released');
  }
  // Every host staged (upload + validate) before the first install.
  const firstInstall = t.calls.findIndex((c) => c.op === 'install');
  const lastStage = t.calls.map((c) => c.op).lastIndexOf('stage');
  assert.ok(lastStage < firstInstall, 'all staging happens before any install');
  assert.ok(events.some((e) => e.type === 'phase' && e.phase === 'rollout'));
});

test('the live VIP holder goes last even when the model predicts another', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb2'];
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'success', r.message);
  assert.deepEqual(installOrder(t), ['lb3', 'lb1', 'lb2']);
});

test('unchanged files are skipped with their reload; all unchanged means nothing to do', async (tt) => {
  const ws = makeWorkspace({ remoteKeepalived: 'same' });
  tt.after(ws.cleanup);
  // lb2 already runs the new haproxy.cfg as well: nothing changes there at all.
  fs.copyFileSync(path.join(ws.dir, 'haproxy.cfg'), ws.remote('lb2', 'haproxy.cfg'));
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'success', r.message);
  assert.deepEqual(installOrder(t), ['lb3', 'lb1']);
  assert.deepEqual(t.ops('stage', 'lb2'), []);
  assert.deepEqual(ws.reloads('lb2'), []);
  assert.deepEqual(ws.reloads('lb1'), ['haproxy'], 'keepalived unchanged: not reloaded');
  assert.equal(t.ops('install', 'lb1').length, 1);

  const t2 = new LocalShellTransport();
  t2.vipHolders = () => ['lb1'];
  const again = await deploy(opts(ws, t2));
  assert.equal(again.outcome, 'nothing-to-do');
  assert.equal(again.exitCode, 0);
  assert.deepEqual(t2.ops('stage'), []);
  assert.deepEqual(t2.ops('install'), []);
});

test('a candidate rejected on one host removes candidates everywhere and replaces nothing', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  t.override = async (host, call) => {
    if (call.op === 'exec' && host.name === 'lb2' && call.args[0].includes('BROKEN')) {
      return {
        code: 1,
        stdout: Buffer.alloc(0),
        stderr: "[ALERT] (1234) : config : parsing [/etc/haproxy/haproxy.cfg:12] : 'bind' : unable to load certificate '/etc/ssl/missing.pem'\n",
        connectionFailed: false,
      };
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rejected');
  assert.equal(r.exitCode, 1);
  assert.match(r.message, /lb2 rejected haproxy\.cfg/);
  assert.match(r.message, /unable to load certificate '\/etc\/ssl\/missing\.pem'/, "the tool's own message is shown");
  assert.deepEqual(t.ops('install'), []);
  assert.deepEqual(snapshot(ws), before, 'no target changed');
  for (const h of ws.plan.hosts) {
    assert.deepEqual(leftovers(ws, h.name), [], `no candidate left on ${h.name}`);
    assert.deepEqual(ws.reloads(h.name), []);
  }
  // Candidates were really created on the other hosts (then removed): staging ran in parallel.
  assert.ok(t.ops('stage', 'lb1').length >= 1 && t.ops('stage', 'lb3').length >= 1);
  assert.ok(t.ops('remove').length >= 3);
});

test('several unreachable hosts: one clear sentence per host', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  t.unreachable.add('lb2');
  t.unreachable.add('lb3');
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'unreachable');
  const lines = r.message.split('\n');
  assert.deepEqual(lines, [
    'cannot reach lb2 over ssh: there is no route to it; check the address in haconf.yaml and the network',
    'cannot reach lb3 over ssh: there is no route to it; check the address in haconf.yaml and the network',
    'nothing was changed',
  ]);
});

test('an unreachable host aborts before any change', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  t.unreachable.add('lb3');
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'unreachable');
  assert.equal(r.exitCode, 1);
  assert.equal(r.message, 'cannot reach lb3 over ssh: there is no route to it; check the address in haconf.yaml and the network\nnothing was changed');
  assert.deepEqual(snapshot(ws), before);
  assert.deepEqual(t.ops('stage'), []);
  for (const h of ['lb1', 'lb2']) assert.equal(fs.existsSync(ws.lockDir(h)), false, `lock on ${h} released`);
});

test('a failed reload on the second host rolls back that host and the first', async (tt) => {
  const ws = makeWorkspace({ hostExtra: {} });
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  let failing = true;
  t.override = async (host, call) => {
    // Order is lb3, lb2, lb1: make lb2's haproxy reload fail once (the rollback reload succeeds).
    if (failing && host.name === 'lb2' && call.op === 'exec' && call.args[0].startsWith('echo haproxy')) {
      failing = false;
      return { code: 1, stdout: Buffer.alloc(0), stderr: '[ALERT] Starting frontend fe: cannot bind socket [0.0.0.0:8404]\n', connectionFailed: false };
    }
    return undefined;
  };
  const { events, onEvent } = collect();
  const r = await deploy(opts(ws, t, { onEvent }));
  assert.equal(r.outcome, 'rolled-back', r.message);
  assert.equal(r.exitCode, 1);
  assert.match(r.message, /lb2: haproxy reload .* failed/);
  assert.match(r.message, /cannot bind socket/);
  assert.deepEqual(snapshot(ws), before, 'every host back on its previous files');
  assert.deepEqual(t.ops('install', 'lb1'), [], 'lb1 was never touched');
  assert.deepEqual(leftovers(ws, 'lb1'), [], "lb1's unused candidates removed");
  // lb3 was reloaded for the deploy and again after its restore.
  assert.deepEqual(ws.reloads('lb3'), ['haproxy', 'keepalived', 'haproxy', 'keepalived']);
  const restores = events.filter((e) => e.type === 'host' && e.step === 'restore' && e.status === 'ok').map((e) => (e as { host: string }).host);
  assert.deepEqual([...new Set(restores)], ['lb2', 'lb3'], 'failed host first, then the earlier ones');
  assert.deepEqual(Object.fromEntries(r.hosts.map((h) => [h.host, h.state])), { lb3: 'rolled-back', lb2: 'rolled-back', lb1: 'not-started' }, 'lb1 was never reached: not-started, not "staged"');
  // The backups the rollback used are kept.
  assert.ok(fs.readdirSync(path.join(ws.dir, 'hosts', 'lb3')).some((f) => f.startsWith('haproxy.cfg.haconf-bak-')));
});

test('a VIP lost after a host is a failed health check and rolls back', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  let installs = 0;
  t.vipHolders = () => (installs >= 2 ? [] : ['lb1']);
  const inner = t.run.bind(t);
  t.run = async (h, c, o) => {
    const res = await inner(h, c, o);
    if (c.op === 'install' && res.code === 0) installs++;
    return res;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rollback-failed', 'the VIP stays lost in this fake, so the rollback cannot confirm health');
  assert.match(r.message, /VIP 10\.99\.0\.10 is held by no host/);
  assert.deepEqual(snapshot(ws), before, 'files are still restored');
});

test('haproxy gone after the reload fails the health check', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = fake();
  t.haproxyDead.add('lb2');
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rollback-failed', 'haproxy is still dead after the restore');
  assert.match(r.message, /lb2: no haproxy process is running/);
  assert.deepEqual(installOrder(t), ['lb3', 'lb2']);
  assert.deepEqual(snapshot(ws), before);
});

test('cancelling stops before the next host and rolls back what changed', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const ac = new AbortController();
  const r = await deploy(opts(ws, t, { signal: ac.signal, onEvent: (e) => e.type === 'host' && e.host === 'lb3' && e.step === 'health' && e.status === 'ok' && ac.abort() }));
  assert.equal(r.outcome, 'cancelled', r.message);
  assert.equal(r.exitCode, 1);
  assert.deepEqual(installOrder(t), ['lb3']);
  assert.deepEqual(snapshot(ws), before);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});

test('--dry-run stages and validates, then changes nothing and writes no audit record', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const r = await deploy(opts(ws, t, { dryRun: true }));
  assert.equal(r.outcome, 'dry-run', r.message);
  assert.equal(r.exitCode, 0);
  assert.equal(t.ops('stage').length, 6);
  assert.equal(t.ops('exec').length, 6, 'every candidate validated');
  assert.deepEqual(t.ops('install'), []);
  assert.deepEqual(snapshot(ws), before);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
  assert.equal(fs.existsSync(path.join(ws.dir, '.haconf/audit.jsonl')), false);
  assert.match(r.plan!.hosts[0].files[0].diff, /^- {4}timeout client 20s$/m);
  assert.match(r.plan!.hosts[0].files[0].diff, /^\+ {4}timeout client 30s$/m);
});

test('backups keep owner and mode, only the last N are kept, new targets get 0600', async (tt) => {
  const ws = makeWorkspace({ extra: '' });
  tt.after(ws.cleanup);
  const target = ws.remote('lb1', 'haproxy.cfg');
  fs.chmodSync(target, 0o640);
  fs.chownSync(target, 0, 4); // group adm, as on Debian
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const src = path.join(ws.dir, 'haproxy.cfg');
  for (let i = 0; i < 4; i++) {
    fs.appendFileSync(src, `# change ${i}\n`);
    const r = await deploy(opts(ws, t));
    assert.equal(r.outcome, 'success', r.message);
    await new Promise((res) => setTimeout(res, 1100)); // backup stamps have one-second resolution
  }
  const st = fs.statSync(target);
  assert.equal(st.mode & 0o777, 0o640, 'mode preserved');
  assert.equal(st.gid, 4, 'group preserved');
  const backups = fs
    .readdirSync(path.dirname(target))
    .filter((f) => f.startsWith('haproxy.cfg.haconf-bak-'))
    .sort();
  assert.equal(backups.length, 2, `keepBackups: 2, got ${backups.join(', ')}`);
  const newest = fs.statSync(path.join(path.dirname(target), backups[1]));
  assert.equal(newest.mode & 0o777, 0o640, 'backup keeps the mode');
  assert.match(fs.readFileSync(path.join(path.dirname(target), backups[1]), 'utf8'), /# change 2\n$/, 'newest backup = the file before the last deploy');
  // keepalived.conf did not exist on the hosts before: created with 0600.
  assert.equal(fs.statSync(ws.remote('lb1', 'keepalived.conf')).mode & 0o777, 0o600);
});

test('a held lock refuses the deploy; a stale one is taken over', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  fs.mkdirSync(ws.lockDir('lb2'));
  const owner = `haconf run=0badc0de user=alice host=elsewhere.example pid=4242 started=${new Date().toISOString()}`;
  fs.writeFileSync(path.join(ws.lockDir('lb2'), 'owner'), owner + '\n');
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'refused');
  assert.match(r.message, /lb2 is locked by another deploy \(haconf run=0badc0de user=alice host=elsewhere\.example/);
  assert.deepEqual(snapshot(ws), before);
  assert.equal(fs.readFileSync(path.join(ws.lockDir('lb2'), 'owner'), 'utf8').trim(), owner, 'the other lock is left alone');
  for (const h of ['lb1', 'lb3']) assert.equal(fs.existsSync(ws.lockDir(h)), false, `${h}: our lock released`);

  // Same lock, but old by the host's clock: stale.
  const old = new Date(Date.now() - 3600 * 1000);
  fs.utimesSync(ws.lockDir('lb2'), old, old);
  const { events, onEvent } = collect();
  const r2 = await deploy(opts(ws, fake(), { onEvent, staleLockSeconds: 600 }));
  assert.equal(r2.outcome, 'success', r2.message);
  assert.ok(events.some((e) => e.type === 'log' && e.level === 'warn' && /lb2: taking over the lock of a run that is gone .*no heartbeat and is 3\d{3} s old/.test(e.message)));
  assert.equal(fs.existsSync(ws.lockDir('lb2')), false);
});

test('a lock left by a dead process on this machine is stale', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const me = localIdentity();
  const ours = (run: string, pid: number, start: string): string =>
    `haconf run=${run} token=${'0'.repeat(32)} user=bob host=${os.hostname()} machine=${me.machine} boot=${me.boot} pidns=${me.pidns} pid=${pid} start=${start} started=${new Date().toISOString()}\n`;
  fs.mkdirSync(ws.lockDir('lb1'));
  fs.writeFileSync(path.join(ws.lockDir('lb1'), 'owner'), ours('00000001', 99999999, '1'));
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const { events, onEvent } = collect();
  const r = await deploy(opts(ws, t, { onEvent, processAlive: (pid) => pid !== 99999999 }));
  assert.equal(r.outcome, 'success', r.message);
  assert.ok(
    events.some((e) => e.type === 'log' && /lb1: taking over the lock of a run that is gone .*its process 99999999 on this machine \(same boot, same PID namespace\) has ended/.test(e.message)),
  );
  // And with the process alive (this very test process, with its start time), the lock holds.
  fs.mkdirSync(ws.lockDir('lb1'));
  fs.writeFileSync(path.join(ws.lockDir('lb1'), 'owner'), ours('00000002', process.pid, me.start));
  const r2 = await deploy(opts(ws, fake(), { lockIdentity: { ...me, pid: 1 } }));
  assert.equal(r2.outcome, 'refused');
  assert.match(r2.message, /lb1 is locked by another deploy \(haconf run=00000002/);
});

test('pre-flight errors refuse the deploy; --force goes ahead and says so in the log and audit', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const src = path.join(ws.dir, 'haproxy.cfg');
  fs.appendFileSync(src, '\nbackend be_broken\n    balance nonsense-algorithm\n');
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'refused');
  assert.match(r.message, /^pre-flight found 1 error; fix it before deploying:\n/, 'one error, and no advice about a flag the editor does not have');
  assert.doesNotMatch(r.message, /--force/);
  const cli = await deploy(opts(ws, t, { forceHint: 'pass --force' }));
  assert.match(cli.message, /^pre-flight found 1 error; fix it or pass --force before deploying:\n/);
  assert.deepEqual(t.calls, [], 'no host contacted');
  assert.deepEqual(snapshot(ws), before);
  const { events, onEvent } = collect();
  const f = await deploy(opts(ws, t, { force: true, onEvent }));
  assert.equal(f.outcome, 'success', f.message);
  assert.ok(events.some((e) => e.type === 'log' && /^FORCED: deploying despite/.test(e.message)));
  const lines = fs
    .readFileSync(path.join(ws.dir, '.haconf/audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditRecord);
  assert.equal(lines.length, 3);
  assert.equal(lines[0].result, 'refused');
  assert.equal(lines[0].forced, false);
  assert.equal(lines[2].result, 'success');
  assert.equal(lines[2].forced, true);
  assert.ok(lines[2].forcedFindings.length > 0);
});

test('the audit record names who, when, which hosts and the hashes before and after', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const crypto = await import('node:crypto');
  const sha = (p: string): string => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  const oldSha = sha(ws.remote('lb2', 'haproxy.cfg'));
  const r = await deploy(opts(ws, t, { hosts: ['lb2', 'lb3'] }));
  assert.equal(r.outcome, 'success', r.message);
  const file = path.join(ws.dir, '.haconf/audit.jsonl');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const rec = JSON.parse(fs.readFileSync(file, 'utf8').trim()) as AuditRecord;
  assert.equal(rec.user, os.userInfo().username);
  assert.equal(rec.from, os.hostname());
  assert.equal(rec.cluster, 'unit');
  assert.deepEqual(rec.hosts, ['lb2', 'lb3']);
  assert.equal(rec.result, 'success');
  assert.equal(rec.runId, r.runId);
  assert.ok(Math.abs(Date.parse(rec.time) - Date.now()) < 60000);
  const f = rec.files.find((x) => x.host === 'lb2' && x.target.endsWith('haproxy.cfg'))!;
  assert.equal(f.before, oldSha);
  assert.equal(f.after, sha(path.join(ws.dir, 'haproxy.cfg')));
  assert.equal(f.changed, true);
  const k = rec.files.find((x) => x.host === 'lb2' && x.target.endsWith('keepalived.conf'))!;
  assert.equal(k.before, null, 'did not exist before');
  assert.equal(fs.readFileSync(ws.remote('lb1', 'haproxy.cfg'), 'utf8').includes('timeout client 20s'), true, 'lb1 not selected, untouched');
});

test('a connection cut mid-upload leaves no candidate and no partial target', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  // A large file so the cut lands inside the upload.
  fs.appendFileSync(path.join(ws.dir, 'haproxy.cfg'), `# ${'x'.repeat(200)}\n`.repeat(5000));
  const before = snapshot(ws);
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  const inner = t.run.bind(t);
  t.run = async (h, c, o = {}) => {
    if (h.name !== 'lb2' || c.op !== 'stage' || !Buffer.isBuffer(o.stdin)) return inner(h, c, o);
    const half = new PassThrough();
    half.write(o.stdin.subarray(0, o.stdin.length >> 1));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300); // like the connection dropping: ssh dies, the stream never ends
    return inner(h, c, { ...o, stdin: half, signal: ac.signal });
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'unreachable', r.message);
  assert.match(r.message, /lb2: uploading haproxy\.cfg/);
  assert.deepEqual(snapshot(ws), before, 'no target replaced, none partial');
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), [], `no candidate on ${h.name}`);
});

test('an audit log path outside the manifest folder is refused before anything runs', async (tt) => {
  const ws = makeWorkspace({ extra: '' });
  tt.after(ws.cleanup);
  const victim = path.join(os.tmpdir(), `haconf-victim-${process.pid}`);
  fs.writeFileSync(ws.manifest, fs.readFileSync(ws.manifest, 'utf8').replace('auditLog: .haconf/audit.jsonl', `auditLog: ${victim}`));
  const t = fake();
  await assert.rejects(deploy(opts(ws, t)), /deploy\.auditLog .* must be a file inside/);
  fs.writeFileSync(ws.manifest, fs.readFileSync(ws.manifest, 'utf8').replace(`auditLog: ${victim}`, 'auditLog: ../../x.jsonl'));
  await assert.rejects(deploy(opts(ws, t)), /must be a file inside/);
  assert.equal(fs.existsSync(victim), false);
  assert.deepEqual(t.calls, []);
});

test('a validator that exits 0 without reading the candidate (keepalived "Config files missing") counts as a rejection', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  // The real keepalived, pointed at a path that does not exist, prints "Config files missing" and exits 0.
  fs.writeFileSync(ws.manifest, fs.readFileSync(ws.manifest, 'utf8').replaceAll('validate: "test -s {file}"', 'validate: "keepalived -t -f /nonexistent{file}"'));
  const before = snapshot(ws);
  const r = await deploy(opts(ws, fake()));
  assert.equal(r.outcome, 'rejected', r.message);
  assert.equal(r.exitCode, 1);
  assert.match(r.message, /exited 0 but did not read the candidate file/);
  assert.match(r.message, /Config files missing/);
  assert.deepEqual(snapshot(ws), before, 'no target changed');
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), [], `no candidate left on ${h.name}`);
});
