// A one-shot command exits as soon as its output is out: a handle some library left open does not keep
// it alive, the exit code is the command's, output piped to a slow reader arrives whole, and a reader
// that goes away early (`haconf check | head -c 100`) ends it quietly, without a stack trace.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliBundle } from './bundle';

const LIMIT_MS = 30000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-exit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** 30,000 unknown keywords: one error each, about 5 MB of text output, exit 1. */
const big = path.join(dir, 'haproxy.cfg');
fs.writeFileSync(
  big,
  ['global', 'defaults', '  mode http', '  timeout connect 5s', '  timeout client 30s', '  timeout server 30s', 'frontend fe', '  bind :80', '  default_backend be', 'backend be']
    .concat(Array.from({ length: 30000 }, (_, k) => `  bogus_keyword_${k} x`))
    .join('\n') + '\n',
);

/** Preloaded into the CLI: an interval nobody clears, as a library might leave behind. */
const linger = path.join(dir, 'linger.cjs');
fs.writeFileSync(linger, 'setInterval(() => {}, 1000);\n');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdoutBytes: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the bundled CLI. `readDelayMs` pauses the reader before it starts reading (a slow consumer: the
 * pipe fills and the CLI must wait); `closeAfterBytes` closes our end once that much arrived (`head -c`).
 */
function runCli(args: string[], o: { nodeArgs?: string[]; readDelayMs?: number; closeAfterBytes?: number; keepAll?: boolean } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), cliBundle(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let bytes = 0;
    const err: Buffer[] = [];
    proc.stderr.on('data', (b: Buffer) => err.push(b));
    proc.stdout.pause();
    setTimeout(() => {
      proc.stdout.on('data', (b: Buffer) => {
        bytes += b.length;
        if (out.length < 4 || o.keepAll) out.push(b);
        if (o.closeAfterBytes !== undefined && bytes >= o.closeAfterBytes) proc.stdout.destroy();
      });
      proc.stdout.resume();
    }, o.readDelayMs ?? 0);
    const killer = setTimeout(() => proc.kill('SIGKILL'), LIMIT_MS);
    proc.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdoutBytes: bytes, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: performance.now() - t0 });
    });
  });
}

test('--version exits at once even with a handle left open, exit 0', async () => {
  const r = await runCli(['--version'], { nodeArgs: ['--require', linger] });
  assert.equal(r.signal, null, `killed after ${LIMIT_MS} ms: a lingering handle kept the CLI alive`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.ok(r.ms < 10000, `took ${r.ms.toFixed(0)} ms`);
});

test('check exits after its output with its own exit code, even with a handle left open', async () => {
  const clean = path.join(dir, 'clean');
  fs.mkdirSync(clean, { recursive: true });
  const ok = await runCli(['check', clean], { nodeArgs: ['--require', linger] });
  assert.equal(ok.signal, null, 'a lingering handle kept `haconf check` alive');
  assert.equal(ok.code, 0, ok.stderr);
  const usage = await runCli(['check', '--format', 'nope'], { nodeArgs: ['--require', linger] });
  assert.equal(usage.signal, null);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /format/);
});

test('large output to a slow reader arrives whole, then exit 1', async () => {
  // The version is given, so stderr stays empty (without it, check names the version it chose there).
  const whole = await runCli(['check', '--haproxy-version', '2.6', big]);
  assert.equal(whole.code, 1, whole.stderr);
  assert.ok(whole.stdoutBytes > 4_000_000, `only ${whole.stdoutBytes} bytes`);
  const slow = await runCli(['check', '--haproxy-version', '2.6', big], { readDelayMs: 1500, nodeArgs: ['--require', linger] });
  assert.equal(slow.signal, null, 'killed: did not exit after the slow reader took everything');
  assert.equal(slow.code, 1, slow.stderr);
  assert.equal(slow.stdoutBytes, whole.stdoutBytes, 'output cut short by the exit');
  assert.equal(slow.stderr, '');
});

test('a non-blocking stdout that fills up (EAGAIN) still gets the whole output, in order', async () => {
  // `check` writes with write(2) on the descriptor. Making process.stdout first (this preload) turns a
  // pipe non-blocking, as another program sharing it could: once the slow reader lets it fill, a write
  // stops part way or fails with EAGAIN, and the rest must go through the stream after what was written:
  // nothing lost, nothing repeated (test/unit/cli-output.test.ts: a character cut at that point stays whole).
  const nonBlocking = path.join(dir, 'nonblocking.cjs');
  fs.writeFileSync(nonBlocking, 'process.stdout;\n');
  const whole = await runCli(['check', '--haproxy-version', '2.6', big], { keepAll: true });
  const slow = await runCli(['check', '--haproxy-version', '2.6', big], { readDelayMs: 1500, keepAll: true, nodeArgs: ['--require', nonBlocking] });
  assert.equal(slow.signal, null);
  assert.equal(slow.code, 1, slow.stderr);
  assert.equal(slow.stderr, '');
  assert.equal(slow.stdoutBytes, whole.stdoutBytes);
  assert.ok(slow.stdout === whole.stdout, 'the same bytes in the same order');
});

test("a reader that stops early (head -c 100) ends the CLI quietly with the check's exit code", async () => {
  const r = await runCli(['check', big], { closeAfterBytes: 100 });
  assert.equal(r.signal, null, 'killed: the CLI hung after its reader went away');
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at .*\(/, `stack trace on stderr:\n${r.stderr.slice(0, 500)}`);
});
