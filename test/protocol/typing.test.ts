// Typing through the real `haconf lsp --stdio`: keystrokes sent back to back get fresh diagnostics without
// a fixed debounce, and a request that needs the document runs the pending check (it never answers from
// a parse of its own while the diagnostics lag behind).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, type LspDiagnostic, type LspRange, type TestServer } from './client';

const TEXT = `global
    log stdout format raw local0

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind 10.0.0.100:80
    default_backend web

backend web
    stats auth u0:admin
    server w1 10.0.1.1:8080 check
`;
const STATS_LINE = 14;
const USER_AT = '    stats auth '.length;

let root: string;
let srv: TestServer;
let file: string;
let version = 1;
let user = 'u0';

const weakUser = (name: string) => (ds: LspDiagnostic[]) => ds.some((d) => d.code === 'haproxy/weak-credentials' && d.message.includes(`'${name}'`));

/** One keystroke as VS Code sends it: a range change (here the whole user name is replaced). */
function key(next: string): void {
  const range: LspRange = { start: { line: STATS_LINE, character: USER_AT }, end: { line: STATS_LINE, character: USER_AT + user.length } };
  srv.edit(file, ++version, range, next);
  user = next;
}

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-typing-')));
  file = path.join(root, 'haproxy.cfg');
  fs.writeFileSync(file, TEXT);
  srv = await startServer(root);
  srv.open(file, 'haproxy', TEXT);
  await srv.waitForDiagnostics(uri(file), weakUser('u0'));
});

after(async () => {
  await srv?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('keystrokes back to back: fresh diagnostics well within the former 150 ms debounce', async () => {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (let k = 1; k <= 6; k++) key(`r${round}k${k}`);
    const t = performance.now();
    await srv.waitForDiagnostics(uri(file), weakUser(user));
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 300));
  }
  // A check of this file takes ~1 ms: the wait follows that, not a fixed 150 ms.
  assert.ok(Math.min(...times) < 120, `last keystroke → diagnostics: ${times.map((x) => x.toFixed(0)).join(', ')} ms`);
});

test('an outline request right after keystrokes runs the pending check: the diagnostics of the last keystroke come first', async () => {
  for (let k = 1; k <= 4; k++) key(`sym${k}`);
  const syms = (await srv.request('textDocument/documentSymbol', { textDocument: { uri: uri(file) } })) as { name: string }[];
  assert.deepEqual(
    syms.map((s) => s.name),
    ['global', 'defaults', 'frontend www', 'backend web'],
  );
  const published = srv.diagnostics.get(uri(file));
  assert.equal(published?.version, version, 'diagnostics of the current version were published before the outline answer');
  assert.ok(weakUser(user)(published!.diagnostics));
});
