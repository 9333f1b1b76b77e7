// Editor buffers that are not files on disk (VS Code's `untitled:Untitled-1`, other editors' scratch
// buffers) are keyed by their URI instead of a path. They are checked alone: never read from or looked
// for on disk, and never grouped into a cluster with real files.

/** True for a key that is a non-file URI (`scheme:rest`), not an absolute path (POSIX or `C:\`). */
export function isVirtualDocument(key: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(key) && !/^[a-zA-Z]:[\\/]/.test(key);
}
