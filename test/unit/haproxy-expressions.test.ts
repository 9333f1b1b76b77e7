import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpression, formatExpressions, splitExpression } from '../../server/src/haproxy/expressions';
import { fetchData, lookupConverter, lookupFetch, rangeStatus } from '../../server/src/haproxy/fetchData';
import { haproxyModule } from '../../server/src/haproxy';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';

const CODES = new Set(['haproxy/unknown-fetch', 'haproxy/unknown-converter', 'haproxy/fetch-arguments']);
const BASE = 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n';

function exprFindings(body: string, version = '2.6'): Diagnostic[] {
  const text = `${BASE}frontend www\n    bind :80\n${body}    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`;
  const doc = haproxyModule.parse('/t/haproxy.cfg', text, new NodeSourceHost());
  return haproxyModule.check(doc, defaultCheckOptions({ haproxyVersion: version })).filter((d) => CODES.has(d.code));
}
const codesOf = (text: string, version = '2.6', acl = false) => checkExpression(text, version, { acl }).map((f) => f.code);

test('data: per-version counts match the real binaries (2.6, 3.0, 3.2) and grow through 3.4', () => {
  const c = fetchData().counts;
  assert.deepEqual(fetchData().versions, ['2.6', '2.8', '3.0', '3.2', '3.3', '3.4', '3.5']);
  // The binaries register 453/523/541 fetches and 135/158/171 converters; the manual adds a few a Debian build leaves out.
  assert.ok(c['2.6'].fetches >= 453 && c['2.6'].converters >= 135, JSON.stringify(c['2.6']));
  assert.ok(c['3.2'].fetches >= 541 && c['3.2'].converters >= 171, JSON.stringify(c['3.2']));
  assert.ok(c['3.4'].fetches > c['3.2'].fetches && c['3.4'].converters > c['3.2'].converters);
  assert.deepEqual(lookupFetch('http_auth')?.args, [{ kind: 'userlist' }]);
  assert.equal(lookupFetch('req.hdr')?.args[0].kind, 'string', 'a header name is a string, never a userlist');
  assert.equal(lookupConverter('add')?.output, 'sint');
  assert.equal(rangeStatus(lookupFetch('req.bytes_in')!, '3.2'), 'not-yet');
  assert.equal(rangeStatus(lookupFetch('req.bytes_in')!, '3.4'), 'ok');
});

test('splitExpression: fetch, arguments with quotes and commas, converters', () => {
  const calls = splitExpression('req.hdr(host,1),regsub("a,b",c),lower')!;
  assert.deepEqual(
    calls.map((c) => [c.name, c.args]),
    [
      ['req.hdr', ['host', '1']],
      ['regsub', ['"a,b"', 'c']],
      ['lower', undefined],
    ],
  );
  assert.deepEqual(splitExpression('src()')![0].args, []);
  assert.equal(splitExpression('req.hdr('), undefined);
});

test('formatExpressions: %[…], %{+Q}[…], %% escapes, brackets inside arguments', () => {
  assert.deepEqual(formatExpressions('%ci:%cp %[src] %{+Q}[var(txn.x)] %%[no]'), [
    { text: 'src', offset: 10 },
    { text: 'var(txn.x)', offset: 21 },
  ]);
  assert.deepEqual(
    formatExpressions('%[req.hdr(x),regsub([a-z],X)]').map((f) => f.text),
    ['req.hdr(x),regsub([a-z],X)'],
  );
});

test('checkExpression: known names, var(), Lua and device-detection names stay silent', () => {
  for (const e of [
    'src',
    'req.hdr(host),lower',
    'var(txn.x)',
    'var(txn.x,def)',
    'ssl_fc',
    'hdr(host)',
    'str(a),map_str(/etc/m),lower',
    'lua.myfetch',
    'src,lua.myconv',
    'wurfl-get-all',
    'int(1),add(txn.y)',
    'sc_get_gpc0(0)',
    'avg_queue',
    'table_cnt',
    'env(HOME)',
    'req.hdr()',
  ]) {
    assert.deepEqual(codesOf(e), [], e);
  }
});

test('checkExpression: unknown fetch and converter, with did-you-mean and the converter-as-fetch hint', () => {
  const f = checkExpression('totally_bogus_fetch', '2.6');
  assert.equal(f[0].code, 'haproxy/unknown-fetch');
  assert.deepEqual([f[0].start, f[0].end], [0, 19]);
  assert.match(checkExpression('req.hdrr(host)', '2.6')[0].message, /did you mean 'req.hdr'/);
  assert.match(checkExpression('lower', '2.6')[0].message, /is a converter/);
  const c = checkExpression('req.hdr(host),lowercase', '2.6');
  assert.equal(c[0].code, 'haproxy/unknown-converter');
  assert.deepEqual([c[0].start, c[0].end], [14, 23]);
  assert.deepEqual(codesOf('(arg)'), ['haproxy/unknown-fetch']);
  assert.deepEqual(codesOf('req.hdr('), ['haproxy/fetch-arguments']);
});

test('checkExpression: ACL keywords (hdr_beg, path_end) only as ACL criteria; predefined ACLs are not fetches', () => {
  assert.deepEqual(codesOf('hdr_beg(host)', '2.6', true), []);
  assert.deepEqual(codesOf('path_end', '2.6', true), []);
  assert.deepEqual(codesOf('hdr_beg(host)', '2.6', false), ['haproxy/unknown-fetch']);
});

test('checkExpression: arity and integer arguments as HAProxy judges them', () => {
  assert.deepEqual(codesOf('always_true(arg)'), ['haproxy/fetch-arguments']);
  assert.deepEqual(codesOf('req.hdr(a,1,2)'), ['haproxy/fetch-arguments']);
  assert.deepEqual(codesOf('req.hdr(a,a)'), ['haproxy/fetch-arguments']);
  assert.deepEqual(codesOf('payload_lv'), ['haproxy/fetch-arguments']);
  assert.deepEqual(codesOf('http_auth'), ['haproxy/fetch-arguments']);
  assert.deepEqual(codesOf('str(a),lower(1)'), ['haproxy/fetch-arguments']);
  // Strings and proxy names may be empty or implicit: HAProxy accepts these.
  assert.deepEqual(codesOf('str(a),add'), []);
  assert.deepEqual(codesOf('be_conn'), []);
});

test('checkExpression: version ranges (new in 3.3, removed in 3.2)', () => {
  assert.match(checkExpression('req.bytes_in', '3.2')[0].message, /does not exist in HAProxy 3\.2 \(the target version\); it is there in 3\.3/);
  assert.deepEqual(codesOf('req.bytes_in', '3.4'), []);
  assert.match(checkExpression('bc_setting_streams_limit', '3.2')[0].message, /is gone in HAProxy 3\.2 \(the target version\); 3\.0 still has it/);
  assert.deepEqual(codesOf('bc_setting_streams_limit', '3.0'), []);
  // Below the oldest covered version nothing is called too new.
  assert.deepEqual(codesOf('req.bytes_in', '2.4'), []);
});

test('rule: %[…] in header values and log-format, with the exact range', () => {
  const d = exprFindings('    http-request set-header X-Id %[totally_bogus_fetch]\n');
  assert.equal(d.length, 1);
  assert.equal(d[0].code, 'haproxy/unknown-fetch');
  assert.equal(d[0].severity, 'error');
  assert.deepEqual([d[0].range.start.character, d[0].range.end.character], [35, 54]);
  assert.equal(exprFindings('    log-format "%ci %[src,bogus_conv]"\n')[0]?.code, 'haproxy/unknown-converter');
  assert.deepEqual(exprFindings('    log-format "%ci %[src] %{+Q}[var(txn.a)]"\n'), []);
});

test('rule: ACL criteria, anonymous ACLs, action expressions; patterns and named ACLs are not expressions', () => {
  assert.equal(exprFindings('    acl a bogus(x) -m found\n')[0]?.code, 'haproxy/unknown-fetch');
  assert.equal(exprFindings('    http-request deny if { req.hdrr(host) -m found }\n')[0]?.code, 'haproxy/unknown-fetch');
  assert.equal(exprFindings('    http-request set-var(txn.h) req.hdr(host),lowercase\n')[0]?.code, 'haproxy/unknown-converter');
  assert.equal(exprFindings('    http-request track-sc0 bogus_src\n')[0]?.code, 'haproxy/unknown-fetch');
  assert.deepEqual(
    exprFindings(
      '    acl api path_beg /api %[not_a_format]\n    acl local src 127.0.0.1\n' +
        '    http-request deny if !api METH_POST || HTTP_1.0 TRUE local\n' +
        '    http-request deny if { hdr_beg(host) -i %[x] } WAIT_END\n    http-request set-var(txn.x) str(ok),lower if TRUE\n' +
        '    http-request return status 200 content-type text/plain lf-string "%[var(txn.x)]" if { path /x }\n',
    ),
    [],
  );
});

test('rule: http-check/tcp-check set-var expressions are checked, and the keyword itself is known', () => {
  const text = `${BASE}backend app\n    option httpchk\n    http-check set-var(check.x) bogus_check_fetch\n    server s1 10.0.0.1:80 check\n`;
  const doc = haproxyModule.parse('/t/haproxy.cfg', text, new NodeSourceHost());
  const all = haproxyModule.check(doc, defaultCheckOptions({ haproxyVersion: '2.6' }));
  assert.deepEqual(
    all.filter((d) => d.code === 'haproxy/unknown-keyword'),
    [],
  );
  assert.equal(all.filter((d) => d.code === 'haproxy/unknown-fetch').length, 1);
});

test('a %[…] or an http_auth the source spells with escapes or quotes is still checked (the rules skip words by a search of the text)', () => {
  // '\x25' is '%' once HAProxy undoes the escape: the file's text holds no '%' at all.
  const escaped = exprFindings('    http-request set-header X-A "\\x25[nosuchfetch]"\n');
  assert.deepEqual(
    escaped.map((d) => d.code),
    ['haproxy/unknown-fetch'],
  );
  assert.equal(exprFindings('    http-request set-header X-A "%[nosuchfetch]"\n').length, 1);
  // Quotes join "http"_auth into http_auth(nobody): the userlist reference is still judged.
  const text = `${BASE}frontend www\n    bind :80\n    http-request deny if !{ "http"_auth(nobody) }\n    default_backend app\nbackend app\n    server s1 10.0.0.1:80\n`;
  const doc = haproxyModule.parse('/t/haproxy.cfg', text, new NodeSourceHost());
  const refs = haproxyModule.check(doc, defaultCheckOptions({ haproxyVersion: '2.6' })).filter((d) => d.code === 'haproxy/undefined-reference');
  assert.equal(refs.length, 1, JSON.stringify(refs));
  assert.match(refs[0].message, /userlist 'nobody'/);
});
