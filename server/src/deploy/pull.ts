// `haconf pull`: the hosts' current files into the workspace. How an existing cluster is adopted, and how
// drift shows: a source is rewritten only when every host that receives it has the same content.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside, unsafeExistingFile, writeAtomicConfined } from '../core/safeWrite';
import { readRegularBytes } from '../core/sourceHost';
import type { Manifest, ManifestHost } from '../manifest/model';
import { parseManifest } from '../manifest/parse';
import type { DeployEvent } from './events';
import { parseRead, readRemote, selectHosts, sha256, DeployUsageError } from './plan';
import { runSteps, toolMessage, type StepContext } from './context';
import { calls } from './scripts';
import { parseVersions, recordVersions, type DaemonVersion } from './versions';
import { knownHostsProblems } from './knownHosts';
import { isTemplatePath } from '../templates/names';
import { Redactor } from './secrets';
import type { Transport } from './transport';

export type PullState = 'same' | 'updated' | 'would-update' | 'conflict' | 'missing-remote' | 'failed';

export interface PullEntry {
  source: string;
  sourceAbs: string;
  state: PullState;
  /** Per host: sha256 of the remote file, null when missing, or the error. */
  hosts: { host: string; target: string; sha256: string | null; error?: string }[];
  localSha256: string | null;
  message: string;
}

export interface PullOptions {
  manifestPath: string;
  hosts?: string[];
  /** Only report drift; write nothing. */
  check?: boolean;
  transport: Transport;
  onEvent?: (e: DeployEvent) => void;
}

export interface PullResult {
  entries: PullEntry[];
  exitCode: 0 | 1;
}

/** The local file's hash; null when it is missing or not a regular file (never opens a FIFO or device). */
function localSha(file: string): string | null {
  try {
    if (!fs.lstatSync(file).isFile()) return null;
  } catch {
    return null;
  }
  // /proc files pass lstat as regular files and can block a plain read.
  const read = readRegularBytes(file);
  return read.ok ? sha256(read.bytes) : null;
}

/**
 * A host's file is a rendering: it cannot be turned back into the Jinja2 template (which values came from
 * which variable, which lines from which loop), and writing it over the template would lose the template.
 */
function templateSourceProblem(where: string): string {
  return `${where} is a Jinja2 template; a host's file is its rendering and cannot be pulled back into the template. Run 'haconf drift' to see how each host's file differs from its rendering, then change the template or the inventory variables; to adopt a host's file as it is, give that host a plain source in the manifest`;
}

/** Template sources among these hosts' files (pull refuses them, with or without --check). */
export function templateSources(manifestFile: string, hosts: ManifestHost[]): string[] {
  const seen = new Set<string>();
  return hosts.flatMap((h) =>
    h.files
      .filter((f) => isTemplatePath(f.sourceAbs) && !seen.has(f.sourceAbs) && seen.add(f.sourceAbs))
      .map((f) => templateSourceProblem(`${manifestFile}:${f.sourceRange.start.line + 1}: source ${f.source}`)),
  );
}

/**
 * A pull writes into the workspace only: every `source:` it may write must lie inside the manifest's
 * folder and be reachable without symbolic links. All problems are reported at once, with the manifest
 * line, before any host is contacted.
 */
export function unsafeSources(manifestFile: string, dir: string, hosts: ManifestHost[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const h of hosts) {
    for (const f of h.files) {
      if (seen.has(f.sourceAbs)) continue;
      seen.add(f.sourceAbs);
      const where = `${manifestFile}:${f.sourceRange.start.line + 1}: source ${f.source}`;
      if (isTemplatePath(f.sourceAbs)) {
        out.push(templateSourceProblem(where));
        continue;
      }
      if (!isInside(dir, f.sourceAbs) || f.sourceAbs === dir) {
        out.push(`${where} is outside ${dir}; haconf pull only writes inside the manifest's folder. Move the file into that folder (or pull with --check, which writes nothing)`);
        continue;
      }
      const bad = unsafeExistingFile(dir, f.sourceAbs, { missingFolderOk: true });
      if (bad) out.push(`${where}: ${bad}; haconf pull does not write through links or into special files. Replace it with a regular file`);
    }
  }
  return out;
}

/** The manifest of a pull or drift check (sources may be missing) and its selected hosts; nothing contacted yet. */
export function openRemoteManifest(manifestPath: string, hosts: string[] | undefined): { manifest: Manifest; selected: ManifestHost[] } {
  const abs = path.resolve(manifestPath);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new DeployUsageError(`cannot read the manifest ${abs}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  // A pull adopts an existing cluster, so sources may not exist yet: that is not an error here.
  const { manifest: m, diagnostics } = parseManifest(abs, text, () => true);
  const fatal = diagnostics.filter((d) => d.severity === 'error');
  if (fatal.length) throw new DeployUsageError(`the manifest has errors:\n${fatal.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`).join('\n')}`);
  const selected = selectHosts(m, hosts);
  // Not overridable by --force: a manifest must not switch host-key checking off or pick the file ssh appends to.
  const knownHosts = knownHostsProblems(m.file, m.dir, selected);
  if (knownHosts.length) throw new DeployUsageError(`nothing was done:\n${knownHosts.join('\n')}`);
  return { manifest: m, selected };
}

/** One file as read on one host: its content (absent when the host has no such file) or the error. */
export interface HostRead {
  host: string;
  source: string;
  sourceAbs: string;
  target: string;
  content?: Buffer;
  sha: string | null;
  error?: string;
  unreachable?: boolean;
}

/** Reads every target of one host, in manifest order, with the deploy's own `read` script. */
export async function readHostFiles(ctx: StepContext, h: ManifestHost): Promise<HostRead[]> {
  const out: HostRead[] = [];
  for (const f of h.files) {
    const base = { host: h.name, source: f.source, sourceAbs: f.sourceAbs, target: f.target };
    ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'start', detail: f.target });
    const r = await readRemote(ctx, h, f.target);
    if (!r.ok) {
      out.push({ ...base, sha: null, error: r.message, unreachable: r.unreachable });
      ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'fail', detail: r.message });
      continue;
    }
    out.push({ ...base, content: r.state.present ? r.content : undefined, sha: r.state.sha256 ?? null });
    ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'ok', detail: f.target });
  }
  return out;
}

/**
 * One host's daemon versions and files in one session: the `versions` script, then every target's `read`
 * (one round trip when the transport batches). A batch stops at the first failing read: the targets after it
 * are then read one by one, so each gets its own answer as in readHostFiles().
 */
async function readVersionsAndFiles(ctx: StepContext, h: ManifestHost): Promise<{ reads: HostRead[]; versions: DaemonVersion[] }> {
  ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'start' });
  const results = await runSteps(ctx, h, [{ call: calls.versions() }, ...h.files.map((f) => ({ call: calls.read(f.target) }))]);
  const first = results[0];
  if (first?.connectionFailed) {
    // Unreachable: one connection timeout for the host, not one more per file.
    const error = toolMessage(ctx, first);
    ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'fail', detail: error });
    return { reads: h.files.map((f) => ({ host: h.name, source: f.source, sourceAbs: f.sourceAbs, target: f.target, sha: null, error, unreachable: true })), versions: [] };
  }
  if (first?.code !== 0) return { reads: await readHostFiles(ctx, h), versions: [] };
  const versions = parseVersions(first.stdout.toString('utf8'), ctx.redactor);
  const reads: HostRead[] = [];
  for (const [i, f] of h.files.entries()) {
    const base = { host: h.name, source: f.source, sourceAbs: f.sourceAbs, target: f.target };
    const got = results[i + 1];
    const r = got ? parseRead(ctx, h, f.target, got) : await readRemote(ctx, h, f.target);
    if (!r.ok) {
      reads.push({ ...base, sha: null, error: r.message, unreachable: r.unreachable });
      ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'fail', detail: `${f.target}: ${r.message}` });
      continue;
    }
    reads.push({ ...base, content: r.state.present ? r.content : undefined, sha: r.state.sha256 ?? null });
  }
  ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'ok' });
  return { reads, versions };
}

export async function pull(o: PullOptions): Promise<PullResult> {
  const abs = path.resolve(o.manifestPath);
  const { manifest: m, selected } = openRemoteManifest(abs, o.hosts);
  // Even --check: the raw template never equals a host's file, so comparing them would only report noise.
  const templates = templateSources(abs, selected);
  if (templates.length) throw new DeployUsageError(`nothing was pulled:\n${templates.join('\n')}`);
  if (!o.check) {
    const unsafe = unsafeSources(abs, m.dir, selected);
    if (unsafe.length) throw new DeployUsageError(`nothing was pulled:\n${unsafe.join('\n')}`);
  }
  const ctx: StepContext = { transport: o.transport, emit: (e) => o.onEvent?.(e), redactor: new Redactor(), commandTimeoutMs: 60000 };

  const bySource = new Map<string, { source: string; reads: HostRead[] }>();
  const perHost = await Promise.all(selected.map(async (h) => ({ host: h.name, ...(await readVersionsAndFiles(ctx, h)) })));
  // What the hosts run decides the version later checks target (--check writes nothing, this record neither).
  if (!o.check) recordVersions(m.dir, perHost);
  for (const { reads } of perHost) {
    for (const r of reads) {
      const entry = bySource.get(r.sourceAbs) ?? { source: r.source, reads: [] };
      bySource.set(r.sourceAbs, entry);
      entry.reads.push(r);
    }
  }

  const entries: PullEntry[] = [];
  for (const [sourceAbs, { source, reads }] of bySource) {
    reads.sort((a, b) => a.host.localeCompare(b.host));
    const local = localSha(sourceAbs);
    const hosts = reads.map((r) => ({ host: r.host, target: r.target, sha256: r.sha, ...(r.error ? { error: r.error } : {}) }));
    const base = { source, sourceAbs, hosts, localSha256: local };
    const errors = reads.filter((r) => r.error);
    if (errors.length) {
      entries.push({ ...base, state: 'failed', message: errors.map((e) => `${e.host}: ${e.error}`).join('; ') });
      continue;
    }
    const present = reads.filter((r) => r.sha !== null);
    if (!present.length) {
      entries.push({ ...base, state: 'missing-remote', message: `no host has ${reads[0]?.target ?? 'the target'} yet` });
      continue;
    }
    const shas = new Set(reads.map((r) => r.sha));
    if (shas.size > 1) {
      const groups = [...shas].map(
        (s) =>
          `${reads
            .filter((r) => r.sha === s)
            .map((r) => r.host)
            .join(', ')}: ${s ? s.slice(0, 12) : 'missing'}`,
      );
      entries.push({ ...base, state: 'conflict', message: `the hosts disagree (${groups.join(' | ')}); give each host its own source in the manifest, or pull with --hosts one host` });
      continue;
    }
    const remoteSha = present[0].sha;
    if (remoteSha === local) {
      entries.push({ ...base, state: 'same', message: 'matches the hosts' });
      continue;
    }
    if (o.check) {
      entries.push({ ...base, state: 'would-update', message: local ? 'differs from the hosts (drift)' : 'missing locally' });
      continue;
    }
    writeAtomicConfined(m.dir, sourceAbs, present[0].content!);
    entries.push({ ...base, state: 'updated', message: local ? "replaced with the hosts' version (it had drifted)" : 'created from the hosts' });
  }
  entries.sort((a, b) => a.source.localeCompare(b.source));
  const bad = entries.some((e) => e.state === 'failed' || e.state === 'conflict' || (o.check && e.state === 'would-update'));
  return { entries, exitCode: bad ? 1 : 0 };
}
