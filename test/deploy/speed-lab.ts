// The deploy speed measurements on the lab, shared by test/deploy/speed.test.ts (which asserts the
// targets) and bench/deploy.ts (which reports the numbers): the two workspaces and labs, one timed deploy
// of a real change to 3 hosts, and the alternating 1-host / 10-host staging rounds. The assertions here
// check that a measurement measured what it claims (outcome, changed files, VIP holder, parallel staging);
// the targets themselves are asserted by the test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLab, planLab, type Lab, type LabPlan } from '../lab/lab';
import { haproxyCfg, keepalivedConf, labManifest, type VrrpParams } from '../lab/configs';
import { deploy, type DeployOptions } from '../../server/src/deploy/deploy';
import { SshTransport } from '../../server/src/deploy/ssh';
import type { DeployResult } from '../../server/src/deploy/events';
import { ProfilingTransport } from './profile';

export const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
export const SETTLE_S = 2;
/** The settle waits of a 3-host deploy: one per host. */
export const SETTLE_MS = 3 * SETTLE_S * 1000;

export interface Timed {
  res: DeployResult;
  wallMs: number;
  prof: ProfilingTransport;
}

export async function timed(o: Omit<DeployOptions, 'transport'> & { baseDir: string }): Promise<Timed> {
  const prof = new ProfilingTransport(new SshTransport({ baseDir: o.baseDir }));
  const t0 = performance.now();
  const res = await deploy({ ...o, transport: prof }).finally(() => prof.close());
  return { res, wallMs: performance.now() - t0, prof };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Lab hosts share the machine's /root, so every ssh session on them runs the machine's ~/.bashrc (bash
 * sources it for sshd commands). On the dev machine that file runs `pyenv init`, ≈ 100 ms of CPU per
 * session: more than the deploy's own work. An empty /root inside the host's mount namespace gives the
 * login shell a fresh host has. Returns the median of 5 trivial round trips before and after.
 */
export async function cleanRootShell(lab: Lab, hosts: string[]): Promise<{ beforeMs: number; afterMs: number }> {
  const h = hosts[0];
  const rtt = async (): Promise<number> => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await lab.ssh(h, 'true');
      assert.equal(r.code, 0, r.stderr);
      xs.push(performance.now() - t0);
    }
    return median(xs);
  };
  const beforeMs = await rtt();
  for (const x of hosts) {
    const r = await lab.exec(x, 'mount -n -t tmpfs -o size=1m,mode=0700 tmpfs /root');
    assert.equal(r.code, 0, r.stderr);
  }
  return { beforeMs, afterMs: await rtt() };
}

// ---------------------------------------------------------------- 3 hosts, full deploy

/** A lab and the workspace (haconf.yaml + files) that deploys to it. */
export interface LabWorkspace {
  lab: Lab;
  plan: LabPlan;
  ws: string;
  manifest: string;
}

/**
 * Writes the 3-host workspace into `ws`, starts its lab (handed to `started` at once, so the caller stops
 * it even when a later step fails) and waits for the VIP on lb1.
 */
export async function startDeployLab(ws: string, started: (lab: Lab) => void): Promise<LabWorkspace> {
  const plan = planLab({ hosts: 3 });
  fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
  for (const h of plan.hosts) {
    fs.mkdirSync(path.join(ws, h.name));
    fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
  }
  const lab = await startLab({ hosts: 3, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
  started(lab);
  const manifest = path.join(ws, 'haconf.yaml');
  fs.writeFileSync(manifest, labManifest({ cluster: 'speed', plan, user: 'root', keyPath: lab.keyPath, knownHostsPath: lab.knownHostsPath, connectTimeout: 3, settleSeconds: SETTLE_S }));
  await lab.waitForVip('lb1', 15000);
  return { lab, plan, ws, manifest };
}

/**
 * One deploy where both files change on every host (2 uploads, 2 validations, 2 installs and 2 reloads per
 * host): haproxy.cfg gets `timeout client <timeout>`, each keepalived.conf `<fall>`. Each call must pass
 * values the hosts do not have yet.
 */
export async function deployRound(d: LabWorkspace, timeout: string, fall: string): Promise<Timed> {
  const { plan, ws, lab } = d;
  fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan).replace('timeout client 30s', `timeout client ${timeout}`));
  for (const h of plan.hosts) fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS).replace('fall 2', fall));
  const t = await timed({ manifestPath: d.manifest, baseDir: ws });
  assert.equal(t.res.outcome, 'success', t.res.message);
  assert.equal(t.res.plan?.hosts.flatMap((h) => h.files).filter((f) => f.changed).length, 6);
  assert.equal(await lab.vipHolder(), 'lb1');
  return t;
}

/** Report lines for one deployRound: wall time split into settle and work, each phase, each ssh session. */
export function deployReport(label: string, { res, wallMs, prof }: Timed): string[] {
  const tm = res.timings;
  return [
    `${label}: 3 hosts, 2 files each, settle ${SETTLE_S} s: ${(wallMs / 1000).toFixed(1)} s wall = settle ${(SETTLE_MS / 1000).toFixed(1)} s + ${((wallMs - SETTLE_MS) / 1000).toFixed(1)} s of work` +
      ` (pre-flight ${tm.preflightMs} ms, lock+read ${tm.lockMs} ms, plan ${tm.planMs} ms, stage ${tm.stageMs} ms, rollout ${tm.rolloutMs} ms); ${prof.sessions.length} ssh sessions`,
    ...prof.summary().map((l) => `    ${l}`),
  ];
}

// ---------------------------------------------------------------- staging, 1 host vs 10

/**
 * CPU (ms) the lab hosts have spent in everything their sshd ran and reaped (shells, uploads, validators),
 * read from each host's sshd listener, the oldest sshd in the host's PID namespace.
 */
async function hostCpuMs(lab: Lab, hosts: string[]): Promise<number> {
  let ticks = 0;
  for (const h of hosts) {
    const r = await lab.exec(h, 'cat /proc/$(pgrep -o -x sshd)/stat');
    assert.equal(r.code, 0, r.stderr);
    const f = r.stdout.slice(r.stdout.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]); // utime stime cutime cstime
  }
  return ticks * 10; // CLK_TCK is 100 on Linux
}

/** Waits until every sshd connection process on the hosts has exited (and was reaped). */
async function connectionsGone(lab: Lab, hosts: string[]): Promise<void> {
  for (const h of hosts) {
    for (let i = 0; i < 50; i++) {
      const r = await lab.exec(h, 'pgrep -P $(pgrep -o -x sshd) >/dev/null && echo busy; true');
      if (!r.stdout.includes('busy')) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }
}

/** The 10-target staging workspace in `ws` and its 9-host lab (handed to `started` at once). */
export async function startStagingLab(ws: string, started: (lab: Lab) => void): Promise<LabWorkspace> {
  // The lab has at most 9 hosts; the 10th entry reaches lb1's sshd (ssh.host) under its own address and
  // writes to its own folder and lock, so it is a separate deploy target with its own session.
  const plan = planLab({ hosts: 9 });
  const lab = await startLab({ hosts: 9, plan });
  started(lab);
  await lab.exec('lb1', 'mkdir -p /etc/haproxy/lb10 /etc/keepalived/lb10');
  fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
  // A keepalived.conf with a check script and no VRRP instance: the hosts' keepalived -t validates it,
  // and without a VIP the plan does not need keepalived running.
  fs.writeFileSync(
    path.join(ws, 'keepalived.conf'),
    `global_defs {\n    router_id lab\n    enable_script_security\n    script_user root\n}\n\nvrrp_script chk_haproxy {\n    script "/usr/bin/killall -0 haproxy"\n    interval 1\n    fall 2\n    rise 2\n}\n`,
  );
  const entries = [
    ...plan.hosts.map((h) => ({ name: h.name, address: h.ip, sshHost: undefined as string | undefined, dir: '' })),
    { name: 'lb10', address: `${plan.net}.20`, sshHost: plan.hosts[0].ip, dir: 'lb10/' },
  ];
  const hosts = entries
    .map(
      (e) => `  - name: ${e.name}
    address: ${e.address}/24
${e.sshHost ? `    ssh: { host: ${e.sshHost} }\n` : ''}    files:
      - { source: haproxy.cfg, target: /etc/haproxy/${e.dir}haproxy.cfg }
      - { source: keepalived.conf, target: /etc/keepalived/${e.dir}keepalived.conf }
`,
    )
    .join('');
  const manifest = path.join(ws, 'haconf.yaml');
  fs.writeFileSync(
    manifest,
    `cluster: staging10
defaults:
  ssh: { user: root, identityFile: ${lab.keyPath}, knownHostsFile: ${lab.knownHostsPath}, strictHostKeyChecking: "yes", connectTimeout: 3 }
  services:
    haproxy: { validate: "haproxy -c -f {file}", reload: "true" }
    keepalived: { validate: "keepalived -t -f {file}", reload: "true" }
hosts:
${hosts}deploy:
  settleSeconds: 0
  auditLog: .haconf/audit.jsonl
`,
  );
  return { lab, plan, ws, manifest };
}

export interface Staging {
  /** stageMs of each 1-host dry run. */
  one: number[];
  /** stageMs of each 10-host dry run. */
  ten: number[];
  /** CPU the hosts spent on each whole 10-host dry run. */
  tenCpu: number[];
}

/**
 * Dry runs (upload + each host's validators, nothing installed), alternating one host and all ten, three
 * of each: other jobs on the machine come and go, so the caller compares medians.
 */
export async function stagingRounds(s: LabWorkspace): Promise<Staging> {
  const { lab, plan, ws, manifest } = s;
  const lockDir = (h: string): string => `/run/haconf-deploy-${h}.lock`;
  const out: Staging = { one: [], ten: [], tenCpu: [] };
  let tenSessions: ProfilingTransport | undefined;
  const names = plan.hosts.map((h) => h.name);
  for (let i = 0; i < 3; i++) {
    const a = await timed({ manifestPath: manifest, baseDir: ws, dryRun: true, hosts: ['lb1'], lockDir });
    assert.equal(a.res.outcome, 'dry-run', a.res.message);
    out.one.push(a.res.timings.stageMs);
    await connectionsGone(lab, names);
    const cpu0 = await hostCpuMs(lab, names);
    const b = await timed({ manifestPath: manifest, baseDir: ws, dryRun: true, lockDir });
    assert.equal(b.res.outcome, 'dry-run', b.res.message);
    await connectionsGone(lab, names);
    out.tenCpu.push((await hostCpuMs(lab, names)) - cpu0);
    assert.equal(b.res.plan?.hosts.filter((h) => h.changed).length, 10);
    out.ten.push(b.res.timings.stageMs);
    tenSessions = b.prof;
  }
  const stageSessions = tenSessions!.sessions.filter((x) => x.ops.startsWith('stage'));
  assert.equal(stageSessions.length, 10, 'one staging session per host');
  // Stage sessions all overlap: each starts before the first one ends.
  const firstEnd = Math.min(...stageSessions.map((x) => x.startMs + x.ms));
  assert.ok(
    stageSessions.every((x) => x.startMs < firstEnd),
    'the 10 staging sessions run at the same time',
  );
  return out;
}

/**
 * The target (10 hosts ≤ 2× one) assumes every host validates on its own CPU. In the lab all ten hosts'
 * shells, uploads and validators share this machine's cores, so the bound is the 2× target or, with fewer
 * than ~8 cores, what those cores allow for ten hosts' work run fully in parallel (+50 %). Serial staging
 * (10×) fails it on any machine.
 */
export function stagingBound(): { cores: number; factor: number } {
  const cores = Math.max(1, os.cpus().length);
  return { cores, factor: Math.max(2, (1.5 * 10) / cores) };
}
