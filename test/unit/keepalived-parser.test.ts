import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseKeepalived } from '../../server/src/keepalived/parser';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import type { KaBlock, KeepalivedDoc } from '../../server/src/keepalived/types';
import { MAX_INCLUDE_DEPTH } from '../../server/src/core/limits';
import { tempTree } from '../helpers/tmp';

const host = new NodeSourceHost();
const parse = (text: string, file = '/tmp/haconf-none/keepalived.conf'): KeepalivedDoc => parseKeepalived(file, text, host);
const kinds = (b: KaBlock): string[] => b.children.filter((s) => s.block).map((s) => `${s.words[0].text}:${s.block!.kind}`);
const syntax = (d: KeepalivedDoc) => d.diagnostics.filter((x) => x.code === 'keepalived/syntax');

test('braces after the keyword, on the next line, and a whole block on one line', () => {
  const d = parse('global_defs {\n  router_id a\n}\nvrrp_instance VI_1\n{\n  authentication { auth_type PASS auth_pass x }\n  virtual_ipaddress { 10.0.0.1/24 }\n}\n');
  assert.deepEqual(kinds(d.root), ['global_defs:global_defs', 'vrrp_instance:vrrp_instance']);
  const inst = d.root.children[1].block!;
  assert.deepEqual(kinds(inst), ['authentication:authentication', 'virtual_ipaddress:virtual_ipaddress']);
  const auth = inst.children[0].block!;
  assert.deepEqual(
    auth.children.map((s) => s.words.map((w) => w.text).join(' ')),
    ['auth_type PASS auth_pass x'],
  );
  assert.equal(inst.children[1].block!.value, true);
  assert.deepEqual(syntax(d), []);
});

test('comments start anywhere outside quotes, even mid-word, and cut the word', () => {
  const d = parse('vrrp_instance V {\n  virtual_router_id 0!51\n  auth_pass "a#b" # real comment\n  x \\#y\n}\n');
  const [vrid, pass, esc] = d.root.children[0].block!.children;
  assert.deepEqual(
    vrid.words.map((w) => w.text),
    ['virtual_router_id', '0'],
  );
  assert.equal(vrid.cutWord, true);
  assert.deepEqual(vrid.commentStart, { line: 1, character: 21 });
  assert.deepEqual(vrid.words[1].range, { start: { line: 1, character: 20 }, end: { line: 1, character: 21 } });
  assert.equal(pass.words[1].text, 'a#b');
  assert.equal(pass.words[1].quoted, true);
  assert.equal(pass.cutWord, undefined);
  assert.deepEqual(
    esc.words.map((w) => w.text),
    ['x', '#y'],
  );
});

test('unterminated quote and over-long lines are syntax errors with exact ranges', () => {
  const d = parse(`router_id "abc\n${'a'.repeat(1100)}\n`);
  const s = syntax(d);
  assert.equal(s.length, 2);
  assert.deepEqual(s[0].range, { start: { line: 0, character: 10 }, end: { line: 0, character: 11 } });
  assert.match(s[1].message, /1100 bytes/);
  assert.equal(syntax(parse(`router_id ${'a'.repeat(1000)}\n`)).length, 0);
});

test('extra } is reported and the rest of the file still parses', () => {
  const d = parse('vrrp_instance A {\n  priority 1\n}\n}\nvrrp_instance B {\n  priority 2\n}\n');
  const s = syntax(d);
  assert.equal(s.length, 1);
  assert.match(s[0].message, /extra `}`/);
  assert.equal(s[0].range.start.line, 3);
  assert.deepEqual(kinds(d.root), ['vrrp_instance:vrrp_instance', 'vrrp_instance:vrrp_instance']);
});

test('a missing } is recovered at the next top-level block and reported at the open block', () => {
  const d = parse('vrrp_instance A {\n  priority 1\n  virtual_ipaddress {\n    10.0.0.1\n}\nvrrp_instance B {\n  priority 2\n}\n');
  const s = syntax(d);
  assert.equal(s.length, 1, JSON.stringify(s));
  assert.equal(s[0].range.start.line, 0);
  assert.match(s[0].message, /not closed before `vrrp_instance` on line 6/);
  assert.deepEqual(kinds(d.root), ['vrrp_instance:vrrp_instance', 'vrrp_instance:vrrp_instance']);
  assert.equal(d.root.children[1].block!.children[0].words[1].text, '2');
});

test('a block never closed at the end of the file is reported', () => {
  const s = syntax(parse('global_defs {\n  router_id a\n'));
  assert.equal(s.length, 1);
  assert.match(s[0].message, /never closed/);
});

test('a block keyword without { is reported', () => {
  const s = syntax(parse('vrrp_instance A {\n  track_interface eth0\n}\n'));
  assert.equal(s.length, 1);
  assert.match(s[0].message, /starts a block/);
});

test('definitions expand recursively with ranges of the reference; undefined names stay literal', () => {
  const d = parse('$B=10.0.0.1\n$A=${B}/24 dev eth0\nvrrp_instance V {\n  virtual_ipaddress {\n    $A\n    $NOPE\n  }\n}\n');
  const vips = d.root.children[0].block!.children[0].block!.children;
  assert.deepEqual(
    vips[0].words.map((w) => w.text),
    ['10.0.0.1/24', 'dev', 'eth0'],
  );
  assert.ok(vips[0].words.every((w) => w.expanded));
  assert.deepEqual(vips[0].words[2].range, { start: { line: 4, character: 4 }, end: { line: 4, character: 6 } });
  assert.equal(vips[1].words[0].text, '$NOPE');
  assert.equal(d.definitions.length, 2);
});

test('self-referencing definitions stop and are reported', () => {
  const d = parse('$A=x $A\nrouter_id $A\n');
  assert.match(syntax(d)[0].message, /keep expanding/);
});

test('a definition with a blank before = is rejected', () => {
  assert.match(syntax(parse('$A =1\n'))[0].message, /no blank/);
});

test('multi-line definitions expand to several lines', () => {
  const d = parse('$VIPS=10.0.0.1 \\\n10.0.0.2\nvrrp_instance V {\n  virtual_ipaddress {\n    $VIPS\n  }\n}\n');
  const vips = d.root.children[0].block!.children[0].block!.children;
  assert.deepEqual(
    vips.map((s) => s.words[0].text),
    ['10.0.0.1', '10.0.0.2'],
  );
});

test('~SEQ and ~LST generate lines; bad ~SEQ is a syntax error', () => {
  const d = parse('vrrp_instance V {\n  virtual_ipaddress {\n    ~SEQ(i, 1, 3) 10.0.0.$i\n    ~LST(h, a, b) 10.1.0.1 label $h\n  }\n}\n');
  const vips = d.root.children[0].block!.children[0].block!.children;
  assert.deepEqual(
    vips.map((s) => s.words.map((w) => w.text).join(' ')),
    ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.1.0.1 label a', '10.1.0.1 label b'],
  );
  assert.equal(syntax(d).length, 0);
  assert.match(syntax(parse('~SEQ(i, 5, 1, 1) x\n'))[0].message, /never reaches/);
});

test('@id and @^id prefixes keep the line and record the condition', () => {
  const d = parse('vrrp_instance V {\n  @lb1 priority 150\n  @^lb1 priority 100\n  @lonely\n}\n');
  const [a, b] = d.root.children[0].block!.children;
  assert.equal(d.root.children[0].block!.children.length, 2);
  assert.deepEqual([a.condition?.id, a.condition?.negate, a.words[0].text], ['lb1', false, 'priority']);
  assert.deepEqual([b.condition?.id, b.condition?.negate], ['lb1', true]);
  assert.equal(a.words[0].range.start.character, 7);
});

test('includes: globs relative to the including file, statements remember their file', () => {
  const dir = tempTree({
    'keepalived.conf': 'include conf.d/*.conf\nglobal_defs {\n  include inner/x.inc\n}\n',
    'conf.d/a.conf': 'vrrp_script chk {\n  script "/bin/true"\n}\n',
    'conf.d/b.conf': 'vrrp_instance V {\n  priority 1\n}\n',
    'conf.d/inner/x.inc': 'router_id fromx\n',
  });
  const main = path.join(dir, 'keepalived.conf');
  const d = parseKeepalived(main, require('node:fs').readFileSync(main, 'utf8'), host);
  // global_defs' include is relative to keepalived.conf's folder, where inner/ does not exist.
  assert.deepEqual(
    d.diagnostics.map((x) => [x.code, x.range.start.line]),
    [['keepalived/include-missing', 2]],
  );
  assert.deepEqual(kinds(d.root), ['vrrp_script:vrrp_script', 'vrrp_instance:vrrp_instance', 'global_defs:global_defs']);
  assert.equal(d.root.children[1].file, path.join(dir, 'conf.d/b.conf'));
  assert.deepEqual(
    [...d.sources.keys()].map((f) => path.relative(dir, f)),
    ['keepalived.conf', 'conf.d/a.conf', 'conf.d/b.conf'],
  );
  assert.equal(d.includes[1].files.length, 0);
});

test('includes: missing glob warns, cycles and excessive depth are errors', () => {
  const dir = tempTree({
    'keepalived.conf': 'include missing/*.conf\ninclude a.conf\n',
    'a.conf': 'include b.conf\n',
    'b.conf': 'include a.conf\n',
  });
  const main = path.join(dir, 'keepalived.conf');
  const d = parseKeepalived(main, require('node:fs').readFileSync(main, 'utf8'), host);
  const inc = d.diagnostics.filter((x) => x.code === 'keepalived/include-missing');
  assert.deepEqual(
    inc.map((x) => x.severity),
    ['warning', 'error'],
  );
  assert.match(inc[1].message, /cycle a\.conf → b\.conf → a\.conf/);
  assert.equal(inc[1].file, path.join(dir, 'b.conf'));

  const files: Record<string, string> = { 'keepalived.conf': 'include l1.conf\n' };
  for (let i = 1; i <= MAX_INCLUDE_DEPTH + 2; i++) files[`l${i}.conf`] = `include l${i + 1}.conf\n`;
  const deep = tempTree(files);
  const m2 = path.join(deep, 'keepalived.conf');
  const d2 = parseKeepalived(m2, files['keepalived.conf'], host);
  assert.ok(d2.diagnostics.some((x) => x.severity === 'error' && /deeper than/.test(x.message)));
});

test('100,000 opening braces parse in linear time without throwing', () => {
  const text = 'x {\n'.repeat(100000) + '{'.repeat(100000);
  const t0 = Date.now();
  const d = parse(text);
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  assert.ok(syntax(d).length > 0 && syntax(d).length < 100);
});

test('many stray { at the top level are capped, not one finding each', () => {
  const d = parse('{\n'.repeat(500) + 'global_defs {\n');
  const s = syntax(d);
  assert.ok(s.length < 50, `${s.length} findings`);
  assert.ok(s.some((x) => /500 `\{` have no keyword/.test(x.message)));
});

test('garbage never throws', () => {
  const junk = ['}}}{{{', '"', '$', '${', '~SEQ(', '@', '@^', '\\', '!#"\\#', '\u0000\uFFFD', 'include', '$A=${A}${A}'];
  for (let i = 0; i < 300; i++) {
    let s = '';
    for (let j = 0; j < 20; j++) s += junk[(i * 7 + j * 13) % junk.length] + (j % 3 ? ' ' : '\n');
    assert.doesNotThrow(() => parse(s));
  }
});
