// Workspace membership over the real `haconf lsp --stdio`: which files are configs (never YAML), files and
// folders deleted or renamed on disk, untitled buffers, settings as other editors send them, editors
// without file watchers, and formatting options (issue 12, items 1, 3, 7 and 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, applyTextEdits, type ClientOptions, type LspDiagnostic, type TestServer } from './client';
import type { ClusterView } from '../../server/src/cluster/view';

const ka = (vrid: number, state: string, priority: number) => `vrrp_instance VI_1 {
    state ${state}
    interface eth0
    virtual_router_id ${vrid}
    priority ${priority}
    advert_int 1
    virtual_ipaddress {
        10.0.0.100/24
    }
}
`;

const CLEAN_HAPROXY =
  'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend www\n    bind :80\n    default_backend web\n\nbackend web\n    server w1 10.0.1.1:8080 check\n';
const WATCHERS: ClientOptions = { workspaceCapabilities: { didChangeWatchedFiles: { dynamicRegistration: true } } };
const byCode = (code: string) => (ds: LspDiagnostic[]) => ds.some((d) => d.code === code);
const FILE_CHANGED = 2;
const FILE_CREATED = 1;
const FILE_DELETED = 3;

async function withWorkspace(
  files: Record<string, string>,
  run: (root: string, start: (opts?: ClientOptions, settings?: Record<string, unknown>) => Promise<TestServer>) => Promise<void>,
): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ws-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  let srv: TestServer | undefined;
  try {
    await run(root, async (opts, settings) => (srv = await startServer(root, settings, undefined, opts)));
  } finally {
    await srv?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Waits until the server has finished the work queued before this call (requests are answered in order after a scan slice). */
async function clusters(srv: TestServer): Promise<ClusterView[]> {
  return srv.request<ClusterView[]>('haconf/clusters', {});
}

async function eventually<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > end) assert.fail(`${what}: still ${JSON.stringify(last).slice(0, 500)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

test('item 1: YAML files changed on disk (compose, Helm values, Kubernetes Service) are never checked as configs', async () => {
  const compose = 'version: "3.8"\nservices:\n  lb:\n    image: haproxy:2.8\n    restart: always\n';
  const values = 'replicaCount: 2\nservice:\n  type: ClusterIP\n  port: 80\n';
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ingress\nspec:\n  type: NodePort\n';
  await withWorkspace({ 'lb/haproxy.cfg': CLEAN_HAPROXY, 'docker-compose.yml': compose, 'chart/values.yaml': values, 'k8s/svc.yaml': service, 'corosync/values.yaml': values }, async (root, start) => {
    const srv = await start(WATCHERS);
    await eventually(
      'the scan finds the config',
      async () => (await srv.request<{ name: string }[]>('workspace/symbol', { query: 'www' })).length,
      (n) => n > 0,
    );
    const yamls = ['docker-compose.yml', 'chart/values.yaml', 'k8s/svc.yaml', 'corosync/values.yaml'];
    for (const y of yamls) fs.appendFileSync(path.join(root, y), 'extra: value\nmore: value\n');
    fs.writeFileSync(path.join(root, 'new-values.yaml'), values);
    fs.writeFileSync(path.join(root, 'lb/haproxy.cfg'), CLEAN_HAPROXY.replace('    bind :80', '    bindd :80'));
    srv.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        ...yamls.map((y) => ({ uri: uri(path.join(root, y)), type: FILE_CHANGED })),
        { uri: uri(path.join(root, 'new-values.yaml')), type: FILE_CREATED },
        { uri: uri(path.join(root, 'lb/haproxy.cfg')), type: FILE_CHANGED },
      ],
    });
    // The config in the same batch is re-checked, so the YAML files of the batch were handled too.
    await srv.waitForDiagnostics(uri(path.join(root, 'lb/haproxy.cfg')), byCode('haproxy/unknown-keyword'));
    for (const y of [...yamls, 'new-values.yaml']) {
      const got = srv.diagnostics.get(uri(path.join(root, y)));
      assert.ok(!got || got.diagnostics.length === 0, `${y} got ${JSON.stringify(got?.diagnostics.map((d) => d.message))}`);
    }
  });
});

test('item 3: a deleted folder (one event) and a renamed folder update findings and cluster nodes at once; Check Workspace agrees with the disk', async () => {
  await withWorkspace(
    { 'lb/node1/keepalived.conf': ka(51, 'MASTER', 150), 'lb/node2/keepalived.conf': ka(52, 'BACKUP', 100), 'lb/node3/keepalived.conf': ka(51, 'BACKUP', 90) },
    async (root, start) => {
      const srv = await start(WATCHERS);
      const node2 = uri(path.join(root, 'lb/node2/keepalived.conf'));
      await srv.waitForDiagnostics(node2, byCode('cluster/vrid-mismatch'));
      const nodeFiles = async () => (await clusters(srv)).flatMap((c) => c.nodes.flatMap((n) => n.files.map((f) => path.relative(root, f)))).sort();
      assert.deepEqual(await nodeFiles(), ['lb/node1/keepalived.conf', 'lb/node2/keepalived.conf', 'lb/node3/keepalived.conf']);

      // VS Code reports a deleted folder as one event for the folder, none for the files in it.
      fs.rmSync(path.join(root, 'lb/node2'), { recursive: true });
      srv.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(root, 'lb/node2')), type: FILE_DELETED }] });
      await srv.waitForDiagnostics(node2, (ds) => ds.length === 0, 5000);
      assert.deepEqual(await eventually('node2 leaves the cluster', nodeFiles, (f) => f.length === 2), ['lb/node1/keepalived.conf', 'lb/node3/keepalived.conf']);

      // A rename is a deleted folder and a created one.
      fs.renameSync(path.join(root, 'lb/node3'), path.join(root, 'lb/node4'));
      srv.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uri(path.join(root, 'lb/node3')), type: FILE_DELETED },
          { uri: uri(path.join(root, 'lb/node4')), type: FILE_CREATED },
        ],
      });
      assert.deepEqual(await eventually('node3 renamed to node4', nodeFiles, (f) => f.includes('lb/node4/keepalived.conf') && !f.includes('lb/node3/keepalived.conf')), [
        'lb/node1/keepalived.conf',
        'lb/node4/keepalived.conf',
      ]);

      // Deleted behind the editor's back (no event): Check Workspace drops it, and its findings go too.
      fs.writeFileSync(path.join(root, 'lb/node4/keepalived.conf'), ka(52, 'BACKUP', 90));
      srv.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(root, 'lb/node4/keepalived.conf')), type: FILE_CHANGED }] });
      const node4 = uri(path.join(root, 'lb/node4/keepalived.conf'));
      await srv.waitForDiagnostics(node4, byCode('cluster/vrid-mismatch'));
      fs.rmSync(path.join(root, 'lb/node4'), { recursive: true });
      await srv.request('haconf/checkWorkspace', {});
      assert.deepEqual(await nodeFiles(), [], 'one node left: no cluster');
      await srv.waitForDiagnostics(node4, (ds) => ds.length === 0, 5000);

      // A created folder is scanned, unless the scan would never enter it (node_modules, dot folders).
      fs.mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
      fs.writeFileSync(path.join(root, 'node_modules/pkg/haproxy.cfg'), 'frontend f\n    bindd :80\n');
      fs.mkdirSync(path.join(root, 'fresh'));
      fs.writeFileSync(path.join(root, 'fresh/haproxy.cfg'), 'frontend f\n    bindd :80\n');
      srv.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uri(path.join(root, 'node_modules')), type: FILE_CREATED },
          { uri: uri(path.join(root, 'fresh')), type: FILE_CREATED },
        ],
      });
      // Scans run one after the other: once fresh/ is checked, node_modules/ was handled before it.
      await srv.waitForDiagnostics(uri(path.join(root, 'fresh/haproxy.cfg')), byCode('haproxy/unknown-keyword'));
      assert.equal(srv.diagnostics.get(uri(path.join(root, 'node_modules/pkg/haproxy.cfg'))), undefined, 'node_modules is not scanned');
    },
  );
});

test('item 7: an untitled document gets diagnostics, completion and hover, and stays out of the clusters', async () => {
  await withWorkspace({ 'lb/node1/keepalived.conf': ka(51, 'MASTER', 150), 'lb/node2/keepalived.conf': ka(51, 'BACKUP', 100) }, async (_root, start) => {
    const srv = await start();
    await eventually(
      'the cluster is found',
      () => clusters(srv),
      (c) => c.length === 1,
    );
    const untitled = 'untitled:Untitled-1';
    srv.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: untitled, languageId: 'haproxy', version: 1, text: 'backend web\n    balanse roundrobin\n    \n' } });
    const ds = await srv.waitForDiagnostics(untitled, byCode('haproxy/unknown-keyword'), 5000);
    assert.equal(ds.find((d) => d.code === 'haproxy/unknown-keyword')!.range.start.line, 1);
    const items = (await srv.request<{ items?: { label: string }[] } | { label: string }[]>('textDocument/completion', { textDocument: { uri: untitled }, position: { line: 2, character: 4 } })) ?? [];
    const labels = (Array.isArray(items) ? items : (items.items ?? [])).map((i) => i.label);
    assert.ok(labels.includes('balance'), `completion offers keywords: ${labels.slice(0, 10).join(', ')}`);
    const hover = await srv.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: untitled }, position: { line: 0, character: 2 } });
    assert.ok(hover && /backend/i.test(hover.contents.value), 'hover on the section keyword');
    // A scratch copy of node2 with the same VRID must not make a third node (nor a duplicate-master finding on disk).
    const scratch = 'untitled:Untitled-2';
    srv.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: scratch, languageId: 'keepalived', version: 1, text: ka(51, 'MASTER', 150) } });
    await srv.request('textDocument/hover', { textDocument: { uri: scratch }, position: { line: 0, character: 2 } });
    const cs = await clusters(srv);
    assert.equal(cs.length, 1);
    assert.equal(cs[0].nodes.length, 2);
    srv.conn.sendNotification('textDocument/didClose', { textDocument: { uri: untitled } });
    await srv.waitForDiagnostics(untitled, (d) => d.length === 0, 5000);
    assert.ok(![...srv.diagnostics.keys()].some((k) => k.startsWith('file:') && k.includes('untitled')), 'no diagnostics on a made-up file path');
  });
});

test('item 9: settings as { haconf = … } through didChangeConfiguration win over a null workspace/configuration answer', async () => {
  await withWorkspace({ 'other/haproxy.cfg': 'frontend f\n    bindd :80\n' }, async (root, start) => {
    const other = uri(path.join(root, 'other/haproxy.cfg'));
    const srv = await start({
      configurationAnswer: null,
      afterInitialized: (conn) => conn.sendNotification('workspace/didChangeConfiguration', { settings: { haconf: { rules: { 'haproxy/unknown-keyword': 'off' } } } }),
    });
    const ds = await srv.waitForDiagnostics(other, byCode('haproxy/missing-timeout'));
    assert.ok(!ds.some((d) => d.code === 'haproxy/unknown-keyword'), `unknown-keyword is off: ${ds.map((d) => d.code)}`);
  });
});

test('item 9: a workspace/configuration answer holding { haconf = … } (the whole settings table) is read too', async () => {
  await withWorkspace({ 'other/haproxy.cfg': 'frontend f\n    bindd :80\n' }, async (root, start) => {
    const other = uri(path.join(root, 'other/haproxy.cfg'));
    const srv = await start({ configurationAnswer: { haconf: { rules: { 'haproxy/unknown-keyword': 'off' } } } });
    const ds = await srv.waitForDiagnostics(other, byCode('haproxy/missing-timeout'));
    assert.ok(!ds.some((d) => d.code === 'haproxy/unknown-keyword'), `unknown-keyword is off: ${ds.map((d) => d.code)}`);
  });
});

test('item 9: without file watchers, changes and deletions of unopened files are seen (polling)', async () => {
  await withWorkspace({ 'lb/haproxy.cfg': CLEAN_HAPROXY, 'lb2/haproxy.cfg': 'frontend f\n    bindd :80\n' }, async (root, start) => {
    // The default test client, like many Neovim setups, cannot register watchers.
    const srv = await start();
    const lb = uri(path.join(root, 'lb/haproxy.cfg'));
    const lb2 = uri(path.join(root, 'lb2/haproxy.cfg'));
    await srv.waitForDiagnostics(lb2, byCode('haproxy/unknown-keyword'));
    // Let the poller take its first look before the change.
    await new Promise((r) => setTimeout(r, 2500));
    fs.writeFileSync(path.join(root, 'lb/haproxy.cfg'), CLEAN_HAPROXY.replace('    bind :80', '    bindd :80'));
    fs.rmSync(path.join(root, 'lb2'), { recursive: true });
    await srv.waitForDiagnostics(lb, byCode('haproxy/unknown-keyword'), 10000);
    await srv.waitForDiagnostics(lb2, (ds) => ds.length === 0, 10000);
  });
});

test("item 9: formatting honours the client's tabSize and insertSpaces", async () => {
  await withWorkspace({}, async (root, start) => {
    const srv = await start();
    const f = path.join(root, 'haproxy.cfg');
    const messy = 'defaults\nmode http\nfrontend www\n  bind :80\n';
    srv.open(f, 'haproxy', messy);
    const format = async (options: { tabSize: number; insertSpaces: boolean }) => applyTextEdits(messy, await srv.request('textDocument/formatting', { textDocument: { uri: uri(f) }, options }));
    assert.equal(await format({ tabSize: 4, insertSpaces: false }), 'defaults\n\tmode http\nfrontend www\n\tbind :80\n');
    assert.equal(await format({ tabSize: 2, insertSpaces: true }), 'defaults\n  mode http\nfrontend www\n  bind :80\n');
    const ka1 = path.join(root, 'keepalived.conf');
    const kaText = 'vrrp_instance VI_1 {\nstate MASTER\nvirtual_ipaddress {\n10.0.0.1/24\n}\n}\n';
    srv.open(ka1, 'keepalived', kaText);
    const edits = await srv.request<{ range: LspDiagnostic['range']; newText: string }[]>('textDocument/formatting', { textDocument: { uri: uri(ka1) }, options: { tabSize: 8, insertSpaces: false } });
    assert.equal(applyTextEdits(kaText, edits), 'vrrp_instance VI_1 {\n\tstate MASTER\n\tvirtual_ipaddress {\n\t\t10.0.0.1/24\n\t}\n}\n');
  });
});

test('item 6: the server tells the client which documents are ours (haconf/documentLanguage), by the same detection', async () => {
  await withWorkspace(
    {
      'edge/lb.cfg': 'global\n    maxconn 100\nfrontend www\n    bind :80\n',
      'values.yaml': 'totem: x\nnodelist: y\n',
      'lb/peer.vrrp': ka(51, 'MASTER', 100),
      'nginx.conf': 'server {\n    listen 80;\n}\n',
    },
    async (root, start) => {
      const srv = await start(undefined, { rules: {}, files: { associations: { '**/lb/*.vrrp': 'keepalived' } } });
      const lang = async (rel: string) => (await srv.request<{ language: string | null }>('haconf/documentLanguage', { uri: uri(path.join(root, rel)) })).language;
      assert.equal(await lang('edge/lb.cfg'), 'haproxy');
      assert.equal(await lang('values.yaml'), null);
      assert.equal(await lang('nginx.conf'), null);
      assert.equal(await lang('lb/peer.vrrp'), 'keepalived', 'haconf.files.associations');
      // The associated file is part of the workspace scan too.
      await eventually(
        'the scan takes lb/peer.vrrp',
        async () => (await srv.request<{ location: { uri: string } }[]>('workspace/symbol', { query: 'VI_1' })).map((s) => s.location.uri),
        (us) => us.includes(uri(path.join(root, 'lb/peer.vrrp'))),
      );
    },
  );
});
