// Deploy speed on the lab (real sshd, haproxy and keepalived in namespaces; test/lab), with the same
// workspaces and measurements as test/deploy/speed.test.ts (test/deploy/speed-lab.ts):
//   deploy3: 3 deploys of a real change (both files on 3 hosts, 2 s VRRP settle per host), wall time;
//   staging: dry runs (upload + each host's validators), 1 host vs 10, three of each, medians of stageMs.
// Both run on hosts with a clean root shell (the machine's ~/.bashrc would otherwise run in every ssh
// session; see cleanRootShell), which is what the test's targets are asserted on.
// Prints one JSON line on stdout (last line); progress on stderr. Needs root; fails without the lab.
// Usage: node --import tsx bench/deploy.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPrerequisites, type Lab } from '../test/lab/lab';
import { SETTLE_MS, cleanRootShell, deployRound, stagingBound, stagingRounds, startDeployLab, startStagingLab } from '../test/deploy/speed-lab';
import { median, round } from './stats';

/** Runs `fn` on a fresh workspace and lab; the lab is stopped and checked for leftovers whatever happens. */
async function withLab<T>(name: string, fn: (ws: string, started: (lab: Lab) => void) => Promise<T>): Promise<T> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), `haconf-bench-${name}-`));
  let lab: Lab | undefined;
  try {
    return await fn(ws, (l) => (lab = l));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    if (lab) {
      await lab.stop();
      const left = lab.leftovers();
      // biome-ignore lint/correctness/noUnsafeFinally: a lab that left things behind must fail the run, even over fn's own error
      if (left.length) throw new Error(`the ${name} lab left things behind: ${left.join(', ')}`);
    }
  }
}

async function deploy3(): Promise<{ wallMs: number[]; medianMs: number; settleMs: number; settleShare: number; stageMs: number[]; sshRoundTripMs: { machineRoot: number; cleanRoot: number } }> {
  return withLab('deploy3', async (ws, started) => {
    const d = await startDeployLab(ws, started);
    const rt = await cleanRootShell(
      d.lab,
      d.plan.hosts.map((h) => h.name),
    );
    // Each round changes both files on every host again.
    const changes: [string, string][] = [
      ['31s', 'fall 3'],
      ['32s', 'fall 2'],
      ['33s', 'fall 3'],
    ];
    const wallMs: number[] = [];
    const stageMs: number[] = [];
    for (const [timeout, fall] of changes) {
      const t = await deployRound(d, timeout, fall);
      wallMs.push(Math.round(t.wallMs));
      stageMs.push(t.res.timings.stageMs);
      console.error(`deploy to 3 hosts: ${Math.round(t.wallMs)} ms wall (stage ${t.res.timings.stageMs} ms, rollout ${t.res.timings.rolloutMs} ms, ${t.prof.sessions.length} ssh sessions)`);
    }
    const medianMs = median(wallMs);
    return { wallMs, medianMs, settleMs: SETTLE_MS, settleShare: round(SETTLE_MS / medianMs, 2), stageMs, sshRoundTripMs: { machineRoot: Math.round(rt.beforeMs), cleanRoot: Math.round(rt.afterMs) } };
  });
}

async function staging(): Promise<{ oneMs: number; tenMs: number; ratio: number; oneRunsMs: number[]; tenRunsMs: number[]; tenHostsCpuMs: number[]; boundOnThisMachine: number }> {
  return withLab('staging', async (ws, started) => {
    const s = await startStagingLab(ws, started);
    await cleanRootShell(
      s.lab,
      s.plan.hosts.map((h) => h.name),
    );
    const { one, ten, tenCpu } = await stagingRounds(s);
    console.error(`staging: 1 host ${one.join('/')} ms, 10 hosts ${ten.join('/')} ms; hosts' CPU per 10-host dry run ${tenCpu.join('/')} ms`);
    const oneMs = median(one);
    const tenMs = median(ten);
    return { oneMs, tenMs, ratio: round(tenMs / oneMs, 2), oneRunsMs: one, tenRunsMs: ten, tenHostsCpuMs: tenCpu, boundOnThisMachine: round(stagingBound().factor, 1) };
  });
}

async function main(): Promise<void> {
  checkPrerequisites();
  const d = await deploy3();
  const s = await staging();
  process.stdout.write(`${JSON.stringify({ deploy3: d, staging: s, cores: stagingBound().cores })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench/deploy: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
