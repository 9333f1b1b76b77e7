// A manifest source that leads to a kernel file (/proc/kmsg never ends; /proc/self/environ holds secrets)
// must be refused at once by the deploy's local read and by pull's local hash, never read. Run in a child
// process: a blocking read would stop this process's own timers too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function inChild(code: string): { status: number | null; out: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 20000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, timedOut: r.error !== undefined || r.signal !== null };
}

test('deploy readLocal refuses a source linked to /proc/kmsg or /proc/self/environ at once, quoting nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-pseudo-'));
  try {
    for (const target of ['/proc/kmsg', '/proc/self/environ']) {
      const link = path.join(dir, `${path.basename(target)}.cfg`);
      fs.symlinkSync(target, link);
      const r = inChild(`
        const { readLocal } = require('./server/src/deploy/plan.ts');
        try {
          readLocal({ source: ${JSON.stringify(path.basename(link))}, sourceAbs: ${JSON.stringify(link)}, kind: 'haproxy' });
          console.log('READ');
        } catch (e) { console.log('REFUSED ' + e.message); }
      `);
      assert.equal(r.timedOut, false, `reading ${target} blocked: ${r.out}`);
      assert.match(r.out, /REFUSED source \S+: \S+ is under \/proc \(devices and kernel state\), not a config file; it is not read/, r.out);
      assert.doesNotMatch(r.out, /PATH=|HOME=/, 'nothing of the environment is shown');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
