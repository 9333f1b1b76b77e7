// A corosync.conf change deployed with haconf to a real 2-node corosync 3 (knet) pair in the lab, then
// reloaded with `corosync-cfgtool -R`: the pair must stay quorate on both nodes the whole time and run
// the new totem.token afterwards. Needs root and corosync; fails (never skips) without them.
// Run: node --import tsx --test test/deploy/corosync.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tearDown } from './teardown';
import { checkPrerequisites, planLab, startLab, waitFor, which, type Lab, type LabPlan } from '../lab/lab';
import { deploy } from '../../server/src/deploy/deploy';
import { SshTransport } from '../../server/src/deploy/ssh';
import type { DeployEvent } from '../../server/src/deploy/events';

const TARGET = '/etc/corosync/corosync.conf';
const report: string[] = [];

let lab: Lab;
let plan: LabPlan;
let ws: string;
let manifest: string;

function corosyncConf(p: LabPlan, o: { version: number; token: number }): string {
  const nodes = p.hosts.map((h) => `    node {\n        ring0_addr: ${h.ip}\n        name: ${h.name}\n        nodeid: ${h.index}\n    }\n`).join('');
  return `totem {
    version: 2
    cluster_name: haconflab
    config_version: ${o.version}
    transport: knet
    token: ${o.token}
    crypto_cipher: aes256
    crypto_hash: sha256
    keyfile: /etc/corosync/authkey
}

nodelist {
${nodes}}

quorum {
    provider: corosync_votequorum
    two_node: 1
}

logging {
    to_stderr: yes
    to_syslog: no
    to_logfile: no
    timestamp: on
}
`;
}

async function sh(host: string, cmd: string): Promise<string> {
  const r = await lab.exec(host, cmd);
  assert.equal(r.code, 0, `${host}: ${cmd} (exit ${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** `corosync-quorumtool -s` on a host: quorate or not, and how many members it sees. */
async function quorum(host: string): Promise<{ quorate: boolean; nodes: number; raw: string }> {
  const r = await lab.exec(host, 'corosync-quorumtool -s');
  const raw = r.stdout + r.stderr;
  return { quorate: /^Quorate:\s+Yes$/m.test(raw), nodes: Number(/^Nodes:\s+(\d+)$/m.exec(raw)?.[1] ?? 0), raw };
}

/** cmap keys `totem.token` and `runtime.config.totem.token` as corosync-cmapctl prints them. */
async function liveToken(host: string): Promise<{ configured?: number; runtime?: number; version?: number }> {
  const out = await sh(host, 'corosync-cmapctl | grep -e totem.token -e totem.config_version');
  const num = (key: string): number | undefined => {
    const m = new RegExp(`^${key.replace(/\./g, '\\.')} \\(u\\d+\\) = (\\d+)$`, 'm').exec(out);
    return m ? Number(m[1]) : undefined;
  };
  return { configured: num('totem.token'), runtime: num('runtime.config.totem.token'), version: num('totem.config_version') };
}

async function bothQuorate(what: string): Promise<void> {
  for (const h of plan.hosts) {
    const q = await quorum(h.name);
    assert.ok(q.quorate, `${what}: ${h.name} is not quorate:\n${q.raw}`);
    assert.equal(q.nodes, 2, `${what}: ${h.name} sees ${q.nodes} nodes:\n${q.raw}`);
  }
}

describe('haconf deploy of corosync.conf to a 2-node corosync pair (knet)', { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    for (const bin of ['corosync', 'corosync-cfgtool', 'corosync-quorumtool', 'corosync-cmapctl', 'corosync-keygen']) {
      assert.ok(which(bin), `${bin} is missing: apt-get install corosync`);
    }
    plan = planLab({ hosts: 2 });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-deploy-corosync-'));
    // sshd only: no haproxy, no keepalived; corosync is started below with plain commands.
    lab = await startLab({ hosts: 2, plan });
    // One authkey for both nodes (corosync-keygen on lb1, copied over), mode 0400 as corosync wants it.
    const conf = corosyncConf(plan, { version: 1, token: 3000 });
    await sh('lb1', 'corosync-keygen -l -k /etc/corosync/authkey >/dev/null 2>&1 && chmod 400 /etc/corosync/authkey');
    const key = Buffer.from((await sh('lb1', 'base64 -w0 /etc/corosync/authkey')).trim(), 'base64');
    assert.equal(key.length, 256, 'corosync-keygen wrote a 256-byte key');
    for (const h of plan.hosts) {
      if (h.name !== 'lb1') await sh(h.name, `echo ${key.toString('base64')} | base64 -d > /etc/corosync/authkey && chmod 400 /etc/corosync/authkey`);
      await sh(h.name, `cat > ${TARGET} <<'EOF'\n${conf}EOF`);
    }
    for (const h of plan.hosts) {
      await sh(h.name, `setsid corosync -f -c ${TARGET} >/var/log/corosync/stderr.log 2>&1 </dev/null &`);
    }
    const t0 = performance.now();
    await waitFor(
      'both corosync nodes quorate with 2 members',
      20000,
      async () => {
        for (const h of plan.hosts) {
          const q = await quorum(h.name);
          if (!q.quorate || q.nodes !== 2) return undefined;
        }
        return true;
      },
      200,
    );
    report.push(`lab (2 hosts, sshd) up in ${(lab.timings.setupMs / 1000).toFixed(1)} s; corosync pair quorate ${((performance.now() - t0) / 1000).toFixed(1)} s after start`);

    fs.writeFileSync(path.join(ws, 'corosync.conf'), conf);
    manifest = path.join(ws, 'haconf.yaml');
    const hosts = plan.hosts.map((h) => `  - name: ${h.name}\n    address: ${h.ip}/24\n`).join('');
    // The lab runs corosync in the foreground without systemd; the built-in validate/reload commands fit
    // it, and the status command is the quorum itself: quorumtool exits non-zero when not quorate.
    fs.writeFileSync(
      manifest,
      `cluster: corolab
defaults:
  ssh: { user: root, identityFile: ${lab.keyPath}, knownHostsFile: ${lab.knownHostsPath}, strictHostKeyChecking: "yes", connectTimeout: 3 }
  files:
    - { source: corosync.conf, target: ${TARGET}, kind: corosync }
  services:
    corosync: { validate: "corosync -t -c {file}", reload: "corosync-cfgtool -R", status: "corosync-quorumtool -s" }
hosts:
${hosts}deploy:
  settleSeconds: 1
  keepBackups: 2
  auditLog: .haconf/audit.jsonl
`,
    );
  });

  after(() => tearDown('corosync deploy report', report, [lab], [ws]));

  it('the pair starts quorate on the old token', async () => {
    await bothQuorate('before the deploy');
    for (const h of plan.hosts) assert.deepEqual(await liveToken(h.name), { configured: 3000, runtime: 3000, version: 1 });
  });

  it('a corosync.conf change (config_version 2, token 5000) lands on both nodes, is reloaded, and keeps quorum', async () => {
    const src = path.join(ws, 'corosync.conf');
    fs.writeFileSync(src, corosyncConf(plan, { version: 2, token: 5000 }));
    // Sample quorum on both nodes every 200 ms for as long as the deploy runs.
    let sampling = true;
    const samples: { host: string; quorate: boolean; nodes: number }[] = [];
    const sampler = (async () => {
      while (sampling) {
        for (const h of plan.hosts) {
          const q = await quorum(h.name);
          samples.push({ host: h.name, quorate: q.quorate, nodes: q.nodes });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const events: DeployEvent[] = [];
    const transport = new SshTransport({ baseDir: ws });
    const t0 = performance.now();
    const res = await deploy({ manifestPath: manifest, transport, onEvent: (e) => events.push(e) }).finally(() => transport.close());
    const wall = performance.now() - t0;
    sampling = false;
    await sampler;
    assert.equal(res.outcome, 'success', res.message);
    const did = (step: string): string[] => events.filter((e) => e.type === 'host' && e.step === step && e.status === 'ok').map((e) => (e as { host: string }).host);
    assert.deepEqual(new Set(did('validate')), new Set(['lb1', 'lb2']), 'corosync -t accepted the candidate on both nodes');
    assert.deepEqual(did('install').length, 2);
    assert.deepEqual(new Set(did('reload')), new Set(['lb1', 'lb2']), 'corosync-cfgtool -R ran after each install');

    const want = crypto.createHash('sha256').update(fs.readFileSync(src)).digest('hex');
    for (const h of plan.hosts) {
      assert.equal((await sh(h.name, `sha256sum ${TARGET}`)).split(' ')[0], want, `${h.name} runs the new file`);
      assert.equal((await sh(h.name, `ls -a /etc/corosync | grep -c haconf-new; true`)).trim(), '0', `no candidate left on ${h.name}`);
    }
    await bothQuorate('after the deploy');
    for (const h of plan.hosts) assert.deepEqual(await liveToken(h.name), { configured: 5000, runtime: 5000, version: 2 }, `${h.name}: the reload made the new token live`);
    const lost = samples.filter((s) => !s.quorate || s.nodes !== 2);
    assert.ok(samples.length >= 4, `only ${samples.length} quorum samples`);
    assert.deepEqual(lost, [], 'quorum held on both nodes during the deploy');
    report.push(
      `corosync.conf (config_version 1 → 2, token 3000 → 5000) to 2 nodes: ${(wall / 1000).toFixed(1)} s wall (stage ${res.timings.stageMs} ms, rollout ${res.timings.rolloutMs} ms); ${samples.length} quorum samples during the deploy, ${lost.length} not quorate`,
    );
  });

  it("a change the hosts' corosync -t rejects replaces nothing (crypto on udpu)", async () => {
    const src = path.join(ws, 'corosync.conf');
    const good = fs.readFileSync(src, 'utf8');
    const before = await Promise.all(plan.hosts.map((h) => sh(h.name, `sha256sum ${TARGET}`)));
    // Our own checker flags this too; --force gets it past pre-flight so the hosts' validator is what stops it.
    fs.writeFileSync(src, good.replace('transport: knet', 'transport: udpu').replace('config_version: 2', 'config_version: 3'));
    try {
      const transport = new SshTransport({ baseDir: ws });
      const res = await deploy({ manifestPath: manifest, transport, force: true }).finally(() => transport.close());
      assert.equal(res.outcome, 'rejected', res.message);
      assert.match(res.message, /lb\d rejected corosync\.conf/);
      assert.match(res.message, /Knet/i, "corosync's own message is passed on");
      assert.deepEqual(await Promise.all(plan.hosts.map((h) => sh(h.name, `sha256sum ${TARGET}`))), before);
      for (const h of plan.hosts) assert.equal((await sh(h.name, `ls -a /etc/corosync | grep -c haconf-new; true`)).trim(), '0');
      await bothQuorate('after the rejected deploy');
      report.push(`rejected by corosync -t: ${res.message.split('\n').slice(0, 2).join(' / ')}`);
    } finally {
      fs.writeFileSync(src, good);
    }
  });

  it('a change corosync -t accepts but the running corosync refuses (new ring addresses) is rolled back, quorum kept', async () => {
    const src = path.join(ws, 'corosync.conf');
    const good = fs.readFileSync(src, 'utf8');
    const before = await Promise.all(plan.hosts.map((h) => sh(h.name, `sha256sum ${TARGET}`)));
    // No host finds itself in this nodelist; the hosts' corosync -t does not mind, `corosync-cfgtool -R` does.
    fs.writeFileSync(src, good.replace(/ring0_addr: \d+\.\d+\.\d+\.(\d+)/g, 'ring0_addr: 192.0.2.$1').replace('config_version: 2', 'config_version: 3'));
    try {
      // haconf's own check already refuses it (cluster/corosync-membership)...
      const t1 = new SshTransport({ baseDir: ws });
      const refused = await deploy({ manifestPath: manifest, transport: t1 }).finally(() => t1.close());
      assert.equal(refused.outcome, 'refused', refused.message);
      assert.match(refused.message, /cluster\/corosync-membership/);
      // ...and forced past it, the reload failure rolls the host back.
      const transport = new SshTransport({ baseDir: ws });
      const res = await deploy({ manifestPath: manifest, transport, force: true }).finally(() => transport.close());
      assert.equal(res.outcome, 'rolled-back', res.message);
      assert.match(res.message, /lb\d: corosync reload \(corosync-cfgtool -R\) failed/);
      assert.deepEqual(await Promise.all(plan.hosts.map((h) => sh(h.name, `sha256sum ${TARGET}`))), before, 'both nodes back on the previous file');
      for (const h of plan.hosts) assert.equal((await sh(h.name, `ls -a /etc/corosync | grep -c haconf-new; true`)).trim(), '0');
      await bothQuorate('after the rollback');
      for (const h of plan.hosts) assert.deepEqual(await liveToken(h.name), { configured: 5000, runtime: 5000, version: 2 });
      report.push(`reload refused + rollback: ${res.message.split('\n')[0]}`);
    } finally {
      fs.writeFileSync(src, good);
    }
  });
});
