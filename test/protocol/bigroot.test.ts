// A root folder far too big for a workspace (`/`, a home directory): here a generated tree of 25,000
// haproxy*.cfg files. The open document gets its diagnostics first, requests are answered while the
// scan runs, memory stays bounded, the scan stops at its limit with one short message; and the server
// exits when its editor dies even while it is scanning (issue 12, item 9).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { startServer, uri, type TestServer } from './client';
import { EDITOR_SCAN_LIMITS } from '../../server/src/services/scan';

const DIRS = 250;
const PER_DIR = 100;
let root: string;

before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-bigroot-')));
  for (let d = 0; d < DIRS; d++) {
    const dir = path.join(root, `project-${d}`, 'deploy');
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < PER_DIR; i++) {
      fs.writeFileSync(
        path.join(dir, `haproxy-${i}.cfg`),
        `defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\nfrontend f${i}\n    bind :${8000 + i}\n    default_backend b${i}\nbackend b${i}\n    server s1 10.${d % 250}.${i % 250}.1:80 check\n`,
      );
    }
  }
  fs.writeFileSync(path.join(root, 'haproxy.cfg'), 'frontend edge\n    bindd :80\n');
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Resident set size of a process in MB (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

test('a huge root: the open document is checked first, requests answer during the scan, memory is bounded, one short message', async () => {
  let srv: TestServer | undefined;
  let peak = 0;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const t0 = performance.now();
    srv = await startServer(root);
    const pid = srv.proc.pid!;
    sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssMb(pid));
      } catch {
        // the process is gone; the assertions below say so
      }
    }, 50);
    const open = path.join(root, 'haproxy.cfg');
    srv.open(open, 'haproxy', 'frontend edge\n    bindd :80\n');
    await srv.waitForDiagnostics(uri(open), (ds) => ds.some((d) => d.code === 'haproxy/unknown-keyword'), 20000);
    const firstMs = performance.now() - t0;
    // While the scan runs, hovers keep being answered quickly.
    const hoverMs: number[] = [];
    while (srv.messages.length === 0 && performance.now() - t0 < 60000) {
      const h0 = performance.now();
      if (srv.proc.exitCode !== null) assert.fail(`server died: ${srv.stderr.join('').slice(0, 3000)}`);
      await srv.request('textDocument/hover', { textDocument: { uri: uri(open) }, position: { line: 0, character: 2 } });
      hoverMs.push(performance.now() - h0);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Another second for a repeated message to show up, if the server were to send one.
    await new Promise((r) => setTimeout(r, 1000));
    const slowest = Math.max(...hoverMs);
    console.log(
      `huge root: first diagnostics ${firstMs.toFixed(0)} ms, ${hoverMs.length} hovers during the scan, slowest ${slowest.toFixed(0)} ms, peak RSS ${peak.toFixed(0)} MB; message: ${srv.messages.join(' | ')}`,
    );
    assert.equal(srv.proc.exitCode, null, `server alive: ${srv.stderr.join('').slice(0, 3000)}`);
    assert.ok(firstMs < 4000, `open document diagnosed in ${firstMs.toFixed(0)} ms (before: ~7,300 ms, after the whole scan)`);
    assert.equal(srv.messages.length, 1, `one message: ${srv.messages.map((m) => m.slice(0, 200)).join(' | ')}`);
    assert.ok(srv.messages[0].length <= 300, `a short message (${srv.messages[0].length} characters)`);
    assert.match(srv.messages[0], new RegExp(`stopped at ${EDITOR_SCAN_LIMITS.maxFiles} config files`));
    assert.match(srv.messages[0], /project-\d+/, 'says where it stopped');
    assert.ok(hoverMs.length >= 3, `requests were answered during the scan (${hoverMs.length})`);
    assert.ok(slowest < 1500, `slowest hover during the scan ${slowest.toFixed(0)} ms`);
    assert.ok(peak < 300, `peak RSS ${peak.toFixed(0)} MB (before: ~420 MB)`);
    assert.equal(srv.proc.exitCode, null, 'still running');
  } finally {
    clearInterval(sampler);
    await srv?.stop();
  }
});

test('the server exits when its editor process dies, even in the middle of a scan', async () => {
  // A stand-in editor: its pid goes into initialize; the test keeps the server's stdin open, as an editor
  // killed with SIGKILL behind a wrapper would.
  const editor = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  let srv: TestServer | undefined;
  try {
    srv = await startServer(root, undefined, undefined, { processId: editor.pid });
    const exited = new Promise<number>((resolve) => srv!.proc.on('exit', () => resolve(performance.now())));
    // The scan has started; the editor dies.
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = performance.now();
    editor.kill('SIGKILL');
    const gone = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 8000))]);
    assert.ok(gone !== undefined, 'the server is still running 8 s after its editor died');
    const ms = gone - killedAt;
    console.log(`server exited ${ms.toFixed(0)} ms after its editor died`);
    assert.ok(ms < 3500, `exited ${ms.toFixed(0)} ms after the editor died`);
  } finally {
    editor.kill('SIGKILL');
    await srv?.stop();
  }
});
