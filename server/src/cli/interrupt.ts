// What the CLI does when it is told to stop while a deploy runs. SIGINT (Ctrl-C), SIGTERM (kill, systemd,
// CI timeouts) and SIGHUP (terminal closed, ssh session dropped) all mean the same: stop at a safe point.
// The first one aborts the engine's signal: the step running on the current host finishes, then every host
// this run changed is rolled back, candidates removed, locks released, the audit record written. A second
// one does not cut that short (it says so); a third quits at once, leaving the deploy journal for
// `haconf deploy --recover`. The exit status is 128 + the signal's number, as a shell reports a signal.
import * as os from 'node:os';
import type { Phase } from '../deploy/events';
import type { CliIO } from './check';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface Interrupts {
  readonly signal: AbortSignal;
  /** The first stop signal received, if any. */
  readonly caught: StopSignal | undefined;
  /** 128 + the caught signal's number, or undefined. */
  exitCode(): number | undefined;
  /** Where the run is, for the messages (fed from the engine's phase events). */
  phase(p: Phase): void;
  /** A stop that did not arrive as a process signal (Ctrl-C typed at the prompt, which readline takes). */
  stop(sig: StopSignal): void;
  dispose(): void;
}

const NAMES: Record<StopSignal, string> = { SIGINT: 'Ctrl-C (SIGINT)', SIGTERM: 'SIGTERM', SIGHUP: 'SIGHUP (terminal closed)' };

/**
 * `listen` false: no process handlers (tests that inject their own signal); stop() still works.
 * `linked`: an outer signal that also stops the run.
 */
export function installInterrupts(io: CliIO, journalFile: string, opts: { listen: boolean; linked?: AbortSignal; exit?: (code: number) => void }): Interrupts {
  const ac = new AbortController();
  let caught: StopSignal | undefined;
  let count = 0;
  let phase: Phase = 'preflight';
  // After SIGHUP the terminal is gone and writes to it fail (EIO): messages are best effort from then on.
  const say = (s: string): void => {
    try {
      io.stderr(s);
    } catch {
      // nowhere left to say it
    }
  };
  const onSignal = (sig: StopSignal): void => {
    count++;
    if (count === 1) {
      caught = sig;
      const what =
        phase === 'rollout'
          ? "finishing the current host's step, then rolling back every host this run changed"
          : phase === 'rollback' || phase === 'cleanup' || phase === 'done'
            ? 'finishing the rollback and cleanup already under way'
            : 'stopping before any host changes; removing candidates and releasing locks';
      say(`\nhaconf: ${NAMES[sig]} received: ${what}. Wait for it; ${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again does not cut it short.\n`);
      ac.abort();
      return;
    }
    if (count === 2) {
      say(
        `\nhaconf: ${NAMES[sig]} again: still finishing the rollback and cleanup, so that no host is left half-done. Once more quits at once, leaving the hosts as they are and the journal ${journalFile} for 'haconf deploy --recover'.\n`,
      );
      return;
    }
    say(
      `\nhaconf: quitting at once on a third stop signal. Hosts may be on different configs, and locks and candidates may be left: run 'haconf deploy --recover' to see every host's state and finish or roll back (journal: ${journalFile}).\n`,
    );
    (opts.exit ?? ((c: number) => process.exit(c)))(128 + (os.constants.signals[sig] ?? 2));
  };
  const handlers = new Map<StopSignal, () => void>();
  const ignoreStreamError = (): void => undefined;
  if (opts.listen) {
    for (const sig of STOP_SIGNALS) {
      const h = (): void => onSignal(sig);
      handlers.set(sig, h);
      process.on(sig, h);
    }
    process.stdout.on('error', ignoreStreamError);
    process.stderr.on('error', ignoreStreamError);
  }
  const onLinked = (): void => ac.abort();
  opts.linked?.addEventListener('abort', onLinked, { once: true });
  if (opts.linked?.aborted) ac.abort();
  return {
    signal: ac.signal,
    get caught() {
      return caught;
    },
    exitCode: () => (caught ? 128 + (os.constants.signals[caught] ?? 2) : undefined),
    phase: (p) => {
      phase = p;
    },
    stop: (sig) => onSignal(sig),
    dispose: () => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
      process.stdout.removeListener('error', ignoreStreamError);
      process.stderr.removeListener('error', ignoreStreamError);
      opts.linked?.removeEventListener('abort', onLinked);
    },
  };
}
