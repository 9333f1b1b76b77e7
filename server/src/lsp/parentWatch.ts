// The server exits when the editor that started it is gone (`processId` from initialize), even if nobody
// closed its stdin: an editor killed with SIGKILL, or a wrapper script that keeps the pipe open.
// vscode-languageserver polls too, but only every 3 s; this check is cheap, so it runs every second. Both
// only work because nothing blocks the event loop for long (the workspace scan yields, see
// services/scan.ts).

export const PARENT_POLL_MS = 1000;

/** True while a process with this id exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function exitWhenParentDies(pid: number | null | undefined, onGone: () => void, intervalMs = PARENT_POLL_MS): void {
  if (typeof pid !== 'number' || pid <= 0 || pid === process.pid) return;
  const timer = setInterval(() => {
    if (processAlive(pid)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
