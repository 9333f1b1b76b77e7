// The real Emacs (batch, Debian's emacs-nox 28 with elpa-eglot) as an LSP client of the installed
// `haconf lsp --stdio`, configured by the README's Emacs block itself: diagnostics, completion, go to
// definition across a split HAProxy configuration, formatting. drive.el records what eglot got as JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packAndInstall, ROOT, type Installed } from './install';

interface Result {
  steps: { mode?: string; diagnostics?: { line: number; text: string }[]; completion?: string[]; definition?: { file: string; line: number }; formatted?: string };
  errors: Record<string, string>;
}

const MAIN =
  'global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend web\n    bind 127.0.0.1:8080\n    default_backend app\n';
const BACK = 'backend app\n    balanse roundrobin\n    server a1 127.0.0.1:9001 check\n';
const MESSY = 'global\nlog stdout format raw local0   \n  defaults\n\tmode http\n        timeout connect "5s"  \n';

let inst: Installed;
let root: string;
let result: Result;

/** The README's Emacs configuration, exactly as shown. */
function readmeEmacsBlock(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /\*\*Emacs\*\*[\s\S]*?```elisp\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no **Emacs** ```elisp block');
  return m[1];
}

before(() => {
  const v = spawnSync('emacs', ['--batch', '--eval', '(progn (package-initialize) (require (quote eglot)) (princ emacs-version))'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new Error(`emacs with eglot is not installed: run \`bash test/setup.sh\` (apt-get install emacs-nox elpa-eglot)\n${v.stderr ?? v.error}`);
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
  // eglot's project is the version-controlled folder around the file.
  spawnSync('git', ['init', '-q', root]);
  const config = path.join(inst.dir, 'readme-emacs.el');
  fs.writeFileSync(config, readmeEmacsBlock());
  const outFile = path.join(inst.dir, 'emacs-result.json');
  const env = {
    ...process.env,
    HOME: inst.dir,
    PATH: `${inst.binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HACONF_EMACS_CONFIG: config,
    HACONF_EMACS_ROOT: root,
    HACONF_EMACS_OUT: outFile,
  };
  const r = spawnSync('emacs', ['--batch', '-l', path.join(__dirname, 'drive.el')], { cwd: root, env, encoding: 'utf8', timeout: 240_000 });
  if (!fs.existsSync(outFile)) throw new Error(`emacs exited ${r.status} without writing ${outFile}:\n${r.stdout}\n${r.stderr}`);
  const raw = JSON.parse(fs.readFileSync(outFile, 'utf8')) as Partial<Result>;
  // json-encode writes an empty alist as null.
  result = { steps: raw.steps ?? {}, errors: raw.errors ?? {} };
});

after(() => inst?.cleanup());

const noError = (step: string) => assert.equal(result.errors[step], undefined, `${step} failed in emacs: ${result.errors[step]}`);

test('Emacs opens conf.d/*.cfg in haproxy-mode and eglot connects to haconf', () => {
  noError('open');
  assert.equal(result.steps.mode, 'haproxy-mode');
});

test('eglot diagnostics: the unknown keyword only', () => {
  noError('diagnostics');
  const ds = result.steps.diagnostics!;
  assert.equal(ds.length, 1, JSON.stringify(ds));
  assert.equal(ds[0].line, 2);
  assert.match(ds[0].text, /haproxy\/unknown-keyword.*balanse/);
});

test('eglot completion in a backend', () => {
  noError('completion');
  for (const k of ['server', 'balance']) assert.ok(result.steps.completion!.includes(k), JSON.stringify(result.steps.completion!.slice(0, 20)));
});

test('xref definition jumps into conf.d/20-back.cfg', () => {
  noError('definition');
  assert.deepEqual(result.steps.definition, { file: path.join(root, 'etc/haproxy/conf.d/20-back.cfg'), line: 1 });
});

test('eglot formatting', () => {
  noError('formatting');
  assert.equal(result.steps.formatted, 'global\n    log stdout format raw local0\ndefaults\n    mode http\n    timeout connect "5s"\n');
});
