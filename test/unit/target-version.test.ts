import { test } from 'node:test';
import assert from 'node:assert/strict';
import { branchOf, parseHaproxyVersionOutput, resolveHaproxyVersion, resolveKeepalivedVersion } from '../../server/src/core/targetVersion';

const LOCAL = { path: '/usr/sbin/haproxy', output: 'HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/' };
const MANIFEST = { version: '3.2', file: 'haconf.yaml', line: 4 };
const HOSTS = [
  { host: 'lb1', version: '3.0.11-1+deb13u4' },
  { host: 'lb2', version: '3.2.26-1' },
];

test('order: flag, setting, manifest, hosts, local binary, default', () => {
  assert.deepEqual(resolveHaproxyVersion({ flag: '2.8', setting: '3.4', manifest: MANIFEST, hosts: HOSTS, local: LOCAL }), { version: '2.8', origin: 'flag', reason: 'from --haproxy-version 2.8' });
  assert.equal(resolveHaproxyVersion({ setting: '3.4', manifest: MANIFEST, hosts: HOSTS, local: LOCAL }).origin, 'setting');
  assert.deepEqual(resolveHaproxyVersion({ manifest: MANIFEST, hosts: HOSTS, local: LOCAL }), { version: '3.2', origin: 'manifest', reason: 'from haconf.yaml line 4' });
  assert.deepEqual(resolveHaproxyVersion({ hosts: HOSTS, local: LOCAL }), { version: '3.0', origin: 'hosts', reason: 'from the hosts (lb1 3.0.11-1+deb13u4, lb2 3.2.26-1; the oldest)' });
  assert.deepEqual(resolveHaproxyVersion({ local: LOCAL }), { version: '2.6', origin: 'local', reason: 'local /usr/sbin/haproxy 2.6.12' });
  assert.deepEqual(resolveHaproxyVersion({}), { version: '3.0', origin: 'default', reason: "default: Debian 13's 3.0" });
});

test('unusable inputs fall through to the next source', () => {
  assert.equal(resolveHaproxyVersion({ flag: 'latest', setting: '', manifest: { version: 'x', file: 'h', line: 1 }, local: { path: 'haproxy', output: 'command not found' } }).origin, 'default');
  assert.equal(resolveHaproxyVersion({ hosts: [{ host: 'lb1', version: '' }], local: LOCAL }).origin, 'local');
});

test('version strings: haproxy -v output and branch names', () => {
  assert.deepEqual(parseHaproxyVersionOutput('HA-Proxy version 1.8.19 2019/02/11'), { full: '1.8.19', branch: '1.8' });
  assert.deepEqual(parseHaproxyVersionOutput(LOCAL.output), { full: '2.6.12-1+deb12u4', branch: '2.6' });
  assert.equal(parseHaproxyVersionOutput('keepalived v2.2.7'), undefined);
  assert.equal(branchOf('3.0.11'), '3.0');
  assert.equal(branchOf('v3.2'), '3.2');
  assert.equal(branchOf('3.5-dev5'), '3.5');
  assert.equal(branchOf('three'), undefined);
});

test('keepalived: flag, setting, manifest, the oldest host, the local binary, else Debian 13 2.3', () => {
  assert.equal(resolveKeepalivedVersion({ flag: '2.2.7', hosts: [{ host: 'a', version: 'Keepalived v2.3.4 (06/01,2025)' }] }).version, '2.2');
  assert.equal(resolveKeepalivedVersion({ setting: '2.3' }).origin, 'setting');
  assert.deepEqual(resolveKeepalivedVersion({ manifest: { version: '2.2', file: 'haconf.yaml', line: 4 } }), { version: '2.2', origin: 'manifest', reason: 'from haconf.yaml line 4' });
  const hosts = resolveKeepalivedVersion({
    hosts: [
      { host: 'lb1', version: 'Keepalived v2.3.4 (06/01,2025)' },
      { host: 'lb2', version: 'Keepalived v2.2.7 (01/16,2022)' },
    ],
    local: { path: '/usr/sbin/keepalived', output: 'Keepalived v2.3.4 (06/01,2025)' },
  });
  assert.deepEqual(hosts, { version: '2.2', origin: 'hosts', reason: 'from the hosts (lb1 2.3.4, lb2 2.2.7; the oldest)' });
  assert.deepEqual(resolveKeepalivedVersion({ local: { path: '/usr/sbin/keepalived', output: 'Keepalived v2.2.7 (01/16,2022)' } }), {
    version: '2.2',
    origin: 'local',
    reason: 'local /usr/sbin/keepalived 2.2.7',
  });
  assert.deepEqual(resolveKeepalivedVersion({}), { version: '2.3', origin: 'default', reason: "default: Debian 13's 2.3" });
});
