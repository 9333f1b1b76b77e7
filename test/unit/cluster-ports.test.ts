import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probedPorts } from '../../server/src/cluster/rules/ports';

test('recognises the probe idioms of real keepalived configs', () => {
  assert.deepEqual(probedPorts('/usr/bin/curl -sfk https://localhost:6443/healthz'), [6443]);
  assert.deepEqual(probedPorts('/bin/bash -c "ss -ltn | grep -q :9443"'), [9443]);
  // Seed 003 (issue 15): a bare grep of the port after netstat/ss is a port too.
  assert.deepEqual(probedPorts('/bin/netstat -lnt | grep 8404'), [8404]);
  assert.deepEqual(probedPorts('/bin/nc -z 127.0.0.1 30080'), [30080]);
  assert.deepEqual(probedPorts('/bin/bash -c "</dev/tcp/127.0.0.1/8443"'), [8443]);
  assert.deepEqual(probedPorts('/etc/keepalived/check_haproxy.sh 9443'), [9443]);
  assert.deepEqual(probedPorts('/usr/bin/killall -0 haproxy'), []);
  assert.deepEqual(probedPorts('/usr/bin/pgrep haproxy'), []);
  assert.deepEqual(probedPorts('/usr/bin/curl http://[::1]:8080/'), [8080]);
});

test('issue 15: the track-script port idioms, each recognised or deliberately skipped', () => {
  // Seed 003 verbatim.
  assert.deepEqual(probedPorts("/bin/bash -c 'if [[ $(netstat -nlp | grep 9443) ]]; then exit 0; else exit 1; fi'"), [9443]);
  assert.deepEqual(probedPorts('/bin/sh -c "ss -lnt | grep -q \'9443\'"'), [9443]);
  assert.deepEqual(probedPorts('/bin/sh -c "ss -lntp | grep haproxy"'), []);
  // nc with option values, /dev/tcp, URLs with and without a port.
  assert.deepEqual(probedPorts('/bin/nc -z -w 2 127.0.0.1 8443'), [8443]);
  assert.deepEqual(probedPorts('/usr/bin/wget -q -O /dev/null http://127.0.0.1:8080/health'), [8080]);
  assert.deepEqual(probedPorts('/usr/bin/curl -sf http://localhost/healthz'), [80]);
  assert.deepEqual(probedPorts('/usr/bin/curl -sfk https://127.0.0.1/healthz'), [443]);
  // A remote host without a port is not this node's haproxy.
  assert.deepEqual(probedPorts('/usr/bin/curl -sf http://backend.example/healthz'), []);
  // Process and unit checks probe no port: skipped on purpose.
  for (const cmd of ['/usr/bin/pidof haproxy', '/usr/bin/killall -0 haproxy', '/usr/bin/systemctl is-active --quiet haproxy', '/usr/bin/pgrep -x haproxy']) {
    assert.deepEqual(probedPorts(cmd), [], cmd);
  }
  // A check script given a port.
  assert.deepEqual(probedPorts('/etc/keepalived/check_port.sh 6443'), [6443]);
});
