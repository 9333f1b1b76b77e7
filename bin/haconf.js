#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/cli.js by `npm run build`, which also writes dist/cli.codecache: V8's
// compiled code for the bundle, taken after a check ran, so a start skips compiling the functions a check
// needs (~25 ms of a small check). V8 checks only that a cache was made for a source of the same length,
// so a cache file carries a copy of the exact bytes it was made from (and the Node.js version and
// architecture) and is used only when they match the bundle byte for byte; otherwise the bundle is
// compiled as usual. Comparing bytes costs ~0.1 ms, where hashing them needed node:crypto (~4 ms to load).
//
// An installed package has no dist/cli.codecache (it is made for one Node.js; .npmignore leaves it out):
// then the first `haconf check` writes one to $XDG_CACHE_HOME/haconf/ (default ~/.cache/haconf/) at its
// exit, and later starts use it. That folder must be a real folder of this user that nobody else may
// write to, or it is neither read nor written (a cache is compiled code: only the user may have made it).
const fs = require('node:fs');
const path = require('node:path');

if (require.main === module) {
  const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
  if (!fs.existsSync(bundle)) {
    process.stderr.write(`haconf: ${bundle} is missing; run 'npm run build' in ${path.dirname(__dirname)} first\n`);
    process.exit(2);
  }
  const cli = loadWithCodeCache(bundle);
  if (process.env.HACONF_WRITE_CODE_CACHE === '1') process.on('exit', cli.writeCodeCache);
  // Only after a check: its compiled code is what the next check needs (a cache taken after `lsp` or
  // `--help` would hold little, and being "used" it would never be replaced).
  // 'rejected' (V8 flags on the command line) is not rewritten: the next start with them would reject it too.
  else if (cli.cache === 'none' && process.argv[2] === 'check') process.on('exit', cli.writeUserCodeCache);
  cli.exports.run();
} else {
  module.exports = { loadWithCodeCache }; // for test/hostile/cli-code-cache.test.ts
}

/** Loads a CommonJS bundle like require() does, through a vm.Script that can use and make a code cache. */
function loadWithCodeCache(file) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const { isAscii } = require('node:buffer');
  const bytes = fs.readFileSync(file);
  // esbuild writes ASCII (non-ASCII characters escaped): decoded as Latin-1 the bytes become V8's one-byte
  // string directly, without UTF-8 decoding.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const dirname = path.dirname(file);
  const cacheFile = path.join(dirname, 'cli.codecache');
  const userFile = userCacheFile(bytes.length);
  const header = Buffer.from(`haconf-code-cache 1 ${process.version} ${process.arch} ${bytes.length}\n`, 'latin1');
  /** V8's data from a cache file made from these exact bytes, else undefined. */
  const dataOf = (cache) => {
    const sourceEnd = header.length + bytes.length;
    if (cache && cache.length > sourceEnd && header.equals(cache.subarray(0, header.length)) && bytes.equals(cache.subarray(header.length, sourceEnd))) return cache.subarray(sourceEnd);
    return undefined;
  };
  let cachedData = dataOf(readOrUndefined(cacheFile));
  if (!cachedData && userFile && privateDir(path.dirname(userFile))) cachedData = dataOf(readPrivateFile(userFile));
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: undefined });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname);
  require.cache[file] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname);
  mod.loaded = true;
  return {
    exports: mod.exports,
    /** Whether V8 took the cache: 'used', 'rejected' (another V8 or flags) or 'none' (no cache for these bytes). */
    cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
    writeCodeCache() {
      // Caches of earlier builds (named by a digest of the bundle) go; the new one is written whole or not at all.
      for (const name of fs.readdirSync(dirname)) if (/^cli\.[0-9a-f]{16}\.codecache$/.test(name)) fs.rmSync(path.join(dirname, name), { force: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, Buffer.concat([header, bytes, script.createCachedData()]));
      fs.renameSync(temp, cacheFile);
    },
    writeUserCodeCache() {
      try {
        if (!userFile || !makePrivateDir(path.dirname(userFile))) return;
        const dir = path.dirname(userFile);
        // One cache per bundle length: other lengths are other versions of haconf, most likely older.
        for (const name of fs.readdirSync(dir)) if (/^cli-\d+\.codecache$/.test(name) && name !== path.basename(userFile)) fs.rmSync(path.join(dir, name), { force: true });
        const temp = path.join(dir, `.${path.basename(userFile)}.${process.pid}.tmp`);
        const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
        try {
          fs.writeSync(fd, Buffer.concat([header, bytes, script.createCachedData()]));
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(temp, userFile);
      } catch {
        // no cache this time (read-only home, full disk): the next check compiles and tries again
      }
    },
  };
}

function readOrUndefined(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** `$XDG_CACHE_HOME/haconf/cli-<bundle length>.codecache` (an absolute XDG_CACHE_HOME only), else under ~/.cache. */
function userCacheFile(length) {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : process.env.HOME && path.isAbsolute(process.env.HOME) ? path.join(process.env.HOME, '.cache') : undefined;
  return base && path.join(base, 'haconf', `cli-${length}.codecache`);
}

/** A real folder (not a link) of this user that nobody else may write to. */
function privateDir(dir) {
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** `dir`, made 0700 where missing unless inside a folder of another user (`sudo` keeps the user's HOME); true when it is private. */
function makePrivateDir(dir) {
  if (!fs.existsSync(dir)) {
    const missing = [];
    let existing = dir;
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
      missing.unshift(existing);
      existing = path.dirname(existing);
    }
    if (process.getuid !== undefined && fs.statSync(existing).uid !== process.getuid()) return false;
    // One level at a time: Node's recursive mkdir spins forever where mkdir answers ENOENT (/proc/self).
    for (const folder of missing) fs.mkdirSync(folder, { mode: 0o700 });
  }
  return privateDir(dir);
}

/** The file's bytes when it is a regular file (not a link, FIFO or device) of at most 64 MiB, else undefined. */
function readPrivateFile(file) {
  let fd;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > 64 * 1024 * 1024) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let done = 0;
    while (done < buf.length) {
      const n = fs.readSync(fd, buf, done, buf.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
