// A minimal LSP client over the real stdio connection of `haconf lsp --stdio`, for protocol tests and
// the latency measurement. Speaks JSON-RPC with vscode-jsonrpc; no editor involved.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { shutdownServer } from './shutdown';

export const ROOT = path.resolve(__dirname, '../..');

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
  relatedInformation?: { location: { uri: string }; message: string }[];
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface TestServer {
  conn: MessageConnection;
  proc: ChildProcess;
  /** Latest diagnostics per URI and when they arrived. */
  diagnostics: Map<string, { diagnostics: LspDiagnostic[]; at: number; version?: number }>;
  /** window/showMessage texts, in order. */
  messages: string[];
  /** haconf/targetVersion notifications (the version checks target and why), in order. */
  targetVersions: Array<{ version: string; origin: string; reason: string }>;
  stderr: string[];
  /** What the server announced in its initialize result. */
  capabilities: Record<string, unknown>;
  /** The server's answer to initialize (its capabilities). */
  initializeResult: { capabilities: Record<string, unknown> };
  waitForDiagnostics(uri: string, pred: (ds: LspDiagnostic[]) => boolean, timeoutMs?: number): Promise<LspDiagnostic[]>;
  open(file: string, languageId: string, text: string): void;
  change(file: string, version: number, text: string): void;
  /** An incremental change, as VS Code sends one per keystroke: `text` replaces `range` of the current text. */
  edit(file: string, version: number, range: LspRange, text: string): void;
  request<T>(method: string, params: unknown): Promise<T>;
  stop(): Promise<void>;
}

export const uri = (file: string): string => pathToFileURL(file).toString();

/** How a test client differs from the default one (an editor without file watchers, VS Code-like settings). */
export interface ClientOptions {
  /** Merged into `capabilities.workspace` (e.g. `{ didChangeWatchedFiles: { dynamicRegistration: true } }`). */
  workspaceCapabilities?: Record<string, unknown>;
  /** `processId` sent in initialize (default: this test process). */
  processId?: number | null;
  /** The answer to each `workspace/configuration` item (default: `settings`). */
  configurationAnswer?: unknown;
  /** Called right after `initialized` is sent, before startServer returns (to race the server's start-up). */
  afterInitialized?: (conn: MessageConnection) => void;
  /** Where and with what environment the server process runs. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts the server from source, or from a bundle (HACONF_LSP_BUNDLE=1 for dist/cli.js, or a path), and initializes it on `root`. */
export async function startServer(
  root: string,
  settings: Record<string, unknown> = { haproxy: { version: '2.6' }, rules: {} },
  initializationOptions?: Record<string, unknown>,
  options: ClientOptions = {},
): Promise<TestServer> {
  const bundle = process.env.HACONF_LSP_BUNDLE;
  // tsx by absolute URL: the server may run in another working directory (options.cwd).
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).toString();
  const args = bundle ? [bundle === '1' ? path.join(ROOT, 'dist/cli.js') : path.resolve(bundle), 'lsp', '--stdio'] : ['--import', tsx, path.join(ROOT, 'server/src/cli/main.ts'), 'lsp', '--stdio'];
  const proc = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const died = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics: TestServer['diagnostics'] = new Map();
  const messages: string[] = [];
  conn.onNotification('window/showMessage', (p: { message: string }) => {
    messages.push(p.message);
  });
  const waiters = new Set<() => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: LspDiagnostic[]; version?: number }) => {
    diagnostics.set(p.uri, { diagnostics: p.diagnostics, at: performance.now(), version: p.version });
    for (const w of [...waiters]) w();
  });
  conn.onNotification('window/logMessage', () => undefined);
  const targetVersions: TestServer['targetVersions'] = [];
  conn.onNotification('haconf/targetVersion', (p: unknown) => {
    targetVersions.push(p as TestServer['targetVersions'][number]);
  });
  conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => ('configurationAnswer' in options ? options.configurationAnswer : settings)));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const initializeResult = (await conn.sendRequest('initialize', {
    processId: options.processId === undefined ? process.pid : options.processId,
    rootUri: uri(root),
    initializationOptions,
    workspaceFolders: [{ uri: uri(root), name: path.basename(root) }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true, ...options.workspaceCapabilities },
      textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] }, rename: { prepareSupport: true } },
    },
  })) as TestServer['initializeResult'];
  conn.sendNotification('initialized', {});
  options.afterInitialized?.(conn);
  const server: TestServer = {
    conn,
    proc,
    diagnostics,
    messages,
    capabilities: initializeResult.capabilities,
    targetVersions,
    stderr,
    initializeResult,
    waitForDiagnostics(u, pred, timeoutMs = 15000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const d = diagnostics.get(u);
          if (d && pred(d.diagnostics)) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(d.diagnostics);
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching diagnostics for ${u} within ${timeoutMs} ms; last: ${JSON.stringify(diagnostics.get(u)?.diagnostics.map((x) => x.code))}; stderr: ${stderr.join('').slice(0, 2000)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    open(file, languageId, text) {
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId, version: 1, text } });
    },
    change(file, version, text) {
      conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
    },
    edit(file, version, range, text) {
      conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ range, text }] });
    },
    request<T>(method: string, params: unknown) {
      // A server that dies mid-request fails the test at once instead of leaving the request pending forever.
      return Promise.race([
        conn.sendRequest(method, params) as Promise<T>,
        died.then((): never => {
          throw new Error(`the server exited during ${method}; stderr: ${stderr.join('').slice(0, 2000)}`);
        }),
      ]);
    },
    stop() {
      return shutdownServer(conn, proc);
    },
  };
  return server;
}

/** Applies LSP TextEdits (non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: { range: LspDiagnostic['range']; newText: string }[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const off = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : starts[p.line] + p.character);
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
