// `haconf init [DIR]`: scaffold a new HA cluster. Every answer can be a flag (scripts, CI); in a terminal the
// missing ones are asked for, one line each, with a default in brackets. Nothing is written before the
// engine (scaffold/) has proved the files clean and the failover sound, and no existing file is replaced
// without --force.
import * as path from 'node:path';
import * as readline from 'node:readline';
import { buildScaffold, writeScaffold, existingFiles, summarizeScaffold, ScaffoldError, KINDS, isClusterKind, type ScaffoldResult } from '../scaffold';
import { UnsafeLocalPathError } from '../core/safeWrite';
import { DEFAULT_HAPROXY_VERSION } from '../core/types';
import { answersToInput, defaultClusterName, missingAnswers as missing, type InitAnswers } from '../scaffold/answers';
import { ArgCursor, UsageError } from './args';
import { formatFailoverTable } from './cluster';
import { failoverRows } from '../cluster/failover';
import type { CliIO } from './check';
import { plural } from '../core/plural';

export interface InitCliIO extends CliIO {
  /** One answer per question; undefined for end of input or Ctrl-C (the run stops, writing nothing). */
  ask?: (question: string) => Promise<string | undefined>;
  /** Whether stdin is a terminal; default process.stdin.isTTY. */
  isTTY?: boolean;
}

interface InitArgs extends InitAnswers {
  dir?: string;
  yes: boolean;
  force: boolean;
}

export const INIT_USAGE = `haconf init [DIR] [--kind nodeport|apiserver|pacemaker] [--name NAME] [--vip IP/PREFIX]
            [--nodes NAME=IP,NAME=IP...] [--nodeports [LISTEN:]NODEPORT,...] [--services FILE,...]
            [--workers IP,...] [--apiservers IP,...] [--frontend-port 9443] [--interface eth0]
            [--haproxy-version 2.6] [--vrid N] [--weight N] [--ssh-user root] [--yes] [--force]`;

function parseInitArgs(argv: string[]): InitArgs {
  const out: InitArgs = { yes: false, force: false };
  const args = new ArgCursor(argv);
  const valued: Record<string, keyof InitArgs> = {
    '--kind': 'kind',
    '--name': 'name',
    '--vip': 'vip',
    '--nodes': 'nodes',
    '--nodeports': 'nodePorts',
    '--services': 'services',
    '--workers': 'workers',
    '--apiservers': 'apiservers',
    '--frontend-port': 'frontendPort',
    '--interface': 'iface',
    '--haproxy-version': 'haproxyVersion',
    '--vrid': 'vrid',
    '--weight': 'weight',
    '--ssh-user': 'sshUser',
  };
  while (args.next()) {
    const a = args.name;
    const key = valued[a];
    if (key) (out as unknown as Record<string, string>)[key] = args.value();
    else if (a === '--yes' || a === '-y') out.yes = args.flag();
    else if (a === '--force') out.force = args.flag();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}; usage: ${INIT_USAGE}`);
    else if (out.dir !== undefined) throw new UsageError(`haconf init takes one folder, got ${out.dir} and ${a}`);
    else out.dir = a;
  }
  return out;
}

/** Asks every question whose answer is missing. Returns false when the user stopped (end of input). */
async function askMissing(a: InitArgs, ask: (q: string) => Promise<string | undefined>, io: CliIO): Promise<boolean> {
  const q = async (key: keyof InitArgs, question: string, fallback?: string): Promise<boolean> => {
    if (a[key] !== undefined) return true;
    const answer = await ask(`${question}${fallback !== undefined ? ` [${fallback}]` : ''}: `);
    if (answer === undefined) return false;
    const value = answer.trim() || fallback;
    if (value !== undefined && value !== '') (a as unknown as Record<string, string>)[key] = value;
    return true;
  };
  if (a.kind === undefined) {
    io.stderr(KINDS.map((k, i) => `  ${i + 1}. ${k.kind}: ${k.label}\n`).join(''));
    const answer = await ask('Kind of cluster (1-3 or name) [1]: ');
    if (answer === undefined) return false;
    const t = answer.trim() || '1';
    a.kind = /^[1-3]$/.test(t) ? KINDS[Number(t) - 1].kind : t;
  }
  if (!isClusterKind(a.kind)) throw new ScaffoldError(`kind must be ${KINDS.map((k) => k.kind).join(', ')}, not '${a.kind}'`);
  const steps: [keyof InitArgs, string, string?][] = [
    ['name', 'Cluster name', defaultClusterName(path.resolve(io.cwd, a.dir ?? '.'))],
    ['vip', 'VIP with prefix (e.g. 192.168.10.10/24)'],
    ['nodes', 'Nodes as NAME=IP, comma-separated (e.g. lb1=192.168.10.11,lb2=192.168.10.12)'],
  ];
  if (a.kind === 'apiserver') {
    steps.push(['apiservers', 'apiserver addresses (port 6443), comma-separated', 'the nodes']);
    steps.push(['frontendPort', 'Port HAProxy listens on (the apiservers keep 6443)', '9443']);
  } else {
    if (a.services === undefined) steps.push(['nodePorts', 'NodePorts as [LISTEN:]NODEPORT, comma-separated (empty: read Service files)', '']);
    steps.push(['workers', 'Kubernetes worker addresses, comma-separated']);
  }
  if (a.kind !== 'pacemaker') steps.push(['iface', 'Network interface that carries the VIP', 'eth0']);
  steps.push(['haproxyVersion', 'HAProxy version on the nodes', DEFAULT_HAPROXY_VERSION]);
  for (const [key, question, fallback] of steps) {
    if (!(await q(key, question, fallback))) return false;
    if (key === 'nodePorts' && !a.nodePorts && a.services === undefined && !(await q('services', 'Kubernetes Service files to read the NodePorts from (globs allowed)'))) return false;
  }
  if (a.apiservers === 'the nodes') a.apiservers = undefined;
  return true;
}

export function describeScaffold(root: string, r: ScaffoldResult, io: CliIO): void {
  io.stdout(
    summarizeScaffold(r)
      .map((l, i) => (i ? `  ${l}` : l))
      .join('\n') + '\n',
  );
  const t = r.failover;
  if (t) {
    io.stdout(`\n${formatFailoverTable({ instance: '', vips: [r.plan.vip], nodes: t.nodes, holder: t.initialHolder, rows: failoverRows(t) }).replace(/^/gm, '  ')}\n\n`);
  }
  io.stdout(`files in ${root}:\n${[...r.files.keys()].map((f) => `  ${f}\n`).join('')}`);
}

/**
 * Questions on the terminal. Lines are queued as they arrive, so answers typed ahead (or pasted) are kept
 * for the next questions instead of being lost between two prompts. Ctrl-C or end of input answers
 * undefined: the run stops and writes nothing.
 */
function terminalAsk(): { ask: (q: string) => Promise<string | undefined>; close: () => void } {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const lines: string[] = [];
  let ended = false;
  let waiting: ((a: string | undefined) => void) | undefined;
  const deliver = () => {
    if (!waiting) return;
    if (lines.length) {
      const w = waiting;
      waiting = undefined;
      w(lines.shift());
    } else if (ended) {
      const w = waiting;
      waiting = undefined;
      w(undefined);
    }
  };
  rl.on('line', (line) => {
    lines.push(line);
    deliver();
  });
  const end = () => {
    ended = true;
    lines.length = 0;
    deliver();
  };
  rl.on('SIGINT', () => {
    end();
    rl.close();
  });
  rl.on('close', () => {
    ended = true;
    deliver();
  });
  return {
    ask: (question) =>
      new Promise((resolve) => {
        waiting = resolve;
        if (!lines.length && !ended) {
          rl.setPrompt(question);
          rl.prompt();
        }
        deliver();
      }),
    close: () => rl.close(),
  };
}

/** `haconf init [DIR] ...`. Exit codes: 0 written, 1 refused (would not be clean, or files exist), 2 usage. */
export async function runInit(argv: string[], io: InitCliIO): Promise<number> {
  const a = parseInitArgs(argv);
  const root = path.resolve(io.cwd, a.dir ?? '.');
  const tty = io.isTTY ?? Boolean(process.stdin.isTTY);
  const terminal = !io.ask && tty && !a.yes && missing(a).length ? terminalAsk() : undefined;
  const ask = io.ask ?? terminal?.ask;
  const interactive = !a.yes && missing(a).length > 0 && ask !== undefined && (tty || io.ask !== undefined);
  try {
    if (interactive) {
      if (!(await askMissing(a, ask!, io))) {
        io.stderr('\nhaconf: init stopped; nothing was written\n');
        return 1;
      }
    } else if (missing(a).length) {
      throw new UsageError(`haconf init needs ${missing(a).join(', ')} (or run it in a terminal to be asked); usage: ${INIT_USAGE}`);
    }
    const result = buildScaffold(root, answersToInput(a, io.cwd, root));
    const existing = existingFiles(root, result.files);
    if (existing.length && !a.force) {
      io.stderr(
        `haconf: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}; haconf init does not overwrite files (use --force to replace them, or pick another folder)\n`,
      );
      return 1;
    }
    describeScaffold(root, result, io);
    if (interactive) {
      const answer = await ask!(`Write ${plural(result.files.size, 'file')} to ${root}? [Y/n] `);
      if (answer === undefined || /^n/i.test(answer.trim())) {
        io.stderr('haconf: nothing was written\n');
        return 1;
      }
    }
    writeScaffold(root, result.files, a.force);
    const relative = path.relative(io.cwd, root) || '.';
    const rel = relative.startsWith('..') ? root : relative;
    io.stdout(`wrote ${plural(result.files.size, 'file')}. Next: haconf check ${rel} && haconf cluster ${rel}, then haconf deploy --manifest ${path.join(rel, 'haconf.yaml')} --dry-run\n`);
    if (result.plan.kind === 'pacemaker')
      io.stdout(`Pacemaker: run ${path.join(rel, 'pcs-resources.sh')} once on one node after corosync is up (and make /etc/corosync/authkey with corosync-keygen, the same on every node).\n`);
    return 0;
  } catch (e) {
    // Wrong answers, a cluster that would not fail over, files in the way, an unsafe folder: said, not crashed.
    if (e instanceof ScaffoldError || e instanceof UnsafeLocalPathError || (e as NodeJS.ErrnoException).code !== undefined) {
      io.stderr(`haconf: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  } finally {
    terminal?.close();
  }
}
