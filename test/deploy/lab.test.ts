// Deploys against real hosts: three network-namespace hosts from test/lab (sshd, haproxy, keepalived,
// a VIP), reached with the system OpenSSH client exactly as a user's deploy would. Needs root and the
// real daemons; fails (never skips) without them. Run: node --import tsx --test test/deploy/lab.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { checkPrerequisites, planLab, startLab, waitFor, type Lab, type LabPlan } from '../lab/lab';
import { startVipClient } from '../lab/vipClient';
import { haproxyCfg, keepalivedConf, labManifest, LAB_HAPROXY_TARGET, type VrrpParams } from '../lab/configs';
import { tearDown } from './teardown';
import { deploy, type DeployOptions } from '../../server/src/deploy/deploy';
import { SshTransport } from '../../server/src/deploy/ssh';
import type { DeployEvent, DeployResult } from '../../server/src/deploy/events';
import type { RemoteHost, Transport } from '../../server/src/deploy/transport';
import { runDeploy } from '../../server/src/cli/deploy';
import { UsageError } from '../../server/src/cli/args';
import { labDebris, labSh, labTargetState } from './labState';

const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
const HAPROXY = LAB_HAPROXY_TARGET;
const report: string[] = [];

let lab: Lab;
let plan: LabPlan;
let ws: string;
let manifest: string;

function writeManifest(file: string, p: LabPlan, opts: { settle?: number; addressOf?: (h: string, ip: string) => string } = {}): void {
  fs.writeFileSync(
    file,
    labManifest({ cluster: 'lab', plan: p, user: 'root', keyPath: lab.keyPath, knownHostsPath: lab.knownHostsPath, connectTimeout: 3, settleSeconds: opts.settle ?? 2, addressOf: opts.addressOf }),
  );
}

const sh = (host: string, cmd: string): Promise<string> => labSh(lab, host, cmd);

/** sha256 (16 hex) of both targets on every host. */
const remoteState = (): Promise<Record<string, string>> => labTargetState(lab, plan);

/** Candidates, restore temporaries and locks anywhere a deploy writes. */
const debris = (): Promise<string[]> => labDebris(lab, plan, 'ls -a /etc/haproxy /etc/keepalived | grep -e haconf-new -e haconf-pull; test -e /run/haconf-deploy.lock && echo LOCK; true');

function localSha(file: string): string {
  return require('node:crypto').createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16) as string;
}

function expectedState(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of plan.hosts) out[h.name] = `${localSha(path.join(ws, 'haproxy.cfg'))} ${localSha(path.join(ws, h.name, 'keepalived.conf'))}`;
  return out;
}

function run(extra: Partial<DeployOptions> & { transport?: Transport } = {}): { promise: Promise<DeployResult>; events: DeployEvent[] } {
  const events: DeployEvent[] = [];
  const transport = extra.transport ?? new SshTransport({ baseDir: ws });
  const promise = deploy({ manifestPath: manifest, transport, onEvent: (e) => events.push(e), ...extra }).finally(() => transport.close());
  return { promise, events };
}

const installs = (events: DeployEvent[]): string[] => [...new Set(events.filter((e) => e.type === 'host' && e.step === 'install' && e.status === 'ok').map((e) => (e as { host: string }).host))];

describe('haconf deploy against the network-namespace lab', { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    plan = planLab({ hosts: 3 });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-deploy-lab-'));
    fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
    for (const h of plan.hosts) {
      fs.mkdirSync(path.join(ws, h.name));
      fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
    }
    lab = await startLab({ hosts: 3, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
    manifest = path.join(ws, 'haconf.yaml');
    writeManifest(manifest, plan);
    await lab.waitForVip('lb1', 15000);
    report.push(`lab up in ${(lab.timings.setupMs / 1000).toFixed(1)} s`);
  });

  after(() => tearDown('deploy lab report', report, [lab], [ws]));

  it('--dry-run (CLI) connects, validates on the hosts, and changes nothing', async () => {
    const src = path.join(ws, 'haproxy.cfg');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('timeout client 30s', 'timeout client 45s'));
    const before = await remoteState();
    let stdout = '';
    const code = await runDeploy(['--manifest', manifest, '--dry-run'], { stdout: (s) => (stdout += s), stderr: () => undefined, cwd: ws, isTTY: false });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^ {7}\+ {4}timeout client 45s$/m);
    assert.match(stdout, /lb1\s+validate\s+ok/);
    assert.match(stdout, /result: dry-run/);
    assert.deepEqual(await remoteState(), before);
    assert.deepEqual(await debris(), []);
    // The lock session also asked every host what it runs; later checks target that (docs/haproxy-versions.md).
    const recorded = JSON.parse(fs.readFileSync(path.join(ws, '.haconf', 'host-versions.json'), 'utf8')) as Record<string, Record<string, string>>;
    const local = (tool: string) => execFileSync('sh', ['-c', `${tool} -v 2>&1 | head -n 1`], { encoding: 'utf8' }).trim();
    assert.deepEqual(Object.keys(recorded).sort(), ['lb1', 'lb2', 'lb3']);
    for (const h of Object.values(recorded)) assert.deepEqual([h.haproxy, h.keepalived], [local('haproxy'), local('keepalived')]);
  });

  it('staging is parallel: 1 host vs 3 hosts (dry runs)', async () => {
    const one = await run({ dryRun: true, hosts: ['lb1'] }).promise;
    const all = await run({ dryRun: true }).promise;
    assert.equal(one.outcome, 'dry-run', one.message);
    assert.equal(all.outcome, 'dry-run', all.message);
    report.push(`staging (upload + haproxy -c + keepalived -t): 1 host ${one.timings.stageMs} ms, 3 hosts ${all.timings.stageMs} ms`);
    assert.ok(all.timings.stageMs < 2 * one.timings.stageMs + 500, `3 hosts ${all.timings.stageMs} ms vs 1 host ${one.timings.stageMs} ms`);
  });

  it('a good change lands on every host, holder last, with 0 failed requests to the VIP', async () => {
    for (const h of plan.hosts) {
      const f = path.join(ws, h.name, 'keepalived.conf');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('fall 2', 'fall 3'));
    }
    const client = startVipClient(plan);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    const { promise, events } = run();
    const res = await promise;
    const wall = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    const c = await client.stop();
    assert.equal(res.outcome, 'success', res.message);
    assert.deepEqual(installs(events), ['lb3', 'lb2', 'lb1'], 'backups by ascending priority, the VIP holder last');
    assert.deepEqual(await remoteState(), expectedState());
    assert.equal(await lab.vipHolder(), 'lb1');
    assert.deepEqual(await debris(), []);
    const tm = res.timings;
    report.push(
      `good deploy to 3 hosts (haproxy.cfg + keepalived.conf, settle 2 s): ${(wall / 1000).toFixed(1)} s wall (lock ${tm.lockMs} ms, plan ${tm.planMs} ms, stage ${tm.stageMs} ms, rollout ${tm.rolloutMs} ms); client ${c.ok} ok / ${c.failed} failed${c.errors.length ? ` (${c.errors.join('; ')})` : ''}`,
    );
    assert.ok(c.ok > 50, `the client made ${c.ok} requests`);
    assert.equal(c.failed, 0, `failed requests: ${c.errors.join('; ')}`);
    // The benchmark target is 10 s; this bound only catches hangs (see the report line for the number).
    assert.ok(wall < 30000, `deploy took ${wall} ms`);
    // Backups exist and keep the mode.
    const bak = await sh('lb1', `ls ${HAPROXY}.haconf-bak-* | wc -l; stat -c %a ${HAPROXY}`);
    assert.match(bak, /^1\n/);
  });

  it('unchanged files are skipped, and with them their reload', async () => {
    const same = await run().promise;
    assert.equal(same.outcome, 'nothing-to-do', same.message);
    const f = path.join(ws, 'lb2', 'keepalived.conf');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('rise 2', 'rise 3'));
    const { promise, events } = run();
    const res = await promise;
    assert.equal(res.outcome, 'success', res.message);
    assert.deepEqual(installs(events), ['lb2']);
    const reloads = events.filter((e) => e.type === 'host' && e.step === 'reload' && e.status === 'ok').map((e) => `${(e as { host: string }).host} ${(e as { detail?: string }).detail}`);
    assert.deepEqual(reloads, ['lb2 keepalived reload']);
    assert.deepEqual(await remoteState(), expectedState());
  });

  it("a change the hosts' own haproxy -c rejects replaces nothing and leaves no temp files", async () => {
    const src = path.join(ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState();
    fs.writeFileSync(src, good.replace(`bind ${plan.vip}:80`, `bind ${plan.vip}:80\n    bind ${plan.vip}:443 ssl crt /etc/haproxy/certs/site.pem`));
    try {
      const res = await run().promise;
      assert.equal(res.outcome, 'rejected', res.message);
      assert.equal(res.exitCode, 1);
      assert.match(res.message, /lb\d rejected haproxy\.cfg/);
      assert.match(res.message, /site\.pem/, "haproxy's own message is passed on");
      assert.deepEqual(await remoteState(), before);
      assert.deepEqual(await debris(), []);
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it('a keepalived.conf the hosts\' keepalived -t rejects is refused when the manifest writes "{file}" in quotes', async () => {
    // keepalived -t, handed a path with quote characters in it, says "Config files missing" and exits 0:
    // the bad file used to be reported as accepted by every host.
    const src = path.join(ws, 'lb1', 'keepalived.conf');
    const good = fs.readFileSync(src, 'utf8');
    const goodManifest = fs.readFileSync(manifest, 'utf8');
    const before = await remoteState();
    fs.writeFileSync(manifest, goodManifest.replace('validate: "keepalived -t -f {file}"', `validate: 'keepalived -t -f "{file}"'`));
    fs.writeFileSync(src, good.replace(/virtual_router_id \d+/, 'virtual_router_id 300'));
    try {
      // haconf's own check flags VRID 300 too; --force sends it to the hosts' validator anyway.
      const res = await run({ force: true }).promise;
      assert.equal(res.outcome, 'rejected', res.message);
      assert.equal(res.exitCode, 1);
      assert.match(res.message, /lb1 rejected lb1\/keepalived\.conf/);
      assert.match(res.message, /300/, "keepalived's own message is passed on");
      assert.doesNotMatch(res.message, /Config files missing/);
      assert.deepEqual(await remoteState(), before);
      assert.deepEqual(await debris(), []);
    } finally {
      fs.writeFileSync(src, good);
      fs.writeFileSync(manifest, goodManifest);
    }
  });

  it('a reload failing on the second host puts every host back and the VIP keeps serving', async () => {
    const src = path.join(ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState();
    // lb2 already has something on :8404, so its new haproxy cannot bind; haproxy -c does not bind, so
    // validation passes everywhere and the failure comes at the reload.
    await sh('lb2', `setsid ${process.execPath} -e "require('net').createServer().listen(8404)" >/dev/null 2>&1 < /dev/null &`);
    await waitFor('the blocker on lb2:8404', 5000, async () => ((await lab.exec('lb2', "ss -Hltn 'sport = :8404' | grep -q LISTEN")).code === 0 ? true : undefined));
    fs.writeFileSync(src, good + '\nlisten stats\n    bind :8404\n    stats enable\n    stats uri /\n');
    const client = startVipClient(plan);
    try {
      const { promise, events } = run();
      const res = await promise;
      assert.equal(res.outcome, 'rolled-back', res.message);
      assert.equal(res.exitCode, 1);
      assert.deepEqual(installs(events), ['lb3', 'lb2']);
      assert.match(res.message, /lb2: haproxy reload .* failed/);
      assert.deepEqual(await remoteState(), before, 'every host back on the previous files');
      // lb3 was reloaded back: nothing listens on :8404 there any more.
      assert.equal((await lab.exec('lb3', "ss -Hltn 'sport = :8404' | grep -c LISTEN")).stdout.trim(), '0');
      assert.equal(await lab.vipHolder(), 'lb1');
      const curl = await lab.curlVip();
      assert.equal(curl.code, 0, curl.stderr);
      assert.match(curl.stdout, /hello from w1/);
      assert.deepEqual(await debris(), []);
    } finally {
      const c = await client.stop();
      report.push(`failed reload on lb2 + rollback: client ${c.ok} ok / ${c.failed} failed`);
      fs.writeFileSync(src, good);
      await lab.exec('lb2', "kill $(ss -Hltnp 'sport = :8404' | grep -o 'pid=[0-9]*' | cut -d= -f2) 2>/dev/null; true");
    }
  });

  it('an unreachable host aborts before any change', async () => {
    const src = path.join(ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    fs.writeFileSync(src, good.replace('timeout client 45s', 'timeout client 50s'));
    const before = await remoteState();
    const bad = path.join(ws, 'haconf-unreachable.yaml');
    writeManifest(bad, plan, { addressOf: (h, ip) => (h === 'lb3' ? `${plan.net}.99` : ip) });
    try {
      const t0 = performance.now();
      const res = await run({ manifestPath: bad }).promise;
      assert.equal(res.outcome, 'unreachable', res.message);
      assert.match(res.message, /cannot reach lb3/);
      assert.deepEqual(await remoteState(), before);
      assert.deepEqual(await debris(), []);
      report.push(`unreachable host detected in ${((performance.now() - t0) / 1000).toFixed(1)} s (ConnectTimeout 3)`);
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it('an ssh connection killed mid-upload leaves no partial target and no candidate', async () => {
    const src = path.join(ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    fs.writeFileSync(src, good + `# ${'x'.repeat(100)}\n`.repeat(20000)); // ~2 MB
    const before = await remoteState();
    const ssh = new SshTransport({ baseDir: ws });
    let cut = false;
    const cutting: Transport = {
      run: async (h: RemoteHost, call, o = {}) => {
        if (h.name !== 'lb2' || call.op !== 'stage' || !Buffer.isBuffer(o.stdin)) return ssh.run(h, call, o);
        const part = new PassThrough();
        part.write(o.stdin.subarray(0, o.stdin.length >> 1));
        const ac = new AbortController();
        setTimeout(() => {
          // Kill the connection itself (the shared master), then the client.
          const args = ssh.sshArgs(h);
          const i = args.indexOf('--');
          spawn('ssh', [...args.slice(0, i), '-O', 'exit', ...args.slice(i)], { stdio: 'ignore' }).on('close', () => ac.abort());
          cut = true;
        }, 700);
        return ssh.run(h, call, { ...o, stdin: part, signal: ac.signal });
      },
      close: () => ssh.close(),
    };
    try {
      const res = await run({ transport: cutting }).promise;
      assert.ok(cut, 'the connection was cut');
      assert.equal(res.exitCode, 1);
      assert.match(res.message, /lb2: uploading haproxy\.cfg/);
      assert.deepEqual(await remoteState(), before);
      await waitFor('no candidate left', 5000, async () => ((await debris()).length === 0 ? true : undefined));
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it('a second concurrent deploy is refused while the first one runs', async () => {
    const src = path.join(ws, 'haproxy.cfg');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('timeout client 45s', 'timeout client 40s'));
    const first = run({ settleSeconds: 2 });
    await waitFor('the first deploy to roll out', 20000, () => (first.events.some((e) => e.type === 'phase' && e.phase === 'rollout') ? true : undefined), 20);
    const second = async (dir: string): Promise<{ code: number; out: string }> => {
      let out = '';
      try {
        return { code: await runDeploy(['--manifest', path.join(dir, 'haconf.yaml'), '--yes'], { stdout: (s) => (out += s), stderr: (s) => (out += s), cwd: dir, isTTY: false }), out };
      } catch (e) {
        return { code: e instanceof UsageError ? 2 : -1, out };
      }
    };
    // From the same workspace: its deploy journal names the running deploy; no host is contacted.
    const same = await second(ws);
    assert.equal(same.code, 1, same.out);
    assert.match(same.out, /another deploy of this manifest is running \(run [0-9a-f]+ by \S+ on \S+ \(pid \d+\)/);
    // From another checkout of the same cluster (another admin): the host locks refuse it.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-deploy-lab-other-'));
    try {
      for (const f of ['haconf.yaml', 'haproxy.cfg', ...plan.hosts.map((h) => `${h.name}/keepalived.conf`)]) {
        fs.mkdirSync(path.dirname(path.join(other, f)), { recursive: true });
        fs.copyFileSync(path.join(ws, f), path.join(other, f));
      }
      const elsewhere = await second(other);
      assert.equal(elsewhere.code, 1, elsewhere.out);
      assert.match(elsewhere.out, /locked by another deploy \(haconf run=[0-9a-f]+ token=[0-9a-f]{32} user=\S+ host=\S+ machine=/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    const res = await first.promise;
    assert.equal(res.outcome, 'success', res.message);
    assert.deepEqual(await remoteState(), expectedState());
    assert.deepEqual(await debris(), []);
    const audit = fs
      .readFileSync(path.join(ws, '.haconf/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { result: string });
    assert.deepEqual(
      audit
        .slice(-2)
        .map((a) => a.result)
        .sort(),
      ['refused', 'success'],
    );
  });
});
