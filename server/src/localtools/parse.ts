// Turns the real daemons' checker output into findings. Pure: tested on captured and live output.
import * as path from 'node:path';
import type { Diagnostic, Language, Severity } from '../core/types';
import { lineRange } from '../core/range';

export const LOCAL_TOOL_CODE: Record<Language, string> = {
  haproxy: 'haproxy/local-tool',
  keepalived: 'keepalived/local-tool',
  corosync: 'corosync/local-tool',
};

function finding(language: Language, file: string, line: number, severity: Severity, message: string): Diagnostic {
  return { file, range: lineRange(Math.max(0, line), 0, 1000), severity, code: LOCAL_TOOL_CODE[language], message };
}

/** `[ALERT]    (123) : config : parsing [h.cfg:5] : message` and the like. */
export function parseHaproxyOutput(file: string, output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const raw of output.split('\n')) {
    const m = /^\[(ALERT|WARNING)\]\s*(?:\(\d+\)\s*)?:\s*(.*)$/.exec(raw.trim());
    if (!m) continue;
    let msg = m[2].replace(/^config\s*:\s*/, '');
    // Summary lines repeat what the specific lines said.
    if (/^(Error\(s\) found in configuration file|Fatal errors found in configuration)/.test(msg)) continue;
    let line = 0;
    const loc = /\[([^\]]+):(\d+)\]\s*:?\s*/.exec(msg);
    if (loc && path.basename(loc[1]) === path.basename(file)) {
      line = Number(loc[2]) - 1;
      msg = msg.replace(loc[0], '').replace(/^parsing\s*/, '');
    }
    out.push(finding('haproxy', file, line, m[1] === 'ALERT' ? 'error' : 'warning', `haproxy -c: ${msg.trim()}`));
  }
  return out;
}

/** `(k.conf: Line 2) message`; keepalived still runs with most of them, so they are warnings. */
export function parseKeepalivedOutput(file: string, output: string, exitCode: number | null): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const raw of output.split('\n')) {
    const t = raw.trim();
    if (!t) continue;
    const m = /^\(([^:)]+): Line (\d+)\)\s*(.*)$/.exec(t);
    if (m) {
      const line = path.basename(m[1]) === path.basename(file) ? Number(m[2]) - 1 : 0;
      out.push(finding('keepalived', file, line, exitCode === 4 ? 'error' : 'warning', `keepalived -t: ${m[3]}`));
    } else if (/^\(.+\)|SECURITY VIOLATION|WARNING|not|invalid|Unknown|must/i.test(t) && !/^Keepalived v|^Running on|^Opening file|^Command line/.test(t)) {
      out.push(finding('keepalived', file, 0, exitCode === 4 ? 'error' : 'warning', `keepalived -t: ${t}`));
    }
  }
  return out;
}

/** `Nov 23 10:46:25.221 error   [MAIN  ] message`: corosync gives no line numbers. */
export function parseCorosyncOutput(file: string, output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const raw of output.split('\n')) {
    const m = /\b(error|warning|crit)\s+\[[^\]]*\]\s*(.*)$/.exec(raw);
    if (!m || /exiting with status/.test(m[2])) continue;
    out.push(finding('corosync', file, 0, m[1] === 'warning' ? 'warning' : 'error', `corosync -t: ${m[2].trim()}`));
  }
  return out;
}
