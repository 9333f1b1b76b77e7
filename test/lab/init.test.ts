// `haconf init` end to end on real daemons: scaffold a keepalived + HAProxy NodePort cluster for the lab's
// three hosts with the CLI, ask haconf what happens when HAProxy dies, run the very files on the lab
// (keepalived 2.2.7, haproxy 2.6, unicast VRRP, the generated curl check as root), and watch the VIP move
// as predicted: first off the holder, then, with a second HAProxy dead, to the last healthy node. Requests
// through the VIP are answered before and after each move. Needs root and the real daemons; fails, never
// skips, without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPrerequisites, planLab, startLab, waitFor, WORKER_PORT, type Lab } from './lab';
import { predictFailover } from './predict';
import { runCli } from '../helpers/cli';
import { effectivePriority, simNodes, type SimNode } from '../../server/src/cluster/failover';
import { vrrpGroups } from '../../server/src/cluster/groups';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { collectFiles } from '../../server/src/engine/collect';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';

/** check interval 2 s × fall 2, then up to three adverts (1 s) before a backup acts; doubled for slack. */
const REACTION_MS = 2 * (2 * 2 + 3 * 1) * 1000;

/** Who should hold the VIP when the checks of `failed` fail, by haconf's own priority arithmetic. */
function bestHealthy(nodes: SimNode[], failed: Set<string>): { name: string; prio: number } {
  const prio = nodes.map((n) => ({ name: n.name, prio: Number(effectivePriority(n, failed.has(n.name) ? new Set(n.scripts.map((s) => s.name)) : new Set())) }));
  return prio.reduce((a, b) => (b.prio > a.prio ? b : a));
}

let lab: Lab | undefined;

test('lab: a cluster made by haconf init comes up on the lab and fails over as haconf predicts', { timeout: 90000 }, async (t) => {
  checkPrerequisites();
  const plan = planLab({ hosts: 3 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-lab-init-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 1. The CLI, flags only, as a script would run it.
  const init = await runCli([
    'init',
    dir,
    '--kind',
    'nodeport',
    '--name',
    'lab',
    '--vip',
    `${plan.vip}/${plan.hosts[0].prefixLen}`,
    '--nodes',
    plan.hosts.map((h) => `${h.name}=${h.ip}`).join(','),
    '--nodeports',
    `80:${WORKER_PORT}`,
    '--workers',
    plan.worker.ip,
    '--interface',
    plan.hosts[0].iface,
  ]);
  assert.equal(init.code, 0, init.stderr);
  const check = await runCli(['check', dir]);
  assert.equal(check.code, 0, check.stdout);
  assert.match(check.stdout, /0 errors, 0 warnings/);

  // 2. haconf's prediction for these files.
  const pred = predictFailover(dir);
  assert.deepEqual(pred.blocked, []);
  const holder = pred.initialHolder;
  const second = pred.holderAfterCheckFails;
  assert.ok(second && second !== holder, `haconf predicts no move: ${JSON.stringify(pred.holderCheckFails)}`);
  const c = collectFiles([dir]);
  const ws = checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions({ haproxyVersion: '2.6' }), new NodeSourceHost());
  const nodes = simNodes(vrrpGroups(ws.clusters[0])[0]);
  const third = bestHealthy(nodes, new Set([holder, second]));
  assert.ok(![holder, second].includes(third.name));
  t.diagnostic(`haconf: ${holder} holds the VIP (${pred.holderPriority.healthy}); HAProxy dies there -> ${second}; dies on ${second} too -> ${third.name} (${third.prio})`);

  // 3. The very files on the lab's hosts.
  const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');
  lab = await startLab({ hosts: 3, plan, keepalived: (h) => read(`${h.name}/keepalived.conf`), haproxy: () => read('haproxy.cfg') });
  const running = lab;
  t.after(() => running.stop());
  await running.waitForVip(holder, 20000);
  const health = await running.exec(holder, `curl -fsS -o /dev/null -w '%{http_code}' http://127.0.0.1:8404/healthz`);
  assert.equal(health.stdout, '200', `HAProxy's health endpoint on ${holder}: ${health.stderr}`);
  const before = await running.curlVip();
  assert.equal(before.stdout, 'hello from w1\n', `through the VIP before any failure: ${before.stderr}`);

  // 4. HAProxy dies on the holder: keepalived's effective priority is the simulated one, and the VIP moves.
  const instance = /vrrp_instance (\S+)/.exec(read(`${holder}/keepalived.conf`))![1];
  const t0 = performance.now();
  await running.killHaproxy(holder);
  const prioLine = new RegExp(`\\(${instance}\\) Changing effective priority from ${pred.holderPriority.healthy} to ${pred.holderPriority.failing}\\b`);
  await waitFor(`keepalived on ${holder} to log ${prioLine}`, REACTION_MS, () => (prioLine.test(running.log(holder, 'keepalived')) ? true : undefined)).catch((e: Error) => {
    throw new Error(`${e.message}\n--- ${holder} keepalived.log ---\n${running.log(holder, 'keepalived').split('\n').slice(-15).join('\n')}`);
  });
  await running.waitForVip(second, REACTION_MS);
  const firstMoveS = (performance.now() - t0) / 1000;
  const after = await running.curlVip();
  assert.equal(after.stdout, 'hello from w1\n', `through the VIP on ${second}: ${after.stderr}`);

  // 5. HAProxy dies on the new holder too: the last healthy node outranks both failed ones.
  const t1 = performance.now();
  await running.killHaproxy(second);
  await running.waitForVip(third.name, REACTION_MS);
  const secondMoveS = (performance.now() - t1) / 1000;
  const last = await running.curlVip();
  assert.equal(last.stdout, 'hello from w1\n', `through the VIP on ${third.name}: ${last.stderr}`);
  t.diagnostic(`VIP ${holder} -> ${second} in ${firstMoveS.toFixed(1)} s, ${second} -> ${third.name} in ${secondMoveS.toFixed(1)} s (bound ${REACTION_MS / 1000} s each)`);

  await running.stop();
  assert.deepEqual(running.leftovers(), [], 'the lab left things behind after stop()');
});

test('lab: nothing of the init lab is left on the machine', async () => {
  if (!lab) return assert.fail('the lab never started (see the test above)');
  await lab.stop();
  assert.deepEqual(lab.leftovers(), []);
});
