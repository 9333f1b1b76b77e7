// One deploy per host at a time: a lock directory on the host (mkdir is atomic) holding who took it.
//
// Who: an owner line naming the run (run id, a 128-bit random token, user, host name) and the process
// that holds it in terms no other machine or container can share by accident: machine id, boot id, PID
// namespace, pid and the process's start time. Only the token proves ownership (unlock, heartbeat and
// every swap check it on the host), so a clash of host names or pids can never pass for the owner.
//
// Alive: the holder refreshes a heartbeat in the lock while its run lives (every `refreshSeconds`). The
// heartbeat records the host's boot id and seconds since boot, and the lock's age is measured against
// them on the host: one clock (the host's boot-time clock, which no date change or NTP step moves), so
// neither a clock jump nor clocks that disagree between machines can make a live lock look old.
//
// Stale (taken over, with a warning naming the holder and why): when the holder's process is provably gone
// (same machine id, boot id and PID namespace as ours, and that pid no longer runs with that start time),
// or when its heartbeat is older than `staleSeconds`. A live run never goes that long without one.
// A run that lost its lock anyway (stopped for longer than that, e.g. a suspended laptop) finds out on
// the host: every swap and restore re-checks the token right before acting and refuses when it is gone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as crypto from 'node:crypto';
import type { ManifestHost } from '../manifest/model';
import { runOn, runSteps, toolMessage, type StepContext } from './context';
import type { BatchStep, RunResult } from './transport';
import { calls, type LockGuard } from './scripts';
import { unreachableSentence } from './reach';
import { plural } from '../core/plural';

export const DEFAULT_LOCK_DIR = '/run/haconf-deploy.lock';
/** A lock whose heartbeat is older than this is stale. */
export const DEFAULT_STALE_SECONDS = 900;
/** How often a live run refreshes its locks: 30 heartbeats fit in the stale limit. */
export const DEFAULT_REFRESH_SECONDS = 30;

export interface LockSettings {
  /** Lock directory per host (the same path everywhere in production). */
  dirFor: (host: string) => string;
  staleSeconds: number;
  /** Heartbeat period; default DEFAULT_REFRESH_SECONDS. */
  refreshSeconds?: number;
  runId: string;
  /** 32 hex digits, random per run: what proves ownership on the host. */
  token: string;
  user: string;
  /** Tells whether a process of this machine (same PID namespace) still runs; injectable for tests. */
  processAlive?: (pid: number, start: string) => boolean;
  /** This process as the owner line names it; injectable for tests. */
  identity?: ProcessIdentity;
}

/** What makes a process unique across machines, containers and reboots. '-' = unknown on this system. */
export interface ProcessIdentity {
  machine: string;
  boot: string;
  /** PID namespace, as /proc/self/ns/pid names it (pid:[inode]). */
  pidns: string;
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart. */
  start: string;
}

export function newLockToken(): string {
  return crypto.randomBytes(16).toString('hex');
}

function readTrim(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after its ')'. */
export function processStart(pid: number | 'self'): string | undefined {
  const stat = readTrim(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** Only [A-Za-z0-9._:-] and brackets survive: owner lines are space-separated key=value words. */
function word(s: string | undefined): string {
  const w = (s ?? '').replace(/[^A-Za-z0-9._:[\]@-]/g, '_');
  return w || '-';
}

export function localIdentity(): ProcessIdentity {
  let pidns: string | undefined;
  try {
    pidns = fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    pidns = undefined;
  }
  return {
    machine: word(readTrim('/etc/machine-id') ?? readTrim('/var/lib/dbus/machine-id')),
    boot: word(readTrim('/proc/sys/kernel/random/boot_id')),
    pidns: word(pidns),
    pid: process.pid,
    start: word(processStart('self')),
  };
}

export function ownerLine(s: LockSettings, now: Date): string {
  const id = s.identity ?? localIdentity();
  return `haconf run=${s.runId} token=${s.token} user=${word(s.user)} host=${word(os.hostname())} machine=${id.machine} boot=${id.boot} pidns=${id.pidns} pid=${id.pid} start=${id.start} started=${now.toISOString()}`;
}

export function lockGuard(s: LockSettings, host: string): LockGuard {
  return { dir: s.dirFor(host), token: s.token };
}

function defaultProcessAlive(pid: number, start: string): boolean {
  const now = processStart(pid);
  // A pid that runs again with another start time is another process.
  return now !== undefined && (start === '-' || now === start);
}

function field(owner: string, key: string): string | undefined {
  return new RegExp(`(?:^| )${key}=(\\S+)`).exec(owner)?.[1];
}

/** How the host measured a held lock's age: from the holder's heartbeat, or (no heartbeat) the dir's mtime. */
export type AgeSource = 'beat' | 'mtime';

/** Why a held lock may be taken over, or undefined when it must be respected. */
export function staleReason(owner: string, ageSeconds: number, how: AgeSource, s: LockSettings): string | undefined {
  if (ageSeconds > s.staleSeconds) {
    return how === 'beat'
      ? `its holder has shown no sign of life for ${ageSeconds} s by the host's own boot-time clock (stale after ${s.staleSeconds} s)`
      : `it has no heartbeat and is ${ageSeconds} s old by the host's clock (stale after ${s.staleSeconds} s)`;
  }
  // A pid only means something in the PID namespace of the same boot of the same machine.
  const me = s.identity ?? localIdentity();
  const [machine, boot, pidns, start] = ['machine', 'boot', 'pidns', 'start'].map((k) => field(owner, k));
  const pid = Number(field(owner, 'pid'));
  const known = (v: string | undefined): v is string => v !== undefined && v !== '-';
  if (known(machine) && known(boot) && known(pidns) && machine === me.machine && boot === me.boot && pidns === me.pidns && Number.isInteger(pid) && pid > 0) {
    if (pid === me.pid && start === me.start) return undefined; // ourselves: never stale
    if (!(s.processAlive ?? defaultProcessAlive)(pid, start ?? '-')) return `its process ${pid} on this machine (same boot, same PID namespace) has ended`;
  }
  return undefined;
}

export type LockOutcome = { ok: true } | { ok: false; host: string; message: string; unreachable: boolean };

/** Calls to run right after the lock in the same session (the plan's reads), per host. */
export type AfterLock = (h: ManifestHost) => BatchStep[];

/** host → results of its AfterLock steps (fewer than asked when one failed). */
export type AfterLockResults = Map<string, RunResult[]>;

/** The sweep of candidates left by killed runs, which rides at the end of the lock session. */
function sweepStep(h: ManifestHost, s: LockSettings): BatchStep[] {
  const targets = [...new Set(h.files.map((f) => f.target))];
  return targets.length ? [{ call: calls.sweep(lockGuard(s, h.name), targets) }] : [];
}

function reportSweep(ctx: StepContext, h: ManifestHost, r: RunResult | undefined): void {
  const removed = r && r.code === 0 ? r.stdout.toString('utf8').split('\n').filter(Boolean) : [];
  if (removed.length) ctx.emit({ type: 'log', level: 'warn', message: `${h.name}: removed ${plural(removed.length, 'candidate')} left by an earlier run that did not finish: ${removed.join(', ')}` });
}

async function lockOne(ctx: StepContext, h: ManifestHost, s: LockSettings, after: AfterLock | undefined, results: AfterLockResults): Promise<LockOutcome> {
  ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'start' });
  const dir = s.dirFor(h.name);
  const me = ownerLine(s, new Date());
  // The reads ride in the lock's session: one round trip. They also run when the lock turns out to be
  // held (they only read); their answers are then thrown away. The sweep checks the token itself, so it
  // does nothing unless the lock is ours.
  const extra = after?.(h) ?? [];
  const sweep = sweepStep(h, s);
  const [r, ...rest] = await runSteps(ctx, h, [{ call: calls.lock(dir, me) }, ...extra, ...sweep]);
  if (r.code !== 0) {
    const msg = toolMessage(ctx, r);
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'fail', detail: msg });
    return { ok: false, host: h.name, message: r.connectionFailed ? unreachableSentence(h.name, msg) : `cannot lock ${h.name}: ${msg}`, unreachable: r.connectionFailed };
  }
  const out = r.stdout.toString('utf8');
  if (out.startsWith('acquired')) {
    results.set(h.name, rest.slice(0, extra.length));
    reportSweep(ctx, h, rest[extra.length]);
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'ok' });
    return { ok: true };
  }
  const [head, ...lines] = out.split('\n');
  const held = /^held (-?\d+) (beat|mtime)/.exec(head);
  const age = Number(held?.[1] ?? 0);
  const how: AgeSource = held?.[2] === 'beat' ? 'beat' : 'mtime';
  const owner = lines.join('\n').trim();
  const stale = staleReason(owner, age, how, s);
  if (!stale) {
    const message = `${h.name} is locked by another deploy (${owner}); wait for it to finish, or remove ${dir} on ${h.name} if you are sure none is running`;
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'fail', detail: message });
    return { ok: false, host: h.name, message, unreachable: false };
  }
  ctx.emit({ type: 'log', level: 'warn', message: `${h.name}: taking over the lock of a run that is gone (${owner}): ${stale}` });
  const t = await runOn(ctx, h, calls.takeover(dir, owner, me, crypto.randomBytes(6).toString('hex')));
  if (t.code !== 0 || !t.stdout.toString('utf8').startsWith('acquired')) {
    const message = `${h.name}: could not take over the stale lock: ${toolMessage(ctx, t)}`;
    ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'fail', detail: message });
    return { ok: false, host: h.name, message, unreachable: t.connectionFailed };
  }
  ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'ok', detail: 'stale lock taken over' });
  // Read again now that the lock is ours, and clear what the dead run left.
  const again = await runSteps(ctx, h, [...extra, ...sweep]);
  results.set(h.name, again.slice(0, extra.length));
  reportSweep(ctx, h, again[extra.length]);
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
  await releaseLocks(
    ctx,
    hosts.filter((_, i) => res[i].ok),
    s,
  );
  // Unreachable hosts are the more useful thing to name first: one sentence each.
  const unreachable = failed.filter((f) => f.unreachable);
  if (unreachable.length > 1) return { ok: false, host: unreachable.map((f) => f.host).join(', '), message: unreachable.map((f) => f.message).join('\n'), unreachable: true };
  return unreachable[0] ?? failed[0];
}

export async function releaseLocks(ctx: StepContext, hosts: ManifestHost[], s: LockSettings): Promise<void> {
  await Promise.all(
    hosts.map(async (h) => {
      const r = await runOn(ctx, h, calls.unlock(lockGuard(s, h.name)));
      if (r.code !== 0) ctx.emit({ type: 'log', level: 'warn', message: `${h.name}: could not release the deploy lock: ${toolMessage(ctx, r)}` });
      else ctx.emit({ type: 'host', host: h.name, step: 'unlock', status: 'ok' });
    }),
  );
}

export interface Heartbeat {
  /** Stops refreshing; resolves once no refresh is in flight (so none lands after the unlock). */
  stop(): Promise<void>;
}

/**
 * Refreshes the run's lock on every host every `refreshSeconds` while the run lives. A host whose lock
 * is no longer ours is named once in the log; the swap there refuses on its own (the install re-checks).
 */
export function startHeartbeat(ctx: StepContext, hosts: ManifestHost[], s: LockSettings): Heartbeat {
  const lost = new Set<string>();
  let inFlight: Promise<unknown> = Promise.resolve();
  let busy = false;
  const round = (): void => {
    if (busy) return; // a slow host: skip a beat rather than pile sessions up
    busy = true;
    inFlight = Promise.all(
      hosts.map(async (h) => {
        const r = await runOn(ctx, h, calls.refresh(lockGuard(s, h.name)));
        if (r.code === 5 && !lost.has(h.name)) {
          lost.add(h.name);
          ctx.emit({ type: 'log', level: 'warn', message: `${h.name}: this run no longer holds the deploy lock (${toolMessage(ctx, r)}); nothing more will be changed there` });
        }
      }),
    ).finally(() => (busy = false));
  };
  const timer = setInterval(round, Math.max(0.05, s.refreshSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000);
  timer.unref?.();
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}
