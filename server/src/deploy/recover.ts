// `haconf deploy --recover`: after a run died (SIGKILL, power loss, a force-quit), its journal says which
// files it meant to change, from which hash to which, where the backups and candidates are and which hosts
// it locked. Recover reads every file's current hash over ssh and says, per host, whether it is on the
// old files, the new ones, or neither (unknown); then, if asked, rolls the cluster back (restores the
// backups of the files that are new, reloads) or finishes the deploy (a normal deploy of the same workspace
// files), removes the dead run's candidates and locks, and writes the audit record the dead run never did.
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { defaultCheckOptions, type CheckOptions, type Language } from '../core/types';
import { NodeSourceHost, type SourceHost } from '../core/sourceHost';
import type { ManifestHost } from '../manifest/model';
import { appendAudit, auditPath, localUser } from './audit';
import { runOn, sleep, toolMessage, type StepContext } from './context';
import { deploy, type DeployOptions } from './deploy';
import type { DeployEvent, DeployResult } from './events';
import { describeRun, journalOwnerAlive, journalPath, readJournal, removeJournal, type Journal, type JournalFile } from './journal';
import { DEFAULT_LOCK_DIR, DEFAULT_STALE_SECONDS, lockGuard, newLockToken, ownerLine, releaseLocks, type LockSettings } from './lock';
import { localFor, preflight, probeVips, readRemote, sha256, vrrpProblem } from './plan';
import { vrrpView } from './order';
import { calls, candidateName } from './scripts';
import { Redactor } from './secrets';
import type { Transport } from './transport';
import { plural } from '../core/plural';

/** old/new: the file has the journal's old/new hash; other: neither; unreachable: could not be read. */
export type RecoverFileState = 'old' | 'new' | 'other' | 'unreachable';

export interface RecoverFile {
  target: string;
  source: string;
  state: RecoverFileState;
  /** Current sha256 on the host; null when the file is missing; undefined when unreadable. */
  current?: string | null;
  old: string | null;
  new: string;
}

export interface RecoverHost {
  host: string;
  /** old: every file the run meant to change is on its old hash; new: every one on its new hash. */
  state: 'old' | 'new' | 'unknown';
  files: RecoverFile[];
  message?: string;
}

export type RecoverAction = 'report' | 'finish' | 'rollback';

export interface RecoverOptions {
  manifestPath: string;
  transport: Transport;
  /** What to do, or a function asked with the state of every host (the interactive prompt). */
  action: RecoverAction | ((hosts: RecoverHost[], journal: Journal) => Promise<RecoverAction>);
  onEvent?: (e: DeployEvent) => void;
  /** Passed to the deploy that finishes the run. */
  signal?: AbortSignal;
  checkOptions?: CheckOptions;
  sourceHost?: SourceHost;
  lockDir?: (host: string) => string;
  staleLockSeconds?: number;
  settleSeconds?: number;
  vrrpGraceMs?: number;
  commandTimeoutMs?: number;
}

export interface RecoverResult {
  outcome: 'nothing-to-recover' | 'reported' | 'rolled-back' | 'finished' | 'refused' | 'failed';
  exitCode: 0 | 1;
  message: string;
  /** The interrupted run, when there was one. */
  journal?: Pick<Journal, 'runId' | 'user' | 'from' | 'pid' | 'started' | 'phase' | 'dryRun'>;
  /** Every host of the interrupted run, as found (before any action). */
  before: RecoverHost[];
  /** After the rollback or the finishing deploy. */
  after?: RecoverHost[];
  deploy?: DeployResult;
}

const short = (h: string | null | undefined): string => (h === null ? 'missing' : h === undefined ? '?' : h.slice(0, 12));

/** One line per host: which config it is on, in words a user can act on. */
export function describeHost(h: RecoverHost): string {
  if (h.state === 'old') return `${h.host}: old — on its previous files`;
  if (h.state === 'new') return `${h.host}: new — on the files the interrupted run deployed`;
  const parts = h.files.map((f) => `${f.target} ${f.state === 'other' ? `matches neither (sha256 ${short(f.current)}, old ${short(f.old)}, new ${short(f.new)})` : f.state}`);
  return `${h.host}: unknown — ${h.message ? `${h.message}; ` : ''}${parts.join(', ')}`;
}

function classify(current: string | null | undefined, f: JournalFile): RecoverFileState {
  if (current === undefined) return 'unreachable';
  if (current === f.old) return 'old';
  if (current === f.new) return 'new';
  return 'other';
}

/** The hosts' current hashes of every file the journal lists. */
export async function hostStates(ctx: StepContext, j: Journal, byName: Map<string, ManifestHost>): Promise<RecoverHost[]> {
  return Promise.all(
    j.hosts.map(async (jh): Promise<RecoverHost> => {
      const mh = byName.get(jh.name);
      if (!mh)
        return {
          host: jh.name,
          state: 'unknown',
          message: 'no longer in the manifest',
          files: jh.files.map((f) => ({ target: f.target, source: f.source, state: 'unreachable', old: f.old, new: f.new })),
        };
      const files: RecoverFile[] = [];
      let message: string | undefined;
      for (const f of jh.files) {
        const r = await readRemote(ctx, mh, f.target);
        if (!r.ok) message ??= r.message;
        const current = r.ok ? (r.state.present ? (r.state.sha256 ?? null) : null) : undefined;
        files.push({ target: f.target, source: f.source, state: classify(current, f), current, old: f.old, new: f.new });
      }
      const state = files.every((f) => f.state === 'old') ? 'old' : files.every((f) => f.state === 'new') ? 'new' : 'unknown';
      return { host: jh.name, state, files, message };
    }),
  );
}

type LockResult = { ok: true } | { ok: false; message: string };

/**
 * Locks the hosts for the recovery. A lock the dead run left (its run id) is taken over; a lock of any
 * other run means someone else is deploying, and recovery stops.
 */
async function lockForRecovery(ctx: StepContext, hosts: ManifestHost[], s: LockSettings, deadRun: string): Promise<LockResult> {
  const me = ownerLine(s, new Date());
  const res = await Promise.all(
    hosts.map(async (h): Promise<LockResult> => {
      const dir = s.dirFor(h.name);
      const r = await runOn(ctx, h, calls.lock(dir, me));
      if (r.code !== 0) return { ok: false, message: `${h.name}: cannot lock: ${toolMessage(ctx, r)}` };
      const out = r.stdout.toString('utf8');
      if (out.startsWith('acquired')) return { ok: true };
      const owner = out.split('\n').slice(1).join('\n').trim();
      if (!owner.includes(`run=${deadRun} `)) return { ok: false, message: `${h.name} is locked by another deploy (${owner}); wait for it to finish, then recover` };
      const t = await runOn(ctx, h, calls.takeover(dir, owner, me, crypto.randomBytes(6).toString('hex')));
      if (t.code !== 0 || !t.stdout.toString('utf8').startsWith('acquired')) return { ok: false, message: `${h.name}: could not take over the interrupted run's lock: ${toolMessage(ctx, t)}` };
      ctx.emit({ type: 'host', host: h.name, step: 'lock', status: 'ok', detail: `took over the lock of the interrupted run ${deadRun}` });
      return { ok: true };
    }),
  );
  const failed = res.map((r, i) => ({ r, h: hosts[i] })).filter((x) => !x.r.ok);
  if (!failed.length) return { ok: true };
  await releaseLocks(ctx, failed.length === hosts.length ? [] : hosts.filter((_, i) => res[i].ok), s);
  return { ok: false, message: failed.map((x) => (x.r as { message: string }).message).join('\n') };
}

/** Removes the candidates the dead run staged (rm -f: already gone is fine). */
async function removeDeadCandidates(ctx: StepContext, j: Journal, byName: Map<string, ManifestHost>): Promise<string[]> {
  const problems: string[] = [];
  for (const jh of j.hosts) {
    const mh = byName.get(jh.name);
    const paths = jh.files.flatMap((f) => (f.candidate ? [f.candidate] : []));
    if (!mh || !paths.length) continue;
    const r = await runOn(ctx, mh, calls.remove(paths));
    if (r.code !== 0) problems.push(`${jh.name}: could not remove candidates ${paths.join(', ')}: ${toolMessage(ctx, r)}`);
    else ctx.emit({ type: 'host', host: jh.name, step: 'cleanup', status: 'ok', detail: `${plural(paths.length, 'candidate')} of the interrupted run removed` });
  }
  return problems;
}

/** Puts back every file that is on its new hash, newest host first; reloads what changed. */
async function rollBackFromJournal(ctx: StepContext, j: Journal, states: RecoverHost[], byName: Map<string, ManifestHost>, locks: LockSettings): Promise<string[]> {
  const problems: string[] = [];
  for (const jh of [...j.hosts].reverse()) {
    const st = states.find((s) => s.host === jh.name);
    const mh = byName.get(jh.name);
    if (!st || !mh || st.state === 'old') continue;
    const kinds: Language[] = [];
    for (const f of jh.files) {
      const cur = st.files.find((x) => x.target === f.target);
      if (cur?.state === 'other' || cur?.state === 'unreachable') {
        problems.push(
          `${jh.name}: ${f.target} is ${cur.state === 'other' ? `on neither the old nor the new file (sha256 ${short(cur.current)}); left alone, check it by hand` : 'unreadable; left alone'}`,
        );
        continue;
      }
      if (cur?.state !== 'new') continue;
      if (f.backup) {
        // The backup must be the file the run replaced, or restoring it would install something else.
        const b = await readRemote(ctx, mh, f.backup);
        if (!b.ok || !b.state.present || sha256(b.content) !== f.old) {
          problems.push(`${jh.name}: the backup ${f.backup} is ${!b.ok ? `unreadable (${b.message})` : !b.state.present ? 'missing' : 'not the old file'}; ${f.target} left on the new file`);
          continue;
        }
      }
      ctx.emit({ type: 'host', host: jh.name, step: 'restore', status: 'start', detail: f.target });
      const r = await runOn(ctx, mh, calls.restore(f.target, f.backup ?? undefined, candidateName(f.target, crypto.randomBytes(8).toString('hex')), lockGuard(locks, jh.name)));
      if (r.code !== 0) {
        const msg = `${jh.name}: restoring ${f.target} failed: ${toolMessage(ctx, r)}`;
        problems.push(msg);
        ctx.emit({ type: 'host', host: jh.name, step: 'restore', status: 'fail', detail: msg });
        continue;
      }
      ctx.emit({ type: 'host', host: jh.name, step: 'restore', status: 'ok', detail: f.backup ? `${f.target} from ${f.backup}` : `${f.target} removed (it was new)` });
      if (!kinds.includes(f.kind)) kinds.push(f.kind);
    }
    for (const kind of (['corosync', 'haproxy', 'keepalived'] as Language[]).filter((k) => kinds.includes(k))) {
      const cmd = mh.services[kind]?.reload;
      if (!cmd) continue;
      const r = await runOn(ctx, mh, calls.exec(cmd));
      if (r.code !== 0) problems.push(`${jh.name}: ${kind} reload (${ctx.redactor.scrub(cmd)}) failed with exit ${r.code}: ${toolMessage(ctx, r)}`);
      else ctx.emit({ type: 'host', host: jh.name, step: 'reload', status: 'ok', detail: `${kind} reload` });
    }
    if (kinds.includes('haproxy')) {
      const r = await runOn(ctx, mh, calls.haproxyAlive());
      if (r.code !== 0) problems.push(`${jh.name}: ${toolMessage(ctx, r)}`);
    }
  }
  return problems;
}

export async function recover(o: RecoverOptions): Promise<RecoverResult> {
  const emit = (e: DeployEvent): void => o.onEvent?.(e);
  const redactor = new Redactor();
  const ctx: StepContext = { transport: o.transport, emit, redactor, commandTimeoutMs: o.commandTimeoutMs ?? 120000 };
  const pf = preflight(o.manifestPath, o.checkOptions ?? defaultCheckOptions(), o.sourceHost ?? new NodeSourceHost());
  const m = pf.manifest;
  const file = journalPath(m.file);
  const j = readJournal(file);
  if (!j) return { outcome: 'nothing-to-recover', exitCode: 0, message: `no interrupted deploy is recorded for ${m.file} (no ${file}); nothing to recover`, before: [] };
  const info = { runId: j.runId, user: j.user, from: j.from, pid: j.pid, started: j.started, phase: j.phase, dryRun: j.dryRun };
  if (journalOwnerAlive(j))
    return { outcome: 'refused', exitCode: 1, message: `that deploy is still running (${describeRun(j)}); wait for it, or stop it with Ctrl-C (it rolls back by itself)`, journal: info, before: [] };
  const byName = new Map(m.hosts.map((h) => [h.name, h]));
  emit({ type: 'phase', phase: 'plan', message: `reading the files of the interrupted ${describeRun(j)}` });
  const before = await hostStates(ctx, j, byName);
  for (const h of before) emit({ type: 'log', level: h.state === 'unknown' ? 'warn' : 'info', message: describeHost(h) });
  const untouched = j.locked.filter((n) => !j.hosts.some((h) => h.name === n));
  const summary = [`interrupted ${describeRun(j)}`, ...before.map(describeHost), ...(untouched.length ? [`${untouched.join(', ')}: old — nothing was planned to change there`] : [])].join('\n');

  const asked = typeof o.action === 'function' ? await o.action(before, j) : o.action;
  // A dry run changes no file: finishing it means only cleaning up after it.
  const action = asked === 'finish' && j.dryRun ? 'rollback' : asked;
  if (action === 'report') {
    const mixed = new Set(before.map((h) => h.state)).size > 1 || before.some((h) => h.state === 'unknown');
    return {
      outcome: 'reported',
      exitCode: 1,
      message: `${summary}\n${mixed ? 'the cluster is mixed. ' : ''}Run 'haconf deploy --recover --rollback' to put every host back on its previous files, or 'haconf deploy --recover --finish' to deploy the workspace to every host; nothing was changed`,
      journal: info,
      before,
    };
  }

  const lockHosts = [...new Set([...j.locked, ...j.hosts.map((h) => h.name)])].flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
  const runId = crypto.randomBytes(4).toString('hex');
  const lockSettings: LockSettings = { dirFor: o.lockDir ?? (() => DEFAULT_LOCK_DIR), staleSeconds: o.staleLockSeconds ?? DEFAULT_STALE_SECONDS, runId, user: localUser(), token: newLockToken() };
  const auditFile = auditPath(m.dir, m.deploy.auditLog);
  const audit = (result: 'rolled-back' | 'rollback-failed' | 'cancelled', message: string, t0: number): void =>
    appendAudit(m.dir, auditFile, {
      time: new Date(t0).toISOString(),
      runId: j.runId,
      user: localUser(),
      from: os.hostname(),
      cluster: j.cluster,
      manifest: m.file,
      hosts: j.locked,
      forced: j.forced,
      forcedFindings: [],
      result,
      message: redactor.scrub(message),
      files: j.hosts.flatMap((h) => h.files.map((f) => ({ host: h.name, target: f.target, before: f.old, after: f.new, changed: true }))),
      durationMs: Date.now() - t0,
    });

  const t0 = Date.now();
  if (action === 'finish') {
    // Finishing deploys the workspace as it is now; that is the interrupted run's intent only if the
    // workspace still holds the files that run was deploying.
    const drift: string[] = [];
    for (const jh of j.hosts) {
      for (const f of jh.files) {
        const mf = byName.get(jh.name)?.files.find((x) => x.target === f.target);
        let local: string | undefined;
        try {
          // What a deploy would ship this host now (a template source: its rendering for the host).
          local = mf ? localFor(pf, jh.name, mf)?.sha256 : undefined;
        } catch {
          local = undefined;
        }
        if (local !== f.new) drift.push(`${jh.name}: ${f.source} → ${f.target}`);
      }
    }
    if (drift.length) {
      return {
        outcome: 'refused',
        exitCode: 1,
        message: `${summary}\ncannot finish: the workspace no longer holds the files the interrupted run was deploying:\n${drift.join('\n')}\nroll back with 'haconf deploy --recover --rollback', then deploy again; nothing was changed`,
        journal: info,
        before,
      };
    }
  }

  emit({ type: 'phase', phase: 'lock', message: `locking ${lockHosts.map((h) => h.name).join(', ')}` });
  const locked = await lockForRecovery(ctx, lockHosts, lockSettings, j.runId);
  if (!locked.ok) return { outcome: 'refused', exitCode: 1, message: `${summary}\n${locked.message}\nnothing was changed`, journal: info, before };

  let problems: string[] = [];
  if (action === 'rollback') {
    emit({ type: 'phase', phase: 'rollback', message: `rolling back the interrupted run ${j.runId}` });
    problems = await rollBackFromJournal(ctx, j, before, byName, lockSettings);
    const settle = o.settleSeconds ?? m.deploy.settleSeconds;
    const vips = vrrpView(pf.cluster).vips;
    if (before.some((h) => h.state !== 'old') && vips.length) {
      if (settle > 0) await sleep(settle * 1000);
      const end = Date.now() + (o.vrrpGraceMs ?? Math.max(2000, settle * 1000));
      let last = '';
      for (;;) {
        const r = await probeVips(ctx, m.hosts, vips);
        last = r.ok ? vrrpProblem(r.holders) : r.message;
        if (!last || Date.now() >= end) break;
        await sleep(250);
      }
      if (last) problems.push(`after the rollback: ${last}`);
    }
  }
  emit({ type: 'phase', phase: 'cleanup', message: "removing the interrupted run's candidates and releasing the locks" });
  problems.push(...(await removeDeadCandidates(ctx, j, byName)));
  await releaseLocks(ctx, lockHosts, lockSettings);

  if (action === 'rollback') {
    const after = await hostStates(ctx, j, byName);
    const allOld = after.every((h) => h.state === 'old');
    const lines = [summary, 'after the rollback:', ...after.map(describeHost), ...problems];
    if (allOld && !problems.length) {
      audit('rolled-back', `recovered the interrupted run ${j.runId}: rolled back; every host is on its previous files`, t0);
      removeJournal(file);
      return { outcome: 'rolled-back', exitCode: 0, message: `${lines.join('\n')}\nrolled back: every host is on its previous files; the journal is removed`, journal: info, before, after };
    }
    audit('rollback-failed', `recovering the interrupted run ${j.runId}: ${problems.join('; ') || 'not every host is on its previous files'}`, t0);
    return { outcome: 'failed', exitCode: 1, message: `${lines.join('\n')}\nROLLBACK INCOMPLETE: check the hosts above by hand; the journal ${file} is kept`, journal: info, before, after };
  }

  // finish: the dead run is closed (audit, journal removed), then a normal deploy of the same files. If that
  // deploy does not succeed, the hosts the dead run had changed are rolled back too, so the cluster ends
  // on one config.
  audit('cancelled', `interrupted run ${j.runId} recovered: finishing it with a new deploy`, t0);
  removeJournal(file);
  const opts: DeployOptions = {
    manifestPath: m.file,
    hosts: j.locked,
    transport: o.transport,
    onEvent: o.onEvent,
    signal: o.signal,
    force: j.forced,
    checkOptions: o.checkOptions,
    sourceHost: o.sourceHost,
    lockDir: o.lockDir,
    staleLockSeconds: o.staleLockSeconds,
    settleSeconds: o.settleSeconds,
    vrrpGraceMs: o.vrrpGraceMs,
    commandTimeoutMs: o.commandTimeoutMs,
  };
  const res = await deploy(opts);
  const after = await hostStates(ctx, j, byName);
  if (res.outcome === 'success' || res.outcome === 'nothing-to-do') {
    return {
      outcome: 'finished',
      exitCode: after.every((h) => h.state === 'new') ? 0 : 1,
      message: `${summary}\nfinished: ${res.message}\n${after.map(describeHost).join('\n')}`,
      journal: info,
      before,
      after,
      deploy: res,
    };
  }
  // The finishing deploy rolled back what it changed; the hosts the dead run had changed are still new.
  const relock = await lockForRecovery(ctx, lockHosts, lockSettings, j.runId);
  let more: string[] = [relock.ok ? '' : relock.message];
  if (relock.ok) {
    emit({ type: 'phase', phase: 'rollback', message: `the finishing deploy did not succeed (${res.outcome}): rolling back the interrupted run's hosts too` });
    more = await rollBackFromJournal(ctx, j, after, byName, lockSettings);
    await releaseLocks(ctx, lockHosts, lockSettings);
  }
  const final = await hostStates(ctx, j, byName);
  return {
    outcome: 'failed',
    exitCode: 1,
    message: `${summary}\nfinishing failed: ${res.message}\n${final.map(describeHost).join('\n')}${more.filter(Boolean).length ? `\n${more.filter(Boolean).join('\n')}` : ''}`,
    journal: info,
    before,
    after: final,
    deploy: res,
  };
}
