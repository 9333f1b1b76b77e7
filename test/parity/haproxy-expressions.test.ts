// Sample-expression findings (haproxy/unknown-fetch, unknown-converter, fetch-arguments) against the real
// `haproxy -c` (Debian 12's 2.6): every line we flag, HAProxy refuses; the valid forms we know HAProxy
// accepts get no finding. Each case is one line of one file, so one run of the binary judges them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { haproxyModule } from '../../server/src/haproxy';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';
import { fetchData, rangeStatus } from '../../server/src/haproxy/fetchData';

const CODES = new Set(['haproxy/unknown-fetch', 'haproxy/unknown-converter', 'haproxy/fetch-arguments']);
const HEAD =
  'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\nuserlist users\n    user a insecure-password b\nbackend app\n    server s1 10.0.0.1:80\n';

/** Forms HAProxy 2.6 accepts (hand-checked against the binary when written; this test re-checks them). */
const VALID = [
  'http-request set-var(txn.x) src',
  'http-request set-var(txn.x) req.hdr(host),lower',
  'http-request set-var(txn.x) var(txn.y)',
  'http-request set-var(txn.x) hdr(host)',
  'http-request set-var(txn.x) avg_queue',
  'http-request set-var(txn.x) be_conn',
  'http-request set-var(txn.x) str(a),add',
  'http-request set-var(txn.x) env(HOME)',
  'http-request set-var(txn.x) src()',
  'http-request set-var(txn.x) req.hdr()',
  'http-request set-var(txn.x) str(a),lower()',
  'http-request set-var(txn.x) int(1),add(2)',
  'http-request set-var(txn.x) url_param(a),url_dec',
  'http-request set-header X %[src] if { hdr_beg(host) -i www }',
  'http-request deny if { path_end .php } METH_POST',
  'http-request deny if { http_auth(users) }',
  'acl a1 hdr_sub(user-agent) -i bot',
  'acl a2 req.hdr(x-forwarded-for,-1) -m found',
  'acl a3 sc0_get_gpc0 gt 1',
  'http-request set-header X %[req.hdr(host),regsub(^www\\.,,)]',
  'http-request set-var(txn.x) src,ipmask(24)',
];

/** Forms HAProxy 2.6 refuses, which we must flag. */
const INVALID = [
  'http-request set-var(txn.x) totally_bogus_fetch',
  'http-request set-var(txn.x) src,bogus_conv',
  'http-request set-var(txn.x) always_true(arg)',
  'http-request set-var(txn.x) req.hdr(a,1,2)',
  'http-request set-var(txn.x) req.hdr(a,a)',
  'http-request set-var(txn.x) payload_lv',
  'http-request set-var(txn.x) lower',
  'http-request set-var(txn.x) str(a),lower(1)',
  'http-request set-var(txn.x) int',
  'http-request set-var(txn.x) acl(x)',
  'http-request set-header X %[req.hdrr(host)]',
  'http-request deny if { http_auth }',
  'acl b1 bogus_fetch -m found',
  'http-request set-var(txn.x) srv_conn',
  'http-request set-var(txn.x) req.bytes_in',
  // The counter number is mandatory (`sc_http_req_rate(integer[,table])` in the binary's dump).
  'http-request set-var(txn.x) sc_http_req_rate',
];

/**
 * Whether haproxy -c refuses `line` (placed in a backend after HEAD). HAProxy stops at the first fatal
 * error of a file and resolves names (userlists, servers) only when parsing succeeded, so each case
 * gets a file of its own.
 */
function haproxyRefuses(line: string): { refused: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-expr-'));
  try {
    const file = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(file, `${HEAD}    ${line}\n`);
    const r = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8', timeout: 60000 });
    if (r.error) throw new Error(`haproxy is not runnable (${r.error.message}); install it: apt-get install haproxy`);
    const output = `${r.stdout}${r.stderr}`;
    return { refused: r.status !== 0 && /\[ALERT\]/.test(output), output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function ourLines(text: string): Map<number, string> {
  const doc = haproxyModule.parse('/t/haproxy.cfg', text, new NodeSourceHost());
  const out = new Map<number, string>();
  for (const d of haproxyModule.check(doc, defaultCheckOptions({ haproxyVersion: '2.6' }))) {
    if (CODES.has(d.code)) out.set(d.range.start.line + 1, `${d.code} ${d.message}`);
  }
  return out;
}

test('haproxy 2.6 is installed', () => {
  const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'haproxy binary missing: apt-get install haproxy');
  assert.match(r.stdout, /HAProxy version 2\.6/);
});

test('hand-picked forms: the valid ones pass both, the invalid ones fail both', () => {
  const cases = [...VALID, ...INVALID];
  const first = HEAD.split('\n').length;
  const text = HEAD + cases.map((c) => `    ${c}\n`).join('');
  const ours = ourLines(text);
  cases.forEach((c, i) => {
    const valid = i < VALID.length;
    const tool = haproxyRefuses(c);
    assert.equal(tool.refused, !valid, `haproxy ${valid ? 'refuses' : 'accepts'} '${c}':\n${tool.output}`);
    assert.equal(ours.has(first + i), !valid, `we ${valid ? 'flag' : 'miss'} '${c}': ${ours.get(first + i) ?? ''}`);
  });
});

test('every fetch and converter the 2.6 binary registers, written without arguments: whatever we flag, haproxy refuses too', () => {
  const names = fetchData();
  const lines: string[] = [];
  for (const f of names.fetches) if (rangeStatus(f, '2.6') === 'ok') lines.push(`http-request set-var(txn.x) ${f.name}`);
  for (const c of names.converters) if (rangeStatus(c, '2.6') === 'ok') lines.push(`http-request set-var(txn.x) str(1),${c.name}`);
  const first = HEAD.split('\n').length;
  const ours = ourLines(HEAD + lines.map((l) => `    ${l}\n`).join(''));
  const flagged = [...ours].map(([line, msg]) => ({ line: lines[line - first], msg }));
  const falseErrors = flagged.filter((f) => !haproxyRefuses(f.line).refused).map((f) => `${f.line}: ${f.msg}`);
  assert.deepEqual(falseErrors, []);
  assert.ok(lines.length > 550, `${lines.length} names tried`);
  assert.ok(flagged.length >= 20, `${flagged.length} flagged (the fetches that need an integer, userlist or server)`);
});
