// Incremental-edit property: a workspace model that saw a random sequence of edits (checked after each
// one or in debounced batches) reports exactly what a freshly built model reports for the final texts, and
// gives the same outline (whose section nodes are reused across edits).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckOptions } from '../../server/src/core/types';
import { WorkspaceModel } from '../../server/src/engine/model';
import { documentSymbols } from '../../server/src/services';
import { applyChange } from './generators';

export interface WorkspaceEdit {
  /** Index into the workspace's files (mod their count). */
  file: number;
  /** A random range change, or any text-to-text edit (e.g. whole lines inserted). */
  change: { a: number; b: number; text: string } | ((text: string) => string);
  /** Check right after this edit (as an isolated keystroke) or wait for more (a typing burst). */
  flush: boolean;
}

/** Writes the initial files to a fresh temp folder; returns absolute paths. */
export function writeWorkspace(files: Record<string, string>): { dir: string; paths: string[] } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-fuzz-')));
  const paths: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    paths.push(p);
  }
  return { dir, paths };
}

/** Findings per file as a sorted list: two findings at the same place and code may come in either order. */
export const snapshot = (m: WorkspaceModel, files: string[]) =>
  Object.fromEntries(
    files.map((f) => [
      f,
      m
        .diagnostics(f)
        .map((d) => JSON.stringify([d.range, d.code, d.severity, d.message]))
        .sort(),
    ]),
  );

/** `options` are the check options of both models (the default ones when absent). */
export function checkIncremental(files: Record<string, string>, edits: WorkspaceEdit[], options?: CheckOptions): void {
  const { dir, paths } = writeWorkspace(files);
  try {
    const live = new WorkspaceModel(undefined, options);
    live.scan([dir]);
    const texts = new Map(paths.map((p) => [p, fs.readFileSync(p, 'utf8')]));
    const pending = new Set<string>();
    for (const e of edits) {
      const file = paths[e.file % paths.length];
      const next = typeof e.change === 'function' ? e.change(texts.get(file)!) : applyChange(texts.get(file)!, e.change);
      texts.set(file, next);
      live.setBuffer(file, next);
      pending.add(file);
      if (e.flush) {
        live.refresh([...pending]);
        pending.clear();
        // As the editor asks after a change: the outline keeps nodes for the next edit to reuse.
        documentSymbols(live, file);
      }
    }
    live.refresh([...pending]);

    const fresh = new WorkspaceModel(undefined, options);
    for (const [f, t] of texts) fresh.host.overlay.set(f, t);
    fresh.scan([dir]);
    for (const [f, t] of texts) fresh.setBuffer(f, t);
    fresh.refresh(paths);

    const all = [...new Set([...live.knownFiles(), ...fresh.knownFiles()])].sort();
    assert.deepEqual(snapshot(live, all), snapshot(fresh, all), 'incremental edits and a fresh parse disagree');
    for (const f of paths) assert.deepEqual(documentSymbols(live, f), documentSymbols(fresh, f), `the outline of ${path.basename(f)} after edits differs from a fresh one`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Replaces, inserts or deletes line `at` (mod the line count); prints as the edit it stands for. */
export function lineChange(op: 'replace' | 'insert' | 'delete', at: number, line: string): (text: string) => string {
  return Object.assign(
    (text: string): string => {
      const lines = text.split('\n');
      const i = at % Math.max(1, lines.length);
      if (op === 'replace') lines[i] = line;
      else if (op === 'insert') lines.splice(i, 0, line);
      else lines.splice(i, 1);
      return lines.join('\n');
    },
    { [fc.toStringMethod]: () => `${op} line ${at} ${JSON.stringify(line)}` },
  );
}
