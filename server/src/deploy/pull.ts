// `haconf pull`: the hosts' current files into the workspace. How an existing cluster is adopted, and how
// drift shows: a source is rewritten only when every host that receives it has the same content.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseManifest } from '../manifest/parse';
import type { StepContext } from './context';
import type { DeployEvent } from './events';
import { readRemote, selectHosts, sha256, DeployUsageError } from './plan';
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

function localSha(file: string): string | null {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return null;
  }
}

/** Writes beside the file and renames, so an interrupted pull never leaves half a config. */
function writeAtomic(file: string, content: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let mode = 0o600;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    // new file: private, it may hold auth_pass
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.haconf-pull-${crypto.randomBytes(6).toString('hex')}`);
  fs.writeFileSync(tmp, content, { mode, flag: 'wx' });
  fs.renameSync(tmp, file);
}

export async function pull(o: PullOptions): Promise<PullResult> {
  const abs = path.resolve(o.manifestPath);
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
  const selected = selectHosts(m, o.hosts);
  const ctx: StepContext = { transport: o.transport, emit: (e) => o.onEvent?.(e), redactor: new Redactor(), commandTimeoutMs: 60000 };

  const bySource = new Map<string, { source: string; reads: { host: string; target: string; content?: Buffer; sha: string | null; error?: string }[] }>();
  await Promise.all(
    selected.map(async (h) => {
      for (const f of h.files) {
        const entry = bySource.get(f.sourceAbs) ?? { source: f.source, reads: [] };
        bySource.set(f.sourceAbs, entry);
        ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'start', detail: f.target });
        const r = await readRemote(ctx, h, f.target);
        if (!r.ok) {
          entry.reads.push({ host: h.name, target: f.target, sha: null, error: r.message });
          ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'fail', detail: r.message });
          continue;
        }
        entry.reads.push({ host: h.name, target: f.target, content: r.state.present ? r.content : undefined, sha: r.state.sha256 ?? null });
        ctx.emit({ type: 'host', host: h.name, step: 'read', status: 'ok', detail: f.target });
      }
    }),
  );


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
      const groups = [...shas].map((s) => `${reads.filter((r) => r.sha === s).map((r) => r.host).join(', ')}: ${s ? s.slice(0, 12) : 'missing'}`);
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
    writeAtomic(sourceAbs, present[0].content!);
    entries.push({ ...base, state: 'updated', message: local ? 'replaced with the hosts\' version (it had drifted)' : 'created from the hosts' });
  }
  entries.sort((a, b) => a.source.localeCompare(b.source));
  const bad = entries.some((e) => e.state === 'failed' || e.state === 'conflict' || (o.check && e.state === 'would-update'));
  return { entries, exitCode: bad ? 1 : 0 };
}
