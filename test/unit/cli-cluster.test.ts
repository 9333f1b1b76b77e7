import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import type { ClusterView } from '../../server/src/cluster/view';

const ROOT = path.resolve(__dirname, '../..');

test('haconf cluster prints each cluster, its reason and the failover table with the blocked case flagged', async () => {
  const r = await runCli(['cluster', 'examples/as-written/apiserver-lb'], ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cluster apiserver-lb \(manifest: listed in .*haconf\.yaml\)$/m);
  assert.match(r.stdout, /^ {2}master1 10\.53\.61\.159\/24: examples\/as-written\/apiserver-lb\/master1\/keepalived\.conf/m);
  assert.match(r.stdout, /^ {4}all healthy +111 +101 +101 +master1$/m);
  assert.match(r.stdout, /^ {4}chk_haproxy fails on master1 +100 +101 +101 +master1 +<- VIP stays on the failed node$/m);
});

test('haconf cluster --format json gives the editor cluster view', async () => {
  const r = await runCli(['cluster', '--format=json', 'examples/as-written'], ROOT);
  assert.equal(r.code, 0, r.stderr);
  const { clusters } = JSON.parse(r.stdout) as { clusters: ClusterView[] };
  assert.deepEqual(clusters.map((c) => c.name).sort(), ['apiserver-lb', 'ingress-nodeport', 'minimal-vrrp', 'nodeport-range']);
  const api = clusters.find((c) => c.name === 'apiserver-lb')!;
  assert.ok(api.errors >= 1);
  assert.equal(api.failover[0].holder, 'master1');
});

test('haconf cluster: usage errors exit 2', async () => {
  assert.equal((await runCli(['cluster', '--format', 'xml'], ROOT)).code, 2);
  assert.equal((await runCli(['cluster', '--nope'], ROOT)).code, 2);
});
