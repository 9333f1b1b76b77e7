import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probedPorts } from '../../server/src/cluster/rules/ports';

test('recognises the probe idioms of real keepalived configs', () => {
  assert.deepEqual(probedPorts('/usr/bin/curl -sfk https://localhost:6443/healthz'), [6443]);
  assert.deepEqual(probedPorts('/bin/bash -c "ss -ltn | grep -q :9443"'), [9443]);
  assert.deepEqual(probedPorts('/bin/netstat -lnt | grep 8404'), []);
  assert.deepEqual(probedPorts('/bin/nc -z 127.0.0.1 30080'), [30080]);
  assert.deepEqual(probedPorts('/bin/bash -c "</dev/tcp/127.0.0.1/8443"'), [8443]);
  assert.deepEqual(probedPorts('/etc/keepalived/check_haproxy.sh 9443'), [9443]);
  assert.deepEqual(probedPorts('/usr/bin/killall -0 haproxy'), []);
  assert.deepEqual(probedPorts('/usr/bin/pgrep haproxy'), []);
  assert.deepEqual(probedPorts('/usr/bin/curl http://[::1]:8080/'), [8080]);
});
