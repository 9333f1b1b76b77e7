// The real checkers, run so that they judge the configuration and not this machine: keepalived gets a
// private network namespace holding the interfaces the file names; corosync gets one holding the first
// node's address plus a private /etc/corosync with a fresh authkey. A missing binary throws (the test
// fails loudly, it never skips).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Language } from '../../server/src/core/types';

export interface ToolVerdict {
  /** The tool refuses the file. */
  rejects: boolean;
  output: string;
}

function run(cmd: string, args: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw new Error(`${cmd} is not runnable (${r.error.message}); test/setup.sh installs haproxy, keepalived, corosync and util-linux`);
  return r;
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const out = (r: SpawnSyncReturns<string>): string => `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();

function inNamespaces(kinds: ('net' | 'mount')[], script: string): SpawnSyncReturns<string> {
  const args = kinds.map((k) => `--${k}`);
  if (process.getuid?.() !== 0) args.unshift('--map-root-user');
  return run('unshare', [...args, 'sh', '-c', script]);
}

let workDir: string | undefined;
function scratch(): string {
  if (!workDir) workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-diff-'));
  return workDir;
}

export function cleanupTools(): void {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

function haproxy(file: string): ToolVerdict {
  const r = run('haproxy', ['-c', '-dr', '-f', file]);
  return { rejects: r.status !== 0, output: out(r) };
}

/** Interface names the file expects (valid Linux names only; others cannot exist anyway). */
function interfaces(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s*interface\s+(\S+)/gm)) names.add(m[1]);
  for (const m of text.matchAll(/\bdev\s+(\S+)/g)) names.add(m[1]);
  return [...names].filter((n) => /^[A-Za-z0-9_.:-]{1,15}$/.test(n) && n !== 'lo');
}

function keepalived(file: string): ToolVerdict {
  const text = fs.readFileSync(file, 'utf8');
  const setup = interfaces(text).map((n, i) => `ip link add ${shq(n)} type veth peer name hcpeer${i} 2>/dev/null && ip link set ${shq(n)} up`).join('; ');
  const r = inNamespaces(['net'], `ip link set lo up; ${setup || 'true'}; exec keepalived -t -l -f ${shq(file)}`);
  return { rejects: r.status !== 0, output: `rc ${r.status}${r.signal ? ` ${r.signal}` : ''}: ${out(r)}` };
}

function corosync(file: string): ToolVerdict {
  const text = fs.readFileSync(file, 'utf8');
  const addr = /^\s*ring0_addr\s*:\s*(\S+)/m.exec(text)?.[1] ?? '127.0.0.1';
  const etc = fs.mkdtempSync(path.join(scratch(), 'etc-'));
  fs.writeFileSync(path.join(etc, 'authkey'), crypto.randomBytes(128), { mode: 0o400 });
  fs.copyFileSync(file, path.join(etc, 'corosync.conf'));
  const v6 = addr.includes(':');
  const addAddr = /^[0-9a-fA-F.:]+$/.test(addr) ? `ip ${v6 ? '-6' : '-4'} addr add ${shq(`${addr}/${v6 ? 128 : 32}`)} dev lo 2>/dev/null;` : '';
  const r = inNamespaces(['net', 'mount'], `ip link set lo up; ${addAddr} mount --bind ${shq(etc)} /etc/corosync && exec corosync -t -c /etc/corosync/corosync.conf`);
  fs.rmSync(etc, { recursive: true, force: true });
  return { rejects: r.status !== 0, output: `rc ${r.status}: ${out(r)}` };
}

/** Writes `text` to a scratch file named for its language and asks the real tool about it. */
export function realVerdict(language: Language, text: string): ToolVerdict {
  const name = language === 'haproxy' ? 'haproxy.cfg' : language === 'keepalived' ? 'keepalived.conf' : 'corosync.conf';
  const dir = fs.mkdtempSync(path.join(scratch(), 'case-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    if (language === 'haproxy') return haproxy(file);
    if (language === 'keepalived') return keepalived(file);
    return corosync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails loudly when a binary is missing. */
export function requireTools(): void {
  for (const [cmd, args] of [['haproxy', ['-v']], ['keepalived', ['--version']], ['corosync', ['-v']], ['unshare', ['--version']]] as const) {
    const r = spawnSync(cmd, [...args], { encoding: 'utf8' });
    if (r.error) throw new Error(`${cmd} is missing (${r.error.message}); the differential test needs the real tools (test/setup.sh)`);
  }
}
