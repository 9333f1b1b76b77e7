// Faults around the deploy lock and the host-side file steps (issue 13: items 3 and 9 and the low items),
// against local folders standing for hosts (test/deploy/fixture.ts): the real remote scripts run under the
// local sh. The same faults run against real hosts in test/deploy/faults.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploy } from '../../server/src/deploy/deploy';
import { localIdentity, type ProcessIdentity } from '../../server/src/deploy/lock';
import { collect, deployOpts, leftovers, makeWorkspace, vipOnLb1, type Workspace } from '../deploy/fixture';
import type { DeployEvent } from '../../server/src/deploy/events';

const read = (p: string): string | undefined => (!fs.existsSync(p) ? undefined : fs.statSync(p).isDirectory() ? '<directory>' : fs.readFileSync(p, 'utf8'));

function snapshot(ws: Workspace): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of ws.plan.hosts) for (const f of ['haproxy.cfg', 'keepalived.conf'] as const) out[`${h.name}/${f}`] = read(ws.remote(h.name, f));
  return out;
}

function expected(ws: Workspace): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of ws.plan.hosts) {
    out[`${h.name}/haproxy.cfg`] = read(path.join(ws.dir, 'haproxy.cfg'));
    out[`${h.name}/keepalived.conf`] = read(path.join(ws.dir, h.name, 'keepalived.conf'));
  }
  return out;
}

const fake = vipOnLb1;

const opts = deployOpts;

const warnings = (events: DeployEvent[]): string[] => events.filter((e) => e.type === 'log' && e.level === 'warn').map((e) => (e as { message: string }).message);

/** The host's boot id and seconds since boot, as the lock scripts read them. */
function hostClock(): { boot: string; uptime: number } {
  return { boot: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), uptime: Math.floor(Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0])) };
}

/** A lock as a run holding it leaves it: owner line and heartbeat `ageSeconds` ago on the host's boot clock. */
function plantLock(dir: string, owner: string, ageSeconds: number | undefined): void {
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'owner'), owner + '\n');
  if (ageSeconds !== undefined) {
    const c = hostClock();
    fs.writeFileSync(path.join(dir, 'beat'), `${c.boot} ${c.uptime - ageSeconds}\n`);
  }
}

function ownerOf(id: ProcessIdentity, run = '0badc0de'): string {
  return `haconf run=${run} token=${'ab'.repeat(16)} user=alice host=${os.hostname()} machine=${id.machine} boot=${id.boot} pidns=${id.pidns} pid=${id.pid} start=${id.start} started=${new Date(0).toISOString()}`;
}

test('item 3: a deploy from the same host name in another PID namespace (its pid invisible here) is not taken over', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const me = localIdentity();
  // Same machine, same boot, same host name, but a container's PID namespace: pid 7 means nothing here.
  const other = ownerOf({ ...me, pidns: 'pid:[4026599999]', pid: 7, start: '12345' });
  plantLock(ws.lockDir('lb2'), other, 1);
  const r = await deploy(opts(ws, fake()));
  assert.equal(r.outcome, 'refused', r.message);
  assert.match(r.message, /lb2 is locked by another deploy \(haconf run=0badc0de .*pidns=pid:\[4026599999\] pid=7 /);
  assert.deepEqual(snapshot(ws), before);
  assert.equal(read(path.join(ws.lockDir('lb2'), 'owner'))?.trim(), other, 'the other lock is left alone');
});

test('item 3: a lock whose mtime looks hours old (clock jump) but whose holder beat a second ago is respected', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const owner = ownerOf({ machine: 'f'.repeat(32), boot: 'elsewhere', pidns: 'pid:[1]', pid: 4242, start: '99' });
  plantLock(ws.lockDir('lb2'), owner, 1);
  const old = new Date(Date.now() - 7200 * 1000);
  for (const f of ['', 'owner', 'beat']) fs.utimesSync(path.join(ws.lockDir('lb2'), f), old, old);
  const r = await deploy(opts(ws, fake()));
  assert.equal(r.outcome, 'refused', r.message);
  assert.match(r.message, /lb2 is locked by another deploy/);
  assert.deepEqual(snapshot(ws), before);
});

test('item 3: a lock whose holder has shown no sign of life for longer than the limit is taken over, and the log says why', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const owner = ownerOf({ machine: 'f'.repeat(32), boot: 'elsewhere', pidns: 'pid:[1]', pid: 4242, start: '99' });
  plantLock(ws.lockDir('lb2'), owner, 100);
  const { events, onEvent } = collect();
  const r = await deploy(opts(ws, fake(), { onEvent, staleLockSeconds: 60 }));
  assert.equal(r.outcome, 'success', r.message);
  assert.ok(
    warnings(events).some((m) =>
      /^lb2: taking over the lock of a run that is gone \(haconf run=0badc0de .*\): its holder has shown no sign of life for 10\d s by the host's own boot-time clock \(stale after 60 s\)$/.test(m),
    ),
    warnings(events).join('\n'),
  );
  assert.equal(fs.existsSync(ws.lockDir('lb2')), false);
});

test('item 3: a run longer than the stale limit keeps its lock (heartbeat); a second run started meanwhile is refused', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const src = path.join(ws.dir, 'haproxy.cfg');
  // Stale after 2 s without a heartbeat (whole seconds on the host: margin for a loaded machine); the first
  // run lasts ≥ 6 s (2 s settle per host), beating every 0.2 s; the second starts 4 s in.
  const first = deploy(opts(ws, fake(), { settleSeconds: 2, staleLockSeconds: 2, lockRefreshSeconds: 0.2 }));
  await new Promise((r) => setTimeout(r, 4000));
  fs.appendFileSync(src, '# second run\n');
  // The second run comes from another manifest of the same cluster (another admin's copy): the same
  // workspace would be refused by its deploy journal before any host lock is asked for.
  const otherManifest = path.join(ws.dir, 'haconf-other-admin.yaml');
  fs.copyFileSync(ws.manifest, otherManifest);
  const second = await deploy(opts(ws, fake(), { staleLockSeconds: 2, manifestPath: otherManifest }));
  const res = await first;
  assert.equal(second.outcome, 'refused', second.message);
  assert.match(second.message, /is locked by another deploy/);
  assert.equal(res.outcome, 'success', res.message);
  // The first run's files, not the second's.
  for (const h of ws.plan.hosts) assert.doesNotMatch(read(ws.remote(h.name, 'haproxy.cfg')) ?? '', /# second run/);
});

test('item 3: a run whose lock on a host was taken meanwhile swaps nothing there and rolls the others back', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = fake();
  const intruder = ownerOf({ machine: 'f'.repeat(32), boot: 'elsewhere', pidns: 'pid:[1]', pid: 4242, start: '99' }, 'feedf00d');
  // Order is lb3, lb2, lb1: once lb3 is done, another run holds lb2's lock (as after a takeover).
  t.override = async (host, call) => {
    if (call.op === 'install' && host.name === 'lb2' && !fs.readFileSync(path.join(ws.lockDir('lb2'), 'owner'), 'utf8').includes('feedf00d')) {
      fs.rmSync(ws.lockDir('lb2'), { recursive: true });
      plantLock(ws.lockDir('lb2'), intruder, 0);
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rolled-back', r.message);
  assert.match(r.message, /lb2: installing .*haproxy\.cfg failed: this run no longer holds the deploy lock .* on this host \(another run took it over\); .* was not replaced/);
  assert.match(r.message, /rolled back lb3, lb2: every host is on its previous files/);
  assert.deepEqual(snapshot(ws), before, 'lb3 rolled back, lb2 never swapped');
  assert.equal(read(path.join(ws.lockDir('lb2'), 'owner'))?.trim(), intruder, "the other run's lock is left alone");
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});

test("item 9: backups stamped in the future (a deployer whose clock ran ahead) never push out this run's backup", async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  // keepBackups is 2 in the fixture; two future backups beside every target.
  for (const h of ws.plan.hosts)
    for (const stamp of ['20990101T000000Z-aaaaaaaa', '20990102T000000Z-bbbbbbbb']) fs.writeFileSync(`${ws.remote(h.name, 'haproxy.cfg')}.haconf-bak-${stamp}`, `# from the future ${stamp}\n`);
  const t = fake();
  let failing = true;
  t.override = async (host, call) => {
    // Order is lb3, lb2, lb1: lb2's haproxy reload fails once, so lb3 must be restored from its backup.
    if (failing && host.name === 'lb2' && call.op === 'exec' && call.args[0].startsWith('echo haproxy')) {
      failing = false;
      return { code: 1, stdout: Buffer.alloc(0), stderr: 'reload failed\n', connectionFailed: false };
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rolled-back', r.message);
  assert.deepEqual(snapshot(ws), before);
  // lb3 keeps 2 backups: this run's and the newest other one (by ctime on the host).
  const baks = fs.readdirSync(path.dirname(ws.remote('lb3', 'haproxy.cfg'))).filter((f) => f.startsWith('haproxy.cfg.haconf-bak-'));
  assert.equal(baks.length, 2, baks.join(', '));
  assert.ok(
    baks.some((b) => b.endsWith(r.runId)),
    `this run's backup is kept: ${baks.join(', ')}`,
  );
});

test('low: a target whose parent directory is a symbolic link is refused before anything is staged', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  // lb2's "host folder" becomes a link to a folder elsewhere: writes would land there.
  const real = path.join(ws.dir, 'elsewhere');
  fs.renameSync(path.join(ws.dir, 'hosts', 'lb2'), real);
  fs.symlinkSync(real, path.join(ws.dir, 'hosts', 'lb2'));
  const inside = fs.readFileSync(path.join(real, 'haproxy.cfg'), 'utf8');
  const t = fake();
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'refused', r.message);
  assert.match(
    r.message,
    new RegExp(`${path.join(ws.dir, 'hosts', 'lb2')} leads through a symbolic link to ${real}; haconf does not write through links: point the manifest at ${real}/haproxy\\.cfg`),
  );
  assert.deepEqual(t.ops('stage'), []);
  assert.equal(fs.readFileSync(path.join(real, 'haproxy.cfg'), 'utf8'), inside);
});

test('low: a directory put where a new target goes is refused, nothing is moved into it; the deploy rolls back', async (tt) => {
  // keepalived.conf does not exist on the hosts (the fixture default), so it is a new target.
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = fake();
  const r = await deploy(
    opts(ws, t, {
      confirm: async () => {
        // Between staging and the swap, a directory appears at lb2's target.
        fs.mkdirSync(ws.remote('lb2', 'keepalived.conf'));
        return true;
      },
    }),
  );
  assert.equal(r.outcome, 'rolled-back', r.message);
  assert.match(r.message, /lb2: installing .*keepalived\.conf failed: .*keepalived\.conf is no longer a regular file; refusing to replace it/);
  assert.deepEqual(fs.readdirSync(ws.remote('lb2', 'keepalived.conf')), [], 'nothing was moved into the directory');
  const after = snapshot(ws);
  for (const h of ['lb1', 'lb3']) {
    assert.equal(after[`${h}/haproxy.cfg`], before[`${h}/haproxy.cfg`]);
    assert.equal(after[`${h}/keepalived.conf`], undefined, `${h}: the new file was removed again`);
  }
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});

test('low: a restore never moves the old file into a directory put at the target (mv -T); the tool names the host', async (tt) => {
  const ws = makeWorkspace({ remoteKeepalived: 'same' });
  tt.after(ws.cleanup);
  const t = fake();
  const target = ws.remote('lb3', 'haproxy.cfg');
  t.override = async (host, call) => {
    // Order is lb3, lb2, lb1: lb3 is done; lb2's reload fails; before lb3 is restored, its target has
    // become a directory.
    if (host.name === 'lb2' && call.op === 'exec' && call.args[0].startsWith('echo haproxy') && !fs.statSync(target).isDirectory()) {
      fs.rmSync(target);
      fs.mkdirSync(target);
      return { code: 1, stdout: Buffer.alloc(0), stderr: 'reload failed\n', connectionFailed: false };
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rollback-failed', r.message);
  assert.match(r.message, /ROLLBACK INCOMPLETE, check these hosts by hand:\nlb3: restoring .*haproxy\.cfg failed: mv: cannot overwrite directory/);
  assert.deepEqual(fs.readdirSync(target), [], 'nothing was moved into the directory');
  assert.deepEqual(r.hosts.find((h) => h.host === 'lb3')?.state, 'rollback-failed');
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});

test("low: candidates left by a killed run are removed under the next run's lock, and only haconf candidate names", async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const dir = path.dirname(ws.remote('lb2', 'haproxy.cfg'));
  const dead = ['.haproxy.cfg.haconf-new-0123abcd', '.keepalived.conf.haconf-new-ffff0000'];
  const notOurs = ['.haproxy.cfg.haconf-new-notes.txt', '.other.cfg.haconf-new-0123abcd', 'haproxy.cfg.haconf-new-0123'];
  for (const f of [...dead, ...notOurs]) fs.writeFileSync(path.join(dir, f), 'x');
  const { events, onEvent } = collect();
  const r = await deploy(opts(ws, fake(), { onEvent }));
  assert.equal(r.outcome, 'success', r.message);
  assert.deepEqual(snapshot(ws), expected(ws));
  for (const f of dead) assert.equal(fs.existsSync(path.join(dir, f)), false, `${f} removed`);
  for (const f of notOurs) assert.equal(fs.existsSync(path.join(dir, f)), true, `${f} left alone`);
  assert.ok(
    warnings(events).some((m) => /^lb2: removed 2 candidates left by an earlier run that did not finish: /.test(m)),
    warnings(events).join('\n'),
  );
});

test('low: the sweep does nothing while another run holds the lock', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const dir = path.dirname(ws.remote('lb2', 'haproxy.cfg'));
  const theirs = path.join(dir, '.haproxy.cfg.haconf-new-0123abcd');
  fs.writeFileSync(theirs, 'x');
  plantLock(ws.lockDir('lb2'), ownerOf({ machine: 'f'.repeat(32), boot: 'elsewhere', pidns: 'pid:[1]', pid: 4242, start: '99' }), 0);
  const r = await deploy(opts(ws, fake()));
  assert.equal(r.outcome, 'refused', r.message);
  assert.equal(fs.existsSync(theirs), true, "the holder's candidate is left alone");
});
