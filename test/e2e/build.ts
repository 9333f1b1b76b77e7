// Builds what an e2e run loads: the extension's dist/ (scripts/build.mjs) and the suites compiled to
// CommonJS under .tmp/e2e/out/. The suites are transpiled file by file, not bundled: mocha loads each spec
// itself, and `vscode`/`mocha` resolve at run time (vscode from the extension host, mocha from node_modules).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

export const REPO = path.resolve(__dirname, '..', '..');
export const OUT = path.join(REPO, '.tmp', 'e2e', 'out');
/** extensionTestsPath of the main suite. */
export const SUITE_ENTRY = path.join(OUT, 'suite', 'index.js');
/** extensionTestsPath of the installed-.vsix smoke check. */
export const VSIX_ENTRY = path.join(OUT, 'vsix', 'index.js');
export const FIXTURE = path.join(REPO, 'test', 'e2e', 'workspace');
/** A do-nothing extension used as extensionDevelopmentPath when the extension under test is the installed .vsix. */
export const PROBE_EXTENSION = path.join(REPO, 'test', 'e2e', 'probe');

export function buildExtension(): void {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/build.mjs failed (exit ${r.status})`);
}

export async function buildSuites(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  for (const dir of ['suite', 'vsix']) {
    const src = path.join(REPO, 'test', 'e2e', dir);
    const entryPoints = fs
      .readdirSync(src)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(src, f));
    await build({ entryPoints, outdir: path.join(OUT, dir), bundle: false, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'warning' });
  }
  for (const f of [SUITE_ENTRY, VSIX_ENTRY]) if (!fs.existsSync(f)) throw new Error(`build did not produce ${f}`);
}

if (require.main === module) {
  buildExtension();
  buildSuites().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
