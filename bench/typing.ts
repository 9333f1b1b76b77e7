// Typing on the 30,000-line haproxy.cfg through the real stdio server (the bundled dist/cli.js): keystrokes
// sent back to back as range changes (fast typing) and 300 ms apart, with the outline and folding requests
// VS Code sends after edits in the mix. Measures last keystroke → fresh diagnostics, the documentSymbol
// response (bytes and time, steady and right after an edit), folding, and the server's peak RSS.
// Prints one JSON object.   node --import tsx bench/typing.ts [--quick]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haproxyConfig } from './gen';
import { median, percentile } from './stats';
import { startServer, uri, type LspDiagnostic, type LspRange, type TestServer } from '../test/protocol/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Latency {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

const lat = (xs: number[]): Latency => ({ p50: round(median(xs)), p95: round(percentile(xs, 95)), max: round(Math.max(...xs)), n: xs.length });
const round = (x: number) => Math.round(x * 10) / 10;

function peakRssMB(s: TestServer): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${s.proc.pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU time the server's threads have used, ms (the schedstat of every thread: ns on a CPU). Unlike wall time, it does not grow with the machine's load. */
function cpuMs(s: TestServer, mainThreadOnly = false): number {
  let ns = 0;
  const dir = `/proc/${s.proc.pid}/task`;
  for (const t of mainThreadOnly ? [String(s.proc.pid)] : fs.readdirSync(dir)) {
    try {
      ns += Number(fs.readFileSync(`${dir}/${t}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1e6;
}

const weakUser = (user: string) => (ds: LspDiagnostic[]) => ds.some((d) => d.code === 'haproxy/weak-credentials' && d.message.includes(`'${user}'`));

export interface TypingResult {
  lines: number;
  /** Bursts of keystrokes sent back to back: last keystroke → diagnostics naming the final text. */
  burst: Latency;
  /** CPU the server used per burst (all its threads, GC included): what the burst costs on an idle machine. */
  burstCpu: Latency;
  /** The same, the main (JavaScript) thread alone: the part that delays the answer. */
  burstMainCpu: Latency;
  /** One keystroke every 300 ms: keystroke → fresh diagnostics. */
  spaced: Latency;
  spacedCpu: Latency;
  symbolsBytes: number;
  symbols: Latency;
  /** documentSymbol sent right after a keystroke (the server first has to take in the edit). */
  symbolsAfterEdit: Latency;
  /** documentSymbol handler time inside the server (its own log with haconf.trace.server = verbose). */
  symbolsServer: Latency;
  /** One scheduled check (re-parse, rules, publish) inside the server. */
  checkServer: Latency;
  folding: Latency;
  rssMB: number;
}

export async function typing(n: number, rounds: number, keysPerBurst = 8): Promise<TypingResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-bench-typing-'));
  const file = path.join(dir, 'haproxy.cfg');
  const base = haproxyConfig(n).split('\n');
  const middle = base.indexOf(`backend b${Math.floor(n / 2)}`);
  const statsLine = middle + 1;
  const text = [...base.slice(0, middle + 1), '    stats auth u0:admin', ...base.slice(middle + 1)].join('\n');
  fs.writeFileSync(file, text);
  const u = uri(file);
  const s = await startServer(dir, { haproxy: { version: '2.6' }, rules: {}, trace: { server: 'verbose' } });
  const serverTimes = new Map<string, number[]>();
  s.conn.onNotification('window/logMessage', (p: { message: string }) => {
    const m = /^haconf: (\w+) took ([\d.]+) ms/.exec(p.message);
    if (!m) return;
    const list = serverTimes.get(m[1]) ?? [];
    list.push(Number(m[2]));
    serverTimes.set(m[1], list);
  });
  let version = 1;
  let user = 'u0';
  const userAt = '    stats auth '.length;
  /** One keystroke: the whole user name replaced by `next` (the cost for the server is that of any one-line edit). */
  const key = (next: string): void => {
    const range: LspRange = { start: { line: statsLine, character: userAt }, end: { line: statsLine, character: userAt + user.length } };
    s.edit(file, ++version, range, next);
    user = next;
  };
  const timed = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const r = await fn();
    return [performance.now() - t, r];
  };
  const outline = () => s.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  const folding = () => s.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri: u } });
  try {
    s.open(file, 'haproxy', text);
    await s.waitForDiagnostics(u, weakUser('u0'), 60000);
    // Warm-up: the first edits compile the re-parse path.
    for (let k = 0; k < 3; k++) {
      key(`w${k}`);
      await s.waitForDiagnostics(u, weakUser(`w${k}`), 60000);
      await s.request('textDocument/documentSymbol', { textDocument: { uri: u } });
      await sleep(200);
    }
    serverTimes.clear();
    const burst: number[] = [];
    const burstCpu: number[] = [];
    const burstMainCpu: number[] = [];
    const symbolsAfterEdit: number[] = [];
    const symbols: number[] = [];
    const fold: number[] = [];
    let symbolsBytes = 0;
    for (let r = 0; r < rounds; r++) {
      const c0 = cpuMs(s);
      const m0 = cpuMs(s, true);
      for (let k = 1; k <= keysPerBurst; k++) key(`b${r}x${k}`);
      const t = performance.now();
      await s.waitForDiagnostics(u, weakUser(user), 60000);
      burst.push(performance.now() - t);
      burstCpu.push(cpuMs(s) - c0);
      burstMainCpu.push(cpuMs(s, true) - m0);
      // What VS Code asks for once typing pauses.
      const [ts, syms] = await timed(outline);
      symbols.push(ts);
      symbolsBytes = JSON.stringify(syms).length;
      fold.push((await timed(folding))[0]);
      await sleep(300);
      // The outline requested while an edit is still pending.
      key(`o${r}`);
      symbolsAfterEdit.push((await timed(outline))[0]);
      await s.waitForDiagnostics(u, weakUser(user), 60000);
      await sleep(300);
    }
    const spaced: number[] = [];
    const spacedCpu: number[] = [];
    for (let r = 0; r < rounds * 2; r++) {
      await sleep(300);
      const c0 = cpuMs(s);
      const t = performance.now();
      key(`s${r}`);
      await s.waitForDiagnostics(u, weakUser(user), 60000);
      spaced.push(performance.now() - t);
      spacedCpu.push(cpuMs(s) - c0);
    }
    return {
      lines: text.split('\n').length,
      burst: lat(burst),
      burstCpu: lat(burstCpu),
      burstMainCpu: lat(burstMainCpu),
      spaced: lat(spaced),
      spacedCpu: lat(spacedCpu),
      symbolsBytes,
      symbols: lat(symbols),
      symbolsAfterEdit: lat(symbolsAfterEdit),
      symbolsServer: lat(serverTimes.get('documentSymbol') ?? []),
      checkServer: lat(serverTimes.get('diagnostics') ?? []),
      folding: lat(fold),
      rssMB: peakRssMB(s),
    };
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.HACONF_LSP_BUNDLE ??= '1';
  const quick = process.argv.includes('--quick');
  typing(3000, quick ? 8 : 20)
    .then((r) => process.stdout.write(JSON.stringify(r) + '\n'))
    .catch((e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(1);
    });
}
