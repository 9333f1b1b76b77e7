// `haconf drift`: per host and file, whether the host runs what the workspace holds, the masked diff when
// not, and the daemons' versions. Read-only on both sides; the reads are the deploy's own `read` script
// (pull.ts readHostFiles) over the same transport, and diffs go through the deploy preview's unifiedDiff
// with the one masking function (core/secrets maskLine).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularBytes } from '../core/sourceHost';
import { writeAtomicConfined } from '../core/safeWrite';
import type { ManifestHost } from '../manifest/model';
import { runOn, toolMessage, type StepContext } from './context';
import { unifiedDiff } from './diff';
import type { DeployEvent } from './events';
import { DeployUsageError, isTemplateSource, localKey, readRemote, renderedLocal, renderTemplateSources, sha256 } from './plan';
import { openRemoteManifest, readHostFiles, unsafeSources, type HostRead } from './pull';
import { hasJinja } from '../templates/jinja';
import { calls } from './scripts';
import { maskLine, maskText, Redactor } from './secrets';
import type { Transport } from './transport';
import { parseVersions, recordVersions, VERSION_PATTERNS, type DaemonName, type DaemonVersion } from './versions';

/**
 * same: the host's file is the workspace's. differs: both exist, contents differ. missing-remote: the host
 * has no such file. missing-local: the workspace source is missing. unreadable: the host answered but the
 * file could not be read (a link, a directory…). unknown: the host could not be reached.
 */
export type DriftState = 'same' | 'differs' | 'missing-remote' | 'missing-local' | 'unreadable' | 'unknown';

export interface DriftFile {
  source: string;
  sourceAbs: string;
  target: string;
  state: DriftState;
  localSha256: string | null;
  remoteSha256: string | null;
  /** `diff -u` from the workspace (---) to the host (+++), secrets masked; '' unless state is differs/missing-*. */
  diff: string;
  /** Both sides, secrets masked, for a side-by-side view; only when the file drifted. */
  localText?: string;
  remoteText?: string;
  message: string;
}

export type { DaemonName, DaemonVersion } from './versions';
export { parseVersions } from './versions';

export interface DriftHost {
  host: string;
  reachable: boolean;
  /** Why the host could not be checked (connection refused, host key…), secrets scrubbed. */
  error?: string;
  versions: DaemonVersion[];
  files: DriftFile[];
  /** Some file differs from the workspace or is missing on one side. */
  drifted: boolean;
}

export interface DriftResult {
  manifest: string;
  cluster: string;
  /** ISO time of the check: marks in an editor are only as fresh as this. */
  checkedAt: string;
  hosts: DriftHost[];
  summary: { hosts: number; inSync: number; drifted: number; unreachable: number; filesDiffering: number };
  /** Cluster-wide observations that are not drift, e.g. hosts running different daemon versions. */
  notes: string[];
  /** 0 every host matches the workspace; 1 drift; 2 a host or file could not be checked. */
  exitCode: 0 | 1 | 2;
}

export interface DriftOptions {
  manifestPath: string;
  hosts?: string[];
  transport: Transport;
  onEvent?: (e: DeployEvent) => void;
  /** Limit for one remote command; default 30 s. */
  commandTimeoutMs?: number;
}

/** Above this many lines (both sides), no diff is computed: the line diff's memory grows with size × changes. */
const MAX_DIFF_LINES = 20000;

/** The local source's bytes; null when missing or not a regular file (never opens a FIFO or device). */
function readLocal(file: string): Buffer | null {
  try {
    if (!fs.lstatSync(file).isFile()) return null;
  } catch {
    return null;
  }
  const r = readRegularBytes(file);
  return r.ok ? r.bytes : null;
}

function looksBinary(b: Buffer): boolean {
  return b.subarray(0, 8192).includes(0);
}

function lineCount(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** What a host's file is compared with: the source's bytes, or a template's rendering for that host. */
interface LocalSide {
  bytes: Buffer | null;
  /** Set for a template source: the host it was rendered for. */
  renderedFor?: string;
  /** A template that could not be rendered for the host: why (nothing to compare with). */
  notRendered?: string;
}

/** Compares one read with the workspace's source. */
function compare(host: string, r: HostRead, side: LocalSide): DriftFile {
  const local = side.bytes;
  const source = side.renderedFor ? `${r.source} (rendered for ${side.renderedFor})` : r.source;
  const base = { source: r.source, sourceAbs: r.sourceAbs, target: r.target, localSha256: local ? sha256(local) : null, remoteSha256: r.sha, diff: '' };
  if (r.error) return { ...base, state: 'unreadable', message: r.error };
  if (side.notRendered)
    return { ...base, state: 'unknown', message: `not compared: ${r.source} could not be rendered for ${host} (${side.notRendered}); 'haconf check' shows why on the template line` };
  const remote = r.content;
  if (!remote && !local) return { ...base, state: 'missing-remote', message: `neither ${host}:${r.target} nor ${r.source} exists` };
  if (local && remote && base.localSha256 === r.sha) return { ...base, state: 'same', message: 'matches the workspace' };
  const state: DriftState = !remote ? 'missing-remote' : !local ? 'missing-local' : 'differs';
  const message =
    state === 'missing-remote' ? `${host} has no ${r.target}` : state === 'missing-local' ? `the workspace has no ${r.source}; ${host} has ${r.target}` : `${host}:${r.target} differs from ${source}`;
  const a = local ?? Buffer.alloc(0);
  const b = remote ?? Buffer.alloc(0);
  if (looksBinary(a) || looksBinary(b)) return { ...base, state, message: `${message} (binary content, no diff shown)` };
  if (lineCount(a) + lineCount(b) > MAX_DIFF_LINES) return { ...base, state, message: `${message} (${lineCount(a)} and ${lineCount(b)} lines: too large to diff here; compare the sha256 values)` };
  const localText = a.toString('utf8');
  const remoteText = b.toString('utf8');
  const diff = unifiedDiff(localText, remoteText, local ? source : `${r.source} (missing)`, `${host}:${r.target}${remote ? '' : ' (missing)'}`, 3, maskLine);
  return { ...base, state, message, diff, localText: maskText(localText), remoteText: maskText(remoteText) };
}

async function checkHost(ctx: StepContext, h: ManifestHost, locals: Map<string, LocalSide>): Promise<DriftHost> {
  ctx.emit({ type: 'host', host: h.name, step: 'versions', status: 'start' });
  // The versions call comes first: it is also the reachability probe, so an unreachable host costs one
  // connection timeout, not one per file.
  const v = await runOn(ctx, h, calls.versions());
  if (v.code !== 0) {
    const error = toolMessage(ctx, v);
    ctx.emit({ type: 'host', host: h.name, step: 'versions', status: 'fail', detail: error });
    const files = h.files.map(
      (f): DriftFile => ({
        source: f.source,
        sourceAbs: f.sourceAbs,
        target: f.target,
        state: 'unknown',
        localSha256: null,
        remoteSha256: null,
        diff: '',
        message: `not checked: ${h.name} could not be reached`,
      }),
    );
    return { host: h.name, reachable: false, error: v.connectionFailed ? `cannot reach ${h.name}: ${error}` : `${h.name}: ${error}`, versions: [], files, drifted: false };
  }
  const versions = parseVersions(v.stdout.toString('utf8'), ctx.redactor);
  ctx.emit({
    type: 'host',
    host: h.name,
    step: 'versions',
    status: 'ok',
    detail: versions
      .filter((x) => x.installed)
      .map((x) => `${x.daemon} ${x.version ?? '?'}`)
      .join(', '),
  });
  const reads = await readHostFiles(ctx, h);
  const lost = reads.find((r) => r.unreachable);
  const files = reads.map((r) => compare(h.name, r, locals.get(localKey(h.name, r.sourceAbs)) ?? { bytes: null }));
  const drifted = files.some((f) => f.state === 'differs' || f.state === 'missing-remote' || f.state === 'missing-local');
  return { host: h.name, reachable: !lost, ...(lost ? { error: `the connection to ${h.name} broke: ${lost.error}` } : {}), versions, files, drifted };
}

/**
 * Peers of one cluster running different versions of a daemon: not drift (the files may all match), but
 * the same file can then mean different things on different hosts, and a failover lands on other code.
 */
export function versionNotes(hosts: DriftHost[]): string[] {
  const notes: string[] = [];
  for (const daemon of Object.keys(VERSION_PATTERNS) as DaemonName[]) {
    const byVersion = new Map<string, string[]>();
    for (const h of hosts) {
      const v = h.versions.find((x) => x.daemon === daemon);
      if (!v?.installed) continue;
      const key = v.version ?? v.line;
      byVersion.set(key, [...(byVersion.get(key) ?? []), h.host]);
    }
    if (byVersion.size > 1) notes.push(`the hosts run different ${daemon} versions: ${[...byVersion].map(([v, hs]) => `${hs.join(', ')} ${v}`).join('; ')}`);
  }
  return notes;
}

export async function drift(o: DriftOptions): Promise<DriftResult> {
  const { manifest: m, selected } = openRemoteManifest(o.manifestPath, o.hosts);
  const redactor = new Redactor();
  // A template source is compared as its rendering for each host (the renderer haconf check and deploy use).
  const rendering = renderTemplateSources(m, selected);
  const locals = new Map<string, LocalSide>();
  const plain = new Map<string, Buffer | null>();
  for (const h of selected)
    for (const f of h.files) {
      const key = localKey(h.name, f.sourceAbs);
      const rendered = isTemplateSource(f) ? renderedLocal(rendering, h.name, f) : undefined;
      if (rendered) {
        locals.set(key, { bytes: rendered.content, renderedFor: h.name });
        for (const v of rendered.secretValues ?? []) redactor.addValue(v);
        continue;
      }
      if (!plain.has(f.sourceAbs)) plain.set(f.sourceAbs, readLocal(f.sourceAbs));
      const bytes = plain.get(f.sourceAbs) ?? null;
      // A template without a rendering is compared as it is only when it holds no Jinja (as deploy ships it).
      if (isTemplateSource(f) && bytes && hasJinja(bytes.toString('utf8'))) {
        const why = rendering.unrendered.find((u) => u.host === h.name && u.template === f.sourceAbs)?.message ?? 'no inventory names this host';
        locals.set(key, { bytes: null, notRendered: why });
      } else locals.set(key, { bytes });
    }
  // Secrets of the workspace's files are scrubbed from anything a host says (errors, version lines).
  for (const l of locals.values()) if (l.bytes) redactor.addText(l.bytes.toString('utf8'));
  const ctx: StepContext = { transport: o.transport, emit: (e) => o.onEvent?.(e), redactor, commandTimeoutMs: o.commandTimeoutMs ?? 30000 };
  const hosts = await Promise.all(selected.map((h) => checkHost(ctx, h, locals)));
  // The diffs mask secret lines; a rendered template may also carry an inventory secret on another line.
  for (const h of hosts)
    for (const f of h.files) {
      f.diff = redactor.scrubValues(f.diff);
      if (f.localText !== undefined) f.localText = redactor.scrubValues(f.localText);
      if (f.remoteText !== undefined) f.remoteText = redactor.scrubValues(f.remoteText);
    }
  recordVersions(
    m.dir,
    hosts.filter((h) => h.reachable),
  );
  const unreachable = hosts.filter((h) => !h.reachable).length;
  const drifted = hosts.filter((h) => h.reachable && h.drifted).length;
  const unreadable = hosts.some((h) => h.files.some((f) => f.state === 'unreadable'));
  const filesDiffering = hosts.reduce((n, h) => n + h.files.filter((f) => f.state === 'differs' || f.state === 'missing-remote' || f.state === 'missing-local').length, 0);
  return {
    manifest: m.file,
    cluster: m.cluster ?? path.basename(m.dir),
    checkedAt: new Date().toISOString(),
    hosts,
    summary: { hosts: hosts.length, inSync: hosts.filter((h) => h.reachable && !h.drifted && !h.files.some((f) => f.state === 'unreadable')).length, drifted, unreachable, filesDiffering },
    notes: versionNotes(hosts),
    exitCode: unreachable || unreadable ? 2 : drifted ? 1 : 0,
  };
}

export interface AdoptOptions {
  manifestPath: string;
  host: string;
  /** The file's `source:` as written in the manifest, or its absolute path. */
  source: string;
  /** The sha256 the user saw in the drift check: refuse when the host's file changed since. */
  expectedSha256?: string;
  transport: Transport;
}

export interface AdoptResult {
  written: string;
  sha256: string;
  /** Other hosts that receive the same source: they now differ from the workspace until a deploy. */
  sharedWith: string[];
  message: string;
}

/** Writes one host's version of one file into the workspace (inside the manifest's folder only, as pull does). */
export async function adoptFromHost(o: AdoptOptions): Promise<AdoptResult> {
  const { manifest: m } = openRemoteManifest(o.manifestPath, undefined);
  const h = m.hosts.find((x) => x.name === o.host);
  if (!h) throw new DeployUsageError(`unknown host ${o.host}; the manifest has ${m.hosts.map((x) => x.name).join(', ')}`);
  const f = h.files.find((x) => x.source === o.source || x.sourceAbs === o.source);
  if (!f) throw new DeployUsageError(`${o.host} receives no file from ${o.source} in ${m.file}`);
  const unsafe = unsafeSources(m.file, m.dir, [{ ...h, files: [f] }]);
  if (unsafe.length) throw new DeployUsageError(`nothing was written:\n${unsafe.join('\n')}`);
  const redactor = new Redactor();
  const ctx: StepContext = { transport: o.transport, emit: () => undefined, redactor, commandTimeoutMs: 30000 };
  const r = await readRemote(ctx, h, f.target);
  if (!r.ok) throw new DeployUsageError(`cannot read ${o.host}:${f.target}: ${r.message}`);
  if (!r.state.present) throw new DeployUsageError(`${o.host} has no ${f.target}; nothing to adopt (deploy the workspace's version instead)`);
  if (o.expectedSha256 && r.state.sha256 !== o.expectedSha256) {
    throw new DeployUsageError(
      `${o.host}:${f.target} changed since the drift check (sha256 ${r.state.sha256!.slice(0, 12)}, checked ${o.expectedSha256.slice(0, 12)}); check drift again before adopting it`,
    );
  }
  writeAtomicConfined(m.dir, f.sourceAbs, r.content);
  const sharedWith = m.hosts.filter((x) => x.name !== h.name && x.files.some((y) => y.sourceAbs === f.sourceAbs)).map((x) => x.name);
  const others = sharedWith.length ? `; ${sharedWith.join(', ')} also receive${sharedWith.length === 1 ? 's' : ''} ${f.source} and will differ until the next deploy` : '';
  return { written: f.sourceAbs, sha256: r.state.sha256!, sharedWith, message: `${f.source} now holds ${o.host}'s ${f.target}${others}` };
}
