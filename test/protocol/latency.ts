// Measures editor latencies through the real stdio connection on a generated 30,000-line haproxy.cfg:
// edit → fresh diagnostics, completion and hover, p50/p95 over 50 requests each. Not a test (timings
// depend on the machine); run with `node --import tsx test/protocol/latency.ts`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri } from './client';

function generate(lines: number): { text: string; backendLines: number[] } {
  const out = ['global', '    maxconn 4096', '', 'defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s', ''];
  const backendLines: number[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(`frontend fe_${i}`, `    bind 10.0.${i % 250}.1:${8000 + (i % 1000)}`, `    acl is_api_${i} path_beg /api`, `    use_backend be_${i} if is_api_${i}`, `    default_backend be_${i}`, '');
    out.push(`backend be_${i}`);
    backendLines.push(out.length);
    out.push('    balance roundrobin', '    option httpchk GET /healthz');
    for (let s = 0; s < 8; s++) out.push(`    server s${s} 10.1.${i % 250}.${s + 1}:30080 check inter 2s fall 3 rise 2`);
    out.push('');
  }
  // One standing finding, so the first publication is not empty (empty results are not sent for files never published).
  out[backendLines[backendLines.length - 1]] = '    balanse roundrobin';
  return { text: out.join('\n') + '\n', backendLines: backendLines.slice(0, -1) };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms (n=${xs.length})`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-lat-')));
  const file = path.join(root, 'haproxy.cfg');
  const { text, backendLines } = generate(30000);
  fs.writeFileSync(file, text);
  const srv = await startServer(root);
  const u = uri(file);
  try {
    const lines = text.split('\n');
    srv.open(file, 'haproxy', text);
    await srv.waitForDiagnostics(u, () => true, 60000);
    await sleep(500);
    const n = 50;
    const edit: number[] = [];
    let version = 1;
    for (let i = 0; i < n; i++) {
      // Every other edit introduces a typo, the next removes it, so each edit changes the findings.
      const l = backendLines[((i >> 1) * 7) % backendLines.length];
      const copy = lines.slice();
      if (i % 2 === 0) copy[l] = '    balanse roundrobin';
      const v = ++version;
      const t0 = performance.now();
      srv.change(file, v, copy.join('\n'));
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          const d = srv.diagnostics.get(u);
          if (d && d.version === v) {
            clearInterval(t);
            edit.push(d.at - t0);
            resolve();
          }
          if (performance.now() - t0 > 20000) {
            clearInterval(t);
            reject(new Error('no diagnostics'));
          }
        }, 1);
      });
      await sleep(200);
    }
    srv.change(file, ++version, text);
    await sleep(1500);
    const completion: number[] = [];
    const hover: number[] = [];
    for (let i = 0; i < n; i++) {
      const l = backendLines[(i * 13) % backendLines.length];
      let t0 = performance.now();
      const items = (await srv.request('textDocument/completion', { textDocument: { uri: u }, position: { line: l, character: 7 } })) as unknown[];
      completion.push(performance.now() - t0);
      if (!items.length) throw new Error('empty completion');
      t0 = performance.now();
      const h = await srv.request('textDocument/hover', { textDocument: { uri: u }, position: { line: l, character: 6 } });
      hover.push(performance.now() - t0);
      if (!h) throw new Error('empty hover');
    }
    const rss = fs.readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
    console.log(`30,000-line haproxy.cfg (${(text.length / 1024).toFixed(0)} KiB)`);
    console.log(`edit -> diagnostics: ${fmt(edit)}`);
    console.log(`completion:          ${fmt(completion)}`);
    console.log(`hover:               ${fmt(hover)}`);
    console.log(`server RSS:          ${rss ? (Number(rss) / 1024).toFixed(0) : '?'} MB`);
  } finally {
    await srv.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
