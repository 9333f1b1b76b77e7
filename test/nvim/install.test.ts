// `npm install -g` gives a working `haconf` on PATH: from the packed tarball (what a registry would serve)
// and from the repository folder. Both installs are offline into temporary prefixes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { packAndInstall, installGlobally, ROOT, type Installed } from './install';

let inst: Installed;

before(() => {
  inst = packAndInstall();
});

after(() => inst?.cleanup());

/** Runs `haconf` by name, with only the prefix's bin folder and node's in PATH. */
function haconf(binDir: string, args: string[], cwd = ROOT) {
  const env = { ...process.env, PATH: `${binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin` };
  return spawnSync('haconf', args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

test('the tarball holds the CLI bundles and no sources or tests', () => {
  const r = spawnSync('tar', ['-tzf', inst.tarball], { encoding: 'utf8' });
  const files = r.stdout
    .trim()
    .split('\n')
    .map((f) => f.replace(/^package\//, ''))
    .sort();
  for (const f of ['bin/haconf.js', 'dist/cli.js', 'dist/lsp.js', 'package.json', 'README.md']) assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
  assert.ok(!files.some((f) => /^(server|client|test)\//.test(f)), files.join('\n'));
  const pkg = JSON.parse(spawnSync('tar', ['-xzOf', inst.tarball, 'package/package.json'], { encoding: 'utf8' }).stdout) as { dependencies?: object };
  assert.equal(pkg.dependencies, undefined, 'everything haconf runs is bundled: no runtime dependency to download');
});

test('haconf check from the installed tarball: exit 0 on clean configs, 1 on errors', () => {
  const ok = haconf(inst.binDir, ['check', 'examples/corrected']);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /0 errors/);
  const bad = haconf(inst.binDir, ['check', 'test/fixtures/haproxy-split/invalid-split.d']);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /haproxy\/duplicate-name/);
});

test('haconf lsp --stdio from the installed tarball answers initialize and shuts down', async () => {
  const env = { ...process.env, PATH: `${inst.binDir}:${path.dirname(process.execPath)}:/usr/bin:/bin` };
  const proc = spawn('haconf', ['lsp', '--stdio'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.listen();
  try {
    const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: Record<string, unknown> };
    for (const cap of ['hoverProvider', 'completionProvider', 'definitionProvider', 'documentFormattingProvider', 'codeActionProvider'])
      assert.ok(init.capabilities[cap], `${cap} in ${JSON.stringify(init.capabilities)}`);
    await conn.sendRequest('shutdown');
    const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    conn.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    conn.dispose();
    proc.kill();
  }
});

test('npm install -g of the repository folder gives the same command', () => {
  const linked = installGlobally(ROOT, inst.dir, 'linked');
  const r = haconf(linked.binDir, ['check', 'test/fixtures/haproxy-split/valid-main']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /0 errors, 0 warnings in 3 files checked/);
});
