// A transport wrapper that records every remote session (single call or batch): host, ops, start and
// duration. Used by the speed tests to say where a deploy's time goes.
import type { BatchStep, RemoteHost, RunOptions, RunResult, Transport } from '../../server/src/deploy/transport';
import type { RemoteCall } from '../../server/src/deploy/scripts';

export interface Session {
  host: string;
  ops: string;
  startMs: number;
  ms: number;
}

export class ProfilingTransport implements Transport {
  readonly sessions: Session[] = [];
  readonly runBatch?: (host: RemoteHost, steps: BatchStep[], opts?: Omit<RunOptions, 'stdin'>) => Promise<RunResult[]>;
  private readonly t0 = performance.now();

  constructor(private readonly inner: Transport) {
    const batch = inner.runBatch?.bind(inner);
    if (batch) {
      this.runBatch = async (host, steps, opts) => {
        const s = performance.now();
        try {
          return await batch(host, steps, opts);
        } finally {
          this.sessions.push({ host: host.name, ops: steps.map((x) => x.call.op).join('+'), startMs: s - this.t0, ms: performance.now() - s });
        }
      };
    }
  }

  async run(host: RemoteHost, call: RemoteCall, opts?: RunOptions): Promise<RunResult> {
    const s = performance.now();
    try {
      return await this.inner.run(host, call, opts);
    } finally {
      this.sessions.push({ host: host.name, ops: call.op, startMs: s - this.t0, ms: performance.now() - s });
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** "ops ×count median ms" per distinct session shape, slowest total first. */
  summary(): string[] {
    const by = new Map<string, number[]>();
    for (const s of this.sessions) by.set(s.ops, [...(by.get(s.ops) ?? []), s.ms]);
    return [...by]
      .sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0))
      .map(([ops, ms]) => {
        const sorted = [...ms].sort((a, b) => a - b);
        return `${ops} ×${ms.length}, median ${Math.round(sorted[sorted.length >> 1])} ms`;
      });
  }
}
