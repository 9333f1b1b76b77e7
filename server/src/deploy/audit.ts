// The local audit trail: one JSON line per deploy, appended to the manifest's deploy.auditLog. Hashes
// only, never file content, and every message is scrubbed of secrets before it is written.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
 * append to ~/.bashrc or any other file of the user's.
 */
export function auditPath(manifestDir: string, auditLog: string): string {
  const p = path.resolve(manifestDir, auditLog);
  const rel = path.relative(manifestDir, p);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw new AuditPathError(`deploy.auditLog ${auditLog} must be a file inside ${manifestDir}`);
  return p;
}

export class AuditPathError extends Error {}

/** Appends one record; the log is created 0600 (it names hosts and paths). */
export function appendAudit(file: string, rec: AuditRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(rec) + '\n');
  } finally {
    fs.closeSync(fd);
  }
}
