// The outline on big files: within the symbol budget (≤ 1 MB of JSON on 30,000 lines), every section
// listed, and the per-section nodes reused across edits always equal to a fresh build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentSymbols } from '../../server/src/services';
import { WorkspaceModel } from '../../server/src/engine/model';
import { toDocumentSymbol } from '../../server/src/lsp/convert';
import { MAX_OUTLINE_SYMBOLS, limitOutline } from '../../server/src/services/symbolBudget';
import type { SymbolNode } from '../../server/src/services';
import { haproxyConfig } from '../../bench/gen';

const FILE = '/nonexistent-haconf-outline/haproxy.cfg';

function outline(text: string): SymbolNode[] {
  const m = new WorkspaceModel();
  m.setBuffer(FILE, text, 'haproxy');
  m.refresh([FILE]);
  return documentSymbols(m, FILE);
}

const countAll = (ns: SymbolNode[]): number => ns.reduce((n, s) => n + 1 + countAll(s.children), 0);

test('outline of a 30,000-line haproxy.cfg: every section, at most 1 MB, cut sections say what they hold', () => {
  const text = haproxyConfig(3000);
  const syms = outline(text);
  assert.equal(syms.length, 3003, 'global, defaults, frontend and 3000 backends');
  assert.ok(countAll(syms) <= MAX_OUTLINE_SYMBOLS, `${countAll(syms)} symbols`);
  const bytes = JSON.stringify(syms.map(toDocumentSymbol)).length;
  assert.ok(bytes <= 1_000_000, `${bytes} bytes`);
  const b = syms.find((s) => s.name === 'backend b1500')!;
  assert.equal(b.detail, '3 servers');
  assert.equal(syms.find((s) => s.name === 'frontend web')!.detail, '1 bind, 3000 acls');
  assert.equal(b.range.start.line, text.split('\n').indexOf('backend b1500'));
});

test('outline of a file within the budget keeps every server, ACL and bind', () => {
  const syms = outline(haproxyConfig(50));
  assert.equal(countAll(syms), 3 + 50 + 1 + 50 + 50 * 3, 'sections, bind, ACLs, servers');
  assert.deepEqual(
    syms.find((s) => s.name === 'backend b7')!.children.map((c) => c.name),
    ['s1', 's2', 's3'],
  );
  assert.equal(syms.find((s) => s.name === 'backend b7')!.detail, undefined);
});

test('budget: small sections stay whole, the big one is cut, the total stays within the limit', () => {
  const leaf = (name: string): SymbolNode => ({
    name,
    kind: 'server',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    selectionRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    children: [],
  });
  const parent = (name: string, n: number): SymbolNode => ({ ...leaf(name), kind: 'section', children: Array.from({ length: n }, (_, i) => leaf(`${name}-${i}`)) });
  const out = limitOutline([parent('a', 2), parent('b', 2), parent('big', 100)], 20);
  assert.deepEqual(
    out.map((s) => s.children.length),
    [2, 2, 13],
  );
  assert.equal(out[2].detail, '100 servers (87 not listed)');
  assert.ok(countAll(out) <= 20);
});

test('outline after edits equals a fresh outline of the same text (nodes reused per section)', () => {
  const m = new WorkspaceModel();
  let text = haproxyConfig(200);
  m.setBuffer(FILE, text, 'haproxy');
  m.refresh([FILE]);
  documentSymbols(m, FILE);
  const lines = text.split('\n');
  const at = lines.indexOf('backend b100');
  const edits: ((ls: string[]) => void)[] = [
    (ls) => (ls[at + 4] = ls[at + 4].replace('s1', 'renamed')), // within a line
    (ls) => ls.splice(at + 2, 0, '    server extra 10.9.9.9:80 check'), // a line added: later sections move
    (ls) => ls.splice(at - 1, 0, ''), // a blank line before a section
    (ls) => ls.splice(at + 3, 1), // a line removed
    (ls) => (ls[0] = '# edited header comment'),
    (ls) => ls.splice(at + 10, 0, 'backend inserted', '    server z 10.8.8.8:80'), // a new section
  ];
  for (const edit of edits) {
    const ls = text.split('\n');
    edit(ls);
    text = ls.join('\n');
    m.setBuffer(FILE, text, 'haproxy');
    m.refresh([FILE]);
    assert.deepEqual(documentSymbols(m, FILE), outline(text));
  }
});
