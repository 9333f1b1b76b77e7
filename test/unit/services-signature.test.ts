import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { completion, signatureHelp } from '../../server/src/services';
import { workspace, cursor, keepalivedPeer } from './services-helpers';

/** Signature help with the cursor at `|`: the label and the active parameter's text. */
function sigAt(text: string, rel = 'haproxy.cfg', version = '2.6', lang?: 'keepalived' | 'corosync'): { label: string; active: string } | undefined {
  const c = cursor(text);
  const w = workspace({ [rel]: c.text });
  try {
    w.model.setOptions({ ...w.model.checkOptions, haproxyVersion: version });
    const f = w.file(rel);
    w.model.setBuffer(f, c.text, lang);
    if (lang) w.model.refresh([f]);
    const h = signatureHelp(w.model, f, c.pos);
    if (!h) return undefined;
    const sig = h.signatures[h.activeSignature];
    const p = sig.parameters[h.activeParameter];
    return { label: sig.label, active: sig.label.slice(p.label[0], p.label[1]) };
  } finally {
    w.cleanup();
  }
}

const be = (line: string) => sigAt(`backend b\n${line}\n`);
const fe = (line: string, version?: string) => sigAt(`frontend f\n${line}\n`, 'haproxy.cfg', version);

test('signature help: directives, with the active parameter', () => {
  assert.deepEqual(be('    server |'), { label: 'server <name> <address>[:[port]] [param*]', active: '<name>' });
  assert.equal(be('    server s1 |')?.active, '<address>[:[port]]');
  assert.equal(be('    server s1 10.0.0.1:80 check |')?.active, '[param*]');
  assert.deepEqual(be('    server s1 10.0.0.1:80 check inter |'), { label: 'inter <time>', active: '<time>' });
  assert.deepEqual(be('    timeout connect |'), { label: 'timeout connect <time>', active: '<time>' });
  assert.match(be('    balance |')!.active, /roundrobin/);
  assert.equal(fe('    bind |')?.active, '<address>:<port_range>');
  assert.equal(fe('    log 127.0.0.1:514 |')?.label.startsWith('log <target>'), true);
  assert.equal(be('    # server |'), undefined, 'nothing in a comment');
});

test('signature help: actions, their arguments and the condition', () => {
  assert.equal(fe('    http-request |')?.active, '<action>');
  assert.deepEqual(fe('    http-request set-header |'), { label: 'http-request set-header <name> <fmt> [ { if | unless } <condition> ]', active: '<name>' });
  assert.equal(fe('    http-request set-header X-A |')?.active, '<fmt>');
  assert.equal(fe('    http-request set-header X-A b if |')?.active, '[ { if | unless } <condition> ]');
  assert.equal(fe('    http-request set-var(txn.a) |')?.active, '<expr>');
  assert.equal(fe('    http-request set-timeout |', '2.6')?.active, '{ server | tunnel }');
  assert.equal(fe('    tcp-request content track-sc0 src |')?.active, '[table <table>]');
  // An action the version lacks has no signature of its own.
  assert.equal(fe('    http-request sc-add-gpc(0,0) |', '2.6')?.label, 'http-request <action> [options...] [ { if | unless } <condition> ]');
  assert.match(fe('    http-request sc-add-gpc(0,0) |', '3.0')!.label, /^http-request sc-add-gpc\(<idx>,<sc-id>\)/);
});

test('signature help: fetch and converter arguments', () => {
  assert.deepEqual(fe('    acl a req.hdr(|'), { label: 'req.hdr([string],[integer])', active: '[string]' });
  assert.deepEqual(fe('    acl a req.hdr(host,|'), { label: 'req.hdr([string],[integer])', active: '[integer]' });
  assert.deepEqual(fe('    http-request set-header X %[src,map_ip(|'), { label: 'map_ip(string,[string])', active: 'string' }, 'the map file is required (the fetch data fixed its first argument)');
  assert.equal(fe('    acl a hdr_beg(|')?.label, 'hdr_beg([string],[integer])', 'an ACL keyword takes its fetch arguments');
  assert.equal(fe('    acl a req.hdr(host) |')?.active, '[flags]', 'closed: the directive again');
});

test('signature help: keepalived keywords', () => {
  const ka = (text: string) => sigAt(text, 'keepalived/keepalived.conf', '2.6', 'keepalived');
  const base = keepalivedPeer(51, 'MASTER', 150);
  assert.deepEqual(ka(base.replace('    priority 150\n', '    priority |\n')), { label: 'priority <int 1..255>', active: '<int 1..255>' });
  assert.deepEqual(ka(base.replace('    state MASTER\n', '    state |\n')), { label: 'state { MASTER | BACKUP }', active: '{ MASTER | BACKUP }' });
});

test('signature help: corosync values', () => {
  const co = (text: string) => sigAt(text, 'corosync/corosync.conf', '2.6', 'corosync');
  assert.deepEqual(co('totem {\n    transport: |\n}\n'), { label: 'transport: { knet | udp | udpu }', active: '{ knet | udp | udpu }' });
  assert.deepEqual(co('totem {\n    interface {\n        linknumber: |\n    }\n}\n'), { label: 'linknumber: <int 0..7>', active: '<int 0..7>' });
  assert.equal(co('totem {\n    # transport: |\n}\n'), undefined);
});

test('completion and signature help stay fast on a 30,000-line file', () => {
  const lines = ['global', '    log stdout format raw local0', 'defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s'];
  for (let i = 0; lines.length < 30000; i++) {
    lines.push(
      `frontend f${i}`,
      `    bind 10.0.${i % 250}.${i % 200}:80`,
      '    acl is_api path_beg /api',
      `    http-request set-header X-Id ${i}`,
      `    use_backend b${i} if is_api`,
      `    default_backend b${i}`,
    );
    lines.push(`backend b${i}`, '    balance roundrobin', `    server s${i} 10.1.${i % 250}.${i % 200}:8080 check inter 2s`, '');
  }
  const at = lines.length - 6;
  lines.splice(at, 0, '    http-request ');
  const text = `${lines.join('\n')}\n`;
  const w = workspace({ 'haproxy.cfg': text });
  try {
    const f = w.file('haproxy.cfg');
    const probes = [
      { line: at, character: '    http-request '.length },
      { line: at, character: 4 },
      { line: 2 + 4, character: '    timeout client '.length },
    ];
    const times: number[] = [];
    // Round 0 warms up (the keyword, action and fetch data load on first use).
    for (let round = 0; round <= 20; round++) {
      for (const pos of probes) {
        const t0 = performance.now();
        const items = completion(w.model, f, pos);
        const t1 = performance.now();
        signatureHelp(w.model, f, pos);
        if (round > 0) times.push(performance.now() - t0);
        if (process.env.HACONF_TIMING) console.log(pos, (t1 - t0).toFixed(2), (performance.now() - t1).toFixed(2));
        assert.ok(items.length > 0);
      }
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    const p95 = times[Math.floor(times.length * 0.95)];
    // The editor's budget is 20 ms at p95 (bench/lsp.ts measures it over the wire). On a shared machine the
    // tail is the neighbours' (GC, other processes): the median is held to the budget, the tail loosely.
    console.log(`completion + signature help on ${lines.length} lines: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
    assert.ok(median < 20, `median ${median.toFixed(1)} ms`);
    assert.ok(p95 < 200, `p95 ${p95.toFixed(1)} ms`);
  } finally {
    w.cleanup();
  }
});

test('completion and signature help never throw, at every column of odd lines', () => {
  const odd = [
    '    http-request set-header "X A" \'%[req.hdr(host),lower,map(/x,' + ")]' if { hdr(x) -m beg a } !TRUE",
    '    acl a ((((,,,)))',
    '    acl a %[%[%[',
    '    http-request set-var() ) ( , [ ] { }',
    '    tcp-request content track-sc0 src table t if',
    '    server s1 ${ADDR}:80 check inter',
    '    bind :443 ssl crt /x.pem alpn h2,http/1.1',
    '    log 127.0.0.1 len 1024 format rfc5424 local0 info notice x',
    '    http-request deny deny_status 403 content-type text/plain string "x" hdr a b hdr c d',
    '    no option httplog',
    '    \u0000\u200b\ud800',
    `    ${'a('.repeat(200)}`,
  ];
  const c = cursor(`frontend f\n${odd.join('\n')}\n|`);
  const w = workspace({ 'haproxy.cfg': c.text });
  try {
    const f = w.file('haproxy.cfg');
    w.model.setBuffer(f, c.text);
    odd.forEach((line, i) => {
      for (let character = 0; character <= line.length; character++) {
        const pos = { line: i + 1, character };
        completion(w.model, f, pos);
        const h = signatureHelp(w.model, f, pos);
        if (h) for (const p of h.signatures[0].parameters) assert.ok(p.label[0] >= 0 && p.label[1] <= h.signatures[0].label.length);
      }
    });
  } finally {
    w.cleanup();
  }
});
