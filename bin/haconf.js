#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/cli.js by `npm run build`, which also writes dist/cli.codecache: V8's
// compiled code for the bundle, taken after a check ran, so a start skips compiling the functions a check
// needs (about 8 % of a 30,000-line check, more of a small one). The cache is used only when it was made
// from these exact bytes (its name carries their SHA-256: V8 itself checks only the length) by this
// Node.js; otherwise the bundle is compiled as usual.
const fs = require('node:fs');
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`haconf: ${bundle} is missing; run 'npm run build' in ${path.dirname(__dirname)} first\n`);
  process.exit(2);
}
const cli = loadWithCodeCache(bundle);
if (process.env.HACONF_WRITE_CODE_CACHE === '1') process.on('exit', cli.writeCodeCache);
cli.exports.run();

/** Loads a CommonJS bundle like require() does, through a vm.Script that can use and make a code cache. */
function loadWithCodeCache(file) {
  const crypto = require('node:crypto');
  const vm = require('node:vm');
  const Module = require('node:module');
  const source = fs.readFileSync(file, 'utf8');
  const digest = crypto.createHash('sha256').update(source).update(process.version).digest('hex').slice(0, 16);
  const cacheFile = path.join(path.dirname(file), `cli.${digest}.codecache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // no cache for these bytes: compile as usual
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: undefined });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  const dirname = path.dirname(file);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname);
  mod.loaded = true;
  return {
    exports: mod.exports,
    writeCodeCache() {
      // Old caches of earlier builds go; the new one is written whole or not at all.
      for (const name of fs.readdirSync(dirname)) if (/^cli\.[0-9a-f]{16}\.codecache$/.test(name)) fs.rmSync(path.join(dirname, name), { force: true });
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    },
  };
}
