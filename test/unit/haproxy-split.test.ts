// Split HAProxy configurations: which files form a set (engine/haproxySets.ts), and the set's findings in
// the CLI and in the workspace model as files are edited.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findHaproxySets } from '../../server/src/engine/haproxySets';
import type { Manifest } from '../../server/src/manifest/model';
import { workspace } from './services-helpers';
import { runCli } from '../helpers/cli';
import { tempTree as makeTree } from '../helpers/tmp';
import * as services from '../../server/src/services';

/** Temp trees made by the tests, removed at the end. */
const made: string[] = [];
const tempTree = (files: Record<string, string>): string => {
  const dir = makeTree(files);
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const hp = (...files: string[]) => files.map((file) => ({ file, language: 'haproxy' as const }));

test('a .d folder is read like haproxy -f DIR: *.cfg only, no dot files, byte order, haproxy.cfg above first', () => {
  const sets = findHaproxySets(
    [
      ...hp('/e/haproxy.cfg', '/e/conf.d/b.cfg', '/e/conf.d/B.cfg', '/e/conf.d/10-x.cfg', '/e/conf.d/.old.cfg', '/e/conf.d/x.conf', '/e/conf.d/sub/deep.cfg'),
      { file: '/e/conf.d/k.cfg', language: 'keepalived' },
    ],
    [],
  );
  assert.equal(sets.length, 1);
  assert.deepEqual(sets[0].files, ['/e/haproxy.cfg', '/e/conf.d/10-x.cfg', '/e/conf.d/B.cfg', '/e/conf.d/b.cfg']);
  assert.deepEqual(sets[0].owned, sets[0].files);
});

test('folders that are not .d folders, and a lone file, make no set', () => {
  assert.deepEqual(findHaproxySets(hp('/lb/haproxy-a.cfg', '/lb/haproxy-b.cfg', '/x/conf.d/only.cfg'), []), []);
});

test('a manifest host listing several haproxy files is a set in its listed order; the first set owns a shared file', () => {
  const file = (sourceAbs: string, kind?: 'haproxy') => ({ source: path.basename(sourceAbs), sourceAbs, target: '/etc/haproxy/x.cfg', kind, range: r, sourceRange: r, targetRange: r });
  const r = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const host = (name: string, files: ReturnType<typeof file>[]) => ({ name, files }) as unknown as Manifest['hosts'][number];
  const m = {
    file: '/m/haconf.yaml',
    hosts: [host('lb1', [file('/m/common.cfg'), file('/m/lb1.cfg'), file('/m/keepalived.conf')]), host('lb2', [file('/m/common.cfg'), file('/m/lb2.cfg', 'haproxy')])],
  } as unknown as Manifest;
  const sets = findHaproxySets([...hp('/m/common.cfg', '/m/lb1.cfg'), { file: '/m/keepalived.conf', language: 'keepalived' }, { file: '/m/lb2.cfg', language: 'haproxy' }], [m]);
  assert.deepEqual(
    sets.map((s) => s.files),
    [
      ['/m/common.cfg', '/m/lb1.cfg'],
      ['/m/common.cfg', '/m/lb2.cfg'],
    ],
  );
  assert.deepEqual(
    sets.map((s) => s.owned),
    [['/m/common.cfg', '/m/lb1.cfg'], ['/m/lb2.cfg']],
  );
  assert.match(sets[0].reason, /haconf\.yaml lists 2 HAProxy files for host lb1/);
});

const GLOBAL = 'global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n';
const FRONT = 'frontend web\n    bind 127.0.0.1:8080\n    default_backend app\n';
const BACK = 'backend app\n    server a1 127.0.0.1:9001 check\n';

test('haconf check: the haproxy files of a manifest host are checked together (not in a .d folder)', async () => {
  const dir = tempTree({
    'haconf.yaml':
      'cluster: c\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - { source: lb/global.cfg, target: /etc/haproxy/haproxy.cfg }\n      - { source: lb/front.cfg, target: /etc/haproxy/conf.d/front.cfg, kind: haproxy }\n      - { source: lb/back.cfg, target: /etc/haproxy/conf.d/back.cfg, kind: haproxy }\n',
    'lb/global.cfg': GLOBAL,
    'lb/front.cfg': FRONT,
    'lb/back.cfg': BACK,
  });
  const run = await runCli(['check', dir, '--format', 'json']);
  const codes = (JSON.parse(run.stdout) as { diagnostics: { code: string; file: string }[] }).diagnostics.map((d) => `${path.basename(d.file)} ${d.code}`);
  assert.ok(!codes.some((c) => /undefined-reference|missing-timeout/.test(c)), codes.join('\n'));
  assert.equal(run.code, 0, run.stdout);
});

test('workspace model: an edit in one file of a set re-judges the others, and navigation crosses the files', () => {
  const w = workspace({ 'etc/haproxy/haproxy.cfg': GLOBAL, 'etc/haproxy/conf.d/10-front.cfg': FRONT, 'etc/haproxy/conf.d/20-back.cfg': BACK });
  try {
    const main = w.file('etc/haproxy/haproxy.cfg');
    const front = w.file('etc/haproxy/conf.d/10-front.cfg');
    const back = w.file('etc/haproxy/conf.d/20-back.cfg');
    const codes = (f: string) => w.model.diagnostics(f).map((d) => d.code);
    assert.deepEqual(codes(front), []);
    assert.deepEqual(codes(back), []);
    assert.deepEqual(w.model.haproxySetOf(front)?.files, [main, front, back]);

    // Renaming the backend in its own file breaks the reference in the other file, and back.
    w.model.setBuffer(back, BACK.replace('backend app', 'backend application'), 'haproxy');
    const touched = w.model.refresh([back]);
    assert.ok(touched.includes(front), 'the referring file is re-published');
    assert.deepEqual(codes(front), ['haproxy/undefined-reference']);
    w.model.setBuffer(back, BACK, 'haproxy');
    w.model.refresh([back]);
    assert.deepEqual(codes(front), []);

    // The defaults live in haproxy.cfg: removing its timeouts shows missing-timeout in the conf.d files.
    w.model.setBuffer(main, 'global\n    maxconn 100\n', 'haproxy');
    w.model.refresh([main]);
    assert.deepEqual(codes(front), ['haproxy/missing-timeout']);
    assert.deepEqual(codes(back), ['haproxy/missing-timeout']);
    w.model.setBuffer(main, GLOBAL, 'haproxy');
    w.model.refresh([main]);
    assert.deepEqual(codes(back), []);

    // default_backend app (line 2, column 20) → backend app in 20-back.cfg.
    const pos = { line: 2, character: 21 };
    assert.deepEqual(services.definition(w.model, front, pos), [{ file: back, range: { start: { line: 0, character: 8 }, end: { line: 0, character: 11 } } }]);
    const refs = services.references(w.model, back, { line: 0, character: 9 }, true).map((l) => `${path.basename(l.file)}:${l.range.start.line}`);
    assert.deepEqual(refs.sort(), ['10-front.cfg:2', '20-back.cfg:0']);
    const edit = services.rename(w.model, front, pos, 'site')!;
    assert.deepEqual(Object.keys(edit).sort(), [front, back].sort());
  } finally {
    w.cleanup();
  }
});

test('workspace model: when a file of the set is deleted, the rest is judged without it', () => {
  const w = workspace({ 'conf.d/10-front.cfg': GLOBAL + FRONT, 'conf.d/20-back.cfg': BACK });
  try {
    const front = w.file('conf.d/10-front.cfg');
    const back = w.file('conf.d/20-back.cfg');
    assert.deepEqual(
      w.model.diagnostics(front).map((d) => d.code),
      [],
    );
    fs.rmSync(back);
    w.model.diskChanged(back, true);
    const touched = w.model.refresh([back]);
    assert.ok(touched.includes(front), 'the remaining file is re-published');
    assert.equal(w.model.haproxySetOf(front), undefined);
    assert.deepEqual(
      w.model.diagnostics(front).map((d) => d.code),
      ['haproxy/undefined-reference'],
    );
  } finally {
    w.cleanup();
  }
});

test('cluster inference: conf.d files join the node of the haproxy.cfg above them (their binds count)', async () => {
  const peer = (priority: number) =>
    `vrrp_script chk_haproxy {\n    script "/usr/bin/curl -sf http://127.0.0.1:8080/"\n    interval 2\n    weight -60\n}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority ${priority}\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n    track_script {\n        chk_haproxy\n    }\n}\n`;
  const dir = tempTree({
    'lb/node1/keepalived.conf': peer(101),
    'lb/node2/keepalived.conf': peer(100),
    'lb/haproxy.cfg': GLOBAL,
    'lb/conf.d/10-front.cfg': FRONT,
    'lb/conf.d/20-back.cfg': BACK,
  });
  const run = await runCli(['check', dir, '--format', 'json']);
  const codes = (JSON.parse(run.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
  assert.ok(!codes.includes('cluster/track-port-unbound'), codes.join('\n'));
  assert.ok(!codes.includes('haproxy/undefined-reference'), codes.join('\n'));
});

test('completion after use_backend offers the backends of the other files of the set', () => {
  const w = workspace({ 'conf.d/10-front.cfg': GLOBAL + FRONT.replace('    default_backend app\n', '    use_backend \n'), 'conf.d/20-back.cfg': BACK });
  try {
    const front = w.file('conf.d/10-front.cfg');
    const line = (GLOBAL + FRONT).split('\n').indexOf('    default_backend app');
    const items = services.completion(w.model, front, { line, character: 16 });
    const app = items.find((i) => i.label === 'app');
    assert.ok(app, JSON.stringify(items.map((i) => i.label)));
    assert.match(app.detail ?? '', /20-back\.cfg:1/);
  } finally {
    w.cleanup();
  }
});

test('an inherited mode tcp from another file is named with that file, and HTTP lines are reported where they are', async () => {
  const dir = tempTree({
    'conf.d/00-defaults.cfg': 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n',
    'conf.d/10-front.cfg': 'frontend web\n    bind 127.0.0.1:8080\n    http-request deny if { src 10.0.0.1 }\n    default_backend app\n',
    'conf.d/20-back.cfg': BACK,
  });
  const run = await runCli(['check', dir, '--format', 'json']);
  const ds = (JSON.parse(run.stdout) as { diagnostics: { code: string; file: string; line: number; message: string; related?: { file: string; line: number }[] }[] }).diagnostics;
  const mm = ds.filter((d) => d.code === 'haproxy/mode-mismatch');
  assert.equal(mm.length, 1, JSON.stringify(ds));
  assert.equal(path.basename(mm[0].file), '10-front.cfg');
  assert.equal(mm[0].line, 3);
  assert.match(mm[0].message, /inherited from the defaults section on 00-defaults\.cfg line 2/);
  assert.equal(path.basename(mm[0].related![0].file), '00-defaults.cfg');
  assert.equal(mm[0].related![0].line, 2);
});

test('haconf cluster lists each split configuration with its load order and reason', async () => {
  const dir = path.resolve(__dirname, '../fixtures/haproxy-split');
  const text = await runCli(['cluster', 'valid-main'], dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /haproxy set \(haproxy -f haproxy\.cfg -f conf\.d\/ reads haproxy\.cfg, then the \*\.cfg files of conf\.d\/ in name order\): valid-main\/haproxy\.cfg, valid-main\/conf\.d\/site\.cfg, valid-main\/conf\.d\/stats\.cfg/,
  );
  const json = JSON.parse((await runCli(['cluster', 'valid-order.d', '--format', 'json'], dir)).stdout) as { haproxySets: { files: string[] }[] };
  assert.deepEqual(
    json.haproxySets.map((s) => s.files),
    [['valid-order.d/B-frontend.cfg', 'valid-order.d/a-defaults.cfg']],
  );
});

test('a conf.d file named alone, or opened from outside the workspace, is checked with its companions from disk', async () => {
  const dir = tempTree({ 'etc/haproxy/haproxy.cfg': GLOBAL, 'etc/haproxy/conf.d/10-front.cfg': FRONT, 'etc/haproxy/conf.d/20-back.cfg': BACK });
  const front = path.join(dir, 'etc/haproxy/conf.d/10-front.cfg');
  const run = await runCli(['check', front]);
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /0 errors, 0 warnings in 3 files checked/);
  // The language server, with a workspace folder elsewhere: the editor opens the file.
  const w = workspace({ 'unrelated/README': 'nothing' });
  try {
    assert.ok(w.model.setBuffer(front, FRONT, 'haproxy'));
    const touched = w.model.refresh([front]);
    assert.ok(touched.includes(front));
    assert.deepEqual(
      w.model.diagnostics(front).map((d) => d.code),
      [],
    );
    assert.deepEqual(
      w.model.haproxySetOf(front)?.files.map((f) => path.relative(dir, f)),
      ['etc/haproxy/haproxy.cfg', 'etc/haproxy/conf.d/10-front.cfg', 'etc/haproxy/conf.d/20-back.cfg'],
    );
  } finally {
    w.cleanup();
  }
});

test('workspace model: the haproxy files of a manifest host form a set in the editor too', () => {
  const w = workspace({
    'haconf.yaml':
      'cluster: c\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - { source: lb/global.cfg, target: /etc/haproxy/haproxy.cfg, kind: haproxy }\n      - { source: lb/front.cfg, target: /etc/haproxy/conf.d/front.cfg, kind: haproxy }\n      - { source: lb/back.cfg, target: /etc/haproxy/conf.d/back.cfg, kind: haproxy }\n',
    'lb/global.cfg': GLOBAL,
    'lb/front.cfg': FRONT,
    'lb/back.cfg': BACK,
  });
  try {
    const front = w.file('lb/front.cfg');
    assert.deepEqual(
      w.model.diagnostics(front).map((d) => d.code),
      [],
    );
    assert.match(w.model.haproxySetOf(front)!.reason, /haconf\.yaml lists 3 HAProxy files for host lb1/);
    assert.equal(services.definition(w.model, front, { line: 2, character: 21 })[0].file, w.file('lb/back.cfg'));
  } finally {
    w.cleanup();
  }
});

test('a manifest host with two haproxy files that each have a global section runs two instances: no set', async () => {
  const dir = tempTree({
    'haconf.yaml':
      'cluster: c\nhosts:\n  - name: lb1\n    address: 10.0.0.1/24\n    files:\n      - { source: lb/ingress.cfg, target: /etc/haproxy/ingress.cfg, kind: haproxy }\n      - { source: lb/api.cfg, target: /etc/haproxy/api.cfg, kind: haproxy }\n',
    // Both instances call their backend `app`: judged together, that would be a false duplicate-name.
    'lb/ingress.cfg': GLOBAL + FRONT + BACK,
    'lb/api.cfg': GLOBAL + FRONT.replace('8080', '6443') + BACK,
  });
  const run = await runCli(['check', dir, '--format', 'json']);
  const codes = (JSON.parse(run.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
  assert.deepEqual(codes, []);
  assert.equal(run.code, 0);
});
