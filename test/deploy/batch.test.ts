// Batches: several remote calls in one session (one ssh round trip). The batch script runs here under the
// local sh exactly as a host's login shell would run it, so framing, stdin splitting, stop-at-first-failure
// and quoting are tested for real; then whole deploys go through a batching transport. No root needed.
// Run: node --import tsx --test test/deploy/batch.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { calls, candidateName, parseBatch, renderBatch, type RemoteCall } from '../../server/src/deploy/scripts';
import { shQuote } from '../../server/src/deploy/quote';
import type { BatchStep, RemoteHost, RunOptions, RunResult } from '../../server/src/deploy/transport';
import { deploy } from '../../server/src/deploy/deploy';
import { collect, leftovers, LocalShellTransport, makeWorkspace, runLocal, type Workspace } from './fixture';

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

const token = (): string => crypto.randomBytes(16).toString('hex');

async function batch(steps: BatchStep[], opts: RunOptions = {}): Promise<{ raw: RunResult } & ReturnType<typeof parseBatch>> {
  const tok = token();
  const raw = await runLocal(
    renderBatch(
      steps.map((s) => ({ call: s.call, stdinBytes: s.stdin?.length })),
      tok,
    ),
    { ...opts, stdin: Buffer.concat(steps.flatMap((s) => (s.stdin ? [s.stdin] : []))) },
  );
  return { raw, ...parseBatch(raw.stdout, raw.stderr, tok) };
}

function tmpdir(t: { after: (fn: () => void) => void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-batch-'));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

test('a batch splits stdin exactly between uploads and returns binary output intact, step by step', async (t) => {
  const d = tmpdir(t);
  const a = Buffer.from('first file\n'.repeat(5000));
  const b = Buffer.concat([Buffer.from([0, 1, 2, 255, 10, 0]), crypto.randomBytes(70000)]); // NULs, no final newline
  const ta = path.join(d, 'a.cfg');
  const tb = path.join(d, 'b.cfg');
  const ca = candidateName(ta, 'aa01');
  const cb = candidateName(tb, 'bb02');
  fs.writeFileSync(tb, b);
  const { raw, frames } = await batch([
    { call: calls.stage(ta, ca, sha(a)), stdin: a },
    { call: calls.exec(`test -s ${shQuote(ca)} && echo validated`) },
    { call: calls.stage(tb, cb, sha(b)), stdin: b },
    { call: calls.read(tb) },
  ]);
  assert.equal(raw.code, 0, raw.stderr);
  assert.deepEqual(
    frames.map((f) => [f.index, f.code]),
    [
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
    ],
  );
  assert.deepEqual(fs.readFileSync(ca), a, 'the first upload got exactly its bytes');
  assert.deepEqual(fs.readFileSync(cb), b, 'the second upload got exactly the rest');
  assert.equal(fs.statSync(ca).mode & 0o777, 0o600);
  assert.equal(frames[1].stdout.toString(), 'validated\n');
  const body = frames[3].stdout.subarray(frames[3].stdout.indexOf(0x0a) + 1);
  assert.match(frames[3].stdout.toString('latin1'), /^HACONF present 6\d\d /);
  assert.deepEqual(body, b, 'binary content survives the framing');
});

test('a batch stops after the first failing step and keeps that step’s own stderr', async (t) => {
  const d = tmpdir(t);
  const marker = path.join(d, 'ran');
  const { frames } = await batch([{ call: calls.exec('echo one') }, { call: calls.exec("echo 'haproxy: [ALERT] bad line' >&2; exit 7") }, { call: calls.exec(`touch ${shQuote(marker)}`) }]);
  assert.deepEqual(
    frames.map((f) => f.code),
    [0, 7],
  );
  assert.equal(frames[1].stderr, 'haproxy: [ALERT] bad line\n');
  assert.equal(fs.existsSync(marker), false, 'nothing after the failure ran');
});

test('values in a batch are never shell syntax, and output cannot fake a step boundary', async (t) => {
  const d = tmpdir(t);
  const pwned = path.join(d, 'pwned');
  const hostile = `x'; touch ${pwned}; echo '$(touch ${pwned})\`touch ${pwned}\`\nnext`;
  // A file that imitates the framing with some other token, in both streams.
  const fake = `\n${token()} 1 0\n`;
  const { frames, rest } = await batch([
    { call: { op: 'exec', args: [`printf '%s' ${shQuote(hostile + fake)}; printf '%s' ${shQuote(fake)} >&2`] } as RemoteCall },
    { call: calls.lock(path.join(d, 'lock'), hostile) },
  ]);
  assert.deepEqual(
    frames.map((f) => f.code),
    [0, 0],
  );
  assert.equal(frames[0].stdout.toString(), hostile + fake);
  assert.equal(frames[0].stderr, fake);
  assert.equal(frames[1].stdout.toString(), 'acquired\n');
  assert.equal(rest, '');
  assert.equal(fs.readFileSync(path.join(d, 'lock', 'owner'), 'utf8'), `${hostile}\n`);
  assert.equal(fs.existsSync(pwned), false);
  assert.throws(() => renderBatch([], "abc'; rm -rf /"), /hex/);
});

test('a batch cut mid-upload leaves no candidate, and the parser keeps only complete frames', async (t) => {
  const d = tmpdir(t);
  const big = Buffer.from(`${'y'.repeat(99)}\n`.repeat(40000));
  const target = path.join(d, 'big.cfg');
  const cand = candidateName(target, 'cc03');
  // Only half the bytes arrive, then the session dies (as when ssh is killed).
  const ac = new AbortController();
  const { PassThrough } = await import('node:stream');
  const half = new PassThrough();
  half.write(big.subarray(0, big.length >> 1));
  setTimeout(() => ac.abort(), 300);
  const tok = token();
  const r = await runLocal(renderBatch([{ call: calls.exec('echo before') }, { call: calls.stage(target, cand, sha(big)), stdinBytes: big.length }], tok), { stdin: half, signal: ac.signal });
  const { frames } = parseBatch(r.stdout, r.stderr, tok);
  assert.equal(frames[0]?.code, 0, 'the step before the upload is reported');
  // Killing the local end leaves the remote shell to see its stdin end early: the upload then fails on
  // its hash check, or is never reported; it is never reported as a success.
  assert.ok(frames.length === 1 || (frames.length === 2 && frames[1].code !== 0 && /incomplete/.test(frames[1].stderr)), JSON.stringify(frames.map((f) => [f.index, f.code, f.stderr])));
  // The stage script's own trap removes the candidate when its stdin ends short or it is killed.
  await new Promise((res) => setTimeout(res, 300));
  assert.deepEqual(
    fs.readdirSync(d).filter((f) => f.includes('haconf-new')),
    [],
  );
  assert.equal(fs.existsSync(target), false);
  // A step whose boundary never arrived is left out, not misread; ssh's own words stay in `rest`.
  const tk = token();
  const cut = parseBatch(Buffer.from(`abc\n${tk} 0 0\nhalf a fi`), `\n${tk} 0\nConnection to 10.0.0.1 closed by remote host.\n`, tk);
  assert.deepEqual(
    cut.frames.map((f) => f.stdout.toString()),
    ['abc'],
  );
  assert.equal(cut.rest, 'Connection to 10.0.0.1 closed by remote host.\n');
});

/**
 * The unit fixture's transport, plus runBatch: every batch runs as ONE local `sh` with the real batch
 * script. The simulated probes (VIP, haproxy process) are answered by the fixture and replayed inside the
 * batch, so the session stays one process.
 */
class BatchingTransport extends LocalShellTransport {
  readonly sessions: { host: string; ops: string[] }[] = [];
  async runBatch(host: RemoteHost, steps: BatchStep[], opts: Omit<RunOptions, 'stdin'> = {}): Promise<RunResult[]> {
    this.sessions.push({ host: host.name, ops: steps.map((s) => s.call.op) });
    if (this.unreachable.has(host.name)) return [await this.run(host, steps[0].call)];
    const real: BatchStep[] = [];
    for (const s of steps) {
      this.calls.push({ host: host.name, op: s.call.op, args: s.call.args });
      const o = s.call.op === 'addrs' || s.call.op === 'haproxy-alive' ? await super.run(host, s.call) : await this.override?.(host, s.call, {});
      if (o) {
        if (s.call.op === 'addrs' || s.call.op === 'haproxy-alive') this.calls.pop(); // super.run recorded it
        real.push({ call: calls.exec(`printf '%s' ${shQuote(o.stdout.toString('utf8'))}; printf '%s' ${shQuote(o.stderr)} >&2; exit ${o.code}`) });
      } else real.push(s);
    }
    const tok = token();
    const r = await runLocal(
      renderBatch(
        real.map((s) => ({ call: s.call, stdinBytes: s.stdin?.length })),
        tok,
      ),
      { ...opts, stdin: Buffer.concat(real.flatMap((s) => (s.stdin ? [s.stdin] : []))) },
    );
    return parseBatch(r.stdout, r.stderr, tok).frames.map((f) => ({ code: f.code, stdout: f.stdout, stderr: f.stderr, connectionFailed: false }));
  }
}

function snapshot(ws: Workspace): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of ws.plan.hosts)
    for (const f of ['haproxy.cfg', 'keepalived.conf'] as const) out[`${h.name}/${f}`] = fs.existsSync(ws.remote(h.name, f)) ? fs.readFileSync(ws.remote(h.name, f), 'utf8') : undefined;
  return out;
}

test('a batched deploy: one session per host per phase, same result as call by call', async (t) => {
  const ws = makeWorkspace();
  t.after(ws.cleanup);
  const tr = new BatchingTransport();
  tr.vipHolders = () => ['lb1'];
  const { events, onEvent } = collect();
  const r = await deploy({ manifestPath: ws.manifest, transport: tr, lockDir: ws.lockDir, vrrpGraceMs: 0, onEvent });
  assert.equal(r.outcome, 'success', r.message);
  for (const h of ws.plan.hosts) {
    assert.equal(fs.readFileSync(ws.remote(h.name, 'haproxy.cfg'), 'utf8'), fs.readFileSync(path.join(ws.dir, 'haproxy.cfg'), 'utf8'));
    assert.equal(fs.readFileSync(ws.remote(h.name, 'keepalived.conf'), 'utf8'), fs.readFileSync(path.join(ws.dir, h.name, 'keepalived.conf'), 'utf8'));
    assert.deepEqual(ws.reloads(h.name), ['haproxy', 'keepalived']);
    assert.deepEqual(leftovers(ws, h.name), []);
    const mine = tr.sessions.filter((s) => s.host === h.name).map((s) => s.ops.join('+'));
    assert.deepEqual(
      mine,
      ['lock+read+read+addrs+versions+sweep', 'stage+exec+stage+exec', 'install+install+exec+exec+haproxy-alive'],
      `${h.name}: lock+plan, stage, rollout are one session each (reading the daemons' versions and the sweep of dead runs' candidates ride in the lock session)`,
    );
  }
  // Apart from the batches, only the VIP probes after each host and the unlocks are single calls.
  const single = tr.calls.filter((c) => !['lock', 'read', 'versions', 'sweep', 'stage', 'install', 'exec'].includes(c.op)).map((c) => c.op);
  assert.deepEqual([...new Set(single)].sort(), ['addrs', 'haproxy-alive', 'unlock']);
  assert.equal(tr.ops('unlock').length, 3);
  const order = events.filter((e) => e.type === 'host' && e.step === 'install' && e.status === 'ok').map((e) => (e as { host: string }).host);
  assert.deepEqual([...new Set(order)], ['lb3', 'lb2', 'lb1']);
});

test('batched: a candidate rejected on one host replaces nothing anywhere', async (t) => {
  const ws = makeWorkspace();
  t.after(ws.cleanup);
  const before = snapshot(ws);
  const tr = new BatchingTransport();
  tr.vipHolders = () => ['lb1'];
  tr.override = (host, call) =>
    call.op === 'exec' && host.name === 'lb2' && call.args[0].includes('BROKEN')
      ? { code: 1, stdout: Buffer.alloc(0), stderr: "[ALERT] parsing [haproxy.cfg:9] : unable to load certificate 'x.pem'\n", connectionFailed: false }
      : undefined;
  const r = await deploy({ manifestPath: ws.manifest, transport: tr, lockDir: ws.lockDir, vrrpGraceMs: 0 });
  assert.equal(r.outcome, 'rejected', r.message);
  assert.match(r.message, /lb2 rejected haproxy\.cfg .*\n.*unable to load certificate 'x\.pem'/);
  assert.deepEqual(snapshot(ws), before);
  assert.deepEqual(tr.ops('install'), []);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});

test('batched: a reload failing on the second host rolls both hosts back', async (t) => {
  const ws = makeWorkspace();
  t.after(ws.cleanup);
  const before = snapshot(ws);
  const tr = new BatchingTransport();
  tr.vipHolders = () => ['lb1'];
  let failing = true;
  tr.override = (host, call) => {
    if (failing && host.name === 'lb2' && call.op === 'exec' && call.args[0].startsWith('echo haproxy')) {
      failing = false;
      return { code: 1, stdout: Buffer.alloc(0), stderr: '[ALERT] cannot bind socket [0.0.0.0:8404]\n', connectionFailed: false };
    }
    return undefined;
  };
  const r = await deploy({ manifestPath: ws.manifest, transport: tr, lockDir: ws.lockDir, vrrpGraceMs: 0 });
  assert.equal(r.outcome, 'rolled-back', r.message);
  assert.match(r.message, /lb2: haproxy reload .* failed with exit 1:\n.*cannot bind socket/);
  assert.deepEqual(snapshot(ws), before);
  assert.deepEqual(tr.ops('install', 'lb1'), []);
  // lb2's batch stopped at the failed reload (which wrote nothing): its keepalived was reloaded only by
  // the rollback, after the restore.
  assert.deepEqual(ws.reloads('lb2'), ['haproxy', 'keepalived']);
  const lb2Reloads = tr.sessions.filter((x) => x.host === 'lb2' && x.ops[0] === 'install');
  assert.equal(lb2Reloads.length, 1);
  assert.deepEqual(ws.reloads('lb3'), ['haproxy', 'keepalived', 'haproxy', 'keepalived']);
  for (const h of ws.plan.hosts) assert.deepEqual(leftovers(ws, h.name), []);
});
