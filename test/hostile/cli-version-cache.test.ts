// `haconf check` as a real process learns the local haproxy/keepalived version from `<tool> -v` once and
// then from its cache (localtools/toolVersion.ts): the second check runs neither binary. The binaries are
// executable scripts that count their runs in a file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliBundle } from './bundle';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-cli-versioncache-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const bin = path.join(root, 'bin');
const counter = path.join(root, 'runs');
const cacheHome = path.join(root, 'cache');
const work = path.join(root, 'work');
fs.mkdirSync(bin);
fs.mkdirSync(work);
fs.writeFileSync(path.join(work, 'haproxy.cfg'), 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n');

function fakeHaproxy(version: string): void {
  fs.writeFileSync(path.join(bin, 'haproxy'), `#!/bin/sh\necho haproxy >> '${counter}'\necho 'HAProxy version ${version} 2025/01/01 - https://haproxy.org/'\n`, { mode: 0o755 });
}
fakeHaproxy('2.8.5-1');
fs.writeFileSync(path.join(bin, 'keepalived'), `#!/bin/sh\necho keepalived >> '${counter}'\necho 'Keepalived v2.2.7 (01/16,2022)' >&2\n`, { mode: 0o755 });

function runs(): string[] {
  return fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter(Boolean) : [];
}

function check(): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cliBundle(), 'check', 'haproxy.cfg'], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, XDG_CACHE_HOME: cacheHome, HOME: path.join(root, 'home') },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('the second check runs neither haproxy -v nor keepalived -v, and says the same', () => {
  const first = check();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^haconf: checking for HAProxy 2\.8 \(local \S+\/bin\/haproxy 2\.8\.5; /m);
  assert.deepEqual(runs().sort(), ['haproxy', 'keepalived']);
  assert.ok(fs.statSync(path.join(cacheHome, 'haconf', 'tool-versions.json')).isFile());

  const second = check();
  assert.deepEqual(second, first);
  assert.deepEqual(runs().sort(), ['haproxy', 'keepalived'], 'no binary ran for the second check');
});

test('after an upgrade of the binary the check runs it again and follows the new version', () => {
  fakeHaproxy('3.0.11-1');
  const st = fs.statSync(path.join(bin, 'haproxy'));
  fs.utimesSync(path.join(bin, 'haproxy'), st.atime, new Date(st.mtimeMs + 60_000));
  const before = runs().length;
  const run = check();
  assert.match(run.stderr, /^haconf: checking for HAProxy 3\.0 \(local \S+\/bin\/haproxy 3\.0\.11; /m);
  assert.deepEqual(runs().slice(before), ['haproxy'], 'only the changed binary ran');
});

test('a corrupt cache costs only the probe: same output, no message about the cache', () => {
  const good = check();
  fs.writeFileSync(path.join(cacheHome, 'haconf', 'tool-versions.json'), '{"format":1,"entries":[{"tool":');
  const before = runs().length;
  const run = check();
  assert.deepEqual(run, good);
  assert.deepEqual(runs().slice(before).sort(), ['haproxy', 'keepalived']);
  assert.equal(check().stderr, good.stderr);
  assert.equal(runs().length, before + 2, 'the cache was rewritten');
});
