import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseManifest } from '../../server/src/manifest/parse';
import { manifestVersionInputs } from '../../server/src/manifest/hostVersions';
import { manifestJsonSchema } from '../../scripts/manifest-schema';

const exists = (set: string[]) => (abs: string) => set.includes(path.basename(abs));

const GOOD = `cluster: k8s-ingress-lb
defaults:
  ssh: { user: root, port: 22, strictHostKeyChecking: accept-new }
  files:
    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }
  services:
    keepalived: { validate: "keepalived -t -f {file}", reload: "kill -HUP $(cat /run/keepalived.pid)" }
hosts:
  - name: master1
    address: 172.16.10.100/24
    files:
      - { source: m1.conf, target: /etc/keepalived/keepalived.conf }
  - name: master2
    address: 172.16.10.101/24
    ssh: { port: 2222 }
kubernetes:
  workers: [172.16.10.102, 172.16.10.103]
  nodePorts: [30080, 30443]
`;

test('a good manifest parses into merged hosts with no findings', () => {
  const { manifest, diagnostics } = parseManifest('/lab/haconf.yaml', GOOD, exists(['haproxy.cfg', 'm1.conf']));
  assert.deepEqual(diagnostics, []);
  assert.equal(manifest.cluster, 'k8s-ingress-lb');
  assert.equal(manifest.hosts.length, 2);
  const [m1, m2] = manifest.hosts;
  assert.deepEqual(
    m1.files.map((f) => f.target),
    ['/etc/haproxy/haproxy.cfg', '/etc/keepalived/keepalived.conf'],
  );
  assert.equal(m1.files[1].sourceAbs, '/lab/m1.conf');
  assert.equal(m1.ssh.user, 'root');
  assert.equal(m1.ssh.port, 22);
  assert.equal(m2.ssh.port, 2222, 'host ssh overrides defaults');
  assert.equal(m2.ssh.strictHostKeyChecking, 'accept-new');
  assert.equal(m1.services.keepalived?.reload, 'kill -HUP $(cat /run/keepalived.pid)');
  assert.equal(m1.services.haproxy?.validate, 'haproxy -c -f {file}', 'built-in defaults fill the gaps');
  assert.equal(m1.cidr?.prefix, 24);
  assert.equal(m1.nameRange.start.line, 8);
  assert.deepEqual(
    manifest.kubernetes?.nodePorts.map((p) => p.port),
    [30080, 30443],
  );
});

test('strict host key checking is the default', () => {
  const { manifest } = parseManifest('/x/haconf.yaml', 'cluster: c\nhosts:\n  - { name: a, address: 10.0.0.1/24 }\n', () => true);
  assert.equal(manifest.hosts[0].ssh.strictHostKeyChecking, 'yes');
});

function codes(text: string, present: string[] = []): string[] {
  return parseManifest('/lab/haconf.yaml', text, exists(present)).diagnostics.map((d) => d.code);
}

test('YAML syntax errors are findings with a position, not exceptions', () => {
  const r = parseManifest('/lab/haconf.yaml', 'cluster: c\nhosts:\n  - name: a\n   address: [\n', () => true);
  assert.ok(r.diagnostics.some((d) => d.code === 'manifest/syntax'));
  assert.ok(r.diagnostics.every((d) => d.range.start.line >= 0));
});

test('unknown fields, with the expected names listed', () => {
  const r = parseManifest('/lab/haconf.yaml', 'cluster: c\nhosts:\n  - name: a\n    adress: 10.0.0.1/24\n', () => true);
  const unk = r.diagnostics.find((d) => d.code === 'manifest/unknown-field');
  assert.ok(unk);
  assert.match(unk.message, /adress/);
  assert.equal(unk.range.start.line, 3);
  assert.ok(r.diagnostics.some((d) => d.code === 'manifest/missing-field' && /address/.test(d.message)));
});

test('missing source files are reported at the source', () => {
  const r = parseManifest('/lab/haconf.yaml', 'cluster: c\nhosts:\n  - name: a\n    address: 10.0.0.1/24\n    files:\n      - { source: nope.cfg, target: /etc/haproxy/haproxy.cfg }\n', () => false);
  const d = r.diagnostics.find((x) => x.code === 'manifest/missing-source');
  assert.ok(d);
  assert.equal(d.range.start.line, 5);
  assert.match(d.message, /nope\.cfg/);
  assert.deepEqual(codes('cluster: c\nhosts:\n  - name: a\n    address: 10.0.0.1/24\n    files:\n      - { source: yes.cfg, target: /etc/haproxy/haproxy.cfg }\n', ['yes.cfg']), []);
});

test('duplicate host names and addresses point at the first one', () => {
  const r = parseManifest('/lab/haconf.yaml', 'cluster: c\nhosts:\n  - { name: a, address: 10.0.0.1/24 }\n  - { name: a, address: 10.0.0.2/24 }\n  - { name: b, address: 10.0.0.1/24 }\n', () => true);
  const dups = r.diagnostics.filter((d) => d.code === 'manifest/duplicate-host');
  assert.equal(dups.length, 2);
  assert.equal(dups[0].related?.[0].range.start.line, 2);
});

test('bad addresses; a missing prefix is only information', () => {
  const r = parseManifest(
    '/lab/haconf.yaml',
    'cluster: c\nhosts:\n  - { name: a, address: master1.local }\n  - { name: b, address: 10.0.0.300/24 }\n  - { name: c, address: 10.0.0.3 }\nkubernetes:\n  workers: [10.0.0.9, banana]\n',
    () => true,
  );
  const bad = r.diagnostics.filter((d) => d.code === 'manifest/invalid-address');
  assert.deepEqual(
    bad.map((d) => d.severity),
    ['error', 'error', 'information', 'error'],
  );
  assert.deepEqual(
    r.manifest.kubernetes?.workers.map((w) => w.address),
    ['10.0.0.9'],
  );
});

test('values are type- and range-checked', () => {
  assert.deepEqual(codes('cluster: c\ndefaults:\n  ssh: { port: 70000, strictHostKeyChecking: no }\nhosts:\n  - { name: a, address: 10.0.0.1/24 }\n'), [
    'manifest/invalid-value',
    'manifest/invalid-value',
  ]);
  assert.deepEqual(codes('cluster: c\nhosts: nope\n'), ['manifest/invalid-value']);
  assert.deepEqual(codes('cluster: c\nhosts: []\n'), ['manifest/missing-field']);
  assert.deepEqual(codes('cluster: c\ndefaults:\n  services:\n    haproxy: { validate: "haproxy -c -f /etc/haproxy/haproxy.cfg" }\nhosts:\n  - { name: a, address: 10.0.0.1/24 }\n'), [
    'manifest/invalid-value',
  ]);
});

test('unsafe target paths never reach the model', () => {
  for (const target of ['"/etc/x; rm -rf /"', 'etc/haproxy.cfg', '/etc/../root/.ssh/authorized_keys', '"/etc/$(reboot)"', '"/etc/a b"', '/etc/haproxy/']) {
    const r = parseManifest('/lab/haconf.yaml', `cluster: c\nhosts:\n  - name: a\n    address: 10.0.0.1/24\n    files:\n      - { source: h.cfg, target: ${target} }\n`, () => true);
    assert.ok(
      r.diagnostics.some((d) => d.code === 'manifest/unsafe-path'),
      target,
    );
    assert.equal(r.manifest.hosts[0].files.length, 0, target);
  }
});

test('two files aimed at one target are refused', () => {
  assert.deepEqual(
    codes('cluster: c\ndefaults:\n  files: [{ source: a.cfg, target: /etc/h.cfg }]\nhosts:\n  - name: a\n    address: 10.0.0.1/24\n    files: [{ source: b.cfg, target: /etc/h.cfg }]\n', [
      'a.cfg',
      'b.cfg',
    ]),
    ['manifest/invalid-value'],
  );
});

test('hostile YAML: aliases bomb, huge and empty documents do not crash', () => {
  const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
  assert.ok(codes(bomb).includes('manifest/unknown-field'));
  assert.ok(codes('').length > 0);
  assert.ok(codes('\u0000\u0001\u0002').length > 0);
  assert.ok(codes('['.repeat(10000)).length > 0);
});

test('committed JSON schema matches the field declaration', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'haconf.schema.json'), 'utf8'));
  assert.deepEqual(committed, manifestJsonSchema());
});

test('haproxy.version at cluster and host level: no findings, the version inputs name the line', () => {
  const text = GOOD.replace('hosts:\n', 'haproxy:\n  version: "3.2"\nhosts:\n').replace('    ssh: { port: 2222 }\n', '    ssh: { port: 2222 }\n    haproxy: { version: "3.0" }\n');
  const { manifest, diagnostics } = parseManifest('/lab/haconf.yaml', text, exists(['haproxy.cfg', 'm1.conf']));
  assert.deepEqual(diagnostics, []);
  assert.equal(manifest.haproxyVersion?.value, '3.2');
  assert.equal(manifest.hosts[1].haproxyVersion?.value, '3.0');
  assert.deepEqual(manifestVersionInputs(manifest).manifest, { version: '3.2', file: 'haconf.yaml', line: 9 });
  // Without a cluster-level version the oldest host version counts.
  const hostsOnly = parseManifest(
    '/lab/haconf.yaml',
    GOOD.replace('    ssh: { port: 2222 }\n', '    ssh: { port: 2222 }\n    haproxy: { version: "3.0" }\n').replace(
      '    address: 172.16.10.100/24\n',
      '    address: 172.16.10.100/24\n    haproxy: { version: "3.4" }\n',
    ),
    exists(['haproxy.cfg', 'm1.conf']),
  ).manifest;
  assert.equal(manifestVersionInputs(hostsOnly).manifest?.version, '3.0');
  // YAML reads an unquoted 3.0 as the number 3: a finding on the field says so instead of a wrong version.
  const unquoted = parseManifest('/lab/haconf.yaml', text.replace('version: "3.2"', 'version: 3.0'), exists(['haproxy.cfg', 'm1.conf']));
  assert.match(unquoted.diagnostics.map((d) => d.message).join('\n'), /haproxy\.version "3" does not match/);
});
