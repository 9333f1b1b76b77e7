// Every real haproxy / keepalived / corosync version the suites can judge a file with, and how to run each.
// The host (Debian 12) provides haproxy 2.6.12, keepalived 2.2.7, corosync 3.1.7; test/setup.sh builds
// Debian 13 (trixie) and testing (forky) roots with ../shared/recipes/debian-roots.sh into HACONF_ROOTS
// (default .tmp/roots) for 3.0/2.3.3/3.1.9 and 3.2/2.3.4/3.1.10. A missing root or binary throws: a suite
// that asks for the versions fails loudly, it never skips.
//
// How each runs so that it judges the configuration and not this machine:
// - haproxy of a root: the root's own loader and libraries, host paths, cwd = the file's folder.
// - keepalived and corosync of a root: chroot into an overlay of the root (the root stays read-only) in a
//   private mount and network namespace, with the file's folder bind-mounted at the same path inside.
// - keepalived (any version) gets the interfaces the file names, as veth pairs in that network namespace.
// - corosync (any version) gets its first node's address on lo and a private /etc/corosync holding a fresh
//   authkey (callers put the file there, see corosyncEtc()).
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Tool = 'haproxy' | 'keepalived' | 'corosync';

export interface ToolVersion {
  tool: Tool;
  /** Full upstream version, e.g. 3.0.11. */
  version: string;
  /** What haconf's options take: major.minor for haproxy (`--haproxy-version`), the full version otherwise. */
  target: string;
  /** Debian release the binary comes from. */
  debian: 'bookworm' | 'trixie' | 'forky';
  /** Root folder for roots' binaries; undefined for the host's own. */
  root?: string;
}

const ROOT = path.resolve(__dirname, '..');

/** Where test/setup.sh builds the Debian roots. */
export function rootsDir(): string {
  return path.resolve(process.env.HACONF_ROOTS ?? path.join(ROOT, '.tmp', 'roots'));
}

/** The versions this project is tested against; `version` is checked against the binary in requireVersions(). */
const TABLE: { debian: ToolVersion['debian']; haproxy: string; keepalived: string; corosync: string }[] = [
  { debian: 'bookworm', haproxy: '2.6.12', keepalived: '2.2.7', corosync: '3.1.7' },
  { debian: 'trixie', haproxy: '3.0.11', keepalived: '2.3.3', corosync: '3.1.9' },
  { debian: 'forky', haproxy: '3.2.26', keepalived: '2.3.4', corosync: '3.1.10' },
];

export function toolVersions(tool: Tool): ToolVersion[] {
  return TABLE.map((row) => ({
    tool,
    version: row[tool],
    target: tool === 'haproxy' ? row[tool].split('.').slice(0, 2).join('.') : row[tool],
    debian: row.debian,
    root: row.debian === 'bookworm' ? undefined : path.join(rootsDir(), row.debian),
  }));
}

export const label = (v: ToolVersion): string => `${v.tool} ${v.version} (${v.debian}${v.root ? '' : ', host'})`;

export interface RunResult {
  status: number;
  output: string;
}

/** A check takes well under a second; keepalived 2.3.3 -t never ends on upstream's SMTP_CHECK sample. */
const TIMEOUT_MS = 10000;

/** One run of a tool: the command, and how its raw result becomes a RunResult. */
interface Invocation {
  cmd: string;
  args: string[];
  cwd?: string;
  finish: (r: Raw) => RunResult;
}

interface Raw {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function notRunnable(cmd: string, error: Error): Error {
  return new Error(`${cmd} is not runnable (${error.message}); test/setup.sh installs the tools and builds the roots`);
}

// A run that hangs is a verdict (the tool would not start), not a broken machine: status 124.
const timedOut = (r: Raw): Raw => ({ ...r, status: 124, stderr: `${r.stderr}\n(timed out after ${TIMEOUT_MS / 1000} s)` });

function spawn(cmd: string, args: string[], cwd?: string): Raw {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: TIMEOUT_MS, cwd, killSignal: 'SIGKILL' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return timedOut({ status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' });
  if (r.error) throw notRunnable(cmd, r.error);
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function execute(inv: Invocation): RunResult {
  return inv.finish(spawn(inv.cmd, inv.args, inv.cwd));
}

/** The same run without blocking, so that a corpus run can keep every core busy. */
function executeAsync(inv: Invocation): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(inv.cmd, inv.args, { cwd: inv.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let late = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      late = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(notRunnable(inv.cmd, e));
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const raw: Raw = { status, signal, stdout, stderr };
      resolve(inv.finish(late ? timedOut(raw) : raw));
    });
  });
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const joined = (r: { stdout?: string | null; stderr?: string | null }): string => `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();

function haproxyCommand(v: ToolVersion): [string, string[]] {
  if (!v.root) return ['haproxy', []];
  const libs = ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu'].map((d) => path.join(v.root!, d)).join(':');
  return [path.join(v.root, 'lib64/ld-linux-x86-64.so.2'), ['--library-path', libs, path.join(v.root, 'usr/sbin/haproxy')]];
}

/**
 * `haproxy -c -dr -f FILE` of that version, run in the file's folder (relative errorfiles, lua, maps) and
 * in a network namespace of its own, so that a host name in the file fails at once instead of after the
 * resolver's timeout (this machine has no DNS either way).
 */
function haproxyInvocation(v: ToolVersion, file: string, extra: string[] = []): Invocation {
  const [cmd, pre] = haproxyCommand(v);
  const ns = process.getuid?.() === 0 ? ['--net'] : ['--map-root-user', '--net'];
  return { cmd: 'unshare', args: [...ns, cmd, ...pre, '-c', '-dr', ...extra, '-f', file], cwd: path.dirname(file), finish: (r) => ({ status: r.status ?? -1, output: joined(r) }) };
}

export function runHaproxy(v: ToolVersion, file: string, extra: string[] = []): RunResult {
  return execute(haproxyInvocation(v, file, extra));
}

let scratchDir: string | undefined;
function scratch(): string {
  if (!scratchDir) {
    scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-versions-'));
    // Also when a runner never calls cleanupVersions() (a test file's `after` is not always reached).
    process.once('exit', cleanupVersions);
  }
  return scratchDir;
}

/** Removes the scratch folders this module made (call from `after`). */
export function cleanupVersions(): void {
  if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
}

/**
 * Runs `command` (a shell line) in private net+mount namespaces; for a root's tool, inside a chroot of an
 * overlay of the root with each of `binds` (host folder `src`) mounted at `dst` inside; on the host, at `dst`.
 */
function inNamespaces(v: ToolVersion, setup: string, binds: { src: string; dst: string }[], command: string, finish: (r: Raw) => RunResult): Invocation {
  let script = `ip link set lo up; ${setup || 'true'}; `;
  let top: string | undefined;
  if (v.root) {
    top = fs.mkdtempSync(path.join(scratch(), 'ovl-'));
    const merged = path.join(top, 'merged');
    // The overlay's writable layer lives on a tmpfs of this namespace: gone with it, and independent of the
    // file system under /tmp (an overlayfs /tmp, as in containers, cannot be an upper layer).
    script += `mount -t tmpfs haconf ${shq(top)} && mkdir ${shq(`${top}/upper`)} ${shq(`${top}/work`)} ${shq(merged)} || exit 97; `;
    script += `mount -t overlay haconf -o ${shq(`lowerdir=${v.root},upperdir=${top}/upper,workdir=${top}/work`)} ${shq(merged)} || exit 97; `;
    script += `mount -t proc proc ${shq(`${merged}/proc`)}; `;
    // What systemd would create for the daemon on a real host (forky's corosync ships neither folder).
    script += `mkdir -p ${shq(`${merged}/var/lib/corosync`)} ${shq(`${merged}/var/log/corosync`)}; `;
    // A minimal root has no /etc/hosts, so `localhost` would not resolve there (keepalived 2.3 then refuses
    // `smtp_server localhost`, a fault of the root, not of the file): every real host has one.
    script += `[ -e ${shq(`${merged}/etc/hosts`)} ] || cp /etc/hosts ${shq(`${merged}/etc/hosts`)}; `;
    for (const b of binds) {
      const make = fs.statSync(b.src).isDirectory() ? `mkdir -p ${shq(merged + b.dst)}` : `mkdir -p ${shq(path.dirname(merged + b.dst))} && touch ${shq(merged + b.dst)}`;
      script += `${make} && mount --bind ${shq(b.src)} ${shq(merged + b.dst)} || exit 97; `;
    }
    script += `exec chroot ${shq(merged)} ${command}`;
  } else {
    for (const b of binds) if (b.src !== b.dst) script += `mount --bind ${shq(b.src)} ${shq(b.dst)} || exit 97; `;
    script += `exec ${command}`;
  }
  const args = ['--net', '--mount'];
  if (process.getuid?.() !== 0) args.unshift('--map-root-user');
  const done = (r: Raw): RunResult => {
    // The overlay's mount point (its tmpfs and mounts vanished with the namespace).
    if (top) fs.rmSync(top, { recursive: true, force: true });
    return finish(r);
  };
  return { cmd: 'unshare', args: [...args, 'sh', '-c', script], finish: done };
}

/** Interface names a keepalived file expects (valid Linux names only; others cannot exist anyway). */
export function keepalivedInterfaces(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:interface|lvs_sync_daemon_interface)\s+(\S+)/gm)) names.add(m[1]);
  for (const m of text.matchAll(/\bdev\s+(\S+)/g)) names.add(m[1]);
  for (const m of text.matchAll(/^\s*track_interface\s*\{([^}]*)\}/gm)) for (const n of m[1].split(/\s+/)) if (n && !/^(weight|-?\d+)$/.test(n)) names.add(n);
  return [...names].filter((n) => /^[A-Za-z0-9_.-]{1,15}$/.test(n) && n !== 'lo');
}

/**
 * Programs a keepalived file runs (scripts, notify, misc_path) that the host has and the root lacks:
 * keepalived -t checks that they exist and are executable, and a minimal root holds no killall, curl, …
 * They are mounted at the same path inside, so the root judges the file as the host would.
 */
function hostPrograms(v: ToolVersion, text: string): string[] {
  if (!v.root) return [];
  const found = new Set<string>();
  const pathDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  // Also the one-line form `vrrp_script chk { script "/usr/bin/killall -0 haproxy" interval 2 }`.
  for (const m of text.matchAll(/(?:^|[\s{])(?:script|notify(?:_\w+)?|misc_path)\s+["']?([^\s"'}]+)/gm)) {
    const word = m[1];
    const candidates = word.startsWith('/') ? [word] : pathDirs.map((d) => path.join(d, word));
    const onHost = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (onHost && !fs.existsSync(path.join(v.root, onHost))) found.add(onHost);
  }
  return [...found];
}

/** `keepalived -t -l -f FILE` of that version, in a network namespace holding the interfaces the file names. */
function keepalivedInvocation(v: ToolVersion, file: string): Invocation {
  const text = fs.readFileSync(file, 'utf8');
  const programs = hostPrograms(v, text).map((p) => ({ src: p, dst: p }));
  const setup = keepalivedInterfaces(text)
    .map((n, i) => `ip link add ${shq(n)} type veth peer name hcpeer${i} 2>/dev/null && ip link set ${shq(n)} up`)
    .join('; ');
  const dir = path.dirname(path.resolve(file));
  return inNamespaces(v, setup, [{ src: dir, dst: dir }, ...programs], `keepalived -t -l -f ${shq(path.resolve(file))}`, (r) => ({
    status: r.status ?? -1,
    output: `${r.signal ? `${r.signal} ` : ''}${joined(r)}`,
  }));
}

export function runKeepalived(v: ToolVersion, file: string): RunResult {
  return execute(keepalivedInvocation(v, file));
}

/**
 * `corosync -t -c /etc/corosync/corosync.conf` of that version with `etc` (a folder holding corosync.conf
 * and, if the file wants one, authkey) mounted at /etc/corosync, and the file's first node address on lo.
 */
function corosyncInvocation(v: ToolVersion, etc: string): Invocation {
  const text = fs.readFileSync(path.join(etc, 'corosync.conf'), 'utf8');
  const addr = /^\s*ring0_addr\s*:\s*(\S+)/m.exec(text)?.[1] ?? '127.0.0.1';
  const v6 = addr.includes(':');
  const addAddr = /^[0-9a-fA-F.:]+$/.test(addr) ? `ip ${v6 ? '-6' : '-4'} addr add ${shq(`${addr}/${v6 ? 128 : 32}`)} dev lo 2>/dev/null` : '';
  return inNamespaces(v, addAddr, [{ src: etc, dst: '/etc/corosync' }], 'corosync -t -c /etc/corosync/corosync.conf', (r) => ({ status: r.status ?? -1, output: joined(r) }));
}

export function runCorosyncEtc(v: ToolVersion, etc: string): RunResult {
  return execute(corosyncInvocation(v, etc));
}

/** A fresh private /etc/corosync with a 128-byte authkey; the caller writes corosync.conf into it. */
export function corosyncEtc(): string {
  const etc = fs.mkdtempSync(path.join(scratch(), 'etc-'));
  fs.writeFileSync(path.join(etc, 'authkey'), Buffer.alloc(128, 7), { mode: 0o400 });
  return etc;
}

/** `corosync -t` on FILE: copies it into a private /etc/corosync first. */
export function runCorosync(v: ToolVersion, file: string): RunResult {
  const etc = corosyncEtc();
  try {
    fs.copyFileSync(file, path.join(etc, 'corosync.conf'));
    return runCorosyncEtc(v, etc);
  } finally {
    fs.rmSync(etc, { recursive: true, force: true });
  }
}

/**
 * Whether the tool accepts the file. haproxy -c exits 2 for a file without any listener ("Configuration
 * file has no error but will not start"): the configuration is valid, so that counts as accepted.
 */
export function accepts(v: ToolVersion, r: RunResult): boolean {
  if (r.status === 0) return true;
  return v.tool === 'haproxy' && r.status === 2 && /has no error but will not start/.test(r.output);
}

export function runTool(v: ToolVersion, file: string): RunResult {
  if (v.tool === 'haproxy') return runHaproxy(v, file);
  if (v.tool === 'keepalived') return runKeepalived(v, file);
  return runCorosync(v, file);
}

/** runTool() without blocking (corpus runs keep several going at once). */
export async function runToolAsync(v: ToolVersion, file: string): Promise<RunResult> {
  if (v.tool === 'haproxy') return executeAsync(haproxyInvocation(v, file));
  if (v.tool === 'keepalived') return executeAsync(keepalivedInvocation(v, file));
  const etc = corosyncEtc();
  try {
    fs.copyFileSync(file, path.join(etc, 'corosync.conf'));
    return await executeAsync(corosyncInvocation(v, etc));
  } finally {
    fs.rmSync(etc, { recursive: true, force: true });
  }
}

function versionLine(v: ToolVersion): string {
  if (v.tool === 'haproxy') {
    const [cmd, pre] = haproxyCommand(v);
    return joined(spawn(cmd, [...pre, '-v']));
  }
  const args = v.tool === 'keepalived' ? ['keepalived', '--version'] : ['corosync', '-v'];
  return joined(v.root ? spawn('chroot', [v.root, ...args]) : spawn(args[0], args.slice(1)));
}

/**
 * Checks that every listed version is present and is the version it claims; throws with what to run
 * otherwise. Roots are built by test/setup.sh (../shared/recipes/debian-roots.sh).
 */
export function requireVersions(tools: Tool[] = ['haproxy', 'keepalived', 'corosync']): void {
  for (const tool of tools) {
    for (const v of toolVersions(tool)) {
      if (v.root && !fs.existsSync(path.join(v.root, 'usr/sbin', tool))) {
        throw new Error(`${label(v)}: ${v.root}/usr/sbin/${tool} is missing. Run test/setup.sh (it builds the Debian roots into ${rootsDir()}; HACONF_ROOTS overrides the folder).`);
      }
      const line = versionLine(v);
      const want = v.tool === 'corosync' ? `'${v.version}'` : v.tool === 'keepalived' ? `v${v.version} ` : `version ${v.version}`;
      if (!line.includes(want)) throw new Error(`${label(v)}: the binary reports '${line.split('\n')[0]}'; update the table in test/versions.ts`);
    }
  }
}
