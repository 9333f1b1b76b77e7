// Faults against real hosts (issue 13): lock takeover attempts (a run longer than the stale limit, a clock
// jump, the same host name from another PID namespace, a lock lost before a swap, a truly dead run), a
// deployer whose clock ran ahead (future-stamped backups) and a full disk at staging, backup and restore.
// Three network-namespace hosts from test/lab with sshd, haproxy and keepalived, reached with the system
// OpenSSH client. Needs root; fails, never skips, without the daemons.
// Run: node --import tsx --test test/deploy/faults.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPrerequisites, planLab, startLab, waitFor, type Lab, type LabPlan } from '../lab/lab';
import { haproxyCfg, keepalivedConf, labManifest, LAB_HAPROXY_TARGET, LAB_KEEPALIVED_TARGET, type VrrpParams } from '../lab/configs';
import { tearDown } from './teardown';
import { deploy, type DeployOptions } from '../../server/src/deploy/deploy';
import { SshTransport } from '../../server/src/deploy/ssh';
import type { DeployEvent, DeployResult } from '../../server/src/deploy/events';
import { labDebris, labSh, labTargetState } from './labState';

const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
const HAPROXY = LAB_HAPROXY_TARGET;
const KEEPALIVED = LAB_KEEPALIVED_TARGET;
const LOCK = '/run/haconf-deploy.lock';
const ROOT = path.resolve(__dirname, '../..');
const report: string[] = [];

let lab: Lab;
let plan: LabPlan;
let ws: string;
let manifest: string;
/** TMPDIR of the child processes (their ssh control sockets): short, as socket paths must be. */
let childTmp: string;

const sh = (host: string, cmd: string): Promise<string> => labSh(lab, host, cmd);

/** sha256 (16 hex) of both targets on every host. */
const remoteState = (): Promise<Record<string, string>> => labTargetState(lab, plan);

const localSha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);

/** What every host runs when the workspace's files landed everywhere. */
function newState(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of plan.hosts) out[h.name] = `${localSha(path.join(ws, 'haproxy.cfg'))} ${localSha(path.join(ws, h.name, 'keepalived.conf'))}`;
  return out;
}

/** Candidates, locks and empty backups anywhere a deploy writes. */
const debris = (): Promise<string[]> =>
  labDebris(
    lab,
    plan,
    `ls -a /etc/haproxy /etc/keepalived | grep -e haconf-new; find /etc/haproxy /etc/keepalived -name '*.haconf-bak-*' -size 0 -printf 'empty backup %p\\n'; test -e ${LOCK} && echo LOCK; true`,
  );

function run(extra: Partial<DeployOptions> = {}): { promise: Promise<DeployResult>; events: DeployEvent[] } {
  const events: DeployEvent[] = [];
  const transport = new SshTransport({ baseDir: ws });
  const onEvent = extra.onEvent;
  const promise = deploy({
    manifestPath: manifest,
    transport,
    ...extra,
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
  }).finally(() => transport.close());
  return { promise, events };
}

const warnings = (events: DeployEvent[]): string[] => events.filter((e) => e.type === 'log' && e.level === 'warn').map((e) => (e as { message: string }).message);

/**
 * Another admin's manifest for the same cluster: a second run from the same manifest would be refused by
 * its deploy journal before it asks for any host lock, and the host locks are what these tests prove.
 */
function otherAdmin(): string {
  const other = path.join(ws, 'haconf-other-admin.yaml');
  fs.copyFileSync(manifest, other);
  return other;
}

/** The deploy journal a run of the lab manifest leaves when it cannot end cleanly. */
const killedJournal = (): string => path.join(ws, '.haconf', 'haconf.yaml.journal.json');

/** A new haproxy.cfg for the next deploy: a comment line that changes its hash (and nothing else). */
function bump(tag: string): void {
  fs.appendFileSync(path.join(ws, 'haproxy.cfg'), `# ${tag}\n`);
}

/** A process of its own: the CLI or the child deploy script, under `prefix` (e.g. unshare …). */
function spawnNode(prefix: string[], args: string[]): { done: Promise<{ code: number | null; out: string }>; pid: () => number; out: () => string } {
  const env = { ...process.env, TMPDIR: childTmp };
  const argv = [...prefix, process.execPath, '--import', 'tsx', ...args];
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { done, pid: () => child.pid!, out: () => out };
}

/** Makes lb2's haproxy reload fail (something else holds :8404, which the new file binds). */
async function withReloadFailureOnLb2<T>(fn: () => Promise<T>): Promise<T> {
  const src = path.join(ws, 'haproxy.cfg');
  const good = fs.readFileSync(src, 'utf8');
  await sh('lb2', `setsid ${process.execPath} -e "require('net').createServer().listen(8404)" >/dev/null 2>&1 < /dev/null &`);
  await waitFor('the blocker on lb2:8404', 5000, async () => ((await lab.exec('lb2', "ss -Hltn 'sport = :8404' | grep -q LISTEN")).code === 0 ? true : undefined));
  fs.writeFileSync(src, good + '\nlisten stats\n    bind :8404\n    stats enable\n    stats uri /\n');
  try {
    return await fn();
  } finally {
    fs.writeFileSync(src, good);
    await lab.exec('lb2', "kill $(ss -Hltnp 'sport = :8404' | grep -o 'pid=[0-9]*' | cut -d= -f2) 2>/dev/null; true");
  }
}

/** Puts a 1 MiB tmpfs over the host's /etc/haproxy (in its own mount namespace), with the same files. */
async function smallDisk(host: string): Promise<void> {
  await sh(
    host,
    'set -e; grep -q " /etc/haproxy tmpfs " /proc/mounts && exit 0; d=$(mktemp -d /run/hc-save.XXXXXX); cp -a /etc/haproxy/. "$d"/; mount -n -t tmpfs -o size=1m,mode=755 tmpfs /etc/haproxy; cp -a "$d"/. /etc/haproxy/; rm -rf "$d"',
  );
}
/** Fills the host's small /etc/haproxy to the last block; refuses anywhere but on the tmpfs of smallDisk. */
const fill = (host: string): Promise<string> =>
  sh(
    host,
    'grep -q " /etc/haproxy tmpfs " /proc/mounts || { echo "no small disk on /etc/haproxy" >&2; exit 1; }; dd if=/dev/zero of=/etc/haproxy/.fill bs=4096 2>/dev/null; df -k /etc/haproxy | tail -1',
  );
const unfill = (host: string): Promise<string> => sh(host, 'rm -f /etc/haproxy/.fill');

describe('deploy faults against the network-namespace lab', { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    plan = planLab({ hosts: 3 });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-faults-lab-'));
    childTmp = fs.mkdtempSync('/tmp/hcf-');
    fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
    for (const h of plan.hosts) {
      fs.mkdirSync(path.join(ws, h.name));
      fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
    }
    lab = await startLab({ hosts: 3, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
    manifest = path.join(ws, 'haconf.yaml');
    fs.writeFileSync(manifest, labManifest({ cluster: 'lab', plan, user: 'root', keyPath: lab.keyPath, knownHostsPath: lab.knownHostsPath, connectTimeout: 3, settleSeconds: 2 }));
    await lab.waitForVip('lb1', 15000);
  });

  after(() => tearDown('deploy faults lab report', report, [lab], [ws, childTmp]));

  it('a run longer than the stale limit keeps its lock by its heartbeat: a second run is refused, the first lands whole', async () => {
    bump('long run');
    // Stale after 5 s without a heartbeat; the run beats every second and lasts ≥ 12 s (4 s settle per host).
    const first = run({ settleSeconds: 4, staleLockSeconds: 5, lockRefreshSeconds: 1 });
    await waitFor('the first run to roll out', 20000, () => (first.events.some((e) => e.type === 'phase' && e.phase === 'rollout') ? true : undefined), 20);
    await new Promise((r) => setTimeout(r, 7000));
    const firstFiles = newState();
    bump('second run');
    const second = await run({ staleLockSeconds: 5, manifestPath: otherAdmin() }).promise;
    const res = await first.promise;
    assert.equal(second.outcome, 'refused', second.message);
    assert.equal(second.exitCode, 1);
    assert.match(second.message, /lb\d is locked by another deploy \(haconf run=[0-9a-f]+ token=/);
    assert.equal(res.outcome, 'success', res.message);
    assert.ok(res.timings.totalMs > 5000 * 2, `the first run lasted ${res.timings.totalMs} ms, over twice the stale limit`);
    assert.deepEqual(await remoteState(), firstFiles, "every host on the first run's files");
    assert.deepEqual(await debris(), []);
    report.push(`run of ${(res.timings.totalMs / 1000).toFixed(1)} s with a 5 s stale limit: second run refused, first landed on 3 hosts`);
    // The workspace goes back to what the hosts run (the next tests start from there).
    const src = path.join(ws, 'haproxy.cfg');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('# second run\n', ''));
  });

  it('a clock jump (the locks look 2 h old by their mtime) does not make a live lock stale', async () => {
    bump('clock jump');
    const first = run({ settleSeconds: 2 });
    await waitFor('the first run to roll out', 20000, () => (first.events.some((e) => e.type === 'phase' && e.phase === 'rollout') ? true : undefined), 20);
    // As if the clock had jumped 2 h ahead since the locks were taken (the lab hosts share one kernel clock).
    for (const h of plan.hosts) await sh(h.name, `touch -h -d '2 hours ago' ${LOCK} ${LOCK}/*`);
    const firstFiles = newState();
    bump('second run');
    const second = await run({ manifestPath: otherAdmin() }).promise;
    const res = await first.promise;
    assert.equal(second.outcome, 'refused', second.message);
    assert.match(second.message, /is locked by another deploy/);
    assert.equal(res.outcome, 'success', res.message);
    assert.deepEqual(await remoteState(), firstFiles);
    assert.deepEqual(await debris(), []);
    const src = path.join(ws, 'haproxy.cfg');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('# second run\n', ''));
  });

  it('the same host name from another PID namespace (unshare -p) cannot take a live lock', async () => {
    bump('pidns');
    const first = run({ settleSeconds: 2 });
    await waitFor('the first run to roll out', 20000, () => (first.events.some((e) => e.type === 'phase' && e.phase === 'rollout') ? true : undefined), 20);
    const firstFiles = newState();
    bump('second run');
    // The real CLI, same machine and host name, but its own PID namespace: the first run's pid is not
    // visible there.
    const cli = spawnNode(['unshare', '--pid', '--fork', '--mount-proc'], ['server/src/cli/main.ts', 'deploy', '--manifest', otherAdmin(), '--yes']);
    const second = await cli.done;
    const res = await first.promise;
    assert.equal(second.code, 1, second.out);
    assert.match(second.out, /is locked by another deploy \(haconf run=[0-9a-f]+ token=[0-9a-f]{32} user=\S+ host=\S+ machine=\S+ boot=\S+ pidns=pid:\[\d+\] pid=\d+/);
    assert.equal(res.outcome, 'success', res.message);
    assert.deepEqual(await remoteState(), firstFiles);
    assert.deepEqual(await debris(), []);
    const src = path.join(ws, 'haproxy.cfg');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('# second run\n', ''));
  });

  it('a run that lost its lock on a host (taken meanwhile) swaps nothing there and rolls back what it changed', async () => {
    const before = await remoteState();
    bump('lost lock');
    const intruder = `haconf run=feedf00d token=${'ab'.repeat(16)} user=other host=elsewhere machine=${'f'.repeat(32)} boot=x pidns=pid:[1] pid=7 start=1 started=1970-01-01T00:00:00.000Z`;
    let took: Promise<string> | undefined;
    // Order is lb3, lb2, lb1: while lb3 settles, another run holds lb2's lock.
    const { promise, events } = run({
      onEvent: (e) => {
        if (!took && e.type === 'host' && e.host === 'lb3' && e.step === 'settle') {
          took = sh(
            'lb2',
            `rm -rf ${LOCK} && mkdir ${LOCK} && printf '%s\\n' '${intruder}' > ${LOCK}/owner && echo "$(cat /proc/sys/kernel/random/boot_id) $(cut -d. -f1 /proc/uptime)" > ${LOCK}/beat`,
          );
        }
      },
    });
    const res = await promise;
    await took;
    try {
      assert.equal(res.outcome, 'rolled-back', res.message);
      assert.match(res.message, /lb2: installing \/etc\/haproxy\/haproxy\.cfg failed: this run no longer holds the deploy lock \/run\/haconf-deploy\.lock on this host \(another run took it over\)/);
      assert.ok(!events.some((e) => e.type === 'host' && e.host === 'lb2' && e.step === 'reload'), 'lb2 was never reloaded');
      assert.deepEqual(await remoteState(), before, 'lb3 rolled back, lb2 never swapped');
      assert.equal((await sh('lb2', `cat ${LOCK}/owner`)).trim(), intruder, "the other run's lock is left alone");
    } finally {
      await sh('lb2', `rm -rf ${LOCK}`);
    }
    assert.deepEqual(await debris(), []);
    const src = path.join(ws, 'haproxy.cfg');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('# lost lock\n', ''));
  });

  it('a run killed with SIGKILL: its locks are taken over at once (its process is gone) and its candidates removed', async () => {
    bump('killed run');
    const child = spawnNode([], ['test/deploy/child-deploy.ts', JSON.stringify({ manifest, hang: true })]);
    await waitFor('the child run to wait for its confirmation', 30000, () => (child.out().includes('"confirm"') ? true : undefined), 50);
    process.kill(child.pid(), 'SIGKILL');
    await child.done;
    const left = await debris();
    assert.equal(left.filter((l) => l.endsWith('LOCK')).length, 3, `the killed run left its locks: ${left.join('; ')}`);
    assert.ok(left.filter((l) => l.includes('haconf-new')).length >= 3, `and its candidates: ${left.join('; ')}`);
    // The killed run's own journal refuses a deploy of its manifest (signals.test.ts covers --recover);
    // another admin's run meets only the host locks and candidates it left.
    const journal = killedJournal();
    assert.ok(fs.existsSync(journal), 'the killed run left its journal');
    const { promise, events } = run({ manifestPath: otherAdmin() });
    const res = await promise;
    fs.rmSync(journal);
    assert.equal(res.outcome, 'success', res.message);
    const w = warnings(events);
    for (const h of plan.hosts) {
      assert.ok(
        w.some((m) =>
          new RegExp(
            `^${h.name}: taking over the lock of a run that is gone \\(haconf run=\\S+ .* pid=${child.pid()} .*\\): its process ${child.pid()} on this machine \\(same boot, same PID namespace\\) has ended$`,
          ).test(m),
        ),
        w.join('\n'),
      );
      assert.ok(
        w.some((m) => new RegExp(`^${h.name}: removed \\d candidates? left by an earlier run that did not finish: `).test(m)),
        w.join('\n'),
      );
    }
    assert.deepEqual(await remoteState(), newState());
    assert.deepEqual(await debris(), []);
  });

  it('backups stamped in the future (a deployer clock ahead) do not push out the backup a rollback needs', async () => {
    const before = await remoteState();
    // keepBackups is 3 in the lab manifest: three backups from 2099 beside lb3's target (first in order).
    await sh('lb3', `for s in 20990101T000000Z-aaaaaaaa 20990102T000000Z-bbbbbbbb 20990103T000000Z-cccccccc; do echo "# from the future" > ${HAPROXY}.haconf-bak-$s; done`);
    const res = await withReloadFailureOnLb2(() => run().promise);
    assert.equal(res.outcome, 'rolled-back', res.message);
    assert.match(res.message, /rolled back lb3, lb2: every host is on its previous files/);
    assert.deepEqual(await remoteState(), before);
    assert.deepEqual(await debris(), []);
    assert.match(await sh('lb3', `ls ${HAPROXY}.haconf-bak-*`), new RegExp(`-${res.runId}\\n`), "this run's backup is kept");
  });

  it('a target whose directory is reached through a symbolic link on the host is refused, nothing changes', async () => {
    const before = await remoteState();
    bump('linked parent');
    // On lb2 only, the manifest names /run/hc-link/keepalived.conf, and /run/hc-link is a link to /etc/keepalived.
    await sh('lb2', 'ln -sfn /etc/keepalived /run/hc-link');
    const linked = path.join(ws, 'haconf-linked.yaml');
    const text = fs.readFileSync(manifest, 'utf8');
    const lb2 = text.indexOf('  - name: lb2');
    const at = text.indexOf(KEEPALIVED, lb2);
    fs.writeFileSync(linked, text.slice(0, at) + '/run/hc-link/keepalived.conf' + text.slice(at + KEEPALIVED.length));
    try {
      const res = await run({ manifestPath: linked }).promise;
      assert.equal(res.outcome, 'refused', res.message);
      assert.equal(res.exitCode, 1);
      assert.match(
        res.message,
        /^lb2: \/run\/hc-link leads through a symbolic link to \/etc\/keepalived; haconf does not write through links: point the manifest at \/etc\/keepalived\/keepalived\.conf\nnothing was changed$/,
      );
      assert.deepEqual(await remoteState(), before);
      assert.deepEqual(await debris(), []);
    } finally {
      await sh('lb2', 'rm -f /run/hc-link');
    }
  });

  it('a restore never moves the old file into a directory put at the target (mv -T): the tool names the host', async () => {
    const before = await remoteState();
    const saved = await sh('lb3', `cat ${HAPROXY}`);
    let swapped: Promise<string> | undefined;
    try {
      const res = await withReloadFailureOnLb2(
        () =>
          run({
            onEvent: (e) => {
              // lb3 is done and settling: its haproxy.cfg becomes a directory before the rollback comes back.
              if (!swapped && e.type === 'host' && e.host === 'lb3' && e.step === 'settle') swapped = sh('lb3', `rm -f ${HAPROXY} && mkdir ${HAPROXY}`);
            },
          }).promise,
      );
      await swapped;
      assert.equal(res.outcome, 'rollback-failed', res.message);
      assert.equal(res.exitCode, 1);
      assert.match(res.message, /ROLLBACK INCOMPLETE, check these hosts by hand:\nlb3: restoring \/etc\/haproxy\/haproxy\.cfg failed: mv: cannot overwrite directory/);
      assert.equal(res.hosts.find((h) => h.host === 'lb3')?.state, 'rollback-failed');
      assert.equal((await sh('lb3', `ls -A ${HAPROXY} | wc -l`)).trim(), '0', 'nothing was moved into the directory');
      assert.ok(fs.existsSync(killedJournal()), 'an incomplete rollback keeps the deploy journal for --recover');
    } finally {
      // The host is mended by hand below, so its journal goes too (the next tests deploy again).
      fs.rmSync(killedJournal(), { force: true });
      // Put lb3 back by hand, as the message asks.
      await lab.exec('lb3', `[ ! -d ${HAPROXY} ] || rm -rf ${HAPROXY}`); // the directory this test made
      fs.writeFileSync(path.join(ws, 'lb3-haproxy.cfg'), saved);
      await sh('lb3', `cat > ${HAPROXY} < '${path.join(ws, 'lb3-haproxy.cfg')}'`);
      await sh('lb3', `haproxy -D -f ${HAPROXY} -p /run/haproxy.pid -x /run/haproxy/admin.sock -sf $(cat /run/haproxy.pid)`);
    }
    assert.deepEqual(await remoteState(), before);
    assert.deepEqual(await debris(), []);
  });

  it('a full disk at staging: nothing replaced anywhere, no candidate left, the message says so', async () => {
    const before = await remoteState();
    bump('full disk at staging');
    await smallDisk('lb2');
    const df = await fill('lb2');
    try {
      const res = await run().promise;
      assert.equal(res.outcome, 'rejected', res.message);
      assert.match(res.message, /lb2: uploading haproxy\.cfg to \/etc\/haproxy\/haproxy\.cfg failed: .*No space left on device/s);
      assert.match(res.message, /is the disk full\?/);
      assert.match(res.message, /nothing was replaced on any host; candidates removed/);
      assert.deepEqual(await remoteState(), before);
      assert.deepEqual(await debris(), []);
      report.push(`full disk at staging (lb2 ${df.trim().split(/\s+/).slice(1, 4).join('/')} KiB): ${res.outcome}`);
    } finally {
      await unfill('lb2');
    }
  });

  it('a full disk at the backup: no empty backup left, that host untouched, the hosts before it rolled back', async () => {
    const before = await remoteState();
    bump('full disk at the backup');
    await smallDisk('lb2');
    // Staging succeeds everywhere; then, before the rollout, lb2's disk fills up.
    const res = await run({
      confirm: async () => {
        await fill('lb2');
        return true;
      },
    }).promise;
    try {
      assert.equal(res.outcome, 'rolled-back', res.message);
      assert.deepEqual(await debris(), [], 'no candidate, no lock, no empty backup');
      assert.match(
        res.message,
        /lb2: installing \/etc\/haproxy\/haproxy\.cfg failed: .*backup of \/etc\/haproxy\/haproxy\.cfg to \S+ failed \(is the disk full\?\); the partial backup was removed and \/etc\/haproxy\/haproxy\.cfg was not replaced/s,
      );
      assert.match(res.message, /rolled back lb3, lb2: every host is on its previous files/);
      assert.deepEqual(await remoteState(), before);
    } finally {
      await unfill('lb2');
    }
  });

  it('a full disk at the restore: the backup itself is renamed back, every host on its previous files', async () => {
    const before = await remoteState();
    await smallDisk('lb3');
    let filled: Promise<string> | undefined;
    const res = await withReloadFailureOnLb2(
      () =>
        run({
          onEvent: (e) => {
            // lb3 is done and settling: its disk fills up before the rollback comes back to it.
            if (!filled && e.type === 'host' && e.host === 'lb3' && e.step === 'settle') filled = fill('lb3');
          },
        }).promise,
    );
    try {
      await filled;
      assert.ok(filled, 'the disk was filled');
      assert.equal(res.outcome, 'rolled-back', res.message);
      assert.match(res.message, /rolled back lb3, lb2: every host is on its previous files/);
      assert.deepEqual(await remoteState(), before);
      assert.deepEqual(await debris(), []);
      const r = await lab.curlVip();
      assert.equal(r.code, 0, r.stderr);
    } finally {
      await unfill('lb3');
    }
  });
});
