// The real Neovim from Debian (headless) as an LSP client of the installed `haconf lsp --stdio`: the
// README's Neovim 0.7 configuration (haconf-nvim07.lua) starts the server, drive.lua exercises
// diagnostics, hover, completion, code action, definition (across a split configuration) and formatting,
// and writes what the editor got to JSON; the tests below assert on it. A missing nvim fails the suite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packAndInstall, ROOT, type Installed } from './install';

interface Diag {
  lnum: number;
  col: number;
  code: string;
  message: string;
  severity: number;
}
interface Result {
  steps: {
    filetype?: string;
    client?: string;
    diagnostics?: Diag[];
    hover?: string;
    completion?: string[];
    actions?: string[];
    set_header_insert?: string;
    signature?: string;
    signature_active?: string;
    code_action_titles?: string[];
    code_action_line?: string;
    diagnostics_after_fix?: Diag[];
    definition?: { file: string; line: number; col: number };
    formatted?: string;
  };
  errors: Record<string, string>;
}

const MAIN =
  'global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend web\n    bind 127.0.0.1:8080\n    default_backend app\n';
const BACK = 'backend app\n    balanse roundrobin\n    server a1 127.0.0.1:9001 check\n';
const MESSY = 'global\nlog stdout format raw local0   \n  defaults\n\tmode http\n        timeout connect "5s"  \n';

let inst: Installed;
let root: string;
let result: Result;
let nvimVersion: string;

function nvimMissing(): string {
  return 'nvim is not installed: run `bash test/setup.sh` (apt-get install neovim); the Neovim suite cannot run without it';
}

/** Our own server processes still running (their command line holds the temp install folder). */
function serversAlive(): number[] {
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(inst.dir)) pids.push(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

before(() => {
  const v = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new Error(nvimMissing());
  nvimVersion = v.stdout.split('\n')[0];
  inst = packAndInstall();
  root = path.join(inst.dir, 'ws');
  for (const [rel, text] of [
    ['etc/haproxy/haproxy.cfg', MAIN],
    ['etc/haproxy/conf.d/20-back.cfg', BACK],
    ['messy/haproxy.cfg', MESSY],
  ]) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const outFile = path.join(inst.dir, 'nvim-result.json');
  const xdg = path.join(inst.dir, 'xdg');
  const env = {
    ...process.env,
    PATH: `${inst.binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HACONF_NVIM_ROOT: root,
    HACONF_NVIM_OUT: outFile,
    XDG_CONFIG_HOME: `${xdg}/config`,
    XDG_DATA_HOME: `${xdg}/data`,
    XDG_STATE_HOME: `${xdg}/state`,
    XDG_CACHE_HOME: `${xdg}/cache`,
  };
  const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(__dirname, 'haconf-nvim07.lua'), '-c', `luafile ${path.join(__dirname, 'drive.lua')}`], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.error) throw new Error(`nvim failed to run: ${r.error.message}\n${r.stdout}\n${r.stderr}`);
  if (!fs.existsSync(outFile)) throw new Error(`nvim (${nvimVersion}) exited ${r.status} without writing ${outFile}:\n${r.stdout}\n${r.stderr}`);
  result = JSON.parse(fs.readFileSync(outFile, 'utf8')) as Result;
});

after(() => {
  if (!inst) return;
  for (const pid of serversAlive()) process.kill(pid);
  inst.cleanup();
});

const noError = (step: string) => assert.equal(result.errors[step], undefined, `${step} failed in nvim: ${result.errors[step]}`);

test('Neovim recognises the file and the README configuration starts haconf from PATH', () => {
  noError('open');
  assert.match(nvimVersion, /^NVIM v0\.\d+/);
  assert.equal(result.steps.filetype, 'haproxy');
  assert.equal(result.steps.client, 'haconf');
});

test('diagnostics: the unknown keyword, and no false finding on the split configuration', () => {
  noError('diagnostics');
  const ds = result.steps.diagnostics!;
  assert.deepEqual(
    ds.map((d) => [d.lnum, d.col, d.code]),
    [[1, 4, 'haproxy/unknown-keyword']],
    JSON.stringify(ds),
  );
  assert.match(ds[0].message, /balanse/);
});

test('hover on a keyword', () => {
  noError('hover');
  assert.match(result.steps.hover!, /server/);
  assert.match(result.steps.hover!, /docs\.haproxy\.org/);
});

test('completion of backend keywords', () => {
  noError('completion');
  const labels = result.steps.completion!;
  for (const k of ['server', 'balance', 'timeout connect']) assert.ok(labels.includes(k), `${k} in ${labels.slice(0, 20).join(', ')}…`);
  assert.ok(!labels.includes('bind'), 'bind is not a backend keyword');
});

test('completion after http-request offers the actions; signature help on server', () => {
  noError('grammar');
  const actions = result.steps.actions!;
  for (const a of ['set-header', 'deny', 'redirect']) assert.ok(actions.includes(a), `${a} in ${actions.slice(0, 20).join(', ')}…`);
  assert.ok(!actions.includes('balance'), 'no keywords where an action goes');
  assert.equal(result.steps.set_header_insert, 'set-header ${1:name} ${2:fmt}');
  assert.equal(result.steps.signature, 'server <name> <address>[:[port]] [param*]');
  assert.equal(result.steps.signature_active, '<name>');
});

test('code action: the quick fix replaces the keyword and the finding clears', () => {
  noError('code action');
  assert.equal(result.steps.code_action_titles![0], "Replace with 'balance'");
  assert.ok(result.steps.code_action_titles!.some((t) => /Disable haproxy\/unknown-keyword/.test(t)));
  assert.equal(result.steps.code_action_line, '    balance roundrobin');
  assert.deepEqual(result.steps.diagnostics_after_fix, []);
});

test('definition jumps from haproxy.cfg to the backend in conf.d/20-back.cfg', () => {
  noError('definition');
  assert.deepEqual(result.steps.definition, { file: path.join(root, 'etc/haproxy/conf.d/20-back.cfg'), line: 0, col: 8 });
});

test('formatting through the editor', () => {
  noError('formatting');
  assert.equal(result.steps.formatted, 'global\n    log stdout format raw local0\ndefaults\n    mode http\n    timeout connect "5s"\n');
});

test('the server exits when Neovim quits', async () => {
  const deadline = Date.now() + 10_000;
  while (serversAlive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(serversAlive(), []);
});

test('the README shows this very Neovim configuration', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const snippet = fs.readFileSync(path.join(__dirname, 'haconf-nvim07.lua'), 'utf8').trim();
  assert.ok(readme.includes(snippet), 'README.md must contain test/nvim/haconf-nvim07.lua verbatim (the tested configuration)');
});
