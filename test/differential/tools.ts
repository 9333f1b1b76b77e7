// The real checkers, run so that they judge the configuration and not this machine (test/versions.ts):
// keepalived gets a private network namespace holding the interfaces the file names; corosync gets one
// holding the first node's address plus a private /etc/corosync with a fresh authkey. Any version of
// test/versions.ts can judge; the host's (Debian 12) is the default. A missing binary or root throws
// (the test fails loudly, it never skips).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Language } from '../../server/src/core/types';
import { accepts, cleanupVersions, requireVersions, runTool, toolVersions, type ToolVersion } from '../versions';

export interface ToolVerdict {
  /** The tool refuses the file. */
  rejects: boolean;
  output: string;
}

let workDir: string | undefined;
function scratch(): string {
  if (!workDir) workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-diff-'));
  return workDir;
}

export function cleanupTools(): void {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
  cleanupVersions();
}

/** The host's own version of a tool (Debian 12). */
export const hostVersion = (language: Language): ToolVersion => toolVersions(language)[0];

/** Writes `text` to a scratch file named for its language and asks the real tool (of `version`) about it. */
export function realVerdict(language: Language, text: string, version: ToolVersion = hostVersion(language)): ToolVerdict {
  const name = language === 'haproxy' ? 'haproxy.cfg' : language === 'keepalived' ? 'keepalived.conf' : 'corosync.conf';
  const dir = fs.mkdtempSync(path.join(scratch(), 'case-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    const r = runTool(version, file);
    return { rejects: !accepts(version, r), output: language === 'haproxy' ? r.output : `rc ${r.status}: ${r.output}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails loudly when a binary (or, with `all`, a Debian root of test/versions.ts) is missing. */
export function requireTools(all = false): void {
  if (all) {
    requireVersions();
    return;
  }
  for (const language of ['haproxy', 'keepalived', 'corosync'] as const) {
    const r = realVerdict(language, '');
    if (/is not runnable/.test(r.output)) throw new Error(r.output);
  }
}
