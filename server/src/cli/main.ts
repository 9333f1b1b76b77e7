import * as fs from 'node:fs';
import type { CliIO } from './check';
import { UsageError } from './args';
import { VERSION } from './version';
import { escapeForTerminal } from '../core/hiddenText';

const HELP = `haconf ${VERSION} — validate HAProxy, keepalived and corosync configs, alone and as a cluster

Usage:
  haconf check [PATH...] [options]   check files or folders (default: .)
  haconf init [DIR] [options]        scaffold a new cluster (keepalived+HAProxy for NodePorts, apiserver LB,
                                     Pacemaker/corosync): asks in a terminal, or takes every answer as flags
                                     (--yes); checks the files and the failover before writing; see docs/init.md
  haconf cluster [PATH...]           show each cluster, its nodes and the failover table (--format text|json)
  haconf deploy [--manifest FILE] [--hosts a,b] [--dry-run] [--diff] [--yes] [--force] [--format text|json]
                                     stage, validate and roll out the cluster's files over ssh, safely
  haconf deploy --recover [--finish|--rollback] [--manifest FILE] [--format text|json]
                                     after a deploy was killed: show whether each host is on the old or the
                                     new files, then finish or roll back that deploy
  haconf pull [--manifest FILE] [--hosts a,b] [--check]
                                     fetch the hosts' current files into the workspace (or report drift)
  haconf drift [--manifest FILE] [--hosts a,b] [--format text|json]
                                     per host and file: in sync with the workspace or not (masked diff),
                                     and the hosts' haproxy/keepalived/corosync versions; read-only.
                                     Exit 0 in sync, 1 drift, 2 usage error or a host that cannot be reached
  haconf export ansible [--manifest FILE ...] [--out DIR] [--haconf-command CMD] [--force]
                                     write an Ansible inventory and playbooks that deploy the clusters
                                     with haconf's checks, order and rollback (docs/ansible.md)
  haconf lsp --stdio                 run the language server for any LSP editor
  haconf --version | --help

check options:
  --lang haproxy|keepalived|corosync   force the language of every file
  --format text|json|sarif             output format (default text)
  --haproxy-version X.Y                target HAProxy version (default 2.6)
  --keepalived-version X.Y             target keepalived version (else the hosts', the local binary's, 2.3)
  --max-warnings N                     exit 1 when there are more than N warnings
  --rule CODE=error|warning|information|hint|off   override a rule's severity
  --upgrade-to X.Y                     list what HAProxy X.Y removes, deprecates or refuses compared with
                                       the version in force, per file and cluster, and print the mechanical
                                       rewrites as a unified diff (docs/upgrade.md)
  --write                              with --upgrade-to: write the rewrites into the files

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 usage error or unreadable input.
`;

/**
 * Everything a command prints passes through escapeForTerminal: config text, host output and names from a
 * manifest may hold ESC sequences or bidirectional controls that would rewrite or reorder what the
 * terminal shows. Only `check --color` writes its own colour codes, through `trustedStdout`, after
 * escaping every piece it prints (cli/format.ts).
 */
function terminalSafe(io: CliIO): CliIO {
  return {
    ...io,
    stdout: (s) => io.stdout(escapeForTerminal(s)),
    stderr: (s) => io.stderr(escapeForTerminal(s)),
    trustedStdout: io.trustedStdout ?? io.stdout,
  };
}

// Each command's modules are loaded when it runs (require() is lazy in the bundle; an import would
// initialise them at every start): `haconf check` does not pay for ssh, prompts, the scaffold or the
// Ansible export, and `haconf deploy` not for the SARIF writer.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  check: () => require('./check') as typeof import('./check'),
  cluster: () => require('./cluster') as typeof import('./cluster'),
  init: () => require('./init') as typeof import('./init'),
  deploy: () => require('./deploy') as typeof import('./deploy'),
  drift: () => require('./drift') as typeof import('./drift'),
  export: () => require('./export') as typeof import('./export'),
  lsp: () => require('../lsp/stdio') as typeof import('../lsp/stdio'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[], rawIo: CliIO): Promise<number> {
  const io = terminalSafe(rawIo);
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP);
        return cmd === undefined ? 2 : 0;
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'check':
        return commands.check().runCheck(rest, io);
      case 'cluster':
        return commands.cluster().runCluster(rest, io);
      case 'init': {
        const init = commands.init();
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(`Usage: ${init.INIT_USAGE}\n`);
          return 0;
        }
        return await init.runInit(rest, io);
      }
      case 'deploy':
        return await commands.deploy().runDeploy(rest, io);
      case 'pull':
        return await commands.deploy().runPull(rest, io);
      case 'drift':
        return await commands.drift().runDrift(rest, io);
      case 'export':
        return commands.export().runExport(rest, io);
      case 'lsp':
        // The language server is a bundle of its own (scripts/build.mjs), so the LSP library is not even read.
        commands.lsp().startStdioServer();
        return -1; // keeps running; the connection ends the process
      default:
        throw new UsageError(`unknown command '${cmd}'; try 'haconf --help'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`haconf: ${e.message}\n`);
      return 2;
    }
    io.stderr(`haconf: internal error: ${(e as Error).stack ?? e}\nPlease report this at https://github.com/haconf/haconf/issues\n`);
    return 2;
  }
}

/**
 * A standard stream that stops quietly when its reader goes away (`haconf check | head`): EPIPE ends the
 * writing instead of an unhandled 'error' that would print a stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): (s: string | Uint8Array) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw e;
  });
  return (s) => {
    if (!closed) stream.write(s);
  };
}

/** Settles once everything written to `stream` so far reached the OS (or the reader went away). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    // Writes complete in order: the callback of an empty write runs after every earlier chunk.
    stream.write('', () => resolve());
  });
}

export interface Output {
  write: (s: string | Uint8Array) => void;
  /** Settles once everything written reached the OS (or the reader went away). */
  flushed: () => Promise<void>;
}

/** process.stdout / process.stderr, quiet when the reader goes away. */
function streamOutput(stream: NodeJS.WriteStream): Output {
  return { write: quietOnClosedPipe(stream), flushed: () => flushed(stream) };
}

/**
 * Writes straight to the file descriptor with write(2), so a command that only prints never makes
 * process.stdout/stderr (their stream, and for a pipe the net module: ~3 ms of a small check). Should a
 * write not go through at once (a non-blocking pipe that is full: EAGAIN) or fail otherwise, that text and
 * everything after it goes through the stream, in order; a reader that went away (EPIPE) ends the output
 * quietly, as quietOnClosedPipe does.
 */
export function descriptorOutput(fd: number, stream: () => NodeJS.WriteStream): Output {
  let closed = false;
  let fallback: Output | undefined;
  return {
    write: (s) => {
      if (closed) return;
      if (fallback) return fallback.write(s);
      const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
      let done = 0;
      while (done < bytes.length) {
        try {
          done += fs.writeSync(fd, bytes, done, bytes.length - done);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
            closed = true;
            return;
          }
          fallback = streamOutput(stream());
          // The bytes as they are: a write that stopped inside a UTF-8 character must not split it into two.
          fallback.write(bytes.subarray(done));
          return;
        }
      }
    },
    flushed: () => (fallback ? fallback.flushed() : Promise.resolve()),
  };
}

/** Commands that only print what they found: no prompt, no other writer on the same streams. */
const PRINT_ONLY = new Set([undefined, 'check', 'cluster', '--help', '-h', 'help', '--version', '-v']);

export function run(): void {
  const argv = process.argv.slice(2);
  const direct = PRINT_ONLY.has(argv[0]);
  const out = direct ? descriptorOutput(1, () => process.stdout) : streamOutput(process.stdout);
  const err = direct ? descriptorOutput(2, () => process.stderr) : streamOutput(process.stderr);
  const io: CliIO = { stdout: out.write, stderr: err.write, cwd: process.cwd() };
  void main(argv, io).then(async (code) => {
    if (code < 0) return; // `haconf lsp`: the connection ends the process
    // A one-shot command is done: exit once its output is out, whatever handles a library left open
    // (the exit code is the command's, the output is never cut short by the exit).
    await Promise.all([out.flushed(), err.flushed()]);
    process.exit(code);
  });
}

if (require.main === module) run();
