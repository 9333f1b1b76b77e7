// Typed progress and results, shared by the CLI and the VS Code command so both show the same steps.
import type { Diagnostic, Language } from '../core/types';

export type Phase = 'preflight' | 'lock' | 'plan' | 'stage' | 'confirm' | 'rollout' | 'rollback' | 'cleanup' | 'done';

export type HostStep = 'lock' | 'read' | 'upload' | 'validate' | 'install' | 'reload' | 'health' | 'settle' | 'restore' | 'cleanup' | 'unlock' | 'versions';

export type DeployEvent =
  | { type: 'phase'; phase: Phase; message: string }
  | { type: 'host'; host: string; step: HostStep; status: 'start' | 'ok' | 'fail' | 'skip'; detail?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export type Outcome =
  | 'success'
  | 'nothing-to-do'
  | 'dry-run'
  /** Pre-flight errors, a lock held elsewhere, an unhealthy cluster: nothing was touched. */
  | 'refused'
  /** A host could not be reached before any change. */
  | 'unreachable'
  /** A host's own validator rejected a candidate; candidates removed, nothing replaced. */
  | 'rejected'
  /** The user said no at the prompt. */
  | 'declined'
  /** A reload or health check failed; every changed host was put back. */
  | 'rolled-back'
  | 'cancelled'
  /** Putting a host back failed too: needs a human. */
  | 'rollback-failed';

export interface RemoteState {
  present: boolean;
  sha256?: string;
  /** Octal permission bits, owner and group ids, as the host reports them. */
  mode?: string;
  uid?: number;
  gid?: number;
}

export interface FilePlan {
  host: string;
  source: string;
  sourceAbs: string;
  target: string;
  kind: Language;
  localSha256: string;
  remote: RemoteState;
  changed: boolean;
  /** Unified diff remote → local with secrets masked; '' when unchanged. */
  diff: string;
  /** Mode a new target gets. */
  newMode: string;
  /** Set when `source` is a Jinja2 template: the host it was rendered for (what is shipped is that rendering). */
  renderedFor?: string;
  /** Remote and local text with secrets masked, for a side-by-side diff (changed files, when diffs are on). */
  remoteText?: string;
  localText?: string;
}

export interface HostPlan {
  name: string;
  files: FilePlan[];
  changed: boolean;
  /** Services reloaded on this host: kinds with a changed file, in reload order. */
  reloads: Language[];
  /** Highest effective VRRP priority of the host in the healthy state (from the cluster model). */
  effectivePriority?: number;
  /** Holds a VIP now (live probe, or the model's prediction when the probe could not tell). */
  vipHolder: boolean;
}

export interface DeployPlan {
  cluster: string;
  manifest: string;
  /** Rollout order: backups by ascending effective priority, VIP holder last. */
  hosts: HostPlan[];
  vips: string[];
  forced: boolean;
  dryRun: boolean;
  /** Error-severity findings that --force overrode. */
  forcedFindings: Diagnostic[];
}

export interface HostReport {
  host: string;
  /**
   * unchanged: already on the workspace's files; staged: validated on the host, not replaced (dry run);
   * deployed: on the new files; rolled-back: back on its previous files; not-started: staged, then the run
   * stopped before this host (candidates removed, previous files); failed: this host's step failed (then
   * rolled back, or nothing replaced); untouched: the run stopped before changing anything;
   * rollback-failed: needs a human.
   */
  state: 'unchanged' | 'staged' | 'deployed' | 'rolled-back' | 'rollback-failed' | 'failed' | 'untouched' | 'not-started';
  message?: string;
}

export interface DeployTimings {
  preflightMs: number;
  lockMs: number;
  planMs: number;
  stageMs: number;
  rolloutMs: number;
  totalMs: number;
}

export interface DeployResult {
  outcome: Outcome;
  exitCode: 0 | 1;
  /** One paragraph saying what happened, naming the host and the tool's own message on failure. */
  message: string;
  plan?: DeployPlan;
  hosts: HostReport[];
  timings: DeployTimings;
  runId: string;
}
