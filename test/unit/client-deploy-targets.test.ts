import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderTargets } from '../../client/src/deployTargets';
import type { DeployTarget } from '../../server/src/protocol';

const t = (cluster: string, files: string[]): DeployTarget => ({ manifest: `/ws/${cluster}/haconf.yaml`, cluster, hosts: ['a', 'b'], files });

test("the deploy picker offers the active file's cluster first", () => {
  const targets = [t('edge', ['/ws/edge/lb1/keepalived.conf']), t('db', ['/ws/db/n1/corosync.conf', '/ws/db/haproxy.cfg']), t('api', ['/ws/api/haproxy.cfg'])];
  const o = orderTargets(targets, '/ws/db/haproxy.cfg');
  assert.deepEqual(
    o.targets.map((x) => x.cluster),
    ['db', 'edge', 'api'],
  );
  assert.equal(o.own?.cluster, 'db');
  assert.deepEqual(
    orderTargets(targets, '/ws/api/haconf.yaml').targets.map((x) => x.cluster),
    ['api', 'edge', 'db'],
    'the manifest itself counts',
  );
  assert.deepEqual(
    orderTargets(targets, '/elsewhere.txt').targets.map((x) => x.cluster),
    ['edge', 'db', 'api'],
  );
  assert.deepEqual(
    orderTargets(targets, undefined).targets.map((x) => x.cluster),
    ['edge', 'db', 'api'],
  );
});
