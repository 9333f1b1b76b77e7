import type { Readable } from 'node:stream';
import type { SshSettings } from '../manifest/model';
import type { RemoteCall } from './scripts';

/** What a transport needs to reach a host; ManifestHost fits. */
export interface RemoteHost {
  name: string;
  /** As written in the manifest, e.g. 10.0.0.11/24; the prefix is dropped for ssh. */
  address: string;
  ssh: SshSettings;
}

export interface RunOptions {
  stdin?: Buffer | Readable;
  /** Kills the command (and its connection) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  /** Exit status of the remote command; -1 when the local ssh process was killed. */
  code: number;
  stdout: Buffer;
  stderr: string;
  /** True when the host could not be reached or the connection broke (ssh's own failure, exit 255). */
  connectionFailed: boolean;
}

/** One step of a batch: a call and, for uploads, the bytes it reads on stdin. */
export interface BatchStep {
  call: RemoteCall;
  stdin?: Buffer;
}

/** How the engine talks to hosts. The real one is SshTransport; unit tests use fakes. */
export interface Transport {
  run(host: RemoteHost, call: RemoteCall, opts?: RunOptions): Promise<RunResult>;
  /**
   * Optional: runs the steps in order in ONE remote session (one ssh round trip instead of one per step)
   * and stops after the first step that exits non-zero. Returns one result per step that ran; when the
   * connection breaks, the last result is that failure (connectionFailed) and the rest are missing.
   * Transports without it get the same contract from runSteps() one call at a time.
   */
  runBatch?(host: RemoteHost, steps: BatchStep[], opts?: Omit<RunOptions, 'stdin'>): Promise<RunResult[]>;
  /** Ends shared connections and removes private state. */
  close(): Promise<void>;
}

/** `10.0.0.11/24` → `10.0.0.11`; an explicit ssh.host wins. */
export function sshDestination(h: RemoteHost): string {
  if (h.ssh.host) return h.ssh.host;
  const slash = h.address.indexOf('/');
  return slash >= 0 ? h.address.slice(0, slash) : h.address;
}
