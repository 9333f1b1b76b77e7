// bin/haconf.js loads the CLI bundle with a V8 code cache written by the build. The cache must never
// change what the CLI does: the output is the same with a cache, without one, with a corrupt one, and
// after the bundle changed (a cache is used only for the bytes it was made from).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliBundle, ROOT } from './bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-codecache-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// The layout of the package: bin/haconf.js beside dist/cli.js.
fs.mkdirSync(path.join(dir, 'bin'));
fs.mkdirSync(path.join(dir, 'dist'));
fs.copyFileSync(path.join(ROOT, 'bin/haconf.js'), path.join(dir, 'bin/haconf.js'));
const bundleFile = path.join(dir, 'dist/cli.js');
fs.copyFileSync(path.join(path.dirname(cliBundle()), 'cli.js'), bundleFile);

const config = path.join(dir, 'haproxy.cfg');
fs.writeFileSync(config, 'global\n    nbproc 2\ndefaults\n    mode http\nfrontend fe\n    bind :80\n    default_backend missing\n');

function caches(): string[] {
  return fs.readdirSync(path.join(dir, 'dist')).filter((name) => name.endsWith('.codecache'));
}

function check(env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(dir, 'bin/haconf.js'), 'check', '--format', 'json', '--haproxy-version', '2.6', config], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const baseline = check();

test('without a cache the CLI runs and writes none', () => {
  assert.equal(baseline.status, 1, baseline.stderr);
  assert.ok(JSON.parse(baseline.stdout).length > 0 || baseline.stdout.includes('error'), baseline.stdout);
  assert.deepEqual(caches(), []);
});

test('HACONF_WRITE_CODE_CACHE writes one cache named by the bundle bytes and removes older ones', () => {
  fs.writeFileSync(path.join(dir, 'dist/cli.0123456789abcdef.codecache'), 'stale');
  const run = check({ HACONF_WRITE_CODE_CACHE: '1' });
  assert.equal(run.stdout, baseline.stdout);
  const written = caches();
  assert.equal(written.length, 1, written.join(', '));
  assert.match(written[0], /^cli\.[0-9a-f]{16}\.codecache$/);
  assert.notEqual(written[0], 'cli.0123456789abcdef.codecache');
  assert.ok(fs.statSync(path.join(dir, 'dist', written[0])).size > 10_000);
});

test('with the cache the output and exit code are the same', () => {
  assert.equal(caches().length, 1);
  const run = check();
  assert.equal(run.status, baseline.status);
  assert.equal(run.stdout, baseline.stdout);
});

test('a corrupt cache is ignored: same output, no crash', () => {
  const [name] = caches();
  fs.writeFileSync(path.join(dir, 'dist', name), Buffer.alloc(4096, 0x5a));
  const run = check();
  assert.equal(run.status, baseline.status, run.stderr);
  assert.equal(run.stdout, baseline.stdout);
});

test('a changed bundle of the same length does not use the old cache', () => {
  check({ HACONF_WRITE_CODE_CACHE: '1' });
  const [before] = caches();
  // Same length, other bytes: V8 alone would accept the old cache (it checks the length only).
  const source = fs.readFileSync(bundleFile, 'utf8');
  const marker = '"use strict";';
  assert.ok(source.includes(marker));
  fs.writeFileSync(bundleFile, source.replace(marker, '"use strict"\n'));
  assert.equal(fs.statSync(bundleFile).size, Buffer.byteLength(source));
  const run = check({ HACONF_WRITE_CODE_CACHE: '1' });
  assert.equal(run.stdout, baseline.stdout);
  const [after] = caches();
  assert.notEqual(after, before, 'a new cache for the new bytes replaces the old one');
});
