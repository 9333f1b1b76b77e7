// Output folders the commands must make: a path under /proc/self makes Node 20's recursive mkdir spin
// forever (mkdir answers ENOENT under a folder that exists), so `haconf init` and `haconf export ansible`
// create folders one level at a time (core/makeDirs.ts) and say which folder they could not make.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliBundle } from './bundle';
import { makeDirs } from '../../server/src/core/makeDirs';

/** Far below "hangs" (the old code never returned), generous for a loaded 2-core CI machine. */
const LIMIT_MS = 20000;
const ROOT = path.resolve(__dirname, '../..');

function run(args: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cliBundle(), ...args], { cwd: ROOT, encoding: 'utf8', timeout: LIMIT_MS, killSignal: 'SIGKILL' });
  return { ...r, ms: performance.now() - t0 };
}

test('makeDirs makes every missing level and fails at once, naming the folder, under /proc/self', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-dirs-'));
  try {
    makeDirs(path.join(base, 'a/b/c'), 0o700);
    assert.ok(fs.statSync(path.join(base, 'a/b/c')).isDirectory());
    makeDirs(path.join(base, 'a/b/c')); // already there: nothing to do
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const t0 = performance.now();
  assert.throws(
    () => makeDirs('/proc/self/haconf-x/y'),
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && /cannot create the folder \/proc\/self\/haconf-x/.test(e.message),
  );
  assert.ok(performance.now() - t0 < 1000);
});

test('haconf init into a folder under /proc/self exits 1 with a message, not a hang', () => {
  const r = run(['init', '/proc/self/haconf-x/y', '--kind', 'nodeport', '--vip', '10.0.0.100/24', '--nodes', 'a=10.0.0.1,b=10.0.0.2', '--nodeports', '30080', '--workers', '10.0.0.5', '--yes']);
  assert.equal(r.signal, null, `killed after ${Math.round(r.ms)} ms: it hung`);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot create the folder \/proc\/self\/haconf-x \(ENOENT\); choose a folder you can write to/);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
});

test('haconf export ansible --out under /proc/self exits 1 with a message, not a hang', () => {
  const r = run(['export', 'ansible', '--manifest', 'examples/corrected/apiserver-lb/haconf.yaml', '--out', '/proc/self/haconf-x/y']);
  assert.equal(r.signal, null, `killed after ${Math.round(r.ms)} ms: it hung`);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot create the folder \/proc\/self\/haconf-x \(ENOENT\)/);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
});
