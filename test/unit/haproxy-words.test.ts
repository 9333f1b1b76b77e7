import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHaproxy } from '../../server/src/haproxy/parser';
import { haproxyModule } from '../../server/src/haproxy/index';
import { cacheOf } from '../../server/src/haproxy/analysisCache';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import type { HaproxyDoc } from '../../server/src/haproxy/types';

const host = new NodeSourceHost();

test('statement accessors read words by index from the shared store, the modifier at -1', () => {
  const doc = parseHaproxy('/w/haproxy.cfg', 'global\n    no option "http log" x\\ y "${V-d}"\n    maxconn 10\n');
  const st = doc.statements[1];
  assert.equal(st.count, 4);
  assert.deepEqual(st.values(), ['option', 'http log', 'x y', 'd']);
  assert.equal(st.value(-1), 'no');
  assert.equal(st.raw(1), '"http log"');
  assert.deepEqual([st.start(0), st.end(0), st.start(-1)], [7, 13, 4]);
  assert.deepEqual([st.quoted(1), st.dynamic(1), st.plain(1)], [true, false, false]);
  assert.deepEqual([st.quoted(3), st.dynamic(3), st.plain(0)], [true, true, true]);
  assert.equal(st.lastEnd, 38);
  assert.equal(st.rawText(1), '"http log" x\\ y "${V-d}"');
  // Past the last word: nothing, not the next line's first word (all lines share one store).
  assert.equal(st.value(4), undefined);
  assert.equal(st.raw(4), undefined);
  assert.equal(st.word(4), undefined);
  assert.deepEqual(st.word(2), { raw: 'x\\ y', value: 'x y', start: 25, end: 29, quoted: false, dynamic: false });
  assert.equal(doc.statements[2].value(0), 'maxconn');
});

const CONFIG = ['defaults', '    mode http', '    timeout connect 5s', '    timeout client 5s', '    timeout server 5s', ''];
for (let b = 0; b < 3; b++) CONFIG.push(`backend b${b}`, `    server s1 10.0.0.${b + 1}:80 check`, `    server s2 10.0.1.${b + 1}:80 check`, '');
const TEXT = CONFIG.join('\n');

test('the analysis cache follows the statements a re-parse kept: unchanged lines keep their resolved statement', () => {
  const options = { haproxyVersion: '2.6' };
  const doc = haproxyModule.parse('/w/haproxy.cfg', TEXT, host, options) as HaproxyDoc;
  haproxyModule.check(doc, options);
  const last = doc.statements[doc.statements.length - 1];
  const before = cacheOf(doc).resolved[last.index];
  assert.ok(before, 'the check remembered the last server line');
  // Two lines inserted into the first backend: every later statement moves by two.
  const edited = TEXT.replace('backend b0\n', 'backend b0\n    balance roundrobin\n    retries 3\n');
  const next = haproxyModule.reparse!(doc, edited, host, options) as HaproxyDoc;
  // The line the change ends in (b0's first server) is read again too: one removed, three inserted.
  assert.deepEqual(next.edit, { at: 6, removed: 1, inserted: 3 });
  assert.equal(next.statements[last.index], last, 'the statement object was kept');
  assert.equal(cacheOf(next).resolved[last.index], before, 'and its cache entry moved with it');
  assert.deepEqual(
    haproxyModule.check(next, options),
    haproxyModule.check(haproxyModule.parse('/w/fresh.cfg', edited, host, options) as HaproxyDoc, options).map((d) => ({ ...d, file: '/w/haproxy.cfg' })),
  );
});

test('the target version reaches the parser: a check at that version does not assemble the sections again', () => {
  const options = { haproxyVersion: '3.0' };
  const doc = haproxyModule.parse('/w/haproxy.cfg', TEXT, host, options) as HaproxyDoc;
  assert.equal(doc.version, '3.0');
  const sections = doc.sections;
  haproxyModule.check(doc, options);
  assert.equal(doc.sections, sections);
});

test('section memos live in the file cache: unedited sections keep theirs across an edit, dropped sections lose theirs', () => {
  const options = { haproxyVersion: '2.6' };
  const text =
    'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\nbackend a\n    server s1 10.0.0.1:80\n\nbackend b\n    server s1 10.0.0.2:80\n\nbackend c\n    server s1 10.0.0.3:80\n';
  const doc = haproxyModule.parse('/w/haproxy.cfg', text, host, options) as HaproxyDoc;
  haproxyModule.check(doc, options);
  const [, a, b, c] = doc.sections;
  const cache = cacheOf(doc);
  assert.ok(cache.knownRow(a) && cache.knownRow(b) && cache.knownRow(c), 'every clean section has a memo row');
  const rowOfA = cache.knownRow(a);
  // An edit inside backend b keeps a and c (the same Section objects) and replaces nothing structural.
  const edited = text.replace('10.0.0.2:80', '10.0.0.9:80');
  const next = haproxyModule.reparse!(doc, edited, host, options) as HaproxyDoc;
  haproxyModule.check(next, options);
  assert.equal(next.sections[1], a, 'the unedited section object was kept');
  assert.equal(cacheOf(next).knownRow(a), rowOfA, 'and its memo row was reused, not rebuilt');
  // Removing backend c drops its section: its memo row must go with it (a Map would keep it alive).
  const shorter = edited.replace('\nbackend c\n    server s1 10.0.0.3:80\n', '');
  const last = haproxyModule.reparse!(next, shorter, host, options) as HaproxyDoc;
  haproxyModule.check(last, options);
  const rowsHeld = (d: HaproxyDoc) => cacheOf(d).sectionRows.flatMap((row) => (row ? [row.section] : []));
  for (const section of rowsHeld(last)) assert.ok(last.sections.includes(section), `a memo row outlived its section '${section.name?.value ?? section.kind}'`);
  assert.equal(rowsHeld(last).includes(c), false);
  // A check at another version assembles new sections: the old rows go too.
  haproxyModule.check(last, { haproxyVersion: '3.0' });
  for (const section of rowsHeld(last)) assert.ok(last.sections.includes(section), 'a memo row outlived a re-assembly');
});
