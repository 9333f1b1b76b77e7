// The upgrade assistant: what moving from the HAProxy version in force to version `to` means for a
// workspace, per file and cluster, and the one set of mechanical rewrites that prepares it. It runs the one
// pipeline twice (checkWorkspace at both versions): a finding at `to` that `from` does not have is what the
// upgrade removes, deprecates or refuses; a removed or deprecated keyword already reported at `from` is
// still listed (it must go before the upgrade too). The rewrites are the mechanical fixes of those findings
// (engine/fixAll.ts), so the editor's "Fix all", the CLI and the VS Code command apply the same edits.
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language, TextEdit } from '../core/types';
import type { SourceHost } from '../core/sourceHost';
import { compareVersions } from '../core/schema';
import { KNOWN_VERSIONS } from '../haproxy/keywords';
import { applyEdits } from '../services/format';
import { fixAllEdits } from './fixAll';
import { checkWorkspace, type WorkspaceInput } from './workspace';
import type { WorkspaceModel } from './model';

/** Why a finding is on the upgrade list. */
export type UpgradeKind = 'removed' | 'deprecated' | 'changed';

export interface UpgradeItem {
  kind: UpgradeKind;
  /** The finding at the new version. */
  diagnostic: Diagnostic;
  /** Reported at the version in force already (a removed keyword still in the file), not new with `to`. */
  already: boolean;
  /** The title of the mechanical rewrite applied for it, if any; otherwise it needs a hand edit. */
  rewrite?: string;
}

export interface UpgradeFile {
  file: string;
  items: UpgradeItem[];
  /** The rewrites, in document order, non-overlapping; empty when nothing is mechanical. */
  edits: TextEdit[];
  before: string;
  after: string;
}

export interface UpgradeReport {
  from: string;
  to: string;
  /** Files with something to say, in path order. */
  files: UpgradeFile[];
  /** Clusters holding at least one listed file, with those files. */
  clusters: { name: string; files: string[] }[];
}

/** Findings that are about the version itself, listed even when the version in force reports them already. */
const VERSION_CODES: Record<string, UpgradeKind> = {
  'haproxy/removed-keyword': 'removed',
  'haproxy/deprecated-keyword': 'deprecated',
};

/** "1.8 to 3.5": the HAProxy branches haconf's keyword data covers. */
export function knownHaproxyRange(): string {
  return `${KNOWN_VERSIONS[0]} to ${KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]}`;
}

/** Whether `v` is a HAProxy branch haconf knows (its keyword data covers it). */
export function knownHaproxyVersion(v: string): boolean {
  return KNOWN_VERSIONS.includes(v);
}

const key = (d: Diagnostic): string => `${d.file}\0${d.code}\0${d.range.start.line}:${d.range.start.character}`;

/**
 * The upgrade plan from `options.haproxyVersion` to `to`. Only HAProxy findings change with the HAProxy
 * version, so only HAProxy files get items (a keepalived file of a cluster appears through the cluster).
 */
export function planUpgrade(input: WorkspaceInput, options: CheckOptions, to: string, host: SourceHost, forced?: Language, current?: readonly Diagnostic[]): UpgradeReport {
  const from = options.haproxyVersion;
  const before = current ?? checkWorkspace(input, options, host, forced).diagnostics;
  const after = checkWorkspace(input, { ...options, haproxyVersion: to }, host, forced);
  const known = new Set(before.map(key));
  const byFile = new Map<string, UpgradeItem[]>();
  for (const d of after.diagnostics) {
    const versionKind = VERSION_CODES[d.code];
    const isNew = !known.has(key(d));
    if (!versionKind && !isNew) continue;
    // A finding that goes away with the upgrade is not listed; one new at `to` with another code is a change.
    const kind: UpgradeKind = versionKind ?? 'changed';
    const items = byFile.get(d.file) ?? [];
    items.push({ kind, diagnostic: d, already: !isNew });
    byFile.set(d.file, items);
  }
  const files: UpgradeFile[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const items = byFile.get(file)!;
    const text = after.model.textOf(file);
    if (text === undefined) continue;
    const { edits, applied } = fixAllEdits(
      file,
      items.map((i) => i.diagnostic),
    );
    const titles = new Map(applied.map((a) => [a.diagnostic, a.fix.title]));
    for (const i of items) i.rewrite = titles.get(i.diagnostic);
    files.push({ file, items, edits, before: text, after: edits.length ? applyEdits(text, edits) : text });
  }
  const listed = new Set(files.map((f) => f.file));
  const clusters = after.clusters.map((c) => ({ name: c.name, files: c.files.filter((f) => listed.has(f)) })).filter((c) => c.files.length > 0);
  return { from, to, files, clusters };
}

/**
 * The upgrade plan of the editor's workspace: its files and manifests with their unsaved buffers (the
 * model's host), judged at its version in force; the model's own findings are the "before" side.
 */
export function planModelUpgrade(model: WorkspaceModel, to: string): UpgradeReport {
  // Untitled buffers (keyed by their URI) are not files an upgrade rewrites.
  const files = model
    .allFiles()
    .filter((f) => path.isAbsolute(f.file))
    .map((f) => ({ file: f.file, language: f.language }));
  const manifests = model.loadedManifests().map((m) => m.manifest.file);
  return planUpgrade({ files, manifests }, model.checkOptions, to, model.host, undefined, model.allDiagnostics());
}

/** The known HAProxy branches newer than `from`, oldest first. */
export function newerHaproxyVersions(from: string): string[] {
  return KNOWN_VERSIONS.filter((v) => compareVersions(v, from) > 0);
}

/** Whether `to` is an upgrade from `from` (the assistant also runs for a same or older version, saying so). */
export function isUpgrade(from: string, to: string): boolean {
  return compareVersions(to, from) > 0;
}
