// One pipeline, checked: for every fixture, example and corpus file, `haconf check` (the real CLI code path,
// in-process, plus one spawn of bin/haconf.js) reports exactly the findings the language server's workspace
// model holds, both right after it read the files and after a random sequence of edits that ends on the same
// texts. Whole example folders are checked, so cluster and manifest findings are compared too.
// Deterministic (fixed fast-check seeds) and bounded in time.
import { defaultCheckOptions } from '../../server/src/core/types';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import type { Diagnostic, Language } from '../../server/src/core/types';
import { runCheck } from '../../server/src/cli/check';
import { toJsonDiagnostic, type JsonDiagnostic } from '../../server/src/cli/format';
import { WorkspaceModel } from '../../server/src/engine/model';
import { scanInBackground } from '../../server/src/services/scan';
import { textChange, applyChange, fraction } from '../fuzz/generators';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const LANGS: readonly string[] = ['haproxy', 'keepalived', 'corosync'];
/** The whole file stays under this (the unit suite runs it on every change). */
const BUDGET_MS = 60_000;

interface Target {
  /** Absolute path of a folder (checked as a workspace) or one file (opened alone in an editor). */
  path: string;
  folder: boolean;
  /** `--lang` for a file whose name does not tell (the corpus keeps the upstream names). */
  lang?: Language;
}

const real = (p: string) => fs.realpathSync(p);
const dirs = (p: string) =>
  fs
    .readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(p, e.name))
    .sort();
const filesUnder = (p: string): string[] =>
  fs
    .readdirSync(p, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(p, e.name)) : e.isFile() ? [path.join(p, e.name)] : []))
    .sort();

function targets(): Target[] {
  const out: Target[] = [];
  const examples = path.join(ROOT, 'examples');
  for (const group of dirs(examples)) {
    out.push({ path: real(group), folder: true });
    for (const ex of dirs(group)) out.push({ path: real(ex), folder: true });
  }
  const fixtures = path.join(ROOT, 'test/fixtures');
  const subfolders = (d: string): string[] => dirs(d).flatMap((sub) => [sub, ...subfolders(sub)]);
  for (const dir of dirs(fixtures)) {
    // Each folder on its own too: a split set or a cluster of two files gets edits on its own files.
    for (const folder of [dir, ...subfolders(dir)]) out.push({ path: real(folder), folder: true });
    const lang = LANGS.includes(path.basename(dir)) ? (path.basename(dir) as Language) : undefined;
    for (const f of filesUnder(dir)) out.push({ path: real(f), folder: false, lang });
  }
  // A missing corpus is a broken checkout, not a reason to skip: fail loudly.
  assert.ok(fs.existsSync(CORPUS), `${CORPUS} is missing (the shared corpus of real configs)`);
  for (const lang of LANGS) for (const f of filesUnder(path.join(CORPUS, lang))) out.push({ path: real(f), folder: false, lang: lang as Language });
  return out;
}

/** A finding as `haconf check --format json` prints it, with absolute paths, as one comparable string. */
const key = (d: JsonDiagnostic) => JSON.stringify(d);
const asJson = (ds: Diagnostic[]) => ds.map((d) => key(toJsonDiagnostic(d, (f) => f))).sort();

/** `haconf check --format json` through the CLI's own code (argument parsing, collection, the model, the formatter). */
function cliFindings(t: Target): string[] {
  let out = '';
  const io = { stdout: (s: string) => void (out += s), stderr: () => undefined, cwd: ROOT };
  // The same target version on both sides: version resolution (flag, manifest, hosts, local binary) has its
  // own tests (target-version.test.ts); here the two pipelines must agree for given options.
  // keepalived: the model's default options take the keywords of every release, as 2.3 (the newest) does.
  runCheck(['--format', 'json', '--haproxy-version', defaultCheckOptions().haproxyVersion, '--keepalived-version', '2.3', ...(t.lang ? ['--lang', t.lang] : []), t.path], io);
  return (JSON.parse(out) as { diagnostics: JsonDiagnostic[] }).diagnostics.map(key).sort();
}

/** What the language server holds: a folder scanned in the background (batches), or one file opened alone. */
async function editorModel(t: Target): Promise<WorkspaceModel> {
  const model = new WorkspaceModel();
  if (t.folder) {
    await scanInBackground(model, [t.path], () => undefined);
  } else if (model.setBuffer(t.path, fs.readFileSync(t.path, 'utf8'), t.lang)) {
    model.refresh([t.path]);
  }
  return model;
}

/** A random range change (fuzz/generators.ts), or a whole-line edit: the lines files tell each other about. */
type Change = { a: number; b: number; text: string } | { line: 'delete' | 'duplicate' | 'comment-out' | 'three-on-top'; at: number };

interface Sequence {
  edits: Edit[];
  close: boolean;
  oneByOne: boolean;
}

interface Edit {
  file: number;
  change: Change;
  /** Check right after this edit, or let it queue with the next ones (a typing burst). */
  flush: boolean;
}

const editSequence: fc.Arbitrary<Sequence> = fc.record({
  edits: fc.array(
    fc.record({
      file: fc.nat(),
      change: fc.oneof(textChange, fc.record({ line: fc.constantFrom('delete' as const, 'duplicate' as const, 'comment-out' as const, 'three-on-top' as const), at: fraction })),
      flush: fc.boolean(),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  // The sequence ends on the original texts either by typing them back or by closing the buffers (disk text).
  close: fc.boolean(),
  // Back one file at a time, each checked (undo in one editor, then the next), or all in one check.
  oneByOne: fc.boolean(),
});

function change(text: string, c: Change): string {
  if (!('line' in c)) return applyChange(text, c);
  if (c.line === 'three-on-top') return '# one\n# two\n# three\n' + text;
  const lines = text.split('\n');
  const i = Math.min(lines.length - 1, Math.floor(c.at * lines.length));
  if (c.line === 'delete') lines.splice(i, 1);
  else if (c.line === 'duplicate') lines.splice(i, 0, lines[i]);
  else lines[i] = '#' + lines[i];
  return lines.join('\n');
}

/** Applies `edits` as an editor sends them, then goes back to the original texts; the model is left checked. */
function editAndRestore(model: WorkspaceModel, t: Target, seq: Sequence): void {
  const files = t.folder
    ? model
        .allFiles()
        .map((f) => f.file)
        .sort()
    : [t.path];
  if (!files.length) return;
  const original = new Map<string, string>();
  const pending = new Set<string>();
  for (const e of seq.edits) {
    const file = files[e.file % files.length];
    const text = model.textOf(file);
    if (text === undefined) continue;
    if (!original.has(file)) original.set(file, text);
    model.setBuffer(file, change(text, e.change), t.folder ? undefined : t.lang);
    pending.add(file);
    if (e.flush) {
      model.refresh([...pending]);
      pending.clear();
    }
  }
  for (const [file, text] of original) {
    // A file opened alone outside any folder leaves the model when closed: type it back instead.
    if (seq.close && t.folder) model.closeBuffer(file);
    else model.setBuffer(file, text, t.folder ? undefined : t.lang);
    pending.add(file);
    if (seq.oneByOne) {
      model.refresh([...pending]);
      pending.clear();
    }
  }
  model.refresh([...pending]);
}

test('haconf check (in-process) and the workspace model report the same findings on every fixture, example and corpus file, also after random edits', async () => {
  const t0 = Date.now();
  const all = targets();
  let compared = 0;
  let findings = 0;
  // Jinja2 templates (test/fixtures/templates, examples/ansible-role): rendered per inventory host, checked
  // as virtual files, findings moved back to template lines; counted so losing them fails the test.
  const isTemplateTarget = (t: Target) => /[/\\](templates|ansible-role)([/\\]|$)/.test(t.path) || /\.(j2|jinja2?)$/.test(t.path);
  let templateTargets = 0;
  const renderedOnTemplates = new Set<string>();
  for (const [index, t] of all.entries()) {
    const cli = cliFindings(t);
    if (isTemplateTarget(t)) {
      templateTargets++;
      for (const d of cli) {
        const j = JSON.parse(d) as JsonDiagnostic;
        if (/\.j2$/.test(j.file) && j.code.startsWith('cluster/')) renderedOnTemplates.add(`${path.basename(j.file)} ${j.code}`);
      }
    }
    const model = await editorModel(t);
    const label = path.relative(path.dirname(ROOT), t.path);
    assert.deepEqual(asJson(model.allDiagnostics()), cli, `${label}: the CLI and the model disagree`);
    // Random edit sequences, each ending on the same texts: the incremental paths must land on the same
    // findings. A folder gets more of them (its edits spread over its files: includes, sets, clusters).
    const sequences = fc.sample(editSequence, { seed: 14_000 + index, numRuns: t.folder ? 4 : 1 });
    for (const seq of sequences) {
      editAndRestore(model, t, seq);
      assert.deepEqual(asJson(model.allDiagnostics()), cli, `${label}: after the edits ${JSON.stringify(seq)} the model disagrees with the CLI`);
    }
    compared++;
    findings += cli.length;
  }
  const ms = Date.now() - t0;
  process.stdout.write(`pipeline differential: ${compared} targets, ${findings} findings, ${ms} ms\n`);
  assert.ok(compared > 200, `only ${compared} targets`);
  assert.ok(findings > 500, `only ${findings} findings compared: the inputs lost their findings`);
  assert.ok(ms < BUDGET_MS, `took ${ms} ms (budget ${BUDGET_MS})`);
  assert.ok(templateTargets >= 20, `only ${templateTargets} template targets (test/fixtures/templates, examples/ansible-role)`);
  // Cross-host findings of rendered templates, mapped to the template line: the VRID example and the fixtures.
  for (const expected of ['keepalived.conf.j2 cluster/vrid-mismatch', 'haproxy.cfg.j2 cluster/nonlocal-bind']) {
    assert.ok(renderedOnTemplates.has(expected), `no ${expected} among the template findings: ${[...renderedOnTemplates].join(', ')}`);
  }
});

test('bin/haconf.js check --format json over the examples folder prints what the model holds', async () => {
  const dir = real(path.join(ROOT, 'examples/as-written'));
  const bin = path.join(ROOT, 'bin/haconf.js');
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build first');
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [bin, 'check', '--format', 'json', '--haproxy-version', defaultCheckOptions().haproxyVersion, '--keepalived-version', '2.3', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    // Findings at error severity exit 1; the output is what counts.
    stdout = (e as { stdout: string }).stdout;
  }
  const printed = (JSON.parse(stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.map(key).sort();
  const model = await editorModel({ path: dir, folder: true });
  assert.ok(printed.length > 10, `only ${printed.length} findings`);
  assert.ok(
    printed.some((d) => d.includes('"cluster/')),
    'cluster findings are part of the comparison',
  );
  assert.deepEqual(asJson(model.allDiagnostics()), printed);
});
