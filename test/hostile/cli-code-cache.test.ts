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

// The per-user cache (what an installed package uses) lives where XDG_CACHE_HOME says. The tests of the
// build's cache point it below a regular file, where no folder can be made: they see only dist/.
const blocker = path.join(dir, 'a-file');
fs.writeFileSync(blocker, '');
const NO_USER_CACHE = { XDG_CACHE_HOME: path.join(blocker, 'cache') };

function check(env: Record<string, string> = {}, args: string[] = ['check', '--format', 'json', '--haproxy-version', '2.6', config]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(dir, 'bin/haconf.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...NO_USER_CACHE, ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** What V8 did with the cache when bin/haconf.js loads the bundle: 'used', 'rejected' or 'none'. */
function cacheUse(env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(dir, 'bin/haconf.js'))}).loadWithCodeCache(${JSON.stringify(bundleFile)}).cache)`], {
    encoding: 'utf8',
    env: { ...process.env, ...NO_USER_CACHE, ...env },
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

test('an installed package (no dist/cli.codecache) writes a per-user cache at its first check and uses it from then on', () => {
  fs.rmSync(cacheFile, { force: true });
  const home = path.join(dir, 'user-cache');
  const env = { XDG_CACHE_HOME: home };
  const userDir = path.join(home, 'haconf');
  const userFile = path.join(userDir, `cli-${fs.statSync(bundleFile).size}.codecache`);
  fs.mkdirSync(userDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(userDir, 'cli-123.codecache'), 'an older version');
  assert.equal(cacheUse(env), 'none');
  // Neither --help nor --version writes one (a cache taken there would hold little).
  check(env, ['--version']);
  assert.equal(fs.existsSync(userFile), false);
  const first = check(env);
  assert.equal(first.stdout, baseline.stdout);
  assert.equal(fs.statSync(userFile).mode & 0o777, 0o600);
  assert.deepEqual(
    fs.readdirSync(userDir).filter((name) => name !== 'tool-versions.json'),
    [path.basename(userFile)],
    "the older version's cache went, no temp file is left",
  );
  assert.equal(cacheUse(env), 'used');
  const second = check(env);
  assert.equal(second.stdout, baseline.stdout);
  assert.equal(second.status, baseline.status);
});

test('a per-user cache from other bytes, or in a folder others may write to or reached through a link, is not used', () => {
  const home = path.join(dir, 'user-cache');
  const env = { XDG_CACHE_HOME: home };
  const userDir = path.join(home, 'haconf');
  const userFile = path.join(userDir, `cli-${fs.statSync(bundleFile).size}.codecache`);
  assert.equal(cacheUse(env), 'used');
  const good = fs.readFileSync(userFile);

  fs.chmodSync(userDir, 0o777);
  assert.equal(cacheUse(env), 'none', 'a world-writable folder is not trusted');
  fs.chmodSync(userDir, 0o700);

  const linked = path.join(dir, 'linked-home');
  fs.mkdirSync(linked);
  fs.symlinkSync(userDir, path.join(linked, 'haconf'));
  assert.equal(cacheUse({ XDG_CACHE_HOME: linked }), 'none', 'a linked folder is not trusted');

  // One byte of the kept copy changed: the cache is not for these bytes.
  const tampered = Buffer.from(good);
  tampered[good.indexOf(10) + 20] ^= 1;
  fs.writeFileSync(userFile, tampered);
  assert.equal(cacheUse(env), 'none');
  const run = check(env);
  assert.equal(run.stdout, baseline.stdout);
  assert.equal(cacheUse(env), 'used', 'the next check wrote a good one');

  // A cache file that is a link to a good cache elsewhere is not followed.
  fs.renameSync(userFile, path.join(dir, 'elsewhere.codecache'));
  fs.symlinkSync(path.join(dir, 'elsewhere.codecache'), userFile);
  assert.equal(cacheUse(env), 'none');
});
