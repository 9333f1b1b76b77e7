// "Fix all" and the upgrade assistant over the wire: the real `haconf lsp --stdio` announces the
// source.fixAll.haconf kind, answers it (alone, as VS Code asks on save, and under `source.fixAll`), keeps it
// out of a quickfix-only request, and answers haconf/upgradeVersions and haconf/upgradePlan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, applyTextEdits, type TestServer, type LspDiagnostic } from './client';

const CFG = `global
    stats socket *:1999 level admin

defaults
    mode http
    contimeout 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind :80
    reqadd X-Forwarded-Proto:\\ https
    default_backend app

backend app
    cookie SRV insert
    server w1 10.0.0.1:80 cookie p1
    server w2 10.0.0.2:80 cookie p1
`;

const FIXED = CFG.replace('*:1999', '127.0.0.1:1999')
  .replace('contimeout 5s', 'timeout connect 5s')
  .replace('reqadd X-Forwarded-Proto:\\ https', 'http-request add-header X-Forwarded-Proto https')
  .replace('w2 10.0.0.2:80 cookie p1', 'w2 10.0.0.2:80 cookie w2');

let root: string;
let srv: TestServer;
const file = () => path.join(root, 'haproxy.cfg');

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-fixall-')));
  fs.writeFileSync(file(), CFG);
  srv = await startServer(root);
});

after(async () => {
  await srv?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Action {
  title: string;
  kind: string;
  diagnostics?: LspDiagnostic[];
  edit: { changes: Record<string, { range: LspDiagnostic['range']; newText: string }[]> };
}

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const actions = (only?: string[]) => srv.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uri(file()) }, range: WHOLE, context: { diagnostics: [], ...(only ? { only } : {}) } });

test('the server announces the source.fixAll.haconf code action kind', () => {
  const provider = srv.initializeResult.capabilities.codeActionProvider as { codeActionKinds: string[] };
  assert.deepEqual(provider.codeActionKinds, ['quickfix', 'source.fixAll.haconf']);
});

test('fix all: one edit with every mechanical fix, asked as VS Code does on save and from "Fix All"', async () => {
  srv.open(file(), 'haproxy', CFG);
  await srv.waitForDiagnostics(uri(file()), (ds) => ds.some((d) => d.code === 'haproxy/duplicate-cookie'));
  for (const only of [['source.fixAll.haconf'], ['source.fixAll'], ['source']]) {
    const list = await actions(only);
    assert.equal(list.length, 1, `one action for only=${only}: ${list.map((a) => a.title).join(' | ')}`);
    const [all] = list;
    assert.equal(all.kind, 'source.fixAll.haconf');
    assert.equal(all.title, 'Fix all mechanical problems (4 fixes)');
    assert.deepEqual(all.diagnostics?.map((d) => d.code).sort(), ['haproxy/admin-socket-exposed', 'haproxy/duplicate-cookie', 'haproxy/removed-keyword', 'haproxy/removed-keyword']);
    assert.equal(applyTextEdits(CFG, all.edit.changes[uri(file())]), FIXED);
  }
  // A quickfix-only request (the light bulb on a line) does not carry it.
  assert.ok(!(await actions(['quickfix'])).some((a) => a.kind === 'source.fixAll.haconf'));
  srv.change(file(), 2, FIXED);
  await srv.waitForDiagnostics(uri(file()), (ds) => !ds.some((d) => d.code === 'haproxy/duplicate-cookie'));
  assert.deepEqual(await actions(['source.fixAll.haconf']), [], 'nothing left to fix');
  srv.change(file(), 3, CFG);
  await srv.waitForDiagnostics(uri(file()), (ds) => ds.some((d) => d.code === 'haproxy/duplicate-cookie'));
});

test('upgrade assistant: haconf/upgradeVersions and haconf/upgradePlan answer the plan of the open buffer', async () => {
  const versions = await srv.request<{ inForce: string; newer: string[] }>('haconf/upgradeVersions', {});
  assert.ok(versions.newer.length > 0 && versions.newer.every((v) => Number(v) > Number(versions.inForce)), JSON.stringify(versions));
  const plan = await srv.request<{
    from: string;
    to: string;
    files: { file: string; items: { code: string; rewrite: string | null }[]; edits: { range: LspDiagnostic['range']; newText: string }[] }[];
  }>('haconf/upgradePlan', { to: '3.2' });
  assert.equal(plan.to, '3.2');
  const f = plan.files.find((x) => x.file === file())!;
  assert.ok(f, JSON.stringify(plan));
  assert.deepEqual(
    f.items.map((i) => [i.code, i.rewrite]),
    [
      ['haproxy/removed-keyword', "Replace with 'timeout connect'"],
      ['haproxy/removed-keyword', "Rewrite as 'http-request add-header'"],
    ],
  );
  const upgraded = applyTextEdits(CFG, f.edits);
  assert.match(upgraded, /\n {4}timeout connect 5s\n/);
  assert.match(upgraded, /\n {4}http-request add-header X-Forwarded-Proto https\n/);
  // Only version rewrites: the admin socket and the cookies are left to "Fix all".
  assert.match(upgraded, /stats socket \*:1999/);
  await assert.rejects(srv.request('haconf/upgradePlan', { to: '9.9' }), /not a branch haconf knows/);
});
