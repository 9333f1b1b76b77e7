// Rollout: one host at a time in plan order. Per host: backup + atomic rename of each changed file,
// reload its services, health-check, wait for VRRP to settle. Any failure puts that host back, then every
// host this run already changed, newest first, so the cluster ends on the files it started with.
import * as crypto from 'node:crypto';
import type { Language } from '../core/types';
import type { ManifestHost } from '../manifest/model';
import { runOn, runSteps, sleep, toolMessage, type StepContext } from './context';
import type { FilePlan } from './events';
import type { BatchStep, RunResult } from './transport';
import type { HostReport } from './events';
import { probeVips, vrrpProblem, type PlannedHost } from './plan';
import { calls, candidateName, type LockGuard } from './scripts';
import type { Candidates } from './stage';
import type { JournalHostPhase } from './journal';

export interface RolloutSettings {
  stamp: string;
  keepBackups: number;
  settleSeconds: number;
  vips: string[];
  /** Every host of the cluster, for the VIP probe. */
  probeHosts: ManifestHost[];
  /** False when the cluster was not VRRP-sane before the deploy (forced) or has no VIP. */
  vrrpCheck: boolean;
  /** How long after the settle wait the VIP may take to become sane again. */
  vrrpGraceMs: number;
  /**
   * Records a host's phase in the deploy journal (server/src/deploy/journal.ts) before it changes and after.
   * An error returned for 'swapping' stops the rollout before that host is touched.
   */
  journal?: (host: string, phase: JournalHostPhase) => string | undefined;
  /** The host's lock and this run's token: every install and restore re-checks it on the host first. */
  lock: (host: string) => LockGuard;
}

export interface RolloutResult {
  outcome: 'success' | 'rolled-back' | 'rollback-failed' | 'cancelled';
  message: string;
  reports: HostReport[];
  /** Candidates that were never installed (hosts not reached); the caller removes them. */
  leftover: Candidates;
}

interface Installed {
  target: string;
  /** Backup path; undefined when the target did not exist before. */
  backup?: string;
}

interface Changed {
  plan: PlannedHost;
  installed: Installed[];
}

async function runService(ctx: StepContext, p: PlannedHost, kind: Language, what: 'reload' | 'status', retry = false): Promise<string | undefined> {
  const cmd = p.host.services[kind]?.[what];
  if (!cmd) return undefined;
  const step = what === 'reload' ? 'reload' : 'health';
  ctx.emit({ type: 'host', host: p.name, step, status: 'start', detail: `${kind}: ${cmd}` });
  let r = await runOn(ctx, p.host, calls.exec(cmd));
  // Only while putting a host back (applyHost batches its own reloads): a cut session is tried once more.
  if (r.connectionFailed && retry) r = await runOn(ctx, p.host, calls.exec(cmd));
  if (r.code !== 0) {
    const msg = `${p.name}: ${kind} ${what} (${ctx.redactor.scrub(cmd)}) failed with exit ${r.code}:\n${toolMessage(ctx, r)}`;
    ctx.emit({ type: 'host', host: p.name, step, status: 'fail', detail: msg });
    return msg;
  }
  ctx.emit({ type: 'host', host: p.name, step, status: 'ok', detail: `${kind} ${what}` });
  return undefined;
}

async function haproxyAlive(ctx: StepContext, p: PlannedHost): Promise<string | undefined> {
  if (!p.files.some((f) => f.kind === 'haproxy')) return undefined;
  const r = await runOn(ctx, p.host, calls.haproxyAlive());
  if (r.code === 0) return undefined;
  return `${p.name}: ${toolMessage(ctx, r)}`;
}

/** Polls the VIP probe until every VIP is on exactly one host or the grace time is over. */
async function vrrpSane(ctx: StepContext, s: RolloutSettings): Promise<string | undefined> {
  if (!s.vrrpCheck || !s.vips.length) return undefined;
  const end = Date.now() + s.vrrpGraceMs;
  let last = '';
  for (;;) {
    const r = await probeVips(ctx, s.probeHosts, s.vips);
    last = r.ok ? vrrpProblem(r.holders) : r.message;
    if (!last) return undefined;
    if (Date.now() >= end) return last;
    await sleep(250);
  }
}

type ApplyStep = BatchStep & ({ what: 'install'; f: FilePlan } | { what: 'reload' | 'status'; kind: Language; cmd: string } | { what: 'alive' });

/**
 * One host: install every changed file, reload its services, run their status commands and the haproxy
 * probe, all in one remote session that stops at the first failure; then the settle wait and VIP check.
 */
async function applyHost(ctx: StepContext, p: PlannedHost, cands: Map<string, string>, s: RolloutSettings, rec: Changed): Promise<string | undefined> {
  const steps: ApplyStep[] = [];
  for (const f of p.files) if (f.changed) steps.push({ what: 'install', f, call: calls.install(f.target, cands.get(f.target)!, s.stamp, s.keepBackups, f.newMode, s.lock(p.name)) });
  for (const what of ['reload', 'status'] as const) {
    for (const kind of p.reloads) {
      const cmd = p.host.services[kind]?.[what];
      if (cmd) steps.push({ what, kind, cmd, call: calls.exec(cmd) });
    }
  }
  if (p.files.some((f) => f.kind === 'haproxy')) steps.push({ what: 'alive', call: calls.haproxyAlive() });
  for (const f of p.files) if (f.changed) ctx.emit({ type: 'host', host: p.name, step: 'install', status: 'start', detail: f.target });
  const results = await runSteps(ctx, p.host, steps);
  let healthStarted = false;
  for (const [i, r] of results.entries()) {
    const st = steps[i];
    if (st.what === 'install') {
      const f = st.f;
      const out = r.stdout.toString('utf8').trim();
      if (r.code !== 0 || !(out === 'new' || out.startsWith('backup '))) {
        // The rename may or may not have happened when the connection broke; restore from the backup the
        // script would have made, which is harmless if the target was never replaced.
        if (r.connectionFailed && f.remote.present) rec.installed.push({ target: f.target, backup: `${f.target}.haconf-bak-${s.stamp}` });
        const msg = `${p.name}: installing ${f.target} failed: ${toolMessage(ctx, r)}`;
        ctx.emit({ type: 'host', host: p.name, step: 'install', status: 'fail', detail: msg });
        return msg;
      }
      cands.delete(f.target);
      rec.installed.push({ target: f.target, backup: out === 'new' ? undefined : out.slice(7) });
      ctx.emit({ type: 'host', host: p.name, step: 'install', status: 'ok', detail: out === 'new' ? `${f.target} (new)` : `${f.target}, ${out}` });
      continue;
    }
    if (st.what !== 'reload' && !healthStarted) {
      healthStarted = true;
      ctx.emit({ type: 'host', host: p.name, step: 'health', status: 'start' });
    }
    if (st.what === 'alive') {
      if (r.code === 0) continue;
      const dead = `${p.name}: ${toolMessage(ctx, r)}`;
      ctx.emit({ type: 'host', host: p.name, step: 'health', status: 'fail', detail: dead });
      return dead;
    }
    const step = st.what === 'reload' ? 'reload' : 'health';
    ctx.emit({ type: 'host', host: p.name, step, status: 'start', detail: `${st.kind}: ${st.cmd}` });
    if (r.code !== 0) {
      const msg = `${p.name}: ${st.kind} ${st.what} (${ctx.redactor.scrub(st.cmd)}) failed with exit ${r.code}:\n${toolMessage(ctx, r)}`;
      ctx.emit({ type: 'host', host: p.name, step, status: 'fail', detail: msg });
      return msg;
    }
    ctx.emit({ type: 'host', host: p.name, step, status: 'ok', detail: `${st.kind} ${st.what}` });
  }
  if (results.length < steps.length) return `${p.name}: the rollout stopped after ${results.length} of ${steps.length} steps`;
  if (!healthStarted) ctx.emit({ type: 'host', host: p.name, step: 'health', status: 'start' });
  if (s.settleSeconds > 0) {
    ctx.emit({ type: 'host', host: p.name, step: 'settle', status: 'start', detail: `${s.settleSeconds} s` });
    await sleep(s.settleSeconds * 1000, ctx.signal);
  }
  const vrrp = await vrrpSane(ctx, s);
  if (vrrp) {
    const msg = `after ${p.name}: ${vrrp}`;
    ctx.emit({ type: 'host', host: p.name, step: 'health', status: 'fail', detail: msg });
    return msg;
  }
  ctx.emit({ type: 'host', host: p.name, step: 'health', status: 'ok' });
  return undefined;
}

/** Puts one host's files back and reloads its services; returns problems (empty = restored). */
async function restoreHost(ctx: StepContext, c: Changed, lock: LockGuard): Promise<string[]> {
  const p = c.plan;
  const problems: string[] = [];
  for (const i of [...c.installed].reverse()) {
    ctx.emit({ type: 'host', host: p.name, step: 'restore', status: 'start', detail: i.target });
    const restore = (): Promise<RunResult> => runOn(ctx, p.host, calls.restore(i.target, i.backup, candidateName(i.target, crypto.randomBytes(8).toString('hex')), lock));
    let r = await restore();
    // A restore is idempotent: a session cut under it (a signal, a network blip) is tried once more
    // rather than leaving the host on the new file.
    if (r.connectionFailed) r = await restore();
    if (r.code !== 0) {
      const msg = `${p.name}: restoring ${i.target} failed: ${toolMessage(ctx, r)}`;
      problems.push(msg);
      ctx.emit({ type: 'host', host: p.name, step: 'restore', status: 'fail', detail: msg });
    } else {
      const note = r.stdout.toString('utf8').trim(); // e.g. the backup itself renamed back on a full disk
      ctx.emit({ type: 'host', host: p.name, step: 'restore', status: 'ok', detail: (i.backup ? `${i.target} from ${i.backup}` : `${i.target} removed (it was new)`) + (note ? ` (${note})` : '') });
    }
  }
  if (!c.installed.length) return problems; // nothing was replaced, so nothing to reload
  for (const k of p.reloads) {
    const err = await runService(ctx, p, k, 'reload', true);
    if (err) problems.push(err);
  }
  const dead = await haproxyAlive(ctx, p);
  if (dead) problems.push(dead);
  return problems;
}

export async function rollout(ctx: StepContext, hosts: PlannedHost[], cands: Candidates, s: RolloutSettings): Promise<RolloutResult> {
  const done: Changed[] = [];
  // A host the rollout never reaches keeps its files: 'not-started', never 'staged' (which reads as if
  // something were left on it).
  const reports = new Map<string, HostReport>(hosts.map((h) => [h.name, { host: h.name, state: h.changed ? 'not-started' : 'unchanged' }]));
  let failure: { host?: string; message: string; cancelled: boolean } | undefined;
  for (const p of hosts) {
    if (!p.changed) continue;
    if (ctx.signal?.aborted) {
      failure = { message: `cancelled before ${p.name}`, cancelled: true };
      break;
    }
    const journalErr = s.journal?.(p.name, 'swapping');
    if (journalErr) {
      failure = { host: p.name, message: `${journalErr}\n${p.name} was not changed`, cancelled: false };
      break;
    }
    const rec: Changed = { plan: p, installed: [] };
    done.push(rec);
    const err = await applyHost(ctx, p, cands.get(p.name) ?? new Map(), s, rec);
    if (err) {
      failure = { host: p.name, message: err, cancelled: false };
      reports.set(p.name, { host: p.name, state: 'failed', message: err });
      break;
    }
    s.journal?.(p.name, 'swapped');
    reports.set(p.name, { host: p.name, state: 'deployed' });
  }
  const leftover: Candidates = new Map([...cands].filter(([, m]) => m.size > 0));
  if (!failure) return { outcome: 'success', message: `deployed to ${done.map((d) => d.plan.name).join(', ') || 'no host'}`, reports: [...reports.values()], leftover };

  ctx.emit({ type: 'phase', phase: 'rollback', message: failure.cancelled ? 'cancelled: rolling back the hosts this run changed' : `rolling back: ${failure.message.split('\n')[0]}` });
  const allProblems: string[] = [];
  for (const c of [...done].reverse()) {
    s.journal?.(c.plan.name, 'restoring');
    const problems = await restoreHost(ctx, c, s.lock(c.plan.name));
    s.journal?.(c.plan.name, problems.length ? 'restore-failed' : 'restored');
    allProblems.push(...problems);
    const prev = reports.get(c.plan.name);
    reports.set(c.plan.name, { host: c.plan.name, state: problems.length ? 'rollback-failed' : 'rolled-back', message: problems.length ? problems.join('\n') : prev?.message });
  }
  if (done.length && s.settleSeconds > 0) await sleep(s.settleSeconds * 1000);
  const vrrp = done.length ? await vrrpSane(ctx, s) : undefined;
  if (vrrp) allProblems.push(`after rollback: ${vrrp}`);
  const restored = done.map((d) => d.plan.name).join(', ') || 'no host';
  if (allProblems.length) {
    return { outcome: 'rollback-failed', message: `${failure.message}\nROLLBACK INCOMPLETE, check these hosts by hand:\n${allProblems.join('\n')}`, reports: [...reports.values()], leftover };
  }
  if (failure.cancelled) return { outcome: 'cancelled', message: `${failure.message}; rolled back ${restored}`, reports: [...reports.values()], leftover };
  return { outcome: 'rolled-back', message: `${failure.message}\nrolled back ${restored}: every host is on its previous files`, reports: [...reports.values()], leftover };
}
