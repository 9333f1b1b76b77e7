// bin/haconf.js loads the CLI bundle with a V8 code cache written by the build (dist/cli.codecache). The
// cache must never change what the CLI does: the output is the same with a cache, without one, with a
// corrupt one, and after the bundle changed (a cache holds a copy of the bytes it was made from and is used
// only for exactly those bytes: V8 itself checks only the length).
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

/** What V8 did with the cache when bin/haconf.js loads the bundle: 'used', 'rejected' or 'none'. */
function cacheUse(): string {
  const run = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(dir, 'bin/haconf.js'))}).loadWithCodeCache(${JSON.stringify(bundleFile)}).cache)`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

const cacheFile = path.join(dir, 'dist/cli.codecache');
const baseline = check();

test('without a cache the CLI runs and writes none', () => {
  assert.equal(baseline.status, 1, baseline.stderr);
  assert.ok(JSON.parse(baseline.stdout).length > 0 || baseline.stdout.includes('error'), baseline.stdout);
  assert.deepEqual(caches(), []);
  assert.equal(cacheUse(), 'none');
});

test('HACONF_WRITE_CODE_CACHE writes dist/cli.codecache (header, the bundle bytes, V8 data) and removes older caches', () => {
  fs.writeFileSync(path.join(dir, 'dist/cli.0123456789abcdef.codecache'), 'stale');
  const run = check({ HACONF_WRITE_CODE_CACHE: '1' });
  assert.equal(run.stdout, baseline.stdout);
  assert.deepEqual(caches(), ['cli.codecache']);
  const cache = fs.readFileSync(cacheFile);
  const bundle = fs.readFileSync(bundleFile);
  const header = `haconf-code-cache 1 ${process.version} ${process.arch} ${bundle.length}\n`;
  assert.equal(cache.subarray(0, header.length).toString('latin1'), header);
  assert.ok(cache.subarray(header.length, header.length + bundle.length).equals(bundle));
  assert.ok(cache.length > header.length + bundle.length + 10_000);
});

test('with the cache V8 uses it, and the output and exit code are the same', () => {
  assert.equal(cacheUse(), 'used');
  const run = check();
  assert.equal(run.status, baseline.status);
  assert.equal(run.stdout, baseline.stdout);
});

test('a corrupt cache is ignored: same output, no crash', () => {
  const good = fs.readFileSync(cacheFile);
  const bundleLength = fs.statSync(bundleFile).size;
  const headerLength = good.indexOf(10) + 1;
  // Garbage; a cut-off file; the right header and bytes followed by garbage instead of V8's data.
  const corrupt = [Buffer.alloc(4096, 0x5a), good.subarray(0, headerLength + 1000), Buffer.concat([good.subarray(0, headerLength + bundleLength), Buffer.alloc(4096, 0x5a)])];
  for (const bytes of corrupt) {
    fs.writeFileSync(cacheFile, bytes);
    const run = check();
    assert.equal(run.status, baseline.status, run.stderr);
    assert.equal(run.stdout, baseline.stdout);
    assert.notEqual(cacheUse(), 'used');
  }
  fs.writeFileSync(cacheFile, good);
});

test('a changed bundle of the same length does not use the old cache', () => {
  check({ HACONF_WRITE_CODE_CACHE: '1' });
  assert.equal(cacheUse(), 'used');
  // Same length, other bytes: V8 alone would accept the old cache (it checks the length only).
  const source = fs.readFileSync(bundleFile, 'utf8');
  const marker = '"use strict";';
  assert.ok(source.includes(marker));
  fs.writeFileSync(bundleFile, source.replace(marker, '"use strict"\n'));
  assert.equal(fs.statSync(bundleFile).size, Buffer.byteLength(source));
  assert.equal(cacheUse(), 'none');
  const run = check({ HACONF_WRITE_CODE_CACHE: '1' });
  assert.equal(run.stdout, baseline.stdout);
  assert.equal(cacheUse(), 'used', 'a new cache for the new bytes replaces the old one');
});

test('a cache made by another Node.js (its header names another version) is not used', () => {
  const cache = fs.readFileSync(cacheFile);
  fs.writeFileSync(cacheFile, Buffer.from(cache.toString('latin1').replace(`haconf-code-cache 1 ${process.version} `, 'haconf-code-cache 1 v0.0.0 '), 'latin1'));
  assert.equal(cacheUse(), 'none');
  const run = check();
  assert.equal(run.stdout, baseline.stdout);
});
