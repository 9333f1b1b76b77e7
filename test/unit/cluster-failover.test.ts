import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePriority, simulateFailover, type SimNode } from '../../server/src/cluster/failover';
import { parseIp } from '../../server/src/core/net';

function node(name: string, ip: string, priority: number, scripts: SimNode['scripts'] = [], extra: Partial<SimNode> = {}): SimNode {
  return { name, ip: parseIp(ip), priority, nopreempt: false, syncGroup: false, scripts, ...extra };
}
const chk = (weight: number, reverse = false) => [{ name: 'chk', weight, reverse }];

test('seed article: 100/99/98 with +10 on success fails over to master2', () => {
  const t = simulateFailover([node('m1', '10.0.0.11', 100, chk(10)), node('m2', '10.0.0.12', 99, chk(10)), node('m3', '10.0.0.13', 98, chk(10))]);
  assert.equal(t.initialHolder, 'm1');
  assert.deepEqual(t.scenarios[0].states, { m1: 110, m2: 109, m3: 108 });
  const s = t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm1')!;
  assert.deepEqual(s.states, { m1: 100, m2: 109, m3: 108 });
  assert.equal(s.holder, 'm2');
  const down = t.scenarios.find((x) => x.kind === 'node-down' && x.node === 'm1')!;
  assert.equal(down.holder, 'm2');
  const backupFails = t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm2')!;
  assert.equal(backupFails.holder, 'm1');
});

test('a weight too small never moves the VIP: 100/90 with -5', () => {
  const t = simulateFailover([node('m1', '10.0.0.11', 100, chk(-5)), node('m2', '10.0.0.12', 90, chk(-5))]);
  const s = t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm1')!;
  assert.deepEqual(s.states, { m1: 95, m2: 90 });
  assert.equal(s.holder, 'm1');
});

test('clamping hides the gap: 250 and 245 with +10 both become 254', () => {
  const n1 = node('a', '10.0.0.1', 250, chk(10));
  assert.equal(effectivePriority(n1, new Set()), 254);
  assert.equal(effectivePriority(node('b', '10.0.0.2', 245, chk(10)), new Set()), 254);
  assert.equal(effectivePriority(node('c', '10.0.0.3', 3, chk(-20)), new Set(['chk'])), 1, 'clamped to 1');
  // Equal at 254: the higher IP wins the first election.
  const t = simulateFailover([n1, node('b', '10.0.0.2', 245, chk(10))]);
  assert.equal(t.initialHolder, 'b');
});

test('255 is the address owner and ignores weights', () => {
  assert.equal(effectivePriority(node('a', '10.0.0.1', 255, chk(-50)), new Set(['chk'])), 255);
});

test('weight 0 means FAULT on failure; reverse flips', () => {
  assert.equal(effectivePriority(node('a', '10.0.0.1', 100, chk(0)), new Set(['chk'])), 'FAULT');
  assert.equal(effectivePriority(node('a', '10.0.0.1', 100, chk(0)), new Set()), 100);
  assert.equal(effectivePriority(node('a', '10.0.0.1', 100, chk(0, true)), new Set()), 'FAULT');
  assert.equal(effectivePriority(node('a', '10.0.0.1', 100, chk(10, true)), new Set()), 90);
  assert.equal(effectivePriority(node('a', '10.0.0.1', 100, chk(10, true)), new Set(['chk'])), 100);
  assert.equal(effectivePriority(node('a', '10.0.0.1', 100, chk(-10, true)), new Set(['chk'])), 110);
  const t = simulateFailover([node('m1', '10.0.0.11', 100, chk(0)), node('m2', '10.0.0.12', 90, chk(0))]);
  assert.equal(t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm1')!.holder, 'm2');
});

test('weights sum across scripts', () => {
  const n = node('a', '10.0.0.1', 100, [
    { name: 'x', weight: 10, reverse: false },
    { name: 'y', weight: -30, reverse: false },
    { name: 'z', weight: 5, reverse: false },
  ]);
  assert.equal(effectivePriority(n, new Set()), 115);
  assert.equal(effectivePriority(n, new Set(['y', 'z'])), 80);
});

test('nopreempt with weights never fails over; death still does', () => {
  const t = simulateFailover([node('m1', '10.0.0.11', 100, chk(-20), { nopreempt: true }), node('m2', '10.0.0.12', 90, chk(-20), { nopreempt: true })]);
  const s = t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm1')!;
  assert.deepEqual(s.states, { m1: 80, m2: 90 });
  assert.equal(s.holder, 'm1');
  assert.equal(t.scenarios.find((x) => x.kind === 'node-down' && x.node === 'm1')!.holder, 'm2');
});

test('sync group members ignore weights: a failing script means FAULT', () => {
  const t = simulateFailover([node('m1', '10.0.0.11', 100, chk(-5), { syncGroup: true }), node('m2', '10.0.0.12', 99, chk(-5), { syncGroup: true })]);
  const s = t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm1')!;
  assert.equal(s.states.m1, 'FAULT');
  assert.equal(s.holder, 'm2');
});

test('equal priorities: a backup does not preempt a live holder on a tie', () => {
  const t = simulateFailover([node('m1', '10.0.0.11', 100, chk(-10)), node('m2', '10.0.0.12', 90, chk(-10))]);
  const s = t.scenarios.find((x) => x.kind === 'script-fails' && x.node === 'm1')!;
  assert.deepEqual(s.states, { m1: 90, m2: 90 });
  assert.equal(s.holder, 'm1');
});
