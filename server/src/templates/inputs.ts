// Which files and folders a rendering read, so the editor can render again only when one of them changed
// (a folder's mtime changes when a file is added to or removed from it, e.g. a new host_vars file).
import * as fs from 'node:fs';
import { MAX_FILE_BYTES } from '../core/limits';
import { readRegularFile } from '../core/sourceHost';

let current: Set<string> | undefined;

/** Called by the readers of inventories, variable files and playbooks for every path they read or probe. */
export function noteInput(p: string): void {
  current?.add(p);
}

/** Runs `fn` and returns what it read. Not re-entrant. */
export function recording<T>(fn: () => T): { value: T; inputs: string[] } {
  const prev = current;
  current = new Set();
  try {
    const value = fn();
    return { value, inputs: [...current] };
  } finally {
    current = prev;
  }
}

/** Size and mtime of each input ('-' when missing): equal signatures mean nothing was changed on disk. */
export function inputsSignature(inputs: readonly string[]): string {
  return inputs
    .map((p) => {
      try {
        const st = fs.statSync(p);
        return `${p}:${st.size}:${st.mtimeMs}`;
      } catch {
        return `${p}:-`;
      }
    })
    .join('\n');
}

/**
 * Reads an inventory, variable or playbook file the way the engine reads configs: regular files only (a
 * FIFO or /proc file never blocks), within the size limit; undefined otherwise (the caller reports it).
 */
export function readVarText(p: string): string | undefined {
  noteInput(p);
  const r = readRegularFile(p);
  return r.ok && r.text.length <= MAX_FILE_BYTES ? r.text : undefined;
}
