// What every deploy step shares: how to reach hosts, where progress goes, and the scrubber for output.
import type { ManifestHost } from '../manifest/model';
import type { DeployEvent } from './events';
import type { Redactor } from './secrets';
import type { RemoteCall } from './scripts';
import type { BatchStep, RunOptions, RunResult, Transport } from './transport';

export interface StepContext {
  transport: Transport;
  emit: (e: DeployEvent) => void;
  redactor: Redactor;
  signal?: AbortSignal;
  /** Limit for one remote command (validate, reload…). */
  commandTimeoutMs: number;
}

export async function runOn(ctx: StepContext, host: ManifestHost, call: RemoteCall, opts: RunOptions = {}): Promise<RunResult> {
  try {
    return await ctx.transport.run(host, call, { timeoutMs: ctx.commandTimeoutMs, ...opts });
  } catch (e) {
    // A transport that throws (bad ssh setting, unsafe value) is reported like a failed command.
    return { code: -1, stdout: Buffer.alloc(0), stderr: (e as Error).message, connectionFailed: true };
  }
}

/**
 * Runs `steps` on one host in order, stopping after the first non-zero exit: in one round trip when the
 * transport can batch, else call by call. Returns one result per step that ran (see Transport.runBatch).
 */
export async function runSteps(ctx: StepContext, host: ManifestHost, steps: BatchStep[], opts: Omit<RunOptions, 'stdin'> = {}): Promise<RunResult[]> {
  if (!steps.length) return [];
  const t = ctx.transport;
  if (t.runBatch && steps.length > 1) {
    try {
      return await t.runBatch(host, steps, { timeoutMs: ctx.commandTimeoutMs * steps.length, ...opts });
    } catch (e) {
      return [{ code: -1, stdout: Buffer.alloc(0), stderr: (e as Error).message, connectionFailed: true }];
    }
  }
  const out: RunResult[] = [];
  for (const s of steps) {
    const r = await runOn(ctx, host, s.call, { ...opts, stdin: s.stdin });
    out.push(r);
    if (r.code !== 0) break;
  }
  return out;
}

/** The tool's own words, scrubbed of secrets and trimmed to what fits in a report. */
export function toolMessage(ctx: StepContext, r: RunResult, maxLines = 20): string {
  const text = ctx.redactor.scrub(`${r.stderr}\n${r.stdout.toString('utf8')}`).trim();
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const kept = lines.slice(0, maxLines);
  if (lines.length > maxLines) kept.push(`… (${lines.length - maxLines} more lines)`);
  return kept.join('\n') || `exit status ${r.code}`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
