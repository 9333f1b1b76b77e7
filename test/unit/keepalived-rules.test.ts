import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { keepalivedModule } from '../../server/src/keepalived';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';

const FILE = '/tmp/haconf-none/keepalived.conf';
const check = (text: string): Diagnostic[] => keepalivedModule.check(keepalivedModule.parse(FILE, text, new NodeSourceHost()), defaultCheckOptions());
const codes = (text: string, code: string) => check(text).filter((d) => d.code === code);

const GLOBAL = 'global_defs {\n    enable_script_security\n}\n';
const SCRIPT = 'vrrp_script chk {\n    script "/usr/bin/killall -0 haproxy"\n    weight -20\n}\n';
function inst(body: string, opts: { state?: string; prio?: string; vrid?: string } = {}): string {
  return `vrrp_instance VI_1 {\n    state ${opts.state ?? 'BACKUP'}\n    interface eth0\n    virtual_router_id ${opts.vrid ?? '51'}\n    priority ${opts.prio ?? '100'}\n    advert_int 1\n${body}    virtual_ipaddress {\n        10.0.0.10/24 dev eth0\n    }\n}\n`;
}
const AUTH = (type = 'PASS', pass = 'secret') => `    authentication {\n        auth_type ${type}\n        auth_pass ${pass}\n    }\n`;
const TRACK = (entry = 'chk') => `    track_script {\n        ${entry}\n    }\n`;

test('rule metadata: every code has a summary, rationale and example', () => {
  const expected = [
    'syntax',
    'unknown-keyword',
    'invalid-value',
    'auth-pass-truncated',
    'nopreempt-master',
    'nopreempt-with-weight',
    'undefined-reference',
    'script-security',
    'script-not-absolute',
    'script-shell-syntax',
    'auth-type-ah',
    'auth-unsupported',
    'address-owner-weight',
    'include-missing',
    'missing-value',
    'defined-later',
    'duplicate-notify',
    'deprecated-keyword',
    'invalid-route',
  ].map((c) => `keepalived/${c}`);
  assert.deepEqual(
    keepalivedModule.rules.map((r) => r.code),
    expected,
  );
  for (const r of keepalivedModule.rules) assert.ok(r.summary && r.rationale && r.example, r.code);
});

test('a clean configuration has no findings', () => {
  assert.deepEqual(check(GLOBAL + SCRIPT + inst(AUTH() + TRACK())), []);
});

test('syntax: unbalanced braces are reported, balanced ones are not', () => {
  assert.equal(codes(GLOBAL + '}\n', 'keepalived/syntax').length, 1);
  assert.equal(codes(GLOBAL, 'keepalived/syntax').length, 0);
});

test('unknown-keyword: typo with did-you-mean fix; known keywords pass', () => {
  const [d] = codes(inst('    virtual_routr_id 5\n'), 'keepalived/unknown-keyword');
  assert.match(d.message, /did you mean `virtual_router_id`/);
  assert.deepEqual(d.range, { start: { line: 6, character: 4 }, end: { line: 6, character: 20 } });
  assert.equal(d.fixes?.[0].edits[0].newText, 'virtual_router_id');
  assert.match(codes('global_defs {\n  garp_master_delay 5\n}\n', 'keepalived/unknown-keyword')[0].message, /vrrp_garp_master_delay/);
  assert.match(codes('global_defs {\n  unicast_peer 5\n}\n', 'keepalived/unknown-keyword')[0].message, /belongs in vrrp_instance/);
  assert.deepEqual(codes(inst(''), 'keepalived/unknown-keyword'), []);
  // Data lines inside value blocks are not keywords.
  assert.deepEqual(codes(inst(TRACK('anything weight 2')), 'keepalived/unknown-keyword'), []);
});

test('invalid-value: VRID, priority, weight, state, auth_type, advert_int', () => {
  const bad = (text: string) => codes(text, 'keepalived/invalid-value').map((d) => d.message);
  assert.equal(bad(inst('', { vrid: '0' })).length, 1);
  assert.equal(bad(inst('', { vrid: '256' })).length, 1);
  assert.match(bad(inst('', { vrid: '0!51' }))[0], /cuts the value/);
  assert.equal(bad(inst('', { vrid: '255', prio: '255' })).length, 0);
  assert.match(bad(inst('', { prio: '300' }))[0], /priority `300`/);
  assert.match(bad(inst('', { state: 'SLAVE' }))[0], /MASTER or BACKUP/);
  assert.equal(bad(inst('', { state: 'MASTER' })).length, 0);
  assert.match(bad(inst(AUTH('PASS;')))[0], /auth_type `PASS;`/);
  assert.match(bad(inst('    advert_int 0\n'))[0], /0\.01 and 255/);
  assert.equal(bad(inst('    advert_int 0.5\n')).length, 0);
  assert.match(bad(SCRIPT.replace('-20', '300'))[0], /-253\.\.253/);
  assert.equal(bad(SCRIPT.replace('-20', '-253')).length, 0);
  assert.match(bad(inst(TRACK('chk weight 300')))[0], /outside -253\.\.253/);
});

test('invalid-value: addresses in virtual_ipaddress, unicast_peer and unicast_src_ip', () => {
  const bad = (body: string) => codes(inst(body), 'keepalived/invalid-value').map((d) => d.message);
  const vip = (line: string) => `    virtual_ipaddress {\n        ${line}\n    }\n`;
  assert.equal(bad(vip('10.0.0.11/24 dev eth0 label eth0:1 scope global brd 10.0.0.255 no_track')).length, 0);
  assert.match(bad(vip('10.0.0.300/24'))[0], /not an IPv4 or IPv6/);
  assert.match(bad(vip('10.0.0.12/33'))[0], /not an IPv4 or IPv6/);
  assert.match(bad(vip('10.0.0.12 foo'))[0], /unknown address option `foo`/);
  assert.match(bad(vip('fd00::1/64'))[0], /IPv4 but this instance is IPv6 \(from its first address\)/);
  assert.match(bad('    unicast_src_ip 10.0.0.999\n')[0], /unicast_src_ip/);
  assert.equal(bad('    unicast_src_ip 10.0.0.1/24\n').length, 0, 'keepalived drops /24 here');
  assert.deepEqual(bad('    unicast_peer {\n        10.0.0.2 min_ttl 1\n    }\n'), []);
  assert.match(bad('    unicast_peer {\n        <peer-ip>\n    }\n')[0], /not an IP address/);
  assert.match(bad('    unicast_peer {\n        fd00::2\n    }\n')[0], /IPv6 but the instance uses IPv4/);
});

test('invalid-value: schema-driven bool and enum arguments', () => {
  assert.equal(codes('global_defs {\n  vrrp_version 4\n}\n', 'keepalived/invalid-value').length, 1);
  assert.equal(codes('global_defs {\n  vrrp_version 3\n}\n', 'keepalived/invalid-value').length, 0);
  assert.equal(codes('global_defs {\n  smtp_alert maybe\n}\n', 'keepalived/invalid-value').length, 1);
  assert.equal(codes('global_defs {\n  smtp_alert yes\n}\n', 'keepalived/invalid-value').length, 0);
  // keepalived takes `protocol tcp` but not `lvs_sched RR`.
  assert.equal(codes('virtual_server 10.1.1.1 80 {\n  protocol tcp\n  lvs_sched rr\n}\n', 'keepalived/invalid-value').length, 0);
  assert.equal(codes('virtual_server 10.1.1.1 80 {\n  lvs_sched RR\n}\n', 'keepalived/invalid-value').length, 1);
});

test('auth-pass-truncated: too long or cut by a comment character; 8 or quoted is fine', () => {
  const [long] = codes(inst(AUTH('PASS', 'ninechars')), 'keepalived/auth-pass-truncated');
  assert.match(long.message, /9 characters; keepalived uses only the first 8 /);
  // keepalived -t exits non-zero on "Truncating auth_pass" (2.2.7, 2.3.3, 2.3.4) but accepts a comment cut.
  assert.equal(long.severity, 'error');
  const [cut] = codes(inst(AUTH('PASS', 'ab#cdef')), 'keepalived/auth-pass-truncated');
  assert.match(cut.message, /cut at an unquoted/);
  assert.equal(cut.severity, 'warning');
  assert.deepEqual(cut.range.start, { line: 8, character: 18 });
  assert.equal(codes(inst(AUTH('PASS', 'eightchr')), 'keepalived/auth-pass-truncated').length, 0);
  assert.equal(codes(inst(AUTH('PASS', '"ab#cd"')), 'keepalived/auth-pass-truncated').length, 0);
});

test('nopreempt-master: warns with a fix to BACKUP; BACKUP is fine; exclusive @id conditions are fine', () => {
  const [d] = codes(inst('    nopreempt\n', { state: 'MASTER' }), 'keepalived/nopreempt-master');
  assert.equal(d.fixes?.[0].edits[0].newText, 'BACKUP');
  assert.deepEqual(d.fixes?.[0].edits[0].range, { start: { line: 1, character: 10 }, end: { line: 1, character: 16 } });
  assert.equal(d.related?.[0].range.start.line, 1);
  assert.equal(codes(inst('    nopreempt\n'), 'keepalived/nopreempt-master').length, 0);
  const cond = 'vrrp_instance V {\n  @a state MASTER\n  @b nopreempt\n}\n';
  assert.equal(codes(cond, 'keepalived/nopreempt-master').length, 0);
});

test('nopreempt-with-weight: weighted tracking with nopreempt; weight 0 is fine', () => {
  assert.equal(codes(SCRIPT + inst('    nopreempt\n' + TRACK()), 'keepalived/nopreempt-with-weight').length, 1);
  assert.equal(codes(SCRIPT + inst('    nopreempt\n' + TRACK('chk weight 0')), 'keepalived/nopreempt-with-weight').length, 0);
  assert.equal(codes(SCRIPT + inst(TRACK()), 'keepalived/nopreempt-with-weight').length, 0);
});

test('undefined-reference: track entries and sync-group members must exist', () => {
  const [d] = codes(SCRIPT + inst(TRACK('chk_haproxy')), 'keepalived/undefined-reference');
  assert.match(d.message, /no `vrrp_script chk_haproxy`/);
  assert.equal(d.related?.[0].message, 'in this track_script');
  assert.equal(d.severity, 'error');
  assert.equal(codes(SCRIPT + inst(TRACK('chk')), 'keepalived/undefined-reference').length, 0);
  assert.match(codes(SCRIPT + inst(TRACK('chx')), 'keepalived/undefined-reference')[0].message, /Did you mean `chk`/);
  const group = (m: string) => `vrrp_sync_group G {\n    group {\n        ${m}\n    }\n}\n` + inst('');
  assert.equal(codes(group('VI_1'), 'keepalived/undefined-reference').length, 0);
  assert.equal(codes(group('VI_1 VI_9'), 'keepalived/undefined-reference').length, 1);
  assert.equal(codes(inst('    track_process {\n        haproxy\n    }\n'), 'keepalived/undefined-reference').length, 1);
  // A definition may live in an include that matched nothing: only a warning then.
  assert.equal(codes('include /nonexistent/haconf/*.conf\n' + inst(TRACK('chk_x')), 'keepalived/undefined-reference')[0].severity, 'warning');
});

test('script-security: scripts without enable_script_security, fix inserts it', () => {
  const [d] = codes('global_defs {\n    router_id a\n}\n' + SCRIPT, 'keepalived/script-security');
  assert.deepEqual(d.fixes?.[0].edits[0], { range: { start: { line: 0, character: 13 }, end: { line: 0, character: 13 } }, newText: '\n    enable_script_security' });
  assert.equal(d.related?.[0].message, 'global_defs');
  assert.match(d.message, /^1 script is configured \(first: vrrp_script \w+, which runs `[^`]+`\)/, 'names the script, not the keyword');
  const [notify] = codes(
    'vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    notify_master /etc/keepalived/master.sh\n    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n',
    'keepalived/script-security',
  );
  assert.match(notify.message, /\(first: `\/etc\/keepalived\/master\.sh` \(notify_master of vrrp_instance VI_1\)\)/);
  const [none] = codes(SCRIPT, 'keepalived/script-security');
  assert.match(none.fixes![0].edits[0].newText, /^global_defs \{\n {4}enable_script_security\n\}/);
  assert.equal(codes(GLOBAL + SCRIPT, 'keepalived/script-security').length, 0);
  assert.equal(codes('global_defs {\n  router_id a\n}\n', 'keepalived/script-security').length, 0);
});

test('script-not-absolute: bare commands, with an absolute-path fix for well-known ones', () => {
  const [d] = codes(GLOBAL + SCRIPT.replace('/usr/bin/killall', 'killall'), 'keepalived/script-not-absolute');
  assert.deepEqual(d.range, { start: { line: 4, character: 12 }, end: { line: 4, character: 19 } });
  assert.equal(d.fixes?.[0].edits[0].newText, '/usr/bin/killall');
  const [other] = codes(GLOBAL + inst('    notify_master my-notify.sh\n'), 'keepalived/script-not-absolute');
  assert.equal(other.fixes, undefined);
  assert.equal(codes(GLOBAL + SCRIPT, 'keepalived/script-not-absolute').length, 0);
});

test('auth-type-ah: AH warns, PASS does not', () => {
  assert.equal(codes(inst(AUTH('AH')), 'keepalived/auth-type-ah').length, 1);
  assert.equal(codes(inst(AUTH('PASS')), 'keepalived/auth-type-ah').length, 0);
});

test('auth-unsupported: authentication with VRRPv3 (instance or global) or vrrp_strict', () => {
  assert.equal(codes(inst(AUTH() + '    version 3\n'), 'keepalived/auth-unsupported').length, 1);
  const [g] = codes('global_defs {\n  vrrp_version 3\n}\n' + inst(AUTH()), 'keepalived/auth-unsupported');
  assert.equal(g.related?.[0].range.start.line, 1);
  assert.equal(codes('global_defs {\n  vrrp_version 3\n}\n' + inst(AUTH() + '    version 2\n'), 'keepalived/auth-unsupported').length, 0);
  assert.equal(codes('global_defs {\n  vrrp_strict\n}\n' + inst(AUTH()), 'keepalived/auth-unsupported').length, 1);
  assert.equal(codes(inst(AUTH()), 'keepalived/auth-unsupported').length, 0);
});

test('address-owner-weight: priority 255 with weighted scripts', () => {
  const [d] = codes(SCRIPT + inst(TRACK(), { prio: '255' }), 'keepalived/address-owner-weight');
  assert.equal(d.related?.[0].message, 'weight ignored');
  assert.equal(codes(SCRIPT + inst(TRACK(), { prio: '254' }), 'keepalived/address-owner-weight').length, 0);
  assert.equal(codes(SCRIPT + inst(TRACK('chk weight 0'), { prio: '255' }), 'keepalived/address-owner-weight').length, 0);
});

test('include-missing: a glob matching nothing warns; no include, no finding', () => {
  assert.equal(codes('include /nonexistent/haconf/*.conf\n', 'keepalived/include-missing')[0].severity, 'warning');
  assert.equal(codes(GLOBAL, 'keepalived/include-missing').length, 0);
});

test('facts: instances, VIPs, tracks and sync groups for the cluster layer', () => {
  const doc = keepalivedModule.parse(
    FILE,
    SCRIPT + inst(AUTH('PASS', 'abcdefghij') + TRACK('chk weight 5') + '    nopreempt\n', { prio: '120' }) + 'vrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\n',
    new NodeSourceHost(),
  );
  const f = keepalivedModule.facts!(doc).keepalived!;
  const i = f.instances[0];
  assert.deepEqual([i.name, i.priority?.value, i.vrid?.value, i.state?.value, i.authPass?.value, i.nopreempt, i.syncGroup, i.version], ['VI_1', 120, 51, 'BACKUP', 'abcdefghij', true, 'G', 2]);
  assert.deepEqual(
    i.vips.map((v) => v.value),
    ['10.0.0.10/24'],
  );
  assert.deepEqual(
    i.tracks.map((t) => [t.name, t.weight]),
    [['chk', 5]],
  );
  assert.equal(f.scripts.get('chk')?.weight, -20);
});

// Issue 15 classes; each verdict was checked against keepalived 2.2.7, 2.3.3 and 2.3.4
// (test/parity/keepalived-classes.test.ts runs the same files through the real binaries).

test('severity follows keepalived -t: nopreempt with MASTER, priority 255 with weights, AH with MASTER, a vrrp_script without script security and authentication with v3/strict are errors', () => {
  // A vrrp_script: an error (keepalived -t fails whether its script exists or not); notify scripts alone: a
  // warning, keepalived accepts them when they do not exist on the host (test/parity/keepalived-classes.test.ts).
  assert.equal(codes(SCRIPT + inst(TRACK()), 'keepalived/script-security')[0].severity, 'error');
  assert.equal(codes(inst('    notify_master "/usr/bin/true"\n'), 'keepalived/script-security')[0].severity, 'warning');
  assert.equal(codes('global_defs {\n    vrrp_strict\n}\n' + inst(AUTH()), 'keepalived/auth-unsupported')[0].severity, 'error');
  assert.equal(codes(inst('    nopreempt\n', { state: 'MASTER' }), 'keepalived/nopreempt-master')[0].severity, 'error');
  assert.equal(codes(SCRIPT + inst(TRACK(), { prio: '255' }), 'keepalived/address-owner-weight')[0].severity, 'error');
  const [master] = codes(inst(AUTH('AH'), { state: 'MASTER' }), 'keepalived/auth-type-ah');
  assert.equal(master.severity, 'error');
  assert.match(master.message, /cannot be used with `state MASTER`/);
  // keepalived -t accepts AH on a BACKUP instance: it stays a warning.
  assert.equal(codes(inst(AUTH('AH')), 'keepalived/auth-type-ah')[0].severity, 'warning');
});

test('missing-value: a keyword whose only value is a comment; booleans and flags alone are fine', () => {
  const [d] = codes(inst('').replace('interface eth0', 'interface # set me'), 'keepalived/missing-value');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /only "value" is a comment/);
  for (const kw of ['state', 'advert_int', 'unicast_src_ip', 'notify_master']) {
    assert.equal(codes(inst(`    ${kw} ! later\n`), 'keepalived/missing-value').length, 1, kw);
  }
  assert.deepEqual(codes(GLOBAL + inst('    nopreempt # no value\n    dont_track_primary\n'), 'keepalived/missing-value'), []);
  assert.deepEqual(codes('global_defs {\n    enable_script_security\n    vrrp_strict\n    smtp_alert\n}\n', 'keepalived/missing-value'), []);
  // priority and virtual_router_id without a value stay with invalid-value (one finding, not two).
  assert.deepEqual(codes(inst('    priority # x\n'), 'keepalived/missing-value'), []);
});

test('defined-later: a track_script or track_process named before its definition; earlier definitions are fine', () => {
  const later = GLOBAL + inst(TRACK()) + SCRIPT;
  const [d] = codes(later, 'keepalived/defined-later');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /further down/);
  assert.equal(d.related?.[0].range.start.line, later.split('\n').indexOf('vrrp_script chk {'));
  // Not reported twice: a later definition is not also "undefined".
  assert.deepEqual(codes(later, 'keepalived/undefined-reference'), []);
  assert.deepEqual(codes(GLOBAL + SCRIPT + inst(TRACK()), 'keepalived/defined-later'), []);
  const proc = 'vrrp_track_process p {\n    process haproxy\n}\n';
  assert.equal(codes(inst('    track_process {\n        p\n    }\n') + proc, 'keepalived/defined-later').length, 1);
  // vrrp_sync_group members are resolved after reading: a group above its instances is fine.
  assert.deepEqual(codes('vrrp_sync_group G {\n    group {\n        VI_1\n    }\n}\n' + inst(''), 'keepalived/defined-later'), []);
});

test('invalid-value: vrrp_garp_interval / vrrp_gna_interval 0 in global_defs; garp_group interval 0 is accepted', () => {
  const bad = codes('global_defs {\n    vrrp_garp_interval 0\n    vrrp_gna_interval 0\n}\n', 'keepalived/invalid-value');
  assert.equal(bad.length, 2);
  assert.match(bad[0].message, /vrrp_garp_interval `0`/);
  assert.deepEqual(codes('global_defs {\n    vrrp_garp_interval 0.001\n    vrrp_gna_interval 10\n}\n', 'keepalived/invalid-value'), []);
  assert.deepEqual(codes('garp_group {\n    garp_interval 0\n    interface eth0\n}\n', 'keepalived/invalid-value'), []);
});

test('invalid-route: bad addresses in virtual_routes, static_routes and virtual_rules; valid forms pass', () => {
  const body = '    virtual_routes {\n        192.0.2.300/24 via 192.0.2.1\n        10.0.0.0/8 via 10.0.0.999\n    }\n    virtual_rules {\n        from 192.0.2.999 table 100\n    }\n';
  const found = codes(inst(body) + 'static_routes {\n    10.1.0.0/33 via 192.0.2.1 dev eth0\n}\n', 'keepalived/invalid-route');
  assert.deepEqual(
    found.map((d) => d.message.split('`')[1]),
    ['192.0.2.300/24', '10.0.0.999', '192.0.2.999', '10.1.0.0/33'],
  );
  const good =
    '    virtual_routes {\n        10.0.0.0/8 via 192.0.2.1\n        src 192.0.2.10 172.16.0.0/12 via 192.0.2.1 dev eth0\n        blackhole 10.9.0.0/16\n        default via 192.0.2.1\n        2001:db8::/32 via fe80::1 dev eth0\n    }\n    virtual_rules {\n        from 192.0.2.10 table 100\n        to 10.0.0.0/8 table 100\n        from all table 100\n    }\n';
  assert.deepEqual(codes(inst(good), 'keepalived/invalid-route'), []);
});

test('duplicate-notify: the same notify keyword twice in one block; different keywords or blocks are fine', () => {
  const [d] = codes(inst('    notify_master "/usr/bin/true a"\n    notify_master "/usr/bin/true b"\n'), 'keepalived/duplicate-notify');
  assert.equal(d.severity, 'error');
  assert.equal(d.related?.[0].message, 'first one, which keepalived keeps');
  assert.equal(codes(inst('    notify "/usr/bin/true a"\n    notify "/usr/bin/true b"\n'), 'keepalived/duplicate-notify').length, 1);
  assert.deepEqual(
    codes(inst('    notify_master "/usr/bin/true a"\n    notify_backup "/usr/bin/true b"\n') + inst('    notify_master "/usr/bin/true c"\n').replace('VI_1', 'VI_2'), 'keepalived/duplicate-notify'),
    [],
  );
});

test('deprecated-keyword: lvs_sync_daemon_interface in vrrp_instance and nb_get_retry; silently accepted ones are not reported', () => {
  const [d] = codes(inst('    lvs_sync_daemon_interface eth0\n'), 'keepalived/deprecated-keyword');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /lvs_sync_daemon/);
  const vs =
    'virtual_server 192.0.2.10 80 {\n    real_server 192.0.2.20 80 {\n        HTTP_GET {\n            url {\n                path /\n            }\n            nb_get_retry 3\n        }\n    }\n}\n';
  assert.equal(codes(vs, 'keepalived/deprecated-keyword').length, 1);
  assert.deepEqual(codes('global_defs {\n    lvs_flush_onstop\n    enable_snmp_keepalived\n}\n', 'keepalived/deprecated-keyword'), []);
});

test('script-shell-syntax: redirections, pipes and && get a shell message, not "not an absolute path"; sh -c is fine', () => {
  const script = (line: string) => GLOBAL + `vrrp_script chk {\n    script "${line}"\n}\n`;
  const [tcp] = codes(script('</dev/tcp/127.0.0.1/443'), 'keepalived/script-shell-syntax');
  assert.match(tcp.message, /`<` redirection/);
  assert.deepEqual(codes(script('</dev/tcp/127.0.0.1/443'), 'keepalived/script-not-absolute'), []);
  assert.match(codes(script('/usr/bin/ss -ltn | grep 9443'), 'keepalived/script-shell-syntax')[0].message, /`\|` pipe/);
  assert.match(codes(script('/usr/bin/curl -sf http://x/ >/dev/null 2>&1'), 'keepalived/script-shell-syntax')[0].message, /`>` redirection/);
  assert.match(codes(script('/usr/bin/pidof haproxy && /usr/bin/true'), 'keepalived/script-shell-syntax')[0].message, /&&/);
  assert.deepEqual(codes(script("/bin/sh -c '</dev/tcp/127.0.0.1/443 && ss -ltn | grep :9443'"), 'keepalived/script-shell-syntax'), []);
  assert.deepEqual(codes(script('/usr/bin/killall -0 haproxy'), 'keepalived/script-shell-syntax'), []);
});
