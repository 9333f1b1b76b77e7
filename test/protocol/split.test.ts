// A split HAProxy configuration (etc/haproxy/haproxy.cfg + conf.d/*.cfg) through the real
// `haconf lsp --stdio`: no false findings on unopened files, a broken reference across files shows up in
// the referring file, and definition / references / rename cross the files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, type TestServer, type LspDiagnostic } from './client';

const MAIN = 'global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n';
const FRONT = 'frontend web\n    bind 127.0.0.1:8080\n    use_backend api if { path_beg /api }\n    default_backend app\n';
const BACK = 'backend app\n    server a1 127.0.0.1:9001 check\n\nbackend api\n    server b1 127.0.0.1:9002 track app/a1\n';

let root: string;
let srv: TestServer;
const file = (rel: string) => path.join(root, rel);
type Loc = { uri: string; range: LspDiagnostic['range'] };

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-split-')));
  // other/haproxy.cfg has a finding: once it is published, the first scan's findings are all out.
  for (const [rel, text] of [
    ['etc/haproxy/haproxy.cfg', MAIN],
    ['etc/haproxy/conf.d/10-front.cfg', FRONT],
    ['etc/haproxy/conf.d/20-back.cfg', BACK],
    ['other/haproxy.cfg', 'frontend f\n    bindd :80\n'],
  ]) {
    fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
    fs.writeFileSync(file(rel), text);
  }
  srv = await startServer(root);
});

after(async () => {
  await srv?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('no undefined-reference or missing-timeout on the unopened files of a split configuration', async () => {
  await srv.waitForDiagnostics(uri(file('other/haproxy.cfg')), (ds) => ds.some((d) => d.code === 'haproxy/unknown-keyword'));
  for (const rel of ['etc/haproxy/conf.d/10-front.cfg', 'etc/haproxy/conf.d/20-back.cfg', 'etc/haproxy/haproxy.cfg']) {
    const ds = srv.diagnostics.get(uri(file(rel)))?.diagnostics ?? [];
    assert.deepEqual(
      ds.map((d) => d.code),
      [],
      `${rel}: ${JSON.stringify(ds)}`,
    );
  }
});

test('definition and references cross the files of the set', async () => {
  const front = file('etc/haproxy/conf.d/10-front.cfg');
  const back = file('etc/haproxy/conf.d/20-back.cfg');
  const def = await srv.request<Loc[]>('textDocument/definition', { textDocument: { uri: uri(front) }, position: { line: 3, character: 22 } });
  assert.deepEqual(def, [{ uri: uri(back), range: { start: { line: 0, character: 8 }, end: { line: 0, character: 11 } } }]);
  const refs = await srv.request<Loc[]>('textDocument/references', { textDocument: { uri: uri(back) }, position: { line: 0, character: 9 }, context: { includeDeclaration: false } });
  assert.deepEqual(refs.map((l) => `${path.basename(new URL(l.uri).pathname)}:${l.range.start.line}:${l.range.start.character}`).sort(), ['10-front.cfg:3:20', '20-back.cfg:4:35']);
  const edit = await srv.request<{ changes: Record<string, unknown[]> }>('textDocument/rename', { textDocument: { uri: uri(front) }, position: { line: 2, character: 17 }, newName: 'api_v2' });
  assert.deepEqual(Object.keys(edit.changes).sort(), [uri(front), uri(back)].sort());
});

test('editing the backend file re-publishes the referring file', async () => {
  const front = file('etc/haproxy/conf.d/10-front.cfg');
  const back = file('etc/haproxy/conf.d/20-back.cfg');
  srv.open(back, 'haproxy', BACK);
  srv.change(back, 2, BACK.replace('backend app', 'backend application').replace('track app/a1', 'track application/a1'));
  const ds = await srv.waitForDiagnostics(uri(front), (x) => x.some((d) => d.code === 'haproxy/undefined-reference'));
  const d = ds.find((x) => x.code === 'haproxy/undefined-reference')!;
  assert.equal(d.range.start.line, 3);
  srv.change(back, 3, BACK);
  await srv.waitForDiagnostics(uri(front), (x) => x.length === 0);
});
