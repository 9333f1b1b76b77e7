// The real transport: the system OpenSSH client, so the user's ~/.ssh/config, agent and known_hosts
// apply and haconf never handles a password or a private key. File content goes over stdin (no scp).
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { checkSshPath, checkSshWord } from './quote';
import { parseBatch, renderBatch, renderCall, type RemoteCall } from './scripts';
import { sshDestination, type BatchStep, type RemoteHost, type RunOptions, type RunResult, type Transport } from './transport';

export interface SshTransportOptions {
  /** ssh binary; default `ssh` from PATH. */
  sshPath?: string;
  /** Default per-command limit. */
  timeoutMs?: number;
  /** Seconds a shared connection outlives its last use. */
  controlPersist?: number;
  /** Folder that relative identityFile/knownHostsFile paths are relative to (the manifest's). */
  baseDir?: string;
}

export class SshTransport implements Transport {
  private controlDir: string | undefined;
  private readonly used = new Map<string, string[]>();
  constructor(private readonly opts: SshTransportOptions = {}) {}

  /** Private 0700 folder for the ControlMaster sockets, made on first use. */
  private ctlDir(): string {
    if (!this.controlDir) {
      this.controlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ssh-'));
      fs.chmodSync(this.controlDir, 0o700);
    }
    return this.controlDir;
  }

  private localPath(p: string): string {
    if (p.startsWith('~') || path.isAbsolute(p)) return p;
    return path.resolve(this.opts.baseDir ?? process.cwd(), p);
  }

  /** The ssh argv (without the remote command) for a host. Exposed for tests. */
  sshArgs(h: RemoteHost): string[] {
    const s = h.ssh;
    const a = [
      '-o',
      'BatchMode=yes',
      '-o',
      'ControlMaster=auto',
      '-o',
      `ControlPath=${path.join(this.ctlDir(), '%C')}`,
      '-o',
      `ControlPersist=${this.opts.controlPersist ?? 60}`,
      '-o',
      `StrictHostKeyChecking=${s.strictHostKeyChecking === 'accept-new' ? 'accept-new' : 'yes'}`,
      '-o',
      `ConnectTimeout=${s.connectTimeout ?? 10}`,
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=3',
      '-o',
      'LogLevel=ERROR',
    ];
    if (s.port !== undefined) a.push('-p', String(s.port));
    if (s.user !== undefined) a.push('-l', checkSshWord('user', s.user));
    if (s.identityFile !== undefined) a.push('-i', checkSshPath('identityFile', this.localPath(s.identityFile)), '-o', 'IdentitiesOnly=yes');
    if (s.knownHostsFile !== undefined) a.push('-o', `UserKnownHostsFile=${checkSshPath('knownHostsFile', this.localPath(s.knownHostsFile))}`);
    a.push('--', checkSshWord('host', sshDestination(h)));
    return a;
  }

  run(h: RemoteHost, call: RemoteCall, ro: RunOptions = {}): Promise<RunResult> {
    return this.exec(h, renderCall(call), ro);
  }

  /** Every step in one ssh session: one round trip (≈ 120 ms on the lab) instead of one per step. */
  async runBatch(h: RemoteHost, steps: BatchStep[], ro: Omit<RunOptions, 'stdin'> = {}): Promise<RunResult[]> {
    const token = crypto.randomBytes(16).toString('hex');
    const cmd = renderBatch(
      steps.map((s) => ({ call: s.call, stdinBytes: s.stdin?.length })),
      token,
    );
    const stdin = Buffer.concat(steps.flatMap((s) => (s.stdin ? [s.stdin] : [])));
    const r = await this.exec(h, cmd, { ...ro, stdin });
    const { frames, rest } = parseBatch(r.stdout, r.stderr, token);
    const results: RunResult[] = frames.map((f) => ({ code: f.code, stdout: f.stdout, stderr: f.stderr, connectionFailed: false }));
    const last = results[results.length - 1];
    // Fewer steps than asked and none failed: the session itself ended early (cut connection, timeout).
    // That failure belongs to the step that was running, with whatever it and ssh said.
    if (results.length < steps.length && (!last || last.code === 0)) {
      results.push({
        code: r.code === 0 ? -1 : r.code,
        stdout: Buffer.alloc(0),
        stderr: rest.trim() ? rest : `the remote session ended after ${results.length} of ${steps.length} steps`,
        connectionFailed: r.connectionFailed || r.code === 0,
      });
    }
    return results;
  }

  private exec(h: RemoteHost, cmd: string, ro: RunOptions): Promise<RunResult> {
    const args = this.sshArgs(h);
    this.used.set(`${h.name}`, args);
    return new Promise((resolve) => {
      // Its own process group: a Ctrl-C in the terminal goes to haconf, which finishes the running step and
      // rolls back; it must not also kill the ssh session in the middle of that step.
      const child = spawn(this.opts.sshPath ?? 'ssh', [...args, cmd], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      let err = '';
      let killedWhy: string | undefined;
      const kill = (why: string): void => {
        if (killedWhy) return;
        killedWhy = why;
        child.kill('SIGKILL');
      };
      const limit = ro.timeoutMs ?? this.opts.timeoutMs ?? 120000;
      const timer = setTimeout(() => kill(`timed out after ${Math.round(limit / 1000)} s`), limit);
      const onAbort = (): void => kill('cancelled');
      ro.signal?.addEventListener('abort', onAbort, { once: true });
      if (ro.signal?.aborted) onAbort();
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (s: string) => (err += s));
      child.stdin.on('error', () => undefined); // EPIPE when the remote side quits early; the exit code tells
      if (ro.stdin instanceof Readable) ro.stdin.pipe(child.stdin);
      else child.stdin.end(ro.stdin ?? Buffer.alloc(0));
      let done = false;
      const finish = (code: number, sig?: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        ro.signal?.removeEventListener('abort', onAbort);
        if (ro.stdin instanceof Readable) ro.stdin.unpipe(child.stdin);
        // Killed by a signal haconf did not send (a terminal's Ctrl-C that reached ssh between its fork and
        // its setsid): like a cut connection, the remote step may or may not have run.
        if (sig && !killedWhy) killedWhy = `was killed by ${sig}`;
        const stderr = killedWhy ? `${err}${err && !err.endsWith('\n') ? '\n' : ''}ssh to ${h.name} ${killedWhy}` : err;
        resolve({ code, stdout: Buffer.concat(out), stderr, connectionFailed: code === 255 || killedWhy !== undefined });
      };
      child.on('error', (e) => {
        err += `cannot run ssh: ${e.message}`;
        finish(-1);
      });
      child.on('close', (code, sig) => finish(code ?? -1, sig));
    });
  }

  async close(): Promise<void> {
    const dir = this.controlDir;
    if (!dir) return;
    await Promise.all(
      [...this.used.values()].map(
        (args) =>
          new Promise<void>((resolve) => {
            const i = args.indexOf('--');
            const c = spawn(this.opts.sshPath ?? 'ssh', [...args.slice(0, i), '-O', 'exit', ...args.slice(i)], { stdio: 'ignore' });
            const t = setTimeout(() => c.kill('SIGKILL'), 5000);
            c.on('error', () => resolve());
            c.on('close', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    this.used.clear();
    fs.rmSync(dir, { recursive: true, force: true });
    this.controlDir = undefined;
  }
}
