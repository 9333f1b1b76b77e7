// `haconf drift` against real hosts: two network-namespace hosts from test/lab (sshd, haproxy, keepalived),
// reached with the system OpenSSH client as a user's check would. Needs root and the real daemons; fails
// (never skips) without them. Run: node --import tsx --test test/deploy/drift.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPrerequisites, planLab, startLab, type Lab, type LabPlan } from '../lab/lab';
import { haproxyCfg, keepalivedConf, labManifest, LAB_HAPROXY_TARGET, type VrrpParams } from '../lab/configs';
import { tearDown } from './teardown';
import { runDrift } from '../../server/src/cli/drift';
import { adoptFromHost, drift } from '../../server/src/deploy/drift';
import { pull } from '../../server/src/deploy/pull';
import { runCheck } from '../../server/src/cli/check';
import { SshTransport } from '../../server/src/deploy/ssh';

const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90 }, weight: 20 };
const SECRET = 'LabDr1ftSecret';
const report: string[] = [];

let lab: Lab;
let plan: LabPlan;
let ws: string;
let manifest: string;

function writeManifest(file: string, addressOf?: (h: string, ip: string) => string): void {
  fs.writeFileSync(file, labManifest({ cluster: 'lab', plan, user: 'root', keyPath: lab.keyPath, knownHostsPath: lab.knownHostsPath, connectTimeout: 3, settleSeconds: 1, addressOf }));
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runDrift(['--manifest', manifest, ...argv], { stdout: (s) => (stdout += s), stderr: () => undefined, cwd: ws });
  return { code, stdout };
}

const firstLine = (cmd: string): string => execFileSync('sh', ['-c', `${cmd} -v 2>&1 | head -n 1`], { encoding: 'utf8' }).trim();

describe('haconf drift against the network-namespace lab', { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    plan = planLab({ hosts: 2 });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-drift-lab-'));
    fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
    for (const h of plan.hosts) {
      fs.mkdirSync(path.join(ws, h.name));
      fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
    }
    lab = await startLab({ hosts: 2, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
    manifest = path.join(ws, 'haconf.yaml');
    writeManifest(manifest);
    report.push(`lab up in ${(lab.timings.setupMs / 1000).toFixed(1)} s`);
  });

  after(() => tearDown('drift lab report', report, [lab], [ws]));

  it("in sync: exit 0, every file the same, the hosts' daemon versions read over ssh", async () => {
    const t0 = performance.now();
    const r = await cli(['--format', 'json']);
    report.push(`drift check of 2 hosts × 2 files (in sync): ${Math.round(performance.now() - t0)} ms`);
    assert.equal(r.code, 0, r.stdout);
    const res = JSON.parse(r.stdout) as Awaited<ReturnType<typeof drift>>;
    assert.deepEqual(res.summary, { hosts: 2, inSync: 2, drifted: 0, unreachable: 0, filesDiffering: 0 });
    for (const h of res.hosts) {
      assert.deepEqual(
        h.files.map((f) => [f.target, f.state]),
        [
          [LAB_HAPROXY_TARGET, 'same'],
          ['/etc/keepalived/keepalived.conf', 'same'],
        ],
      );
      // The lab hosts run this machine's binaries: their -v is what the host answered.
      assert.deepEqual(
        h.versions.map((v) => v.line),
        [firstLine('haproxy'), firstLine('keepalived'), firstLine('corosync')],
      );
      assert.ok(
        h.versions.every((v) => v.installed && v.version),
        JSON.stringify(h.versions),
      );
    }
    const text = await cli([]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^lb1: in sync \(haproxy 2\.\d+\.\S+, keepalived 2\.\d+\.\d+, corosync 3\.\d+\.\d+\)$/m);
  });

  it('a file changed by hand on lb2 shows as drift on lb2 only, with the masked diff', async () => {
    const r0 = await lab.exec('lb2', `sed -i 's/timeout client 30s/timeout client 31s\\n    stats auth admin:${SECRET}/' ${LAB_HAPROXY_TARGET}`);
    assert.equal(r0.code, 0, r0.stderr);
    const r = await cli([]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /^lb1: in sync/m);
    assert.match(r.stdout, /^lb2: DRIFTED \(haproxy /m);
    assert.match(r.stdout, /^ {2}M \/etc\/haproxy\/haproxy\.cfg ← haproxy\.cfg: lb2:\/etc\/haproxy\/haproxy\.cfg differs from haproxy\.cfg$/m);
    assert.match(r.stdout, /^ {6}--- haproxy\.cfg\n {6}\+\+\+ lb2:\/etc\/haproxy\/haproxy\.cfg\n {6}@@ /m);
    assert.match(r.stdout, /^ {6}- {4}timeout client 30s\n {6}\+ {4}timeout client 31s\n {6}\+ {4}stats auth admin:\*{8}$/m);
    assert.match(r.stdout, /^ {2}= \/etc\/keepalived\/keepalived\.conf ← lb2\/keepalived\.conf: matches the workspace$/m);
    assert.equal(r.stdout.includes(SECRET), false, 'the secret is masked');
    assert.match(r.stdout, /2 hosts: 1 in sync, 1 drifted \(1 file\), 0 unreachable/);
    const json = await cli(['--format', 'json']);
    assert.equal(json.stdout.includes(SECRET), false, 'masked in JSON too (diff and side-by-side texts)');
  });

  it("adopting lb2's version over ssh writes it into the workspace; lb1 then drifts", async () => {
    const seen = await drift({ manifestPath: manifest, hosts: ['lb2'], transport: new SshTransport({ baseDir: ws }) });
    const transport = new SshTransport({ baseDir: ws });
    try {
      const a = await adoptFromHost({ manifestPath: manifest, host: 'lb2', source: 'haproxy.cfg', expectedSha256: seen.hosts[0].files[0].remoteSha256!, transport });
      assert.deepEqual(a.sharedWith, ['lb1']);
    } finally {
      await transport.close();
    }
    assert.match(fs.readFileSync(path.join(ws, 'haproxy.cfg'), 'utf8'), new RegExp(`stats auth admin:${SECRET}`));
    const r = await cli([]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^lb1: DRIFTED/m);
    assert.match(r.stdout, /^lb2: in sync/m);
  });

  it('pull records what the hosts run (haproxy/keepalived/corosync -v over ssh); haconf check then targets it and says so', async () => {
    const record = path.join(ws, '.haconf', 'host-versions.json');
    fs.rmSync(record, { force: true });
    const transport = new SshTransport({ baseDir: ws });
    try {
      await pull({ manifestPath: manifest, transport });
    } finally {
      await transport.close();
    }
    const recorded = JSON.parse(fs.readFileSync(record, 'utf8')) as Record<string, Record<string, string>>;
    for (const h of ['lb1', 'lb2']) {
      assert.equal(recorded[h].haproxy, firstLine('haproxy'), h);
      assert.equal(recorded[h].keepalived, firstLine('keepalived'), h);
      assert.equal(recorded[h].corosync, firstLine('corosync'), h);
    }
    // A HAProxy file beside the manifest using what 2.9 added: the finding names the hosts' version.
    const branch = /version (\d+\.\d+)/.exec(firstLine('haproxy'))![1];
    const full = /version (\S+)/.exec(firstLine('haproxy'))![1];
    fs.writeFileSync(path.join(ws, 'haproxy-logs.cfg'), 'backend logs\n    mode log\n    server s1 udp@127.0.0.1:514\n');
    let stdout = '';
    let stderr = '';
    try {
      runCheck([ws], { stdout: (x) => (stdout += x), stderr: (x) => (stderr += x), cwd: ws });
    } finally {
      fs.rmSync(path.join(ws, 'haproxy-logs.cfg'));
    }
    assert.match(stderr, new RegExp(`checking for HAProxy ${branch.replace('.', '\\.')} \\(from the hosts \\(lb1 ${full.replace(/[.+]/g, '\\$&')}, lb2 `), stderr);
    assert.match(stdout, new RegExp(`haproxy-logs\\.cfg:2:10 error mode: 'log' is a valid value only from HAProxy 2\\.9 \\(your hosts run ${branch.replace('.', '\\.')}\\)`), stdout);
  });

  it("an unreachable host: exit 2, named with ssh's reason, the others still checked", async () => {
    // lb2 written with an address nothing answers on (the lab's own net, no such host).
    writeManifest(manifest, (h, ip) => (h === 'lb2' ? `${plan.net}.250` : ip));
    try {
      const t0 = performance.now();
      const r = await cli([]);
      report.push(`drift with one unreachable host (connectTimeout 3): ${Math.round(performance.now() - t0)} ms`);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stdout, /^lb2: UNREACHABLE\n {4}cannot reach lb2: .*(No route to host|timed out|Connection refused)/m);
      assert.match(r.stdout, /^lb1: DRIFTED/m);
      assert.match(r.stdout, /1 unreachable/);
    } finally {
      writeManifest(manifest);
    }
  });
});
