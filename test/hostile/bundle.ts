// The CLI as users run it: one esbuild bundle started with plain `node`, built once per test run into a
// temp folder (never into dist/, which other suites and the packaging own).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

export const ROOT = path.resolve(__dirname, '../..');

let bundle: string | undefined;

export function cliBundle(): string {
  if (bundle) return bundle;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-hostile-bin-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'cli.js');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  buildSync({
    entryPoints: [path.join(ROOT, 'server/src/cli/main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    define: { __HACONF_VERSION__: JSON.stringify(pkg.version) },
  });
  // The bundle only exports run(); the bin script is what calls it.
  fs.writeFileSync(path.join(dir, 'haconf.js'), `require(${JSON.stringify(out)}).run();\n`);
  bundle = path.join(dir, 'haconf.js');
  return bundle;
}
