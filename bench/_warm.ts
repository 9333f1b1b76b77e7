import * as fs from 'node:fs';
import { checkText } from '../server/src/engine/check';
import { NodeSourceHost } from '../server/src/core/sourceHost';
import { defaultCheckOptions } from '../server/src/core/types';
const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
const host = new NodeSourceHost(); const opts = defaultCheckOptions();
const runs = Number(process.argv[3] ?? 10);
for (let r = 0; r < runs; r++) {
  const t0 = performance.now(); const c0 = process.cpuUsage();
  const res = checkText(file, text, 'haproxy', opts, host);
  const ms = performance.now() - t0; const cpu = process.cpuUsage(c0);
  console.log(r, ms.toFixed(0), 'ms wall', ((cpu.user + cpu.system) / 1000).toFixed(0), 'ms cpu', res.diagnostics.length, (text.length / 1e6 / (ms / 1000)).toFixed(1), 'MB/s');
}
