// Staging: every changed file goes to every host as a candidate beside its target and is checked by the
// host's own validator, on all hosts in parallel, before any host is changed.
import * as crypto from 'node:crypto';
import type { ManifestHost } from '../manifest/model';
import { runOn, runSteps, toolMessage, type StepContext } from './context';
import type { FilePlan } from './events';
import type { BatchStep } from './transport';
import type { PlannedHost } from './plan';
import { calls, candidateName } from './scripts';
import { fillFileToken } from './quote';
import { candidateNotRead } from './validatorOutput';
import { plural } from '../core/plural';

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

interface StageStep extends BatchStep {
  what: 'upload' | 'validate';
  f: FilePlan;
  validate?: string;
  candidate: string;
}

/**
 * One host: every changed file uploaded as a candidate and checked by the host's validator, all in one
 * remote session (upload f1, validate f1, upload f2, …), stopping at the first failure.
 */
async function stageHost(ctx: StepContext, p: PlannedHost, mine: Map<string, string>): Promise<StageFailure | undefined> {
  const steps: StageStep[] = [];
  for (const f of p.files) {
    if (!f.changed) continue;
    const local = p.local.get(f.target)!;
    // Named before the upload starts (by nameCandidates, so the deploy journal has them too): if the
    // connection or haconf dies half-way, cleanup still knows the name.
    let cand = mine.get(f.target);
    if (!cand) {
      cand = candidateName(f.target, crypto.randomBytes(8).toString('hex'));
      mine.set(f.target, cand);
    }
    steps.push({ what: 'upload', f, candidate: cand, call: calls.stage(f.target, cand, local.sha256), stdin: local.content });
    const validate = p.host.services[f.kind]?.validate;
    if (validate) steps.push({ what: 'validate', f, validate, candidate: cand, call: calls.exec(fillFileToken(validate, cand)) });
  }
  for (const f of p.files) if (f.changed) ctx.emit({ type: 'host', host: p.name, step: 'upload', status: 'start', detail: f.target });
  const results = await runSteps(ctx, p.host, steps);
  for (const [i, r] of results.entries()) {
    const { what, f, validate, candidate } = steps[i];
    if (what === 'upload') {
      if (r.code !== 0) {
        const message = `${p.name}: uploading ${f.source} to ${f.target} failed: ${toolMessage(ctx, r)}`;
        ctx.emit({ type: 'host', host: p.name, step: 'upload', status: 'fail', detail: message });
        return { host: p.name, target: f.target, message, unreachable: r.connectionFailed };
      }
      ctx.emit({ type: 'host', host: p.name, step: 'upload', status: 'ok', detail: f.target });
      if (steps[i + 1]?.what !== 'validate' || steps[i + 1].f !== f) {
        ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'skip', detail: `${f.target}: no validate command for ${f.kind}` });
      }
      continue;
    }
    ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'start', detail: f.target });
    if (r.code !== 0) {
      const message = r.connectionFailed
        ? `${p.name}: connection lost while validating ${f.target}: ${toolMessage(ctx, r)}`
        : `${p.name} rejected ${f.source} for ${f.target} (${ctx.redactor.scrub(validate ?? '')} exited ${r.code}):\n${toolMessage(ctx, r)}`;
      ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'fail', detail: message });
      return { host: p.name, target: f.target, message, unreachable: r.connectionFailed };
    }
    const unread = candidateNotRead(`${r.stderr}\n${r.stdout.toString('utf8')}`, candidate);
    if (unread !== undefined) {
      const message =
        `${p.name}: the validate command for ${f.target} (${ctx.redactor.scrub(validate ?? '')}) exited 0 but did not read the candidate file; ` +
        `it said: ${ctx.redactor.scrub(unread)}\nTreated as a rejection. Check the command: {file} is replaced by the candidate path (quoting is handled for {file}, "{file}" and '{file}').`;
      ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'fail', detail: message });
      return { host: p.name, target: f.target, message, unreachable: false };
    }
    ctx.emit({ type: 'host', host: p.name, step: 'validate', status: 'ok', detail: f.target });
  }
  if (results.length < steps.length) {
    // Cannot happen with a conforming transport (a short list ends with its failure); never pass silently.
    return { host: p.name, message: `${p.name}: staging stopped after ${results.length} of ${steps.length} steps`, unreachable: true };
  }
  return undefined;
}

/** A fresh candidate name for every changed file of every changed host. */
export function nameCandidates(hosts: PlannedHost[]): Candidates {
  const candidates: Candidates = new Map();
  for (const h of hosts) {
    if (!h.changed) continue;
    const mine = new Map<string, string>();
    for (const f of h.files) if (f.changed) mine.set(f.target, candidateName(f.target, crypto.randomBytes(8).toString('hex')));
    candidates.set(h.name, mine);
  }
  return candidates;
}

export async function stageAll(ctx: StepContext, hosts: PlannedHost[], named?: Candidates): Promise<StageResult> {
  const candidates: Candidates = named ?? new Map();
  const changed = hosts.filter((h) => h.changed);
  for (const h of changed) if (!candidates.has(h.name)) candidates.set(h.name, new Map());
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
      } else ctx.emit({ type: 'host', host: name, step: 'cleanup', status: 'ok', detail: `${plural(paths.length, 'candidate')} removed` });
    }),
  );
  return problems;
}
