// Runs the same e2e suite in desktop VS Code through @vscode/test-electron.
//   VSCODE_EXECUTABLE=/path/to/code npm run test:e2e:electron     (an installed VS Code)
//   npm run test:e2e:electron                                     (downloads VS Code: needs network)
// There is no browser harness here, so the suite's screenshot/DOM requests are skipped; every API-level
// assertion runs as under code-server. On Linux without a display, wrap it in `xvfb-run -a`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { FIXTURE, REPO, SUITE_ENTRY, buildExtension, buildSuites } from './build';

async function main(): Promise<number> {
  buildExtension();
  await buildSuites();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-e2e-electron-'));
  const workspace = path.join(tmp, 'e2e-edge');
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  try {
    return await runTests({
      extensionDevelopmentPath: REPO,
      extensionTestsPath: SUITE_ENTRY,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(tmp, 'user-data')}`,
        `--extensions-dir=${path.join(tmp, 'extensions')}`,
      ],
      extensionTestsEnv: { HACONF_E2E_IPC: '' },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`e2e (electron) failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
