// keepalived `include` names any path. The CLI as a real process (its own environment, stdin held open)
// must not quote kernel files or files from outside the configuration's folder, and must not block on
// files that never end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliBundle } from './bundle';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-inc-')));
  dirs.push(d);
  return d;
};

const SECRET = 'Sup3rS3cretValue-do-not-print';
const BASE = 'vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n';

function run(args: string[], cwd: string, limitMs = 15000): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [cliBundle(), ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HACONF_TEST_TOKEN: SECRET } });
    let out = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const killer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
    proc.on('close', (code) => {
      clearTimeout(killer);
      proc.stdin.destroy();
      resolve({ code, out, ms: performance.now() - t0 });
    });
  });
}

async function allFormats(dir: string, file: string): Promise<string[]> {
  const outs: string[] = [];
  for (const format of ['text', 'json', 'sarif']) {
    const r = await run(['check', '--lang', 'keepalived', '--format', format, file], dir);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.out.slice(0, 500)}`);
    outs.push(r.out);
  }
  return outs;
}

test('include /proc/self/environ: refused by path, the environment never reaches text, JSON or SARIF output', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'keepalived.conf'), `include /proc/self/environ\nincluder /proc/self/cmdline\ninclude /sys/kernel/*\n${BASE}`);
  for (const out of await allFormats(dir, 'keepalived.conf')) {
    assert.ok(!out.includes(SECRET), `the secret from the environment was printed:\n${out.slice(0, 2000)}`);
    assert.match(out, /\/proc\/self\/environ is under \/proc/);
  }
});

test('include /proc/kmsg, a FIFO and a symlink to /proc/kmsg finish at once instead of blocking', async () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'conf.d'));
  fs.symlinkSync('/proc/kmsg', path.join(dir, 'conf.d', 'kmsg.conf'));
  const fifo = path.join(dir, 'fifo.conf');
  const mk = spawn('mkfifo', [fifo]);
  await new Promise((r) => mk.on('close', r));
  assert.ok(fs.statSync(fifo).isFIFO(), 'mkfifo');
  fs.writeFileSync(path.join(dir, 'keepalived.conf'), `include /proc/kmsg\ninclude conf.d/*.conf\ninclude ${fifo}\n${BASE}`);
  const r = await run(['check', '--lang', 'keepalived', '--format', 'json', 'keepalived.conf'], dir);
  assert.equal(r.code, 0, r.out.slice(0, 1000));
  assert.ok(r.ms < 10000, `took ${r.ms.toFixed(0)} ms`);
  const ds = (JSON.parse(r.out) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message);
  assert.ok(
    ds.some((m) => /\/proc\/kmsg is under \/proc/.test(m)),
    ds.join('\n'),
  );
  assert.ok(
    ds.some((m) => /kmsg\.conf is under \/proc/.test(m)),
    ds.join('\n'),
  );
});

test('a file included from outside the config folder is never quoted (directly or through a symlink); files inside still are', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'secret.env'), `HACONF_TOKEN=${SECRET}\n-----BEGIN-${SECRET}\n`);
  fs.mkdirSync(path.join(dir, 'cfg', 'conf.d'), { recursive: true });
  fs.symlinkSync(path.join(dir, 'secret.env'), path.join(dir, 'cfg', 'conf.d', 'link.conf'));
  fs.writeFileSync(path.join(dir, 'cfg', 'conf.d', 'own.conf'), 'bogus_own_keyword 1\n');
  fs.writeFileSync(path.join(dir, 'cfg', 'keepalived.conf'), `include ../secret.env\ninclude conf.d/*.conf\n${BASE}`);
  for (const out of await allFormats(path.join(dir, 'cfg'), 'keepalived.conf')) {
    assert.ok(!out.includes(SECRET), `the outside file was quoted:\n${out.slice(0, 2000)}`);
    assert.match(out, /does not quote files outside the configuration's folder/);
    assert.match(out, /bogus_own_keyword/, "the configuration's own include keeps its full message");
  }
});

test('checking a folder of 300 files that each include all 300: each file checked once, one bounded report', async () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'conf.d'));
  for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(dir, 'conf.d', `f${i}.conf`), `include ${dir}/conf.d/*.conf\nvrrp_script s${i} {\n    script "/bin/true"\n}\n`);
  // Before: 596,186 findings for one file (10 s); the folder ran out of memory after 310 s.
  const r = await run(['check', '--lang', 'keepalived', '--format', 'json', 'conf.d'], dir, 60000);
  assert.equal(r.code, 1, r.out.slice(0, 500));
  assert.ok(r.ms < 15000, `took ${r.ms.toFixed(0)} ms`);
  const ds = (JSON.parse(r.out) as { diagnostics: { file: string; line: number; message: string }[] }).diagnostics;
  assert.ok(ds.length <= 400, `${ds.length} findings`);
  const keys = ds.map((d) => `${d.file}:${d.line}:${d.message}`);
  assert.equal(new Set(keys).size, keys.length, 'no finding repeated');
});
