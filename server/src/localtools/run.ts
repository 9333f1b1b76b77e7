// Runs the local `haproxy -c`, `keepalived -t` or `corosync -t` on a saved file, when the user opted in
// (haconf.validateWithLocalTools) and the workspace is trusted. execFile with an argument vector: no shell.
// Even then the workspace is not allowed to pick the program (see guard.ts: only absolute PATH entries
// outside the workspace) nor to make haproxy run code while checking (lua-load and friends).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Diagnostic, Language } from '../core/types';
import { lineRange } from '../core/range';
import { NodeSourceHost } from '../core/sourceHost';
import { LOCAL_TOOL_CODE, parseCorosyncOutput, parseHaproxyOutput, parseKeepalivedOutput } from './parse';
import { haproxyCodeLoading, resolveTool } from './guard';

export interface LocalToolResult {
  /** False when the tool is not installed, could not run, or was not run on purpose; `message` says why. */
  ran: boolean;
  message?: string;
  diagnostics: Diagnostic[];
}

export interface LocalToolOptions {
  timeoutMs?: number;
  /** Folders whose content is not trusted to provide programs: the workspace folders. The checked file's folder is always added. */
  workspaceFolders?: string[];
}

const COMMANDS: Record<Language, (file: string) => [string, string[]]> = {
  haproxy: (f) => ['haproxy', ['-c', '-dr', '-f', f]],
  keepalived: (f) => ['keepalived', ['-t', '-l', '-n', '-f', f]],
  corosync: (f) => ['corosync', ['-t', '-c', f]],
};

export function runLocalTool(language: Language, file: string, options: LocalToolOptions | number = {}): Promise<LocalToolResult> {
  const o: LocalToolOptions = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = o.timeoutMs ?? 10000;
  const [cmd, args] = COMMANDS[language](file);
  if (language === 'haproxy') {
    const read = new NodeSourceHost().readText(file);
    if (!read.ok) return Promise.resolve({ ran: false, message: `haproxy -c not run: ${read.reason}`, diagnostics: [] });
    const code = haproxyCodeLoading(read.text);
    if (code) {
      const message = `haproxy -c was not run on this file: line ${code.line + 1} (${code.keyword}): ${code.why}. haconf never runs code from a workspace; run haproxy -c yourself if you trust this file.`;
      const info: Diagnostic = { file, range: lineRange(code.line, 0, 1000), severity: 'information', code: LOCAL_TOOL_CODE.haproxy, message };
      return Promise.resolve({ ran: false, message, diagnostics: [info] });
    }
  }
  const tool = resolveTool(cmd, process.env.PATH, [...(o.workspaceFolders ?? []), path.dirname(file)]);
  if (!tool.ok) return Promise.resolve({ ran: false, message: tool.reason, diagnostics: [] });
  return new Promise((resolve) => {
    execFile(tool.file, args, { timeout: timeoutMs, maxBuffer: 1 << 20, env: { ...process.env, PATH: tool.safePath, LC_ALL: 'C' } }, (err, stdout, stderr) => {
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
      const diagnostics = language === 'haproxy' ? parseHaproxyOutput(file, output) : language === 'keepalived' ? parseKeepalivedOutput(file, output, code) : parseCorosyncOutput(file, output);
      resolve({ ran: true, diagnostics });
    });
  });
}
