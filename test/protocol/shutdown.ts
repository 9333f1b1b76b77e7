// Ends a language server started by a test: the LSP shutdown/exit handshake, then SIGKILL if the process
// is still there after 3 s (a hung server must not hang the suite), then the connection is disposed.
import type { ChildProcess } from 'node:child_process';
import type { MessageConnection } from 'vscode-jsonrpc/node';

export async function shutdownServer(conn: MessageConnection, proc: ChildProcess): Promise<void> {
  try {
    await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    conn.sendNotification('exit');
  } catch {
    // the server is gone already
  }
  await new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, 3000);
    proc.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
  conn.dispose();
}
