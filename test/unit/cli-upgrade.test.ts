// `haconf check --upgrade-to X.Y`: the plan per file, the rewrites as a unified diff (or written with
// --write), the exit code, JSON output and usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempTree } from '../helpers/tmp';

const OLD = `defaults
    mode http
    contimeout 5s
    timeout client 30s
    timeout server 30s

frontend web
    bind :8080
    reqadd X-Forwarded-Proto:\\ https
    default_backend app

backend app
    server a1 127.0.0.1:9000 check
`;

const NEW = OLD.replace('contimeout 5s', 'timeout connect 5s').replace('reqadd X-Forwarded-Proto:\\ https', 'http-request add-header X-Forwarded-Proto https');

test('--upgrade-to lists what the version removes and prints the rewrites as a diff, changing nothing', async () => {
  const dir = tempTree({ 'haproxy.cfg': OLD });
  try {
    const r = await runCli(['check', '--haproxy-version', '2.6', '--upgrade-to', '3.2', 'haproxy.cfg'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Upgrade from HAProxy 2\.6 \(from --haproxy-version 2\.6\) to 3\.2$/m);
    assert.match(r.stdout, /^ {2}3:5 removed \(already at 2\.6\): 'contimeout' was removed .* → rewrite: Replace with 'timeout connect'$/m);
    assert.match(r.stdout, /^ {2}9:5 removed \(already at 2\.6\): 'reqadd' .* → rewrite: Rewrite as 'http-request add-header'$/m);
    assert.match(r.stdout, /^--- a\/haproxy\.cfg\n\+\+\+ b\/haproxy\.cfg\n/m);
    assert.match(r.stdout, /^- {4}reqadd X-Forwarded-Proto:\\ https\n\+ {4}http-request add-header X-Forwarded-Proto https$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), OLD, 'nothing written without --write');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--upgrade-to --write writes the rewrites; a second run has nothing left', async () => {
  const dir = tempTree({ 'haproxy.cfg': OLD });
  try {
    fs.chmodSync(path.join(dir, 'haproxy.cfg'), 0o640);
    const r = await runCli(['check', '--haproxy-version', '2.6', '--upgrade-to', '3.2', '--write', '.'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /wrote the rewrites into 1 file/);
    assert.equal(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), NEW);
    assert.equal(fs.statSync(path.join(dir, 'haproxy.cfg')).mode & 0o777, 0o640, 'the file keeps its mode');
    const again = await runCli(['check', '--haproxy-version', '2.6', '--upgrade-to', '3.2', '.'], dir);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /nothing to change/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--upgrade-to exits 1 while an item needs a hand edit, and says why there is no rewrite', async () => {
  const dir = tempTree({ 'haproxy.cfg': OLD.replace('reqadd X-Forwarded-Proto:\\ https', 'reqdeny ^X-Bad:') });
  try {
    const r = await runCli(['check', '--haproxy-version', '2.6', '--upgrade-to', '3.0', '--format', 'json', '.'], dir);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout) as { from: string; to: string; files: { file: string; items: { code: string; message: string; rewrite: string | null }[]; diff: string }[] };
    assert.equal(j.to, '3.0');
    const items = j.files[0].items;
    assert.deepEqual(
      items.map((i) => i.rewrite),
      ["Replace with 'timeout connect'", null],
    );
    assert.match(items[1].message, /no automatic rewrite: 'reqdeny' matches its regex against the request line/);
    assert.match(j.files[0].diff, /\+ {4}timeout connect 5s/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--upgrade-to and --write usage errors exit 2', async () => {
  for (const argv of [
    ['check', '--upgrade-to', 'latest'],
    ['check', '--write'],
    ['check', '--upgrade-to', '9.9', '.'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.stderr, /^haconf: .*(--upgrade-to|--write)/m);
  }
});
