#!/usr/bin/env node
'use strict';
// The CLI is bundled into dist/cli.js by `npm run build`.
const fs = require('node:fs');
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`haconf: ${bundle} is missing; run 'npm run build' in ${path.dirname(__dirname)} first\n`);
  process.exit(2);
}
require(bundle).run();
