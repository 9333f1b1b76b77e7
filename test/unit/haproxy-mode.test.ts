import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';

const lines = (text: string) =>
  checkText('/t/haproxy.cfg', text, 'haproxy', defaultCheckOptions(), new NodeSourceHost())
    .diagnostics.filter((d) => d.code === 'haproxy/mode-mismatch')
    .map((d) => d.range.start.line + 1);

const T = 'timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n';

test('HTTP-only lines of a tcp defaults section are reported where they are written', () => {
  assert.deepEqual(
    lines(`defaults\n    mode tcp\n    option forwardfor\n    timeout http-request 5s\n    ${T}frontend f\n    bind :80\n    default_backend b\nbackend b\n    server s 10.0.0.1:80\n`),
    [3, 4],
  );
  assert.deepEqual(lines(`defaults\n    mode http\n    option forwardfor\n    ${T}frontend f\n    bind :80\n    default_backend b\nbackend b\n    server s 10.0.0.1:80\n`), []);
});

test('an http defaults inherited by a tcp proxy: each ignored line once', () => {
  const cfg = `defaults\n    mode http\n    option httplog\n    option dontlognull\n    ${T}frontend f\n    mode tcp\n    bind :80\n    default_backend b\nbackend b\n    mode tcp\n    server s 10.0.0.1:80\n`;
  assert.deepEqual(lines(cfg), [3]);
});

test('ACLs on HTTP samples in a tcp proxy never match; layer-4 ACLs are fine', () => {
  const cfg = `defaults\n    mode tcp\n    ${T}frontend f\n    bind :80\n    acl a path_beg /x\n    acl b src 10.0.0.0/8\n    acl c hdr(host) -i x\n    default_backend b\nbackend b\n    server s 10.0.0.1:80\n`;
  assert.deepEqual(lines(cfg), [8, 10]);
});
