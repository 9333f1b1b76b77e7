// The local audit trail: one JSON line per deploy, appended to the manifest's deploy.auditLog. Hashes
// only, never file content, and every message is scrubbed of secrets before it is written.
import * as os from 'node:os';
import { appendConfined, confinedPath, unsafeExistingFile } from '../core/safeWrite';
import type { Outcome } from './events';

export interface AuditFile {
  host: string;
  target: string;
  /** sha256 on the host before the deploy; null when the target did not exist. */
  before: string | null;
  /** sha256 of the file haconf deployed; equal to before when unchanged. */
  after: string;
  changed: boolean;
}

export interface AuditRecord {
  time: string;
  runId: string;
  user: string;
  /** The machine the deploy ran from. */
  from: string;
  cluster: string;
  manifest: string;
  hosts: string[];
  forced: boolean;
  /** Codes of the error findings --force overrode. */
  forcedFindings: string[];
  result: Outcome;
  message: string;
  files: AuditFile[];
  durationMs: number;
}

export function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/**
 * The audit log must stay inside the manifest's folder: a manifest from elsewhere must not make haconf
 * append to ~/.bashrc or any other file of the user's. A log that exists already must be a regular file
 * reached without symbolic links (see core/safeWrite.ts).
 */
export function auditPath(manifestDir: string, auditLog: string): string {
  let p: string;
  try {
    p = confinedPath(manifestDir, auditLog, 'deploy.auditLog');
  } catch (e) {
    throw new AuditPathError((e as Error).message);
  }
  const unsafe = unsafeExistingFile(manifestDir, p, { missingFolderOk: true });
  if (unsafe) throw new AuditPathError(`deploy.auditLog ${auditLog}: ${unsafe}; haconf will not append to it. Remove it (haconf creates the log itself) or choose another path`);
  return p;
}

export class AuditPathError extends Error {}

/** Appends one record; the log is created 0600 (it names hosts and paths), never through a link. */
export function appendAudit(manifestDir: string, file: string, rec: AuditRecord): void {
  appendConfined(manifestDir, file, JSON.stringify(rec) + '\n');
}
