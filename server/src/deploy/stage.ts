// Staging: every changed file goes to every host as a candidate beside its target and is checked by the
// host's own validator, on all hosts in parallel, before any host is changed.
import * as crypto from 'node:crypto';
import type { ManifestHost } from '../manifest/model';
import { runOn, toolMessage, type StepContext } from './context';
import type { PlannedHost } from './plan';
import { calls, candidateName } from './scripts';
import { fillFileToken } from './quote';

/** host → target → candidate path on the host. */
export type Candidates = Map<string, Map<string, string>>;

export interface StageFailure {
  host: string;
  target?: string;
  message: string;
  unreachable: boolean;
}

export interface StageResult {
  candidates: Candidates;
  failures: StageFailure[];
}

async function stageHost(ctx: StepContext, p: PlannedHost, mine: Map<string, string>): Promise<StageFailure | undefined> {
  for (const f of p.files) {
    if (!f.changed) continue;
    const local = p.local.get(f.target)!;
    const cand = candidateName(f.target, crypto.randomBytes(8).toString('hex'));
    // Recorded before the upload starts: if the connection dies half-way, cleanup still knows the name.
    mine.set(f.target, cand);
    ctx.emit({ type: 'host', host: p.name, step: 'upload', status: 'start', detail: f.target });
    const up = await runOn(ctx, p.host, calls.stage(f.target, cand, local.sha256), { stdin: local.content });
    if (up.code !== 0) {
      const message = `${p.name}: uploading ${f.source} to ${f.target} failed: ${toolMessage(ctx, up)}`;
      ctx.emit({ type: 'host', host: p.name, step: 'upload', status: 'fail', detail: message });
      return { host: p.name, target: f.target, message, unreachable: up.connectionFailed };
    }
    ctx.emit({ type: 'host', host: p.name, step: 'upload', status: 'ok', detail: f.target });
    const validate = p.host.services[f.kind]?.validate;
    if (!validate) {
      ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'skip', detail: `${f.target}: no validate command for ${f.kind}` });
      continue;
    }
    ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'start', detail: f.target });
    const v = await runOn(ctx, p.host, calls.exec(fillFileToken(validate, cand)));
    if (v.code !== 0) {
      const message = v.connectionFailed
        ? `${p.name}: connection lost while validating ${f.target}: ${toolMessage(ctx, v)}`
        : `${p.name} rejected ${f.source} for ${f.target} (${ctx.redactor.scrub(validate)} exited ${v.code}):\n${toolMessage(ctx, v)}`;
      ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'fail', detail: message });
      return { host: p.name, target: f.target, message, unreachable: v.connectionFailed };
    }
    ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'ok', detail: f.target });
  }
  return undefined;
}

export async function stageAll(ctx: StepContext, hosts: PlannedHost[]): Promise<StageResult> {
  const candidates: Candidates = new Map();
  const changed = hosts.filter((h) => h.changed);
  for (const h of changed) candidates.set(h.name, new Map());
  const res = await Promise.all(changed.map((h) => stageHost(ctx, h, candidates.get(h.name)!)));
  return { candidates, failures: res.filter((r): r is StageFailure => r !== undefined) };
}

/** Removes the given candidates on every host; returns what could not be removed. */
export async function removeCandidates(ctx: StepContext, hosts: Map<string, ManifestHost>, candidates: Candidates): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    [...candidates].map(async ([name, byTarget]) => {
      const paths = [...byTarget.values()];
      if (!paths.length) return;
      const r = await runOn(ctx, hosts.get(name)!, calls.remove(paths));
      if (r.code !== 0) {
        const msg = `${name}: could not remove candidates ${paths.join(', ')}: ${toolMessage(ctx, r)}`;
        problems.push(msg);
        ctx.emit({ type: 'host', host: name, step: 'cleanup', status: 'fail', detail: msg });
      } else ctx.emit({ type: 'host', host: name, step: 'cleanup', status: 'ok', detail: `${paths.length} candidate(s) removed` });
    }),
  );
  return problems;
}
