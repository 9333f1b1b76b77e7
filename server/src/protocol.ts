// The custom LSP methods between the VS Code client and the language server, typed once: each method's
// name with its params and result. The server registers its handlers (lsp/customMethods.ts) and the
// client sends (client/src/requests.ts) through these descriptors, so a method name is written only here
// and both sides agree on the shapes at compile time.
//
// Both bundles import this file, so it imports no LSP library and nothing at run time: only types from
// the engine modules that produce the results (erased by esbuild). The client imports the wire types from
// here, never from those modules.
import type { Language } from './core/types';
import type { ClusterView, ClusterViewNode, FailoverView } from './cluster/view';
import type { DeployEvent, DeployPlan, DeployResult, FilePlan } from './deploy/events';
import type { AdoptResult, DriftFile, DriftHost, DriftResult } from './deploy/drift';
import type { RecoverAction, RecoverResult } from './deploy/recover';
import type { InitAnswers } from './scaffold/answers';
import type { ClusterKind } from './scaffold/plan';
import type { TargetVersion } from './core/targetVersion';
import type { Range, TextEdit } from './core/types';

export type { ClusterView, ClusterViewNode, FailoverView, DeployEvent, DeployPlan, DeployResult, FilePlan, AdoptResult, DriftFile, DriftHost, DriftResult, RecoverAction, RecoverResult, InitAnswers };

/** A request: `P` goes out, `R` comes back. The type fields carry no value; they only hold the types. */
export interface RequestMethod<P, R> {
  readonly method: string;
  readonly kind: 'request';
  readonly params?: P;
  readonly result?: R;
}

/** A notification: `P` goes out, nothing comes back. */
export interface NotificationMethod<P> {
  readonly method: string;
  readonly kind: 'notification';
  readonly params?: P;
}

const request = <P, R>(method: string): RequestMethod<P, R> => ({ method, kind: 'request' });
const notification = <P>(method: string): NotificationMethod<P> => ({ method, kind: 'notification' });

/** Requests without parameters send `{}` (some clients refuse `undefined`). */
export type NoParams = Record<string, never>;

// ---------- clusters (client → server) ----------

/** The cluster summaries the tree view, status bar and failover table render. */
export const CLUSTERS = request<NoParams, ClusterView[]>('haconf/clusters');

export interface CheckWorkspaceResult {
  clusters: number;
}
/** Re-scans the workspace folders (dropping files gone from disk first), then answers the cluster count. */
export const CHECK_WORKSPACE = request<NoParams, CheckWorkspaceResult>('haconf/checkWorkspace');

// ---------- documents (client → server) ----------

export interface DocumentLanguageParams {
  uri: string;
}
export interface DocumentLanguageResult {
  language: Language | null;
}
/** Which of our languages a document is, as the server sees it (lsp/documentLanguage.ts). */
export const DOCUMENT_LANGUAGE = request<DocumentLanguageParams, DocumentLanguageResult>('haconf/documentLanguage');

// ---------- workspace trust (client → server) ----------

export interface TrustParams {
  trusted: boolean;
}
/**
 * Workspace trust granted after start-up (VS Code's Restricted Mode). The client tells the running server
 * with this notification instead of restarting it; a server started later reads the current trust from
 * initializationOptions.trusted. Editors without Restricted Mode send neither and are trusted.
 */
export const TRUST = notification<TrustParams>('haconf/trust');

// ---------- deploy ----------

export interface DeployParams {
  manifest: string;
  hosts?: string[];
  dryRun: boolean;
  force?: boolean;
}

export interface DeployTarget {
  manifest: string;
  cluster: string;
  hosts: string[];
  /** The cluster's config files, so the editor can offer the active file's cluster first. */
  files: string[];
}

export interface InterruptedDeploy {
  manifest: string;
  cluster: string;
  /** One line naming the run (who, when, where it stopped), or why the journal cannot be read. */
  run: string;
}

export interface RecoverParams {
  manifest: string;
  action: RecoverAction;
}

/** Runs a deploy; cancelling the request stops it before the next host and rolls back what it changed. */
export const DEPLOY = request<DeployParams, DeployResult>('haconf/deploy');
/** Server → client: progress of a running deploy or recovery. */
export const DEPLOY_EVENT = notification<DeployEvent>('haconf/deployEvent');
/** Server → client: the staged plan, to be confirmed (true) or declined. */
export const DEPLOY_CONFIRM = request<DeployPlan, boolean>('haconf/deployConfirm');
/** The clusters with a manifest and hosts, which a deploy or drift check can target. */
export const DEPLOY_TARGETS = request<NoParams, DeployTarget[]>('haconf/deployTargets');
/** Deploys whose journal says they stopped half-way (their process is gone). */
export const DEPLOY_INTERRUPTED = request<NoParams, InterruptedDeploy[]>('haconf/deployInterrupted');
/** Reports on, finishes or rolls back an interrupted deploy. */
export const DEPLOY_RECOVER = request<RecoverParams, RecoverResult>('haconf/deployRecover');

// ---------- drift ----------

export interface DriftParams {
  /** Absolute path of a haconf.yaml of this workspace. */
  manifest: string;
  hosts?: string[];
}

export interface DriftAdoptParams {
  manifest: string;
  host: string;
  /** The file's source as the drift result names it (source or sourceAbs). */
  source: string;
  /** The host file's sha256 from the drift result: refused when the host changed since. */
  expectedSha256?: string;
}

export const DRIFT = request<DriftParams, DriftResult>('haconf/drift');
export const DRIFT_ADOPT = request<DriftAdoptParams, AdoptResult>('haconf/driftAdopt');

// ---------- new cluster ----------

export interface ScaffoldParams {
  /** Absolute folder the cluster goes to; must lie inside a workspace folder. */
  folder: string;
  answers: InitAnswers;
  /** false: plan, prove and describe only; true: also write. */
  write: boolean;
  /** Replace files that exist (the user confirmed). */
  force?: boolean;
}

export type ScaffoldReply = { ok: true; cluster: string; summary: string[]; files: string[]; existing: string[]; written: boolean } | { ok: false; message: string };

export interface ScaffoldKindInfo {
  kind: ClusterKind;
  label: string;
  detail: string;
}

export const SCAFFOLD = request<ScaffoldParams, ScaffoldReply>('haconf/scaffold');
export const SCAFFOLD_KINDS = request<NoParams, ScaffoldKindInfo[]>('haconf/scaffoldKinds');

// ---------- target version (server → client) ----------

/** The HAProxy version the checks target and why (core/targetVersion.ts), for the client's status bar. */
export const TARGET_VERSION = notification<TargetVersion>('haconf/targetVersion');

// ---------- upgrade assistant (client → server) ----------

export interface UpgradeVersions {
  /** The HAProxy version the checks use now. */
  inForce: string;
  /** Known newer branches, oldest first (the last is the newest). */
  newer: string[];
}
/** What "haconf: Check Upgrade to HAProxy X" offers (engine/upgrade.ts). */
export const UPGRADE_VERSIONS = request<NoParams, UpgradeVersions>('haconf/upgradeVersions');

export interface UpgradeParams {
  /** major.minor; the newest known branch when absent. */
  to?: string;
}
export interface UpgradePlanItem {
  kind: 'removed' | 'deprecated' | 'changed';
  /** Already reported at the version in force (still to fix before the upgrade). */
  already: boolean;
  code: string;
  message: string;
  range: Range;
  /** The rewrite applied for it; null when it needs a hand edit. */
  rewrite: string | null;
}
export interface UpgradePlanFile {
  file: string;
  items: UpgradePlanItem[];
  /** The mechanical rewrites of the file, non-overlapping, in document order. */
  edits: TextEdit[];
}
export interface UpgradePlan {
  from: string;
  to: string;
  files: UpgradePlanFile[];
  clusters: { name: string; files: string[] }[];
}
/** The upgrade plan of the workspace (its unsaved buffers included); the client applies `edits` after review. */
export const UPGRADE_PLAN = request<UpgradeParams, UpgradePlan>('haconf/upgradePlan');
