// `haconf cluster` on a node file with 100,000 findings: grouping findings per file used to copy the
// list for every finding (quadratic: 237 s on the 2-core CI machine); now linear (about 7 s, mostly the check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';

const node = (priority: number) =>
  `vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority ${priority}\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n`;

test('haconf cluster with 100,000 findings in one file finishes in seconds, not minutes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-cluster-big-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'a'));
  fs.mkdirSync(path.join(dir, 'b'));
  const junk = Array.from({ length: 100000 }, (_, i) => `bogus_kw${i} 1\n`).join('');
  fs.writeFileSync(path.join(dir, 'a', 'keepalived.conf'), node(100) + junk);
  fs.writeFileSync(path.join(dir, 'b', 'keepalived.conf'), node(90));
  const t0 = performance.now();
  const r = await runCli(['cluster', '--format', 'json', '.'], dir);
  const ms = performance.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { clusters: { nodes: unknown[]; errors?: number }[] };
  assert.equal(out.clusters.length, 1);
  assert.equal(out.clusters[0].nodes.length, 2);
  assert.ok(ms < 40000, `took ${ms.toFixed(0)} ms`);
});
