// One deploy per host at a time: a lock directory on the host (mkdir is atomic) holding who took it.
// A lock is stale when it is older than `staleSeconds` by the host's own clock, or when it names this
// machine and a process here that no longer exists; a stale lock is taken over, and the log says so.
import * as os from 'node:os';
import * as crypto from 'node:crypto';
import type { ManifestHost } from '../manifest/model';
import { runOn, runSteps, toolMessage, type StepContext } from './context';
import type { BatchStep, RunResult } from './transport';
import { calls } from './scripts';
import { unreachableSentence } from './reach';

export const DEFAULT_LOCK_DIR = '/run/haconf-deploy.lock';
export const DEFAULT_STALE_SECONDS = 900;

export interface LockSettings {
  /** Lock directory per host (the same path everywhere in production). */
  dirFor: (host: string) => string;
  staleSeconds: number;
  runId: string;
  user: string;
  /** Tells whether a pid on this machine is alive; injectable for tests. */
  pidAlive?: (pid: number) => boolean;
}

export function ownerLine(s: LockSettings, now: Date): string {
  return `haconf run=${s.runId} user=${s.user} host=${os.hostname()} pid=${process.pid} started=${now.toISOString()}`;
}

function defaultPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a held lock may be taken over, or undefined when it must be respected. */
export function staleReason(owner: string, ageSeconds: number, s: LockSettings): string | undefined {
  if (ageSeconds > s.staleSeconds) return `it is ${ageSeconds} s old (stale after ${s.staleSeconds} s)`;
  const host = /\bhost=(\S+)/.exec(owner)?.[1];
  const pid = Number(/\bpid=(\d+)/.exec(owner)?.[1]);
  if (host === os.hostname() && pid > 0 && !(s.pidAlive ?? defaultPidAlive)(pid)) return `its process ${pid} on ${host} no longer exists`;
  return undefined;
}

export type LockOutcome = { ok: true } | { ok: false; host: string; message: string; unreachable: boolean };

/** Calls to run right after the lock in the same session (the plan's reads), per host. */
export type AfterLock = (h: ManifestHost) => BatchStep[];

/** host → results of its AfterLock steps (fewer than asked when one failed). */
export type AfterLockResults = Map<string, RunResult[]>;

async function lockOne(ctx: StepContext, h: ManifestHost, s: LockSettings, after: AfterLock | undefined, results: AfterLockResults): Promise<LockOutcome> {
  ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'start' });
  const dir = s.dirFor(h.name);
  const me = ownerLine(s, new Date());
  // The reads ride in the lock's session: one round trip. They also run when the lock turns out to be
  // held (they only read); their answers are then thrown away.
  const extra = after?.(h) ?? [];
  const [r, ...afterResults] = await runSteps(ctx, h, [{ call: calls.lock(dir, me) }, ...extra]);
  if (r.code !== 0) {
    const msg = toolMessage(ctx, r);
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'fail', detail: msg });
    return { ok: false, host: h.name, message: r.connectionFailed ? unreachableSentence(h.name, msg) : `cannot lock ${h.name}: ${msg}`, unreachable: r.connectionFailed };
  }
  const out = r.stdout.toString('utf8');
  if (out.startsWith('acquired')) {
    results.set(h.name, afterResults);
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'ok' });
    return { ok: true };
  }
  const [head, ...rest] = out.split('\n');
  const age = Number(/^held (-?\d+)/.exec(head)?.[1] ?? 0);
  const owner = rest.join('\n').trim();
  const stale = staleReason(owner, age, s);
  if (!stale) {
    const message = `${h.name} is locked by another deploy (${owner}); wait for it to finish, or remove ${dir} on ${h.name} if you are sure none is running`;
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'fail', detail: message });
    return { ok: false, host: h.name, message, unreachable: false };
  }
  ctx.emit({ type: 'log', level: 'warn', message: `${h.name}: taking over a stale lock (${owner}): ${stale}` });
  const t = await runOn(ctx, h, calls.takeover(dir, owner, me, crypto.randomBytes(6).toString('hex')));
  if (t.code !== 0 || !t.stdout.toString('utf8').startsWith('acquired')) {
    const message = `${h.name}: could not take over the stale lock: ${toolMessage(ctx, t)}`;
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'fail', detail: message });
    return { ok: false, host: h.name, message, unreachable: t.connectionFailed };
  }
  ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'ok', detail: 'stale lock taken over' });
  // Read again now that the lock is ours.
  results.set(h.name, await runSteps(ctx, h, extra));
  return { ok: true };
}

/**
 * Locks every host (in parallel) or none: on any failure the locks already taken are released. `after`
 * adds calls run under the fresh lock in the same session; their results land in `results`.
 */
export async function acquireLocks(ctx: StepContext, hosts: ManifestHost[], s: LockSettings, after?: AfterLock, results: AfterLockResults = new Map()): Promise<LockOutcome> {
  const res = await Promise.all(hosts.map((h) => lockOne(ctx, h, s, after, results)));
  const failed = res.filter((r): r is Extract<LockOutcome, { ok: false }> => !r.ok);
  if (!failed.length) return { ok: true };
  await releaseLocks(ctx, hosts.filter((_, i) => res[i].ok), s);
  // Unreachable hosts are the more useful thing to name first: one sentence each.
  const unreachable = failed.filter((f) => f.unreachable);
  if (unreachable.length > 1) return { ok: false, host: unreachable.map((f) => f.host).join(', '), message: unreachable.map((f) => f.message).join('\n'), unreachable: true };
  return unreachable[0] ?? failed[0];
}

export async function releaseLocks(ctx: StepContext, hosts: ManifestHost[], s: LockSettings): Promise<void> {
  await Promise.all(
    hosts.map(async (h) => {
      const r = await runOn(ctx, h, calls.unlock(s.dirFor(h.name), s.runId));
      if (r.code !== 0) ctx.emit({ type: 'log', level: 'warn', message: `${h.name}: could not release the deploy lock: ${toolMessage(ctx, r)}` });
      else ctx.emit({ type: 'host', host: h.name, step: 'unlock', status: 'ok' });
    }),
  );
}
