import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxy, reparseHaproxy } from '../../server/src/haproxy/parser';
import { parseShape } from '../fuzz/properties';
import { lexLine } from '../../server/src/haproxy/lexer';
import { evalCondition, atLeast } from '../../server/src/haproxy/cond';
import type { SyntaxIssue } from '../../server/src/haproxy/types';

function lex(s: string) {
  const issues: SyntaxIssue[] = [];
  const r = lexLine(s, 0, s.length, 0, issues);
  return { ...r, issues, values: r.words.map((w) => w.value), raws: r.words.map((w) => w.raw) };
}

test('words split on blanks with exact columns', () => {
  const r = lex('  server  s1\t10.0.0.1:80 check');
  assert.deepEqual(r.values, ['server', 's1', '10.0.0.1:80', 'check']);
  assert.deepEqual(
    r.words.map((w) => [w.start, w.end]),
    [
      [2, 8],
      [10, 12],
      [13, 24],
      [25, 30],
    ],
  );
});

test('unescaped # starts a comment anywhere, escaped and quoted # do not', () => {
  const r = lex('acl a path_beg /x#y \\#z "#q" \'#s\' # tail');
  assert.deepEqual(r.values, ['acl', 'a', 'path_beg', '/x']);
  assert.equal(r.commentStart, 17);
  const q = lex('x \\#z "#q" \'#s\' # tail');
  assert.deepEqual(q.values, ['x', '#z', '#q', '#s']);
  assert.equal(q.commentStart, 16);
});

test('escapes and quotes: weak, strong, joined pieces, raw kept', () => {
  const r = lex('a\\ b "c d"\'e f\'g \\x41\\t "q\\"x" \'s\\n\' \\1');
  assert.deepEqual(r.values, ['a b', 'c de fg', 'A\t', 'q"x', 's\\n', '\\1']);
  assert.equal(r.raws[1], '"c d"\'e f\'g');
  assert.equal(r.words[1].quoted, true);
  assert.equal(r.words[0].quoted, false);
  assert.equal(r.issues.length, 0);
});

test('environment variables inside double quotes, with defaults; unquoted $ is literal', () => {
  const r = lex('bind "${ADDR-:8443}" "$HOME/x" "${A}" $B');
  assert.deepEqual(r.values, ['bind', ':8443', '/x', '', '$B']);
  assert.deepEqual(
    r.words.map((w) => w.dynamic),
    [false, true, true, true, false],
  );
});

test('syntax problems are reported with positions', () => {
  assert.deepEqual(
    lex('acl x "abc').issues.map((i) => [i.start, i.end]),
    [[6, 10]],
  );
  assert.equal(lex("acl x 'abc").issues.length, 1);
  assert.match(lex('x \\xZZ').issues[0].message, /hexadecimal/);
  assert.match(lex('x "$1"').issues[0].message, /environment variable/);
  assert.match(lex('x "${A"').issues[0].message, /unmatched '\{'/);
  assert.equal(lex('x "\\$1"').issues.length, 0);
});

test('at most 64 words per line', () => {
  const ok = Array.from({ length: 64 }, (_, i) => `w${i}`).join(' ');
  assert.equal(lex(ok).issues.length, 0);
  assert.equal(lex(ok + ' w64').issues.length, 1);
  // A trailing blank makes HAProxy count an empty 65th argument.
  assert.equal(lex(ok + ' ').issues.length, 1);
});

test('sections, names, from, orphans and the final newline', () => {
  const doc = parseHaproxy('/x.cfg', 'maxconn 1\nglobal\n  daemon\ndefaults base\n  mode http\nbackend b from base\n  server s 1.2.3.4:80');
  assert.deepEqual(
    doc.sections.map((s) => [s.kind, s.name?.value, s.from?.value, s.body.length]),
    [
      ['global', undefined, undefined, 1],
      ['defaults', 'base', undefined, 1],
      ['backend', 'b', 'base', 1],
    ],
  );
  assert.equal(doc.orphans.length, 1);
  assert.deepEqual(doc.missingNewline, { line: 6, character: 21 });
  assert.equal(doc.sections[1].endLine, 4);
  assert.equal(parseHaproxy('/x.cfg', 'global\n').missingNewline, undefined);
});

test('no/default modifiers are split off', () => {
  const doc = parseHaproxy('/x.cfg', 'defaults\n  no option httplog\n');
  const st = doc.sections[0].body[0];
  assert.equal(st.modifier?.value, 'no');
  assert.deepEqual(
    st.words.map((w) => w.value),
    ['option', 'httplog'],
  );
});

test('.if blocks: decidable branches become active or inactive, undecidable ones unknown', () => {
  const text = ['global', '.if version_atleast(2.4)', '  a', '.else', '  b', '.endif', '.if feature(OPENSSL)', '  c', '.elif 1', '  d', '.endif', '.if 0', 'backend hidden', '.endif', ''].join('\n');
  const doc = parseHaproxy('/x.cfg', text, '2.6');
  const act = Object.fromEntries(doc.statements.filter((s) => s.words[0].value.length === 1 || s.words[0].value === 'backend').map((s) => [s.words[0].value, s.activity]));
  assert.deepEqual(act, { a: 'active', b: 'inactive', c: 'unknown', d: 'unknown', backend: 'inactive' });
  assert.equal(doc.sections.length, 1, 'an inactive section header does not start a section');
  assert.equal(doc.conditionals.length, 3);
  assert.equal(doc.structureIssues.length, 0);
  const old = parseHaproxy('/x.cfg', text, '2.2');
  assert.equal(old.statements.find((s) => s.words[0].value === 'a')?.activity, 'inactive');
});

test('.if structure errors', () => {
  const msgs = (t: string) => parseHaproxy('/x.cfg', t).structureIssues.map((i) => i.message);
  assert.match(msgs('.if 1\n')[0], /never closed/);
  assert.match(msgs('.endif\n')[0], /without a matching/);
  assert.match(msgs('.if 1\n.else\n.else\n.endif\n')[0], /after '.else'/);
  assert.match(msgs('.if bogus(1)\n.endif\n')[0], /unparsable/);
  assert.match(msgs('.foo\n')[0], /unknown directive/);
  assert.deepEqual(msgs('.if 0\n.foo\n.endif\n'), []);
});

test('condition evaluation', () => {
  assert.equal(evalCondition('version_atleast(2.4) && !version_before(2.0)', '2.6').value, true);
  assert.equal(evalCondition('version_atleast(2.7)', '2.6').value, false);
  assert.equal(evalCondition('feature(OPENSSL) || 1', '2.6').value, true);
  assert.equal(evalCondition('feature(OPENSSL) && 1', '2.6').value, undefined);
  assert.equal(evalCondition('streq(a,a)', '2.6').value, true);
  assert.equal(atLeast('2.6', '2.6.5'), undefined);
  assert.equal(atLeast('2.6', '2.6-dev1'), true);
});

test('CRLF line endings and a carriage return inside a line', () => {
  const doc = parseHaproxy('/x.cfg', 'global\r\n  daemon\r\n');
  assert.deepEqual(
    doc.sections[0].body.map((s) => s.words.map((w) => w.value)),
    [['daemon']],
  );
  assert.equal(doc.missingNewline, undefined);
});

test('never throws on hostile input and stays linear', () => {
  const junk = ['"', "'", '\\', '$', '${', '#', '.if', '.endif', 'backend', 'server', '\t', ' ', '\n', '\r', 'x', '\u0000', '😀'];
  let seed = 7;
  for (let n = 0; n < 300; n++) {
    let s = '';
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += junk[seed % junk.length];
    }
    assert.doesNotThrow(() => parseHaproxy('/j.cfg', s));
  }
  const block = 'backend b\n    server s1 10.0.0.1:80 check inter 2s # c\n    http-request set-header X "v"\n';
  const big = block.repeat(40000);
  const t0 = process.hrtime.bigint();
  const doc = parseHaproxy('/big.cfg', big);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(doc.sections.length, 40000);
  assert.ok(ms < 3000, `parsing ${big.length} bytes took ${ms} ms`);
});

test('reparse: a line added or removed at any position, inside active, inactive and undecidable blocks, matches a fresh parse', () => {
  const base = [
    'global',
    '    maxconn 9',
    '',
    'frontend f',
    '    bind :80',
    '.if defined(HACONF_X)',
    '    acl u1 path /1',
    '    acl u2 path /2',
    '.endif',
    '    default_backend b',
    '',
    '.if 0',
    '    server c1 10.0.0.1:1',
    '    server c2 10.0.0.2:1',
    '.endif',
    'backend b',
    '    no option httplog',
    '    server a 1.2.3.4:80',
    '',
  ];
  const inserts = ['    acl a path /x', '    no option redispatch', '    # comment', '', 'backend z', '.if 1'];
  let cases = 0;
  for (let at = 0; at <= base.length; at++) {
    const variants = [...inserts.map((l) => [...base.slice(0, at), l, ...base.slice(at)]), [...base.slice(0, at), ...base.slice(at + 1)]];
    for (const v of variants) {
      const text = v.join('\n');
      const doc = reparseHaproxy(parseHaproxy('/x/haproxy.cfg', base.join('\n')), text);
      assert.deepEqual(parseShape(doc), parseShape(parseHaproxy('/x/haproxy.cfg', text)), `edit at line ${at}: ${JSON.stringify(v[at])}`);
      cases++;
    }
  }
  assert.equal(cases, (base.length + 1) * (inserts.length + 1));
});
