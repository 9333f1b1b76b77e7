// Every enforced limit (docs/limits.md) gives a finding or a message that names it when exceeded,
// never silence, a hang or a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  COROSYNC_MAX_LINE,
  HAPROXY_MAX_WORDS,
  KEEPALIVED_MAX_LINE,
  MAX_ANALYSED_LINE,
  MAX_FILE_BYTES,
  MAX_INCLUDE_BYTES,
  MAX_INCLUDE_DEPTH,
  MAX_INCLUDE_FILES,
  MAX_WORKSPACE_FILES,
} from '../../server/src/core/limits';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';
import { collectFiles } from '../../server/src/engine/collect';
import { analyseFile, capPerFile, MAX_DIAGNOSTICS_PER_FILE } from '../../server/src/engine/analyse';
import { MAX_INCLUDE_READS } from '../../server/src/keepalived/parser';
import { MAX_GENERATED_LINES } from '../../server/src/keepalived/lexer';
import { MemHost, runModule } from '../fuzz/properties';
import { runCli } from '../helpers/cli';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-limits-'));
const has = (ds: Diagnostic[], code: string, re: RegExp): boolean => ds.some((d) => d.code === code && re.test(d.message));

test(`MAX_FILE_BYTES (${MAX_FILE_BYTES}): a bigger file is refused by name, on the command line, in an include and in the editor`, async () => {
  const dir = tmp();
  try {
    const big = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_FILE_BYTES + 1); // sparse: no 16 MB written
    const cli = await runCli(['check', big], dir);
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, new RegExp(`over the ${MAX_FILE_BYTES}-byte limit`));
    fs.writeFileSync(path.join(dir, 'keepalived.conf'), 'include haproxy.cfg\n');
    const inc = runModule('keepalived', path.join(dir, 'keepalived.conf'), 'include haproxy.cfg\n', new NodeSourceHost());
    assert.ok(has(inc.diagnostics, 'keepalived/include-missing', /over the \d+-byte limit/));
    const a = analyseFile('/x/haproxy.cfg', 'x'.repeat(MAX_FILE_BYTES + 1), 'haproxy', defaultCheckOptions(), new NodeSourceHost());
    assert.ok(has(a.diagnostics, 'haproxy/syntax', /over the \d+-byte limit/));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(`MAX_INCLUDE_DEPTH (${MAX_INCLUDE_DEPTH}): a deeper include chain is cut with an error`, () => {
  const files = new Map<string, string>();
  for (let i = 0; i <= MAX_INCLUDE_DEPTH + 2; i++) files.set(`/k/f${i}.conf`, `include f${i + 1}.conf\n`);
  const r = runModule('keepalived', '/k/f0.conf', files.get('/k/f0.conf')!, new MemHost(files));
  assert.ok(has(r.diagnostics, 'keepalived/include-missing', new RegExp(`deeper than ${MAX_INCLUDE_DEPTH} levels`)));
  assert.equal(r.sources.size, MAX_INCLUDE_DEPTH + 1);
});

test(`MAX_INCLUDE_FILES (${MAX_INCLUDE_FILES}): a glob matching more files is cut with a warning`, () => {
  const files = new Map<string, string>([['/k/keepalived.conf', 'include parts/*.conf\n']]);
  for (let i = 0; i < MAX_INCLUDE_FILES + 5; i++) files.set(`/k/parts/p${String(i).padStart(5, '0')}.conf`, '');
  const r = runModule('keepalived', '/k/keepalived.conf', files.get('/k/keepalived.conf')!, new MemHost(files));
  assert.ok(has(r.diagnostics, 'keepalived/include-missing', new RegExp(`more than ${MAX_INCLUDE_FILES} files`)));
  assert.equal(r.sources.size, MAX_INCLUDE_FILES + 1);
});

test(`MAX_INCLUDE_READS (${MAX_INCLUDE_READS}): more included files stop the reading with one error`, () => {
  // Three globs of 1000 distinct files each: 3000 reads wanted.
  const files = new Map<string, string>([['/k/keepalived.conf', 'include a/*.conf\ninclude b/*.conf\ninclude c/*.conf\n']]);
  for (const d of ['a', 'b', 'c']) for (let i = 0; i < MAX_INCLUDE_FILES; i++) files.set(`/k/${d}/p${String(i).padStart(5, '0')}.conf`, '');
  const r = runModule('keepalived', '/k/keepalived.conf', files.get('/k/keepalived.conf')!, new MemHost(files));
  const stops = r.diagnostics.filter((d) => d.code === 'keepalived/include-missing' && new RegExp(`more than ${MAX_INCLUDE_READS} included files`).test(d.message));
  assert.equal(stops.length, 1, 'one finding says where the reading stopped');
  assert.equal(stops[0].range.start.line, 2);
  assert.equal(r.sources.size, MAX_INCLUDE_READS + 1);
});

test(`MAX_INCLUDE_BYTES (${MAX_INCLUDE_BYTES}): a big fragment included in many blocks stops with one error`, () => {
  const big = `# ${'x'.repeat(4 * 1024 * 1024)}\n`;
  const block = (i: number) => `vrrp_script s${i} {\n    include big.inc\n}\n`;
  const main = Array.from({ length: 12 }, (_, i) => block(i)).join('');
  const files = new Map<string, string>([
    ['/k/keepalived.conf', main],
    ['/k/big.inc', big],
  ]);
  const t0 = performance.now();
  const r = runModule('keepalived', '/k/keepalived.conf', main, new MemHost(files));
  const stops = r.diagnostics.filter((d) => d.code === 'keepalived/include-missing' && /add up to more than/.test(d.message));
  assert.equal(stops.length, 1);
  assert.equal(stops[0].range.start.line, Math.floor(MAX_INCLUDE_BYTES / big.length) * 3 + 1);
  assert.ok(performance.now() - t0 < 10000);
});

test('include fan-out: 300 files that each include all 300 give one bounded check, each top-level file read once', () => {
  const files = new Map<string, string>();
  for (let i = 0; i < 300; i++) files.set(`/k/conf.d/f${i}.conf`, `include /k/conf.d/*.conf\nvrrp_script s${i} {\n    script "/bin/true"\n}\n`);
  const t0 = performance.now();
  const r = runModule('keepalived', '/k/conf.d/f0.conf', files.get('/k/conf.d/f0.conf')!, new MemHost(files));
  const ms = performance.now() - t0;
  // Before: 10 s and 596,186 findings (every include line re-visited along every path).
  assert.equal(r.sources.size, 300, 'every file read once');
  assert.ok(r.diagnostics.length <= 400, `${r.diagnostics.length} findings`);
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  const keys = r.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.message}`);
  assert.equal(new Set(keys).size, keys.length, 'no finding repeated');
});

test(`HAPROXY_MAX_WORDS (${HAPROXY_MAX_WORDS}): a longer statement is an error`, () => {
  const text = `frontend f\n    http-request set-var(txn.x) str(${Array.from({ length: HAPROXY_MAX_WORDS + 4 }, (_, i) => `w${i}`).join(' ')})\n`;
  const r = runModule('haproxy', '/x/haproxy.cfg', text, new MemHost());
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && new RegExp(`at most ${HAPROXY_MAX_WORDS}`).test(d.message)));
});

test(`MAX_ANALYSED_LINE (${MAX_ANALYSED_LINE}): a longer haproxy line is named, and only its start is analysed`, () => {
  const r = runModule('haproxy', '/x/haproxy.cfg', `global\n    log ${'a'.repeat(MAX_ANALYSED_LINE + 10)}\n`, new MemHost());
  assert.ok(r.diagnostics.some((d) => new RegExp(`only the first ${MAX_ANALYSED_LINE}`).test(d.message)));
});

test(`KEEPALIVED_MAX_LINE (${KEEPALIVED_MAX_LINE}): a longer keepalived line is an error`, () => {
  const r = runModule('keepalived', '/x/keepalived.conf', `global_defs {\n    router_id ${'r'.repeat(KEEPALIVED_MAX_LINE)}\n}\n`, new MemHost());
  assert.ok(has(r.diagnostics, 'keepalived/syntax', new RegExp(`at most ${KEEPALIVED_MAX_LINE - 1} bytes`)));
});

test(`COROSYNC_MAX_LINE (${COROSYNC_MAX_LINE}): a longer corosync line is an error`, () => {
  const r = runModule('corosync', '/x/corosync.conf', `totem {\n    cluster_name: ${'c'.repeat(COROSYNC_MAX_LINE)}\n}\n`, new MemHost());
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && /Line too long/.test(d.message)));
});

test(`MAX_GENERATED_LINES (${MAX_GENERATED_LINES}): keepalived ~SEQ past it is cut with a warning`, () => {
  const r = runModule('keepalived', '/x/keepalived.conf', `~SEQ(i,1,1,${MAX_GENERATED_LINES * 2}) vrrp_script s$i {\n}\n`, new MemHost());
  assert.ok(r.diagnostics.some((d) => new RegExp(`more than ${MAX_GENERATED_LINES} lines`).test(d.message)));
});

test(`MAX_WORKSPACE_FILES (${MAX_WORKSPACE_FILES}): collecting more files stops with a note the CLI prints`, () => {
  const dir = tmp();
  try {
    for (let i = 0; i <= MAX_WORKSPACE_FILES + 2; i++) fs.writeFileSync(path.join(dir, `haproxy${i}.cfg`), '');
    const r = collectFiles([dir]);
    assert.equal(r.files.length, MAX_WORKSPACE_FILES);
    assert.ok(r.notes.some((n) => new RegExp(`stopped after ${MAX_WORKSPACE_FILES} files`).test(n)));
    // One note, not one per file past the limit (it used to repeat for every further file).
    assert.equal(r.notes.length, 1, r.notes.slice(0, 3).join(' | '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test(`MAX_DIAGNOSTICS_PER_FILE (${MAX_DIAGNOSTICS_PER_FILE}): the editor gets the first ones and a line counting the rest`, () => {
  const text = 'frontend f\n' + '    bindd :80\n'.repeat(MAX_DIAGNOSTICS_PER_FILE + 50);
  const all = analyseFile('/x/haproxy.cfg', text, 'haproxy', defaultCheckOptions(), new NodeSourceHost()).diagnostics;
  // The analysis keeps every finding (the CLI counts them all); the editor is shown the capped list.
  assert.ok(all.length > MAX_DIAGNOSTICS_PER_FILE);
  const a = { diagnostics: capPerFile(all) };
  assert.ok(a.diagnostics.length <= MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.ok(a.diagnostics.some((d) => /more findings in this file are not shown/.test(d.message)));
});
