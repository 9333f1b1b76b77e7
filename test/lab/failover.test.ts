// Proof that haconf's failover simulation matches real keepalived 2.2.7 + haproxy 2.6: for two
// three-node configurations, ask haconf what happens when haproxy dies on the VIP holder, then run the
// exact same files on three namespaced hosts, kill haproxy there, and watch where the VIP goes.
// Needs root and the real daemons; fails (never skips) without them.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPrerequisites, planLab, startLab, waitFor, type Lab, type LabPlan } from './lab';
import { haproxyCfg, keepalivedConf, VRRP_DEFAULTS, type VrrpParams } from './configs';
import { predictFailover, type FailoverPrediction } from './predict';

interface Case {
  title: string;
  params: VrrpParams;
  /** What the configuration is meant to exercise; haconf's own prediction must agree, else the case tests nothing. */
  intent: 'moves' | 'blocked';
}

const CASES: Case[] = [
  { title: 'priorities 100/99/98, check weight +10', params: { priorities: { 1: 100, 2: 99, 3: 98 }, weight: 10 }, intent: 'moves' },
  { title: 'priorities 100/90/80, check weight -5', params: { priorities: { 1: 100, 2: 90, 3: 80 }, weight: -5 }, intent: 'blocked' },
];

const HOSTS = 3;
const timings: string[] = [];
const labs: Lab[] = [];

/** Writes the workspace haconf checks and the lab runs: <dir>/lbN/keepalived.conf and <dir>/haproxy.cfg. */
function writeWorkspace(plan: LabPlan, params: VrrpParams): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-lab-ws-'));
  for (const h of plan.hosts) {
    fs.mkdirSync(path.join(dir, h.name));
    fs.writeFileSync(path.join(dir, h.name, 'keepalived.conf'), keepalivedConf(h, plan, params));
  }
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), haproxyCfg(plan));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true })); // also when interrupted
  return dir;
}

/** Longest time keepalived may need to react to a dead haproxy: the check must fail `fall` times, then
 *  the backups need up to three missed/lower adverts before they act. */
function reactionBoundS(p: VrrpParams): number {
  const o = { ...VRRP_DEFAULTS, ...p };
  return o.fall * o.interval + 3 * o.advertInt;
}

async function assertCleanAfterStop(lab: Lab): Promise<void> {
  await lab.stop();
  assert.deepEqual(lab.leftovers(), [], 'the lab left things behind after stop()');
}

async function runCase(t: TestContext, c: Case): Promise<void> {
  checkPrerequisites();
  const plan = planLab({ hosts: HOSTS });
  const dir = writeWorkspace(plan, c.params);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 1. The prediction, from haconf's own engine.
  const pred: FailoverPrediction = predictFailover(dir);
  const moves = pred.holderAfterCheckFails !== undefined && pred.holderAfterCheckFails !== pred.initialHolder;
  t.diagnostic(
    `haconf: initial holder ${pred.initialHolder} (${pred.holderPriority.healthy}); haproxy dies there -> ${pred.initialHolder} at ${pred.holderPriority.failing}, VIP on ${pred.holderAfterCheckFails ?? 'nobody'}; failover-blocked findings: ${pred.blocked.length}`,
  );
  assert.equal(moves ? 'moves' : 'blocked', c.intent, `haconf's simulation does not predict what this case is built for (${c.title})`);
  // The rule and the table must tell the same story.
  assert.equal(pred.blocked.length > 0, !moves, `cluster/failover-blocked reported ${pred.blocked.length}× but the table says the VIP ${moves ? 'moves' : 'stays'}`);

  // 2. The same files on real daemons.
  const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');
  const lab = await startLab({ hosts: HOSTS, plan, keepalived: (h) => read(`${h.name}/keepalived.conf`), haproxy: () => read('haproxy.cfg') });
  labs.push(lab);
  t.after(() => lab.stop());

  const holder = pred.initialHolder;
  await lab.waitForVip(holder, 20000);
  const vipUpS = (performance.now() - (lab.timings.keepalivedStartedAt ?? 0)) / 1000;

  // The hosts are what a deploy will see: ssh lands on the right host, with that host's own files.
  const ssh = await lab.ssh(holder, 'hostname; cat /etc/keepalived/keepalived.conf');
  assert.equal(ssh.code, 0, `ssh to ${holder} failed: ${ssh.stderr}`);
  assert.equal(ssh.stdout, `${holder}\n${read(`${holder}/keepalived.conf`)}`);
  const before = await lab.curlVip();
  assert.equal(before.code, 0, `no answer through the VIP before the kill: ${before.stderr}`);
  assert.equal(before.stdout, 'hello from w1\n');

  // 3. Kill haproxy on the holder; every other host's haproxy keeps running (own PID namespaces).
  const tKill = performance.now();
  await lab.killHaproxy(holder);
  for (const h of plan.hosts) {
    const r = await lab.exec(h.name, 'killall -0 haproxy');
    assert.equal(r.code === 0, h.name !== holder, `killall -0 haproxy on ${h.name} exited ${r.code}`);
  }

  // keepalived's own effective priorities must be the simulated ones.
  const prioLine = (from: number | string, to: number | string): RegExp => new RegExp(`\\(VI_K8S\\) Changing effective priority from ${from} to ${to}\\b`);
  const bound = reactionBoundS(c.params);
  await waitFor(`keepalived on ${holder} to log priority ${pred.holderPriority.healthy} -> ${pred.holderPriority.failing}`, bound * 2000, () =>
    prioLine(pred.holderPriority.healthy, pred.holderPriority.failing).test(lab.log(holder, 'keepalived')) ? true : undefined,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n--- ${holder} keepalived.log ---\n${lab.log(holder, 'keepalived').split('\n').slice(-12).join('\n')}`);
  });

  if (moves) {
    const target = pred.holderAfterCheckFails!;
    await lab.waitForVip(target, bound * 2000);
    const movedS = (performance.now() - tKill) / 1000;
    const after = await lab.curlVip();
    assert.equal(after.code, 0, `no answer through the VIP after it moved to ${target}: ${after.stderr}`);
    assert.equal(after.stdout, 'hello from w1\n');
    timings.push(
      `${c.title}: VIP on ${holder} ${vipUpS.toFixed(1)} s after keepalived start; after killing haproxy it moved to ${target} in ${movedS.toFixed(1)} s (bound ${bound * 2} s); setup ${(lab.timings.setupMs / 1000).toFixed(1)} s`,
    );
  } else {
    // Watch long enough for any takeover keepalived could make: three times its reaction time.
    const windowS = 3 * bound;
    const seen = new Set<string>();
    while (performance.now() - tKill < windowS * 1000) {
      const hs = await lab.vipHolders();
      seen.add(hs.join('+') || 'nobody');
      assert.deepEqual(hs, [holder], `the VIP left ${holder} ${((performance.now() - tKill) / 1000).toFixed(1)} s after the kill; haconf predicted it stays`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // And that is the harm the rule warns about: the VIP sits where nothing listens.
    const after = await lab.curlVip('/', 80, 1);
    assert.notEqual(after.code, 0, 'the VIP still answered although haproxy is dead on its holder');
    timings.push(
      `${c.title}: VIP on ${holder} ${vipUpS.toFixed(1)} s after keepalived start; after killing haproxy it stayed on ${holder} for the whole ${windowS} s window (seen: ${[...seen].join(', ')}); setup ${(lab.timings.setupMs / 1000).toFixed(1)} s`,
    );
  }
  t.diagnostic(timings[timings.length - 1]);
  await assertCleanAfterStop(lab);
}

for (const c of CASES) {
  test(`lab: ${c.title} — the VIP does what haconf predicts when haproxy dies on the holder`, { timeout: 45000 }, (t) => runCase(t, c));
}

// Runs after the cases, also when they failed (their t.after hooks have stopped the labs by then).
test('lab: nothing of any lab is left on the machine', async () => {
  for (const line of timings) console.log(`[lab timings] ${line}`);
  for (const lab of labs) {
    await lab.stop();
    assert.deepEqual(lab.leftovers(), [], `lab ${lab.plan.prefix} left things behind`);
  }
});
