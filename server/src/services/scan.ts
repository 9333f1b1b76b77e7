// The editor's workspace scan: walks the folders for configs in the background, in slices of a few
// milliseconds, so that open documents get their diagnostics first and requests are answered while it
// runs. Bounded in config files, bytes, directory entries and time: a root of `/` or a home directory
// stops at a limit with one short report of where, instead of taking the server down.
import * as path from 'node:path';
import type { Language } from '../core/types';
import { walkConfigs } from '../engine/collect';
import type { WorkspaceModel } from '../engine/model';

export interface ScanLimits {
  /** Config files taken into the model. A real HA workspace holds dozens, rarely hundreds. */
  maxFiles: number;
  /** Bytes of config text taken (a 30,000-line haproxy.cfg is ~1 MB and ~45 MB once parsed). */
  maxBytes: number;
  /** Directory entries looked at, configs or not. */
  maxEntries: number;
  /** Wall time, yields included. */
  maxMs: number;
  /** Work done between two yields to the event loop. */
  sliceMs: number;
}

export const EDITOR_SCAN_LIMITS: ScanLimits = {
  maxFiles: 2000,
  maxBytes: 8 * 1024 * 1024,
  maxEntries: 200_000,
  maxMs: 30_000,
  sliceMs: 15,
};

export interface ScanReport {
  folders: string[];
  files: number;
  bytes: number;
  entries: number;
  ms: number;
  /** Folders that could not be listed (permissions); logged, not shown. */
  unlistable: number;
  /** Set when a limit stopped the scan: which one, and where the walk was. */
  stopped?: { limit: string; at: string };
}

/**
 * A batch is checked and published when the slice time is up or when it holds this many files or bytes,
 * whichever comes first: checking is the costly part, so a batch stays small enough to check in a few
 * tens of milliseconds.
 */
const BATCH_FILES = 32;
const BATCH_BYTES = 256 * 1024;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Scans `folders` into the model. After each slice the batch found so far is checked and `onBatch` gets
 * the files whose diagnostics may have changed. Never throws for a missing or unreadable folder.
 */
export async function scanInBackground(model: WorkspaceModel, folders: string[], onBatch: (touched: string[]) => void, limits: ScanLimits = EDITOR_SCAN_LIMITS): Promise<ScanReport> {
  const t0 = performance.now();
  const report: ScanReport = { folders, files: 0, bytes: 0, entries: 0, ms: 0, unlistable: 0 };
  let batch: { file: string; language: Language; text: string }[] = [];
  let batchBytes = 0;
  let manifests: string[] = [];
  const flush = (): void => {
    if (!batch.length && !manifests.length) return;
    const touched = model.addScanned(batch, manifests);
    batch = [];
    batchBytes = 0;
    manifests = [];
    onBatch(touched);
  };
  let sliceStart = performance.now();
  outer: for (const folder of folders.filter((f) => f.length > 0)) {
    let where = folder;
    for (const ev of walkConfigs(folder, folder, model.associations)) {
      if (ev.kind === 'progress') {
        report.entries = ev.entries;
        where = ev.dir;
      } else if (ev.kind === 'unlistable') report.unlistable++;
      else if (ev.kind === 'manifest') manifests.push(ev.file);
      else if (ev.kind === 'config') {
        where = path.dirname(ev.file);
        if (report.files >= limits.maxFiles) {
          report.stopped = { limit: `${limits.maxFiles} config files`, at: where };
          break outer;
        }
        if (report.bytes + ev.size > limits.maxBytes) {
          report.stopped = { limit: `${Math.round(limits.maxBytes / (1024 * 1024))} MB of configs`, at: where };
          break outer;
        }
        if (model.has(ev.file)) {
          // Known already (open in an editor): addScanned only marks it as part of the workspace.
          batch.push({ file: ev.file, language: ev.language, text: '' });
        } else {
          const read = model.host.readText(ev.file);
          if (read.ok) {
            batch.push({ file: ev.file, language: ev.language, text: read.text });
            batchBytes += read.text.length;
          }
        }
        report.files++;
        report.bytes += ev.size;
      }
      if (report.entries >= limits.maxEntries) {
        report.stopped = { limit: `${limits.maxEntries} folder entries`, at: where };
        break outer;
      }
      const now = performance.now();
      if (now - t0 > limits.maxMs) {
        report.stopped = { limit: `${Math.round(limits.maxMs / 1000)} s`, at: where };
        break outer;
      }
      if (now - sliceStart >= limits.sliceMs || batchBytes >= BATCH_BYTES || batch.length >= BATCH_FILES) {
        flush();
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }
  flush();
  report.ms = Math.round(performance.now() - t0);
  return report;
}

/** The one message a stopped scan shows: short, names the limit and the place. */
export function scanStopMessage(r: ScanReport): string | undefined {
  if (!r.stopped) return undefined;
  return `haconf: the workspace scan stopped at ${r.stopped.limit} (in ${r.stopped.at}); ${r.files} config files are checked, open files always are. Open a smaller folder for full cross-file checks.`;
}
