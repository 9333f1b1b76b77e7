// Runs the local `haproxy -c`, `keepalived -t` or `corosync -t` on a saved file, when the user opted in
// (haconf.validateWithLocalTools) and the workspace is trusted. execFile with an argument vector: no shell.
import { execFile } from 'node:child_process';
import type { Diagnostic, Language } from '../core/types';
import { parseCorosyncOutput, parseHaproxyOutput, parseKeepalivedOutput } from './parse';

export interface LocalToolResult {
  /** False when the tool is not installed or could not run; `message` says why. */
  ran: boolean;
  message?: string;
  diagnostics: Diagnostic[];
}

const COMMANDS: Record<Language, (file: string) => [string, string[]]> = {
  haproxy: (f) => ['haproxy', ['-c', '-dr', '-f', f]],
  keepalived: (f) => ['keepalived', ['-t', '-l', '-n', '-f', f]],
  corosync: (f) => ['corosync', ['-t', '-c', f]],
};

export function runLocalTool(language: Language, file: string, timeoutMs = 10000): Promise<LocalToolResult> {
  const [cmd, args] = COMMANDS[language](file);
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number; killed?: boolean }) | null;
      if (e && e.code === 'ENOENT') {
        resolve({ ran: false, message: `${cmd} is not installed; install it or turn off haconf.validateWithLocalTools`, diagnostics: [] });
        return;
      }
      if (e?.killed) {
        resolve({ ran: false, message: `${cmd} did not finish within ${timeoutMs} ms`, diagnostics: [] });
        return;
      }
      const output = `${stdout}\n${stderr}`;
      const code = e && typeof e.code === 'number' ? e.code : 0;
      const diagnostics =
        language === 'haproxy' ? parseHaproxyOutput(file, output) : language === 'keepalived' ? parseKeepalivedOutput(file, output, code) : parseCorosyncOutput(file, output);
      resolve({ ran: true, diagnostics });
    });
  });
}
