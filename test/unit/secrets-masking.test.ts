// One masking function (server/src/core/secrets.ts) for every output: finding messages in text, JSON and
// SARIF (and the editor, through the same applyPolicy), deploy diffs, progress events, results and the
// audit log. Quoted, escaped and multi-word secrets in all three languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSecrets, maskLine, maskSecrets, Redactor } from '../../server/src/core/secrets';
import { deploy } from '../../server/src/deploy/deploy';
import { runCli } from '../helpers/cli';
import { collect, LocalShellTransport, makeWorkspace } from '../deploy/fixture';

const FIXTURE = path.resolve('test/fixtures/secrets');

/** Every secret (and every piece of one a message could quote) in test/fixtures/secrets. */
const SECRETS = [
  'Sup3rSecret Two',
  'Sup3rSec',
  'Other\\ Pw9x',
  'Pw9x', // keepalived auth_pass: quoted multi-word, escaped, first 8
  'HorseStaple',
  'Hashy Hash',
  'Correct Horse Battery',
  'Esc\\ aped',
  'aped\\ Pw',
  'Escaped Pw', // HAProxy userlist, stats auth
  'QmFzaWNTZWNyZXQ',
  'SGRyU2VjcmV0',
  'RedisPw77', // Authorization headers, tcp-check send
  'CorosyncKey99', // corosync key:
];

test('maskLine: quoted, escaped and multi-word values are masked whole, in all three languages', () => {
  const cases: [string, string][] = [
    // keepalived
    ['        auth_pass S3cr3tPW', '        auth_pass ********'],
    ['    auth_pass "two words" # c', '    auth_pass ******** # c'],
    ['    auth_pass a\\ b', '    auth_pass ********'],
    // HAProxy
    ['    stats auth admin:hunter22', '    stats auth admin:********'],
    ['    stats auth "admin:Correct Horse Battery"', '    stats auth admin:********'],
    ["    stats auth 'admin:a b'", '    stats auth admin:********'],
    ['    stats auth admin:Esc\\ aped\\ Pw', '    stats auth admin:********'],
    ['    user bob insecure-password letmein groups g', '    user bob insecure-password ******** groups g'],
    ["    user bob insecure-password 'a b c' groups g", '    user bob insecure-password ******** groups g'],
    ['    user bob insecure-password a\\ b\\ c groups g', '    user bob insecure-password ******** groups g'],
    ['    user bob password $6$salt$hash', '    user bob password ********'],
    ['    http-check send hdr Authorization "Basic SGRyU2VjcmV0" hdr X-Other y', '    http-check send hdr Authorization ******** hdr X-Other y'],
    ['    http-request set-header Authorization Basic\\ dXNlcjpwdw==', '    http-request set-header Authorization ********'],
    ['    option httpchk GET / HTTP/1.1\\r\\nHost:\\ x\\r\\nAuthorization:\\ Basic\\ QmFzaWM=', '    option httpchk GET / HTTP/1.1\\r\\nHost:\\ x\\r\\nAuthorization:\\ ********'],
    ['    option httpchk "GET / HTTP/1.1\\r\\nAuthorization: Basic QmFzaWM=\\r\\nX: y"', '    option httpchk "GET / HTTP/1.1\\r\\nAuthorization: ********\\r\\nX: y"'],
    ['    tcp-check send "AUTH RedisPw77\\r\\n"', '    tcp-check send ********'],
    ['    tcp-check send AUTH\\ RedisPw77\\r\\n comment auth', '    tcp-check send ******** comment auth'],
    ['    tcp-check send-binary 0a0b0c', '    tcp-check send-binary ********'],
    // corosync, also as a diff line
    ['    key: CorosyncKey99 with spaces', '    key: ********'],
    ['+    key: abc', '+    key: ********'],
    // not secrets
    ['    timeout client 30s', '    timeout client 30s'],
    ['    keyfile: /etc/corosync/authkey', '    keyfile: /etc/corosync/authkey'],
  ];
  for (const [line, want] of cases) assert.equal(maskLine(line), want, line);
  assert.equal(maskSecrets('a\n  auth_pass x y\nb'), 'a\n  auth_pass ******** y\nb');
  assert.deepEqual(findSecrets('auth_pass abc\nstats auth u:p4ss\n'), ['abc', 'p4ss']);
  assert.ok(findSecrets('  auth_pass "Sup3rSecret Two"').includes('Sup3rSec'), 'the first 8 characters keepalived uses are a secret too');
  assert.ok(findSecrets('stats auth "admin:Correct Horse Battery"').includes('Correct Horse Battery'));
});

test('Redactor scrubs known secret values from free text such as tool output', () => {
  const r = new Redactor();
  r.addText('vrrp_instance X {\n authentication {\n  auth_pass "Zebra 123"\n }\n}\n');
  assert.equal(r.scrub("parsing [/etc/keepalived/keepalived.conf:4]: unknown word 'Zebra 123'"), "parsing [/etc/keepalived/keepalived.conf:4]: unknown word '********'");
  assert.equal(r.scrubValues('auth_pass is 9 characters'), 'auth_pass is 9 characters', 'prose stays readable');
});

test('haconf check: no secret in text, JSON or SARIF output; auth-mismatch and auth-pass-truncated still reported', async () => {
  for (const format of ['text', 'json', 'sarif']) {
    const r = await runCli(['check', FIXTURE, '--format', format]);
    const out = r.stdout + r.stderr;
    assert.match(out, /cluster\/auth-mismatch/, format);
    assert.match(out, /keepalived\/auth-pass-truncated/, format);
    for (const s of SECRETS) assert.equal(out.includes(s), false, `${format}: ${s} leaked`);
  }
  const text = (await runCli(['check', FIXTURE])).stdout;
  assert.match(text, /node2: auth_pass \(first 8 characters\) differs from its peers' \(node1, node3\)/);
  assert.match(text, /auth_pass is 15 characters; keepalived uses only the first 8 /);
});

test('a deploy changing every kind of secret shows none of them in diffs, events, results or the audit log', async (tt) => {
  const ws = makeWorkspace({ remoteKeepalived: 'same' });
  tt.after(ws.cleanup);
  const haproxySecrets = fs
    .readFileSync(path.join(FIXTURE, 'haproxy.cfg'), 'utf8')
    .split('\n')
    .filter((l) => /auth|password|tcp-check|httpchk|http-check/.test(l) || /^(userlist|listen|backend)/.test(l));
  fs.appendFileSync(path.join(ws.dir, 'haproxy.cfg'), '\n' + haproxySecrets.join('\n').replace(/listen stats\n/, 'listen stats\n    bind :8404\n    mode http\n') + '\n');
  for (const h of ws.plan.hosts) {
    const f = path.join(ws.dir, h.name, 'keepalived.conf');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/auth_pass \S+/, 'auth_pass "Sup3rSecret Two"'));
  }
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  // lb2's validator echoes the whole candidate back, as some tools do in their errors.
  t.override = async (host, call) =>
    host.name === 'lb2' && call.op === 'exec' && call.args[0].includes('grep -q')
      ? { code: 1, stdout: Buffer.from(fs.readFileSync(path.join(ws.dir, 'haproxy.cfg'))), stderr: fs.readFileSync(path.join(ws.dir, 'haproxy.cfg'), 'utf8'), connectionFailed: false }
      : undefined;
  const { events, onEvent } = collect();
  const dry = await deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0, onEvent, dryRun: true, force: true });
  t.override = undefined;
  const real = await deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0, onEvent, force: true });
  assert.equal(dry.outcome, 'rejected', dry.message);
  assert.equal(real.outcome, 'success', real.message);
  const diff = real.plan!.hosts.flatMap((h) => h.files.map((f) => f.diff ?? '')).join('\n');
  assert.match(diff, /^\+\s+stats auth admin:\*{8}$/m, 'the changed lines are shown, masked');
  assert.match(diff, /^\+\s+tcp-check send \*{8}$/m);
  const everything = JSON.stringify({ events, dry, real }) + fs.readFileSync(path.join(ws.dir, '.haconf/audit.jsonl'), 'utf8');
  for (const s of SECRETS.filter((x) => !/Pw9x|CorosyncKey/.test(x))) assert.equal(everything.includes(s), false, `${s} leaked`);
});
