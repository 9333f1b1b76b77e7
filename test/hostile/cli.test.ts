// Hostile inputs against the CLI as a real process: `haconf check --format json` must exit 0 or 1, print
// one valid JSON document, never a stack trace, and finish in seconds. stdin stays open the whole time,
// so a read of /proc/self/fd/0 would hang the run instead of passing by luck.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { cliBundle } from './bundle';
import { HOSTILE_CASES, materialise } from './cases';

/** Wall-clock bound per run; generous for a loaded 2-core CI machine, far below "hangs". */
const LIMIT_MS = 20000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [cliBundle(), ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    proc.stdout.on('data', (b: Buffer) => out.push(b));
    proc.stderr.on('data', (b: Buffer) => err.push(b));
    const killer = setTimeout(() => proc.kill('SIGKILL'), LIMIT_MS);
    proc.on('close', (code, signal) => {
      clearTimeout(killer);
      proc.stdin.destroy();
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: performance.now() - t0 });
    });
  });
}

for (const c of HOSTILE_CASES) {
  test(`CLI survives: ${c.name}`, async () => {
    const w = materialise(c);
    dirs.push(w.dir);
    const r = await runCli(['check', '--format', 'json', w.target], w.dir);
    assert.equal(r.signal, null, `killed after ${LIMIT_MS} ms (${r.signal}); stderr: ${r.stderr.slice(0, 1000)}`);
    assert.ok(r.code === 0 || r.code === 1, `exit code ${r.code}; stderr: ${r.stderr.slice(0, 2000)}`);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n|internal error/, 'stack trace or internal error on stderr');
    const json = JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; message: string }[] };
    assert.ok(Array.isArray(json.diagnostics), 'JSON without a diagnostics list');
    for (const d of json.diagnostics) assert.doesNotMatch(d.message, /internal error/, `${d.file}:${d.line}: ${d.message}`);
    assert.ok(r.ms < LIMIT_MS, `took ${r.ms.toFixed(0)} ms`);
  });
}
