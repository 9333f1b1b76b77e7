// End-to-end harness: real VS Code (code-server 4.100.3 = VS Code 1.100.3) in headless Debian Chromium.
//   1. builds dist/ and the suites;
//   2. starts code-server with every bit of state in a temp dir, opens a copy of test/e2e/workspace with
//      extensionDevelopmentPath = this repo and extensionTestsPath = the mocha suite, answers the suite's
//      workbench checks / screenshot requests, and takes the suite's exit code;
//   3. packages the .vsix (scripts/package.mjs), installs it into a fresh code-server and checks that it
//      activates and publishes diagnostics.
// Usage: node --import tsx test/e2e/run.ts [--no-vsix | --only-vsix] [--keep]
// Environment: HACONF_E2E_TOOLS, HACONF_E2E_CHROMIUM, HACONF_E2E_SHOTS (screenshot folder), HACONF_E2E_TIMEOUT_MS.
// Tools come from test/e2e/setup-tools.sh; when they are missing this fails, it never skips.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { FIXTURE, PROBE_EXTENSION, REPO, SUITE_ENTRY, VSIX_ENTRY, buildExtension, buildSuites } from './build';
import type { UiRequest } from './suite/helpers';

const TOOLS = process.env.HACONF_E2E_TOOLS ?? path.join(REPO, '.tmp', 'e2e-tools');
export const CHROMIUM = process.env.HACONF_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = process.env.HACONF_E2E_SHOTS ?? path.join(REPO, 'docs', 'screenshots');
const SUITE_TIMEOUT_MS = Number(process.env.HACONF_E2E_TIMEOUT_MS ?? 240000);

// ---- the part of playwright-core we use (it lives in TOOLS, outside the project's dependencies) ----
interface Locator {
  first(): Locator;
  click(o: { timeout: number }): Promise<void>;
  waitFor(o: { state: 'visible' | 'attached'; timeout: number }): Promise<void>;
  isVisible(): Promise<boolean>;
}
interface Frame {
  locator(selector: string): Locator;
  url(): string;
  evaluate<T>(fn: () => T): Promise<T>;
}
interface Page {
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  goto(url: string, o: { waitUntil: 'load'; timeout: number }): Promise<unknown>;
  locator(selector: string): Locator;
  frames(): Frame[];
  screenshot(o: { path: string }): Promise<unknown>;
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay?: number }): Promise<void> };
  waitForTimeout(ms: number): Promise<void>;
  on(event: 'console', fn: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', fn: (e: Error) => void): void;
}
interface Browser {
  newPage(o: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(o: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

export interface Tools {
  codeServerEntry: string;
  playwright: Playwright;
}

export function locateTools(): Tools {
  const problems: string[] = [];
  if (!fs.existsSync(CHROMIUM)) problems.push(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set HACONF_E2E_CHROMIUM)`);
  const codeServerEntry = path.join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(codeServerEntry)) problems.push(`no code-server in ${TOOLS} (run test/e2e/setup-tools.sh)`);
  let playwright: Playwright | undefined;
  try {
    playwright = createRequire(path.join(TOOLS, 'package.json'))('playwright-core') as Playwright;
  } catch {
    problems.push(`no playwright-core in ${TOOLS} (run test/e2e/setup-tools.sh)`);
  }
  if (problems.length || !playwright) throw new Error(`e2e tools missing:\n  - ${problems.join('\n  - ')}`);
  return { codeServerEntry, playwright };
}

// ---- processes: everything started here is stopped here, by PID ----
const started: ChildProcess[] = [];

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const pids = processTree(child.pid);
  for (const p of pids.reverse()) if (alive(p)) process.kill(p, 'SIGTERM');
  const t0 = Date.now();
  while (pids.some(alive) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
  for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
}

function stopAllSync(): void {
  for (const c of started) {
    if (c.pid === undefined) continue;
    for (const p of processTree(c.pid)) if (alive(p)) process.kill(p, 'SIGKILL');
  }
}
process.on('exit', stopAllSync);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

// ---- code-server ----
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Profile {
  root: string;
  userData: string;
  extensions: string;
  config: string;
  env: NodeJS.ProcessEnv;
}

/** A code-server profile that touches nothing outside `root` (no $HOME config, no shared extensions). */
export function makeProfile(root: string, port: number, extraEnv: NodeJS.ProcessEnv = {}): Profile {
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.colorTheme': 'Default Light Modern',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'chat.commandCenter.enabled': false,
    'git.enabled': false,
    'editor.minimap.enabled': false,
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: path.join(root, 'xdg', 'data'),
    XDG_CONFIG_HOME: path.join(root, 'xdg', 'config'),
    XDG_CACHE_HOME: path.join(root, 'xdg', 'cache'),
    // No extension gallery: nothing is fetched from open-vsx.org during a run.
    EXTENSIONS_GALLERY: '{}',
    ...extraEnv,
  };
  return { root, userData, extensions, config, env };
}

function codeServerArgs(tools: Tools, p: Profile): string[] {
  return [tools.codeServerEntry, '--config', p.config, '--user-data-dir', p.userData, '--extensions-dir', p.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'];
}

export async function startCodeServer(tools: Tools, p: Profile, port: number): Promise<ChildProcess> {
  const log = fs.openSync(path.join(p.root, 'code-server.log'), 'a');
  const child = spawn(process.execPath, codeServerArgs(tools, p), { env: p.env, stdio: ['ignore', log, log] });
  started.push(child);
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${path.join(p.root, 'code-server.log')}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 30000) throw new Error(`code-server did not answer on port ${port} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- the browser side ----
export interface RunResult {
  exitCode: number | 'timeout';
  windowLoadedAt: number;
  suite?: { outcomes: { title: string; state: string; ms: number; error?: string }[]; timings: Record<string, number> };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function answer(page: Page, req: UiRequest): Promise<void> {
  const timeout = req.timeoutMs ?? 20000;
  await page.locator(req.waitFor).first().waitFor({ state: 'visible', timeout });
  if (req.webviewText) {
    const t0 = Date.now();
    for (;;) {
      let seen = false;
      for (const f of page.frames()) {
        if (
          await f
            .locator(`:text("${req.webviewText}")`)
            .first()
            .isVisible()
            .catch(() => false)
        )
          seen = true;
      }
      if (seen) break;
      if (Date.now() - t0 > timeout) throw new Error(`no webview frame shows "${req.webviewText}" within ${timeout} ms`);
      await page.waitForTimeout(100);
    }
  }
  if (req.webviewImages !== undefined) {
    // Images a webview really drew (loaded, with a size): a broken or blocked src has naturalWidth 0.
    const drawn = (): { loaded: number; broken: string[] } => {
      // Runs in the page: the project compiles without the DOM library, so the one DOM shape used is named here.
      const doc = (globalThis as unknown as { document: { images: ArrayLike<{ complete: boolean; naturalWidth: number; src: string }> } }).document;
      const imgs = Array.from(doc.images);
      return { loaded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length, broken: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src.slice(0, 80)) };
    };
    const t0 = Date.now();
    for (;;) {
      let best = { loaded: 0, broken: [] as string[] };
      for (const f of page.frames()) {
        const r = await f.evaluate(drawn).catch(() => undefined);
        if (r && r.loaded + r.broken.length > best.loaded + best.broken.length) best = r;
      }
      if (best.loaded >= req.webviewImages && best.broken.length === 0) break;
      if (Date.now() - t0 > timeout)
        throw new Error(`no webview frame drew ${req.webviewImages} images within ${timeout} ms (best: ${best.loaded} drawn, broken: ${best.broken.join(', ') || 'none'})`);
      await page.waitForTimeout(200);
    }
  }
  for (const line of req.typeLines ?? []) {
    await page.keyboard.type(line, { delay: req.keyDelayMs ?? 80 });
    await page.waitForTimeout(req.pauseBeforeEnterMs ?? 600);
    await page.keyboard.press('Enter');
  }
  // Let hover fades and list animations finish so the picture is stable.
  await page.waitForTimeout(400);
  if (req.screenshot) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${req.screenshot}.png`) });
  }
  if (req.clickAfter) await page.locator(req.clickAfter).first().click({ timeout });
  for (const k of req.pressAfter ?? []) await page.keyboard.press(k);
}

/** Opens the workbench with the @vscode/test-electron payload and serves the suite's requests until it exits. */
export async function runInBrowser(tools: Tools, port: number, folder: string, devPath: string, testsPath: string, ipc: string, logDir: string): Promise<RunResult> {
  const host = `127.0.0.1:${port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${devPath}`],
    ['extensionTestsPath', `vscode-remote://${host}${testsPath}`],
  ];
  const browser = await tools.playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    let exitCode: number | undefined;
    await page.exposeFunction('codeAutomationExit', ((code: number, logs?: { relativePath: string; contents: string }[]) => {
      for (const l of logs ?? []) {
        const to = path.join(logDir, l.relativePath);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, l.contents);
      }
      exitCode = code;
    }) as (...args: never[]) => unknown);
    await page.exposeFunction('codeAutomationLog', ((type: string, args: unknown[]) => {
      const text = format(...(args ?? []));
      // VS Code prefixes extension-host console output; keep the suite's lines, drop workbench chatter.
      if (type !== 'trace' && type !== 'debug') console.log(`  [vscode:${type}] ${text}`);
    }) as (...args: never[]) => unknown);
    const url = `http://${host}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    const windowLoadedAt = Date.now();

    const handled = new Set<string>();
    const t0 = Date.now();
    while (exitCode === undefined) {
      if (Date.now() - t0 > SUITE_TIMEOUT_MS) return { exitCode: 'timeout', windowLoadedAt };
      for (const f of fs
        .readdirSync(ipc)
        .filter((x) => x.endsWith('.req.json'))
        .sort()) {
        if (handled.has(f)) continue;
        handled.add(f);
        const id = f.slice(0, -'.req.json'.length);
        const req = JSON.parse(fs.readFileSync(path.join(ipc, f), 'utf8')) as UiRequest;
        let res: { ok: boolean; error?: string };
        try {
          await answer(page, req);
          res = { ok: true };
        } catch (e) {
          await page.screenshot({ path: path.join(logDir, `failed-${id}.png`) }).catch(() => undefined);
          res = { ok: false, error: `${(e as Error).message.split('\n')[0]} (screenshot: ${path.join(logDir, `failed-${id}.png`)})` };
        }
        // Written whole, then renamed: the suite polls for the answer and must never read half of it
        // (a CI run failed on "Unexpected end of JSON input").
        fs.writeFileSync(path.join(ipc, `${id}.res.tmp`), JSON.stringify(res));
        fs.renameSync(path.join(ipc, `${id}.res.tmp`), path.join(ipc, `${id}.res.json`));
        console.log(`  [harness] ${id}: ${req.waitFor}${req.screenshot ? ` -> docs/screenshots/${req.screenshot}.png` : ''} ${res.ok ? 'ok' : `FAILED: ${res.error}`}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const resultsFile = path.join(ipc, 'results.json');
    const suite = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as RunResult['suite']) : undefined;
    return { exitCode, windowLoadedAt, suite };
  } finally {
    await browser.close();
  }
}

function report(label: string, r: RunResult): void {
  for (const o of r.suite?.outcomes ?? []) {
    console.log(`  ${o.state === 'passed' ? 'ok  ' : 'FAIL'} ${o.title} (${o.ms} ms)`);
    if (o.error) console.log(`       ${o.error.split('\n').slice(0, 6).join('\n       ')}`);
  }
  const t = r.suite?.timings ?? {};
  const since = (k: string): string => (t[k] !== undefined ? `${t[k] - r.windowLoadedAt} ms` : 'n/a');
  console.log(`  ${label}: window load -> suite start ${since('suiteStart')}, -> extension active ${since('activeSeen')}, -> first diagnostic ${since('firstDiagnostic')}`);
  if (t.activationMs !== undefined) console.log(`  ${label}: activate() took ${t.activationMs} ms (client's own measure)`);
  console.log(`  ${label}: exit code ${r.exitCode}`);
}

/**
 * From the extension host's own log (info level, local time): when it started, when VS Code called haconf's
 * activate(), and when every startup activation (haconf's included) had resolved.
 */
export function extHostTimeline(userData: string): Record<string, number> {
  const out: Record<string, number> = {};
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) return out;
  for (const session of fs.readdirSync(logs)) {
    const f = path.join(logs, session, 'exthost1', 'remoteexthost.log');
    if (!fs.existsSync(f)) continue;
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[info\] (.*)$/.exec(line);
      if (!m) continue;
      const at = new Date(`${m[1]}T${m[2]}`).getTime();
      if (/^Extension host with pid \d+ started/.test(m[3])) out.hostStarted ??= at;
      else if (/_doActivateExtension haconf\.haconf\b/.test(m[3])) out.activateCalled ??= at;
      else if (/^Eager extensions activated/.test(m[3])) out.eagerActivated ??= at;
    }
  }
  return out;
}

function reportActivation(label: string, r: RunResult, userData: string): void {
  const x = extHostTimeline(userData);
  const first = r.suite?.timings.firstDiagnostic;
  const rel = (t: number | undefined): string => (t === undefined ? 'n/a' : `${t - r.windowLoadedAt} ms`);
  console.log(
    `  ${label}: window load -> extension host started ${rel(x.hostStarted)}, -> activate() called ${rel(x.activateCalled)}, -> startup activations done ${rel(x.eagerActivated)}, -> first diagnostic ${rel(first)}`,
  );
  if (x.activateCalled !== undefined && x.eagerActivated !== undefined) console.log(`  ${label}: activate() resolved within ${x.eagerActivated - x.activateCalled} ms of being called (upper bound)`);
  if (x.activateCalled !== undefined && first !== undefined) console.log(`  ${label}: activate() called -> first diagnostic ${first - x.activateCalled} ms`);
}

/** For one code-server launch: a copy of the fixture workspace, an IPC folder, a free port and a profile. */
async function launchSetup(tmp: string, name: string): Promise<{ ws: string; ipc: string; port: number; profile: Profile }> {
  // Named after the fixture's cluster: the folder name shows in the window title of the screenshots.
  const ws = path.join(tmp, name, 'e2e-edge');
  fs.mkdirSync(path.dirname(ws), { recursive: true });
  fs.cpSync(FIXTURE, ws, { recursive: true });
  const ipc = path.join(tmp, `ipc-${name}`);
  fs.mkdirSync(ipc);
  const port = await freePort();
  const profile = makeProfile(path.join(tmp, `code-server-${name}`), port, { HACONF_E2E_IPC: ipc });
  return { ws, ipc, port, profile };
}

async function devSuite(tools: Tools, tmp: string): Promise<boolean> {
  console.log('\n== e2e suite in code-server (extensionDevelopmentPath = repo) ==');
  const { ws, ipc, port, profile } = await launchSetup(tmp, 'dev');
  const logDir = path.join(tmp, 'logs-dev');
  fs.mkdirSync(logDir);
  const cs = await startCodeServer(tools, profile, port);
  try {
    const r = await runInBrowser(tools, port, ws, REPO, SUITE_ENTRY, ipc, logDir);
    report('dev', r);
    reportActivation('dev', r, profile.userData);
    return r.exitCode === 0 && (r.suite?.outcomes.length ?? 0) > 0 && r.suite!.outcomes.every((o) => o.state === 'passed');
  } finally {
    await stopTree(cs);
  }
}

function packageVsix(): string {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'package.mjs'), '--skip-build'], { cwd: REPO, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error(`scripts/package.mjs failed (exit ${r.status})`);
  const m = /VSIX (\S+\.vsix)/.exec(r.stdout);
  if (!m) throw new Error('scripts/package.mjs did not print the .vsix path');
  return m[1];
}

/** Files the .vsix must carry, and folders it must not (see .vscodeignore). */
function checkInstalledLayout(dir: string): string[] {
  const problems: string[] = [];
  for (const f of [
    'package.json',
    'dist/client.js',
    'dist/server.js',
    'syntaxes/haproxy.tmLanguage.json',
    'snippets/haproxy.json',
    'language-configuration/haproxy.json',
    'schemas/haconf.schema.json',
    'media/icon.png',
    'docs/rules.md',
    'docs/rules/haproxy/removed-keyword.md',
    'docs/rules/cluster/vrid-mismatch.md',
  ]) {
    if (!fs.existsSync(path.join(dir, f))) problems.push(`missing ${f}`);
  }
  // vsce stores the README as readme.md: the user one (README.marketplace.md), not the developers'.
  const readme = fs.readdirSync(dir).find((f) => f.toLowerCase() === 'readme.md');
  if (!readme) problems.push('missing README.md');
  else if (!fs.readFileSync(path.join(dir, readme), 'utf8').includes('## Quick start')) problems.push('README.md is not the user README (README.marketplace.md)');
  for (const f of ['server/src', 'client/src', 'test', 'node_modules', '.tmp', 'examples', 'bench', 'scripts', 'tsconfig.json', 'package-lock.json']) {
    if (fs.existsSync(path.join(dir, f))) problems.push(`ships ${f}`);
  }
  return problems;
}

async function vsixSmoke(tools: Tools, tmp: string): Promise<boolean> {
  console.log('\n== packaged .vsix installed into a fresh code-server ==');
  const vsix = packageVsix();
  const { ws, ipc, port, profile } = await launchSetup(tmp, 'vsix');
  profile.env.HACONF_E2E_EXTDIR = profile.extensions;
  const t0 = Date.now();
  const inst = spawnSync(process.execPath, [...codeServerArgs(tools, profile), '--install-extension', vsix], { env: profile.env, encoding: 'utf8' });
  console.log(`  install (${Date.now() - t0} ms): ${(inst.stdout + inst.stderr).trim().split('\n').slice(-2).join(' | ')}`);
  if (inst.status !== 0) throw new Error(`code-server --install-extension failed (exit ${inst.status})`);
  const installed = fs.readdirSync(profile.extensions).filter((d) => d.startsWith('haconf.haconf-'));
  if (installed.length !== 1) throw new Error(`expected one haconf.haconf-* folder in ${profile.extensions}, found: ${installed.join(', ') || 'none'}`);
  const layout = checkInstalledLayout(path.join(profile.extensions, installed[0]));
  if (layout.length) console.log(`  FAIL installed layout: ${layout.join('; ')}`);
  else console.log(`  ok   installed layout (${installed[0]})`);
  const logDir = path.join(tmp, 'logs-vsix');
  fs.mkdirSync(logDir);
  const cs = await startCodeServer(tools, profile, port);
  try {
    const r = await runInBrowser(tools, port, ws, PROBE_EXTENSION, VSIX_ENTRY, ipc, logDir);
    report('vsix', r);
    reportActivation('vsix', r, profile.userData);
    return layout.length === 0 && r.exitCode === 0 && Boolean(r.suite);
  } finally {
    await stopTree(cs);
  }
}

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const tools = locateTools();
  const t0 = Date.now();
  buildExtension();
  await buildSuites();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-e2e-'));
  let ok = true;
  try {
    if (!args.has('--only-vsix')) ok = (await devSuite(tools, tmp)) && ok;
    if (!args.has('--no-vsix')) ok = (await vsixSmoke(tools, tmp)) && ok;
  } finally {
    if (args.has('--keep') || !ok) console.log(`\nstate kept in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\ne2e ${ok ? 'PASSED' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok ? 0 : 1;
}

// Also imported by the deploy suite's runner (test/e2e/deploy/run.ts), which reuses the pieces above.
if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`e2e harness error: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
}
