import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorosync } from '../../server/src/corosync/parser';
import { checkCorosync, corosyncFacts, rules } from '../../server/src/corosync';
import type { Diagnostic } from '../../server/src/core/types';
import { applyEdits } from '../../server/src/services/format';

const FILE = '/etc/corosync/corosync.conf';

function check(text: string): Diagnostic[] {
  return checkCorosync(parseCorosync(FILE, text));
}

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => d.code).sort();
}

function only(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === `corosync/${code}`);
}

const node = (addr: string, id?: number, extra = ''): string => `    node {\n        ring0_addr: ${addr}\n${id !== undefined ? `        nodeid: ${id}\n` : ''}${extra}    }\n`;

/** A complete, valid corosync 3 file with the given pieces replaced. */
function conf(p: { totem?: string; quorum?: string; nodes?: string; extra?: string } = {}): string {
  return (
    `totem {\n    version: 2\n    cluster_name: web\n${p.totem ?? ''}}\n` +
    `nodelist {\n${p.nodes ?? node('10.0.0.1', 1) + node('10.0.0.2', 2)}}\n` +
    `quorum {\n    provider: corosync_votequorum\n${p.quorum ?? ''}}\n` +
    `logging {\n    to_syslog: yes\n}\n${p.extra ?? ''}`
  );
}

test('a valid corosync 3 file has no findings', () => {
  assert.deepEqual(check(conf({ quorum: '    two_node: 1\n' })), []);
  assert.deepEqual(check(conf({ totem: '    transport: knet\n    crypto_cipher: aes256\n    crypto_hash: sha256\n    interface {\n        linknumber: 0\n        knet_transport: udp\n    }\n' })), []);
});

test('rules export exactly the promised codes', () => {
  assert.deepEqual(
    rules.map((r) => r.code).sort(),
    [
      'corosync/bindnetaddr-ignored',
      'corosync/crypto-requires-knet',
      'corosync/duplicate-node',
      'corosync/expected-votes',
      'corosync/invalid-value',
      'corosync/missing-nodelist',
      'corosync/nodeid-required',
      'corosync/syntax',
      'corosync/two-node-misuse',
      'corosync/unknown-key',
      // issue 15
      'corosync/duplicate-link',
      'corosync/knet-only',
      'corosync/link-mismatch',
      'corosync/nodeid-zero',
      'corosync/qdevice-conflict',
      'corosync/token-below-minimum',
    ].sort(),
  );
});

test('syntax: parser issues become errors; a clean file has none', () => {
  const ds = only(check(conf({ quorum: '    two_node 1\n' })), 'syntax');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].severity, 'error');
  assert.equal(ds[0].range.start.line, 16);
  assert.equal(only(check(conf()), 'syntax').length, 0);
});

test('unknown-key: a misspelt section gets did-you-mean and a fix', () => {
  const ds = check(conf({ extra: 'quorom {\n    expected_votes: 2\n}\n' }));
  const u = only(ds, 'unknown-key');
  assert.equal(u.length, 1, JSON.stringify(ds));
  // corosync -t accepts unknown names (3.1.7, 3.1.9, 3.1.10): a warning, as the daemon starts.
  assert.equal(u[0].severity, 'warning');
  assert.match(u[0].message, /did you mean 'quorum'/);
  assert.deepEqual(u[0].range, { start: { line: 20, character: 0 }, end: { line: 20, character: 6 } });
  assert.equal(u[0].fixes?.[0].edits[0].newText, 'quorum');
  // Keys inside the unknown section are not judged again.
  assert.equal(ds.filter((d) => d.range.start.line === 21).length, 0);
});

test('unknown-key: misspelt key, key in the wrong section, and no finding for known keys', () => {
  const ds = only(check(conf({ quorum: '    two-node: 1\n    token: 3000\n' })), 'unknown-key');
  assert.equal(ds.length, 2);
  assert.match(ds[0].message, /did you mean 'two_node'/);
  assert.match(ds[1].message, /belongs in 'totem'/);
  assert.equal(only(check(conf({ totem: '    token: 3000\n    token_coefficient: 650\n' })), 'unknown-key').length, 0);
});

test('unknown-key: settings of corosync 1.x/2.x are warnings that explain, not errors', () => {
  const ds = only(
    check(
      conf({ totem: '    rrp_mode: passive\n    threads: 0\n    interface {\n        ringnumber: 0\n    }\n', extra: 'service {\n    name: pacemaker\n    ver: 1\n}\naisexec {\n    user: root\n}\n' }),
    ),
    'unknown-key',
  );
  assert.deepEqual(
    ds.map((d) => d.severity),
    ['warning', 'warning', 'warning', 'warning', 'warning'],
  );
  assert.match(ds[0].message, /rrp_mode' was dropped in corosync 3.0.*link_mode/);
  assert.equal(ds[2].fixes?.[0].edits[0].newText, 'linknumber');
  assert.match(ds[3].message, /section 'service' at the top level/);
});

test('invalid-value: a trailing comment makes an invalid integer, with a fix', () => {
  const ds = only(check(conf({ totem: '    token: 3000 # ms\n' })), 'invalid-value');
  assert.equal(ds.length, 1);
  assert.match(ds[0].message, /no trailing comments/);
  assert.deepEqual(ds[0].range, { start: { line: 3, character: 11 }, end: { line: 3, character: 20 } });
  assert.equal(ds[0].fixes?.[0].edits[0].newText, '3000');
});

test('invalid-value: enums, yes/no switches, 0/1 flags, ranges, addresses; valid ones pass', () => {
  const bad = check(
    conf({
      totem: '    transport: knett\n    crypto_cipher: AES256\n    crypto_hash: sha256\n    token_warning: 150\n    interface {\n        mcastport: 70000\n    }\n',
      quorum: '    wait_for_all: yes\n',
      nodes: node('10.0.0.256', 1) + node('10.0.0.2', 2),
      extra: 'system {\n    sched_rr: on\n}\n',
    }),
  );
  const ds = only(bad, 'invalid-value');
  assert.equal(ds.length, 7, JSON.stringify(ds.map((d) => d.message)));
  const text = ds.map((d) => d.message).join('\n');
  assert.match(text, /did you mean 'knet'/);
  assert.match(text, /did you mean 'aes256'/);
  assert.match(text, /token_warning is 150, outside the accepted range in 0\.\.100/);
  assert.match(text, /mcastport is 70000/);
  assert.match(text, /wait_for_all is a 0\/1 switch/);
  assert.match(text, /'10\.0\.0\.256' is not a valid IPv4/);
  assert.match(text, /sched_rr accepts 'yes', 'no'/);
  const good = check(
    conf({
      totem: '    transport: udpu\n    token_warning: 75\n    ip_version: ipv4-6\n    config_version: 18446744073709551615\n',
      quorum: '    wait_for_all: 1\n    auto_tie_breaker_node: 1 3\n',
      nodes: node('node-a.example.com', 1) + node('fe80::2', 2),
      extra: 'system {\n    sched_rr: yes\n    priority: -10\n}\n',
    }),
  );
  assert.deepEqual(only(good, 'invalid-value'), []);
});

test("the 'Add version: 2' fix inserts a line after the totem header, also when that header is the file's last line", () => {
  const fixed = (text: string) => {
    const d = only(check(text), 'invalid-value').find((x) => /no 'version: 2'/.test(x.message))!;
    return applyEdits(text, d.fixes![0].edits);
  };
  assert.equal(fixed('totem {\n    cluster_name: c\n}\n'), 'totem {\n    version: 2\n    cluster_name: c\n}\n');
  assert.equal(fixed('# corosync\r\ntotem {'), '# corosync\r\ntotem {\n    version: 2');
});

test('invalid-value: version must be 2 and be present; crypto_cipher needs a hash', () => {
  const missing = only(check(conf().replace('    version: 2\n', '')), 'invalid-value');
  assert.equal(missing.length, 1);
  assert.match(missing[0].message, /no 'version: 2'/);
  const wrong = only(check(conf().replace('version: 2', 'version: 3')), 'invalid-value');
  assert.equal(wrong.length, 1);
  const noHash = only(check(conf({ totem: '    crypto_cipher: aes256\n' })), 'invalid-value');
  assert.equal(noHash.length, 1);
  assert.match(noHash[0].message, /needs a crypto_hash/);
});

test('missing-nodelist: none, empty, node without ring0_addr; fine with nodes', () => {
  const none = only(check('totem {\n    version: 2\n    transport: udp\n}\n'), 'missing-nodelist');
  assert.equal(none.length, 1);
  assert.equal(none[0].severity, 'error');
  assert.deepEqual(none[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } });
  assert.equal(only(check('totem {\n    version: 2\n}\nnodelist {\n}\n'), 'missing-nodelist').length, 1);
  const nameOnly = only(check(conf({ nodes: '    node {\n        name: a\n        nodeid: 1\n    }\n' })), 'missing-nodelist');
  assert.equal(nameOnly.length, 1);
  assert.match(nameOnly[0].message, /node a has no ring0_addr/);
  assert.equal(only(check(conf()), 'missing-nodelist').length, 0);
});

test('missing-nodelist: several links need a name on every node', () => {
  const ds = only(check(conf({ nodes: node('10.0.0.1', 1, '        ring1_addr: 10.1.0.1\n        name: a\n') + node('10.0.0.2', 2, '        ring1_addr: 10.1.0.2\n') })), 'missing-nodelist');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].range.start.line, 11);
  assert.ok(ds[0].related?.length);
});

test('nodeid-required: knet by default, not for udpu with IPv4', () => {
  const ds = only(check(conf({ nodes: node('10.0.0.1', 1) + node('10.0.0.2') })), 'nodeid-required');
  assert.equal(ds.length, 1);
  assert.match(ds[0].message, /knet is the default transport/);
  assert.deepEqual(ds[0].range, { start: { line: 9, character: 4 }, end: { line: 9, character: 8 } });
  assert.equal(only(check(conf({ totem: '    transport: udpu\n', nodes: node('10.0.0.1') + node('10.0.0.2') })), 'nodeid-required').length, 0);
  assert.equal(only(check(conf({ totem: '    transport: udpu\n', nodes: node('10.0.0.1') + node('fe80::2') })), 'nodeid-required').length, 1);
});

test('duplicate-node: nodeid and ring0_addr, with the other node as related', () => {
  const ds = only(check(conf({ nodes: node('10.0.0.1', 1) + node('10.0.0.2', 1) + node('10.0.0.1', 3) })), 'duplicate-node');
  assert.equal(ds.length, 2);
  assert.match(ds[0].message, /nodeid 1 is already used/);
  assert.equal(ds[0].related?.[0].range.start.line, 7);
  assert.match(ds[1].message, /ring0_addr 10.0.0.1/);
  assert.equal(ds[1].related?.[0].range.start.line, 6);
  assert.equal(only(check(conf()), 'duplicate-node').length, 0);
});

test('two-node-misuse: three nodes, expected_votes 3, a qdevice, auto_tie_breaker; fine with two nodes', () => {
  const three = only(check(conf({ quorum: '    two_node: 1\n', nodes: node('10.0.0.1', 1) + node('10.0.0.2', 2) + node('10.0.0.3', 3) })), 'two-node-misuse');
  assert.equal(three.length, 1);
  assert.match(three[0].message, /3 nodes, not 2/);
  assert.equal(three[0].related?.length, 3);
  // corosync -t 3.1.7/3.1.9/3.1.10 accept two_node with three nodes; votequorum then ignores two_node
  // (it only applies to a total of two nodes) but still implies wait_for_all: a warning, not an error.
  assert.equal(three[0].severity, 'warning');
  const ev = only(check(conf({ quorum: '    two_node: 1\n    expected_votes: 3\n' })), 'two-node-misuse');
  assert.match(ev[0].message, /expected_votes is 3/);
  assert.equal(ev[0].severity, 'warning');
  const dev = only(check(conf({ quorum: '    two_node: 1\n    device {\n        model: net\n    }\n' })), 'two-node-misuse');
  assert.match(dev[0].message, /quorum device/);
  // votequorum refuses two_node with a quorum device ("configuration error"): still an error.
  assert.equal(dev[0].severity, 'error');
  const atb = only(check(conf({ quorum: '    two_node: 1\n    auto_tie_breaker: 1\n' })), 'two-node-misuse');
  assert.match(atb[0].message, /auto_tie_breaker/);
  assert.equal(only(check(conf({ quorum: '    two_node: 1\n    expected_votes: 2\n' })), 'two-node-misuse').length, 0);
  assert.equal(only(check(conf({ quorum: '    two_node: 0\n', nodes: node('10.0.0.1', 1) + node('10.0.0.2', 2) + node('10.0.0.3', 3) })), 'two-node-misuse').length, 0);
});

test('expected-votes: differs from node votes (quorum_votes counted), with a fix', () => {
  const four = node('10.0.0.1', 1) + node('10.0.0.2', 2) + node('10.0.0.3', 3) + node('10.0.0.4', 4);
  const ds = only(check(conf({ quorum: '    expected_votes: 3\n', nodes: four })), 'expected-votes');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].severity, 'warning');
  assert.match(ds[0].message, /minority can be quorate/);
  assert.equal(ds[0].fixes?.[0].edits[0].newText, '4');
  assert.equal(only(check(conf({ quorum: '    expected_votes: 4\n', nodes: four })), 'expected-votes').length, 0);
  const weighted = node('10.0.0.1', 1, '        quorum_votes: 2\n') + node('10.0.0.2', 2);
  assert.equal(only(check(conf({ quorum: '    expected_votes: 3\n', nodes: weighted })), 'expected-votes').length, 0);
});

test('crypto-requires-knet: cipher/hash or secauth with udpu; fine with knet or none', () => {
  const ds = only(check(conf({ totem: '    transport: udpu\n    crypto_cipher: aes256\n    crypto_hash: sha256\n' })), 'crypto-requires-knet');
  assert.equal(ds.length, 2);
  assert.equal(ds[0].related?.[0].range.start.line, 3);
  assert.equal(only(check(conf({ totem: '    transport: udp\n    secauth: on\n' })), 'crypto-requires-knet').length, 1);
  assert.equal(only(check(conf({ totem: '    transport: udpu\n    secauth: on\n    crypto_cipher: none\n    crypto_hash: none\n' })), 'crypto-requires-knet').length, 0);
  assert.equal(only(check(conf({ totem: '    transport: udpu\n    crypto_cipher: none\n    crypto_hash: none\n' })), 'crypto-requires-knet').length, 0);
  assert.equal(only(check(conf({ totem: '    crypto_cipher: aes256\n    crypto_hash: sha256\n' })), 'crypto-requires-knet').length, 0);
});

test('bindnetaddr-ignored: with a nodelist it warns and offers deletion; without one it stays quiet', () => {
  const ds = only(check(conf({ totem: '    interface {\n        bindnetaddr: 10.0.0.0\n    }\n' })), 'bindnetaddr-ignored');
  assert.equal(ds.length, 1);
  assert.equal(ds[0].severity, 'warning');
  assert.deepEqual(ds[0].fixes?.[0].edits[0].range, { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } });
  assert.equal(only(check('totem {\n    version: 2\n    interface {\n        bindnetaddr: 10.0.0.0\n    }\n}\n'), 'bindnetaddr-ignored').length, 0);
});

test('udpu with ring1_addr is refused (one link only)', () => {
  const ds = only(
    check(
      conf({ totem: '    transport: udpu\n', nodes: node('10.0.0.1', 1, '        ring1_addr: 10.1.0.1\n        name: a\n') + node('10.0.0.2', 2, '        ring1_addr: 10.1.0.2\n        name: b\n') }),
    ),
    'invalid-value',
  );
  assert.equal(ds.length, 1);
  assert.match(ds[0].message, /supports only one/);
});

test('facts expose nodes with located values', () => {
  const facts = corosyncFacts(parseCorosync(FILE, conf()));
  assert.equal(facts.nodes.length, 2);
  assert.equal(facts.nodes[1].ring0?.value, '10.0.0.2');
  assert.equal(facts.nodes[1].nodeid?.value, 2);
  assert.equal(facts.nodes[1].ring0?.loc.range.start.line, 10);
  assert.equal(facts.nodelist?.range.start.line, 4);
  assert.deepEqual(codes(check(conf())), []);
});

test('rules never throw on hostile input', () => {
  const pieces = [
    'totem {\n',
    'nodelist {\n',
    'node {\n',
    'quorum {\n',
    '}\n',
    'nodeid: 1\n',
    'nodeid: x\n',
    'ring0_addr: 10.0.0.1\n',
    'ring1_addr: ::1\n',
    'two_node: 1\n',
    'expected_votes: 9\n',
    'transport: udpu\n',
    'crypto_hash: md5\n',
    'bindnetaddr: 1.2.3.4\n',
    'interface {\n',
    'device {\n',
    ': \n',
    '{\n',
    'x y\n',
    '#c\n',
    'secauth: on\n',
    'quorum_votes: 99999999999\n',
  ];
  let seed = 11;
  for (let round = 0; round < 300; round++) {
    let s = '';
    for (let i = 0; i < 60; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += pieces[seed % pieces.length];
    }
    const ds = check(s);
    for (const d of ds) {
      assert.match(d.code, /^corosync\//);
      assert.ok(d.message.length > 10);
      assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0);
    }
  }
});

// Issue 15 corosync classes; severities follow corosync -t 3.1.7, 3.1.9 and 3.1.10
// (test/parity/corosync-classes.test.ts runs the same files through the real binaries).

test('token-below-minimum: token under 30 ms is an error with a seconds-to-ms fix; 0 and 30 pass', () => {
  const [d] = only(check(conf({ totem: '    token: 3\n' })), 'token-below-minimum');
  assert.equal(d.severity, 'error');
  assert.equal(d.fixes?.[0].edits[0].newText, '3000');
  assert.deepEqual(only(check(conf({ totem: '    token: 0\n' })), 'token-below-minimum'), []);
  assert.deepEqual(only(check(conf({ totem: '    token: 30\n' })), 'token-below-minimum'), []);
});

test('link-mismatch: links per node, interface for a missing link, mixed families, ip_version', () => {
  const named = (addr: string, id: number, extra = '') => node(addr, id, `        name: n${id}\n${extra}`);
  const links = only(check(conf({ nodes: named('10.0.0.1', 1, '        ring1_addr: 10.1.0.1\n') + named('10.0.0.2', 2) })), 'link-mismatch');
  assert.equal(links.length, 1);
  assert.equal(links[0].severity, 'error');
  assert.match(links[0].message, /same number of links/);
  assert.match(only(check(conf({ totem: '    interface {\n        linknumber: 1\n    }\n' })), 'link-mismatch')[0].message, /no node has ring1_addr/);
  assert.match(only(check(conf({ nodes: node('10.0.0.1', 1) + node('fd00::2', 2) })), 'link-mismatch')[0].message, /mixes IPv4 and IPv6/);
  assert.match(only(check(conf({ totem: '    ip_version: ipv6\n' })), 'link-mismatch')[0].message, /ip_version is ipv6/);
  assert.deepEqual(only(check(conf({ totem: '    ip_version: ipv4\n    interface {\n        linknumber: 0\n    }\n' })), 'link-mismatch'), []);
  assert.deepEqual(only(check(conf({ nodes: named('10.0.0.1', 1, '        ring1_addr: fd00::1\n') + named('10.0.0.2', 2, '        ring1_addr: fd00::2\n') })), 'link-mismatch'), []);
  // Host names are resolved by corosync later; they are not judged.
  assert.deepEqual(only(check(conf({ nodes: node('node-a', 1) + node('fd00::2', 2) })), 'link-mismatch'), []);
});

test('knet-only: knet options under udpu; interface knet options are errors, totem ones warnings; knet is fine', () => {
  const totemKnet = only(check(conf({ totem: '    transport: udpu\n    knet_pmtud_interval: 30\n    link_mode: passive\n' })), 'knet-only');
  assert.deepEqual(
    totemKnet.map((d) => d.severity),
    ['warning', 'warning'],
  );
  const [iface] = only(check(conf({ totem: '    transport: udpu\n    interface {\n        linknumber: 0\n        knet_link_priority: 5\n    }\n' })), 'knet-only');
  assert.equal(iface.severity, 'error');
  assert.deepEqual(only(check(conf({ totem: '    transport: knet\n    link_mode: passive\n    interface {\n        knet_link_priority: 5\n    }\n' })), 'knet-only'), []);
});

test('nodeid-zero: nodeid 0 under knet is an error', () => {
  const [d] = only(check(conf({ nodes: node('10.0.0.1', 0) + node('10.0.0.2', 2) })), 'nodeid-zero');
  assert.equal(d.severity, 'error');
  assert.deepEqual(only(check(conf()), 'nodeid-zero'), []);
});

test('qdevice-conflict: auto_tie_breaker or last_man_standing with a device, and a net without host (warnings)', () => {
  const device = (host: string) => `    device {\n        model: net\n        net {\n${host}            algorithm: ffsplit\n        }\n    }\n`;
  const withHost = device('            host: 192.0.2.50\n');
  const atb = only(check(conf({ quorum: withHost + '    auto_tie_breaker: 1\n' })), 'qdevice-conflict');
  assert.equal(atb.length, 1);
  assert.equal(atb[0].severity, 'warning');
  assert.equal(only(check(conf({ quorum: withHost + '    last_man_standing: 1\n' })), 'qdevice-conflict').length, 1);
  assert.match(only(check(conf({ quorum: device('') })), 'qdevice-conflict')[0].message, /no host/);
  assert.deepEqual(only(check(conf({ quorum: withHost + '    auto_tie_breaker: 0\n' })), 'qdevice-conflict'), []);
});

test('duplicate-link: two interface blocks for one link number (a warning); different numbers pass', () => {
  const two = (a: number, b: number) => `    interface {\n        linknumber: ${a}\n    }\n    interface {\n        linknumber: ${b}\n    }\n`;
  const [d] = only(check(conf({ totem: two(0, 0) })), 'duplicate-link');
  assert.equal(d.severity, 'warning');
  assert.deepEqual(only(check(conf({ totem: two(0, 1) })), 'duplicate-link'), []);
});
