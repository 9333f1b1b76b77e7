// Builds the .vsix offline: bundles dist/ (scripts/build.mjs), then runs @vscode/vsce with no network
// steps (no npm dependency walk: dist/ is self-contained; .vscodeignore decides the rest).
// Usage: node scripts/package.mjs [--skip-build] [--out <file.vsix>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vsixReadme } from './vsix-readme.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const out = resolve(root, outArg >= 0 ? args[outArg + 1] : `${pkg.name}-${pkg.version}.vsix`);

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${[cmd, ...argv].join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

if (!args.includes('--skip-build')) run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
for (const f of ['dist/client.js', 'dist/server.js']) {
  if (!existsSync(join(root, f))) {
    console.error(`${f} is missing: run npm run build`);
    process.exit(1);
  }
}

// The extension's page is the user README (README.marketplace.md; README.md is for developers), with its
// screenshots inlined so it shows offline (scripts/vsix-readme.mjs). vsce stores it as extension/readme.md.
const userReadme = join(root, 'README.marketplace.md');
const packagedReadme = join(root, '.tmp', 'vsix', 'README.md');
mkdirSync(dirname(packagedReadme), { recursive: true });
try {
  writeFileSync(packagedReadme, vsixReadme(readFileSync(userReadme, 'utf8'), userReadme, pkg));
} catch (e) {
  console.error(`cannot make the packaged README: ${e.message}`);
  process.exit(1);
}

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const hasLicense = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => existsSync(join(root, f)));
// --no-rewrite-relative-links: the README has no relative links left (vsixReadme), and vsce's rewrite would
// refuse the data: images.
const vsceArgs = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--readme-path', '.tmp/vsix/README.md', '--out', out];
// Without a licence file vsce stops to ask; the licence is declared in package.json ("license").
if (!hasLicense) vsceArgs.push('--skip-license');
run(process.execPath, [vsce, ...vsceArgs]);
console.log(`VSIX ${out} ${(statSync(out).size / 1024).toFixed(1)} KiB`);
