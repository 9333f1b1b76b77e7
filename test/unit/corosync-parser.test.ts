import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorosync, type KeyNode, type SectionNode } from '../../server/src/corosync/parser';

const parse = (text: string) => parseCorosync('/etc/corosync/corosync.conf', text);

test('sections and keys get dotted paths and exact ranges', () => {
  const doc = parse('totem {\n    version: 2\n    interface {\n\tlinknumber:   0\n    }\n}\n');
  assert.deepEqual(doc.issues, []);
  assert.deepEqual(
    doc.sections.map((s) => s.path),
    ['totem', 'totem.interface'],
  );
  const [version, link] = doc.keys;
  assert.equal(version.sectionPath, 'totem');
  assert.deepEqual(version.key.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 11 } });
  assert.deepEqual(version.value.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 14 } });
  assert.equal(link.sectionPath, 'totem.interface');
  assert.equal(link.key.text, 'linknumber');
  assert.equal(link.value.text, '0');
  assert.deepEqual(link.value.range.start, { line: 3, character: 15 });
  const totem = doc.sections[0];
  assert.deepEqual(totem.close, { start: { line: 5, character: 0 }, end: { line: 5, character: 1 } });
});

test('only a leading # makes a comment; a trailing # x stays in the value', () => {
  const doc = parse('# header\n   # indented comment\nquorum {\n    two_node: 1 # two nodes\n}\n');
  assert.deepEqual(doc.issues, []);
  assert.equal(doc.keys.length, 1);
  assert.equal(doc.keys[0].value.text, '1 # two nodes');
});

test('key: value splits at the first colon, so IPv6 addresses survive', () => {
  const doc = parse('nodelist {\n  node {\n    ring0_addr: fe80::1:2\n  }\n}\n');
  assert.equal(doc.keys[0].key.text, 'ring0_addr');
  assert.equal(doc.keys[0].value.text, 'fe80::1:2');
});

test('quotes are kept literally and a trailing colon on a section name is dropped', () => {
  const doc = parse('totem: {\n  cluster_name: "my cluster"\n}\n');
  assert.equal(doc.sections[0].path, 'totem');
  assert.equal(doc.keys[0].value.text, '"my cluster"');
});

test('CRLF line endings are accepted and trailing blanks are not part of values', () => {
  const doc = parse('totem {\r\n  token: 3000  \t\r\n}\r\n');
  assert.deepEqual(doc.issues, []);
  assert.equal(doc.keys[0].value.text, '3000');
});

test('text after { is an error, but a one-line block keeps its key and closes', () => {
  const doc = parse('nodelist {\n  node { ring0_addr: 10.0.0.1 }\n  node {\n    ring0_addr: 10.0.0.2\n  }\n}\n');
  assert.equal(doc.issues.length, 1);
  assert.match(doc.issues[0].message, /after '\{'/);
  assert.deepEqual(doc.issues[0].range, { start: { line: 1, character: 9 }, end: { line: 1, character: 31 } });
  assert.deepEqual(
    doc.keys.map((k) => [k.sectionPath, k.value.text]),
    [
      ['nodelist.node', '10.0.0.1'],
      ['nodelist.node', '10.0.0.2'],
    ],
  );
  // Nothing after the one-liner is shifted: the file ends balanced.
  assert.equal(doc.sections.filter((s) => !s.close).length, 0);
});

test('a key line without a colon is an error with a fix when the key is known', () => {
  const doc = parse('quorum {\n  two_node 1\n  hello world\n}\n');
  assert.equal(doc.issues.length, 2);
  assert.match(doc.issues[0].message, /two_node: 1/);
  assert.deepEqual(doc.issues[0].fixes?.[0].edits[0], { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } }, newText: ': ' });
  assert.equal(doc.issues[1].fixes, undefined);
});

test('an extra } is reported and ignored; the rest still parses at the top level', () => {
  const doc = parse('totem {\n  version: 2\n}\n}\nquorum {\n  provider: corosync_votequorum\n}\n');
  assert.equal(doc.issues.length, 1);
  assert.match(doc.issues[0].message, /closes no section/);
  assert.equal(doc.issues[0].range.start.line, 3);
  assert.deepEqual(
    doc.sections.map((s) => s.path),
    ['totem', 'quorum'],
  );
});

test('} with other text on the line is an error', () => {
  const doc = parse('totem {\n  version: 2\n} # end\n');
  assert.equal(doc.issues.length, 1);
  assert.match(doc.issues[0].message, /stand alone/);
});

test('a missing } before the next top-level section is recovered locally', () => {
  const doc = parse('totem {\n  version: 2\nquorum {\n  provider: corosync_votequorum\n}\nnodelist {\n  node {\n    ring0_addr: 10.0.0.1\n  node {\n    ring0_addr: 10.0.0.2\n  }\n}\n');
  const paths = doc.sections.map((s) => s.path);
  assert.deepEqual(paths, ['totem', 'quorum', 'nodelist', 'nodelist.node', 'nodelist.node']);
  assert.equal(doc.issues.length, 2);
  assert.deepEqual(doc.issues[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } });
  assert.match(doc.issues[0].message, /not closed before 'quorum \{' on line 3/);
  assert.equal(doc.issues[1].range.start.line, 6);
});

test('a missing } at the end of the file is reported on the open section', () => {
  const doc = parse('totem {\n  version: 2\n');
  assert.equal(doc.issues.length, 1);
  assert.match(doc.issues[0].message, /never closed/);
  assert.deepEqual(doc.issues[0].fixes?.[0].edits[0].newText, '}\n');
});

test('lines over 510 bytes are refused like corosync does (bytes, not characters)', () => {
  const ok = parse(`totem {\n  cluster_name: ${'a'.repeat(510 - 16)}\n}\n`);
  assert.deepEqual(ok.issues, []);
  const long = parse(`totem {\n  cluster_name: ${'a'.repeat(511 - 16)}\n}\n`);
  assert.equal(long.issues.length, 1);
  assert.match(long.issues[0].message, /511 bytes/);
  // 200 characters of 3-byte UTF-8 are 600 bytes.
  const wide = parse(`totem {\n  cluster_name: ${'€'.repeat(200)}\n}\n`);
  assert.equal(wide.issues.length, 1);
});

test('sections with an empty name are an error', () => {
  const doc = parse('{\n}\n');
  assert.match(doc.issues[0].message, /no section name/);
});

test('never throws and stays linear on hostile input', () => {
  const junk = ['{', '}', ':', '#', ' ', '\t', 'a', '\r', '\n', '€', '{ }', 'x: {'];
  let seed = 7;
  for (let round = 0; round < 200; round++) {
    let s = '';
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += junk[seed % junk.length];
    }
    const doc = parse(s);
    for (const k of doc.keys) assert.ok(k.range.start.line <= k.range.end.line);
  }
  const big = 'nodelist {\n' + '  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n  }\n'.repeat(50000) + '}\n';
  const t0 = process.hrtime.bigint();
  const doc = parse(big);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(doc.keys.length, 100000);
  assert.ok(ms < 3000, `took ${ms} ms`);
  const deep = '{\n'.repeat(20000) + '}\n'.repeat(20000);
  assert.doesNotThrow(() => parse(deep));
});

test('the tree links children to parents', () => {
  const doc = parse('logging {\n  logger_subsys {\n    subsys: QUORUM\n  }\n}\n');
  const sub = doc.sections[1] as SectionNode;
  assert.equal(sub.parent, doc.sections[0]);
  const key = sub.children[0] as KeyNode;
  assert.equal(key.parent, sub);
  assert.equal(key.sectionPath, 'logging.logger_subsys');
});
