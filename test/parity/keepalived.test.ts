// Parity with the real checker: `keepalived -t -l -f FILE` (keepalived 2.2.7) on every fixture under
// test/fixtures/keepalived. Each line the tool prints is classified into one of our rule codes; wherever
// the tool reports a fault we must report that code. Lines about the machine (missing interfaces, the
// keepalived_script user) are environment, not configuration, and are ignored. Where we are stricter than
// the tool on purpose, the fixture is listed in STRICTER with the code only we report.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkFile } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';

const DIR = path.join(__dirname, '..', 'fixtures', 'keepalived');

/** Tool output → our code. Order matters: the first match wins. */
const CLASSIFY: [RegExp, string | null][] = [
  // Environment: interfaces or users this machine lacks.
  [/doesn't exist|loopback interface|Non-existent interface|Unable to set default user|keepalived_script/, null],
  [/missing '\}'s or extra '\{'s|Extra '\}' found|Unknown keyword '[{}]'/, 'keepalived/syntax'],
  [/Unknown keyword/, 'keepalived/unknown-keyword'],
  [/Truncating auth_pass/, 'keepalived/auth-pass-truncated'],
  [/nopreempt will not work with initial state MASTER/, 'keepalived/nopreempt-master'],
  [/track script .* not found/, 'keepalived/undefined-reference'],
  [/SECURITY VIOLATION/, 'keepalived/script-security'],
  [/with weights due to address_owner/, 'keepalived/address-owner-weight'],
  [/does not support authentication/, 'keepalived/auth-unsupported'],
  [/incompatible with AH authentication/, 'keepalived/auth-type-ah'],
  [/outside range|not valid|must be in \[|must be set|unknown state|unknown authentication type|invalid IP|malformed|No VIP specified|Invalid address/, 'keepalived/invalid-value'],
];

/** Findings we make on purpose where keepalived -t stays silent (config-facts: "Misses"). */
const STRICTER: Record<string, string[]> = {
  'relative-script.conf': ['keepalived/script-not-absolute'],
  'auth-pass-cut.conf': ['keepalived/auth-pass-truncated'],
  'nopreempt-weight.conf': ['keepalived/nopreempt-with-weight'],
  // keepalived 2.2.7 accepts a VIP listed twice; 2.3 refuses it (a warning at 2.2, versions.test.ts checks 2.3).
  'since-2.3-duplicate-vip.conf': ['keepalived/invalid-value'],
};

/**
 * Tool findings that are only knock-on effects of another fault we report. With a missing `}`, keepalived
 * reads the next vrrp_instance as lines of virtual_ipaddress ("VRRP parsed invalid IP state"); we recover
 * at the next top-level block instead and report the missing `}` alone.
 */
const CONSEQUENCES: Record<string, string[]> = {
  'missing-brace.conf': ['keepalived/invalid-value'],
};

function keepalivedBinary(): string {
  const r = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  if (r.error || (r.status !== 0 && r.status !== null && !(r.stderr + r.stdout).includes('Keepalived'))) {
    throw new Error('keepalived is not installed (apt-get install keepalived); the parity test needs the real binary');
  }
  return 'keepalived';
}

function toolCodes(file: string): { codes: Set<string>; rc: number; unclassified: string[] } {
  const r = spawnSync(keepalivedBinary(), ['-t', '-l', '-f', file], { encoding: 'utf8', timeout: 20000 });
  const codes = new Set<string>();
  const unclassified: string[] = [];
  for (const line of `${r.stdout ?? ''}\n${r.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const hit = CLASSIFY.find(([re]) => re.test(line));
    if (!hit) unclassified.push(line);
    else if (hit[1]) codes.add(hit[1]);
  }
  return { codes, rc: r.status ?? -1, unclassified };
}

function ourCodes(file: string): Set<string> {
  // The host's keepalived is 2.2.7: keywords added in 2.3 are unknown to it (since-2.3-keywords.conf).
  const r = checkFile(file, defaultCheckOptions({ keepalivedVersion: '2.2' }), new NodeSourceHost(), 'keepalived');
  if ('error' in r) throw new Error(r.error);
  return new Set(r.diagnostics.map((d) => d.code));
}

const fixtures = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.conf'))
  .sort();

test('keepalived binary is available', () => {
  assert.equal(keepalivedBinary(), 'keepalived');
});

test('there are valid and faulty fixtures', () => {
  assert.ok(fixtures.filter((f) => f.startsWith('valid-')).length >= 3);
  assert.ok(fixtures.length >= 20);
});

for (const name of fixtures) {
  test(`parity: ${name}`, () => {
    const file = path.join(DIR, name);
    const tool = toolCodes(file);
    assert.deepEqual(tool.unclassified, [], `keepalived printed lines this test cannot classify for ${name}`);
    const ours = ourCodes(file);
    for (const code of tool.codes) {
      if (CONSEQUENCES[name]?.includes(code)) continue;
      assert.ok(ours.has(code), `keepalived reports ${code} on ${name}; we report [${[...ours].join(', ')}]`);
    }
    for (const code of CONSEQUENCES[name] ?? []) assert.ok(tool.codes.has(code), `${name}: keepalived no longer reports ${code}; drop it from CONSEQUENCES`);
    const stricter = STRICTER[name] ?? [];
    for (const code of stricter) {
      assert.ok(ours.has(code), `${name}: we should report ${code}`);
      assert.ok(!tool.codes.has(code), `${name}: keepalived now reports ${code} itself; move it out of STRICTER`);
    }
    if (name.startsWith('valid-')) {
      assert.equal(tool.codes.size, 0, `keepalived finds faults in ${name}: ${[...tool.codes].join(', ')}`);
      assert.deepEqual([...ours], [], `we report findings on valid fixture ${name}`);
    } else {
      const extra = [...ours].filter((c) => !tool.codes.has(c) && !stricter.includes(c));
      assert.deepEqual(extra, [], `${name}: we report codes keepalived does not (add them to STRICTER if on purpose)`);
      assert.ok(ours.size > 0, `${name} is a fault fixture but we report nothing`);
    }
  });
}
