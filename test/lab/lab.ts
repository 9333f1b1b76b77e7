// A real HA cluster on one machine, for tests that need running daemons rather than our simulation.
//
// Layout (all names carry a random prefix, so a lab left behind by a killed run never collides with
// the next one):
//   bridge <p>-br in the machine's namespace, address <net>.1 (the test runner reaches every host);
//   LB hosts lb1..lbN  <net>.11.. : own network, mount, UTS and PID namespaces, private
//       /etc/{haproxy,keepalived,ssh,corosync}, /run, /var/lib/corosync; sshd (key-only root login),
//       haproxy and keepalived started with plain commands;
//   worker w1          <net>.21   : answers HTTP on NodePort 30080 like a Kubernetes node;
//   client             <net>.31   : where requests to the VIP come from;
//   VIP                <net>.10.
// Each LB host needs its own PID namespace because the usual check `killall -0 haproxy` would otherwise
// see every host's haproxy, and its own /run because pid files and sockets live there.
import { execFile, spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const WORKER_PORT = 30080;
const HOSTINIT = path.join(__dirname, 'hostinit.sh');
/** Exists while /run/netns is there only because a lab created it. */
const RUN_NETNS_MARKER = path.join(os.tmpdir(), 'haconf-lab-made-run-netns');

export interface LabHost {
  /** lb1, lb2, ... */
  name: string;
  /** 1-based. */
  index: number;
  ip: string;
  /** Interface name inside the host. */
  iface: string;
  /** Prefix length of the lab network. */
  prefixLen: number;
  /** Network namespace name (global on the machine). */
  netns: string;
}

export interface LabPlan {
  prefix: string;
  /** First three octets, e.g. `10.203.57`. */
  net: string;
  vip: string;
  bridge: string;
  bridgeIp: string;
  hosts: LabHost[];
  worker: { name: 'w1'; ip: string; netns: string; port: number };
  client: { name: 'client'; ip: string; netns: string };
}

export interface LabOptions {
  hosts: number;
  /** keepalived.conf for a host; without it keepalived is not started (start it later with startKeepalived). */
  keepalived?: (host: LabHost, plan: LabPlan) => string;
  /** haproxy.cfg for a host; without it haproxy is not started. */
  haproxy?: (host: LabHost, plan: LabPlan) => string;
  /** Up to 8 of [a-z0-9]; random when absent. */
  prefix?: string;
  /** Reuse a plan made earlier with planLab (to write config files before starting). */
  plan?: LabPlan;
  /** Leave the lab running when this process exits (the by-hand CLI). Default: clean up on exit/SIGINT. */
  keepOnExit?: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  keyPath: string;
  knownHostsPath: string;
  /** Ready-made options for the OpenSSH client. */
  sshArgs: string[];
}

export interface LabTimings {
  /** From startLab() to all daemons started and sshd answering. */
  setupMs: number;
  /** performance.now() when the last keepalived was started; undefined until then. */
  keepalivedStartedAt?: number;
}

/** Thrown when the machine cannot run the lab. Never caught by the lab itself: tests must fail, not skip. */
export class LabPrerequisiteError extends Error {}

interface TrackedPid {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: guards against killing a recycled pid. */
  start: string;
  what: string;
}

/** Everything stop() needs, kept on disk so `cli.ts down <dir>` can stop a lab from another process. */
interface LabState {
  plan: LabPlan;
  stateDir: string;
  pids: TrackedPid[];
  /** Host PID 1 per LB host (host-side pid). */
  holders: Record<string, TrackedPid>;
  netnsCreated: string[];
  bridgeCreated: boolean;
  /** Inode of every lab netns: with the name, it tells our namespace from a later one reusing the inode. */
  netnsInodes: Record<string, number>;
}

// ---------------------------------------------------------------- prerequisites

const REQUIRED_TOOLS: { bin: string; pkg: string }[] = [
  { bin: 'ip', pkg: 'iproute2' },
  { bin: 'nsenter', pkg: 'util-linux' },
  { bin: 'unshare', pkg: 'util-linux' },
  { bin: 'haproxy', pkg: 'haproxy' },
  { bin: 'keepalived', pkg: 'keepalived' },
  { bin: 'sshd', pkg: 'openssh-server' },
  { bin: 'ssh', pkg: 'openssh-client' },
  { bin: 'ssh-keygen', pkg: 'openssh-client' },
  { bin: 'curl', pkg: 'curl' },
  { bin: 'killall', pkg: 'psmisc' },
];
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

// sudo and minimal shells often drop the sbin directories, where iproute2 and the daemons live.
const LAB_PATH = [...new Set([...(process.env.PATH ?? '').split(':').filter(Boolean), ...PATH_DIRS])].join(':');
const LAB_ENV: NodeJS.ProcessEnv = { ...process.env, PATH: LAB_PATH };
/** Every process a lab starts carries HACONF_LAB_ID=<prefix> in its environment, so cleanup can find it. */
const MARKER = 'HACONF_LAB_ID';
const labEnv = (prefix: string): NodeJS.ProcessEnv => ({ ...LAB_ENV, [MARKER]: prefix });

export function which(bin: string): string | undefined {
  for (const d of LAB_PATH.split(':')) {
    const p = path.join(d, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Throws LabPrerequisiteError naming everything missing at once. */
export function checkPrerequisites(): void {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(`the lab needs Linux namespaces; this is ${process.platform}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    problems.push(`the lab must run as root (network/mount/PID namespaces, bridges); running as uid ${process.getuid()}. Use sudo.`);
  }
  const missing = REQUIRED_TOOLS.filter((t) => !which(t.bin));
  if (missing.length) {
    const pkgs = [...new Set(missing.map((t) => t.pkg))].join(' ');
    problems.push(`missing programs: ${missing.map((t) => t.bin).join(', ')}. Install them with: apt-get install ${pkgs}`);
  }
  if (!fs.existsSync(HOSTINIT)) problems.push(`${HOSTINIT} is missing`);
  if (problems.length) throw new LabPrerequisiteError(`haconf network lab cannot start:\n  - ${problems.join('\n  - ')}`);
}

// ---------------------------------------------------------------- small helpers

/** HACONF_LAB_TRACE=<file> appends what the lab does (start, signals, cleanup) to that file. */
function trace(msg: string): void {
  const f = process.env.HACONF_LAB_TRACE;
  if (f) fs.appendFileSync(f, `${new Date().toISOString()} pid ${process.pid} ${msg}\n`);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs a command synchronously; throws with its output when it fails (unless allowFail). */
function run(cmd: string, args: string[], allowFail = false): ExecResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15000, env: LAB_ENV });
  const res = { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  if (res.code !== 0 && !allowFail) throw new Error(`lab: \`${cmd} ${args.join(' ')}\` failed (exit ${res.code}): ${res.stderr.trim()}`);
  return res;
}

function runAsync(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = LAB_ENV): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: stdout ?? '', stderr: stderr || (err && code === -1 ? String(err.message) : '') });
    });
  });
}

function procStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined; // a zombie is already dead
    return fields[19];
  } catch {
    return undefined;
  }
}

function track(pid: number, what: string): TrackedPid {
  const start = procStart(pid);
  if (start === undefined) throw new Error(`lab: ${what} (pid ${pid}) exited right after starting`);
  return { pid, start, what };
}

const alive = (p: TrackedPid): boolean => procStart(p.pid) === p.start;

/** Starts a long-running process detached from us, output appended to logFile. */
function spawnDetached(cmd: string, args: string[], logFile: string, env: NodeJS.ProcessEnv): number {
  const fd = fs.openSync(logFile, 'a');
  try {
    const cp = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], env });
    cp.on('error', () => undefined); // ENOENT is ruled out by checkPrerequisites; never crash the runner
    cp.unref();
    if (!cp.pid) throw new Error(`lab: could not start ${cmd}`);
    return cp.pid;
  } finally {
    fs.closeSync(fd);
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function tcpOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, everyMs = 100): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`lab: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------- plan

function usedNets(): Set<string> {
  const out = run('ip', ['-4', '-o', 'route', 'show', 'table', 'all'], true).stdout + run('ip', ['-4', '-o', 'addr'], true).stdout;
  return new Set([...out.matchAll(/\b10\.203\.(\d+)\./g)].map((m) => m[1]));
}

/** Picks names and addresses; creates nothing. */
export function planLab(opts: { hosts: number; prefix?: string }): LabPlan {
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > 9) throw new Error(`lab: hosts must be 1..9, got ${opts.hosts}`);
  const prefix = opts.prefix ?? `hl${crypto.randomBytes(3).toString('hex')}`;
  if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) throw new Error(`lab: prefix must be 1-8 of [a-z0-9] starting with a letter (interface names are limited to 15 characters), got '${prefix}'`);
  // A /24 no route on the machine uses yet, so two labs (or a leftover one) never share a subnet.
  const used = usedNets();
  const free = Array.from({ length: 250 }, (_, i) => String(i + 2)).filter((n) => !used.has(n));
  if (!free.length) throw new Error('lab: no free 10.203.x.0/24 network left; remove old labs (ip netns list)');
  const third = free[crypto.randomInt(free.length)];
  const netp = `10.203.${third}`;
  const hosts: LabHost[] = Array.from({ length: opts.hosts }, (_, i) => ({
    name: `lb${i + 1}`,
    index: i + 1,
    ip: `${netp}.${11 + i}`,
    iface: 'eth0',
    prefixLen: 24,
    netns: `${prefix}-lb${i + 1}`,
  }));
  return {
    prefix,
    net: netp,
    vip: `${netp}.10`,
    bridge: `${prefix}-br`,
    bridgeIp: `${netp}.1`,
    hosts,
    worker: { name: 'w1', ip: `${netp}.21`, netns: `${prefix}-w1`, port: WORKER_PORT },
    client: { name: 'client', ip: `${netp}.31`, netns: `${prefix}-cl` },
  };
}

// ---------------------------------------------------------------- the lab

export class Lab {
  readonly plan: LabPlan;
  readonly stateDir: string;
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly timings: LabTimings = { setupMs: 0 };
  private readonly env: NodeJS.ProcessEnv;
  private readonly state: LabState;
  private stopped = false;

  private constructor(state: LabState) {
    this.state = state;
    this.plan = state.plan;
    this.stateDir = state.stateDir;
    this.keyPath = path.join(state.stateDir, 'id_ed25519');
    this.knownHostsPath = path.join(state.stateDir, 'known_hosts');
    this.env = labEnv(state.plan.prefix);
    // The lab's known_hosts lies outside the test workspaces, and haconf only lets ssh use such a file when
    // the user names it in HACONF_KNOWN_HOSTS (server/src/deploy/knownHosts.ts); the harness is that user.
    // Set before any code-server starts, so the e2e deploys inherit it.
    const allowed = (process.env.HACONF_KNOWN_HOSTS ?? '').split(path.delimiter).filter(Boolean);
    if (!allowed.includes(this.knownHostsPath)) process.env.HACONF_KNOWN_HOSTS = [...allowed, this.knownHostsPath].join(path.delimiter);
  }

  /** @internal use startLab */
  static async create(opts: LabOptions): Promise<Lab> {
    checkPrerequisites();
    const t0 = performance.now();
    const plan = opts.plan ?? planLab({ hosts: opts.hosts, prefix: opts.prefix });
    if (plan.hosts.length !== opts.hosts) throw new Error(`lab: plan has ${plan.hosts.length} hosts, options say ${opts.hosts}`);
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `haconf-lab-${plan.prefix}-`));
    fs.chmodSync(stateDir, 0o755); // daemons dropping privileges (haproxy, sshd) must traverse it
    trace(`${plan.prefix}: starting in ${stateDir}`);
    if (!fs.existsSync('/run/netns')) fs.writeFileSync(RUN_NETNS_MARKER, '');
    const lab = new Lab({ plan, stateDir, pids: [], holders: {}, netnsCreated: [], bridgeCreated: false, netnsInodes: {} });
    if (!opts.keepOnExit) watchLab(lab);
    try {
      lab.save();
      lab.makeKeys();
      lab.makeNetwork();
      lab.startWorker();
      await Promise.all(plan.hosts.map((h) => lab.startHost(h, opts)));
      if (opts.haproxy) await Promise.all(plan.hosts.map((h) => lab.startHaproxy(h.name)));
      if (opts.keepalived) {
        for (const h of plan.hosts) lab.startKeepalived(h.name);
      }
      await Promise.all([
        ...plan.hosts.map((h) =>
          waitFor(`sshd on ${h.name}`, 10000, async () => ((await tcpOpen(h.ip, 22)) ? true : undefined)).catch((e: Error) => {
            throw new Error(`${e.message}\n${tail(lab.logPath(h.name, 'sshd'))}`);
          }),
        ),
        waitFor('the worker on :30080', 10000, async () => ((await tcpOpen(plan.worker.ip, plan.worker.port)) ? true : undefined)),
      ]);
      lab.timings.setupMs = performance.now() - t0;
      return lab;
    } catch (e) {
      try {
        lab.stopSync();
      } catch (ce) {
        (e as Error).message += `\n(and then: ${(ce as Error).message})`;
      }
      throw e;
    }
  }

  private save(): void {
    fs.writeFileSync(path.join(this.stateDir, 'lab.json'), JSON.stringify(this.state, null, 2));
  }

  private hostDir(host: string): string {
    return path.join(this.stateDir, host);
  }

  logPath(host: string, daemon: 'sshd' | 'haproxy' | 'keepalived' | 'init' | 'worker'): string {
    return path.join(this.hostDir(host), 'log', `${daemon}.log`);
  }

  /** A daemon's output so far (keepalived runs with -l -D, so its log shows state and priority changes). */
  log(host: string, daemon: 'sshd' | 'haproxy' | 'keepalived' | 'init' | 'worker'): string {
    try {
      return fs.readFileSync(this.logPath(host, daemon), 'utf8');
    } catch {
      return '';
    }
  }

  private lbHost(name: string): LabHost {
    const h = this.plan.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`lab: no LB host '${name}' (have ${this.plan.hosts.map((x) => x.name).join(', ')})`);
    return h;
  }

  private makeKeys(): void {
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `haconf-lab-${this.plan.prefix}`, '-f', this.keyPath]);
    fs.copyFileSync(`${this.keyPath}.pub`, path.join(this.stateDir, 'authorized_keys'));
    fs.chmodSync(path.join(this.stateDir, 'authorized_keys'), 0o600);
    const known: string[] = [];
    for (const h of this.plan.hosts) {
      const d = this.hostDir(h.name);
      for (const sub of ['etc/haproxy', 'etc/keepalived', 'etc/ssh', 'etc/corosync', 'run/sshd', 'run/haproxy', 'var/lib/corosync', 'var/log/corosync', 'log']) {
        fs.mkdirSync(path.join(d, sub), { recursive: true });
      }
      fs.chmodSync(path.join(d, 'run/sshd'), 0o755); // sshd refuses a privilege-separation dir others can write
      const hostKey = path.join(d, 'etc/ssh/ssh_host_ed25519_key');
      run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', h.name, '-f', hostKey]);
      const pub = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
      known.push(`${h.ip} ${pub}`);
      fs.writeFileSync(
        path.join(d, 'etc/ssh/sshd_config'),
        [
          `ListenAddress ${h.ip}:22`,
          'HostKey /etc/ssh/ssh_host_ed25519_key',
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          `AuthorizedKeysFile ${path.join(this.stateDir, 'authorized_keys')}`,
          'StrictModes no', // the state dir lives under /tmp
          'UsePAM no',
          'PidFile /run/sshd.pid',
          'Subsystem sftp /usr/lib/openssh/sftp-server',
          '',
        ].join('\n'),
      );
    }
    fs.writeFileSync(this.knownHostsPath, known.join('\n') + '\n');
  }

  private makeNetwork(): void {
    const p = this.plan;
    run('ip', ['link', 'add', p.bridge, 'type', 'bridge']);
    this.state.bridgeCreated = true;
    this.save();
    run('ip', ['link', 'set', p.bridge, 'up']);
    run('ip', ['addr', 'add', `${p.bridgeIp}/24`, 'dev', p.bridge]);
    const all = [...p.hosts.map((h) => ({ ns: h.netns, ip: h.ip, short: h.name })), { ns: p.worker.netns, ip: p.worker.ip, short: 'w1' }, { ns: p.client.netns, ip: p.client.ip, short: 'cl' }];
    for (const n of all) {
      run('ip', ['netns', 'add', n.ns]);
      this.state.netnsCreated.push(n.ns);
      this.state.netnsInodes[n.ns] = fs.statSync(`/run/netns/${n.ns}`).ino;
      this.save();
      const veth = `${p.prefix}-${n.short}`;
      run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.ns]);
      run('ip', ['link', 'set', veth, 'master', p.bridge, 'up']);
      run('ip', ['-n', n.ns, 'addr', 'add', `${n.ip}/24`, 'dev', 'eth0']);
      run('ip', ['-n', n.ns, 'link', 'set', 'eth0', 'up']);
      run('ip', ['-n', n.ns, 'link', 'set', 'lo', 'up']);
    }
  }

  private startWorker(): void {
    const w = this.plan.worker;
    fs.mkdirSync(path.join(this.hostDir('w1'), 'log'), { recursive: true });
    const js = `require('http').createServer((q,s)=>s.end('hello from w1\\n')).listen(${w.port},'${w.ip}')`;
    const pid = spawnDetached('ip', ['netns', 'exec', w.netns, process.execPath, '-e', js], this.logPath('w1', 'worker'), this.env);
    this.state.pids.push(track(pid, 'worker'));
    this.save();
  }

  private async startHost(h: LabHost, opts: LabOptions): Promise<void> {
    const d = this.hostDir(h.name);
    if (opts.keepalived) fs.writeFileSync(path.join(d, 'etc/keepalived/keepalived.conf'), opts.keepalived(h, this.plan));
    if (opts.haproxy) fs.writeFileSync(path.join(d, 'etc/haproxy/haproxy.cfg'), opts.haproxy(h, this.plan));
    const outer = spawnDetached(
      'ip',
      ['netns', 'exec', h.netns, 'unshare', '--uts', '--mount', '--pid', '--fork', '--mount-proc', '--propagation', 'private', '/bin/bash', HOSTINIT, h.name, d],
      this.logPath(h.name, 'init'),
      this.env,
    );
    this.state.pids.push(track(outer, `${h.name} unshare`));
    this.save();
    const holder = await waitFor(
      `${h.name} to come up`,
      10000,
      () => {
        const kids = childrenOf(outer);
        return kids.length && fs.existsSync(path.join(d, 'run/ready')) ? kids[0] : undefined;
      },
      20,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail(this.logPath(h.name, 'init'))}`);
    });
    this.state.holders[h.name] = track(holder, `${h.name} PID 1`);
    this.save();
    // haproxy binds the VIP on every host, also where keepalived has not put it (yet).
    run('ip', ['netns', 'exec', h.netns, 'sysctl', '-qw', 'net.ipv4.ip_nonlocal_bind=1']);
    this.spawnIn(h.name, ['/usr/sbin/sshd', '-D', '-e', '-f', '/etc/ssh/sshd_config'], 'sshd');
  }

  private nsenterArgs(host: string): string[] {
    const holder = this.state.holders[host];
    if (!holder) throw new Error(`lab: host ${host} is not running`);
    return ['-t', String(holder.pid), '-n', '-m', '-u', '-p', '--'];
  }

  private spawnIn(host: string, argv: string[], log: 'sshd' | 'keepalived'): void {
    const pid = spawnDetached('nsenter', [...this.nsenterArgs(host), ...argv], this.logPath(host, log), this.env);
    this.state.pids.push(track(pid, `${host} ${log}`));
    this.save();
  }

  /** Runs a shell command on an LB host (inside all its namespaces), on 'w1' or on 'client'. */
  exec(host: string, cmd: string, timeoutMs = 15000): Promise<ExecResult> {
    if (host === 'client' || host === 'w1') {
      const ns = host === 'client' ? this.plan.client.netns : this.plan.worker.netns;
      return runAsync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], timeoutMs, this.env);
    }
    this.lbHost(host);
    return runAsync('nsenter', [...this.nsenterArgs(host), 'sh', '-c', cmd], timeoutMs, this.env);
  }

  /** Starts haproxy from /etc/haproxy/haproxy.cfg on the host (daemon mode, pid in /run/haproxy.pid). */
  async startHaproxy(host: string): Promise<void> {
    const r = await this.exec(host, `haproxy -D -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid >>'${this.logPath(host, 'haproxy')}' 2>&1`);
    if (r.code !== 0) throw new Error(`lab: haproxy did not start on ${host} (exit ${r.code}):\n${tail(this.logPath(host, 'haproxy'))}`);
  }

  /** Starts keepalived in the foreground (logging to the host's keepalived.log) from /etc/keepalived/keepalived.conf. */
  startKeepalived(host: string): void {
    this.lbHost(host);
    this.spawnIn(host, ['keepalived', '-n', '-l', '-D', '-G', '-f', '/etc/keepalived/keepalived.conf'], 'keepalived');
    this.timings.keepalivedStartedAt = performance.now();
  }

  /** Kills the host's haproxy by its pid file and waits until no haproxy runs on that host. */
  async killHaproxy(host: string): Promise<void> {
    const r = await this.exec(host, 'kill "$(cat /run/haproxy.pid)"');
    if (r.code !== 0) throw new Error(`lab: could not kill haproxy on ${host}: ${r.stderr.trim()}`);
    await waitFor(`haproxy to exit on ${host}`, 5000, async () => ((await this.exec(host, 'killall -0 haproxy')).code !== 0 ? true : undefined), 20);
  }

  /** LB hosts whose eth0 currently carries the VIP (more than one means split brain). */
  async vipHolders(): Promise<string[]> {
    const res = await Promise.all(this.plan.hosts.map((h) => runAsync('ip', ['-n', h.netns, '-o', '-4', 'addr', 'show', 'dev', h.iface], 5000)));
    return this.plan.hosts.filter((_, i) => res[i].stdout.split(/\s+/).some((w) => w.split('/')[0] === this.plan.vip)).map((h) => h.name);
  }

  /** The single VIP holder; undefined when none or several hold it. */
  async vipHolder(): Promise<string | undefined> {
    const hs = await this.vipHolders();
    return hs.length === 1 ? hs[0] : undefined;
  }

  /** Waits until exactly `host` holds the VIP; resolves with the ms waited. */
  async waitForVip(host: string, timeoutMs: number): Promise<number> {
    const t0 = performance.now();
    let last: string[] = [];
    await waitFor(
      `the VIP ${this.plan.vip} on ${host}`,
      timeoutMs,
      async () => {
        last = await this.vipHolders();
        return last.length === 1 && last[0] === host ? true : undefined;
      },
      50,
    ).catch((e: Error) => {
      throw new Error(`${e.message} (held by: ${last.join(', ') || 'nobody'})`);
    });
    return performance.now() - t0;
  }

  /** HTTP GET to the VIP from the client namespace. */
  curlVip(urlPath = '/', port = 80, timeoutS = 2): Promise<ExecResult> {
    return runAsync('ip', ['netns', 'exec', this.plan.client.netns, 'curl', '-sS', '--max-time', String(timeoutS), `http://${this.plan.vip}:${port}${urlPath}`], (timeoutS + 3) * 1000);
  }

  sshTarget(host: string): SshTarget {
    const h = this.lbHost(host);
    return {
      host: h.ip,
      port: 22,
      user: 'root',
      keyPath: this.keyPath,
      knownHostsPath: this.knownHostsPath,
      sshArgs: [
        '-i',
        this.keyPath,
        '-o',
        'BatchMode=yes',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${this.knownHostsPath}`,
        '-o',
        'ConnectTimeout=5',
        `root@${h.ip}`,
      ],
    };
  }

  /** Runs a command on a host over ssh, as a deploy would. */
  ssh(host: string, cmd: string, timeoutMs = 15000): Promise<ExecResult> {
    return runAsync('ssh', [...this.sshTarget(host).sshArgs, cmd], timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopSync();
    // Our direct children stay zombies until the event loop reaps them; give it a moment so that a
    // `ps` right after stop() shows nothing of ours.
    const ids = this.state.pids.map((p) => p.pid);
    await waitFor('lab processes to be reaped', 3000, () => (ids.some((pid) => fs.existsSync(`/proc/${pid}`)) ? undefined : true), 20).catch(() => undefined);
  }

  /**
   * What of this lab still exists on the machine: processes (tracked, or inside the lab's network or PID
   * namespaces), namespaces, links, the state dir. Empty after a clean stop().
   */
  leftovers(): string[] {
    return leftoversOf(this.state);
  }

  /** Host-side pid of an LB host's PID 1: `nsenter -t <pid> -n -m -u -p` enters that host. */
  hostPid(host: string): number {
    this.lbHost(host);
    const h = this.state.holders[host];
    if (!h) throw new Error(`lab: host ${host} is not running`);
    return h.pid;
  }

  /** Host-side pids of the LB hosts' PID 1 and of every process the lab spawned directly. */
  pids(): number[] {
    return [...Object.values(this.state.holders), ...this.state.pids].map((p) => p.pid);
  }

  /** Kills everything the lab started, removes its namespaces, bridge and state dir. Idempotent. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      stopFromState(this.state);
    } finally {
      activeLabs.delete(this);
    }
  }
}

// Labs to stop when the process exits or is interrupted. The handlers are installed once and stay: a
// signal that arrives while a stop() blocks the event loop is delivered afterwards, and with no listener
// left Node would drop it silently (or, for a second signal, die halfway through a cleanup).
const activeLabs = new Set<Lab>();
let handlersInstalled = false;

function stopAllQuietly(why: string): void {
  for (const lab of [...activeLabs]) {
    trace(`${lab.plan.prefix}: stopping on ${why}`);
    try {
      lab.stopSync();
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
    }
  }
}

function watchLab(lab: Lab): void {
  activeLabs.add(lab);
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => stopAllQuietly('exit'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      stopAllQuietly(sig);
      process.exit(128 + (os.constants.signals[sig] ?? 0));
    });
  }
}

/** Tears down a lab from its saved state: also used by `cli.ts down` for a lab started by another process. */
export function stopFromState(state: LabState): void {
  trace(`${state.plan.prefix}: stopping (${state.pids.length} pids, ${Object.keys(state.holders).length} hosts, ${state.netnsCreated.length} netns)`);
  const problems: string[] = [];
  // Killing a host's PID 1 makes the kernel kill every process in that host's PID namespace. Anything
  // else still inside a lab namespace (an exec'd command that hung, say) is ours too.
  const all = [...Object.values(state.holders), ...state.pids];
  const kill = (pid: number): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  };
  // Namespace inodes are reused once a namespace is gone, so only trust those whose netns is still mounted.
  const netIds = Object.entries(state.netnsInodes)
    .filter(([name, ino]) => {
      try {
        return fs.statSync(`/run/netns/${name}`).ino === ino;
      } catch {
        return false;
      }
    })
    .map(([, ino]) => `net:[${ino}]`);
  const strays = (): number[] => [...new Set([...processesIn(netIds), ...markedProcesses(state.plan.prefix)])];
  for (const p of all) if (alive(p)) kill(p.pid);
  let end = performance.now() + 5000;
  while (all.some(alive) && performance.now() < end) sleepSync(20);
  for (const pid of strays()) kill(pid);
  end = performance.now() + 5000;
  while (strays().length && performance.now() < end) sleepSync(20);
  for (const p of all.filter(alive)) problems.push(`${p.what} (pid ${p.pid}) still running`);
  const left = strays();
  if (left.length) problems.push(`lab processes still running: ${left.join(', ')}`);

  for (const ns of state.netnsCreated) run('ip', ['netns', 'del', ns], true);
  if (state.bridgeCreated) run('ip', ['link', 'del', state.plan.bridge], true);
  // Namespace deletion is asynchronous: the veth ends vanish a little later.
  const ours = (): string[] => {
    const names = run('ip', ['-o', 'link'], true)
      .stdout.split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '');
    return names.filter((n) => n.startsWith(`${state.plan.prefix}-`));
  };
  const end2 = performance.now() + 5000;
  while (ours().length && performance.now() < end2) sleepSync(50);
  const leftLinks = ours();
  if (leftLinks.length) problems.push(`links still present: ${leftLinks.join(', ')}`);
  const leftNs = run('ip', ['netns', 'list'], true)
    .stdout.split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => state.netnsCreated.includes(n));
  if (leftNs.length) problems.push(`netns still present: ${leftNs.join(', ')}`);

  // `ip netns add` mounts /run/netns. When a lab made it (the marker says so; with labs running side by
  // side, the one that made it is not always the last to stop), the last lab out removes it.
  try {
    if (fs.existsSync(RUN_NETNS_MARKER) && fs.existsSync('/run/netns') && fs.readdirSync('/run/netns').length === 0) {
      run('umount', ['-n', '/run/netns'], true);
      fs.rmdirSync('/run/netns');
      fs.rmSync(RUN_NETNS_MARKER, { force: true });
    }
  } catch {
    // another lab created a namespace meanwhile; it will clean up
  }
  fs.rmSync(state.stateDir, { recursive: true, force: true });
  trace(`${state.plan.prefix}: stopped${problems.length ? `, problems: ${problems.join('; ')}` : ''}`);
  if (problems.length) throw new Error(`lab ${state.plan.prefix}: cleanup incomplete: ${problems.join('; ')}`);
}

function procPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((p) => p !== process.pid);
}

/** Live processes whose network namespace is one of `ids` (zombies have none and don't count). */
function processesIn(ids: string[]): number[] {
  if (!ids.length) return [];
  const want = new Set(ids);
  return procPids().filter((p) => {
    try {
      return want.has(fs.readlinkSync(`/proc/${p}/ns/net`));
    } catch {
      return false; // gone, or a zombie
    }
  });
}

/** Live processes carrying this lab's marker in their environment. */
function markedProcesses(prefix: string): number[] {
  const needle = Buffer.from(`\0${MARKER}=${prefix}\0`);
  return procPids().filter((p) => {
    if (procStart(p) === undefined) return false;
    try {
      const env = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${p}/environ`), Buffer.from([0])]);
      return env.includes(needle);
    } catch {
      return false;
    }
  });
}

function leftoversOf(state: LabState): string[] {
  const left: string[] = [];
  for (const p of [...Object.values(state.holders), ...state.pids]) if (alive(p)) left.push(`process ${p.pid} (${p.what})`);
  for (const pid of markedProcesses(state.plan.prefix)) left.push(`process ${pid} started by the lab`);
  const ns = run('ip', ['netns', 'list'], true)
    .stdout.split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(`${state.plan.prefix}-`));
  for (const n of ns) left.push(`netns ${n}`);
  const links = run('ip', ['-o', 'link'], true)
    .stdout.split('\n')
    .map((l) => l.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((n) => n.startsWith(`${state.plan.prefix}-`));
  for (const l of links) left.push(`link ${l}`);
  if (fs.existsSync(state.stateDir)) left.push(`state dir ${state.stateDir}`);
  return left;
}

/** Stops a lab started by another process (`cli.ts up`), from the lab.json in its state dir. */
export function stopLabDir(stateDir: string): void {
  const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'lab.json'), 'utf8')) as LabState;
  stopFromState(state);
}

/**
 * Starts a lab. Throws LabPrerequisiteError when the machine cannot run one. Always pair with stop()
 * (try/finally or t.after); the lab also cleans up when the process exits or gets SIGINT/SIGTERM.
 */
export function startLab(opts: LabOptions): Promise<Lab> {
  return Lab.create(opts);
}
