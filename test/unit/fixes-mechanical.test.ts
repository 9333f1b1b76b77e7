// Mechanical fixes: for each rule with one exact rewrite, the text before → the text after its fix, and the
// fixed text no longer has that finding. Then "Fix all" (engine/fixAll.ts, services fixAll) over a file with
// several, and the 1.x filters that get no rewrite say why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Language } from '../../server/src/core/types';
import { checkText } from '../../server/src/engine/check';
import { fixAllEdits } from '../../server/src/engine/fixAll';
import { applyEdits } from '../../server/src/services/format';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { codeActions, fixAll } from '../../server/src/services';
import { FIX_ALL_KIND } from '../../server/src/services/types';
import { workspace } from './services-helpers';
import { allRules } from '../../server/src/engine/rules';
import { dropUndecidable, type MaskedTemplate } from '../../server/src/templates/mask';

const host = new NodeSourceHost();
const FILE = '/tmp/haconf-fixes/haproxy.cfg';

function check(text: string, language: Language = 'haproxy', version = '3.2'): Diagnostic[] {
  const file = language === 'haproxy' ? FILE : language === 'keepalived' ? '/tmp/haconf-fixes/keepalived.conf' : '/tmp/haconf-fixes/corosync.conf';
  return checkText(file, text, language, { haproxyVersion: version }, host).diagnostics;
}

/** Applies the mechanical fix of the first `code` finding on `line` (1-based) and returns the new text. */
function fixOnce(text: string, code: string, line: number, language: Language = 'haproxy', version = '3.2'): string {
  const d = check(text, language, version).find((x) => x.code === code && x.range.start.line === line - 1);
  assert.ok(d, `a ${code} finding on line ${line}`);
  const fix = d.fixes?.find((f) => f.mechanical);
  assert.ok(fix, `${code} on line ${line} has a mechanical fix (fixes: ${JSON.stringify(d.fixes?.map((f) => f.title))}; message: ${d.message})`);
  return applyEdits(text, fix.edits);
}

function assertFixed(before: string, after: string, code: string, line: number, language: Language = 'haproxy', version = '3.2'): void {
  const fixed = fixOnce(before, code, line, language, version);
  assert.equal(fixed, after);
  const left = check(fixed, language, version).filter((x) => x.code === code && x.range.start.line === line - 1);
  assert.deepEqual(
    left.map((x) => x.message),
    [],
    `no ${code} left on line ${line} after the fix`,
  );
}

const proxy = (body: string): string =>
  `defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend www\n    bind :80\n${body}    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`;

const rewrites: [string, string, string][] = [
  ['reqadd', '    reqadd X-Forwarded-Proto:\\ https\n', '    http-request add-header X-Forwarded-Proto https\n'],
  ['reqadd with a condition', '    reqadd X-Proto:\\ https if { ssl_fc }\n', '    http-request add-header X-Proto https if { ssl_fc }\n'],
  ['reqadd with a space and a % in the value', '    reqadd X-Note:\\ 50%\\ off\n', "    http-request add-header X-Note '50%% off'\n"],
  ['rspadd', '    rspadd X-Frame-Options:\\ DENY\n', '    http-response add-header X-Frame-Options DENY\n'],
  ['reqdel', '    reqdel ^X-Debug:.*\n', '    http-request del-header X-Debug\n'],
  ['reqidel', '    reqidel ^x-trace:\n', '    http-request del-header x-trace\n'],
  ['rspdel', '    rspdel ^Server:\n', '    http-response del-header Server\n'],
  ['rspidel', '    rspidel ^Server:.*$\n', '    http-response del-header Server\n'],
  ['reqrep on one header', '    reqrep ^Host:\\ (.*)\\.old Host:\\ \\1.new\n', "    http-request replace-header Host '^(.*)\\.old' '\\1.new'\n"],
  ['rsprep on one header', '    rsprep ^Location:\\ http://(.*) Location:\\ https://\\1\n', "    http-response replace-header Location ^http://(.*) 'https://\\1'\n"],
  ['block', '    block if { src 192.0.2.1 }\n', '    http-request deny if { src 192.0.2.1 }\n'],
];

for (const [name, before, after] of rewrites) {
  test(`haproxy/removed-keyword: ${name} → its http-request/http-response action`, () => {
    assertFixed(proxy(before), proxy(after), 'haproxy/removed-keyword', 8);
  });
}

test('haproxy/removed-keyword: the old timeouts, redispatch and option forceclose are renamed', () => {
  const before = 'defaults\n    mode http\n    contimeout 5000\n    clitimeout 50000\n    srvtimeout 50000\n    redispatch\n    option forceclose\n';
  const after = 'defaults\n    mode http\n    timeout connect 5000\n    clitimeout 50000\n    srvtimeout 50000\n    redispatch\n    option forceclose\n';
  assertFixed(before, after, 'haproxy/removed-keyword', 3);
  assert.match(fixOnce(before, 'haproxy/removed-keyword', 4), /\n {4}timeout client 50000\n/);
  assert.match(fixOnce(before, 'haproxy/removed-keyword', 5), /\n {4}timeout server 50000\n/);
  assert.match(fixOnce(before, 'haproxy/removed-keyword', 6), /\n {4}option redispatch\n/);
  assert.match(fixOnce(before, 'haproxy/removed-keyword', 7), /\n {4}option httpclose\n/);
});

test('haproxy/removed-keyword: option http-use-htx is deleted (HTX is the only engine from 2.1)', () => {
  assertFixed('defaults\n    mode http\n    option http-use-htx\n    timeout connect 5s\n', 'defaults\n    mode http\n    timeout connect 5s\n', 'haproxy/removed-keyword', 3);
});

test('haproxy/removed-keyword: the 1.x "listen name addr:port" form moves the address to a bind line', () => {
  assertFixed('listen app 0.0.0.0:80\n    mode http\n', 'listen app\n    bind 0.0.0.0:80\n    mode http\n', 'haproxy/removed-keyword', 1);
});

test('haproxy/deprecated-keyword: a deprecated keyword with an exact rename gets it at the version that deprecates it', () => {
  assertFixed('global\n    tune.ssl.capture-cipherlist-size 512\n', 'global\n    tune.ssl.capture-buffer-size 512\n', 'haproxy/deprecated-keyword', 2, 'haproxy', '2.6');
  assertFixed(proxy('    reqadd X-A:\\ 1\n'), proxy('    http-request add-header X-A 1\n'), 'haproxy/deprecated-keyword', 8, 'haproxy', '2.0');
});

const noRewrite: [string, string, RegExp][] = [
  ['reqirep (case-insensitive)', '    reqirep ^Host:\\ (.*) Host:\\ x\n', /no automatic rewrite: 'reqirep' matches case-insensitively/],
  ['reqrep on the request line', '    reqrep ^([^\\ :]*)\\ /api/(.*) \\1\\ /\\2\n', /no automatic rewrite: the regex .* does not start with '\^Name:\\ '/],
  ['reqdeny', '    reqdeny ^X-Bad:\n', /no automatic rewrite: 'reqdeny' matches its regex against the request line/],
  ['reqdel of a name prefix', '    reqdel ^X-Debug\n', /no automatic rewrite: the regex '\^X-Debug' does not name exactly one header/],
  [
    'reqadd before a reqdel (1.x ran every reqadd after the filters)',
    '    reqadd X-A:\\ 1\n    reqdel ^X-B:\n',
    /no automatic rewrite: line 9 \('reqdel'\) comes after it but HAProxy 1\.x ran it before/,
  ],
  [
    'reqdel before an http-request rule (1.x ran http-request rules first)',
    '    reqdel ^X-B:\n    http-request set-header X-C 1\n',
    /no automatic rewrite: line 9 \('http-request'\) comes after it but HAProxy 1\.x ran it before/,
  ],
];

for (const [name, body, why] of noRewrite) {
  test(`haproxy/removed-keyword: no rewrite for ${name}, and the message says why`, () => {
    const d = check(proxy(body)).find((x) => x.code === 'haproxy/removed-keyword' && x.range.start.line === 7)!;
    assert.ok(d, 'the removed keyword is reported');
    assert.equal(d.fixes?.some((f) => f.mechanical) ?? false, false);
    assert.match(d.message, why);
  });
}

test('haproxy/admin-socket-exposed: the address moves to loopback, prefix and port kept; a unix socket is offered too', () => {
  const g = (addr: string) => `global\n    stats socket ${addr} level admin\n`;
  assertFixed(g('*:1999'), g('127.0.0.1:1999'), 'haproxy/admin-socket-exposed', 2);
  assertFixed(g('ipv4@0.0.0.0:9999'), g('ipv4@127.0.0.1:9999'), 'haproxy/admin-socket-exposed', 2);
  assertFixed(g(':::9999'), g('::1:9999'), 'haproxy/admin-socket-exposed', 2);
  assertFixed(g('[::]:9999'), g('[::1]:9999'), 'haproxy/admin-socket-exposed', 2);
  const d = check(g('10.0.0.5:1999')).find((x) => x.code === 'haproxy/admin-socket-exposed')!;
  assert.deepEqual(
    d.fixes?.map((f) => [f.title, f.mechanical ?? false]),
    [
      ['Listen on 127.0.0.1:1999 only (loopback)', true],
      ['Use the unix socket /var/run/haproxy-admin.sock instead', false],
    ],
  );
});

test('haproxy/duplicate-cookie: the repeated value becomes the server name (or the name with a number when taken)', () => {
  const b = (c2: string, c3: string) =>
    `defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nbackend app\n    cookie SRV insert\n    server w1 10.0.0.1:80 cookie p1\n    server w2 10.0.0.2:80 cookie ${c2}\n    server w3 10.0.0.3:80 cookie ${c3}\n`;
  assertFixed(b('p1', 'w2'), b('w2-2', 'w2'), 'haproxy/duplicate-cookie', 9);
  const all = b('p1', 'p1');
  const { edits } = fixAllEdits(FILE, check(all));
  const fixed = applyEdits(all, edits);
  assert.equal(fixed, b('w2', 'w3'));
  assert.equal(check(fixed).filter((x) => x.code === 'haproxy/duplicate-cookie').length, 0);
});

test('haproxy/missing-final-newline: the newline is added', () => {
  assertFixed('backend app\n    server s1 10.0.0.1:80', 'backend app\n    server s1 10.0.0.1:80\n', 'haproxy/missing-final-newline', 2);
});

const instance = (state: string, pass: string) =>
  `global_defs {\n    enable_script_security\n}\nvrrp_instance VI_1 {\n    state ${state}\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    nopreempt\n    authentication {\n        auth_type PASS\n        auth_pass ${pass}\n    }\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n`;

test('keepalived/auth-pass-truncated: auth_pass is cut to the 8 characters keepalived uses, and the title says peers must match', () => {
  assertFixed(instance('BACKUP', 'verysecret2024'), instance('BACKUP', 'verysecr'), 'keepalived/auth-pass-truncated', 12, 'keepalived');
  const d = check(instance('BACKUP', 'verysecret2024'), 'keepalived').find((x) => x.code === 'keepalived/auth-pass-truncated')!;
  assert.match(d.fixes![0].title, /every peer/);
  assert.doesNotMatch(d.fixes![0].title, /verysec/, 'the title never shows the password');
});

test('keepalived/nopreempt-master: state MASTER with nopreempt becomes BACKUP', () => {
  const fixed = fixOnce(instance('MASTER', 'secret'), 'keepalived/nopreempt-master', 9, 'keepalived');
  assert.equal(fixed, instance('BACKUP', 'secret'));
  assert.equal(check(fixed, 'keepalived').filter((x) => x.code === 'keepalived/nopreempt-master').length, 0);
});

test('corosync: an ignored bindnetaddr is deleted and ringnumber renamed linknumber', () => {
  const conf = (iface: string) =>
    `totem {\n    version: 2\n    cluster_name: c\n    transport: knet\n    interface {\n${iface}    }\n}\nnodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        nodeid: 1\n    }\n}\nquorum {\n    provider: corosync_votequorum\n}\n`;
  assertFixed(conf('        linknumber: 0\n        bindnetaddr: 10.0.0.0\n'), conf('        linknumber: 0\n'), 'corosync/bindnetaddr-ignored', 7, 'corosync');
  assertFixed(conf('        ringnumber: 0\n'), conf('        linknumber: 0\n'), 'corosync/unknown-key', 6, 'corosync');
});

test('fix all: every mechanical fix of a file in one edit, non-overlapping, in document order; guesses left out', () => {
  const text =
    'global\n    stats socket *:1999 level admin\ndefaults\n    mode http\n    contimeout 5s\n    clitimeout 5s\n    srvtimeout 5s\nfrontend www\n    bind :80\n    reqadd X-Proto:\\ https\n    balanse roundrobin\n    default_backend app\nbackend app\n    server a 10.0.0.1:80 cookie p\n    server b 10.0.0.2:80 cookie p';
  const ds = check(text);
  const { edits, applied } = fixAllEdits(FILE, ds);
  assert.deepEqual(
    applied.map((a) => a.diagnostic.code),
    [
      'haproxy/admin-socket-exposed',
      'haproxy/removed-keyword',
      'haproxy/removed-keyword',
      'haproxy/removed-keyword',
      'haproxy/removed-keyword',
      'haproxy/duplicate-cookie',
      'haproxy/missing-final-newline',
    ],
  );
  for (let i = 1; i < edits.length; i++)
    assert.ok(edits[i - 1].range.end.line < edits[i].range.start.line || edits[i - 1].range.end.character <= edits[i].range.start.character, 'edits in order, not overlapping');
  const fixed = applyEdits(text, edits);
  assert.equal(
    fixed,
    'global\n    stats socket 127.0.0.1:1999 level admin\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend www\n    bind :80\n    http-request add-header X-Proto https\n    balanse roundrobin\n    default_backend app\nbackend app\n    server a 10.0.0.1:80 cookie p\n    server b 10.0.0.2:80 cookie b\n',
  );
  // The did-you-mean guess (balanse → balance) is a quick fix, not part of fix all.
  assert.deepEqual(
    check(fixed)
      .filter((d) => d.severity === 'error')
      .map((d) => d.code),
    ['haproxy/unknown-keyword'],
  );
  // Run again on the result: nothing mechanical is left.
  assert.equal(fixAllEdits(FILE, check(fixed)).edits.length, 0);
});

test('fix all: two fixes editing the same text apply once, the second is skipped', () => {
  const edit = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: 'x' };
  const d = (code: string, newText: string): Diagnostic => ({
    file: FILE,
    range: edit.range,
    severity: 'error',
    code,
    message: code,
    fixes: [{ title: code, edits: [{ ...edit, newText }], mechanical: true }],
  });
  const r = fixAllEdits(FILE, [d('a/one', 'x'), d('a/two', 'y'), d('a/three', 'x')]);
  assert.deepEqual(
    r.edits.map((e) => e.newText),
    ['x'],
  );
  assert.deepEqual(
    r.applied.map((a) => a.diagnostic.code),
    ['a/one'],
  );
  assert.deepEqual(
    r.skipped.map((a) => a.diagnostic.code),
    ['a/two'],
  );
});

test('services: the source.fixAll.haconf action of a file carries the same edit, and none when nothing is mechanical', () => {
  const text = 'defaults\n    mode http\n    contimeout 5s\n    timeout client 5s\n    timeout server 5s\n';
  const w = workspace({ 'haproxy.cfg': text, 'clean/haproxy.cfg': 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n' });
  try {
    const f = w.file('haproxy.cfg');
    const action = fixAll(w.model, f)!;
    assert.equal(action.kind, FIX_ALL_KIND);
    assert.equal(action.title, 'Fix all mechanical problems (1 fix)');
    assert.equal(applyEdits(text, action.edit[f]), text.replace('contimeout', 'timeout connect'));
    assert.equal(fixAll(w.model, w.file('clean/haproxy.cfg')), undefined);
    // The quick fix on the line is the same rewrite, and the preferred one.
    const d = w.model.diagnostics(f).find((x) => x.code === 'haproxy/removed-keyword')!;
    const quick = codeActions(w.model, f, d.range).find((a) => a.preferred)!;
    assert.equal(quick.title, "Replace with 'timeout connect'");
  } finally {
    w.cleanup();
  }
});

test('docs/rules.md marks every rule whose findings carry a mechanical fix as "in Fix all"', () => {
  const metas = new Map(allRules().map((m) => [m.code, m]));
  const texts: [string, Language][] = [
    [proxy(rewrites.map(([, before]) => before).join('')), 'haproxy'],
    [
      'global\n    stats socket *:1999 level admin\n    tune.ssl.capture-cipherlist-size 1\ndefaults\n    contimeout 5s\nlisten a 0.0.0.0:80\n    mode http\nbackend b\n    server a 10.0.0.1:80 cookie p\n    server b 10.0.0.2:80 cookie p',
      'haproxy',
    ],
    [instance('MASTER', 'verysecret2024'), 'keepalived'],
    [
      'totem {\n    version: 2\n    cluster_name: c\n    interface {\n        ringnumber: 0\n        bindnetaddr: 10.0.0.0\n    }\n}\nnodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        nodeid: 1\n    }\n}\n',
      'corosync',
    ],
  ];
  const seen = new Set<string>();
  for (const [text, language] of texts) {
    for (const version of ['2.0', '2.6', '3.2']) {
      for (const d of check(text, language, version)) {
        if (!d.fixes?.some((f) => f.mechanical)) continue;
        seen.add(d.code);
        assert.ok(metas.get(d.code)?.fixAll, `${d.code} has mechanical fixes but its meta does not declare fixAll`);
      }
    }
  }
  assert.deepEqual([...seen].sort(), [
    'corosync/bindnetaddr-ignored',
    'corosync/unknown-key',
    'haproxy/admin-socket-exposed',
    'haproxy/deprecated-keyword',
    'haproxy/duplicate-cookie',
    'haproxy/missing-final-newline',
    'haproxy/removed-keyword',
    'keepalived/auth-pass-truncated',
    'keepalived/nopreempt-master',
  ]);
});

test('templates: a fix never writes over Jinja syntax (the masked text would replace it)', () => {
  const text = proxy('    reqadd X-Env:\\ {{ env_name }}\n    rspadd X-Frame-Options:\\ DENY\n');
  const ds = checkText('/tmp/haconf-fixes/templates/haproxy.cfg.j2', text, 'haproxy', { haproxyVersion: '3.2' }, host).diagnostics;
  const onJinja = ds.find((d) => d.code === 'haproxy/removed-keyword' && d.range.start.line === 7);
  assert.ok(onJinja, 'the reqadd line is still reported');
  assert.equal(onJinja.fixes?.length ?? 0, 0, 'but gets no fix');
  const plain = ds.find((d) => d.code === 'haproxy/removed-keyword' && d.range.start.line === 8);
  assert.equal(plain?.fixes?.[0]?.edits[0].newText, 'http-response add-header X-Frame-Options DENY');
  // The guard itself: a finding kept (its range is clear of Jinja) loses the fix whose edit covers a masked piece.
  const file = '/tmp/haconf-fixes/templates/haproxy.cfg.j2';
  const line = (l: number, a: number, b: number) => ({ start: { line: l, character: a }, end: { line: l, character: b } });
  const d: Diagnostic = {
    file,
    range: line(3, 4, 10),
    severity: 'error',
    code: 'haproxy/removed-keyword',
    message: 'm',
    fixes: [
      { title: 'over Jinja', edits: [{ range: line(3, 4, 40), newText: 'x' }], mechanical: true },
      { title: 'clear of it', edits: [{ range: line(3, 4, 10), newText: 'y' }], mechanical: true },
    ],
  };
  const [kept] = dropUndecidable([d], file, { text: '', opaque: [{ line: 3, start: 20, end: 34 }], branchLines: new Set() } as unknown as MaskedTemplate);
  assert.deepEqual(
    kept.fixes?.map((f) => f.title),
    ['clear of it'],
  );
});

test('removed keywords whose named replacement is not a drop-in one get no fix, and the message says why', () => {
  const cases: [string, RegExp][] = [
    ['global\n    nbproc 4\n', /'nbproc' was removed .* \(no automatic rewrite: processes do not share stick tables/],
    ['frontend f\n    bind :80\n    monitor-net 10.0.0.0/8\n', /'monitor-net' was removed .* \(no automatic rewrite: monitor-net also answered in TCP mode/],
  ];
  for (const [text, why] of cases) {
    const d = check(text, 'haproxy', '3.2').find((x) => x.code === 'haproxy/removed-keyword')!;
    assert.ok(d, text);
    assert.match(d.message, why);
    assert.equal(d.fixes?.length ?? 0, 0);
  }
  // transparent → option transparent while the target still has it.
  assertFixed('backend app\n    transparent\n', 'backend app\n    option transparent\n', 'haproxy/deprecated-keyword', 2, 'haproxy', '2.6');
});
