// `haconf export ansible` run for real: Debian's ansible-core (ansible-playbook) against network-namespace
// labs (test/lab: sshd, haproxy, keepalived, a VIP). The same three scenarios as lab.test.ts's haconf deploy
// (a good change with requests to the VIP throughout, a change the hosts reject, a reload failing on the
// second host), then three clusters in one site.yml run. Needs root, the lab's daemons and ansible-core
// (test/setup.sh); fails, never skips, without them. Run: node --import tsx --test test/deploy/ansible.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPrerequisites, planLab, startLab, waitFor, type Lab, type LabPlan } from '../lab/lab';
import { labDebris } from './labState';
import { haproxyCfg, keepalivedConf, labManifest, LAB_HAPROXY_TARGET, LAB_KEEPALIVED_TARGET, type VrrpParams } from '../lab/configs';
import { tearDown } from './teardown';
import { runExport } from '../../server/src/cli/export';

const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
const REPO = path.resolve(__dirname, '../..');
const report: string[] = [];

interface Site {
  lab: Lab;
  plan: LabPlan;
  ws: string;
  manifest: string;
}

const sites: Site[] = [];
let tmp: string;
let out: string;
let haconfWrapper: string;

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
}

async function sh(s: Site, host: string, cmd: string): Promise<string> {
  const r = await s.lab.exec(host, cmd);
  assert.equal(r.code, 0, `${host}: ${cmd}: ${r.stderr}`);
  return r.stdout;
}

async function remoteState(s: Site): Promise<Record<string, string>> {
  const res: Record<string, string> = {};
  for (const h of s.plan.hosts) res[h.name] = (await sh(s, h.name, `sha256sum ${LAB_HAPROXY_TARGET} ${LAB_KEEPALIVED_TARGET} | cut -c1-16 | tr '\\n' ' '`)).trim();
  return res;
}

function expectedState(s: Site): Record<string, string> {
  const res: Record<string, string> = {};
  for (const h of s.plan.hosts) res[h.name] = `${sha(path.join(s.ws, 'haproxy.cfg'))} ${sha(path.join(s.ws, h.name, 'keepalived.conf'))}`;
  return res;
}

/** Candidates, restore temporaries and locks left on any host. */
const debris = (s: Site): Promise<string[]> => labDebris(s.lab, s.plan);

/** A client in the lab's client namespace: a fresh curl to the VIP every 50 ms. */
function startClient(s: Site): { stop: () => Promise<{ ok: number; failed: number; errors: string[] }> } {
  const script = `ok=0; failed=0; errs=
while [ ! -e "$1" ]; do
  if r=$(curl -sS --max-time 2 http://${s.plan.vip}/ 2>&1) && [ "$r" = "hello from w1" ]; then ok=$((ok+1)); else failed=$((failed+1)); errs="$errs|$r"; fi
  sleep 0.05
done
echo "$ok $failed $errs"`;
  const stopFile = path.join(tmp, `stop-client-${crypto.randomBytes(4).toString('hex')}`);
  const child: ChildProcessWithoutNullStreams = spawn('ip', ['netns', 'exec', s.plan.client.netns, 'sh', '-c', script, 'client', stopFile]);
  let text = '';
  child.stdout.on('data', (b: Buffer) => (text += b.toString()));
  return {
    stop: () =>
      new Promise((resolve) => {
        child.on('close', () => {
          const [ok, failed, ...rest] = text.trim().split(' ');
          resolve({ ok: Number(ok), failed: Number(failed), errors: rest.join(' ').split('|').filter(Boolean).slice(0, 5) });
        });
        fs.writeFileSync(stopFile, '');
      }),
  };
}

interface PlaybookRun {
  code: number;
  output: string;
  ms: number;
}

function playbook(file: string, extra: string[] = []): Promise<PlaybookRun> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('ansible-playbook', ['-i', path.join(out, 'inventory.yml'), path.join(out, file), ...extra], {
      cwd: tmp,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_RETRY_FILES_ENABLED: 'false' },
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output, ms: performance.now() - t0 }));
  });
}

/** Hosts in the order the install task ran on them (ansible prints "changed: [cluster__lb3] => (item=…)"). */
function installOrder(output: string): string[] {
  const hosts: string[] = [];
  for (const block of output.split(/\nTASK \[/).filter((b) => b.startsWith('backup, then one rename'))) {
    const m = /^(?:changed|ok|failed): \[[^\]]*__(lb\d)\]/m.exec(block);
    if (m) hosts.push(m[1]);
  }
  return hosts;
}

function exportFor(manifests: string[]): void {
  let stdout = '';
  let stderr = '';
  const code = runExport(['ansible', ...manifests.flatMap((m) => ['--manifest', m]), '--out', out, '--haconf-command', haconfWrapper], {
    stdout: (x) => (stdout += x),
    stderr: (x) => (stderr += x),
    cwd: tmp,
  });
  assert.equal(code, 0, stdout + stderr);
}

async function makeSite(cluster: string, hosts: number): Promise<Site> {
  const plan = planLab({ hosts });
  const ws = path.join(tmp, cluster);
  fs.mkdirSync(ws);
  fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
  for (const h of plan.hosts) {
    fs.mkdirSync(path.join(ws, h.name));
    fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
  }
  const lab = await startLab({ hosts, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
  const site: Site = { lab, plan, ws, manifest: path.join(ws, 'haconf.yaml') };
  sites.push(site);
  fs.writeFileSync(site.manifest, labManifest({ cluster, plan, user: 'root', keyPath: lab.keyPath, knownHostsPath: lab.knownHostsPath, connectTimeout: 3, settleSeconds: 2 }));
  await lab.waitForVip('lb1', 15000);
  return site;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${file}: ${from} not found`);
  fs.writeFileSync(file, next);
}

describe('haconf export ansible, run by ansible-playbook against the lab', { concurrency: false }, () => {
  let main: Site;

  before(async () => {
    checkPrerequisites();
    const ap = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
    assert.equal(ap.status, 0, "ansible-playbook is missing: install Debian's ansible-core (test/setup.sh)");
    report.push(ap.stdout.split('\n')[0]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ansible-'));
    out = path.join(tmp, 'ansible');
    // The playbook's first play runs `haconf check`; here haconf is this checkout, from source.
    haconfWrapper = path.join(tmp, 'haconf');
    fs.writeFileSync(haconfWrapper, `#!/bin/sh\ncd '${REPO}' && exec '${process.execPath}' --import tsx server/src/cli/main.ts "$@"\n`, { mode: 0o755 });
    main = await makeSite('lab-a', 3);
  });

  after(() =>
    tearDown(
      'ansible lab report',
      report,
      sites.map((s) => s.lab),
      [tmp],
    ),
  );

  it('a good change lands on every host, holder last, with 0 failed requests to the VIP', async () => {
    for (const h of main.plan.hosts) edit(path.join(main.ws, h.name, 'keepalived.conf'), 'fall 2', 'fall 3');
    edit(path.join(main.ws, 'haproxy.cfg'), 'timeout client 30s', 'timeout client 45s');
    exportFor([main.manifest]);
    const client = startClient(main);
    await new Promise((r) => setTimeout(r, 500));
    const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
    await new Promise((r) => setTimeout(r, 500));
    const c = await client.stop();
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(installOrder(run.output), ['lb3', 'lb2', 'lb1'], 'no-VIP hosts by ascending priority, the VIP holder last');
    assert.deepEqual(await remoteState(main), expectedState(main));
    assert.equal(await main.lab.vipHolder(), 'lb1');
    assert.deepEqual(await debris(main), []);
    assert.match(await sh(main, 'lb1', `ls ${LAB_HAPROXY_TARGET}.haconf-bak-* | wc -l`), /^1\n/, "one backup, in haconf's naming");
    report.push(
      `good change, 3 hosts (haproxy.cfg + keepalived.conf, settle 2 s): ${(run.ms / 1000).toFixed(1)} s; client ${c.ok} ok / ${c.failed} failed${c.errors.length ? ` (${c.errors.join('; ')})` : ''}`,
    );
    assert.ok(c.ok > 30, `the client made ${c.ok} requests`);
    assert.equal(c.failed, 0, `failed requests: ${c.errors.join('; ')}`);
  });

  it('an unchanged cluster: nothing uploaded, nothing reloaded', async () => {
    const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(installOrder(run.output), []);
    assert.doesNotMatch(run.output, /TASK \[reload the changed services[^\n]*\n(changed|ok):/);
  });

  it('-e haconf_dry_run=true stages and validates on every host, then replaces nothing; --check is refused', async () => {
    const src = path.join(main.ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState(main);
    edit(src, /timeout client \d+s/, 'timeout client 42s');
    try {
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a', '-e', 'haconf_dry_run=true']);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /TASK \[validate each candidate[^\n]*\n(ok: \[lab_a__lb\d\] => \(item=haproxy [^\n]*\n){3}/);
      for (const n of [1, 2, 3]) assert.match(run.output, new RegExp(`dry run: lb${n} accepted 1 changed file; nothing was replaced`));
      assert.deepEqual(installOrder(run.output), []);
      assert.deepEqual(await remoteState(main), before);
      assert.deepEqual(await debris(main), []);
      const check = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a', '--check']);
      assert.notEqual(check.code, 0, check.output);
      assert.match(check.output, /--check would skip every step and prove nothing; for a dry run .* pass -e haconf_dry_run=true/);
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it("the order is decided at run time: with the VIP on lb2 (lb1's keepalived stopped), lb2 goes last", async () => {
    await sh(main, 'lb1', 'kill "$(cat /run/keepalived.pid)"');
    await main.lab.waitForVip('lb2', 15000);
    const src = path.join(main.ws, 'haproxy.cfg');
    edit(src, /timeout client \d+s/, 'timeout client 40s');
    try {
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
      assert.equal(run.code, 0, run.output);
      // lb1 has the highest priority but holds no VIP now: it goes before lb2, the live holder.
      assert.deepEqual(installOrder(run.output), ['lb3', 'lb1', 'lb2']);
      assert.deepEqual(await remoteState(main), expectedState(main));
      assert.equal(await main.lab.vipHolder(), 'lb2');
      assert.deepEqual(await debris(main), []);
    } finally {
      main.lab.startKeepalived('lb1');
      await main.lab.waitForVip('lb1', 15000);
    }
  });

  it("a change the hosts' haproxy -c rejects replaces nothing and leaves no candidate or lock", async () => {
    const src = path.join(main.ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState(main);
    fs.writeFileSync(src, good.replace(`bind ${main.plan.vip}:80`, `bind ${main.plan.vip}:80\n    bind ${main.plan.vip}:443 ssl crt /etc/haproxy/certs/site.pem`));
    try {
      // haconf check does not know the certificate is missing; the hosts' own haproxy -c does.
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /site\.pem/, "haproxy's own message is passed on");
      assert.match(run.output, /nothing was replaced on any host of lab-a/);
      assert.deepEqual(installOrder(run.output), []);
      assert.deepEqual(await remoteState(main), before);
      assert.deepEqual(await debris(main), []);
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it('haconf check errors refuse the run before any host is contacted', async () => {
    const src = path.join(main.ws, 'lb1', 'keepalived.conf');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState(main);
    edit(src, /virtual_router_id \d+/, 'virtual_router_id 300');
    try {
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /TASK \[haconf check[^\n]*\nfatal: \[localhost\]/);
      assert.doesNotMatch(run.output, /TASK \[take haconf's deploy lock/);
      assert.deepEqual(await remoteState(main), before);
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it('a manifest changed since the export is refused', async () => {
    const text = fs.readFileSync(main.manifest, 'utf8');
    fs.writeFileSync(main.manifest, text.replace('settleSeconds: 2', 'settleSeconds: 1'));
    try {
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /changed since 'haconf export ansible'/);
    } finally {
      fs.writeFileSync(main.manifest, text);
    }
  });

  it('a host locked by another deploy: refused, nothing replaced, that lock left alone', async () => {
    const src = path.join(main.ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState(main);
    edit(src, /timeout client \d+s/, 'timeout client 50s');
    // The lock a haconf deploy from another machine would hold (same directory, same owner-line format).
    const owner = `haconf run=feed token=${'f'.repeat(32)} user=alice host=admin1 machine=- boot=- pidns=- pid=0 start=- started=2026-12-03T12:00:00Z`;
    await sh(main, 'lb2', `mkdir /run/haconf-deploy.lock && printf '%s\\n' '${owner}' > /run/haconf-deploy.lock/owner`);
    try {
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /lb2 is locked by another deploy \(haconf run=feed token=f+ user=alice host=admin1/);
      assert.match(run.output, /nothing was replaced on any host of lab-a/);
      assert.deepEqual(await remoteState(main), before);
      assert.deepEqual(await debris(main), ['lb2: LOCK'], "only alice's lock is left: ours are released, hers is not touched");
      assert.equal((await sh(main, 'lb2', 'cat /run/haconf-deploy.lock/owner')).trim(), owner);
    } finally {
      fs.writeFileSync(src, good);
      await main.lab.exec('lb2', 'rm -rf /run/haconf-deploy.lock');
    }
  });

  it('an unreachable host: nothing replaced on any host', async () => {
    const src = path.join(main.ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState(main);
    edit(src, /timeout client \d+s/, 'timeout client 50s');
    const bad = path.join(main.ws, 'haconf-unreachable.yaml');
    fs.writeFileSync(
      bad,
      labManifest({
        cluster: 'lab-u',
        plan: main.plan,
        user: 'root',
        keyPath: main.lab.keyPath,
        knownHostsPath: main.lab.knownHostsPath,
        connectTimeout: 3,
        settleSeconds: 2,
        addressOf: (h, ip) => (h === 'lb3' ? `${main.plan.net}.99` : ip),
      }),
    );
    try {
      exportFor([bad]);
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_u']);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /fatal: \[lab_u__lb3\]: UNREACHABLE!/);
      assert.match(run.output, /lb3 failed to lock, stage or validate: nothing was replaced on any host of lab-u/);
      assert.deepEqual(installOrder(run.output), []);
      assert.deepEqual(await remoteState(main), before);
      assert.deepEqual(await debris(main), []);
    } finally {
      fs.writeFileSync(src, good);
      fs.rmSync(bad);
      exportFor([main.manifest]);
    }
  });

  it('a reload failing on the second host puts every host back and the VIP keeps serving', async () => {
    const src = path.join(main.ws, 'haproxy.cfg');
    const good = fs.readFileSync(src, 'utf8');
    const before = await remoteState(main);
    // lb2 already has something on :8404, so its new haproxy cannot bind; haproxy -c does not bind, so
    // validation passes everywhere and the failure comes at lb2's reload, after lb3 was swapped.
    await sh(main, 'lb2', `setsid ${process.execPath} -e "require('net').createServer().listen(8404)" >/dev/null 2>&1 < /dev/null &`);
    await waitFor('the blocker on lb2:8404', 5000, async () => ((await main.lab.exec('lb2', "ss -Hltn 'sport = :8404' | grep -q LISTEN")).code === 0 ? true : undefined));
    fs.writeFileSync(src, good + '\nlisten stats\n    bind :8404\n    stats enable\n    stats uri /\n');
    const client = startClient(main);
    try {
      const run = await playbook('cluster.yml', ['-e', 'haconf_group=haconf_lab_a']);
      assert.notEqual(run.code, 0, run.output);
      assert.deepEqual(installOrder(run.output), ['lb3', 'lb2'], 'lb1 (the VIP holder) never swapped');
      assert.match(run.output, /rolled back: lb2: .*every host of lab-a is back on its previous files \(lb2, lb3\)/);
      assert.deepEqual(await remoteState(main), before, 'every host back on the previous files');
      assert.equal((await main.lab.exec('lb3', "ss -Hltn 'sport = :8404' | grep -c LISTEN")).stdout.trim(), '0', 'lb3 reloaded back');
      assert.equal(await main.lab.vipHolder(), 'lb1');
      const curl = await main.lab.curlVip();
      assert.equal(curl.code, 0, curl.stderr);
      assert.deepEqual(await debris(main), []);
      report.push(`failed reload on lb2 + rollback of lb2, lb3: ${(run.ms / 1000).toFixed(1)} s`);
    } finally {
      const c = await client.stop();
      report.push(`  client during it: ${c.ok} ok / ${c.failed} failed${c.errors.length ? ` (${c.errors.join('; ')})` : ''}`);
      fs.writeFileSync(src, good);
      await main.lab.exec('lb2', "kill $(ss -Hltnp 'sport = :8404' | grep -o 'pid=[0-9]*' | cut -d= -f2) 2>/dev/null; true");
    }
  });

  it('three clusters in one site.yml run, in parallel, 0 failed requests on any VIP', async () => {
    const b = await makeSite('lab-b', 2);
    const c = await makeSite('lab-c', 2);
    const all = [main, b, c];
    for (const s of all) {
      edit(path.join(s.ws, 'haproxy.cfg'), /timeout client \d+s/, 'timeout client 55s');
      for (const h of s.plan.hosts) edit(path.join(s.ws, h.name, 'keepalived.conf'), /rise 2/, 'rise 3');
    }
    exportFor(all.map((s) => s.manifest));
    const clients = all.map(startClient);
    await new Promise((r) => setTimeout(r, 500));
    const run = await playbook('site.yml');
    await new Promise((r) => setTimeout(r, 500));
    const results = await Promise.all(clients.map((cl) => cl.stop()));
    const logDir = path.join(out, 'logs');
    assert.equal(
      run.code,
      0,
      run.output +
        '\n' +
        (fs.existsSync(logDir)
          ? fs
              .readdirSync(logDir)
              .map((f) => fs.readFileSync(path.join(logDir, f), 'utf8'))
              .join('\n')
          : '(no logs folder)'),
    );
    for (const s of all) {
      assert.deepEqual(await remoteState(s), expectedState(s), s.manifest);
      assert.equal(await s.lab.vipHolder(), 'lb1');
      assert.deepEqual(await debris(s), []);
    }
    const logs = ['haconf_lab_a', 'haconf_lab_b', 'haconf_lab_c'].map((g) => fs.readFileSync(path.join(out, 'logs', `${g}.log`), 'utf8'));
    assert.deepEqual(
      logs.map((l) => installOrder(l)),
      [
        ['lb3', 'lb2', 'lb1'],
        ['lb2', 'lb1'],
        ['lb2', 'lb1'],
      ],
    );
    // In parallel: each cluster's install window (first host's swap .. last host's swap, from the targets'
    // ctimes, which the rename sets) overlaps the others'. Run one after the other, they could not.
    const windows = await Promise.all(
      all.map(async (s) => {
        const times = await Promise.all(s.plan.hosts.map(async (h) => Number(await sh(s, h.name, `stat -c %.9Z ${LAB_HAPROXY_TARGET}`))));
        return { first: Math.min(...times), last: Math.max(...times) };
      }),
    );
    const overlap = Math.min(...windows.map((w) => w.last)) - Math.max(...windows.map((w) => w.first));
    report.push(
      `3 clusters (3 + 2 + 2 hosts) in one site.yml run: ${(run.ms / 1000).toFixed(1)} s; install windows overlap by ${overlap.toFixed(1)} s; clients ${results.map((r) => `${r.ok} ok / ${r.failed} failed`).join(', ')}`,
    );
    assert.ok(overlap > 0, `the clusters' install windows do not overlap: ${JSON.stringify(windows)}`);
    for (const r of results) assert.equal(r.failed, 0, r.errors.join('; '));
    assert.ok(run.ms < 300000, `site.yml took ${run.ms} ms`); // only catches a hang; the number is in the report
  });

  it('site.yml: a cluster whose hosts reject its change is left untouched, the other clusters deploy', async () => {
    const [a, b, c] = sites;
    const beforeC = await remoteState(c);
    for (const s of [a, b]) edit(path.join(s.ws, 'haproxy.cfg'), /timeout client \d+s/, 'timeout client 35s');
    const srcC = path.join(c.ws, 'haproxy.cfg');
    const goodC = fs.readFileSync(srcC, 'utf8');
    fs.writeFileSync(srcC, goodC.replace(`bind ${c.plan.vip}:80`, `bind ${c.plan.vip}:80\n    bind ${c.plan.vip}:443 ssl crt /etc/haproxy/certs/site.pem`));
    try {
      const run = await playbook('site.yml');
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /lab-c: FAILED \(exit 2\): .*nothing was replaced on any host of lab-c/);
      assert.match(run.output, /failed: lab-c \(see logs\/<group>\.log\); the other clusters were deployed/);
      for (const s of [a, b]) {
        assert.deepEqual(await remoteState(s), expectedState(s), s.manifest);
        assert.deepEqual(await debris(s), []);
      }
      assert.deepEqual(await remoteState(c), beforeC);
      assert.deepEqual(await debris(c), []);
      report.push(`site.yml with lab-c rejected by its hosts: ${(run.ms / 1000).toFixed(1)} s; lab-a, lab-b deployed, lab-c untouched`);
    } finally {
      fs.writeFileSync(srcC, goodC);
    }
  });
});
