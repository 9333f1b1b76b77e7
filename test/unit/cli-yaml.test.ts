// `haconf check x.yaml`: a YAML file named on the command line is a manifest under another name, or it is
// refused with a clear message; it is never parsed as corosync because its `key: value` lines look alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempTree } from '../helpers/tmp';

test('check x.yaml: a manifest of another name is checked as a manifest; other YAML is refused', async (tt) => {
  const dir = tempTree({
    'staging.yaml': 'cluster: staging\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - { source: missing.cfg, target: /etc/haproxy/haproxy.cfg }\n',
    'ci.yaml': 'name: build\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
  });
  tt.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const m = await runCli(['check', 'staging.yaml', '--format', 'json'], dir);
  const codes = (JSON.parse(m.stdout) as { diagnostics: { code: string; file: string }[] }).diagnostics.map((d) => d.code);
  assert.deepEqual(codes, ['manifest/missing-source'], 'checked as a manifest (its missing source is found), no corosync finding');
  assert.equal(m.code, 1);
  const other = await runCli(['check', 'ci.yaml'], dir);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /ci\.yaml: a YAML file that is not a haconf manifest \(no top-level hosts: or cluster:\)/);
  assert.doesNotMatch(other.stdout, /corosync\//);
  // --lang is the user's explicit choice: then it is checked as that language.
  const forced = await runCli(['check', 'ci.yaml', '--lang', 'corosync'], dir);
  assert.match(forced.stdout, /corosync\//);
  assert.ok(fs.existsSync(path.join(dir, 'ci.yaml')));
});
