// Hostile inputs against the language server as a real process over stdio: it scans the hostile
// workspace, an editor opens the hostile file, and afterwards the server must still answer requests
// (document symbols, formatting, hover, workspace symbols) within seconds.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { HOSTILE_CASES, materialise } from './cases';
import { startSession, uri } from './lsp';

const LIMIT_MS = 20000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

for (const c of HOSTILE_CASES) {
  test(`language server survives: ${c.name}`, async () => {
    const w = materialise(c);
    dirs.push(w.dir);
    const t0 = performance.now();
    const s = await startSession(w.dir, LIMIT_MS);
    try {
      if (w.open) {
        const u = uri(w.open.file);
        const text = fs.readFileSync(w.open.file, 'utf8');
        s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: w.open.language, version: 1, text } });
        await s.request('textDocument/foldingRange', { textDocument: { uri: u } }, LIMIT_MS);
        // An incremental edit on top (the typing path) that is a syntax error in every language: the
        // server must publish findings for it, and not wedge.
        s.conn.sendNotification('textDocument/didChange', {
          textDocument: { uri: u, version: 2 },
          contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '{"\n' }],
        });
        const diags = await s.waitForDiagnostics(u, LIMIT_MS);
        assert.ok(Array.isArray(diags) && diags.length > 0, 'no findings published after a syntax error was typed');
        const symbols = await s.request<unknown[] | null>('textDocument/documentSymbol', { textDocument: { uri: u } }, LIMIT_MS);
        assert.ok(symbols === null || Array.isArray(symbols));
        const edits = await s.request<unknown[] | null>('textDocument/formatting', { textDocument: { uri: u }, options: { tabSize: 4, insertSpaces: true } }, LIMIT_MS);
        assert.ok(edits === null || Array.isArray(edits));
        await s.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 1, character: 3 } }, LIMIT_MS);
      }
      const ws = await s.request<unknown[] | null>('workspace/symbol', { query: 'VI' }, LIMIT_MS);
      assert.ok(ws === null || Array.isArray(ws));
      assert.equal(s.proc.exitCode, null, 'the server exited');
      assert.doesNotMatch(s.stderr(), /failed: |internal error|FATAL|heap out of memory/, 'the server logged a crash');
      assert.ok(performance.now() - t0 < 3 * LIMIT_MS);
    } finally {
      await s.stop();
    }
  });
}
