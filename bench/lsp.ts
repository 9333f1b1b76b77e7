// The language server over a real stdio connection (the bundled dist/cli.js, `haconf lsp --stdio`), driven
// by the protocol-test client. Prints one JSON object.   node --import tsx bench/lsp.ts [--quick]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haproxyConfig, workspace, writeTree } from './gen';
import { median, percentile } from './stats';
import { startServer, uri, type LspDiagnostic, type TestServer } from '../test/protocol/client';

const DEBOUNCE_GAP_MS = 200; // > the server's longest typing wait (checkScheduler.ts), so every edit is an isolated one

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakRssMB(s: TestServer): number {
  try {
    const status = fs.readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const has = (code: string, text?: string) => (ds: LspDiagnostic[]) => ds.some((d) => d.code === code && (text === undefined || d.message.includes(text)));

export interface Latency {
  p50: number;
  p95: number;
  n: number;
}

const lat = (xs: number[]): Latency => ({ p50: median(xs), p95: percentile(xs, 95), n: xs.length });

export interface SingleFileResult {
  lines: number;
  openToDiagnosticsMs: number;
  /** Incremental change (a range), as VS Code sends it. */
  edit: Latency;
  /** The whole text in each change, as editors without incremental sync send it. */
  editFullText: Latency;
  completion: Latency;
  hover: Latency;
  rssMB: number;
}

/**
 * The 30,000-line file with one weak `stats auth` in the middle backend, whose user name each edit changes:
 * half the file lies after the edit, as when a user edits somewhere inside a big config.
 */
export async function singleFile(n: number, samples: number): Promise<SingleFileResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-bench-lsp-'));
  const file = path.join(dir, 'haproxy.cfg');
  const base = haproxyConfig(n).split('\n');
  const middle = base.indexOf(`backend b${Math.floor(n / 2)}`);
  if (middle < 0) throw new Error(`bench input has no backend b${Math.floor(n / 2)}`);
  const head = base.slice(0, middle + 1).join('\n');
  const tail = base.slice(middle + 1).join('\n');
  const withUser = (u: string) => `${head}\n    stats auth ${u}:admin\n${tail}`;
  fs.writeFileSync(file, withUser('u0'));
  const lines = base.length;
  const s = await startServer(dir);
  try {
    const t0 = performance.now();
    s.open(file, 'haproxy', withUser('u0'));
    await s.waitForDiagnostics(uri(file), has('haproxy/weak-credentials', "'u0'"), 60000);
    const openToDiagnosticsMs = performance.now() - t0;

    // As VS Code sends a keystroke: the changed range only (the server asks for incremental sync).
    const statsLine = middle + 1;
    const userAt = '    stats auth '.length;
    const edits: number[] = [];
    let version = 1;
    // The first edits after opening compile the re-parse path; a user typing is past them at once.
    const WARMUP = 3;
    for (let k = 1; k <= samples + WARMUP; k++) {
      await sleep(DEBOUNCE_GAP_MS);
      const t = performance.now();
      const before = `u${k - 1}`;
      s.edit(file, ++version, { start: { line: statsLine, character: userAt }, end: { line: statsLine, character: userAt + before.length } }, `u${k}`);
      await s.waitForDiagnostics(uri(file), has('haproxy/weak-credentials', `'u${k}'`), 60000);
      if (k > WARMUP) edits.push(performance.now() - t);
    }
    // Editors that only sync whole documents send the full 1.2 MB text on every change.
    const fullText: number[] = [];
    for (let k = samples + WARMUP + 1; k <= 2 * samples + WARMUP; k++) {
      await sleep(DEBOUNCE_GAP_MS);
      const t = performance.now();
      s.change(file, ++version, withUser(`u${k}`));
      await s.waitForDiagnostics(uri(file), has('haproxy/weak-credentials', `'u${k}'`), 60000);
      fullText.push(performance.now() - t);
    }
    // `    balance roundrobin` of a backend in the middle of the file.
    const text = withUser(`u${2 * samples + WARMUP}`).split('\n');
    const balanceLine = text.indexOf('    balance roundrobin', Math.floor(text.length / 2));
    const completion: number[] = [];
    const hover: number[] = [];
    for (let k = 0; k < samples * 2; k++) {
      let t = performance.now();
      const items = await s.request<unknown>('textDocument/completion', { textDocument: { uri: uri(file) }, position: { line: balanceLine, character: 5 } });
      completion.push(performance.now() - t);
      if (!items) throw new Error('completion returned nothing');
      t = performance.now();
      const h = await s.request<unknown>('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: balanceLine, character: 6 } });
      hover.push(performance.now() - t);
      if (!h) throw new Error('hover returned nothing on `balance`');
    }
    if (process.env.BENCH_RAW) process.stderr.write(`edits ${edits.map((x) => x.toFixed(0)).join(' ')}\ncompletion ${completion.map((x) => x.toFixed(1)).join(' ')}\n`);
    return { lines, openToDiagnosticsMs, edit: lat(edits), editFullText: lat(fullText), completion: lat(completion), hover: lat(hover), rssMB: peakRssMB(s) };
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface WorkspaceResult {
  clusters: number;
  files: number;
  scanToDiagnosticsMs: number;
  peerRecheck: Latency;
  rssMB: number;
}

/**
 * C clusters; node3 of each has a different advert_int, so every cluster yields one finding on node3.
 * An edit that gives node1 the same value moves the finding to node2: that is the peer re-check.
 */
export async function workspaceScale(clusters: number, samples: number): Promise<WorkspaceResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-bench-ws-'));
  const files = workspace(clusters, { corosync: false, advertMismatch: true });
  writeTree(dir, files);
  const node = (c: number, k: number) => path.join(dir, `c${String(c).padStart(4, '0')}`, `node${k}`, 'keepalived.conf');
  const t0 = performance.now();
  const s = await startServer(dir);
  try {
    for (let c = 0; c < clusters; c++) await s.waitForDiagnostics(uri(node(c, 3)), has('cluster/advert-int-mismatch'), 120000);
    const scanToDiagnosticsMs = performance.now() - t0;
    const times: number[] = [];
    for (let k = 0; k < samples; k++) {
      const c = Math.floor(((k + 0.5) * clusters) / samples);
      const f = node(c, 1);
      const text = fs.readFileSync(f, 'utf8');
      s.open(f, 'keepalived', text);
      await sleep(DEBOUNCE_GAP_MS);
      const t = performance.now();
      s.change(f, 2, text.replace('advert_int 1', 'advert_int 2'));
      await s.waitForDiagnostics(uri(node(c, 2)), has('cluster/advert-int-mismatch'), 60000);
      await s.waitForDiagnostics(uri(node(c, 3)), (ds) => !has('cluster/advert-int-mismatch')(ds), 60000);
      times.push(performance.now() - t);
    }
    return { clusters, files: Object.keys(files).length, scanToDiagnosticsMs, peerRecheck: lat(times), rssMB: peakRssMB(s) };
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  process.env.HACONF_LSP_BUNDLE = '1';
  (async () => {
    const single = await singleFile(3000, quick ? 5 : 20);
    const ws = await workspaceScale(300, quick ? 4 : 12);
    process.stdout.write(JSON.stringify({ single, workspace: ws }) + '\n');
  })().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
