// The local deploy journal, `haconf deploy --recover`, and the prompt's Ctrl-C / Ctrl-D, against local
// folders standing for hosts (test/deploy/fixture.ts: the real remote scripts under the local sh). The same
// faults against real hosts, with real signals, are in test/deploy/signals.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deploy } from '../../server/src/deploy/deploy';
import { journalPath, readJournal, writeJournal, type Journal } from '../../server/src/deploy/journal';
import { recover } from '../../server/src/deploy/recover';
import { runDeploy, type DeployCliIO } from '../../server/src/cli/deploy';
import { UsageError } from '../../server/src/cli/args';
import { leftovers, type LocalShellTransport, makeWorkspace, type Workspace, deployOpts, vipOnLb1 } from '../deploy/fixture';

const opts = deployOpts;

const fake = vipOnLb1;

const read = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

function snapshot(ws: Workspace): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of ws.plan.hosts) for (const f of ['haproxy.cfg', 'keepalived.conf'] as const) out[`${h.name}/${f}`] = read(ws.remote(h.name, f));
  return out;
}

/** A pid that no longer exists. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

/**
 * The world as a run killed right before lb2's swap leaves it: lb3 on the new files, candidates staged on
 * lb2 and lb1, every host locked, the journal on disk naming a process that is gone. Made by copying the
 * host folders and the journal at that moment of a real run, then putting them back after it finished.
 */
async function killedBeforeLb2(ws: Workspace): Promise<{ before: Record<string, string | undefined>; after: Record<string, string | undefined>; runId: string }> {
  const before = snapshot(ws);
  const t = fake();
  const saved = path.join(ws.dir, 'saved');
  t.override = (host, call) => {
    if (call.op === 'install' && host.name === 'lb2' && !fs.existsSync(saved)) {
      fs.cpSync(path.join(ws.dir, 'hosts'), path.join(saved, 'hosts'), { recursive: true });
      fs.copyFileSync(journalPath(ws.manifest), path.join(saved, 'journal'));
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'success', r.message);
  const after = snapshot(ws);
  fs.rmSync(path.join(ws.dir, 'hosts'), { recursive: true });
  fs.cpSync(path.join(saved, 'hosts'), path.join(ws.dir, 'hosts'), { recursive: true });
  const j = JSON.parse(fs.readFileSync(path.join(saved, 'journal'), 'utf8')) as Journal;
  writeJournal(journalPath(ws.manifest), { ...j, pid: deadPid() });
  fs.rmSync(saved, { recursive: true });
  return { before, after, runId: j.runId };
}

test('the journal is written and fsynced before each host changes, names old/new hashes and candidates, and goes at the end', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const t = fake();
  const seen: string[] = [];
  t.override = (host, call) => {
    if (call.op === 'install') {
      const j = readJournal(journalPath(ws.manifest))!;
      const h = j.hosts.find((x) => x.name === host.name)!;
      const f = h.files.find((x) => x.target === call.args[0])!;
      assert.equal(f.candidate, call.args[1], 'the candidate being installed is in the journal');
      assert.match(f.new, /^[0-9a-f]{64}$/);
      // keepalived.conf is new on these hosts: no old hash, no backup.
      if (f.target.endsWith('keepalived.conf')) assert.deepEqual([f.old, f.backup], [null, null]);
      else {
        assert.match(f.old ?? '', /^[0-9a-f]{64}$/);
        assert.equal(f.backup, `${f.target}.haconf-bak-${call.args[2]}`);
      }
      seen.push(`${host.name}:${h.phase}:${j.phase}:${j.hosts.map((x) => `${x.name}=${x.phase}`).join(',')}`);
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'success', r.message);
  assert.deepEqual(
    [...new Set(seen)],
    ['lb3:swapping:rollout:lb3=swapping,lb2=pending,lb1=pending', 'lb2:swapping:rollout:lb3=swapped,lb2=swapping,lb1=pending', 'lb1:swapping:rollout:lb3=swapped,lb2=swapped,lb1=swapping'],
  );
  assert.ok(!fs.existsSync(journalPath(ws.manifest)), 'removed after the audit record');
  const mode = fs.statSync(path.dirname(journalPath(ws.manifest))).mode & 0o777;
  assert.equal(mode & 0o077, 0, '.haconf is private');
});

test('a journal left by a dead run refuses the next deploy before any host is contacted', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const { after } = await killedBeforeLb2(ws);
  const mixed = snapshot(ws);
  assert.notDeepEqual(mixed, after);
  const t = fake();
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'refused');
  assert.equal(r.exitCode, 1);
  assert.match(r.message, /an earlier deploy did not finish \(run [0-9a-f]+ .*stopped during rollout\); the hosts may be on different configs/);
  assert.match(r.message, /Run 'haconf deploy --recover'/);
  assert.deepEqual(t.calls, [], 'no host contacted');
  assert.deepEqual(snapshot(ws), mixed);
});

test('a manifest naming a Jinja2 template that cannot be rendered for its host is refused before any host is contacted', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const manifest = fs.readFileSync(ws.manifest, 'utf8').replace('source: lb2/keepalived.conf,', 'source: lb2/keepalived.conf.j2,');
  assert.ok(manifest.includes('keepalived.conf.j2'), 'the fixture names lb2/keepalived.conf');
  fs.writeFileSync(path.join(ws.dir, 'lb2/keepalived.conf.j2'), `# {{ inventory_hostname }}\n${fs.readFileSync(path.join(ws.dir, 'lb2/keepalived.conf'), 'utf8')}`);
  fs.writeFileSync(ws.manifest, manifest);
  const before = snapshot(ws);
  const t = fake();
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'refused');
  // No inventory renders it for lb2 (test/unit/deploy-templates.test.ts deploys rendered templates).
  assert.match(r.message, /^1 template rendering could not be made, so nothing can be deployed:\nlb2\/keepalived\.conf\.j2:1: lb2: template not rendered: /);
  assert.match(r.message, /No host was contacted; nothing was changed$/);
  assert.deepEqual(t.calls, [], 'no host contacted');
  assert.deepEqual(snapshot(ws), before);
});

test('a journal path that is a symbolic link is neither followed nor written through', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const victim = path.join(ws.dir, 'victim.txt');
  fs.writeFileSync(victim, 'precious\n');
  fs.mkdirSync(path.join(ws.dir, '.haconf'));
  fs.symlinkSync(victim, journalPath(ws.manifest));
  const t = fake();
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'refused');
  assert.match(r.message, /haconf\.yaml\.journal\.json is a symbolic link; haconf does not follow it/);
  assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
  assert.deepEqual(t.calls, []);
});

test('--recover reports each host old, new or unknown; --rollback restores what is new, leaves what is neither, cleans up', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const { before, runId } = await killedBeforeLb2(ws);
  // Someone edits lb1's haproxy.cfg by hand meanwhile: it is on neither the old nor the new file.
  fs.writeFileSync(ws.remote('lb1', 'haproxy.cfg'), '# edited by hand\n');
  assert.ok(leftovers(ws, 'lb1').length > 0 && fs.existsSync(ws.lockDir('lb2')), 'the dead run left candidates and locks');

  const rep = await recover({ manifestPath: ws.manifest, transport: fake(), action: 'report', lockDir: ws.lockDir });
  assert.equal(rep.outcome, 'reported');
  assert.equal(rep.exitCode, 1);
  assert.deepEqual(Object.fromEntries(rep.before.map((h) => [h.host, h.state])), { lb3: 'new', lb2: 'old', lb1: 'unknown' });
  assert.match(rep.message, /lb1: unknown — .*haproxy\.cfg matches neither/);
  assert.ok(fs.existsSync(journalPath(ws.manifest)));

  const rb = await recover({ manifestPath: ws.manifest, transport: fake(), action: 'rollback', lockDir: ws.lockDir, settleSeconds: 0, vrrpGraceMs: 0 });
  assert.equal(rb.outcome, 'failed', rb.message);
  assert.match(rb.message, /lb1: .*haproxy\.cfg is on neither the old nor the new file .* left alone, check it by hand/);
  assert.deepEqual(Object.fromEntries(rb.after!.map((h) => [h.host, h.state])), { lb3: 'old', lb2: 'old', lb1: 'unknown' });
  assert.equal(read(ws.remote('lb3', 'haproxy.cfg')), before['lb3/haproxy.cfg']);
  for (const h of ws.plan.hosts) {
    assert.deepEqual(leftovers(ws, h.name), [], `${h.name}: candidates removed`);
    assert.ok(!fs.existsSync(ws.lockDir(h.name)), `${h.name}: lock released`);
  }
  assert.ok(fs.existsSync(journalPath(ws.manifest)), 'kept while a host is unknown');
  const audit = fs
    .readFileSync(path.join(ws.dir, '.haconf/audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { runId: string; result: string });
  assert.deepEqual(audit[audit.length - 1], { ...audit[audit.length - 1], runId, result: 'rollback-failed' });

  // The hand edit undone: a second rollback completes and removes the journal.
  fs.writeFileSync(ws.remote('lb1', 'haproxy.cfg'), before['lb1/haproxy.cfg']!);
  const rb2 = await recover({ manifestPath: ws.manifest, transport: fake(), action: 'rollback', lockDir: ws.lockDir, settleSeconds: 0, vrrpGraceMs: 0 });
  assert.equal(rb2.outcome, 'rolled-back', rb2.message);
  assert.equal(rb2.exitCode, 0);
  assert.deepEqual(snapshot(ws), before);
  assert.ok(!fs.existsSync(journalPath(ws.manifest)));
});

test('--recover --finish deploys the same files to the hosts still on the old ones; refused when the workspace changed', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const { after } = await killedBeforeLb2(ws);
  const src = path.join(ws.dir, 'haproxy.cfg');
  const good = fs.readFileSync(src, 'utf8');
  fs.writeFileSync(src, good + '# later edit\n');
  const refused = await recover({ manifestPath: ws.manifest, transport: fake(), action: 'finish', lockDir: ws.lockDir });
  assert.equal(refused.outcome, 'refused');
  assert.match(refused.message, /the workspace no longer holds the files the interrupted run was deploying:\nlb3: haproxy\.cfg/);
  fs.writeFileSync(src, good);
  const fin = await recover({ manifestPath: ws.manifest, transport: fake(), action: 'finish', lockDir: ws.lockDir, vrrpGraceMs: 0 });
  assert.equal(fin.outcome, 'finished', fin.message);
  assert.equal(fin.exitCode, 0);
  assert.deepEqual(Object.fromEntries(fin.deploy!.hosts.map((h) => [h.host, h.state])), { lb3: 'unchanged', lb2: 'deployed', lb1: 'deployed' });
  assert.deepEqual(snapshot(ws), after);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
  assert.ok(!fs.existsSync(journalPath(ws.manifest)));
});

async function cliAt(answer: 'interrupt' | 'eof'): Promise<{ code: number; out: string; t: LocalShellTransport; ws: Workspace }> {
  const ws = makeWorkspace();
  const t = fake();
  let out = '';
  const io: DeployCliIO = { stdout: (s) => (out += s), stderr: (s) => (out += s), cwd: ws.dir, transport: t, isTTY: true, signal: new AbortController().signal, confirm: async () => answer };
  const code = await runDeploy([], io);
  return { code, out, t, ws };
}

test('Ctrl-C at the [y/N] prompt cancels: exit 130, candidates removed, locks released, nothing replaced', async (tt) => {
  const { code, out, t, ws } = await cliAt('interrupt');
  tt.after(ws.cleanup);
  assert.equal(code, 130, out);
  assert.match(out, /Ctrl-C \(SIGINT\) received: stopping before any host changes; removing candidates and releasing locks/);
  assert.match(out, /result: cancelled/);
  assert.match(out, /cancelled at the confirmation prompt; nothing was replaced; candidates removed/);
  assert.deepEqual(t.ops('install'), []);
  assert.equal(t.ops('unlock').length, 3);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
  assert.ok(!fs.existsSync(journalPath(ws.manifest)));
});

test('Ctrl-D (end of input) at the [y/N] prompt is a no: exit 1, candidates removed, locks released', async (tt) => {
  const { code, out, t, ws } = await cliAt('eof');
  tt.after(ws.cleanup);
  assert.equal(code, 1, out);
  assert.match(out, /no answer \(end of input at the prompt\): taking it as no/);
  assert.match(out, /result: declined/);
  for (const h of ws.plan.hosts) assert.match(out, new RegExp(`${h.name}\\s+not changed — on its previous files`));
  assert.deepEqual(t.ops('install'), []);
  assert.equal(t.ops('unlock').length, 3);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});

test('a restore whose ssh session is cut (a Ctrl-C racing the spawn) is tried again, so the rollback still completes', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = fake();
  const ac = new AbortController();
  let cut = 0;
  t.override = (host, call) => {
    if (call.op === 'restore' && cut === 0) {
      cut++;
      return { code: -1, stdout: Buffer.alloc(0), stderr: `ssh to ${host.name} was killed by SIGINT`, connectionFailed: true };
    }
    return undefined;
  };
  const r = await deploy(opts(ws, t, { signal: ac.signal, onEvent: (e) => e.type === 'host' && e.host === 'lb2' && e.step === 'install' && e.status === 'ok' && ac.abort() }));
  assert.equal(cut, 1);
  assert.equal(r.outcome, 'cancelled', r.message);
  assert.deepEqual(Object.fromEntries(r.hosts.map((h) => [h.host, h.state])), { lb3: 'rolled-back', lb2: 'rolled-back', lb1: 'not-started' });
  assert.deepEqual(snapshot(ws), before);
});

test('--recover: nothing recorded exits 0; a journal that is a symbolic link is a usage error naming it, never followed', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  let out = '';
  const io: DeployCliIO = { stdout: (s) => (out += s), stderr: (s) => (out += s), cwd: ws.dir, transport: fake(), isTTY: false, signal: new AbortController().signal };
  assert.equal(await runDeploy(['--recover'], io), 0);
  assert.match(out, /recover: nothing-to-recover \(exit 0\)/);
  fs.mkdirSync(path.join(ws.dir, '.haconf'), { recursive: true });
  fs.symlinkSync('/etc/passwd', journalPath(ws.manifest));
  await assert.rejects(
    runDeploy(['--recover', '--rollback'], { ...io, transport: fake() }),
    (e: Error) => e instanceof UsageError && /haconf\.yaml\.journal\.json is a symbolic link; haconf does not follow it/.test(e.message),
  );
  assert.match(fs.readFileSync('/etc/passwd', 'utf8'), /^root:/);
});

test('after a failed rollback the journal is kept and marked ended: the same process (the language server) refuses the next deploy and recovers it', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const before = snapshot(ws);
  const t = fake();
  t.haproxyDead.add('lb2');
  const r = await deploy(opts(ws, t));
  assert.equal(r.outcome, 'rollback-failed', r.message);
  assert.match(r.message, /the deploy journal .* is kept: run 'haconf deploy --recover'/);
  const j = readJournal(journalPath(ws.manifest))!;
  assert.ok(j.ended, 'marked ended although this process lives on');
  assert.equal(j.pid, process.pid);
  const again = await deploy(opts(ws, fake()));
  assert.equal(again.outcome, 'refused');
  assert.match(again.message, /an earlier deploy did not finish/);
  const rb = await recover({ manifestPath: ws.manifest, transport: fake(), action: 'rollback', lockDir: ws.lockDir, settleSeconds: 0, vrrpGraceMs: 0 });
  assert.equal(rb.outcome, 'rolled-back', rb.message);
  assert.deepEqual(snapshot(ws), before);
  assert.ok(!fs.existsSync(journalPath(ws.manifest)));
});

test('--recover on a terminal shows each host and asks; "r" rolls back', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const { before } = await killedBeforeLb2(ws);
  let out = '';
  const asked: string[] = [];
  // The CLI locks at the default path (the fake maps it to a private folder per host), not at ws.lockDir:
  // the dead run's locks there would never be released by this recovery, so they go first.
  for (const h of ws.plan.hosts) fs.rmSync(ws.lockDir(h.name), { recursive: true, force: true });
  const io: DeployCliIO = {
    stdout: (s) => (out += s),
    stderr: (s) => (out += s),
    cwd: ws.dir,
    transport: fake(),
    isTTY: true,
    signal: new AbortController().signal,
    confirm: async (q) => {
      asked.push(q);
      return 'r';
    },
  };
  assert.equal(await runDeploy(['--recover'], io), 0, out);
  assert.match(out, /state of each host:\n {2}lb3: new — on the files the interrupted run deployed\n {2}lb2: old — on its previous files\n {2}lb1: old — on its previous files/);
  assert.deepEqual(asked, ['Finish the deploy on every host (f), roll every host back (r), or leave it (N)? ']);
  assert.match(out, /recover: rolled-back \(exit 0\)/);
  assert.deepEqual(snapshot(ws), before);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});
