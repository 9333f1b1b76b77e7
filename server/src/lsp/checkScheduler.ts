// When to re-check after edits. An edit after a pause is checked almost at once (MIN_DELAY_MS). While edits
// follow each other, the wait follows what a check of the edited file has cost lately instead of a fixed
// debounce: a quarter of it, at least MIN_DELAY_MS and at most MAX_DELAY_MS (a check that takes 20 ms
// waits 10 ms, one that takes 400 ms waits 100 ms). Edits that arrive while a check runs (the server is single-threaded, so they queue) or before the timer fires
// are taken in by the next check together. A request that needs the current document calls `flushNow`, so
// it runs the pending check once instead of parsing the document on its own.

/** Part of the recent check cost to wait after an edit that follows another: fewer checks mid-burst, little added wait. */
export const COST_FACTOR = 0.25;
/** Shortest wait: lets keystrokes already in the pipe (sent back to back) arrive before checking. */
export const MIN_DELAY_MS = 10;
/** Longest wait after the last edit (the former fixed debounce). */
export const MAX_DELAY_MS = 150;
/** Edits arriving without a pause never hold diagnostics back longer than this. */
export const MAX_WAIT_MS = 300;
/** Weight of the newest measurement in the per-file cost estimate. */
const COST_WEIGHT = 0.5;

export interface SchedulerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const realClock: SchedulerClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class CheckScheduler {
  private readonly pending = new Set<string>();
  /** Recent cost of a check that included the file, ms. */
  private readonly cost = new Map<string, number>();
  private timer: unknown;
  private firstPendingAt = 0;
  private lastAddAt = -Infinity;
  private started = false;

  /** `run` checks the files and publishes; it is called with every pending file at once. */
  constructor(
    private readonly run: (files: string[]) => void,
    private readonly clock: SchedulerClock = realClock,
  ) {}

  /** A file changed (buffer edit, disk change, close). */
  add(file: string): void {
    const now = this.clock.now();
    // An edit after a pause is checked at once; one that follows another waits a share of the check cost.
    const typing = now - this.lastAddAt <= MAX_DELAY_MS;
    this.lastAddAt = now;
    if (!this.pending.size) this.firstPendingAt = now;
    this.pending.add(file);
    if (this.started) this.arm(typing ? this.delayFor(this.pending) : MIN_DELAY_MS);
  }

  /** Checks are held back until the server has scanned the workspace; then everything pending runs. */
  start(): void {
    this.started = true;
    this.flushNow();
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** The wait before checking `files` now: a share of what checking them cost lately. */
  delayFor(files: Iterable<string>): number {
    let cost = 0;
    for (const f of files) cost = Math.max(cost, this.cost.get(f) ?? 0);
    return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, Math.round(COST_FACTOR * cost)));
  }

  /** Runs the pending check at once (a request needs the current document). No-op when nothing is pending. */
  flushNow(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (!this.started || !this.pending.size) return;
    const files = [...this.pending];
    this.pending.clear();
    const t0 = this.clock.now();
    try {
      this.run(files);
    } finally {
      const took = this.clock.now() - t0;
      for (const f of files) {
        const prev = this.cost.get(f);
        this.cost.set(f, prev === undefined ? took : prev + COST_WEIGHT * (took - prev));
      }
    }
  }

  /** (Re)starts the timer: the last edit plus `delay`, but never past MAX_WAIT_MS after the first pending edit. */
  private arm(delay: number): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    const now = this.clock.now();
    const due = Math.min(now + delay, this.firstPendingAt + MAX_WAIT_MS);
    this.timer = this.clock.setTimer(
      () => {
        this.timer = undefined;
        this.flushNow();
      },
      Math.max(0, due - now),
    );
  }
}
