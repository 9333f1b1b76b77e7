// "haconf: New HA Cluster…" over a real stdio connection: the server runs the `haconf init` engine, previews,
// writes, and the new cluster shows up at once in haconf/clusters, clean. Writes stay inside the workspace
// folders and are refused in Restricted Mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer } from './client';
import type { ClusterView } from '../../server/src/cluster/view';
import type { ScaffoldReply } from '../../server/src/protocol';

const ANSWERS = {
  kind: 'nodeport',
  name: 'edge',
  vip: '172.16.0.10/24',
  nodes: 'edge1=172.16.0.11,edge2=172.16.0.12',
  nodePorts: '80:30080',
  workers: '172.16.0.21,172.16.0.22',
  iface: 'ens3',
  haproxyVersion: '2.6',
};

test('haconf/scaffold previews, writes, refuses to overwrite, and the cluster appears clean', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-scaffold-lsp-'));
  const folder = path.join(root, 'edge');
  const srv = await startServer(root);
  try {
    const kinds = await srv.request<{ kind: string }[]>('haconf/scaffoldKinds', {});
    assert.deepEqual(
      kinds.map((k) => k.kind),
      ['nodeport', 'apiserver', 'pacemaker'],
    );
    const preview = await srv.request<ScaffoldReply>('haconf/scaffold', { folder, answers: ANSWERS, write: false });
    assert.ok(preview.ok, JSON.stringify(preview));
    assert.deepEqual(preview.files, ['haconf.yaml', 'haproxy.cfg', 'edge1/keepalived.conf', 'edge2/keepalived.conf']);
    assert.deepEqual(preview.existing, []);
    assert.match(preview.summary.join('\n'), /edge1 holds the VIP; if its HAProxy stops answering, the VIP moves to edge2/);
    assert.equal(fs.existsSync(folder), false, 'a preview writes nothing');

    const done = await srv.request<ScaffoldReply>('haconf/scaffold', { folder, answers: ANSWERS, write: true });
    assert.ok(done.ok && done.written, JSON.stringify(done));
    assert.ok(fs.existsSync(path.join(folder, 'edge2', 'keepalived.conf')));
    const clusters = await srv.request<ClusterView[]>('haconf/clusters', {});
    const edge = clusters.find((c) => c.name === 'edge');
    assert.ok(edge, `the new cluster is not in the model: ${clusters.map((c) => c.name).join(', ')}`);
    assert.equal(edge.errors, 0);
    assert.equal(edge.warnings, 0);
    assert.equal(edge.failover[0].holder, 'edge1');

    const again = await srv.request<ScaffoldReply>('haconf/scaffold', { folder, answers: ANSWERS, write: true });
    assert.equal(again.ok, false);
    assert.match((again as { message: string }).message, /already exist.*--force/);
    const second = await srv.request<ScaffoldReply>('haconf/scaffold', { folder, answers: ANSWERS, write: false });
    assert.ok(second.ok && second.existing.length === 4);
    assert.ok((await srv.request<ScaffoldReply>('haconf/scaffold', { folder, answers: ANSWERS, write: true, force: true })).ok);

    // The workspace's VRIDs are taken: a second cluster may not reuse edge's, a re-write of edge itself may.
    const vrid = /virtual_router_id (\d+)/.exec(fs.readFileSync(path.join(folder, 'edge1', 'keepalived.conf'), 'utf8'))![1];
    const clash = await srv.request<ScaffoldReply>('haconf/scaffold', { folder: path.join(root, 'edge-b'), answers: { ...ANSWERS, name: 'edge-b', vrid }, write: false });
    assert.equal(clash.ok, false);
    assert.match((clash as { message: string }).message, new RegExp(`VRID ${vrid} is already used by cluster edge in this workspace`));
    const same = await srv.request<ScaffoldReply>('haconf/scaffold', { folder, answers: { ...ANSWERS, vrid }, write: false });
    assert.ok(same.ok, JSON.stringify(same));

    const outside = await srv.request<ScaffoldReply>('haconf/scaffold', { folder: path.join(os.tmpdir(), 'elsewhere-haconf'), answers: ANSWERS, write: true });
    assert.equal(outside.ok, false);
    assert.match((outside as { message: string }).message, /not inside an open workspace folder/);
    const wrong = await srv.request<ScaffoldReply>('haconf/scaffold', { folder: path.join(root, 'x'), answers: { ...ANSWERS, vip: '10.9.9.9/24' }, write: false });
    assert.equal(wrong.ok, false);
    assert.match((wrong as { message: string }).message, /outside the VIP's subnet/);
  } finally {
    await srv.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('haconf/scaffold is refused in Restricted Mode', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-scaffold-lsp-'));
  const srv = await startServer(root, undefined, { trusted: false });
  try {
    await assert.rejects(srv.request('haconf/scaffold', { folder: path.join(root, 'edge'), answers: ANSWERS, write: true }), /Restricted Mode/);
    assert.deepEqual(fs.readdirSync(root), []);
  } finally {
    await srv.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
