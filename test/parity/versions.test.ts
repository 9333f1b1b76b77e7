// Parity on every real tool version (test/versions.ts): each fixture under test/fixtures/<tool> is judged
// by the binary of every version we have (host Debian 12, Debian 13 and testing roots) and by haconf set to
// that version. The verdicts must agree (the tool refuses ⇔ we report an error; for keepalived also the
// warnings keepalived -t itself exits non-zero on), except the disagreements below, which hold on every
// version and are explained in docs/parity.md. The per-tool parity tests (haproxy.test.ts, …) look at the
// host's version in more detail (codes, messages); this one makes sure the newer binaries agree too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkFile } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';
import { accepts, cleanupVersions, corosyncEtc, label, requireVersions, runCorosyncEtc, runTool, toolVersions, type Tool, type ToolVersion } from '../versions';

const TOOLS: Tool[] = ['haproxy', 'keepalived', 'corosync'];
const KEEPALIVED_NONZERO_WARNINGS = new Set(['keepalived/auth-pass-truncated', 'keepalived/nopreempt-master', 'keepalived/script-security']);

/** Fixture → the side that rejects alone, on every version. */
const DISAGREE: Record<string, 'haconf' | 'tool'> = {
  // Stricter on purpose (haproxy.test.ts HACONF_ONLY): values that break at run time.
  'haproxy/check-port-out-of-range.cfg': 'haconf',
  'haproxy/maxconn-not-number.cfg': 'haconf',
  // keepalived.test.ts STRICTER: keepalived cuts the password at 8 characters and runs.
  'keepalived/auth-pass-cut.conf': 'haconf',
};

after(() => cleanupVersions());

test('every tool version is present (test/setup.sh builds the Debian roots)', () => requireVersions());

function toolRejects(v: ToolVersion, file: string): { rejects: boolean; output: string } {
  if (v.tool !== 'corosync') {
    const r = runTool(v, file);
    return { rejects: !accepts(v, r), output: r.output };
  }
  // Crypto fixtures name their key AUTHKEY_PATH (corosync.test.ts); the private /etc/corosync holds one.
  const etc = corosyncEtc();
  fs.writeFileSync(path.join(etc, 'corosync.conf'), fs.readFileSync(file, 'utf8').replace(/AUTHKEY_PATH/g, '/etc/corosync/authkey'));
  const r = runCorosyncEtc(v, etc);
  fs.rmSync(etc, { recursive: true, force: true });
  return { rejects: r.status !== 0, output: r.output };
}

function weReject(v: ToolVersion, file: string): { rejects: boolean; summary: string } {
  const r = checkFile(file, defaultCheckOptions(v.tool === 'haproxy' ? { haproxyVersion: v.target } : v.tool === 'keepalived' ? { keepalivedVersion: v.target } : {}), new NodeSourceHost(), v.tool);
  if ('error' in r) throw new Error(r.error);
  const counted = r.diagnostics.filter((d) => d.severity === 'error' || (v.tool === 'keepalived' && KEEPALIVED_NONZERO_WARNINGS.has(d.code)));
  return { rejects: counted.length > 0, summary: r.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.severity} ${d.code} ${d.message}`).join('\n') };
}

for (const tool of TOOLS) {
  const dir = path.join(__dirname, '..', 'fixtures', tool);
  const fixtures = fs
    .readdirSync(dir)
    .filter((f) => /\.(cfg|conf)$/.test(f))
    .sort();
  for (const v of toolVersions(tool)) {
    test(`parity on ${label(v)}: every fixture`, () => {
      requireVersions([tool]);
      assert.ok(fixtures.length >= 10, `only ${fixtures.length} ${tool} fixtures`);
      const problems: string[] = [];
      for (const f of fixtures) {
        const file = path.join(dir, f);
        const t = toolRejects(v, file);
        const we = weReject(v, file);
        const expected = DISAGREE[`${tool}/${f}`];
        if (t.rejects === we.rejects) {
          if (expected) problems.push(`${f}: both sides now agree (${t.rejects ? 'reject' : 'accept'}); remove it from DISAGREE`);
          continue;
        }
        const alone = we.rejects ? 'haconf' : 'tool';
        if (expected === alone) continue;
        problems.push(
          `${f}: ${label(v)} ${t.rejects ? 'rejects' : 'accepts'} it, haconf ${we.rejects ? 'reports an error' : 'reports no error'}\n  tool: ${t.output.split('\n').slice(0, 3).join(' | ')}\n  haconf:\n${we.summary}`,
        );
      }
      assert.deepEqual(problems, []);
    });
  }
}
