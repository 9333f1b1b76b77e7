// The local haproxy/keepalived version line is cached (localtools/toolVersion.ts) so a check does not run
// `<tool> -v` every time. The "binary" here is a real executable shell script that prints a version and
// counts its runs in a file, so the tests see exactly when it was run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_FILE_NAME, cacheFile, localToolVersion } from '../../server/src/localtools/toolVersion';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

interface Fixture {
  root: string;
  bin: string;
  counter: string;
  cache: string;
  env: NodeJS.ProcessEnv;
  runs: () => number;
  write: (version: string, opts?: { fail?: boolean; stderr?: boolean }) => void;
}

/** A temp root with bin/<tool> (a script printing `version`), a run counter and a private cache home. */
function fixture(tool = 'haproxy'): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-toolversion-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'bin'));
  const bin = path.join(root, 'bin', tool);
  const counter = path.join(root, 'runs');
  const cacheHome = path.join(root, 'cache');
  const write = (version: string, opts: { fail?: boolean; stderr?: boolean } = {}): void => {
    const say = opts.stderr ? `echo '${version}' >&2` : `echo '${version}'`;
    fs.writeFileSync(bin, `#!/bin/sh\necho run >> '${counter}'\n${say}\necho 'Running on: Linux'\nexit ${opts.fail ? 1 : 0}\n`, { mode: 0o755 });
  };
  write('HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/');
  return {
    root,
    bin,
    counter,
    cache: path.join(cacheHome, 'haconf', CACHE_FILE_NAME),
    env: { PATH: path.join(root, 'bin'), XDG_CACHE_HOME: cacheHome, HOME: path.join(root, 'home') },
    runs: () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0),
    write,
  };
}

/** Moves the file's mtime `seconds` away from what it is, so a rewrite is never within one clock tick. */
function shiftMtime(file: string, seconds: number): void {
  const st = fs.statSync(file);
  fs.utimesSync(file, st.atime, new Date(st.mtimeMs + seconds * 1000));
}

test('the first call runs the binary and caches its line; the next ones do not run it', () => {
  const f = fixture();
  const first = localToolVersion('haproxy', [], f.env);
  assert.deepEqual(first, { path: f.bin, output: 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/' });
  assert.equal(f.runs(), 1);
  assert.deepEqual(localToolVersion('haproxy', [], f.env), first);
  assert.deepEqual(localToolVersion('haproxy', [], f.env), first);
  assert.equal(f.runs(), 1, 'answered from the cache');
  const st = fs.statSync(f.cache);
  assert.equal(st.mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.dirname(f.cache)).mode & 0o777, 0o700);
  assert.deepEqual(
    fs.readdirSync(path.dirname(f.cache)).filter((n) => n !== CACHE_FILE_NAME),
    [],
    'no temp file left',
  );
});

test('an upgraded binary (new content and mtime) is run again and its new line replaces the old one', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  f.write('HAProxy version 3.0.11-1 2025/06/01 - https://haproxy.org/');
  shiftMtime(f.bin, 60);
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 3.0.11-1 2025/06/01 - https://haproxy.org/');
  assert.equal(f.runs(), 2);
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 3.0.11-1 2025/06/01 - https://haproxy.org/');
  assert.equal(f.runs(), 2);
  const cached = JSON.parse(fs.readFileSync(f.cache, 'utf8')) as { entries: unknown[] };
  assert.equal(cached.entries.length, 1, 'one entry per binary');
});

test('a binary rewritten to the same size with its old mtime put back is still run again (ctime and inode)', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  const before = fs.statSync(f.bin);
  f.write('HAProxy version 2.9.5-1 2024/01/31 - https://haproxy.org/'); // same length as 2.8.5-1
  fs.utimesSync(f.bin, before.atime, before.mtime);
  assert.equal(fs.statSync(f.bin).size, before.size);
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 2.9.5-1 2024/01/31 - https://haproxy.org/');
  assert.equal(f.runs(), 2);
});

test('a binary replaced by another file (new inode, e.g. a package upgrade) is run again', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  const next = `${f.bin}.new`;
  fs.copyFileSync(f.bin, next);
  fs.renameSync(next, f.bin);
  localToolVersion('haproxy', [], f.env);
  assert.equal(f.runs(), 2);
});

test('a corrupt cache, or one with wrong types, is ignored: the binary is run and the cache rewritten', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  const good = JSON.parse(fs.readFileSync(f.cache, 'utf8')) as { format: number; entries: Record<string, unknown>[] };
  const entry = good.entries[0];
  const bad = [
    '{"format":1,"entries":[',
    'null',
    '[]',
    '"text"',
    JSON.stringify({ format: 2, entries: good.entries }),
    JSON.stringify({ format: 1, entries: 'x' }),
    JSON.stringify({ format: 1, entries: [{ ...entry, size: Number(entry.size) }] }),
    JSON.stringify({ format: 1, entries: [{ ...entry, line: { toString: 'HAProxy version 9.9' } }] }),
    JSON.stringify({ format: 1, entries: [{ ...entry, line: '' }] }),
    JSON.stringify({ format: 1, entries: [{ ...entry, line: 'HAProxy version 9.9\nforged' }] }),
    JSON.stringify({ format: 1, entries: [{ ...entry, tool: 'nginx' }] }),
    JSON.stringify({ format: 1, entries: [{ ...entry, binary: 'relative/haproxy' }] }),
    JSON.stringify({ format: 1, entries: [{ ...entry, mtimeNs: '-1' }] }),
    Buffer.from([0xff, 0xfe, 0, 1, 2]).toString('latin1'),
  ];
  let runs = f.runs();
  for (const content of bad) {
    fs.writeFileSync(f.cache, content);
    assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/', content);
    assert.equal(f.runs(), ++runs, `re-probed after: ${content}`);
    assert.deepEqual(JSON.parse(fs.readFileSync(f.cache, 'utf8')), good, `rewritten after: ${content}`);
  }
});

test('a forged line for this very binary is used only while the stamp matches, and never with a changed binary', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  const data = JSON.parse(fs.readFileSync(f.cache, 'utf8')) as { entries: Record<string, unknown>[] };
  data.entries[0].line = 'HAProxy version 3.2.0 2025/05/28';
  fs.writeFileSync(f.cache, JSON.stringify(data));
  // A cache the user's own account wrote is trusted as written (only its owner can write that folder).
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 3.2.0 2025/05/28');
  shiftMtime(f.bin, 60);
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/');
});

test('a cache file that is a symbolic link, a FIFO or huge is not read (nor followed, nor blocked on)', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  const good = fs.readFileSync(f.cache, 'utf8');
  const forged = good.replace(/HAProxy version [^"]*/, 'HAProxy version 3.2.0 2025/05/28');

  // A link to a file holding a forged line: not followed, left in place (the writer never writes through links).
  const elsewhere = path.join(f.root, 'elsewhere.json');
  fs.writeFileSync(elsewhere, forged);
  fs.rmSync(f.cache);
  fs.symlinkSync(elsewhere, f.cache);
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/');
  assert.equal(fs.readFileSync(elsewhere, 'utf8'), forged, 'the link target is not written');
  assert.ok(fs.lstatSync(f.cache).isSymbolicLink());
  assert.equal(f.runs(), 2);

  // A FIFO: reading it would block; it is neither read nor replaced.
  fs.rmSync(f.cache);
  assert.equal(spawnSync('mkfifo', [f.cache]).status, 0);
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/');
  assert.ok(fs.lstatSync(f.cache).isFIFO());
  assert.equal(f.runs(), 3);

  // A huge file: a valid cache padded past the limit is not read, then replaced by a small one.
  fs.rmSync(f.cache);
  fs.writeFileSync(f.cache, forged.replace('{', `{"pad":"${'x'.repeat(100_000)}",`));
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/');
  assert.equal(f.runs(), 4);
  assert.equal(fs.readFileSync(f.cache, 'utf8'), good);
});

test('a cache folder others may write to, or that is a link, is neither read nor written', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  const dir = path.dirname(f.cache);
  fs.chmodSync(dir, 0o777);
  localToolVersion('haproxy', [], f.env);
  localToolVersion('haproxy', [], f.env);
  assert.equal(f.runs(), 3, 'a world-writable folder is not trusted');

  const real = path.join(f.root, 'real-cache');
  fs.renameSync(dir, real);
  fs.chmodSync(real, 0o700);
  fs.symlinkSync(real, dir);
  localToolVersion('haproxy', [], f.env);
  localToolVersion('haproxy', [], f.env);
  assert.equal(f.runs(), 5, 'a linked folder is not trusted');
});

test('an unwritable cache home or HOME only costs the probe: same answer, no throw', () => {
  const f = fixture();
  const file = path.join(f.root, 'a-file');
  fs.writeFileSync(file, '');
  for (const env of [
    { PATH: f.env.PATH, XDG_CACHE_HOME: path.join(file, 'cache') }, // a path through a regular file (ENOTDIR)
    { PATH: f.env.PATH, HOME: path.join(file, 'home') },
    { PATH: f.env.PATH, HOME: '/proc/self' }, // a kernel file system: mkdir refused whatever the user
    { PATH: f.env.PATH, XDG_CACHE_HOME: 'relative/cache', HOME: path.join(file, 'home') }, // a relative XDG_CACHE_HOME is ignored
  ]) {
    const before = f.runs();
    assert.equal(localToolVersion('haproxy', [], env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/', JSON.stringify(env));
    assert.equal(localToolVersion('haproxy', [], env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/', JSON.stringify(env));
    assert.equal(f.runs(), before + 2, JSON.stringify(env));
  }
  assert.equal(fs.readFileSync(file, 'utf8'), '');
});

test('the cache lives in $XDG_CACHE_HOME/haconf (absolute only), else ~/.cache/haconf', () => {
  assert.equal(cacheFile({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), `/x/cache/haconf/${CACHE_FILE_NAME}`);
  assert.equal(cacheFile({ XDG_CACHE_HOME: 'cache', HOME: '/home/u' }), `/home/u/.cache/haconf/${CACHE_FILE_NAME}`);
  assert.equal(cacheFile({ HOME: '/home/u' }), `/home/u/.cache/haconf/${CACHE_FILE_NAME}`);
});

test("a folder missing under someone else's folder is not created (sudo keeps the user's HOME)", () => {
  const f = fixture();
  const home = path.join(f.root, 'alice');
  fs.mkdirSync(home);
  // Root hands the folder to nobody; any other user meets a folder of root's.
  if (process.getuid?.() === 0) fs.chownSync(home, 65534, 65534);
  else fs.rmSync(home, { recursive: true });
  const env = { PATH: f.env.PATH, HOME: process.getuid?.() === 0 ? home : '/' };
  assert.equal(localToolVersion('haproxy', [], env)?.output, 'HAProxy version 2.8.5-1 2024/01/31 - https://haproxy.org/');
  if (process.getuid?.() === 0) assert.deepEqual(fs.readdirSync(home), []);
  else assert.equal(fs.existsSync('/.cache/haconf'), false);
});

test('a failed probe is not cached: a binary that exits non-zero is run every time', () => {
  const f = fixture();
  f.write('HAProxy version 2.8.5-1 2024/01/31', { fail: true });
  assert.equal(localToolVersion('haproxy', [], f.env), undefined);
  assert.equal(localToolVersion('haproxy', [], f.env), undefined);
  assert.equal(f.runs(), 2);
  assert.equal(fs.existsSync(f.cache), false);
});

test('keepalived: the line is found on stderr, cached under the tool name, and does not answer for haproxy', () => {
  const f = fixture('keepalived');
  f.write('Keepalived v2.2.7 (01/16,2022)', { stderr: true });
  assert.deepEqual(localToolVersion('keepalived', [], f.env), { path: f.bin, output: 'Keepalived v2.2.7 (01/16,2022)' });
  assert.deepEqual(localToolVersion('keepalived', [], f.env), { path: f.bin, output: 'Keepalived v2.2.7 (01/16,2022)' });
  assert.equal(f.runs(), 1);
  // The same binary under the haproxy name (a link) is run and judged as haproxy, not served the keepalived line.
  fs.symlinkSync(f.bin, path.join(path.dirname(f.bin), 'haproxy'));
  assert.equal(localToolVersion('haproxy', [], f.env)?.output, 'Running on: Linux');
  assert.equal(f.runs(), 2);
});

test('a binary inside an untrusted folder is neither run nor answered from the cache', () => {
  const f = fixture();
  localToolVersion('haproxy', [], f.env);
  assert.equal(localToolVersion('haproxy', [f.root], f.env), undefined);
  assert.equal(f.runs(), 1);
});
