// The lab must refuse loudly, naming the fix, when it cannot run: as a normal user, or with a daemon
// missing. Both are provoked for real: a child process drops to `nobody`, or runs in a private mount
// namespace where the keepalived and curl binaries are hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { checkPrerequisites } from './lab';

const LAB = path.join(__dirname, 'lab.ts');
const PROBE = `require(${JSON.stringify(LAB)}).startLab({ hosts: 3 }).then(async (l) => { await l.stop(); console.log('STARTED'); }, (e) => { console.log(e.constructor.name + ': ' + e.message); process.exitCode = 3; })`;

function probe(prefix: string[]): { code: number | null; out: string } {
  const r = spawnSync(prefix[0], [...prefix.slice(1), process.execPath, '--import', 'tsx', '-e', PROBE], { encoding: 'utf8', cwd: path.join(__dirname, '../..'), timeout: 30000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('lab prerequisites: this machine has them (the lab tests need root and the daemons)', () => {
  assert.doesNotThrow(() => checkPrerequisites());
});

test('lab prerequisites: not root -> LabPrerequisiteError naming root, nothing started', () => {
  const r = probe(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp']);
  assert.equal(r.code, 3, r.out);
  assert.match(r.out, /LabPrerequisiteError: haconf network lab cannot start:/);
  assert.match(r.out, /must run as root .* uid 65534/);
  assert.doesNotMatch(r.out, /STARTED/);
});

test('lab prerequisites: missing daemons -> LabPrerequisiteError naming them and the packages', () => {
  const hide = 'mount --bind /dev/null "$(command -v keepalived)" && mount --bind /dev/null "$(command -v curl)" && exec "$@"';
  const r = probe(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', hide, 'sh']);
  assert.equal(r.code, 3, r.out);
  assert.match(r.out, /missing programs: keepalived, curl\. Install them with: apt-get install keepalived curl/);
  assert.doesNotMatch(r.out, /STARTED/);
});
