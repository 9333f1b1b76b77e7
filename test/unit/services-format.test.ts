import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatEdits, formatText } from '../../server/src/services/format';
import { detectLanguage } from '../../server/src/engine/detect';
import { parseHaproxy } from '../../server/src/haproxy/parser';
import { parseCorosync } from '../../server/src/corosync/parser';
import { parseKeepalived } from '../../server/src/keepalived/parser';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import type { Language } from '../../server/src/core/types';

const ROOT = path.resolve(__dirname, '../..');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** What the daemon reads, independent of indentation: the words of every line. */
function meaning(language: Language, file: string, text: string): string {
  if (language === 'haproxy')
    return parseHaproxy(file, text)
      .statements.map((s) => `${s.line}:${[...(s.modifier ? [s.modifier] : []), ...s.words].map((w) => w.value).join('\u0001')}`)
      .join('\n');
  if (language === 'corosync') {
    const d = parseCorosync(file, text);
    return [
      ...d.keys.map((k) => `${k.sectionPath}.${k.key.text}=${k.value.text}@${k.key.range.start.line}`),
      ...d.sections.map((s) => `${s.path}@${s.header.start.line}`),
      ...d.issues.map((i) => i.message.replace(/\d+ bytes/, '')),
    ].join('\n');
  }
  const d = parseKeepalived(file, text, new NodeSourceHost());
  return d.statements.map((s) => `${s.line}:${s.parent.kind}:${s.words.map((w) => w.text).join('\u0001')}`).join('\n');
}

const corpus = [...walk(path.join(ROOT, 'test/fixtures')), ...walk(path.join(ROOT, 'examples'))]
  .map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }))
  .map(({ f, text }) => ({ f, text, lang: detectLanguage(f, text) }))
  .filter((x): x is { f: string; text: string; lang: Language } => x.lang !== undefined);

test('every fixture and example: idempotent and the words are unchanged', () => {
  assert.ok(corpus.length > 50, `found ${corpus.length} files`);
  for (const { f, text, lang } of corpus) {
    const once = formatText(lang, text);
    assert.equal(formatText(lang, once), once, `idempotent: ${f}`);
    assert.equal(meaning(lang, f, once), meaning(lang, f, text), `same meaning: ${f}`);
    assert.equal(once.split('\n').length, text.split('\n').length, `no line joined or split: ${f}`);
  }
});

test('messy inputs: idempotent and meaning-preserving', () => {
  const messy: [Language, string][] = [
    ['haproxy', 'global\n daemon  \n\t.if defined(X)\n  frontend a   \n bind :80 \n# c\n  .endif\n  \nbackend b\n  server s "a b  " \\  \n'],
    ['keepalived', 'vrrp_instance A {\n  state MASTER   \nvirtual_ipaddress { 10.0.0.1 }\n   ! c }\n  track_script {\nchk\n}\n   notify "/x y  \n}\n'],
    ['corosync', 'totem {\n version: 2   \n  interface {\n # a } comment\nlinknumber: 0\n}\n}\n'],
  ];
  for (const [lang, text] of messy) {
    const once = formatText(lang, text);
    assert.equal(formatText(lang, once), once, lang);
    assert.equal(meaning(lang, `/t/x.${lang}`, once), meaning(lang, `/t/x.${lang}`, text), lang);
  }
});

test('haproxy: headers at column 0, bodies at 4, comments follow the next statement, quotes kept', () => {
  const text =
    'global\ndaemon\n  # about the frontend\n  frontend www   \n        bind :80\n\t# body comment\n    http-request set-header X "a  b"   \n.if defined(X)\n  server x 1.2.3.4:80\n  .endif\n';
  assert.equal(
    formatText('haproxy', text),
    'global\n    daemon\n# about the frontend\nfrontend www\n    bind :80\n    # body comment\n    http-request set-header X "a  b"\n    .if defined(X)\n    server x 1.2.3.4:80\n    .endif\n',
  );
});

test('haproxy: an escaped trailing space and an unterminated quote keep their trailing blanks', () => {
  assert.equal(formatText('haproxy', 'frontend a\n    acl x hdr(h) -m str a\\ \n'), 'frontend a\n    acl x hdr(h) -m str a\\ \n');
  assert.equal(formatText('haproxy', 'frontend a\n    acl x hdr(h) "open  \n'), 'frontend a\n    acl x hdr(h) "open  \n');
});

test('keepalived and corosync indent per brace depth', () => {
  assert.equal(
    formatText('keepalived', 'vrrp_instance A {\nstate MASTER\nvirtual_ipaddress {\n10.0.0.1\n}\n}\n'),
    'vrrp_instance A {\n    state MASTER\n    virtual_ipaddress {\n        10.0.0.1\n    }\n}\n',
  );
  assert.equal(formatText('corosync', 'totem {\nversion: 2\ninterface {\nlinknumber: 0\n}\n}\n'), 'totem {\n    version: 2\n    interface {\n        linknumber: 0\n    }\n}\n');
  assert.equal(formatText('corosync', 'totem {\nversion: 2\n}\n', { indent: 2 }), 'totem {\n  version: 2\n}\n');
});

test('keepalived where the parser had to guess block ends (missing, extra or misplaced brace): indentation is kept (it is the hint where the brace is missing), trailing blanks go', () => {
  const unclosed = 'vrrp_instance A {\n    authentication {\n        auth_pass x  \n    unicast_peer {\n        10.0.0.2\n    }\n}\n';
  assert.equal(formatText('keepalived', unclosed), unclosed.replace('auth_pass x  ', 'auth_pass x'));
  const extra = 'vrrp_instance A {\n  state MASTER\n}\n}\nvrrp_script s {\n script x\n}\n';
  assert.equal(formatText('keepalived', extra), extra);
  // Balanced braces, but a `}` missing inside and one too many at the end: the parser closes the block at the
  // dedented keyword, so brace depth is not the structure either.
  const misplaced = 'vrrp_instance A {\n    authentication {\n        auth_pass x\n    unicast_peer {\n        10.0.0.2\n    }\n    }\n}\n';
  assert.equal(formatText('keepalived', misplaced), misplaced);
  // Balanced again: indented per depth as usual.
  assert.equal(formatText('keepalived', 'vrrp_instance A {\n  state MASTER\n}\n'), 'vrrp_instance A {\n    state MASTER\n}\n');
});

test('range formatting touches only the lines in range; CRLF is kept', () => {
  const text = 'global\ndaemon\nmaxconn 10\n';
  const edits = formatEdits('haproxy', text, {}, { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } });
  assert.deepEqual(edits, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '    ' }]);
  assert.equal(formatText('haproxy', 'global\r\ndaemon  \r\n'), 'global\r\n    daemon\r\n');
});

test('corosync: indentation never pushes a line over the 510-byte limit', () => {
  const long = 'x'.repeat(505);
  const text = `totem {\ncluster_name: ${long}\n}\n`.replace(`cluster_name: ${long}`, `a: ${long}`);
  const out = formatText('corosync', text);
  assert.equal(out.split('\n')[1], `a: ${long}`);
});
