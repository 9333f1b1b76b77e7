import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haproxyModule, rules } from '../../server/src/haproxy';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';

const BASE = 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n';

function check(text: string, version = '2.6'): Diagnostic[] {
  const doc = haproxyModule.parse('/t/haproxy.cfg', text, new NodeSourceHost());
  return haproxyModule.check(doc, defaultCheckOptions({ haproxyVersion: version }));
}
function codes(text: string, code: string, version?: string): Diagnostic[] {
  return check(text, version).filter((d) => d.code === code);
}
/** Full config around a backend body, with a frontend using it. */
function be(body: string, extra = ''): string {
  return `${BASE}frontend www\n    bind :80\n    default_backend app\n${extra}backend app\n${body}`;
}

test('every rule code has metadata with our own summary', () => {
  const expected = [
    'syntax',
    'unknown-keyword',
    'wrong-section',
    'removed-keyword',
    'deprecated-keyword',
    'invalid-argument',
    'undefined-reference',
    'duplicate-name',
    'missing-check-port',
    'mode-mismatch',
    'missing-timeout',
    'duplicate-cookie',
    'weak-credentials',
    'admin-socket-exposed',
    'missing-final-newline',
    'unknown-fetch',
    'unknown-converter',
    'fetch-arguments',
    'rule-in-anonymous-defaults',
    'httpchk-arguments',
    'defaults-rules-inheritance',
  ].map((c) => `haproxy/${c}`);
  assert.deepEqual(rules.map((r) => r.code).sort(), [...expected].sort());
  for (const r of rules) assert.ok(r.summary.length > 10 && r.rationale.length > 10 && r.example.length > 5, r.code);
});

test('a clean config has no findings', () => {
  assert.deepEqual(check(be('    balance roundrobin\n    server s1 10.0.0.1:80 check\n')), []);
});

test('syntax: unterminated quote, with range; fine quotes are not reported', () => {
  const d = codes(be('    http-request set-header X "abc\n    server s1 10.0.0.1:80\n'), 'haproxy/syntax');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'error');
  assert.equal(d[0].range.start.character, 30);
  assert.equal(codes(be('    http-request set-header X "abc"\n    server s1 10.0.0.1:80\n'), 'haproxy/syntax').length, 0);
});

test('unknown-keyword with did-you-mean and a replace fix', () => {
  const d = codes(be('    balanse roundrobin\n    server s1 10.0.0.1:80\n'), 'haproxy/unknown-keyword');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /did you mean 'balance'/);
  assert.equal(d[0].fixes?.[0].edits[0].newText, 'balance');
  assert.deepEqual(d[0].range, { start: { line: 9, character: 4 }, end: { line: 9, character: 11 } });
  const opt = codes(be('    option httpchkk\n    server s1 10.0.0.1:80\n'), 'haproxy/unknown-keyword');
  assert.match(opt[0].message, /did you mean 'option httpchk'/);
  assert.equal(codes(be('    balance roundrobin\n    server s1 10.0.0.1:80\n'), 'haproxy/unknown-keyword').length, 0);
});

test('unknown-keyword: unknown server option, and a server option on its own line', () => {
  assert.match(codes(be('    server s1 10.0.0.1:80 chek\n'), 'haproxy/unknown-keyword')[0].message, /did you mean 'check'/);
  assert.match(codes(be('    server s1 10.0.0.1:80 check\n    rise 3\n'), 'haproxy/unknown-keyword')[0].message, /server option/);
  assert.equal(codes(be('    server s1 10.0.0.1:80 check inter 2s rise 3 fall 2 weight 10\n'), 'haproxy/unknown-keyword').length, 0);
});

test('unknown-keyword: not-yet keywords and statements before any section', () => {
  assert.equal(codes('maxconn 10\n' + be('    server s1 10.0.0.1:80\n'), 'haproxy/unknown-keyword').length, 1);
});

test('wrong-section: error for server in a frontend, warning for balance/cookie in a frontend', () => {
  const text = `${BASE}frontend www\n    bind :80\n    balance roundrobin\n    server s1 10.0.0.1:80\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`;
  const d = codes(text, 'haproxy/wrong-section');
  assert.deepEqual(d.map((x) => x.severity).sort(), ['error', 'warning']);
  assert.equal(codes(be('    balance roundrobin\n    server s1 10.0.0.1:80\n'), 'haproxy/wrong-section').length, 0);
});

test('removed-keyword: reqadd, contimeout with a fix, nbproc from 2.5 only, old listen address form', () => {
  const r = codes(be('    reqadd X-A:\\ b\n    contimeout 5000\n    server s1 10.0.0.1:80\n'), 'haproxy/removed-keyword');
  assert.equal(r.length, 2);
  assert.match(r[0].message, /http-request add-header/);
  assert.equal(r[1].fixes?.[0].edits[0].newText, 'timeout connect');
  assert.equal(codes('global\n    nbproc 2\n', 'haproxy/removed-keyword', '2.6').length, 1);
  assert.equal(codes('global\n    nbproc 2\n', 'haproxy/removed-keyword', '2.4').length, 0);
  const l = codes(`${BASE}listen app 0.0.0.0:8080\n    server s1 10.0.0.1:80\n`, 'haproxy/removed-keyword');
  assert.equal(l.length, 1);
  assert.equal(l[0].fixes?.[0].edits[0].newText, '\n    bind 0.0.0.0:8080');
  assert.equal(codes(`${BASE}listen app\n    bind :8080\n    server s1 10.0.0.1:80\n`, 'haproxy/removed-keyword').length, 0);
});

test('deprecated-keyword: nbproc in 2.4 is a warning, nbthread is fine', () => {
  const d = codes('global\n    nbproc 2\n', 'haproxy/deprecated-keyword', '2.4');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'warning');
  assert.equal(codes('global\n    nbthread 2\n', 'haproxy/deprecated-keyword', '2.4').length, 0);
});

test('invalid-argument: ports, numbers, time units, enums', () => {
  const bad = [
    be('    server s1 10.0.0.1:80 check port 70000\n'),
    be('    balance fastest\n    server s1 10.0.0.1:80\n'),
    be('    timeout server 10x\n    server s1 10.0.0.1:80\n'),
    be('    mode udp\n    server s1 10.0.0.1:80\n'),
    `${BASE}frontend www\n    bind :80\n    maxconn abc\n`,
    `${BASE}frontend www\n    bind :8000-7000\n`,
    `${BASE}frontend www\n    bind :99999\n`,
  ];
  for (const t of bad) assert.equal(codes(t, 'haproxy/invalid-argument').length, 1, t);
  const good = [
    be('    server s1 10.0.0.1:80 check port 8080 inter 500ms\n'),
    be('    balance hdr(host)\n    timeout server 2m\n    server s1 10.0.0.1:80\n'),
    // `balance` alone means roundrobin: haproxy -c 2.6, 3.0 and 3.2 accept it (upstream tests/conf/test-fsm.cfg).
    be('    balance\n    server s1 10.0.0.1:80\n'),
    // Port 0 means the client's destination port, like no port (upstream reg-tests http_reuse_conn_hash.vtc).
    be('    server s1 10.0.0.1:0\n'),
    `${BASE}frontend www\n    bind :8000-8010,:9000\n    maxconn 1000\n`,
    `${BASE}frontend www\n    bind "\${PORT-:80}"\n    maxconn "\${MAXCONN}"\n`,
  ];
  for (const t of good) assert.equal(codes(t, 'haproxy/invalid-argument').length, 0, t);
});

test('undefined-reference: static backends, track, http_auth userlists; dynamic names skipped', () => {
  const fe = (line: string) => `${BASE}frontend www\n    bind :80\n${line}\nbackend app\n    server s1 10.0.0.1:80\n`;
  assert.equal(codes(fe('    use_backend nope if TRUE'), 'haproxy/undefined-reference').length, 1);
  assert.equal(codes(fe('    default_backend nope'), 'haproxy/undefined-reference').length, 1);
  assert.equal(codes(fe('    acl ok http_auth(admins)\n    default_backend app'), 'haproxy/undefined-reference').length, 1);
  assert.equal(codes(fe('    acl ok http_auth_group(admins) ops\n    default_backend app'), 'haproxy/undefined-reference').length, 1);
  // http_auth_bearer takes a header name, not a userlist (upstream reg-tests/jwt/jws_verify.vtc; haproxy -c accepts it).
  assert.equal(codes(fe('    http-request set-var(txn.bearer) http_auth_bearer("Custom-Authorization")\n    default_backend app'), 'haproxy/undefined-reference').length, 0);
  assert.equal(codes(fe('    use_backend %[req.hdr(host),lower]\n    default_backend app'), 'haproxy/undefined-reference').length, 0);
  assert.equal(codes(fe('    default_backend app') + 'userlist admins\n    user a password $6$x\n', 'haproxy/undefined-reference').length, 0);
  assert.equal(codes(be('    server s1 10.0.0.1:80 track other/s9\n'), 'haproxy/undefined-reference').length, 1);
  assert.equal(codes(be('    server s1 10.0.0.1:80 check\n    server s2 10.0.0.2:80 track s1\n'), 'haproxy/undefined-reference').length, 0);
});

test('duplicate-name: same-kind proxies and servers, with related; frontend+backend pair is legal', () => {
  const d = codes(be('    server s1 10.0.0.1:80\n    server s1 10.0.0.2:80\n') + 'backend app\n    server x 10.0.0.3:80\n', 'haproxy/duplicate-name');
  assert.equal(d.length, 2);
  assert.ok(d.every((x) => x.related?.length === 1));
  assert.equal(codes(be('    server s1 10.0.0.1:80\n') + 'frontend app\n    bind :81\n    default_backend app\n', 'haproxy/duplicate-name').length, 0);
  assert.equal(codes(be('    server s1 10.0.0.1:80\n') + 'listen www\n    bind :81\n    server s1 10.0.0.1:80\n', 'haproxy/duplicate-name').length, 1);
});

test('missing-check-port: no port and check; fine with a port option or tcp-check connect port', () => {
  assert.equal(codes(be('    server s1 10.0.0.1 check\n'), 'haproxy/missing-check-port').length, 1);
  assert.equal(codes(be('    server s1 10.0.0.1 check port 80\n'), 'haproxy/missing-check-port').length, 0);
  assert.equal(codes(be('    server s1 10.0.0.1\n'), 'haproxy/missing-check-port').length, 0);
  assert.equal(codes(be('    option tcp-check\n    tcp-check connect port 6443\n    server s1 10.0.0.1 check\n'), 'haproxy/missing-check-port').length, 0);
});

test('mode-mismatch: HTTP directives in TCP proxies, inherited mode counts', () => {
  const tcp = BASE.replace('mode http', 'mode tcp');
  const d = codes(`${tcp}frontend www\n    bind :80\n    option forwardfor\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`, 'haproxy/mode-mismatch');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /inherited/);
  assert.equal(codes(`${BASE}frontend www\n    bind :80\n    option forwardfor\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`, 'haproxy/mode-mismatch').length, 0);
  assert.equal(codes(`${tcp}backend app\n    option httpchk GET /health\n    server s1 10.0.0.1:80 check\n`, 'haproxy/mode-mismatch').length, 0);
});

test('missing-timeout: none anywhere vs. set in the defaults, named defaults via from', () => {
  const none = 'frontend www\n    bind :80\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n';
  assert.equal(codes(none, 'haproxy/missing-timeout').length, 2);
  assert.equal(codes(BASE + none, 'haproxy/missing-timeout').length, 0);
  const named = `${BASE.replace('defaults', 'defaults base')}defaults other\n    mode http\nfrontend www from base\n    bind :80\n    default_backend app\nbackend app from base\n    server s1 10.0.0.1:80\n`;
  assert.equal(codes(named, 'haproxy/missing-timeout').length, 0);
  // Without `from`, the last defaults (without timeouts) applies.
  assert.equal(codes(named.replace(/ from base/g, ''), 'haproxy/missing-timeout').length, 2);
});

test('missing-timeout and mode: a defaults `from` another defaults inherits its timeouts and mode (issue 15)', () => {
  // haproxy -c 2.6 accepts this without a missing-timeouts warning: `web` copies base's timeouts.
  const chain = `${BASE.replace('defaults', 'defaults base')}defaults web from base\n    option httplog\nfrontend www from web\n    bind :80\n    http-request deny if { path /x }\n    default_backend app\nbackend app from web\n    server s1 10.0.0.1:80\n`;
  assert.deepEqual(codes(chain, 'haproxy/missing-timeout'), []);
  assert.deepEqual(codes(chain, 'haproxy/mode-mismatch'), []);
  // A tcp mode two links up reaches the frontend too (haproxy -c warns about the http-request rules).
  const tcpChain = chain.replace('mode http', 'mode tcp').replace('    option httplog\n', '');
  const d = codes(tcpChain, 'haproxy/mode-mismatch');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /inherited from the defaults section on line 2/);
  // A defaults section without `from` starts afresh: it does not take the previous one's timeouts.
  const fresh = `${BASE.replace('defaults', 'defaults base')}defaults\n    mode http\nfrontend www\n    bind :80\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`;
  assert.equal(codes(fresh, 'haproxy/missing-timeout').length, 2);
});

test('mode-mismatch: a tcp frontend upgraded by `tcp-request content switch-mode http` runs HTTP rules (issue 15)', () => {
  const tcp = BASE.replace('mode http', 'mode tcp');
  const fe = (extra: string) =>
    `${tcp}frontend www\n    bind :80\n    tcp-request inspect-delay 5s\n${extra}    http-request deny if { path /x }\n    http-response set-header X-A b\n    option forwardfor\n    acl p path_beg /x\n    default_backend app\nbackend app\n    mode http\n    server s1 10.0.0.1:80\n`;
  assert.deepEqual(codes(fe('    tcp-request content switch-mode http\n'), 'haproxy/mode-mismatch'), []);
  // Without the upgrade every HTTP-only line is reported, as haproxy -c warns.
  assert.equal(codes(fe(''), 'haproxy/mode-mismatch').length, 4);
  // `option httplog` is checked against the configured mode while parsing: haproxy -c still warns.
  const httplog = codes(fe('    tcp-request content switch-mode http\n    option httplog\n'), 'haproxy/mode-mismatch');
  assert.equal(httplog.length, 1);
  assert.match(httplog[0].message, /option httplog/);
});

test('mode-mismatch: from 3.0 a tcp frontend reaching a mode http backend is upgraded to HTTP (issue 15)', () => {
  const tcp = BASE.replace('mode http', 'mode tcp');
  const cfg = (beMode: string) =>
    `${tcp}frontend www\n    bind :80\n    http-request deny if { path /x }\n    use_backend web if { src 10.0.0.0/8 }\n    default_backend other\nbackend web\n    mode ${beMode}\n    server s1 10.0.0.1:80\nbackend other\n    server s1 10.0.0.2:80\n`;
  // haproxy -c 3.0 and 3.2 are silent here; 2.6 warns that the http-request rules are ignored.
  assert.deepEqual(codes(cfg('http'), 'haproxy/mode-mismatch', '3.0'), []);
  assert.deepEqual(codes(cfg('http'), 'haproxy/mode-mismatch', '3.2'), []);
  assert.equal(codes(cfg('http'), 'haproxy/mode-mismatch', '2.6').length, 1);
  // Every backend in mode tcp: no upgrade, and all three versions warn.
  assert.equal(codes(cfg('tcp'), 'haproxy/mode-mismatch', '3.2').length, 1);
});

test('duplicate-cookie: same value twice, with related; distinct values are fine', () => {
  const d = codes(be('    cookie SRV insert\n    server a 10.0.0.1:80 cookie s1\n    server b 10.0.0.2:80 cookie s1\n'), 'haproxy/duplicate-cookie');
  assert.equal(d.length, 1);
  assert.equal(d[0].related?.[0].range.start.line, 10);
  assert.equal(codes(be('    cookie SRV insert\n    server a 10.0.0.1:80 cookie s1\n    server b 10.0.0.2:80 cookie s2\n'), 'haproxy/duplicate-cookie').length, 0);
});

test('weak-credentials: default stats auth, insecure-password; strong hash is fine', () => {
  const stats = (auth: string) => `${BASE}listen stats\n    bind :8404\n    stats enable\n    stats auth ${auth}\n`;
  assert.equal(codes(stats('admin:admin'), 'haproxy/weak-credentials').length, 1);
  assert.equal(codes(stats('admin:password'), 'haproxy/weak-credentials').length, 1);
  assert.equal(codes(stats('ops:Vq8#xL2m-long-random'), 'haproxy/weak-credentials').length, 0);
  assert.equal(codes('userlist u\n    user bob insecure-password s3cr3t-long\n', 'haproxy/weak-credentials').length, 1);
  assert.equal(codes('userlist u\n    user bob password $6$salt$hash\n', 'haproxy/weak-credentials').length, 0);
});

test('admin-socket-exposed: admin level on all interfaces; loopback and unix sockets are fine', () => {
  const g = (s: string) => codes(`global\n    stats socket ${s}\n`, 'haproxy/admin-socket-exposed');
  assert.equal(g('*:1999 level admin').length, 1);
  assert.equal(g('ipv4@0.0.0.0:9999 level admin').length, 1);
  assert.equal(g('ipv4@127.0.0.1:9999 level admin').length, 0);
  assert.equal(g('/run/haproxy/admin.sock mode 660 level admin').length, 0);
  assert.equal(g('*:1999 level operator').length, 0);
});

test('missing-final-newline: reported with a fix that appends the newline', () => {
  const d = codes('global\n    daemon', 'haproxy/missing-final-newline');
  assert.equal(d.length, 1);
  assert.deepEqual(d[0].fixes?.[0].edits[0], { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, newText: '\n' });
  assert.equal(codes('global\n    daemon\n', 'haproxy/missing-final-newline').length, 0);
});

test('.if blocks: inactive branches are not validated, undecidable ones give no keyword errors', () => {
  const t = `${BASE}.if version_before(2.1)\nfrontend www\n    reqadd X:\\ y\n.endif\n.if feature(QUIC)\nfrontend q\n    bind quic4@:443\n    nosuchkeyword\n.endif\n`;
  assert.deepEqual(
    check(t).filter((d) => d.severity === 'error'),
    [],
  );
  const active = `${BASE}.if version_atleast(2.1)\nfrontend www\n    bind :80\n    reqadd X:\\ y\n.endif\n`;
  assert.equal(codes(active, 'haproxy/removed-keyword').length, 1);
});

test('facts for the cluster layer: binds and servers', () => {
  const doc = haproxyModule.parse('/t/haproxy.cfg', be('    server s1 10.0.0.1:30080 check port 31000\n'), new NodeSourceHost());
  const f = haproxyModule.facts!(doc).haproxy!;
  assert.deepEqual(
    f.binds.map((b) => [b.proxy, b.host, b.port]),
    [['www', '', 80]],
  );
  assert.deepEqual(
    f.backends[0].servers.map((s) => [s.name, s.host, s.port, s.checkPort]),
    [['s1', '10.0.0.1', 30080, 31000]],
  );
  const fp = (t: string) => haproxyModule.facts!(haproxyModule.parse('/t/haproxy.cfg', t, new NodeSourceHost())).haproxy!.fingerprint;
  const same = be('    server s1 10.0.0.1:30080 check port 31000\n');
  assert.equal(f.fingerprint, fp(same));
  assert.equal(fp(same), fp(`# comment\n${same.replace(/^( +)/gm, '\t').replace(/ check/, '   check')}\n\n`));
  assert.notEqual(fp(same), fp(be('    server s1 10.0.0.1:30081 check port 31000\n')));
  assert.notEqual(fp(same), fp(be('    server s1 10.0.0.1:30080 check\n    port 31000\n')));
});

test('unknown-keyword: http-check/tcp-check set-var(name) and unset-var(name) are known keywords', () => {
  const body =
    '    option httpchk\n    http-check set-var(check.x) str(a)\n    http-check unset-var(check.x)\n' +
    '    tcp-check set-var(check.y) int(1)\n    tcp-check unset-var(check.y)\n    server s1 10.0.0.1:80 check\n';
  assert.deepEqual(codes(be(body), 'haproxy/unknown-keyword'), []);
  // The parenthesised form is only for keywords that take it: a typo stays unknown.
  assert.equal(codes(be('    http-check sett-var(check.x) str(a)\n    server s1 10.0.0.1:80\n'), 'haproxy/unknown-keyword').length, 1);
});

test('duplicate-name: a frontend and a backend of the same name: silent before 3.1, warning in 3.1/3.2, error from 3.3', () => {
  const text = be('    server s1 10.0.0.1:80\n') + 'frontend app\n    bind :81\n    default_backend www\nbackend www\n    server s2 10.0.0.2:80\n';
  assert.deepEqual(codes(text, 'haproxy/duplicate-name', '3.0'), []);
  const warn = codes(text, 'haproxy/duplicate-name', '3.2');
  assert.deepEqual(
    warn.map((d) => d.severity),
    ['warning', 'warning'],
  );
  assert.match(warn[0].message, /HAProxy 3\.2 warns and 3\.3 refuses it/);
  const err = codes(text, 'haproxy/duplicate-name', '3.4');
  assert.deepEqual(
    err.map((d) => d.severity),
    ['error', 'error'],
  );
  assert.equal(err[0].related?.length, 1);
});

test('invalid-argument: a bare `balance` is roundrobin, not a missing argument', () => {
  assert.deepEqual(codes(be('    balance\n    server s1 10.0.0.1:80\n'), 'haproxy/invalid-argument'), []);
  assert.equal(codes(be('    balance roundrobinn\n    server s1 10.0.0.1:80\n'), 'haproxy/invalid-argument').length, 1);
});

test('undefined-reference: only userlist arguments are userlists (http_auth_bearer takes a header name)', () => {
  const fe = (line: string) => `${BASE}frontend www\n    bind :80\n${line}\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`;
  assert.deepEqual(codes(fe('    http-request deny unless { http_auth_bearer(Authorization) -m found }'), 'haproxy/undefined-reference'), []);
  assert.deepEqual(codes(fe('    http-request set-var(txn.t) http_auth_bearer(X-Token)'), 'haproxy/undefined-reference'), []);
  assert.equal(codes(fe('    http-request auth unless { http_auth_group(admins) ops }'), 'haproxy/undefined-reference').length, 1);
});

test('http-check / tcp-check set-var(…) and unset-var(…) are known keywords (haproxy -c 2.6/3.0/3.2 accept them)', () => {
  // From upstream reg-tests/checks/http-check.vtc: the variable name is part of the word, in parentheses.
  const http = be('    option httpchk\n    http-check set-var(check.path) str(/status)\n    http-check unset-var(check.path)\n    server s1 10.0.0.1:80 check\n');
  assert.deepEqual(
    codes(http, 'haproxy/unknown-keyword').map((d) => d.message),
    [],
  );
  const tcp = be('    mode tcp\n    option tcp-check\n    tcp-check set-var(check.port) int(80)\n    tcp-check unset-var(check.port)\n    server s1 10.0.0.1:80 check\n');
  assert.deepEqual(
    codes(tcp, 'haproxy/unknown-keyword').map((d) => d.message),
    [],
  );
  // A misspelt action is still unknown.
  assert.equal(codes(be('    option httpchk\n    http-check sett-var(check.x) str(a)\n    server s1 10.0.0.1:80 check\n'), 'haproxy/unknown-keyword').length, 1);
});

test('reverse HTTP addresses (rhttp@) have no host or port to check (haproxy -c 3.0/3.2 accept them)', () => {
  // From upstream reg-tests/connection/reverse_connect_full.vtc.
  const text = `${BASE}frontend www\n    bind "rhttp@app/s1"\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\nbackend rev\n    server dev rhttp@\n`;
  assert.deepEqual(
    codes(text, 'haproxy/invalid-argument', '3.0').map((d) => d.message),
    [],
  );
});

test('rule-in-anonymous-defaults: haproxy -c 2.6/3.0/3.2 refuse rules in a defaults section without a name', () => {
  const fe = 'frontend www\n    bind :80\n    default_backend app\nbackend app\n    server a 127.0.0.1:80\n';
  for (const rule of [
    'http-request deny',
    'http-response del-header X',
    'http-after-response set-header X 1',
    'tcp-request connection reject',
    'tcp-request content reject',
    'tcp-response content close',
    'acl is_admin path_beg /admin',
  ]) {
    for (const version of ['2.6', '3.0', '3.2']) {
      const found = codes(`${BASE}    ${rule}\n${fe}`, 'haproxy/rule-in-anonymous-defaults', version);
      assert.equal(found.length, 1, `${rule} @${version}`);
      assert.equal(found[0].severity, 'error');
      assert.equal(found[0].range.start.line, 5);
    }
  }
  // A named defaults section takes the rules (its users are checked elsewhere); other keywords stay fine.
  assert.equal(codes(`defaults web\n    mode http\n    http-request deny\n${fe}`, 'haproxy/rule-in-anonymous-defaults').length, 0);
  assert.equal(codes(`${BASE}    option httplog\n${fe}`, 'haproxy/rule-in-anonymous-defaults').length, 0);
});

test('httpchk-arguments: the forms haproxy -c 2.6/3.0/3.2 accept and refuse', () => {
  const chk = (args: string, version: string) => codes(be(`    option httpchk${args}\n    server a 127.0.0.1:80 check\n`), 'haproxy/httpchk-arguments', version);
  for (const version of ['2.6', '3.0', '3.2']) {
    for (const ok of ['', ' /health', ' GET /health', ' GET /health HTTP/1.1', ' FOO /health', ' get /h']) {
      assert.deepEqual(chk(ok, version), [], `option httpchk${ok} @${version}`);
    }
    const five = chk(' GET /health HTTP/1.1 a b', version);
    assert.equal(five.length, 1, `five words @${version}`);
    assert.equal(five[0].severity, 'error');
  }
  // A fourth word: refused by 2.6 and 3.0 ("cannot handle unexpected argument"), accepted by 3.2.
  const four = chk(' GET /health HTTP/1.1 extra', '3.0');
  assert.equal(four.length, 1);
  assert.equal(four[0].range.start.character, '    option httpchk GET /health HTTP/1.1 '.length);
  assert.equal(chk(' GET /health HTTP/1.1 extra', '2.6').length, 1);
  assert.deepEqual(chk(' GET /health HTTP/1.1 extra', '3.2'), []);
  // Headers hidden after the version: 2.6 warns (deprecated), 3.0 and 3.2 refuse.
  const hidden = ' GET /health HTTP/1.1\\r\\nHost:\\ www';
  assert.deepEqual(
    chk(hidden, '2.6').map((d) => d.severity),
    ['warning'],
  );
  assert.deepEqual(
    chk(hidden, '3.0').map((d) => d.severity),
    ['error'],
  );
  assert.deepEqual(
    chk(hidden, '3.2').map((d) => d.severity),
    ['error'],
  );
  // A variable may expand to several words: left to haproxy -c.
  assert.deepEqual(chk(' GET /health HTTP/1.1 "${EXTRA}" b', '3.0'), []);
});

test('defaults-rules-inheritance: who may inherit a named defaults with rules (haproxy -c 2.6/3.0/3.2)', () => {
  const T = '    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n';
  const code = 'haproxy/defaults-rules-inheritance';
  const lines = (text: string, version = '2.6') => codes(text, code, version).map((d) => d.range.start.line);
  for (const version of ['2.6', '3.0', '3.2']) {
    // A frontend and a backend on the same defaults with rules: reported on the second one.
    assert.deepEqual(lines(`defaults d\n${T}    http-request deny\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server a 127.0.0.1:80\n`, version), [9]);
    // A defaults section `from` one with rules.
    assert.deepEqual(lines(`defaults d\n${T}    http-request deny\ndefaults e from d\n    mode http\n`, version), [6]);
    // A listen inheriting rules.
    assert.deepEqual(lines(`defaults d\n${T}    http-request deny\nlisten l from d\n    bind :80\n    server a 127.0.0.1:80\n`, version), [6]);
    // tcp-response into a frontend, tcp-request connection into a backend.
    assert.deepEqual(lines(`defaults d\n${T}    tcp-response content close\nfrontend f from d\n    bind :80\n`, version), [6]);
    assert.deepEqual(lines(`defaults d\n${T}    tcp-request connection reject\nbackend b from d\n    server a 127.0.0.1:80\n`, version), [6]);
  }
  // Accepted: frontends only on the rules, backends on another defaults; http-check is not a rule.
  assert.deepEqual(
    lines(
      `defaults d\n${T}    http-request deny\nfrontend f1 from d\n    bind :80\n    default_backend b\nfrontend f2 from d\n    bind :81\n    default_backend b\ndefaults e\n${T}backend b from e\n    server a 127.0.0.1:80\n`,
    ),
    [],
  );
  assert.deepEqual(lines(`defaults d\n${T}    acl is_admin path_beg /admin\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server a 127.0.0.1:80\n`), []);
  assert.deepEqual(lines(`defaults d\n${T}    http-check send meth GET\nfrontend f\n    bind :80\n    default_backend b\nbackend b\n    server a 127.0.0.1:80\n`), []);
});
