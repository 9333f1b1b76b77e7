// Which files and folders a rendering read, so the editor can render again only when one of them changed
// (a folder's mtime changes when a file is added to or removed from it, e.g. a new host_vars file).
import * as fs from 'node:fs';

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
