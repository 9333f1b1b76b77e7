// `haconf deploy` and `haconf pull`: the CLI face of server/src/deploy. Progress and results are the
// engine's typed events, rendered as text (or one JSON document with --format json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { MANIFEST_NAMES } from '../engine/collect';
import { deploy } from '../deploy/deploy';
import { JournalError, journalPath } from '../deploy/journal';
import { AuditPathError } from '../deploy/audit';
import { describeHost, recover, type RecoverAction, type RecoverResult } from '../deploy/recover';
import { installInterrupts, type Interrupts } from './interrupt';
import { pull, type PullResult } from '../deploy/pull';
import { DeployUsageError } from '../deploy/plan';
import { UnsafeValueError } from '../deploy/quote';
import { SshTransport } from '../deploy/ssh';
import type { Transport } from '../deploy/transport';
import type { DeployEvent, DeployPlan, DeployResult } from '../deploy/events';
import { ArgCursor, UsageError } from './args';
import { escapeForTerminal } from '../core/hiddenText';
import type { CliIO } from './check';
import { plural } from '../core/plural';

/** An answer at the prompt: yes/no, Ctrl-C typed at it, or end of input (Ctrl-D, closed stdin). */
export type PromptAnswer = boolean | 'interrupt' | 'eof';

/** What deploy/pull need beyond CliIO; everything optional so main.ts can pass its plain CliIO. */
export interface DeployCliIO extends CliIO {
  /** Answers a prompt (the deploy's [y/N], recover's choice); default: ask on the terminal. */
  confirm?: (question: string, signal: AbortSignal) => Promise<PromptAnswer | string>;
  /** Whether stdin is a terminal; default process.stdin.isTTY. */
  isTTY?: boolean;
  /** Cancels a running deploy; default: the first SIGINT, SIGTERM or SIGHUP (see interrupt.ts). */
  signal?: AbortSignal;
  /** Default: the system OpenSSH client. */
  transport?: Transport;
}

interface DeployArgs {
  manifest?: string;
  hosts?: string[];
  dryRun: boolean;
  diff: boolean;
  yes: boolean;
  force: boolean;
  format: 'text' | 'json';
  check: boolean;
  recover: boolean;
  recoverAction?: 'finish' | 'rollback';
}

function parseArgs(cmd: 'deploy' | 'pull', argv: string[]): DeployArgs {
  const out: DeployArgs = { dryRun: false, diff: false, yes: false, force: false, format: 'text', check: false, recover: false };
  const args = new ArgCursor(argv);
  while (args.next()) {
    const a = args.name;
    const value = () => args.value();
    const flag = () => args.flag();
    const common = a === '--manifest' || a === '--hosts' || a === '--format';
    const deployOnly = ['--dry-run', '--diff', '--yes', '-y', '--force', '--recover', '--finish', '--rollback'].includes(a);
    if (cmd === 'pull' && deployOnly) throw new UsageError(`${a} is a deploy option; pull takes --manifest, --hosts, --check and --format`);
    if (cmd === 'deploy' && a === '--check') throw new UsageError('--check is a pull option; for deploy use --dry-run');
    switch (a) {
      case '--manifest':
        out.manifest = value();
        break;
      case '--hosts': {
        const v = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (!v.length) throw new UsageError('--hosts needs at least one host name');
        out.hosts = v;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not '${v}'`);
        out.format = v;
        break;
      }
      case '--dry-run':
        out.dryRun = flag();
        break;
      case '--diff':
        out.diff = flag();
        break;
      case '--yes':
      case '-y':
        out.yes = flag();
        break;
      case '--force':
        out.force = flag();
        break;
      case '--check':
        out.check = flag();
        break;
      case '--recover':
        out.recover = flag();
        break;
      case '--finish':
      case '--rollback':
        if (flag()) {
          if (out.recoverAction && out.recoverAction !== a.slice(2)) throw new UsageError('--finish and --rollback exclude each other');
          out.recoverAction = a.slice(2) as 'finish' | 'rollback';
        }
        break;
      default:
        if (!common) throw new UsageError(a.startsWith('-') ? `unknown option ${a}` : `unexpected argument '${a}'; use --manifest FILE`);
    }
  }
  if (out.recoverAction && !out.recover) throw new UsageError(`${'--' + out.recoverAction} goes with --recover: haconf deploy --recover ${'--' + out.recoverAction}`);
  if (out.recover && (out.dryRun || out.force || out.hosts)) throw new UsageError('--recover takes only --manifest, --finish or --rollback, --yes and --format');
  return out;
}

export function findManifest(io: CliIO, given: string | undefined): string {
  if (given) {
    const p = path.resolve(io.cwd, given);
    if (!fs.existsSync(p)) throw new UsageError(`manifest ${given} does not exist`);
    return p;
  }
  for (const n of MANIFEST_NAMES) {
    const p = path.join(io.cwd, n);
    if (fs.existsSync(p)) return p;
  }
  throw new UsageError(`no ${MANIFEST_NAMES.join(' or ')} in ${io.cwd}; pass --manifest FILE`);
}

const STATUS = { start: '…', ok: 'ok', fail: 'FAILED', skip: 'skip' } as const;

/** Each host's state in words that say which files it is on. */
const HOST_STATE: Record<DeployResult['hosts'][number]['state'], string> = {
  unchanged: 'unchanged — already on the workspace files',
  staged: 'staged and validated, not replaced — on its previous files',
  deployed: 'deployed — on the new files',
  'rolled-back': 'rolled back — on its previous files',
  'rollback-failed': 'ROLLBACK FAILED — check this host by hand',
  failed: 'failed — on its previous files',
  untouched: 'not changed — on its previous files',
  'not-started': 'not started — on its previous files',
};

export function formatEvent(e: DeployEvent): string {
  switch (e.type) {
    case 'phase':
      return `== ${e.phase}: ${e.message}\n`;
    case 'host': {
      const detail = e.detail ? `  ${e.detail.split('\n').join('\n      ')}` : '';
      return `  ${e.host.padEnd(10)} ${e.step.padEnd(8)} ${STATUS[e.status]}${detail}\n`;
    }
    case 'log':
      return `${e.level === 'info' ? '' : e.level === 'warn' ? 'warning: ' : 'error: '}${e.message}\n`;
  }
}

export function formatPlan(p: DeployPlan, showDiff: boolean): string {
  const out: string[] = [`plan for cluster ${p.cluster}${p.dryRun ? ' (dry run)' : ''}${p.forced ? ' — FORCED past pre-flight errors' : ''}:`];
  let n = 1;
  for (const h of p.hosts) {
    const role = h.vipHolder ? 'VIP holder' : h.effectivePriority !== undefined ? `priority ${h.effectivePriority}` : 'no VRRP';
    const changed = h.files.filter((f) => f.changed);
    out.push(`  ${h.changed ? `${n++}.` : '- '} ${h.name} (${role})${h.changed ? `: reload ${h.reloads.join(', ') || 'nothing'}` : ': unchanged, skipped'}`);
    for (const f of h.files) out.push(`       ${f.changed ? (f.remote.present ? 'M' : 'A') : '='} ${f.target} ← ${f.source}${f.renderedFor ? ` (rendered for ${f.renderedFor})` : ''}`);
    if (showDiff)
      for (const f of changed)
        if (f.diff)
          out.push(
            f.diff
              .trimEnd()
              .split('\n')
              .map((l) => `       ${l}`)
              .join('\n'),
          );
  }
  return out.join('\n') + '\n';
}

function formatResult(r: DeployResult): string {
  const lines = [`result: ${r.outcome} (exit ${r.exitCode})`, ...r.message.split('\n').map((l) => `  ${l}`)];
  for (const h of r.hosts) lines.push(`  ${h.host.padEnd(10)} ${HOST_STATE[h.state] ?? h.state}`);
  const t = r.timings;
  lines.push(`  time: ${(t.totalMs / 1000).toFixed(1)} s (lock ${t.lockMs} ms, plan ${t.planMs} ms, stage ${t.stageMs} ms, rollout ${t.rolloutMs} ms)`);
  return lines.join('\n') + '\n';
}

/**
 * One line from the terminal. Ctrl-C typed at the prompt reaches readline (the terminal is in raw mode), not
 * the process as a signal, and Ctrl-D closes the input without an answer: both must end the question, or
 * the process would drain its event loop and exit 0 with locks and candidates left on every host.
 */
function askOnTerminal(question: string, signal: AbortSignal): Promise<PromptAnswer | string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    let settled = false;
    const done = (a: PromptAnswer | string): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      rl.close();
      resolve(a);
    };
    const onAbort = (): void => done(false);
    signal.addEventListener('abort', onAbort, { once: true });
    rl.on('SIGINT', () => done('interrupt'));
    rl.on('close', () => done('eof'));
    rl.question(escapeForTerminal(question), (a) => done(a.trim()));
  });
}

/** Asks; Ctrl-C at the prompt stops the run like SIGINT, end of input is a no. Returns the typed text. */
async function prompt(io: DeployCliIO, question: string, stops: Interrupts): Promise<string | false> {
  const a = await (io.confirm ?? askOnTerminal)(question, stops.signal);
  if (a === 'interrupt') {
    stops.stop('SIGINT');
    return false;
  }
  if (a === 'eof') {
    io.stderr('\nhaconf: no answer (end of input at the prompt): taking it as no\n');
    return false;
  }
  if (a === true) return 'y';
  return typeof a === 'string' ? a : false;
}

/** `haconf deploy [--manifest FILE] [--hosts a,b] [--dry-run] [--diff] [--yes] [--force] [--format text|json]`, or `--recover [--finish|--rollback]`. */
export async function runDeploy(argv: string[], io: DeployCliIO): Promise<number> {
  const args = parseArgs('deploy', argv);
  const manifest = findManifest(io, args.manifest);
  const tty = io.isTTY ?? Boolean(process.stdin.isTTY);
  if (!args.recover && !args.dryRun && !args.yes && !io.confirm && !tty) {
    throw new UsageError('refusing to deploy without confirmation: stdin is not a terminal; pass --yes to deploy unattended (or --dry-run)');
  }
  const text = args.format === 'text';
  const transport = io.transport ?? new SshTransport({ baseDir: path.dirname(manifest) });
  const stops = installInterrupts(io, journalPath(manifest), { listen: !io.signal, linked: io.signal });
  // After SIGHUP the terminal is gone: output is best effort, it must not end the rollback.
  const out = (s: string): void => {
    try {
      io.stdout(s);
    } catch {
      // the terminal is gone
    }
  };
  const onEvent = (e: DeployEvent): void => {
    if (e.type === 'phase') stops.phase(e.phase);
    if (text) out(formatEvent(e));
  };
  let planShown = false;
  try {
    if (args.recover) return await runRecover(args, manifest, transport, io, stops, onEvent, out);
    const result = await deploy({
      manifestPath: manifest,
      hosts: args.hosts,
      dryRun: args.dryRun,
      force: args.force,
      forceHint: 'pass --force',
      transport,
      signal: stops.signal,
      onEvent,
      confirm: async (plan) => {
        if (text) out(formatPlan(plan, args.diff));
        planShown = true;
        if (args.yes) return true;
        const changing = plan.hosts.filter((h) => h.changed).map((h) => h.name);
        const a = await prompt(io, `Deploy to ${changing.join(', ')} in this order? [y/N] `, stops);
        return a !== false && /^y(es)?$/i.test(a);
      },
    });
    if (args.format === 'json') {
      out(JSON.stringify(result, null, 2) + '\n');
    } else {
      if (!planShown && result.plan) out(formatPlan(result.plan, args.diff || args.dryRun));
      out(formatResult(result));
    }
    if (stops.caught) {
      const sig = stops.caught;
      out(
        `haconf: stopped by ${sig}: ${result.outcome === 'rollback-failed' ? 'the rollback did not complete; see above' : 'every host this run changed is back on its previous files'}; candidates removed and locks released\n`,
      );
    }
    return stops.exitCode() ?? result.exitCode;
  } catch (e) {
    if (e instanceof DeployUsageError || e instanceof UnsafeValueError || e instanceof JournalError || e instanceof AuditPathError) throw new UsageError(e.message);
    throw e;
  } finally {
    stops.dispose();
    await transport.close();
  }
}

function formatRecover(r: RecoverResult): string {
  const lines = [`recover: ${r.outcome} (exit ${r.exitCode})`, ...r.message.split('\n').map((l) => `  ${l}`)];
  return lines.join('\n') + '\n';
}

/** `haconf deploy --recover [--finish|--rollback] [--yes]`: see server/src/deploy/recover.ts. */
async function runRecover(args: DeployArgs, manifest: string, transport: Transport, io: DeployCliIO, stops: Interrupts, onEvent: (e: DeployEvent) => void, out: (s: string) => void): Promise<number> {
  const tty = io.isTTY ?? Boolean(process.stdin.isTTY);
  const action: RecoverAction | ((hosts: Parameters<typeof describeHost>[0][]) => Promise<RecoverAction>) =
    args.recoverAction ??
    (tty || io.confirm
      ? async (hosts) => {
          if (args.format === 'text') out(`state of each host:\n${hosts.map((h) => `  ${describeHost(h)}`).join('\n')}\n`);
          const a = await prompt(io, 'Finish the deploy on every host (f), roll every host back (r), or leave it (N)? ', stops);
          if (a !== false && /^f(inish)?$/i.test(a)) return 'finish';
          if (a !== false && /^r(oll ?back)?$/i.test(a)) return 'rollback';
          return 'report';
        }
      : 'report');
  const r = await recover({ manifestPath: manifest, transport, action, onEvent, signal: stops.signal });
  if (args.format === 'json') out(JSON.stringify(r, null, 2) + '\n');
  else out((r.deploy ? formatResult(r.deploy) : '') + formatRecover(r));
  return r.exitCode;
}

function formatPull(r: PullResult, check: boolean): string {
  const mark = { same: '=', updated: 'U', 'would-update': 'D', conflict: '!', 'missing-remote': '?', failed: 'E' } as const;
  const lines = r.entries.map((e) => `${mark[e.state]} ${e.source}: ${e.message}`);
  const drift = r.entries.filter((e) => e.state === 'updated' || e.state === 'would-update').length;
  lines.push(check ? `${plural(drift, 'file')} drifted from the workspace` : `${plural(drift, 'file')} updated from the hosts`);
  return lines.join('\n') + '\n';
}

/**
 * A read-only command over the hosts of one manifest (pull, drift): one ssh transport, closed afterwards;
 * the engine's usage errors become CLI usage errors (exit 2). Prints the result as JSON or as `text`.
 */
export async function runOnHosts<R extends { exitCode: number }>(
  io: DeployCliIO,
  manifestArg: string | undefined,
  json: boolean,
  run: (manifest: string, transport: Transport) => Promise<R>,
  text: (r: R) => string,
): Promise<number> {
  const manifest = findManifest(io, manifestArg);
  const transport = io.transport ?? new SshTransport({ baseDir: path.dirname(manifest) });
  try {
    const r = await run(manifest, transport);
    io.stdout(json ? JSON.stringify(r, null, 2) + '\n' : text(r));
    return r.exitCode;
  } catch (e) {
    if (e instanceof DeployUsageError || e instanceof UnsafeValueError) throw new UsageError(e.message);
    throw e;
  } finally {
    await transport.close();
  }
}

/** `haconf pull [--manifest FILE] [--hosts a,b] [--check] [--format text|json]`. */
export async function runPull(argv: string[], io: DeployCliIO): Promise<number> {
  const args = parseArgs('pull', argv);
  return runOnHosts(
    io,
    args.manifest,
    args.format === 'json',
    (manifestPath, transport) => pull({ manifestPath, hosts: args.hosts, check: args.check, transport }),
    (r) => formatPull(r, args.check),
  );
}
