// A bare LSP client for the hostile-input tests: starts `haconf lsp --stdio` from the test bundle on a
// workspace folder, and reports whether the server is still alive and answering.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { shutdownServer } from '../protocol/shutdown';
import { cliBundle } from './bundle';

export const uri = (file: string): string => pathToFileURL(file).toString();

export interface Session {
  conn: MessageConnection;
  proc: ChildProcess;
  stderr: () => string;
  /** Diagnostics published so far, by URI. */
  published: Map<string, unknown[]>;
  waitForDiagnostics(u: string, timeoutMs: number): Promise<unknown[]>;
  /** Sends a request and fails if no answer comes within `timeoutMs`. */
  request<T>(method: string, params: unknown, timeoutMs: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startSession(root: string, timeoutMs: number): Promise<Session> {
  const proc = spawn(process.execPath, [cliBundle(), 'lsp', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => {
    if (err.length < 100000) err += b.toString();
  });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const published = new Map<string, unknown[]>();
  const waiters = new Set<() => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
    published.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) w();
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    if (err.length < 100000) err += `${p.message}\n`;
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const withTimeout = <T>(what: string, p: Promise<T>, ms: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (server alive: ${proc.exitCode === null}); stderr: ${err.slice(0, 2000)}`)), ms);
      p.then(resolve, reject).finally(() => clearTimeout(t));
    });
  await withTimeout(
    'initialize',
    conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(root),
      workspaceFolders: [{ uri: uri(root), name: path.basename(root) }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    }),
    timeoutMs,
  );
  conn.sendNotification('initialized', {});
  return {
    conn,
    proc,
    stderr: () => err,
    published,
    waitForDiagnostics(u, ms) {
      return withTimeout(
        `diagnostics for ${u}`,
        new Promise<unknown[]>((resolve) => {
          const check = () => {
            const d = published.get(u);
            if (d) {
              waiters.delete(check);
              resolve(d);
            }
          };
          waiters.add(check);
          check();
        }),
        ms,
      );
    },
    request<T>(method: string, params: unknown, ms: number) {
      return withTimeout(method, conn.sendRequest(method, params) as Promise<T>, ms);
    },
    stop() {
      return shutdownServer(conn, proc);
    },
  };
}
