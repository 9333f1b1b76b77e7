// `haconf deploy` and `haconf pull`: the CLI face of server/src/deploy. Progress and results are the
// engine's typed events, rendered as text (or one JSON document with --format json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { MANIFEST_NAMES } from '../engine/collect';
import { deploy } from '../deploy/deploy';
import { pull, type PullResult } from '../deploy/pull';
import { DeployUsageError } from '../deploy/plan';
import { UnsafeValueError } from '../deploy/quote';
import { SshTransport } from '../deploy/ssh';
import type { Transport } from '../deploy/transport';
import type { DeployEvent, DeployPlan, DeployResult } from '../deploy/events';
import { ArgCursor, UsageError } from './args';
import type { CliIO } from './check';
import { plural } from '../core/plural';

/** What deploy/pull need beyond CliIO; everything optional so main.ts can pass its plain CliIO. */
export interface DeployCliIO extends CliIO {
  /** Answers the confirmation prompt; default: ask on the terminal. */
  confirm?: (question: string) => Promise<boolean>;
  /** Whether stdin is a terminal; default process.stdin.isTTY. */
  isTTY?: boolean;
  /** Cancels a running deploy; default: the first Ctrl-C. */
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
}

function parseArgs(cmd: 'deploy' | 'pull', argv: string[]): DeployArgs {
  const out: DeployArgs = { dryRun: false, diff: false, yes: false, force: false, format: 'text', check: false };
  const args = new ArgCursor(argv);
  while (args.next()) {
    const a = args.name;
    const value = () => args.value();
    const flag = () => args.flag();
    const common = a === '--manifest' || a === '--hosts' || a === '--format';
    const deployOnly = ['--dry-run', '--diff', '--yes', '-y', '--force'].includes(a);
    if (cmd === 'pull' && deployOnly) throw new UsageError(`${a} is a deploy option; pull takes --manifest, --hosts, --check and --format`);
    if (cmd === 'deploy' && a === '--check') throw new UsageError('--check is a pull option; for deploy use --dry-run');
    switch (a) {
      case '--manifest':
        out.manifest = value();
        break;
      case '--hosts': {
        const v = value().split(',').map((s) => s.trim()).filter(Boolean);
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
      default:
        if (!common) throw new UsageError(a.startsWith('-') ? `unknown option ${a}` : `unexpected argument '${a}'; use --manifest FILE`);
    }
  }
  return out;
}

function findManifest(io: CliIO, given: string | undefined): string {
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
    for (const f of h.files) out.push(`       ${f.changed ? (f.remote.present ? 'M' : 'A') : '='} ${f.target} ← ${f.source}`);
    if (showDiff) for (const f of changed) if (f.diff) out.push(f.diff.trimEnd().split('\n').map((l) => `       ${l}`).join('\n'));
  }
  return out.join('\n') + '\n';
}

function formatResult(r: DeployResult): string {
  const lines = [`result: ${r.outcome} (exit ${r.exitCode})`, ...r.message.split('\n').map((l) => `  ${l}`)];
  for (const h of r.hosts) lines.push(`  ${h.host.padEnd(10)} ${h.state}`);
  const t = r.timings;
  lines.push(`  time: ${(t.totalMs / 1000).toFixed(1)} s (lock ${t.lockMs} ms, plan ${t.planMs} ms, stage ${t.stageMs} ms, rollout ${t.rolloutMs} ms)`);
  return lines.join('\n') + '\n';
}

function askOnTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    rl.question(question, (a) => {
      rl.close();
      resolve(/^y(es)?$/i.test(a.trim()));
    });
  });
}

/** `haconf deploy [--manifest FILE] [--hosts a,b] [--dry-run] [--diff] [--yes] [--force] [--format text|json]`. */
export async function runDeploy(argv: string[], io: DeployCliIO): Promise<number> {
  const args = parseArgs('deploy', argv);
  const manifest = findManifest(io, args.manifest);
  const tty = io.isTTY ?? Boolean(process.stdin.isTTY);
  if (!args.dryRun && !args.yes && !io.confirm && !tty) {
    throw new UsageError('refusing to deploy without confirmation: stdin is not a terminal; pass --yes to deploy unattended (or --dry-run)');
  }
  const text = args.format === 'text';
  const transport = io.transport ?? new SshTransport({ baseDir: path.dirname(manifest) });
  let signal = io.signal;
  let onSigint: (() => void) | undefined;
  if (!signal) {
    const ac = new AbortController();
    signal = ac.signal;
    onSigint = () => {
      io.stderr('\nhaconf: cancelling — stopping before the next host and rolling back what this run changed (Ctrl-C again to kill)\n');
      ac.abort();
      if (onSigint) process.removeListener('SIGINT', onSigint);
    };
    process.once('SIGINT', onSigint);
  }
  let planShown = false;
  try {
    const result = await deploy({
      manifestPath: manifest,
      hosts: args.hosts,
      dryRun: args.dryRun,
      force: args.force,
      forceHint: 'pass --force',
      transport,
      signal,
      onEvent: text ? (e) => io.stdout(formatEvent(e)) : undefined,
      confirm: async (plan) => {
        if (text) io.stdout(formatPlan(plan, args.diff));
        planShown = true;
        if (args.yes) return true;
        const ask = io.confirm ?? askOnTerminal;
        const changing = plan.hosts.filter((h) => h.changed).map((h) => h.name);
        return ask(`Deploy to ${changing.join(', ')} in this order? [y/N] `);
      },
    });
    if (args.format === 'json') {
      io.stdout(JSON.stringify(result, null, 2) + '\n');
    } else {
      if (!planShown && result.plan) io.stdout(formatPlan(result.plan, args.diff || args.dryRun));
      io.stdout(formatResult(result));
    }
    return result.exitCode;
  } catch (e) {
    if (e instanceof DeployUsageError || e instanceof UnsafeValueError) throw new UsageError(e.message);
    throw e;
  } finally {
    if (onSigint) process.removeListener('SIGINT', onSigint);
    await transport.close();
  }
}

function formatPull(r: PullResult, check: boolean): string {
  const mark = { same: '=', updated: 'U', 'would-update': 'D', conflict: '!', 'missing-remote': '?', failed: 'E' } as const;
  const lines = r.entries.map((e) => `${mark[e.state]} ${e.source}: ${e.message}`);
  const drift = r.entries.filter((e) => e.state === 'updated' || e.state === 'would-update').length;
  lines.push(check ? `${plural(drift, 'file')} drifted from the workspace` : `${plural(drift, 'file')} updated from the hosts`);
  return lines.join('\n') + '\n';
}

/** `haconf pull [--manifest FILE] [--hosts a,b] [--check] [--format text|json]`. */
export async function runPull(argv: string[], io: DeployCliIO): Promise<number> {
  const args = parseArgs('pull', argv);
  const manifest = findManifest(io, args.manifest);
  const transport = io.transport ?? new SshTransport({ baseDir: path.dirname(manifest) });
  try {
    const r = await pull({ manifestPath: manifest, hosts: args.hosts, check: args.check, transport });
    io.stdout(args.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatPull(r, args.check));
    return r.exitCode;
  } catch (e) {
    if (e instanceof DeployUsageError || e instanceof UnsafeValueError) throw new UsageError(e.message);
    throw e;
  } finally {
    await transport.close();
  }
}
