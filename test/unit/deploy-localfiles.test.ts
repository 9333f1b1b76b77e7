// Files haconf writes on the local machine (audit log, `haconf pull` targets) stay inside the manifest's
// folder and are never written through a symbolic link: a hostile workspace must not make haconf append
// to ~/.bashrc or replace a file elsewhere. Real files, real links, the real deploy engine and CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploy } from '../../server/src/deploy/deploy';
import { runPull, type DeployCliIO } from '../../server/src/cli/deploy';
import { UsageError } from '../../server/src/cli/args';
import { parseManifest } from '../../server/src/manifest/parse';
import { appendConfined, UnsafeLocalPathError, writeAtomicConfined } from '../../server/src/core/safeWrite';
import { LocalShellTransport, makeWorkspace, type Workspace } from '../deploy/fixture';

function fake(): LocalShellTransport {
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  return t;
}

function editManifest(ws: Workspace, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(ws.manifest, 'utf8');
  const next = text.replace(typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : from, to);
  assert.notEqual(next, text, `manifest edit ${String(from)} applied`);
  fs.writeFileSync(ws.manifest, next);
}

async function pullCli(argv: string[], ws: Workspace, t: LocalShellTransport): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: DeployCliIO = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: ws.dir, transport: t, isTTY: false, signal: new AbortController().signal };
  try {
    return { code: await runPull(argv, io), stdout, stderr };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, stdout, stderr: stderr + e.message };
    throw e;
  }
}

/** A stand-in for the user's ~/.bashrc outside the workspace, and the file an injected command would create. */
function victim(tt: { after: (fn: () => void) => void }): { home: string; bashrc: string; canary: string; original: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-home-'));
  tt.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const bashrc = path.join(home, '.bashrc');
  const original = 'export PS1=ok\n';
  fs.writeFileSync(bashrc, original);
  return { home, bashrc, canary: path.join(home, 'PWNED'), original };
}

test("audit log: a link at .haconf/audit.jsonl to ~/.bashrc is refused; the user's shell runs nothing", async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const v = victim(tt);
  fs.mkdirSync(path.join(ws.dir, '.haconf'));
  fs.symlinkSync(v.bashrc, path.join(ws.dir, '.haconf/audit.jsonl'));
  editManifest(ws, 'cluster: unit', `cluster: "$(touch ${v.canary})"`);
  // A pre-flight error: the deploy is refused, which used to append its audit record anyway.
  fs.appendFileSync(path.join(ws.dir, 'haproxy.cfg'), '\nbackend be_broken\n    balance nonsense-algorithm\n');
  const t = fake();
  await assert.rejects(
    deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0 }),
    /deploy\.auditLog \.haconf\/audit\.jsonl: .*symbolic link; haconf will not append to it/,
  );
  assert.equal(fs.readFileSync(v.bashrc, 'utf8'), v.original, '~/.bashrc unchanged');
  execFileSync('sh', [v.bashrc]); // what the user's next shell does
  assert.equal(fs.existsSync(v.canary), false, 'no command from the workspace ran');
  assert.deepEqual(t.calls, [], 'no host contacted');
});

test('audit log: a linked .haconf folder is refused too, and a plain log is still written 0600', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const v = victim(tt);
  fs.symlinkSync(v.home, path.join(ws.dir, '.haconf'));
  fs.writeFileSync(path.join(v.home, 'audit.jsonl'), '');
  await assert.rejects(deploy({ manifestPath: ws.manifest, transport: fake(), lockDir: ws.lockDir, vrrpGraceMs: 0 }), /\.haconf is a symbolic link; haconf does not write through links/);
  assert.equal(fs.readFileSync(path.join(v.home, 'audit.jsonl'), 'utf8'), '');
  fs.unlinkSync(path.join(ws.dir, '.haconf'));
  const r = await deploy({ manifestPath: ws.manifest, transport: fake(), lockDir: ws.lockDir, vrrpGraceMs: 0 });
  assert.equal(r.outcome, 'success', r.message);
  const log = path.join(ws.dir, '.haconf/audit.jsonl');
  assert.equal(fs.lstatSync(log).isFile(), true);
  assert.equal(fs.statSync(log).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(ws.dir, '.haconf')).mode & 0o777, 0o700);
});

test('safeWrite: appends and replaces only regular files inside the root, never through links', (tt) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-safe-'));
  tt.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const v = victim(tt);
  fs.symlinkSync(v.bashrc, path.join(root, 'link'));
  assert.throws(() => appendConfined(root, 'link', 'x\n'), UnsafeLocalPathError);
  assert.throws(() => writeAtomicConfined(root, 'link', 'x\n'), /is a symbolic link/);
  assert.throws(() => appendConfined(root, '../outside', 'x\n'), /must be a file inside/);
  assert.throws(() => appendConfined(root, v.bashrc, 'x\n'), /must be a file inside/);
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  assert.throws(() => writeAtomicConfined(root, 'fifo', 'x'), /not a regular file/);
  assert.equal(fs.readFileSync(v.bashrc, 'utf8'), v.original);
  writeAtomicConfined(root, 'sub/dir/new.cfg', 'hello\n');
  assert.equal(fs.readFileSync(path.join(root, 'sub/dir/new.cfg'), 'utf8'), 'hello\n');
  assert.equal(fs.statSync(path.join(root, 'sub/dir/new.cfg')).mode & 0o777, 0o600);
  fs.chmodSync(path.join(root, 'sub/dir/new.cfg'), 0o640);
  writeAtomicConfined(root, 'sub/dir/new.cfg', 'again\n');
  assert.equal(fs.statSync(path.join(root, 'sub/dir/new.cfg')).mode & 0o777, 0o640, 'a replaced file keeps its mode');
  assert.deepEqual(fs.readdirSync(path.join(root, 'sub/dir')), ['new.cfg'], 'no temp file left');
});

test('pull: a source outside the manifest folder (../ or absolute) is refused with its manifest line; nothing is written', async (tt) => {
  for (const outside of ['../escape.cfg', '/tmp/haconf-pull-escape-%PID%.cfg']) {
    const ws = makeWorkspace();
    tt.after(ws.cleanup);
    const target = path.resolve(ws.dir, outside.replace('%PID%', String(process.pid)));
    tt.after(() => fs.rmSync(target, { force: true }));
    editManifest(ws, 'source: haproxy.cfg,', `source: ${outside.startsWith('..') ? outside : target},`);
    const t = fake();
    const r = await pullCli([], ws, t);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /haconf\.yaml:\d+: source .*escape.* is outside .*; haconf pull only writes inside the manifest's folder/);
    assert.equal(fs.existsSync(target), false, `${target} not created`);
    assert.deepEqual(t.calls, [], 'refused before any host is contacted');
    // --check writes nothing, so it may still compare a shared file outside the folder.
    const c = await pullCli(['--check'], ws, fake());
    assert.equal(c.code, 1, c.stdout + c.stderr);
    assert.match(c.stdout, /escape[-0-9]*\.cfg: missing locally/);
  }
});

test('pull: a source that is a link (or sits in a linked folder) is refused, the link target untouched', async (tt) => {
  const ws = makeWorkspace();
  tt.after(ws.cleanup);
  const v = victim(tt);
  fs.rmSync(path.join(ws.dir, 'haproxy.cfg'));
  fs.symlinkSync(v.bashrc, path.join(ws.dir, 'haproxy.cfg'));
  let r = await pullCli([], ws, fake());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /haconf\.yaml:\d+: source haproxy\.cfg: .*haproxy\.cfg is a symbolic link; haconf pull does not write through links/);
  assert.equal(fs.readFileSync(v.bashrc, 'utf8'), v.original);
  fs.rmSync(path.join(ws.dir, 'haproxy.cfg'));
  fs.writeFileSync(path.join(ws.dir, 'haproxy.cfg'), '# local\n');
  fs.rmSync(path.join(ws.dir, 'lb1'), { recursive: true });
  fs.symlinkSync(v.home, path.join(ws.dir, 'lb1'));
  r = await pullCli([], ws, fake());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /source lb1\/keepalived\.conf: .*lb1 is a symbolic link/);
  assert.deepEqual(fs.readdirSync(v.home).sort(), ['.bashrc']);
});

const sshLine = (s: string): Record<string, string> => ({ lb1: `    ssh: { ${s} }\n` });

test('known_hosts: /dev/null, devices and FIFOs are refused, with or without accept-new, even with --force', async (tt) => {
  const fifoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-kh-'));
  tt.after(() => fs.rmSync(fifoDir, { recursive: true, force: true }));
  for (const [setting, why] of [
    ['knownHostsFile: /dev/null, strictHostKeyChecking: accept-new', /knownHostsFile \/dev\/null is a device, not a known_hosts file: ssh would accept any host key/],
    ['knownHostsFile: /dev/null', /\/dev\/null is a device/],
    ['knownHostsFile: /dev/zero, strictHostKeyChecking: accept-new', /\/dev\/zero is a device/],
    ['knownHostsFile: kh.fifo, strictHostKeyChecking: accept-new', /kh\.fifo is not a regular file; ssh would append host keys to it/],
  ] as const) {
    const ws = makeWorkspace({ hostExtra: sshLine(setting) });
    tt.after(ws.cleanup);
    execFileSync('mkfifo', [path.join(ws.dir, 'kh.fifo')]);
    const t = fake();
    await assert.rejects(deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0, force: true }), why, setting);
    assert.deepEqual(t.calls, [], `${setting}: no host contacted`);
    const p = await pullCli(['--check'], ws, fake());
    assert.equal(p.code, 2, setting);
    assert.match(p.stderr, why);
  }
});

test('known_hosts: a file outside the manifest folder and ~/.ssh, or a link, is refused unless the user names it', async (tt) => {
  const v = victim(tt);
  const ws = makeWorkspace({ hostExtra: sshLine(`knownHostsFile: ${v.bashrc}, strictHostKeyChecking: accept-new`) });
  tt.after(ws.cleanup);
  const t = fake();
  await assert.rejects(
    deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0 }),
    /knownHostsFile .*\.bashrc is outside the manifest's folder and .*\.ssh; .* HACONF_KNOWN_HOSTS=/,
  );
  assert.deepEqual(t.calls, []);
  // The editor shows the same as a finding on the manifest line.
  const found = parseManifest(ws.manifest, fs.readFileSync(ws.manifest, 'utf8')).diagnostics.filter((d) => d.code === 'manifest/unsafe-path');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /knownHostsFile .* is outside the manifest's folder/);
  // A link inside the manifest folder to the same file: refused as well.
  fs.symlinkSync(v.bashrc, path.join(ws.dir, 'known_hosts'));
  editManifest(ws, v.bashrc, 'known_hosts');
  await assert.rejects(deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0 }), /known_hosts is a symbolic link; ssh would append host keys to it/);
  assert.equal(fs.readFileSync(v.bashrc, 'utf8'), v.original);
  // A regular file in the workspace is fine; so is the outside file once the user allows it themselves.
  fs.unlinkSync(path.join(ws.dir, 'known_hosts'));
  const ok1 = await deploy({ manifestPath: ws.manifest, transport: fake(), lockDir: ws.lockDir, vrrpGraceMs: 0 });
  assert.equal(ok1.outcome, 'success', ok1.message);
  editManifest(ws, 'known_hosts', v.bashrc);
  process.env.HACONF_KNOWN_HOSTS = v.bashrc;
  tt.after(() => delete process.env.HACONF_KNOWN_HOSTS);
  const ok2 = await deploy({ manifestPath: ws.manifest, transport: fake(), lockDir: ws.lockDir, vrrpGraceMs: 0 });
  assert.equal(ok2.outcome, 'nothing-to-do', ok2.message);
});
