// Entry point of the `extensionTestsPath` contract: VS Code loads this module in the extension host and
// calls run(); a rejected promise makes the window exit with code 1. Shared by the code-server harness
// (test/e2e/run.ts) and @vscode/test-electron (test/e2e/electron.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { timings } from './helpers';

interface Outcome {
  title: string;
  state: 'passed' | 'failed';
  ms: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  // HACONF_E2E_GREP=typing runs only the matching tests (while working on one area; the full run has none).
  if (process.env.HACONF_E2E_GREP) mocha.grep(new RegExp(process.env.HACONF_E2E_GREP));
  const specs = fs
    .readdirSync(__dirname)
    .filter((f) => /^\d\d-.*\.e2e\.js$/.test(f))
    .sort();
  if (!specs.length) return Promise.reject(new Error(`no *.e2e.js specs next to ${__filename}`));
  for (const f of specs) mocha.addFile(path.join(__dirname, f));

  const outcomes: Outcome[] = [];
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const ipc = process.env.HACONF_E2E_IPC;
        if (ipc) fs.writeFileSync(path.join(ipc, 'results.json'), JSON.stringify({ outcomes, timings }, null, 2));
        if (failures > 0) reject(new Error(`${failures} of ${outcomes.length} e2e tests failed`));
        else resolve();
      });
      runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed', ms: t.duration ?? 0 }));
      runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), state: 'failed', ms: t.duration ?? 0, error: err.stack ?? String(err) }));
    } catch (e) {
      reject(e);
    }
  });
}
