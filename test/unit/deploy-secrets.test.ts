// Secrets (keepalived auth_pass, HAProxy stats auth and userlist passwords) appear nowhere haconf
// writes: not in diffs, progress events, results or the audit log, not even in a host's tool output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSecrets, maskLine, Redactor } from '../../server/src/deploy/secrets';
import { deploy } from '../../server/src/deploy/deploy';
import { collect, makeWorkspace } from '../deploy/fixture';
import { LocalShellTransport } from '../deploy/fixture';

test('maskLine hides the secret and keeps the rest of the line', () => {
  assert.equal(maskLine('        auth_pass S3cr3tPW'), '        auth_pass ********');
  assert.equal(maskLine('    auth_pass "two words" # c'), '    auth_pass ******** # c');
  assert.equal(maskLine('    stats auth admin:hunter22'), '    stats auth admin:********');
  assert.equal(maskLine('    user bob insecure-password letmein groups g'), '    user bob insecure-password ******** groups g');
  assert.equal(maskLine('    user bob password $6$salt$hash'), '    user bob password ********');
  assert.equal(maskLine('    timeout client 30s'), '    timeout client 30s');
  assert.deepEqual(findSecrets('auth_pass abc\nstats auth u:p4ss\n'), ['abc', 'p4ss']);
});

test('Redactor scrubs known secret values from free text such as tool output', () => {
  const r = new Redactor();
  r.addText('vrrp_instance X {\n authentication {\n  auth_pass Zebra123\n }\n}\n');
  assert.equal(r.scrub("parsing [/etc/keepalived/keepalived.conf:4]: unknown word 'Zebra123'"), "parsing [/etc/keepalived/keepalived.conf:4]: unknown word '********'");
});

test('a deploy changing auth_pass never shows the old or new password anywhere', async (tt) => {
  const ws = makeWorkspace({ remoteKeepalived: 'same' });
  tt.after(ws.cleanup);
  const OLD = 'lab61'; // what keepalivedConf writes (auth_pass lab<vrid>)
  // At most 8 characters: a longer auth_pass is an error since issue 15 (keepalived -t rejects it) and deploy would refuse.
  const NEW = 'Nw5ecr8t';
  for (const h of ws.plan.hosts) {
    const f = path.join(ws.dir, h.name, 'keepalived.conf');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(`auth_pass ${OLD}`, `auth_pass ${NEW}`));
  }
  fs.appendFileSync(path.join(ws.dir, 'haproxy.cfg'), '\nlisten stats\n    bind :8404\n    mode http\n    stats enable\n    stats uri /\n    stats auth admin:StatsPw99\n');
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  // The host's validator echoes the file back, as some tools do in their errors.
  t.override = async (host, call) =>
    host.name === 'lb2' && call.op === 'exec' && call.args[0].startsWith('test -s')
      ? { code: 1, stdout: Buffer.from(fs.readFileSync(path.join(ws.dir, 'lb2/keepalived.conf'))), stderr: `bad line: auth_pass ${NEW}\n`, connectionFailed: false }
      : undefined;
  const { events, onEvent } = collect();
  const dry = await deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0, onEvent, dryRun: true });
  t.override = undefined;
  const real = await deploy({ manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0, onEvent });
  assert.equal(dry.outcome, 'rejected');
  assert.equal(real.outcome, 'success', real.message);
  const diff = real.plan!.hosts.flatMap((h) => h.files.map((f) => f.diff)).join('\n');
  assert.match(diff, /^-\s+auth_pass \*{8}$/m, 'the changed line is shown, masked');
  assert.match(diff, /stats auth admin:\*{8}/);
  const everything = JSON.stringify({ events, dry, real }) + fs.readFileSync(path.join(ws.dir, '.haconf/audit.jsonl'), 'utf8');
  for (const s of [OLD, NEW, 'StatsPw99']) assert.equal(everything.includes(s), false, `${s} leaked`);
  assert.match(dry.message, /lb2 rejected/, 'the rejection itself is still reported');
});
