// Hover over a converter inside `%[…]` and an ACL keyword through the real `haconf lsp --stdio`: our
// description, the signature and the target version's manual anchor reach the client as markdown, and the
// first hover over a fetch (which loads the sample description files) and the ones after stay fast.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, type TestServer } from './client';

const CFG = `global
    log stdout format raw local0

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind :80
    acl is_api path_beg /api
    http-request set-header X-Site %[req.hdr(host),lower,map_dom(/etc/haproxy/sites.map,default)]
    use_backend web if is_api
    default_backend web

backend web
    server w1 10.0.1.1:8080
`;

let root: string;
let srv: TestServer;
let cfg: string;

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-samplehover-')));
  cfg = path.join(root, 'haproxy.cfg');
  fs.writeFileSync(cfg, CFG);
  srv = await startServer(root, { haproxy: { version: '3.2' }, rules: {} });
  srv.open(cfg, 'haproxy', CFG);
  // The file is known once a keyword hover answers (a clean file publishes no diagnostics to wait for).
  const deadline = Date.now() + 15_000;
  while (!(await srv.request('textDocument/hover', { textDocument: { uri: uri(cfg) }, position: { line: 4, character: 5 } }))) {
    assert.ok(Date.now() < deadline, 'the server never answered a keyword hover');
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  await srv?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

type Hover = { contents: { kind: string; value: string }; range: { start: { line: number; character: number }; end: { line: number; character: number } } } | null;

function position(line: number, needle: string): { line: number; character: number } {
  return { line, character: CFG.split('\n')[line].indexOf(needle) + 2 };
}

async function hoverAt(pos: { line: number; character: number }): Promise<Hover> {
  return srv.request<Hover>('textDocument/hover', { textDocument: { uri: uri(cfg) }, position: pos });
}

test('hover on a converter inside %[…] shows its description, types, version status and manual anchor', async () => {
  const t0 = performance.now();
  const h = await hoverAt(position(12, 'lower'));
  const firstMs = performance.now() - t0;
  assert.ok(h, 'a hover on lower');
  assert.equal(h.contents.kind, 'markdown');
  assert.match(h.contents.value, /\*\*`lower`\*\* — converter/);
  assert.match(h.contents.value, /Turns the input string to lower case\./);
  assert.match(h.contents.value, /Input → output: string → string/);
  assert.match(h.contents.value, /available in 3\.2 \(your target\)/);
  assert.match(h.contents.value, /\(https:\/\/docs\.haproxy\.org\/3\.2\/configuration\.html#7\.3\.1-lower\)/);
  const col = CFG.split('\n')[12].indexOf('lower');
  assert.deepEqual(h.range, { start: { line: 12, character: col }, end: { line: 12, character: col + 5 } });
  const map = await hoverAt(position(12, 'map_dom'));
  assert.match(map!.contents.value, /by domain match/);
  assert.match(map!.contents.value, /Syntax: `map_dom\(<map_name>\[,<default_value>\]\)`/);
  assert.match(map!.contents.value, /#7\.3\.1-map\)/, 'map_* variants link the map family anchor');
  const acl = await hoverAt(position(11, 'path_beg'));
  assert.match(acl!.contents.value, /ACL keyword: `path` matched with `-m beg`/);
  assert.ok(firstMs < 1000, `first sample hover ${firstMs.toFixed(0)} ms (loads the description files)`);
});

// The bench target (hover p95 ≤ 10 ms, docs/benchmarks.md) is for the round trip on an idle machine; the
// test machine runs other suites beside this one, so the bound here leaves room for scheduling noise while
// the median shows the real cost (the computation itself: test/unit/services-sample-hover.test.ts).
test('sample hovers stay fast: p50 and p95 of 60 hovers over fetches and converters', async () => {
  const spots = [position(12, 'req.hdr'), position(12, 'lower'), position(12, 'map_dom'), position(11, 'path_beg')];
  const ms: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const h = await hoverAt(spots[i % spots.length]);
    ms.push(performance.now() - t0);
    assert.ok(h);
  }
  ms.sort((a, b) => a - b);
  const p95 = ms[Math.floor(ms.length * 0.95)];
  console.log(`sample hover round trip: p50 ${ms[30].toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
  assert.ok(ms[30] < 10, `p50 ${ms[30].toFixed(2)} ms`);
  assert.ok(p95 < 50, `p95 ${p95.toFixed(2)} ms`);
});
