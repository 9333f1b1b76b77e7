// A deploy that is told to stop, or killed, against real hosts: three network-namespace hosts from test/lab
// (sshd, haproxy, keepalived, a VIP). The CLI runs as its own process (`haconf deploy` from source), and the
// signals are real: SIGTERM, SIGHUP, SIGINT twice sent to its process group as a terminal does, Ctrl-C and
// Ctrl-D typed at the [y/N] prompt through a pseudo-terminal (python3's pty module), SIGKILL followed by
// `haconf deploy --recover`, and the language server told to shut down, or losing its client, mid-rollout.
// After each: every host on either its old or its new files, the tool saying which, no lock or candidate
// left, an exit status and a message a user can act on. Needs root and the daemons; fails, never skips.
// Run: node --import tsx --test test/deploy/signals.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { checkPrerequisites, planLab, startLab, waitFor, type Lab, type LabPlan } from '../lab/lab';
import { haproxyCfg, keepalivedConf, labManifest, type VrrpParams } from '../lab/configs';
import { tearDown } from './teardown';
import { labDebris, labTargetState } from './labState';

const ROOT = path.resolve(__dirname, '../..');
// HACONF_SIGNALS_MAIN runs the suite against another checkout's CLI (how the "before" column of the
// table in docs/deploy.md was measured).
const MAIN = process.env.HACONF_SIGNALS_MAIN ?? path.join(ROOT, 'server/src/cli/main.ts');
// The CLI runs from source in the workspace folder: tsx by absolute URL, since --import resolves from the cwd.
const TSX = pathToFileURL(require.resolve('tsx')).toString();
const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
const report: string[] = [];

let lab: Lab;
let plan: LabPlan;
let ws: string;
let manifest: string;
let journal: string;
let edits = 0;

const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);

/** sha256 (16 hex) of both targets on every host. */
const remoteState = (): Promise<Record<string, string>> => labTargetState(lab, plan);

/** What every host runs after a full deploy of the workspace. */
function workspaceState(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of plan.hosts) out[h.name] = `${sha(fs.readFileSync(path.join(ws, 'haproxy.cfg')))} ${sha(fs.readFileSync(path.join(ws, h.name, 'keepalived.conf')))}`;
  return out;
}

/** Candidates, restore temporaries and locks anywhere a deploy writes. */
const debris = (): Promise<string[]> => labDebris(lab, plan);

function lastAudit(): { result: string; message: string; runId: string } {
  const lines = fs.readFileSync(path.join(ws, '.haconf/audit.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as { result: string; message: string; runId: string };
}

/** A new haproxy.cfg for every host: each scenario deploys a change of its own. */
function changeWorkspace(): void {
  const src = path.join(ws, 'haproxy.cfg');
  edits++;
  fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace(/timeout client \d+s/, `timeout client ${30 + edits}s`));
}

interface Cli {
  child: ChildProcess;
  out: () => string;
  /** Resolves when the output so far matches. */
  until: (re: RegExp, timeoutMs?: number) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `haconf deploy …` as its own process group (a terminal's foreground job), stdout and stderr together. */
function cli(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'deploy', '--manifest', manifest, ...args], { cwd: ws, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return watch(child);
}

function watch(child: ChildProcess): Cli {
  let text = '';
  child.stdout!.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (text += b.toString()));
  let closed = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      closed = true;
      resolve({ code, signal });
    }),
  );
  return {
    child,
    out: () => text,
    until: async (re, timeoutMs = 60000) => {
      const end = performance.now() + timeoutMs;
      while (!re.test(text)) {
        if (performance.now() > end || closed) throw new Error(`never saw ${re}; the output:\n${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    exit,
  };
}

/** Runs to the end; returns the exit status and the output. */
async function cliDone(args: string[]): Promise<{ code: number | null; out: string }> {
  const c = cli(args);
  const e = await c.exit;
  return { code: e.code, out: c.out() };
}

/** The shared end of every scenario that stops at a safe point: all hosts old, nothing left, audit says cancelled. */
async function assertRolledBack(before: Record<string, string>, what: string): Promise<void> {
  assert.deepEqual(await remoteState(), before, `${what}: every host on its previous files`);
  assert.deepEqual(await debris(), [], `${what}: no candidate, no lock left`);
  assert.ok(!fs.existsSync(journal), `${what}: the journal is removed once every host's state is known`);
  assert.equal(lastAudit().result, 'cancelled', `${what}: the audit record says cancelled`);
  assert.equal(await lab.vipHolder(), 'lb1');
}

describe('haconf deploy stopped by signals, killed, and recovered, on the network-namespace lab', { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    plan = planLab({ hosts: 3 });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-signals-lab-'));
    fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
    for (const h of plan.hosts) {
      fs.mkdirSync(path.join(ws, h.name));
      fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
    }
    lab = await startLab({ hosts: 3, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
    manifest = path.join(ws, 'haconf.yaml');
    journal = path.join(ws, '.haconf', 'haconf.yaml.journal.json');
    fs.writeFileSync(manifest, labManifest({ cluster: 'lab', plan, user: 'root', keyPath: lab.keyPath, knownHostsPath: lab.knownHostsPath, connectTimeout: 3, settleSeconds: 2 }));
    await lab.waitForVip('lb1', 15000);
  });

  after(() => tearDown('signals lab report', report, [lab], [ws]));

  it('SIGTERM during the rollout: the current host finishes, it is rolled back, the rest never start (exit 143)', async () => {
    changeWorkspace();
    const before = await remoteState();
    const c = cli(['--yes']);
    // lb3 is swapped and reloaded; the run is in lb3's settle wait.
    await c.until(/lb3\s+install\s+ok/);
    process.kill(c.child.pid!, 'SIGTERM');
    const e = await c.exit;
    const out = c.out();
    assert.equal(e.code, 143, out);
    assert.match(out, /SIGTERM received: finishing the current host's step, then rolling back every host this run changed/);
    assert.match(out, /result: cancelled/);
    assert.match(out, /lb3\s+rolled back — on its previous files/);
    assert.match(out, /lb2\s+not started — on its previous files/);
    assert.match(out, /lb1\s+not started — on its previous files/);
    assert.match(out, /stopped by SIGTERM: every host this run changed is back on its previous files; candidates removed and locks released/);
    await assertRolledBack(before, 'SIGTERM');
  });

  it('SIGHUP during staging: nothing is replaced, candidates and locks are removed (exit 129)', async () => {
    changeWorkspace();
    const before = await remoteState();
    const c = cli(['--yes']);
    await c.until(/== stage:/);
    process.kill(c.child.pid!, 'SIGHUP');
    const e = await c.exit;
    const out = c.out();
    assert.equal(e.code, 129, out);
    assert.match(out, /SIGHUP \(terminal closed\) received: stopping before any host changes/);
    assert.match(out, /result: cancelled/);
    assert.match(out, /nothing was replaced/);
    for (const h of plan.hosts) assert.match(out, new RegExp(`${h.name}\\s+not changed — on its previous files`));
    assert.doesNotMatch(out, /unreachable|rejected/);
    await assertRolledBack(before, 'SIGHUP');
  });

  it('Ctrl-C twice (SIGINT to the process group, as a terminal sends it): the second does not cut the rollback (exit 130)', async () => {
    changeWorkspace();
    const before = await remoteState();
    const c = cli(['--yes']);
    await c.until(/lb2\s+install\s+ok/);
    process.kill(-c.child.pid!, 'SIGINT');
    await c.until(/== rollback:/);
    process.kill(-c.child.pid!, 'SIGINT');
    const e = await c.exit;
    const out = c.out();
    assert.equal(e.code, 130, out);
    assert.match(out, /Ctrl-C \(SIGINT\) received: finishing the current host's step/);
    assert.match(out, /Ctrl-C \(SIGINT\) again: still finishing the rollback and cleanup/);
    assert.match(out, /lb3\s+rolled back — on its previous files/);
    assert.match(out, /lb2\s+rolled back — on its previous files/);
    assert.match(out, /lb1\s+not started — on its previous files/);
    await assertRolledBack(before, 'SIGINT twice');
  });

  /** `haconf deploy` in a pseudo-terminal; types `key` when the [y/N] prompt shows. */
  async function atPrompt(key: string): Promise<{ code: number; out: string }> {
    const py = `
import os, pty, sys, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b''; sent = False
while True:
    try:
        r, _, _ = select.select([fd], [], [], 60)
        if not r: break
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk: break
    out += chunk
    if not sent and b'[y/N]' in out:
        os.write(fd, ${JSON.stringify(key)}.encode()); sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.stdout.write('\\nEXIT %d\\n' % (os.waitstatus_to_exitcode(status)))
`;
    const child = spawn('python3', ['-c', py, process.execPath, '--import', TSX, MAIN, 'deploy', '--manifest', manifest], { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'] });
    const c = watch(child);
    await c.exit;
    const m = /\nEXIT (-?\d+)\n$/.exec(c.out());
    assert.ok(m, c.out());
    return { code: Number(m[1]), out: c.out() };
  }

  it('Ctrl-C typed at the [y/N] prompt (pty): exit 130, candidates and locks removed, nothing replaced', async () => {
    changeWorkspace();
    const before = await remoteState();
    const r = await atPrompt('\x03');
    assert.equal(r.code, 130, r.out);
    assert.match(r.out, /Deploy to lb3, lb2, lb1 in this order\? \[y\/N\]/);
    assert.match(r.out, /result: cancelled/);
    assert.match(r.out, /cancelled at the confirmation prompt; nothing was replaced; candidates removed/);
    for (const h of plan.hosts) assert.match(r.out, new RegExp(`${h.name}\\s+not changed — on its previous files`));
    await assertRolledBack(before, 'Ctrl-C at the prompt');
  });

  it('Ctrl-D at the [y/N] prompt (pty): taken as no, exit 1, candidates and locks removed', async () => {
    const before = await remoteState();
    const r = await atPrompt('\x04');
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /no answer \(end of input at the prompt\): taking it as no/);
    assert.match(r.out, /result: declined/);
    assert.deepEqual(await remoteState(), before);
    assert.deepEqual(await debris(), []);
    assert.ok(!fs.existsSync(journal));
    assert.equal(lastAudit().result, 'declined');
  });

  /** Starts a deploy and SIGKILLs it while lb3 is on the new files and lb2, lb1 are staged. */
  async function killedAfterLb3(): Promise<{ before: Record<string, string>; runId: string }> {
    changeWorkspace();
    const before = await remoteState();
    const c = cli(['--yes']);
    await c.until(/lb3\s+install\s+ok/);
    process.kill(-c.child.pid!, 'SIGKILL');
    const e = await c.exit;
    assert.equal(e.signal, 'SIGKILL');
    const state = await remoteState();
    const want = workspaceState();
    assert.equal(state.lb3, want.lb3, 'lb3 was swapped before the kill');
    assert.equal(state.lb2, before.lb2);
    assert.equal(state.lb1, before.lb1);
    const left = await debris();
    assert.ok(
      left.some((l) => l.startsWith('lb1: .haproxy.cfg.haconf-new-')),
      `the killed run left candidates: ${left.join(', ')}`,
    );
    assert.ok(left.includes('lb2: LOCK'), 'and its locks');
    assert.ok(fs.existsSync(journal), 'and its journal');
    const j = JSON.parse(fs.readFileSync(journal, 'utf8')) as { runId: string; phase: string; hosts: { name: string; phase: string }[] };
    assert.equal(j.phase, 'rollout');
    // lb3 was killed in its settle wait: swapping (written before its first rename), the others pending.
    assert.deepEqual(
      j.hosts.map((h) => `${h.name}:${h.phase}`),
      ['lb3:swapping', 'lb2:pending', 'lb1:pending'],
    );
    return { before, runId: j.runId };
  }

  it('SIGKILL mid-rollout leaves a journal: the next deploy refuses, --recover names each host old or new, --rollback restores and cleans', async () => {
    const { before, runId } = await killedAfterLb3();

    const again = await cliDone(['--yes']);
    assert.equal(again.code, 1, again.out);
    assert.match(again.out, new RegExp(`an earlier deploy did not finish \\(run ${runId} by \\S+ on \\S+ \\(pid \\d+\\), started [^,]+, stopped during rollout\\)`));
    assert.match(again.out, /Run 'haconf deploy --recover'/);
    assert.equal((await remoteState()).lb2, before.lb2, 'the refused deploy changed nothing');

    const rep = await cliDone(['--recover']);
    assert.equal(rep.code, 1, rep.out);
    assert.match(rep.out, /lb3: new — on the files the interrupted run deployed/);
    assert.match(rep.out, /lb2: old — on its previous files/);
    assert.match(rep.out, /lb1: old — on its previous files/);
    assert.match(rep.out, /the cluster is mixed\. Run 'haconf deploy --recover --rollback'.*or 'haconf deploy --recover --finish'/);
    assert.ok(fs.existsSync(journal), 'a report changes nothing');

    const rb = await cliDone(['--recover', '--rollback']);
    assert.equal(rb.code, 0, rb.out);
    assert.match(rb.out, /recover: rolled-back \(exit 0\)/);
    assert.match(rb.out, /took over the lock of the interrupted run/);
    assert.match(rb.out, /after the rollback:\n\s+lb3: old — on its previous files/);
    assert.deepEqual(await remoteState(), before);
    assert.deepEqual(await debris(), []);
    assert.ok(!fs.existsSync(journal));
    assert.equal(lastAudit().result, 'rolled-back');
    assert.equal(lastAudit().runId, runId, 'the dead run gets its audit record');
    assert.equal(await lab.vipHolder(), 'lb1');
  });

  it('SIGKILL mid-rollout, then --recover --finish: every host ends on the new files', async () => {
    await killedAfterLb3();
    const fin = await cliDone(['--recover', '--finish']);
    assert.equal(fin.code, 0, fin.out);
    assert.match(fin.out, /recover: finished \(exit 0\)/);
    assert.match(fin.out, /lb3\s+unchanged — already on the workspace files/);
    assert.deepEqual(await remoteState(), workspaceState());
    assert.deepEqual(await debris(), []);
    assert.ok(!fs.existsSync(journal));
    assert.equal(lastAudit().result, 'success');
    assert.equal(await lab.vipHolder(), 'lb1');
  });

  it('Ctrl-C three times: the third quits at once, says so, and leaves the journal; --recover --rollback then restores and cleans', async () => {
    changeWorkspace();
    const before = await remoteState();
    const c = cli(['--yes']);
    await c.until(/lb3\s+install\s+ok/);
    // Each Ctrl-C waits until the previous one was seen: two signals that arrive before the handler runs
    // merge into one (signals are not queued), which on a loaded machine made this test see only two.
    process.kill(-c.child.pid!, 'SIGINT');
    await c.until(/Ctrl-C \(SIGINT\) received/);
    process.kill(-c.child.pid!, 'SIGINT');
    await c.until(/Ctrl-C \(SIGINT\) again/);
    process.kill(-c.child.pid!, 'SIGINT');
    const e = await c.exit;
    const out = c.out();
    assert.equal(e.code, 130, out);
    assert.match(out, /quitting at once on a third stop signal\. Hosts may be on different configs.*run 'haconf deploy --recover'/s);
    assert.ok(fs.existsSync(journal), 'the journal stays');
    const rb = await cliDone(['--recover', '--rollback']);
    assert.equal(rb.code, 0, rb.out);
    assert.deepEqual(await remoteState(), before);
    assert.deepEqual(await debris(), []);
    assert.ok(!fs.existsSync(journal));
    assert.equal(await lab.vipHolder(), 'lb1');
  });

  /** The language server over stdio, started a deploy, with the confirmation answered yes. */
  async function lspDeploy(): Promise<{
    proc: ChildProcess;
    conn: ReturnType<typeof createMessageConnection>;
    events: string[];
    result: Promise<{ outcome: string; message: string; hosts: { host: string; state: string }[] }>;
    exited: Promise<number | null>;
  }> {
    const proc = spawn(process.execPath, ['--import', TSX, MAIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const events: string[] = [];
    conn.onNotification('haconf/deployEvent', (e: { type: string; host?: string; step?: string; status?: string; phase?: string }) => {
      events.push(e.type === 'host' ? `${e.host} ${e.step} ${e.status}` : `${e.type} ${e.phase ?? ''}`);
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('haconf/deployConfirm', () => true);
    conn.onError(() => undefined);
    conn.listen();
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: `file://${ws}`, workspaceFolders: [{ uri: `file://${ws}`, name: 'ws' }], capabilities: {} });
    conn.sendNotification('initialized', {});
    const result = conn.sendRequest('haconf/deploy', { manifest, dryRun: false }) as Promise<{ outcome: string; message: string; hosts: { host: string; state: string }[] }>;
    result.catch(() => undefined);
    await waitFor(`lb3 install ok in ${events.join(', ')}`, 60000, () => (events.includes('lb3 install ok') ? true : undefined), 20);
    return { proc, conn, events, result, exited };
  }

  it('the language server asked to shut down mid-rollout rolls back before it answers, then exits', async () => {
    changeWorkspace();
    const before = await remoteState();
    const s = await lspDeploy();
    const t0 = performance.now();
    await s.conn.sendRequest('shutdown');
    report.push(`LSP shutdown mid-rollout answered after the rollback: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const res = await s.result;
    assert.equal(res.outcome, 'cancelled', res.message);
    assert.deepEqual(Object.fromEntries(res.hosts.map((h) => [h.host, h.state])), { lb3: 'rolled-back', lb2: 'not-started', lb1: 'not-started' });
    assert.ok(s.events.includes('lb3 restore ok'));
    await assertRolledBack(before, 'LSP shutdown');
    s.conn.sendNotification('exit');
    assert.equal(await s.exited, 0);
    s.conn.dispose();
  });

  it('the language server losing its client mid-rollout (stdin closed, as when the window goes) rolls back, then exits', async () => {
    changeWorkspace();
    const before = await remoteState();
    const s = await lspDeploy();
    s.conn.dispose();
    s.proc.stdin!.end();
    const code = await s.exited;
    assert.equal(code, 1, 'no shutdown request came: exit 1, as vscode-languageserver reports it');
    await assertRolledBack(before, 'LSP client gone');
  });
});
