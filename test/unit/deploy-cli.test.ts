// `haconf deploy` / `haconf pull` argument handling, prompts, exit codes and output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDeploy, runPull, type DeployCliIO } from '../../server/src/cli/deploy';
import { UsageError } from '../../server/src/cli/args';
import { LocalShellTransport, makeWorkspace, type Workspace } from '../deploy/fixture';
import type { DeployResult } from '../../server/src/deploy/events';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a subcommand the way main.ts does: UsageError → exit 2. */
async function cli(fn: typeof runDeploy, argv: string[], ws: Workspace, t: LocalShellTransport, extra: Partial<DeployCliIO> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: DeployCliIO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: ws.dir, transport: t, isTTY: false, signal: new AbortController().signal, ...extra };
  try {
    return { code: await fn(argv, io), stdout, stderr };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, stdout, stderr: stderr + e.message };
    throw e;
  }
}

function fake(): LocalShellTransport {
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  return t;
}

test('usage errors exit 2 and contact no host', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  for (const argv of [['--bogus'], ['--format', 'xml'], ['--hosts', 'nope', '--yes'], ['--manifest', 'missing.yaml'], ['stray'], ['--check'], ['--hosts']]) {
    const t = fake();
    const r = await cli(runDeploy, argv, ws, t);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.deepEqual(t.calls, [], argv.join(' '));
  }
  const r = await cli(runPull, ['--yes'], ws, fake());
  assert.equal(r.code, 2);
});

test('without --yes and without a terminal, deploy refuses before connecting', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = fake();
  const r = await cli(runDeploy, [], ws, t);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /stdin is not a terminal; pass --yes/);
  assert.deepEqual(t.calls, []);
});

test('answering no at the prompt changes nothing (exit 1); the plan and diffs are shown first', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = fs.readFileSync(ws.remote('lb1', 'haproxy.cfg'), 'utf8');
  let asked = '';
  const r = await cli(runDeploy, ['--diff'], ws, fake(), {
    confirm: async (q) => {
      asked = q;
      return false;
    },
  });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(asked, 'Deploy to lb3, lb2, lb1 in this order? [y/N] ');
  assert.match(r.stdout, /plan for cluster unit:\n {2}1\. lb3 \(priority 100\): reload haproxy, keepalived\n {7}M .*haproxy\.cfg ← haproxy\.cfg\n {7}A .*keepalived\.conf ← lb3\/keepalived\.conf/);
  assert.match(r.stdout, /^ {7}\+ {4}timeout client 30s$/m);
  assert.match(r.stdout, /3\. lb1 \(VIP holder\)/);
  assert.match(r.stdout, /result: declined/);
  assert.equal(fs.readFileSync(ws.remote('lb1', 'haproxy.cfg'), 'utf8'), before);
});

test('--yes --format json deploys and prints one JSON result', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const r = await cli(runDeploy, ['--yes', '--format', 'json', '--hosts', 'lb2,lb3'], ws, fake());
  assert.equal(r.code, 0, r.stdout);
  const res = JSON.parse(r.stdout) as DeployResult;
  assert.equal(res.outcome, 'success');
  assert.deepEqual(
    res.plan!.hosts.map((h) => h.name),
    ['lb3', 'lb2'],
  );
  assert.equal(fs.readFileSync(ws.remote('lb2', 'haproxy.cfg'), 'utf8'), fs.readFileSync(path.join(ws.dir, 'haproxy.cfg'), 'utf8'));
  assert.match(fs.readFileSync(ws.remote('lb1', 'haproxy.cfg'), 'utf8'), /timeout client 20s/, 'lb1 not selected');
});

test('--dry-run prints the plan with diffs and exits 0 without changing anything', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = fs.readFileSync(ws.remote('lb2', 'haproxy.cfg'), 'utf8');
  const r = await cli(runDeploy, ['--dry-run'], ws, fake());
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /plan for cluster unit \(dry run\)/);
  assert.match(r.stdout, /^ {7}- {4}timeout client 20s$/m);
  assert.match(r.stdout, /result: dry-run/);
  assert.equal(fs.readFileSync(ws.remote('lb2', 'haproxy.cfg'), 'utf8'), before);
});

test("pull --check reports drift; pull adopts the hosts' files; disagreeing hosts are a conflict", async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const local = path.join(ws.dir, 'haproxy.cfg');
  const localBefore = fs.readFileSync(local, 'utf8');
  // keepalived.conf is missing on the hosts; haproxy.cfg is the same (older) file on all three.
  let r = await cli(runPull, ['--check', '--hosts', 'lb1,lb2,lb3'], ws, fake());
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^D haproxy\.cfg: differs from the hosts \(drift\)$/m);
  assert.match(r.stdout, /^\? lb1\/keepalived\.conf: no host has/m);
  assert.equal(fs.readFileSync(local, 'utf8'), localBefore, '--check writes nothing');
  r = await cli(runPull, [], ws, fake());
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^U haproxy\.cfg: replaced with the hosts' version/m);
  assert.equal(fs.readFileSync(local, 'utf8'), fs.readFileSync(ws.remote('lb1', 'haproxy.cfg'), 'utf8'));
  fs.appendFileSync(ws.remote('lb3', 'haproxy.cfg'), '# edited by hand on lb3\n');
  const now = fs.readFileSync(local, 'utf8');
  r = await cli(runPull, [], ws, fake());
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^! haproxy\.cfg: the hosts disagree \(lb1, lb2: [0-9a-f]{12} \| lb3: [0-9a-f]{12}\)/m);
  assert.equal(fs.readFileSync(local, 'utf8'), now, 'a conflict writes nothing');
  r = await cli(runPull, ['--hosts', 'lb3'], ws, fake());
  assert.equal(r.code, 0);
  assert.match(fs.readFileSync(local, 'utf8'), /edited by hand on lb3/);
});
