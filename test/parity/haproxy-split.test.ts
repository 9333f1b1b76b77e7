// Split HAProxy configurations (test/fixtures/haproxy-split): the real `haproxy -c -f DIR` (and the same
// files as several `-f`, in the order haconf reads them) against `haconf check DIR`. The tool fails ⇔ we
// report an error; the proxies haproxy warns "missing timeouts" for are exactly those we flag
// haproxy/missing-timeout; a split haproxy accepts gets no undefined-reference at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectFiles } from '../../server/src/engine/collect';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';
import { runCli } from '../helpers/cli';

const DIR = path.resolve(__dirname, '../fixtures/haproxy-split');

interface Case {
  /** Folder given to haconf check. */
  folder: string;
  /** haproxy's -f arguments, relative to DIR. */
  args: string[];
  valid: boolean;
}

const CASES: Case[] = [
  { folder: 'valid-conf.d', args: ['valid-conf.d'], valid: true },
  { folder: 'valid-main', args: ['valid-main/haproxy.cfg', 'valid-main/conf.d'], valid: true },
  { folder: 'valid-order.d', args: ['valid-order.d'], valid: true },
  { folder: 'invalid-split.d', args: ['invalid-split.d'], valid: false },
  // A named defaults section with rules taken by a frontend in one file and a backend in the next.
  { folder: 'invalid-shared-defaults.d', args: ['invalid-shared-defaults.d'], valid: false },
  { folder: 'valid-rules-defaults.d', args: ['valid-rules-defaults.d'], valid: true },
];

function haproxy(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('haproxy', ['-c', '-dr', ...args.flatMap((a) => ['-f', a])], { cwd: DIR, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw new Error(`haproxy is not runnable (${r.error.message}); install it: apt-get install haproxy`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** `frontend 'f'` names from haproxy's "missing timeouts for frontend 'f'" warnings. */
function warnedTimeouts(output: string): string[] {
  return [...output.matchAll(/missing timeouts for (frontend|backend|proxy) '([^']+)'/g)].map((m) => m[2]).sort();
}

function ours(folder: string) {
  const found = collectFiles([path.join(DIR, folder)]);
  const result = checkWorkspace({ files: found.files, manifests: found.manifests }, defaultCheckOptions({ haproxyVersion: '2.6' }), new NodeSourceHost());
  return result;
}

test('haproxy 2.6 is installed', () => {
  const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'haproxy binary missing: apt-get install haproxy');
  assert.match(r.stdout, /HAProxy version 2\.6/);
});

for (const c of CASES) {
  test(`split parity: haproxy -c ${c.args.map((a) => `-f ${a}`).join(' ')} vs haconf check ${c.folder}`, () => {
    const tool = haproxy(c.args);
    assert.equal(tool.ok, c.valid, `haproxy -c verdict changed for ${c.folder}:\n${tool.output}`);
    const result = ours(c.folder);
    const summary = result.diagnostics.map((d) => `${path.relative(DIR, d.file)}:${d.range.start.line + 1} ${d.code} ${d.message}`).join('\n');
    assert.equal(result.haproxySets.length, 1, `one split configuration recognised in ${c.folder}:\n${JSON.stringify(result.haproxySets)}`);
    const set = result.haproxySets[0];
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (tool.ok) {
      assert.deepEqual(errors, [], `haproxy -c accepts ${c.folder} but we report errors:\n${summary}`);
      assert.ok(!result.diagnostics.some((d) => d.code === 'haproxy/undefined-reference'), summary);
    } else assert.ok(errors.length > 0, `haproxy -c rejects ${c.folder} but we report no error:\n${tool.output}`);
    if (tool.ok) {
      const flagged = result.diagnostics
        .filter((d) => d.code === 'haproxy/missing-timeout')
        .map((d) => /'([^']+)'/.exec(d.message)![1])
        .sort();
      assert.deepEqual(flagged, warnedTimeouts(tool.output), `missing-timeout differs from haproxy's warnings:\n${tool.output}\n${summary}`);
    }
    // The same files as several -f in haconf's order give haproxy's verdict and warnings again: our order is its order.
    const explicit = haproxy(set.files.map((f) => path.relative(DIR, f)));
    assert.equal(explicit.ok, tool.ok, explicit.output);
    assert.deepEqual(warnedTimeouts(explicit.output), warnedTimeouts(tool.output), `-f one by one in ${set.files.join(', ')}:\n${explicit.output}`);
  });
}

test('haproxy reads a directory in byte order: B-frontend.cfg before a-defaults.cfg', () => {
  const set = ours('valid-order.d').haproxySets[0];
  assert.deepEqual(
    set.files.map((f) => path.basename(f)),
    ['B-frontend.cfg', 'a-defaults.cfg'],
  );
  // Read the other way round, the defaults cover the frontend and haproxy stops warning: order matters.
  const reversed = haproxy(['valid-order.d/a-defaults.cfg', 'valid-order.d/B-frontend.cfg']);
  assert.equal(reversed.ok, true, reversed.output);
  assert.deepEqual(warnedTimeouts(reversed.output), []);
});

test('haconf check DIR exits 0 on a split haproxy accepts, 1 on one it rejects', async () => {
  const ok = await runCli(['check', 'valid-conf.d'], DIR);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.doesNotMatch(ok.stdout, /undefined-reference|missing-timeout/);
  const main = await runCli(['check', 'valid-main'], DIR);
  assert.equal(main.code, 0, main.stdout + main.stderr);
  const bad = await runCli(['check', 'invalid-split.d'], DIR);
  assert.equal(bad.code, 1, bad.stdout);
  assert.match(bad.stdout, /b\.cfg:1:9 error backend 'be_app' has the same name as the backend in a\.cfg on line 11/);
});

// Mutations: each valid split with one of its files left out (a forgotten file, a file renamed to .bak).
// Backends, userlists, `from` defaults and the defaults in force go missing in turn; haproxy and haconf
// must still agree on the verdict and on which proxies lack timeouts.
for (const c of CASES.filter((x) => x.valid)) {
  const members = ours(c.folder).haproxySets[0].files.map((f) => path.relative(DIR, f));
  // A file named by its own -f cannot be left out (haproxy would fail to open it): only directory members.
  for (const dropped of members.filter((m) => !c.args.includes(m))) {
    test(`split parity without ${dropped}`, () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-split-drop-'));
      try {
        for (const m of members) {
          if (m === dropped) continue;
          fs.mkdirSync(path.dirname(path.join(tmp, m)), { recursive: true });
          fs.copyFileSync(path.join(DIR, m), path.join(tmp, m));
        }
        const r = spawnSync('haproxy', ['-c', '-dr', ...c.args.flatMap((a) => ['-f', a])], { cwd: tmp, encoding: 'utf8', timeout: 30000 });
        const tool = { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
        const found = collectFiles([path.join(tmp, c.folder)]);
        const result = checkWorkspace({ files: found.files, manifests: found.manifests }, defaultCheckOptions({ haproxyVersion: '2.6' }), new NodeSourceHost());
        const summary = result.diagnostics.map((d) => `${path.relative(tmp, d.file)}:${d.range.start.line + 1} ${d.code} ${d.message}`).join('\n');
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (tool.ok) {
          assert.deepEqual(errors, [], `haproxy -c accepts the split without ${dropped} but we report errors:\n${summary}`);
          const flagged = result.diagnostics
            .filter((d) => d.code === 'haproxy/missing-timeout')
            .map((d) => /'([^']+)'/.exec(d.message)![1])
            .sort();
          assert.deepEqual(flagged, warnedTimeouts(tool.output), `missing-timeout differs from haproxy's warnings:\n${tool.output}\n${summary}`);
        } else assert.ok(errors.length > 0, `haproxy -c rejects the split without ${dropped} but we report no error:\n${tool.output}\n${summary}`);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
}
