// A client in the lab's client namespace hitting the VIP every 50 ms on a fresh connection each time: how
// the deploy tests prove that traffic kept flowing while hosts were swapped and the VIP moved.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { LabPlan } from './lab';

export interface VipTraffic {
  ok: number;
  failed: number;
  /** The first ten failures' messages. */
  errors: string[];
}

export function startVipClient(plan: LabPlan): { stop: () => Promise<VipTraffic> } {
  const js = `
const http = require('http'); let ok = 0, failed = 0; const errors = []; let stop = false;
process.stdin.on('data', () => { stop = true; }); process.stdin.resume();
function once() {
  const t0 = Date.now();
  const req = http.get({ host: '${plan.vip}', port: 80, path: '/', agent: false, timeout: 2000 }, (res) => {
    res.resume(); res.on('end', () => { if (res.statusCode === 200) ok++; else { failed++; errors.push('HTTP ' + res.statusCode); } next(t0); });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (e) => { failed++; errors.push(e.message); next(t0); });
}
function next(t0) { if (stop) { console.log(JSON.stringify({ ok, failed, errors: errors.slice(0, 10) })); process.exit(0); } setTimeout(once, Math.max(0, 50 - (Date.now() - t0))); }
once();`;
  const child: ChildProcessWithoutNullStreams = spawn('ip', ['netns', 'exec', plan.client.netns, process.execPath, '-e', js]);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        child.on('close', () => {
          try {
            resolve(JSON.parse(out) as VipTraffic);
          } catch {
            reject(new Error(`client output: ${out}`));
          }
        });
        child.stdin.write('stop\n');
      }),
  };
}
