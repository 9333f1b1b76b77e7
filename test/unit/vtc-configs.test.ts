import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substitute, vtcConfigs } from '../../scripts/vtc-configs';

const VTC = `varnishtest "x"
server s1 {
   rxreq
} -start

haproxy h1 -arg "-L A" -conf {
  frontend fe1
    bind "fd@\${fe1}"
    http-request deny if { path /x }
    use_backend be if { hdr(host) -m found }
  backend be
    server s1 \${s1_addr}:\${s1_port}
    http-request set-header X %[path,map_str(\${testdir}/m.map)]
    timeout server "\${HAPROXY_TEST_TIMEOUT-5s}"
} -start

client c1 -connect \${h1_fe1_sock} {
} -run
`;

test('vtc-configs: each -conf block is taken whole, with its nested { cond } braces', () => {
  const blocks = vtcConfigs(VTC);
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].name, 'h1');
  assert.match(blocks[0].conf, /use_backend be if \{ hdr\(host\) -m found \}/);
  assert.match(blocks[0].conf, /timeout server/);
  assert.doesNotMatch(blocks[0].conf, /client c1/);
});

test('vtc-configs: VTest macros get stand-ins; haproxy environment variables stay', () => {
  const out = substitute(vtcConfigs(VTC)[0].conf, '/t/dir', '/t/tmp');
  assert.match(out, /bind "127\.0\.0\.1:20000"/);
  assert.match(out, /server s1 127\.0\.0\.1:20001/);
  assert.match(out, /map_str\(\/t\/dir\/m\.map\)/);
  assert.match(out, /"\$\{HAPROXY_TEST_TIMEOUT-5s\}"/);
});
