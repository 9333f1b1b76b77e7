// The deploy: pre-flight → lock every host → plan → stage everywhere → (confirm) → roll out host by host
// → unlock → audit. See docs/deploy.md for the guarantees each step gives.
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { defaultCheckOptions, type CheckOptions } from '../core/types';
import { NodeSourceHost, type SourceHost } from '../core/sourceHost';
import type { Manifest, ManifestHost } from '../manifest/model';
import { appendAudit, auditPath, localUser, type AuditFile, type AuditRecord } from './audit';
import { runOn, type StepContext } from './context';
import type { DeployEvent, DeployPlan, DeployResult, DeployTimings, HostReport, Outcome } from './events';
import {
  acquireLocks,
  DEFAULT_LOCK_DIR,
  DEFAULT_STALE_SECONDS,
  lockGuard,
  newLockToken,
  releaseLocks,
  startHeartbeat,
  type AfterLock,
  type AfterLockResults,
  type Heartbeat,
  type LockSettings,
  type ProcessIdentity,
} from './lock';
import {
  buildHostPlans,
  DeployUsageError,
  parseRead,
  preflight,
  probeVips,
  readLocals as readPlanLocals,
  readRemote,
  selectHosts,
  unrenderedProblems,
  vrrpProblem,
  type LocalFile,
  type PlannedHost,
  type Preflight,
} from './plan';
import { vrrpView } from './order';
import { calls } from './scripts';
import { parseVersions, recordVersions } from './versions';
import { rollout } from './rollout';
import { knownHostsProblems } from './knownHosts';
import { Redactor } from './secrets';
import { nameCandidates, removeCandidates, stageAll, type Candidates } from './stage';
import { describeRun, JournalError, journalOwnerAlive, journalPath, JournalWriter, readJournal, thisProcess, type Journal, type JournalHost } from './journal';
import type { RemoteState } from './events';
import type { RunResult, Transport } from './transport';
import { plural } from '../core/plural';

export interface DeployOptions {
  manifestPath: string;
  /** Subset of manifest host names; all when absent. */
  hosts?: string[];
  dryRun?: boolean;
  force?: boolean;
  /**
   * How this front lets the user deploy past pre-flight errors, added to the refusal (the CLI: `pass
   * --force`); absent where there is no such way (the editor), so the message never advises a flag it lacks.
   */
  forceHint?: string;
  transport: Transport;
  onEvent?: (e: DeployEvent) => void;
  /** Asked after staging succeeded, before any host changes. Absent = yes. */
  confirm?: (plan: DeployPlan) => Promise<boolean>;
  /** Cancels: stops before the next host and rolls back what this run changed. */
  signal?: AbortSignal;
  checkOptions?: CheckOptions;
  sourceHost?: SourceHost;
  /** Lock directory per host; default /run/haconf-deploy.lock everywhere. */
  lockDir?: (host: string) => string;
  /** A lock whose holder's heartbeat is older than this is taken over (default 900). */
  staleLockSeconds?: number;
  /** How often this run refreshes its locks (default 30 s). */
  lockRefreshSeconds?: number;
  /** Tells whether a process of this machine still runs (tests). */
  processAlive?: (pid: number, start: string) => boolean;
  /** This process as its lock's owner line names it (tests). */
  lockIdentity?: ProcessIdentity;
  /** Overrides the manifest's deploy.settleSeconds. */
  settleSeconds?: number;
  vrrpGraceMs?: number;
  commandTimeoutMs?: number;
  /** Write the audit record (default true; dry runs never write one). */
  audit?: boolean;
}

/** Why a deploy may not start over this manifest's journal, or undefined when there is none. */
export function journalBlock(manifestFile: string): string | undefined {
  const file = journalPath(manifestFile);
  let j: Journal | undefined;
  try {
    j = readJournal(file);
  } catch (e) {
    if (e instanceof JournalError) return e.message;
    throw e;
  }
  if (!j) return undefined;
  if (journalOwnerAlive(j)) return `another deploy of this manifest is running (${describeRun(j)}); wait for it to finish`;
  return `an earlier deploy did not finish (${describeRun(j)}); the hosts may be on different configs.\nRun 'haconf deploy --recover' to see the state of every host and finish or roll back that deploy (journal: ${file})`;
}

function stampOf(d: Date, runId: string): string {
  return (
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z') +
    '-' +
    runId
  );
}

/** What every step of one run shares; `plan`, `hostPlans`, `journal` and `candidates` fill in as it goes. */
interface Run {
  o: DeployOptions;
  t0: number;
  runId: string;
  timings: DeployTimings;
  redactor: Redactor;
  emit: (e: DeployEvent) => void;
  ctx: StepContext;
  dryRun: boolean;
  force: boolean;
  pf: Preflight;
  m: Manifest;
  selected: ManifestHost[];
  clusterName: string;
  auditFile: string;
  plan?: DeployPlan;
  hostPlans: PlannedHost[];
  journal?: JournalWriter;
  /** Candidates on the hosts, removed at cleanup whatever happened. */
  candidates: Candidates;
}

/** The hosts locked, what the lock sessions read for the plan, and the journal that records them. */
interface Locked {
  settings: LockSettings;
  vips: string[];
  lockReads: AfterLockResults;
  /** `ip -o addr` per host, for the live VIP check. */
  addrs: Map<string, Promise<RunResult>>;
  journal: JournalWriter;
}

/** How the steps after locking ended; the result is built after cleanup. */
interface Ending {
  outcome: Outcome;
  message: string;
  hosts?: HostReport[];
}

type RemoteFiles = Map<string, Map<string, { state: RemoteState; content: Buffer }>>;

const end = (outcome: Outcome, message: string, hosts?: HostReport[]): Ending => ({ outcome, message, hosts });

export async function deploy(o: DeployOptions): Promise<DeployResult> {
  const run = startRun(o);
  const refused = refuseBeforeContact(run);
  if (refused) return refused;
  const locals = readLocals(run);
  const locked = await lockHosts(run);
  if (!('journal' in locked)) return locked;
  const heartbeat = startHeartbeat(run.ctx, run.selected, locked.settings);
  let ending: Ending;
  let pendingJournalRemoval = false;
  try {
    ending = await runLocked(run, locked, locals);
  } catch (e) {
    // A bug or an unsafe value thrown before any host was swapped leaves nothing to recover.
    if (locked.journal.value.hosts.every((h) => h.phase === 'pending')) pendingJournalRemoval = true;
    else markEnded(locked.journal);
    throw e;
  } finally {
    await cleanUp(run, locked, heartbeat);
    if (pendingJournalRemoval) locked.journal.remove();
  }
  return finish(run, ending.outcome, ending.message, ending.hosts);
}

/** Pre-flight: the workspace check of the manifest, the hosts selected, the audit and known-hosts paths. */
function startRun(o: DeployOptions): Run {
  const t0 = Date.now();
  const runId = crypto.randomBytes(4).toString('hex');
  const timings: DeployTimings = { preflightMs: 0, lockMs: 0, planMs: 0, stageMs: 0, rolloutMs: 0, totalMs: 0 };
  const redactor = new Redactor();
  const emit = (e: DeployEvent): void => o.onEvent?.(e);
  const ctx: StepContext = { transport: o.transport, emit, redactor, signal: o.signal, commandTimeoutMs: o.commandTimeoutMs ?? 120000 };

  emit({ type: 'phase', phase: 'preflight', message: 'checking the workspace' });
  const pf = preflight(o.manifestPath, o.checkOptions ?? defaultCheckOptions(), o.sourceHost ?? new NodeSourceHost());
  const m = pf.manifest;
  const selected = selectHosts(m, o.hosts);
  let auditFile: string;
  try {
    auditFile = auditPath(m.dir, m.deploy.auditLog);
  } catch (e) {
    throw new DeployUsageError((e as Error).message);
  }
  // Not overridable by --force: a manifest must not switch host-key checking off or pick the file ssh appends to.
  const knownHosts = knownHostsProblems(m.file, m.dir, selected);
  if (knownHosts.length) throw new DeployUsageError(`nothing was done:\n${knownHosts.join('\n')}`);
  timings.preflightMs = Date.now() - t0;
  return {
    o,
    t0,
    runId,
    timings,
    redactor,
    emit,
    ctx,
    dryRun: Boolean(o.dryRun),
    force: Boolean(o.force),
    pf,
    m,
    selected,
    clusterName: m.cluster ?? pf.cluster?.name ?? m.dir,
    auditFile,
    hostPlans: [],
    candidates: new Map(),
  };
}

const cancelled = (run: Run): boolean => Boolean(run.o.signal?.aborted);

/** Pre-flight errors (unless forced) and an unfinished earlier run stop the deploy before any host is contacted. */
function refuseBeforeContact(run: Run): DeployResult | undefined {
  const { pf, force, o, emit } = run;
  // A template source ships as its rendering for each host; a host it could not be rendered for would get
  // a guess or the raw template (`{{ … }}` on a host). Not overridable by --force.
  const unrendered = unrenderedProblems(pf, run.selected);
  if (unrendered.length) {
    return finish(
      run,
      'refused',
      `${plural(unrendered.length, 'template rendering')} could not be made, so nothing can be deployed:\n${unrendered.slice(0, 10).join('\n')}${unrendered.length > 10 ? `\n… and ${unrendered.length - 10} more` : ''}\nSet the missing variable in the host's inventory vars (host_vars/<host>.yml or group_vars), or replace what haconf does not evaluate (see docs/templates.md), then deploy again; 'haconf check' shows the same on the template line. No host was contacted; nothing was changed`,
      [],
    );
  }
  if (pf.errors.length) {
    const list = pf.errors
      .slice(0, 10)
      .map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.code}: ${d.message}`)
      .join('\n');
    const more = pf.errors.length > 10 ? `\n… and ${pf.errors.length - 10} more` : '';
    if (!force)
      return finish(
        run,
        'refused',
        `pre-flight found ${plural(pf.errors.length, 'error')}; fix ${pf.errors.length === 1 ? 'it' : 'them'}${o.forceHint ? ` or ${o.forceHint}` : ''} before deploying:\n${list}${more}`,
      );
    emit({ type: 'log', level: 'warn', message: `FORCED: deploying despite ${plural(pf.errors.length, 'error')}:\n${list}${more}` });
  }
  const blocked = journalBlock(run.m.file);
  // No host was contacted: this run can say nothing about which files they are on (recover can).
  if (blocked) return finish(run, 'refused', `${blocked}\nnothing was changed`, []);
  return undefined;
}

/** The workspace files of the selected hosts (templates rendered per host); their text is masked in every message. */
function readLocals(run: Run): Map<string, LocalFile> {
  const locals = readPlanLocals(run.pf, run.selected);
  for (const l of locals.values()) {
    run.redactor.addText(l.content.toString('utf8'));
    // A rendering may put an inventory secret where no secret keyword announces it.
    for (const v of l.secretValues ?? []) run.redactor.addValue(v);
  }
  return locals;
}

/** Writes the journal, then locks every selected host (its lock session also reads the plan's files). */
async function lockHosts(run: Run): Promise<Locked | DeployResult> {
  const { o, m, ctx, selected, emit, pf } = run;
  // Locks first, so the plan reads files no other deploy is changing.
  emit({ type: 'phase', phase: 'lock', message: `locking ${selected.map((h) => h.name).join(', ')}` });
  const t1 = Date.now();
  const settings: LockSettings = {
    dirFor: o.lockDir ?? (() => DEFAULT_LOCK_DIR),
    staleSeconds: o.staleLockSeconds ?? DEFAULT_STALE_SECONDS,
    refreshSeconds: o.lockRefreshSeconds,
    runId: run.runId,
    token: newLockToken(),
    user: localUser(),
    processAlive: o.processAlive,
    identity: o.lockIdentity,
  };
  // The plan's reads (every target, and `ip -o addr` when the cluster has a VIP) ride in each host's lock
  // session: one round trip per host. Hosts not selected are only probed for the VIP, meanwhile.
  const vips = vrrpView(pf.cluster).vips;
  // The daemons' versions come last in the same session and are recorded for later checks (versionsIndex).
  const afterLock: AfterLock = (h) => [...h.files.map((f) => ({ call: calls.read(f.target) })), ...(vips.length ? [{ call: calls.addrs() }] : []), { call: calls.versions() }];
  const addrs = new Map<string, Promise<RunResult>>();
  const selectedNames = new Set(selected.map((h) => h.name));
  if (vips.length) for (const h of m.hosts) if (!selectedNames.has(h.name)) addrs.set(h.name, runOn(ctx, h, calls.addrs()));
  const lockReads: AfterLockResults = new Map();
  // The journal exists before the first lock: a run killed from here on leaves a record of its locks.
  try {
    run.journal = new JournalWriter(journalPath(m.file), {
      version: 1,
      runId: run.runId,
      manifest: m.file,
      cluster: run.clusterName,
      user: localUser(),
      ...thisProcess(),
      started: new Date(run.t0).toISOString(),
      updated: '',
      phase: 'lock',
      dryRun: run.dryRun,
      forced: run.force && pf.errors.length > 0,
      locked: selected.map((h) => h.name),
      hosts: [],
    });
  } catch (e) {
    return finish(run, 'refused', `cannot write the deploy journal ${journalPath(m.file)}: ${(e as Error).message}\nnothing was changed`);
  }
  const locked = await acquireLocks(ctx, selected, settings, afterLock, lockReads);
  run.timings.lockMs = Date.now() - t1;
  if (!locked.ok) return finish(run, locked.unreachable ? 'unreachable' : 'refused', `${locked.message}\nnothing was changed`);
  return { settings, vips, lockReads, addrs, journal: run.journal };
}

/** Everything done while the hosts are locked: read, plan, stage, confirm, roll out. */
async function runLocked(run: Run, locked: Locked, locals: Map<string, LocalFile>): Promise<Ending> {
  const { emit, selected, o, m } = run;
  emit({ type: 'phase', phase: 'plan', message: 'reading the current files on the hosts' });
  const t2 = Date.now();
  const remote: RemoteFiles = new Map();
  const readFail = await readRemoteFiles(run, locked, remote);
  recordLockSessionVersions(run, locked);
  if (cancelled(run))
    return end(
      'cancelled',
      'cancelled before any host changed; nothing was replaced',
      selected.map((h) => ({ host: h.name, state: 'untouched' })),
    );
  if (readFail) return end(readFail.unreachable ? 'unreachable' : 'refused', `${readFail.host}: ${readFail.message}\nnothing was changed`);

  const planned = await planWithLiveVips(run, locked, locals, remote);
  if ('outcome' in planned) return planned;
  const { hostPlans } = run;
  run.timings.planMs = Date.now() - t2;
  const changedHosts = hostPlans.filter((h) => h.changed);
  for (const h of hostPlans) if (!h.changed) emit({ type: 'host', host: h.name, step: 'read', status: 'skip', detail: 'all files unchanged' });
  if (!changedHosts.length)
    return end(
      'nothing-to-do',
      'every file on every host already matches the workspace; nothing to do',
      hostPlans.map((h) => ({ host: h.name, state: 'unchanged' })),
    );
  if (cancelled(run)) return end('cancelled', 'cancelled before any host changed; nothing was replaced', reportAll(hostPlans, 'untouched', []));

  const staged = await stageCandidates(run, locked.journal, changedHosts);
  if ('outcome' in staged) return staged;
  if (run.dryRun)
    return end(
      'dry-run',
      `dry run: ${plural(changedHosts.length, 'host')} would change and every host accepted the candidates; nothing was replaced`,
      hostPlans.map((h) => ({ host: h.name, state: h.changed ? 'staged' : 'unchanged' })),
    );

  if (o.confirm) {
    emit({ type: 'phase', phase: 'confirm', message: 'waiting for confirmation' });
    // A signal while the question is open ends the wait: nobody may be there to answer any more.
    const yes = await untilAborted(o.confirm(run.plan!), o.signal);
    if (cancelled(run)) return end('cancelled', 'cancelled at the confirmation prompt; nothing was replaced; candidates removed', reportAll(hostPlans, 'untouched', []));
    if (!yes) return end('declined', 'not confirmed; nothing was replaced; candidates removed', reportAll(hostPlans, 'untouched', []));
  }
  if (cancelled(run)) return end('cancelled', 'cancelled before any host changed; nothing was replaced', reportAll(hostPlans, 'untouched', []));

  emit({ type: 'phase', phase: 'rollout', message: `rolling out: ${changedHosts.map((h) => h.name).join(' → ')}` });
  return rollOut(run, locked, planned.vips, planned.vrrpCheck, staged.stamp, m.deploy.keepBackups);
}

/**
 * What each host's lock session answered to the `versions` step (after its reads and, with VIPs, `ip -o
 * addr`), into .haconf/host-versions.json: later checks then target the versions the nodes run.
 */
function recordLockSessionVersions(run: Run, locked: Locked): void {
  const answers = run.selected.map((h) => {
    const got = locked.lockReads.get(h.name)?.[h.files.length + (locked.vips.length ? 1 : 0)];
    return { host: h.name, versions: got && got.code === 0 ? parseVersions(got.stdout.toString('utf8'), run.redactor) : [] };
  });
  recordVersions(run.m.dir, answers);
}

/** The current target files of every selected host (from the lock session, else read now); the first failure. */
async function readRemoteFiles(run: Run, locked: Locked, remote: RemoteFiles): Promise<{ host: string; message: string; unreachable?: boolean } | undefined> {
  const { ctx, redactor } = run;
  const reads = await Promise.all(
    run.selected.map(async (h) => {
      const byTarget = new Map<string, { state: RemoteState; content: Buffer }>();
      remote.set(h.name, byTarget);
      ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'start' });
      const got = locked.lockReads.get(h.name) ?? [];
      if (locked.vips.length && got[h.files.length]) locked.addrs.set(h.name, Promise.resolve(got[h.files.length]));
      for (const [i, f] of h.files.entries()) {
        const r = got[i] ? parseRead(ctx, h, f.target, got[i]) : await readRemote(ctx, h, f.target);
        if (!r.ok) {
          ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'fail', detail: r.message });
          return { host: h.name, ...r };
        }
        redactor.addText(r.content.toString('utf8'));
        byTarget.set(f.target, { state: r.state, content: r.content });
      }
      ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'ok' });
      return undefined;
    }),
  );
  return reads.find((r) => r !== undefined);
}

/**
 * The live VIP state (the holder goes last; a cluster that is not sane now is not touched), then the plan:
 * fills run.hostPlans and run.plan.
 */
async function planWithLiveVips(run: Run, locked: Locked, locals: Map<string, LocalFile>, remote: RemoteFiles): Promise<Ending | { vips: string[]; vrrpCheck: boolean }> {
  const { pf, m, selected, force, emit } = run;
  const pre = buildHostPlans({ hosts: selected, locals, remote, cluster: pf.cluster, showDiff: false });
  let vrrpCheck = pre.vips.length > 0;
  let liveHolders: Set<string> | undefined;
  if (pre.vips.length) {
    const probe = await probeVips(run.ctx, m.hosts, pre.vips, locked.addrs);
    const problem = probe.ok ? vrrpProblem(probe.holders) : probe.message;
    if (probe.ok) liveHolders = new Set([...probe.holders.values()].flat());
    if (problem) {
      if (!force) return end('refused', `the cluster is not healthy before the deploy: ${problem}\nnothing was changed; fix it first, or pass --force (which also turns off the VIP health check)`);
      emit({ type: 'log', level: 'warn', message: `FORCED: cluster unhealthy before the deploy (${problem}); the VIP health check is off for this run` });
      vrrpCheck = false;
    }
  }
  const built = buildHostPlans({ hosts: selected, locals, remote, cluster: pf.cluster, liveHolders, showDiff: true });
  // The diffs mask secret lines; a rendered template may also carry an inventory secret on another line.
  for (const h of built.hosts)
    for (const f of h.files) {
      f.diff = run.redactor.scrubValues(f.diff);
      if (f.localText !== undefined) f.localText = run.redactor.scrubValues(f.localText);
      if (f.remoteText !== undefined) f.remoteText = run.redactor.scrubValues(f.remoteText);
    }
  run.hostPlans = built.hosts;
  run.plan = {
    cluster: run.clusterName,
    manifest: m.file,
    hosts: run.hostPlans.map(({ host: _h, local: _l, ...rest }) => rest),
    vips: built.vips,
    forced: force && pf.errors.length > 0,
    dryRun: run.dryRun,
    // Without their fixes: a plan is output, and a fix's text may hold a config value the messages mask
    // (the 8 characters of a too-long auth_pass).
    forcedFindings: force ? pf.errors.map(({ fixes: _fixes, ...finding }) => finding) : [],
  };
  return { vips: built.vips, vrrpCheck };
}

/** Names candidates and backups and journals them before anything is written, then stages on every changed host. */
async function stageCandidates(run: Run, jw: JournalWriter, changedHosts: PlannedHost[]): Promise<Ending | { stamp: string }> {
  const { hostPlans, emit } = run;
  // Candidate names and backup names are fixed before anything is written to a host, and journalled.
  const stamp = stampOf(new Date(), run.runId);
  const named = nameCandidates(hostPlans);
  try {
    jw.update((j) => {
      j.phase = 'stage';
      j.stamp = stamp;
      j.hosts = changedHosts.map(
        (h): JournalHost => ({
          name: h.name,
          phase: 'pending',
          files: h.files
            .filter((f) => f.changed)
            .map((f) => ({
              target: f.target,
              source: f.source,
              kind: f.kind,
              old: f.remote.present ? (f.remote.sha256 ?? null) : null,
              new: f.localSha256,
              backup: f.remote.present ? `${f.target}.haconf-bak-${stamp}` : null,
              candidate: named.get(h.name)?.get(f.target),
            })),
        }),
      );
    });
  } catch (e) {
    return end('refused', `cannot write the deploy journal ${jw.file}: ${(e as Error).message}\nnothing was changed`, reportAll(hostPlans, 'untouched', []));
  }
  emit({ type: 'phase', phase: 'stage', message: `staging on ${changedHosts.map((h) => h.name).join(', ')}` });
  const t3 = Date.now();
  const staged = await stageAll(run.ctx, hostPlans, named);
  run.candidates = staged.candidates;
  run.timings.stageMs = Date.now() - t3;
  if (cancelled(run)) return end('cancelled', 'cancelled before any host changed; nothing was replaced; candidates removed', reportAll(hostPlans, 'untouched', []));
  if (staged.failures.length) {
    const unreachable = staged.failures.some((f) => f.unreachable);
    return end(
      unreachable ? 'unreachable' : 'rejected',
      `${staged.failures.map((f) => f.message).join('\n')}\nnothing was replaced on any host; candidates removed`,
      reportAll(hostPlans, 'untouched', staged.failures),
    );
  }
  return { stamp };
}

/** Host by host, VIP holder last (rollout.ts), each step journalled; rolls back what it changed on failure. */
async function rollOut(run: Run, locked: Locked, vips: string[], vrrpCheck: boolean, stamp: string, keepBackups: number): Promise<Ending> {
  const { o, m, emit, hostPlans } = run;
  const jw = locked.journal;
  const t4 = Date.now();
  const settle = o.settleSeconds ?? m.deploy.settleSeconds;
  try {
    jw.update((j) => (j.phase = 'rollout'));
  } catch (e) {
    return end('refused', `cannot write the deploy journal ${jw.file}: ${(e as Error).message}\nnothing was replaced`, reportAll(hostPlans, 'untouched', []));
  }
  const res = await rollout(run.ctx, hostPlans, run.candidates, {
    stamp,
    journal: (host, phase) => {
      try {
        jw.update((j) => {
          if (phase === 'restoring') j.phase = 'rollback';
          const h = j.hosts.find((x) => x.name === host);
          if (h) h.phase = phase;
        });
        return undefined;
      } catch (e) {
        const msg = `cannot write the deploy journal ${jw.file}: ${(e as Error).message}`;
        emit({ type: 'log', level: phase === 'swapping' ? 'error' : 'warn', message: msg });
        return msg;
      }
    },
    keepBackups,
    settleSeconds: settle,
    vips,
    probeHosts: m.hosts,
    vrrpCheck,
    vrrpGraceMs: o.vrrpGraceMs ?? Math.max(2000, settle * 1000),
    lock: (host) => lockGuard(locked.settings, host),
  });
  run.candidates = res.leftover;
  run.timings.rolloutMs = Date.now() - t4;
  return end(res.outcome, res.message, res.reports);
}

/** Always, however the locked steps ended: candidates removed, heartbeat stopped, locks released. */
async function cleanUp(run: Run, locked: Locked, heartbeat: Heartbeat): Promise<void> {
  const { emit, ctx } = run;
  emit({ type: 'phase', phase: 'cleanup', message: 'removing candidates and releasing locks' });
  try {
    locked.journal.update((j) => (j.phase = 'cleanup'));
  } catch {
    // Cleanup goes on; the journal still says where the run was.
  }
  const byName = new Map(run.m.hosts.map((h) => [h.name, h]));
  const problems = await removeCandidates(ctx, byName, run.candidates);
  for (const p of problems) emit({ type: 'log', level: 'warn', message: p });
  await heartbeat.stop();
  await releaseLocks(ctx, run.selected, locked.settings);
}

/** The result, the audit record (real runs) and the journal's end: removed, or kept after a failed rollback. */
function finish(run: Run, outcome: Outcome, message: string, hosts?: HostReport[]): DeployResult {
  const { timings, emit, journal } = run;
  timings.totalMs = Date.now() - run.t0;
  const result: DeployResult = {
    outcome,
    exitCode: outcome === 'success' || outcome === 'nothing-to-do' || outcome === 'dry-run' ? 0 : 1,
    message: run.redactor.scrub(message),
    plan: run.plan,
    hosts: hosts ?? run.selected.map((h) => ({ host: h.name, state: 'untouched' })),
    timings,
    runId: run.runId,
  };
  if (!run.dryRun && run.o.audit !== false) writeAudit(run, result);
  // The journal goes once the audit record is written and every host's state is known; after a failed
  // rollback it stays, so the next deploy refuses and --recover can tell which host is on what.
  if (journal && outcome !== 'rollback-failed') {
    try {
      journal.remove();
    } catch (e) {
      emit({ type: 'log', level: 'warn', message: `could not remove the deploy journal ${journal.file}: ${(e as Error).message}` });
    }
  } else if (journal) {
    markEnded(journal);
    result.message += `\nthe deploy journal ${journal.file} is kept: run 'haconf deploy --recover' to see each host's state`;
  }
  emit({ type: 'phase', phase: 'done', message: `${outcome}: ${result.message.split('\n')[0]}` });
  return result;
}

function writeAudit(run: Run, result: DeployResult): void {
  const { m, pf, force } = run;
  const files: AuditFile[] = run.hostPlans.flatMap((h) => h.files.map((f) => ({ host: h.name, target: f.target, before: f.remote.sha256 ?? null, after: f.localSha256, changed: f.changed })));
  const record: AuditRecord = {
    time: new Date(run.t0).toISOString(),
    runId: run.runId,
    user: localUser(),
    from: os.hostname(),
    cluster: run.clusterName,
    manifest: m.file,
    hosts: run.selected.map((h) => h.name),
    forced: force && pf.errors.length > 0,
    forcedFindings: force ? pf.errors.map((d) => d.code) : [],
    result: result.outcome,
    message: result.message,
    files,
    durationMs: run.timings.totalMs,
  };
  try {
    appendAudit(m.dir, run.auditFile, record);
  } catch (e) {
    // The run is over either way; say loudly that its record is missing rather than hide the outcome.
    result.message += `\nthe audit record was NOT written to ${run.auditFile}: ${(e as Error).message}`;
    run.emit({ type: 'log', level: 'warn', message: `audit record not written: ${(e as Error).message}` });
  }
}

/** Marks a kept journal as belonging to a run that is over (best effort: it is only a hint for --recover). */
function markEnded(j: JournalWriter): void {
  try {
    j.update((x) => (x.ended = new Date().toISOString()));
  } catch {
    // the journal still blocks the next deploy; recover names the process
  }
}

/** The promise's value, or false as soon as `signal` aborts. */
function untilAborted(p: Promise<boolean>, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function reportAll(hosts: PlannedHost[], state: HostReport['state'], failures: { host: string; message: string }[]): HostReport[] {
  return hosts.map((h) => {
    const f = failures.find((x) => x.host === h.name);
    return f ? { host: h.name, state: 'failed', message: f.message } : { host: h.name, state: h.changed ? state : 'unchanged' };
  });
}
