// For editors that register no file watchers (client capability
// `workspace.didChangeWatchedFiles.dynamicRegistration` false: many Neovim, Helix and Emacs setups), the
// server notices changes to files it knows but no editor holds open by polling their size and mtime.
// New files are not discovered this way; "Check Workspace" or a restart picks them up.
import * as fs from 'node:fs';

/** How often known files are looked at. A few thousand stats take a few milliseconds. */
export const DISK_POLL_MS = 2000;

export class DiskPoller {
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param files the files to watch now (called on every tick)
   * @param onChange told about each file whose size or mtime moved, or that disappeared
   */
  constructor(
    private readonly files: () => string[],
    private readonly onChange: (changes: { file: string; deleted: boolean }[]) => void,
    private readonly intervalMs = DISK_POLL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // Polling alone must not keep the process alive after the editor has gone.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass; public for tests. */
  tick(): void {
    const changes: { file: string; deleted: boolean }[] = [];
    const current = new Set(this.files());
    for (const file of current) {
      let stamp: string;
      try {
        const st = fs.statSync(file);
        stamp = `${st.mtimeMs}:${st.size}`;
      } catch {
        stamp = 'missing';
      }
      const before = this.seen.get(file);
      this.seen.set(file, stamp);
      if (before === undefined || before === stamp) continue;
      changes.push({ file, deleted: stamp === 'missing' });
    }
    for (const file of this.seen.keys()) if (!current.has(file)) this.seen.delete(file);
    if (changes.length) this.onChange(changes);
  }
}
