// Extension activation in real VS Code (code-server 4.100.3, headless Chromium), using the pieces of the
// e2e harness (test/e2e/run.ts). Each run is a fresh code-server with a fresh user-data-dir that opens a
// copy of the e2e fixture workspace with this repository (dist/) as the development extension and the
// slim .vsix smoke check (test/e2e/vsix) as the test entry: it activates haconf, opens haproxy.cfg and
// waits for its first diagnostic. Nothing else runs in the window, so the numbers are activation alone.
//   activateMs: the client's own measure (entering activate() -> language client running), from the
//     "haconf activated in N ms" line of its log output channel;
//   activateResolvedUpperBoundMs: the extension host's log, from calling activate() to "Eager extensions
//     activated" (that line waits for every startup activation, git's included, so it bounds haconf's
//     activate() from above);
//   firstDiagnosticAfterActivateMs: activate() called -> the first haconf diagnostic seen in the host.
// Prints one JSON line on stdout (last line); progress on stderr. Fails when the e2e tools are missing.
// Usage: node --import tsx bench/activation.ts [--runs N] [--keep]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { FIXTURE, REPO } from '../test/e2e/build';
import { extHostTimeline, freePort, locateTools, makeProfile, runInBrowser, startCodeServer, stopTree, type Tools } from '../test/e2e/run';
import { median } from './stats';

const PROBE_SRC = path.join(REPO, 'test', 'e2e', 'vsix', 'index.ts');

// The harness logs the workbench's console with console.log; stdout carries only the result line.
console.log = (...args: unknown[]) => console.error(...args);

interface Run {
  activateMs: number;
  activateResolvedUpperBoundMs: number;
  firstDiagnosticAfterActivateMs: number;
}

/** The client's "haconf activated in N ms", from the output channel's log file under the profile's logs. */
function clientActivationMs(userData: string): number | undefined {
  const logs = path.join(userData, 'logs');
  const files = fs.readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => /haconf\.log$/.test(f));
  for (const f of files) {
    const m = /haconf activated in (\d+) ms/.exec(fs.readFileSync(path.join(logs, f), 'utf8'));
    if (m) return Number(m[1]);
  }
  return undefined;
}

async function oneRun(tools: Tools, tmp: string, entry: string, i: number): Promise<Run> {
  const root = path.join(tmp, `run${i}`);
  // The folder name is the fixture's cluster, as in the e2e suite.
  const ws = path.join(root, 'ws', 'e2e-edge');
  fs.mkdirSync(path.dirname(ws), { recursive: true });
  fs.cpSync(FIXTURE, ws, { recursive: true });
  const ipc = path.join(root, 'ipc');
  const logDir = path.join(root, 'logs');
  fs.mkdirSync(ipc);
  fs.mkdirSync(logDir);
  const port = await freePort();
  const profile = makeProfile(path.join(root, 'code-server'), port, { HACONF_E2E_IPC: ipc });
  const cs = await startCodeServer(tools, profile, port);
  try {
    const r = await runInBrowser(tools, port, ws, REPO, entry, ipc, logDir);
    if (r.exitCode !== 0) throw new Error(`run ${i}: the window exited with ${r.exitCode}; state in ${root}`);
    const x = extHostTimeline(profile.userData);
    const first = r.suite?.timings.firstDiagnostic;
    const activateMs = clientActivationMs(profile.userData);
    if (x.activateCalled === undefined || x.eagerActivated === undefined || first === undefined || activateMs === undefined) {
      throw new Error(`run ${i}: timings incomplete (exthost ${JSON.stringify(x)}, firstDiagnostic ${first}, client ${activateMs}); state in ${root}`);
    }
    const run = { activateMs, activateResolvedUpperBoundMs: x.eagerActivated - x.activateCalled, firstDiagnosticAfterActivateMs: first - x.activateCalled };
    console.error(`run ${i}: ${JSON.stringify(run)}`);
    return run;
  } finally {
    await stopTree(cs);
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive whole number');
  let tools: Tools;
  try {
    tools = locateTools();
  } catch (e) {
    throw new Error(`${(e as Error).message}\nInstall them with: bash test/e2e/setup-tools.sh`);
  }
  if (!fs.existsSync(path.join(REPO, 'dist', 'client.js')) || !fs.existsSync(path.join(REPO, 'dist', 'server.js'))) {
    const b = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: ['ignore', 2, 2] });
    if (b.status !== 0) throw new Error(`scripts/build.mjs failed (exit ${b.status})`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-bench-activation-'));
  // Compiled into our own folder: .tmp/e2e/out belongs to whatever e2e run may be going on.
  const entry = path.join(tmp, 'probe', 'index.js');
  await build({ entryPoints: [PROBE_SRC], outfile: entry, bundle: false, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  const out: Run[] = [];
  for (let i = 1; i <= runs; i++) out.push(await oneRun(tools, tmp, entry, i));
  if (process.argv.includes('--keep')) console.error(`state kept in ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  const result = {
    runs: out,
    medianActivateMs: median(out.map((r) => r.activateMs)),
    medianUpperBoundMs: median(out.map((r) => r.activateResolvedUpperBoundMs)),
    medianFirstDiagnosticAfterActivateMs: median(out.map((r) => r.firstDiagnosticAfterActivateMs)),
    codeServer: (JSON.parse(fs.readFileSync(path.join(path.dirname(tools.codeServerEntry), '..', '..', 'package.json'), 'utf8')) as { version: string }).version,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench/activation: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
