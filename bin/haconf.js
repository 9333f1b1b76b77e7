#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/cli.js by `npm run build`, which also writes dist/cli.codecache: V8's
// compiled code for the bundle, taken after a check ran, so a start skips compiling the functions a check
// needs (~20 ms of parsing for a small check). V8 checks only that a cache was made for a source of the
// same length, so the cache file carries a copy of the exact bytes it was made from (and the Node.js
// version and architecture) and is used only when they match the bundle byte for byte; otherwise the
// bundle is compiled as usual. Comparing bytes costs ~0.1 ms, where hashing them needed node:crypto
// (~4 ms to load).
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
  const header = Buffer.from(`haconf-code-cache 1 ${process.version} ${process.arch} ${bytes.length}\n`, 'latin1');
  let cachedData;
  try {
    const cache = fs.readFileSync(cacheFile);
    const sourceEnd = header.length + bytes.length;
    if (cache.length > sourceEnd && header.equals(cache.subarray(0, header.length)) && bytes.equals(cache.subarray(header.length, sourceEnd))) {
      cachedData = cache.subarray(sourceEnd);
    }
  } catch {
    cachedData = undefined; // no cache: compile as usual
  }
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
  };
}
