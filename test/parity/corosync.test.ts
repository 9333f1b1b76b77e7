// Runs the real `corosync -t -c FILE` (3.1.7) on every fixture under test/fixtures/corosync/ and checks
// that it and haconf agree: the tool refuses the file exactly when we report an error. The `only-*`
// fixtures hold faults the tool accepts and only we report.
//
// How the tool is made to judge a fixture here without touching /etc/corosync:
// - every fixture lists 127.0.0.1 as a node, so corosync finds "the local node" on any machine;
// - crypto fixtures name their key as `keyfile: AUTHKEY_PATH`; the test writes a 128-byte key to a temporary
//   directory and substitutes its path in a temporary copy (same line count, so line numbers still match).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { parseCorosync } from '../../server/src/corosync/parser';
import { checkCorosync } from '../../server/src/corosync';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'corosync');

/** Faults the tool also refuses, with the code we report for each. */
const SHARED: Record<string, string> = {
  'fault-knet-no-nodeid.conf': 'corosync/nodeid-required',
  'fault-duplicate-nodeid.conf': 'corosync/duplicate-node',
  'fault-crypto-udpu.conf': 'corosync/crypto-requires-knet',
  'fault-secauth-udpu.conf': 'corosync/crypto-requires-knet',
  'fault-trailing-comment.conf': 'corosync/invalid-value',
  'fault-missing-brace.conf': 'corosync/syntax',
  'fault-extra-brace.conf': 'corosync/syntax',
  'fault-text-after-brace.conf': 'corosync/syntax',
  'fault-no-colon.conf': 'corosync/syntax',
  'fault-no-nodelist.conf': 'corosync/missing-nodelist',
  'fault-version-missing.conf': 'corosync/invalid-value',
  'fault-bad-transport.conf': 'corosync/invalid-value',
  'fault-logging-true.conf': 'corosync/invalid-value',
  'fault-udpu-two-links.conf': 'corosync/invalid-value',
  'fault-multilink-no-name.conf': 'corosync/missing-nodelist',
  'fault-cipher-without-hash.conf': 'corosync/invalid-value',
};

/** Faults `corosync -t` accepts (rc 0) that we report; the severity says how sure we are. */
const ONLY_OURS: Record<string, { code: string; severity: 'error' | 'warning' }> = {
  // Warnings since issue 15: corosync -t accepts both on 3.1.7, 3.1.9 and 3.1.10, so the severity follows it.
  'only-two-node-three-nodes.conf': { code: 'corosync/two-node-misuse', severity: 'warning' },
  // A warning since issue 15: corosync -t accepts it on every version and the daemon starts with it.
  'only-duplicate-ring0.conf': { code: 'corosync/duplicate-node', severity: 'warning' },
  'only-misspelt-section.conf': { code: 'corosync/unknown-key', severity: 'warning' },
  'only-expected-votes-low.conf': { code: 'corosync/expected-votes', severity: 'warning' },
};

/** Files both accept; our warnings are allowed (the tool warns about bindnetaddr too). */
const VALID = ['valid-knet-2node.conf', 'valid-knet-crypto.conf', 'valid-udpu-3node.conf', 'valid-legacy-keys.conf'];

function requireCorosync(): void {
  const r = spawnSync('corosync', ['-v'], { encoding: 'utf8' });
  if (r.error || !/version '3\./.test(r.stdout + r.stderr)) {
    assert.fail(`corosync 3.x is required for the parity test (apt-get install corosync); got: ${r.error?.message ?? (r.stdout + r.stderr).slice(0, 200)}`);
  }
}

let workDir: string | undefined;
function tool(file: string): { rc: number; output: string } {
  if (!workDir) {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-corosync-'));
    fs.writeFileSync(path.join(workDir, 'authkey'), crypto.randomBytes(128), { mode: 0o400 });
  }
  const copy = path.join(workDir, path.basename(file));
  fs.writeFileSync(copy, fs.readFileSync(file, 'utf8').replace(/AUTHKEY_PATH/g, path.join(workDir, 'authkey')));
  const r = spawnSync('corosync', ['-t', '-c', copy], { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return { rc: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

function ours(file: string) {
  return checkCorosync(parseCorosync(file, fs.readFileSync(file, 'utf8')));
}

test('corosync is installed', () => requireCorosync());

test('every fixture is covered by this test', () => {
  const listed = new Set([...Object.keys(SHARED), ...Object.keys(ONLY_OURS), ...VALID]);
  const present = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.conf'));
  assert.deepEqual(
    present.filter((f) => !listed.has(f)),
    [],
  );
  assert.deepEqual(
    [...listed].filter((f) => !present.includes(f)),
    [],
  );
});

for (const name of VALID) {
  test(`valid: ${name} passes corosync -t and has no error of ours`, () => {
    requireCorosync();
    const file = path.join(FIXTURES, name);
    const t = tool(file);
    assert.equal(t.rc, 0, t.output);
    const errors = ours(file).filter((d) => d.severity === 'error');
    assert.deepEqual(errors, []);
  });
}

for (const [name, code] of Object.entries(SHARED)) {
  test(`agree: ${name} is refused by corosync -t and by us (${code})`, () => {
    requireCorosync();
    const file = path.join(FIXTURES, name);
    const t = tool(file);
    assert.notEqual(t.rc, 0, `corosync -t accepted ${name}: ${t.output}`);
    const errors = ours(file).filter((d) => d.severity === 'error');
    assert.ok(
      errors.some((d) => d.code === code),
      `expected ${code}, got ${JSON.stringify(errors.map((d) => `${d.code}: ${d.message}`))}`,
    );
  });
}

for (const [name, want] of Object.entries(ONLY_OURS)) {
  test(`only ours: ${name} passes corosync -t but we report ${want.code}`, () => {
    requireCorosync();
    const file = path.join(FIXTURES, name);
    const t = tool(file);
    assert.equal(t.rc, 0, `corosync -t now refuses ${name}; move it to SHARED: ${t.output}`);
    const found = ours(file).filter((d) => d.code === want.code);
    assert.ok(found.length > 0, `${want.code} not reported`);
    assert.equal(found[0].severity, want.severity);
  });
}

test('bindnetaddr next to a nodelist: the tool warns, and so do we', () => {
  requireCorosync();
  const file = path.join(FIXTURES, 'valid-legacy-keys.conf');
  const t = tool(file);
  assert.match(t.output, /bindnetaddr is used together with nodelist/);
  const ds = ours(file).filter((d) => d.code === 'corosync/bindnetaddr-ignored');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].severity, 'warning');
});

test.after(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});
