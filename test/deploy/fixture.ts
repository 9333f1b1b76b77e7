// Test fixture for the deploy engine without ssh: every "host" is a folder in a temp tree, and remote
// calls run the real remote scripts with the local `sh` (exactly the command line ssh would send), so
// unit tests exercise quoting, staging, backups and rollback for real. Only the VIP and haproxy probes
// are simulated.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { renderCall, type RemoteCall, type RemoteOp } from '../../server/src/deploy/scripts';
import type { RemoteHost, RunOptions, RunResult, Transport } from '../../server/src/deploy/transport';
import type { DeployEvent } from '../../server/src/deploy/events';
import { DEFAULT_LOCK_DIR } from '../../server/src/deploy/lock';
import type { LabHost, LabPlan } from '../lab/lab';
import type { DeployOptions } from '../../server/src/deploy/deploy';
import { haproxyCfg, keepalivedConf } from '../lab/configs';

export type Override = (host: RemoteHost, call: RemoteCall, opts: RunOptions) => Promise<RunResult | undefined> | RunResult | undefined;

export function ok(stdout = ''): RunResult {
  return { code: 0, stdout: Buffer.from(stdout), stderr: '', connectionFailed: false };
}

export class LocalShellTransport implements Transport {
  readonly calls: { host: string; op: RemoteOp; args: string[] }[] = [];
  readonly unreachable = new Set<string>();
  /** Hosts whose `ip -o addr` shows the VIP. */
  vipHolders: () => string[] = () => [];
  vip = '10.99.0.10';
  haproxyDead = new Set<string>();
  override?: Override;
  closed = false;
  private lockRoot: string | undefined;

  async run(host: RemoteHost, call: RemoteCall, opts: RunOptions = {}): Promise<RunResult> {
    this.calls.push({ host: host.name, op: call.op, args: call.args });
    if (this.unreachable.has(host.name)) return { code: 255, stdout: Buffer.alloc(0), stderr: `ssh: connect to host ${host.name} port 22: No route to host\n`, connectionFailed: true };
    // Every fake host shares this machine's /run: give each its own lock folder, as real hosts have.
    // (The lock, its heartbeat and the install/restore/sweep steps that check it all name the lock dir.)
    if (call.args.includes(DEFAULT_LOCK_DIR)) {
      if (!this.lockRoot) this.lockRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-locks-'));
      const mine = path.join(this.lockRoot, `${host.name}.lock`);
      call = { ...call, args: call.args.map((a) => (a === DEFAULT_LOCK_DIR ? mine : a)) };
    }
    const o = await this.override?.(host, call, opts);
    if (o) return o;
    if (call.op === 'addrs') {
      const lines = ['1: lo    inet 127.0.0.1/8 scope host lo', `2: eth0    inet 10.99.0.${11 + Number(host.name.replace(/\D/g, '') || 0)}/24 scope global eth0`];
      if (this.vipHolders().includes(host.name)) lines.push(`2: eth0    inet ${this.vip}/24 scope global secondary eth0`);
      return ok(lines.join('\n') + '\n');
    }
    if (call.op === 'haproxy-alive') return this.haproxyDead.has(host.name) ? { code: 1, stdout: Buffer.alloc(0), stderr: 'no haproxy process is running\n', connectionFailed: false } : ok();
    return runLocal(renderCall(call), opts);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.lockRoot) fs.rmSync(this.lockRoot, { recursive: true, force: true });
  }

  ops(op: RemoteOp, host?: string): { host: string; op: RemoteOp; args: string[] }[] {
    return this.calls.filter((c) => c.op === op && (!host || c.host === host));
  }
}

/** Runs a command line the way sshd does: `sh -c '<line>'`. */
export function runLocal(line: string, opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', line], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let killed = false;
    const onAbort = (): void => {
      killed = true;
      child.kill('SIGKILL');
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.stdin.on('error', () => undefined);
    if (opts.stdin instanceof Readable) opts.stdin.pipe(child.stdin);
    else child.stdin.end(opts.stdin ?? Buffer.alloc(0));
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err, connectionFailed: killed });
    });
  });
}

export interface Workspace {
  dir: string;
  manifest: string;
  /** Local path standing for a host's file. */
  remote: (host: string, file: 'haproxy.cfg' | 'keepalived.conf') => string;
  reloads: (host: string) => string[];
  lockDir: (host: string) => string;
  plan: LabPlan;
  cleanup: () => void;
}

export interface WorkspaceOptions {
  hosts?: number;
  /** Base priority per host index. */
  priorities?: Record<number, number>;
  /** Extra manifest lines per host (YAML, indented 4). */
  hostExtra?: Record<string, string>;
  /** Extra top-level manifest text (e.g. a deploy: block). */
  extra?: string;
  /** Whether the remote files already exist with the given content (default: an older haproxy.cfg). */
  remoteHaproxy?: string | null;
  remoteKeepalived?: 'same' | null;
}

export function fakePlan(n: number): LabPlan {
  const net = '10.99.0';
  const hosts: LabHost[] = Array.from({ length: n }, (_, i) => ({ name: `lb${i + 1}`, index: i + 1, ip: `${net}.${11 + i}`, iface: 'eth0', prefixLen: 24, netns: `x-lb${i + 1}` }));
  return {
    prefix: 'x',
    net,
    vip: `${net}.10`,
    bridge: 'x-br',
    bridgeIp: `${net}.1`,
    hosts,
    worker: { name: 'w1', ip: `${net}.21`, netns: 'x-w1', port: 30080 },
    client: { name: 'client', ip: `${net}.31`, netns: 'x-cl' },
  };
}

/**
 * A workspace: haconf.yaml, a shared haproxy.cfg and one keepalived.conf per host, plus a folder per
 * host standing for its filesystem. Reloads append to <host>/reloads.log.
 */
export function makeWorkspace(o: WorkspaceOptions = {}): Workspace {
  const n = o.hosts ?? 3;
  const plan = fakePlan(n);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-deploy-'));
  const remote = (h: string, f: string): string => path.join(dir, 'hosts', h, f);
  const prios = o.priorities ?? { 1: 100, 2: 90, 3: 80 };
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), haproxyCfg(plan));
  const hostsYaml: string[] = [];
  for (const h of plan.hosts) {
    fs.mkdirSync(path.join(dir, h.name), { recursive: true });
    fs.mkdirSync(path.join(dir, 'hosts', h.name), { recursive: true });
    const ka = keepalivedConf(h, plan, { priorities: prios, weight: 20 });
    fs.writeFileSync(path.join(dir, h.name, 'keepalived.conf'), ka);
    if (o.remoteHaproxy !== null) fs.writeFileSync(remote(h.name, 'haproxy.cfg'), o.remoteHaproxy ?? haproxyCfg(plan).replace('timeout client 30s', 'timeout client 20s'));
    if (o.remoteKeepalived === 'same') fs.writeFileSync(remote(h.name, 'keepalived.conf'), ka);
    const log = path.join(dir, 'hosts', h.name, 'reloads.log');
    hostsYaml.push(`  - name: ${h.name}
    address: ${h.ip}/24
    files:
      - { source: haproxy.cfg, target: ${remote(h.name, 'haproxy.cfg')} }
      - { source: ${h.name}/keepalived.conf, target: ${remote(h.name, 'keepalived.conf')} }
    services:
      haproxy: { validate: "if grep -q '^# BROKEN' {file}; then echo '[ALERT] parsing: BROKEN marker in' {file} >&2; exit 1; fi", reload: "echo haproxy >> ${log}" }
      keepalived: { validate: "test -s {file}", reload: "echo keepalived >> ${log}" }
${o.hostExtra?.[h.name] ?? ''}`);
  }
  const manifest = path.join(dir, 'haconf.yaml');
  fs.writeFileSync(
    manifest,
    `cluster: unit
defaults:
  ssh: { user: root }
hosts:
${hostsYaml.join('')}
deploy:
  settleSeconds: 0
  keepBackups: 2
  auditLog: .haconf/audit.jsonl
${o.extra ?? ''}`,
  );
  return {
    dir,
    manifest,
    remote,
    reloads: (h) => {
      try {
        return fs
          .readFileSync(path.join(dir, 'hosts', h, 'reloads.log'), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean);
      } catch {
        return [];
      }
    },
    lockDir: (h) => path.join(dir, 'hosts', h, 'deploy.lock'),
    plan,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Files haconf left beside the targets (candidates) in a host folder. */
export function leftovers(ws: Workspace, host: string): string[] {
  return fs.readdirSync(path.join(ws.dir, 'hosts', host)).filter((f) => f.includes('.haconf-new-'));
}

export function collect(): { events: DeployEvent[]; onEvent: (e: DeployEvent) => void } {
  const events: DeployEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

/** Deploy options for a fixture workspace: its manifest and lock folders, no VIP grace wait. */
export function deployOpts(ws: Workspace, t: Transport, extra: Partial<DeployOptions> = {}): DeployOptions {
  return { manifestPath: ws.manifest, transport: t, lockDir: ws.lockDir, vrrpGraceMs: 0, ...extra };
}

/** A local transport where lb1 holds the VIP, as the model predicts. */
export function vipOnLb1(): LocalShellTransport {
  const t = new LocalShellTransport();
  t.vipHolders = () => ['lb1'];
  return t;
}
