// The local deploy journal: what a run is about to do to each host, written and fsynced before it does
// it, beside the manifest (.haconf/<manifest>.journal.json). A run that ends normally removes it; a run that
// dies (SIGKILL, power loss, a force-quit) leaves it, so the next `haconf deploy` refuses to start over a
// cluster in an unknown state and `haconf deploy --recover` knows the old and new hash of every file, the
// backups, candidates and locks the dead run made.
//
// Every open is O_NOFOLLOW and the .haconf folder must be a real directory: a workspace cannot turn the
// journal into a write to some other file of the user's.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Language } from '../core/types';

export const JOURNAL_VERSION = 1;
const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;

/**
 * Where a host is in the run. `swapping` is written before the first rename on the host and `restoring`
 * before the first restore, so a crash between the two writes is always on the safe side: recover reads the
 * host's files and decides from their hashes, never from this field alone.
 */
export type JournalHostPhase = 'pending' | 'swapping' | 'swapped' | 'restoring' | 'restored' | 'restore-failed';

export interface JournalFile {
  target: string;
  /** Workspace source (relative to the manifest), for messages. */
  source: string;
  kind: Language;
  /** sha256 on the host before the run; null when the target did not exist. */
  old: string | null;
  /** sha256 of the file the run deploys. */
  new: string;
  /** Backup the install makes (`<target>.haconf-bak-<stamp>`); null for a new target. */
  backup: string | null;
  /** Candidate the run staged beside the target. */
  candidate?: string;
}

export interface JournalHost {
  name: string;
  phase: JournalHostPhase;
  /** Changed files only. */
  files: JournalFile[];
}

export type JournalPhase = 'lock' | 'stage' | 'rollout' | 'rollback' | 'cleanup';

export interface Journal {
  version: typeof JOURNAL_VERSION;
  runId: string;
  manifest: string;
  cluster: string;
  user: string;
  /** Machine, process and its start time (Linux clock ticks since boot): tells a live run from a dead one. */
  from: string;
  pid: number;
  procStart?: string;
  bootId?: string;
  started: string;
  updated: string;
  phase: JournalPhase;
  dryRun: boolean;
  forced: boolean;
  /** Hosts the run locked (or was locking). */
  locked: string[];
  /** Backup stamp of the run. */
  stamp?: string;
  /** Hosts with changed files, in rollout order. */
  hosts: JournalHost[];
  /**
   * Set when the run ended but kept the journal (a failed rollback, an internal error after a swap): the
   * process may live on (the language server), yet the run is over and --recover may take it.
   */
  ended?: string;
}

export class JournalError extends Error {}

/** `<manifest dir>/.haconf/<manifest file name>.journal.json`: one per manifest. */
export function journalPath(manifestFile: string): string {
  return path.join(path.dirname(manifestFile), '.haconf', `${path.basename(manifestFile)}.journal.json`);
}

function readSmall(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: the process start time, so a recycled pid is not taken for the run. */
export function processStart(pid: number): string | undefined {
  const stat = readSmall(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[19];
}

export function bootId(): string | undefined {
  return readSmall('/proc/sys/kernel/random/boot_id');
}

/** The identity fields of a journal for this process. */
export function thisProcess(): Pick<Journal, 'from' | 'pid' | 'procStart' | 'bootId'> {
  return { from: os.hostname(), pid: process.pid, procStart: processStart(process.pid), bootId: bootId() };
}

/** Whether the run that wrote `j` is still running (same machine, same boot, same process). */
export function journalOwnerAlive(j: Journal): boolean {
  if (j.ended) return false;
  if (j.from !== os.hostname()) return false;
  if (j.bootId && bootId() && j.bootId !== bootId()) return false;
  try {
    process.kill(j.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(j.pid);
  return !j.procStart || !start || start === j.procStart;
}

/** The .haconf folder, created 0700 when missing; refused when it is a symbolic link or not a folder. */
function journalDir(file: string): string {
  const dir = path.dirname(file);
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(dir);
  } catch {
    fs.mkdirSync(dir, { mode: 0o700 });
    st = fs.lstatSync(dir);
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw new JournalError(`${dir} is not a folder (a symbolic link?); haconf keeps its deploy journal there and does not follow links: remove it`);
  return dir;
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes the journal atomically and durably: a new temp file (O_EXCL|O_NOFOLLOW, 0600), fsync, rename over
 * the journal (rename replaces a link, never writes through it), fsync of the folder.
 */
export function writeJournal(file: string, j: Journal): void {
  const dir = journalDir(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.writeSync(fd, JSON.stringify({ ...j, updated: new Date().toISOString() }, null, 1) + '\n');
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  fsyncDir(dir);
}

/** The journal, or undefined when there is none. Throws JournalError when it is a link or unreadable. */
export function readJournal(file: string): Journal | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new JournalError(`${file} is a symbolic link; haconf does not follow it. Remove it (it is not a journal haconf wrote)`);
    throw new JournalError(`cannot read the deploy journal ${file}: ${(e as Error).message}`);
  }
  let text: string;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_JOURNAL_BYTES) throw new JournalError(`${file} is not a deploy journal (not a regular file, or over ${MAX_JOURNAL_BYTES} bytes); remove it`);
    text = fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
  let j: Journal;
  try {
    j = JSON.parse(text) as Journal;
  } catch {
    throw new JournalError(`${file} is not valid JSON (a write cut short?); look at it, check the hosts by hand, then remove it`);
  }
  if (j?.version !== JOURNAL_VERSION || typeof j.runId !== 'string' || !Array.isArray(j.hosts) || !Array.isArray(j.locked)) {
    throw new JournalError(`${file} is not a haconf deploy journal of version ${JOURNAL_VERSION}; check the hosts by hand, then remove it`);
  }
  return j;
}

export function removeJournal(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  fsyncDir(path.dirname(file));
}

/** One line naming the run a journal belongs to, for messages. */
export function describeRun(j: Journal): string {
  return `run ${j.runId} by ${j.user} on ${j.from} (pid ${j.pid}), started ${j.started}, ${j.dryRun ? 'a dry run, ' : ''}stopped during ${j.phase}`;
}

/**
 * A journal kept up to date by one run. Each update rewrites the whole file (a few hundred bytes per host);
 * `update` throws when the write fails, so a run that cannot record what it is about to do does not do it.
 */
export class JournalWriter {
  constructor(
    readonly file: string,
    private j: Journal,
  ) {
    writeJournal(file, j);
  }

  get value(): Journal {
    return this.j;
  }

  update(change: (j: Journal) => void): void {
    const next: Journal = JSON.parse(JSON.stringify(this.j)) as Journal;
    change(next);
    writeJournal(this.file, next);
    this.j = next;
  }

  setHost(name: string, phase: JournalHostPhase): void {
    this.update((j) => {
      const h = j.hosts.find((x) => x.name === name);
      if (h) h.phase = phase;
    });
  }

  remove(): void {
    removeJournal(this.file);
  }
}
