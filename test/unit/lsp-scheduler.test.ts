// When the server re-checks after edits (server/src/lsp/checkScheduler.ts), on a fake clock: the wait
// follows the measured check cost, edits coalesce, a request runs the pending check once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckScheduler, MAX_DELAY_MS, MAX_WAIT_MS, MIN_DELAY_MS, type SchedulerClock } from '../../server/src/lsp/checkScheduler';

/** A clock whose time only moves when the test says so; `checkCost` is how long each run takes. */
function fakeClock() {
  let now = 1000;
  let timer: { at: number; fn: () => void } | undefined;
  const clock: SchedulerClock = {
    now: () => now,
    setTimer: (fn, ms) => (timer = { at: now + ms, fn }),
    clearTimer: (h) => {
      if (timer === h) timer = undefined;
    },
  };
  return {
    clock,
    dueIn: () => (timer ? timer.at - now : undefined),
    /** Moves time forward, firing the timer when it falls due. */
    advance(ms: number) {
      const until = now + ms;
      while (timer && timer.at <= until) {
        const t = timer;
        timer = undefined;
        now = Math.max(now, t.at);
        t.fn();
      }
      now = Math.max(now, until);
    },
    spend(ms: number) {
      now += ms;
    },
  };
}

function setup(checkCost: number) {
  const c = fakeClock();
  const runs: string[][] = [];
  const s = new CheckScheduler((files) => {
    runs.push(files);
    c.spend(checkCost);
  }, c.clock);
  s.start();
  return { c, runs, s };
}

test('an edit after a pause is checked almost at once', () => {
  const { c, runs, s } = setup(15);
  s.add('a.cfg');
  assert.equal(c.dueIn(), MIN_DELAY_MS);
  c.advance(MIN_DELAY_MS);
  assert.deepEqual(runs, [['a.cfg']]);
});

test('a check that takes 15 ms never makes the next keystroke wait 150 ms', () => {
  const { c, runs, s } = setup(15);
  s.add('a.cfg');
  c.advance(10);
  // Typing on: each keystroke 40 ms after the previous one.
  for (let k = 0; k < 5; k++) {
    c.advance(40 - 15);
    s.add('a.cfg');
    assert.ok(c.dueIn()! <= 15, `waits ${c.dueIn()} ms after a 15 ms check`);
  }
  c.advance(20);
  assert.equal(runs.length, 6, 'one check per keystroke: the checks keep up');
});

test('keystrokes back to back (and those queued behind a running check) coalesce into one check', () => {
  const { c, runs, s } = setup(20);
  s.add('a.cfg');
  c.advance(MIN_DELAY_MS);
  assert.equal(runs.length, 1);
  // While that check ran, 8 keystrokes queued; they are handled one after the other.
  for (let k = 0; k < 8; k++) s.add('a.cfg');
  c.advance(MAX_DELAY_MS);
  assert.equal(runs.length, 2);
  assert.deepEqual(runs[1], ['a.cfg']);
});

test('the wait grows with a slow check, up to MAX_DELAY_MS, and never holds diagnostics past MAX_WAIT_MS', () => {
  const { c, runs, s } = setup(2000);
  s.add('big.cfg');
  c.advance(MIN_DELAY_MS);
  // Keystrokes that queued behind the 2 s check.
  s.add('big.cfg');
  s.add('big.cfg');
  assert.equal(c.dueIn(), MAX_DELAY_MS);
  // A key held down: an edit every 50 ms, forever.
  let waited = 0;
  while (runs.length < 2) {
    c.advance(50);
    waited += 50;
    s.add('big.cfg');
  }
  assert.ok(waited <= MAX_WAIT_MS + 50, `first re-check after ${waited} ms of continuous edits`);
});

test('a request runs the pending check at once, and the timer does not run it a second time', () => {
  const { c, runs, s } = setup(20);
  s.add('a.cfg');
  s.add('b.cfg');
  s.flushNow();
  assert.deepEqual(runs, [['a.cfg', 'b.cfg']]);
  assert.equal(c.dueIn(), undefined);
  s.flushNow();
  c.advance(1000);
  assert.equal(runs.length, 1);
});

test('nothing runs before start(); start() runs what queued up', () => {
  const c = fakeClock();
  const runs: string[][] = [];
  const s = new CheckScheduler((files) => runs.push(files), c.clock);
  s.add('a.cfg');
  s.flushNow();
  c.advance(1000);
  assert.equal(runs.length, 0);
  s.start();
  assert.deepEqual(runs, [['a.cfg']]);
});
