// No manifest value ever becomes shell syntax: each value is one single-quoted word, checked here by
// running the rendered command lines through a real sh (as sshd does) with hostile values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkRemotePath, checkSshWord, fillFileToken, shQuote, UnsafeValueError } from '../../server/src/deploy/quote';
import { calls, candidateName, renderCall } from '../../server/src/deploy/scripts';
import { candidateNotRead } from '../../server/src/deploy/validatorOutput';
import { SshTransport } from '../../server/src/deploy/ssh';
import { runLocal } from '../deploy/fixture';

const LOCK = { dir: '/run/haconf-deploy.lock', token: '0123456789abcdef0123456789abcdef' };
const canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-canary-'));
const canary = path.join(canaryDir, 'pwned');
process.on('exit', () => fs.rmSync(canaryDir, { recursive: true, force: true }));

const HOSTILE = [
  "it's",
  "'",
  "''",
  `'; touch ${canary}; '`,
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `a\ntouch ${canary}\n`,
  `; touch ${canary}`,
  `&& touch ${canary}`,
  `| touch ${canary}`,
  `> ${canary}`,
  '$HOME ${PATH} $0 $1 "$@"',
  '\\',
  "\\'",
  '"double" \'single\'',
  '*',
  '~root',
  '-n',
  '--',
  '',
  ' leading and trailing ',
  'tab\there',
  'ünïcödé ✓',
  '#comment',
  '!history',
  '%s %n',
];

test('shQuote: every hostile value reaches the program as exactly one argument, unchanged', async () => {
  for (const v of HOSTILE) {
    // printf prints each argument between markers: one argument in, exactly one out.
    const r = await runLocal(`printf '<%s>' ${shQuote(v)}`);
    assert.equal(r.code, 0, v);
    assert.equal(r.stdout.toString('utf8'), `<${v}>`, `value ${JSON.stringify(v)}`);
  }
  assert.equal(fs.existsSync(canary), false, 'no injected command ran');
});

test('renderCall: arguments pass through the fixed script and the nested sh -c verbatim', async () => {
  for (const v of HOSTILE) {
    // The exec script runs its first argument as a command; we quote the probe value inside it.
    const r = await runLocal(renderCall(calls.exec(`printf '<%s>' ${shQuote(v)}`)));
    assert.equal(r.stdout.toString('utf8'), `<${v}>`, `value ${JSON.stringify(v)}`);
  }
  // Owner lines of locks are arbitrary text: they are data, never code.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-lock-'));
  try {
    for (const v of HOSTILE.filter((x) => x !== '')) {
      const lock = path.join(dir, 'l');
      const r = await runLocal(renderCall(calls.lock(lock, v)));
      assert.equal(r.stdout.toString('utf8'), 'acquired\n', r.stderr);
      assert.equal(fs.readFileSync(path.join(lock, 'owner'), 'utf8'), `${v}\n`);
      fs.rmSync(lock, { recursive: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(fs.existsSync(canary), false);
});

test('NUL bytes are refused rather than silently cut', () => {
  assert.throws(() => shQuote('a\0b'), UnsafeValueError);
});

test('remote paths outside the allow-list never reach a command', () => {
  const bad = [`/etc/$(touch ${canary})`, '/etc/haproxy/`id`.cfg', "/etc/it's", '/etc/a b', 'relative/path', '/etc/../shadow', '/etc/./x', '/etc//x', '/etc/haproxy/', '/etc/x;y', '/etc/x\ny', '-rf'];
  for (const p of bad) {
    assert.throws(() => checkRemotePath(p), UnsafeValueError, p);
    assert.throws(() => calls.read(p), UnsafeValueError, p);
    assert.throws(() => calls.stage(p, '/etc/.x.haconf-new-ab', 'ab'), UnsafeValueError, p);
  }
  assert.equal(checkRemotePath('/etc/haproxy/haproxy.cfg'), '/etc/haproxy/haproxy.cfg');
});

test('only haconf candidate names can be removed; sha and stamps must be plain', () => {
  assert.throws(() => calls.remove(['/etc/haproxy/haproxy.cfg']), UnsafeValueError);
  assert.doesNotThrow(() => calls.remove([candidateName('/etc/haproxy/haproxy.cfg', 'deadbeef')]));
  assert.equal(candidateName('/etc/haproxy/haproxy.cfg', 'ab12'), '/etc/haproxy/.haproxy.cfg.haconf-new-ab12');
  assert.throws(() => calls.stage('/etc/x', '/etc/.x.haconf-new-ab', '$(id)'), UnsafeValueError);
  assert.throws(() => calls.install('/etc/x', '/etc/.x.haconf-new-ab', '20250101T000000Z-ab; id', 5, '0600', LOCK), UnsafeValueError);
  assert.throws(() => calls.install('/etc/x', '/etc/.x.haconf-new-ab', '20250101T000000Z-ab', 5, '0600; id', LOCK), UnsafeValueError);
  assert.throws(() => calls.install('/etc/x', '/etc/.x.haconf-new-ab', '20250101T000000Z-ab', 5, '0600', { dir: '/run/l', token: 'ab; id' }), UnsafeValueError);
});

test('the remove script itself refuses non-candidate paths (defence in depth)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-rm-'));
  try {
    const live = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(live, 'x');
    const r = await runLocal(renderCall({ op: 'remove', args: [live] }));
    assert.equal(r.code, 3);
    assert.match(r.stderr, /refusing to remove/);
    assert.equal(fs.existsSync(live), true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('{file} is replaced by the quoted candidate path, and only allow-listed paths are accepted', async () => {
  const cmd = fillFileToken("printf '<%s>' {file} {file}", '/etc/haproxy/.haproxy.cfg.haconf-new-ab');
  assert.equal(cmd, "printf '<%s>' '/etc/haproxy/.haproxy.cfg.haconf-new-ab' '/etc/haproxy/.haproxy.cfg.haconf-new-ab'");
  const r = await runLocal(renderCall(calls.exec(cmd)));
  assert.equal(r.stdout.toString('utf8'), '</etc/haproxy/.haproxy.cfg.haconf-new-ab></etc/haproxy/.haproxy.cfg.haconf-new-ab>');
  assert.throws(() => fillFileToken('haproxy -c -f {file}', `/tmp/$(touch ${canary})`), UnsafeValueError);
});

test('ssh host and user names cannot become ssh options', () => {
  for (const h of ['-oProxyCommand=touch /tmp/x', '-p', 'a b', 'host;id', '', 'h`id`']) assert.throws(() => checkSshWord('host', h), UnsafeValueError, h);
  for (const u of ['-l', 'root;id', 'a b', '']) assert.throws(() => checkSshWord('user', u), UnsafeValueError, u);
  assert.equal(checkSshWord('host', 'lb1.example.com'), 'lb1.example.com');
  assert.equal(checkSshWord('host', 'fe80::1%eth0'), 'fe80::1%eth0');
  const t = new SshTransport();
  try {
    assert.throws(() => t.sshArgs({ name: 'x', address: '10.0.0.1/24', ssh: { strictHostKeyChecking: 'yes', host: '-oProxyCommand=sh' } }), UnsafeValueError);
    assert.throws(() => t.sshArgs({ name: 'x', address: '10.0.0.1/24', ssh: { strictHostKeyChecking: 'yes', identityFile: '/k -oProxyCommand=x' } }), UnsafeValueError);
  } finally {
    void t.close();
  }
});

test('ssh options: batch mode, private ControlPath, strict host keys unless the manifest says accept-new', async () => {
  const t = new SshTransport({ baseDir: '/work/cluster' });
  try {
    const a = t.sshArgs({ name: 'lb1', address: '10.0.0.11/24', ssh: { strictHostKeyChecking: 'yes', user: 'root', port: 2222, identityFile: 'keys/id', knownHostsFile: '~/.ssh/kh' } });
    const opt = (k: string): string | undefined => a.find((x, i) => a[i - 1] === '-o' && x.startsWith(`${k}=`))?.slice(k.length + 1);
    assert.equal(opt('BatchMode'), 'yes');
    assert.equal(opt('StrictHostKeyChecking'), 'yes');
    assert.equal(opt('ControlMaster'), 'auto');
    const ctl = path.dirname(opt('ControlPath')!);
    assert.equal(fs.statSync(ctl).mode & 0o777, 0o700, 'control sockets live in a private folder');
    assert.equal(opt('UserKnownHostsFile'), '~/.ssh/kh');
    assert.deepEqual(a.slice(a.indexOf('-i'), a.indexOf('-i') + 2), ['-i', '/work/cluster/keys/id']);
    assert.deepEqual(a.slice(-2), ['--', '10.0.0.11'], 'the destination comes after --, without the prefix');
    assert.ok(a.includes('-p') && a[a.indexOf('-p') + 1] === '2222');
    const b = t.sshArgs({ name: 'lb1', address: '10.0.0.11', ssh: { strictHostKeyChecking: 'accept-new', host: 'lb1-alias' } });
    assert.ok(b.includes('StrictHostKeyChecking=accept-new'));
    assert.deepEqual(b.slice(-2), ['--', 'lb1-alias']);
    assert.ok(!b.some((x) => /Password/i.test(x)));
  } finally {
    await t.close();
  }
});

test('stage: the candidate is created exclusively with mode 0600, and a short upload is removed', async () => {
  const crypto = await import('node:crypto');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-stage-'));
  try {
    const target = path.join(dir, 'haproxy.cfg');
    const body = Buffer.from('global\n    daemon\n');
    const sha = crypto.createHash('sha256').update(body).digest('hex');
    const cand = candidateName(target, 'aa11');
    const r = await runLocal(renderCall(calls.stage(target, cand, sha)), { stdin: body });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.statSync(cand).mode & 0o777, 0o600);
    assert.deepEqual(fs.readFileSync(cand), body);
    // An existing name (a leftover, or someone else's file or link) is never reused or followed.
    const again = await runLocal(renderCall(calls.stage(target, cand, sha)), { stdin: Buffer.from('other') });
    assert.equal(again.code, 3);
    assert.deepEqual(fs.readFileSync(cand), body, 'existing file untouched');
    const link = candidateName(target, 'bb22');
    fs.symlinkSync(path.join(dir, 'elsewhere'), link);
    const viaLink = await runLocal(renderCall(calls.stage(target, link, sha)), { stdin: body });
    assert.equal(viaLink.code, 3);
    assert.equal(fs.existsSync(path.join(dir, 'elsewhere')), false, 'the link was not followed');
    // Fewer bytes than announced (a cut connection): the candidate is removed by the host itself.
    const short = candidateName(target, 'cc33');
    const cut = await runLocal(renderCall(calls.stage(target, short, sha)), { stdin: body.subarray(0, 5) });
    assert.equal(cut.code, 4);
    assert.match(cut.stderr, /incomplete/);
    assert.equal(fs.existsSync(short), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('{file}, "{file}" and \'{file}\' all give the tool exactly the candidate path, whatever quotes surround it', async () => {
  const cand = '/etc/keepalived/.keepalived.conf.haconf-new-ab';
  const forms: [string, string][] = [
    ["printf '<%s>' {file}", `<${cand}>`],
    ['printf \'<%s>\' "{file}"', `<${cand}>`],
    ["printf '<%s>' '{file}'", `<${cand}>`],
    ['printf \'<%s>\' --config="{file}"', `<--config=${cand}>`],
    ['printf \'<%s>\' "x {file} y"', `<x ${cand} y>`],
    ["printf '<%s>' 'a'\"b\"{file}", `<ab${cand}>`],
    ["printf '<%s>' \"it's\" {file}", `<it's><${cand}>`],
    ["printf '<%s>' \\\" {file}", `<"><${cand}>`],
    ['printf \'<%s>\' "\\"" {file}', `<"><${cand}>`],
  ];
  for (const [template, want] of forms) {
    const r = await runLocal(renderCall(calls.exec(fillFileToken(template, cand))));
    assert.equal(r.stdout.toString('utf8'), want, template);
  }
  // Outside quotes the path is still single-quoted (defence in depth beyond the allow-list).
  assert.equal(fillFileToken('haproxy -c -f {file}', cand), `haproxy -c -f '${cand}'`);
});

test('the real keepalived -t rejects a bad file passed as "{file}" or \'{file}\' (it used to say "Config files missing" and exit 0)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-katest-'));
  try {
    const cand = path.join(dir, '.keepalived.conf.haconf-new-ab');
    fs.writeFileSync(cand, 'vrrp_instance X {\n    interface eth0\n    virtual_router_id 300\n    priority 100\n}\n');
    for (const template of ['keepalived -t -f {file}', 'keepalived -t -f "{file}"', "keepalived -t -f '{file}'"]) {
      const r = await runLocal(renderCall(calls.exec(fillFileToken(template, cand))));
      assert.notEqual(r.code, 0, `${template}: keepalived accepted a bad file (${r.stderr})`);
      assert.doesNotMatch(r.stderr + r.stdout.toString(), /Config files missing/, template);
      assert.match(r.stderr + r.stdout.toString(), /300/, `${template}: keepalived read the file and named the bad value`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a validator that exits 0 without reading the candidate is recognised (keepalived "Config files missing")', async () => {
  const cand = '/tmp/.keepalived.conf.haconf-new-ab';
  // The real keepalived, given a path that does not exist, exits 0.
  const real = await runLocal(`keepalived -t -f ${shQuote(`${cand}-does-not-exist`)}`);
  assert.equal(real.code, 0, 'keepalived -t on a missing file still exits 0 (else this test proves nothing)');
  assert.ok(candidateNotRead(real.stderr + real.stdout.toString(), `${cand}-does-not-exist`), real.stderr);
  assert.ok(candidateNotRead(`Config files missing ''${cand}''.`, cand));
  assert.ok(candidateNotRead(`check.sh: ${cand}: No such file or directory`, cand));
  // A tool that read the file and mentions a position in it did read it; warnings are not failures.
  assert.equal(candidateNotRead(`[WARNING] (1) : config : parsing [${cand}:12] : 'errorfile' file not found, ignored`, cand), undefined);
  assert.equal(candidateNotRead(`(${cand}: Line 3) WARNING - interface eth9 for vrrp instance VI_1 doesn't exist`, cand), undefined);
  assert.equal(candidateNotRead('Configuration file is valid', cand), undefined);
  assert.equal(candidateNotRead('', cand), undefined);
});
