// mkdir -p, one level at a time. Node 20's `fs.mkdirSync(p, { recursive: true })` spins forever where
// mkdir answers ENOENT under a folder that exists (any path under /proc/self), so a hostile or mistyped
// output path would hang the CLI instead of failing with a message.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Makes `dir` and its missing parents (each with `mode`); throws an Error naming the folder that could not
 * be made. `mayBuildIn`, when given, judges the nearest folder that exists: false makes nothing and returns
 * false (e.g. a cache is not made inside another user's folder).
 */
export function makeDirs(dir: string, mode = 0o777, mayBuildIn?: (existing: string) => boolean): boolean {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  while (!fs.existsSync(cur)) {
    missing.unshift(cur);
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  if (missing.length > 0 && mayBuildIn !== undefined && !mayBuildIn(cur)) return false;
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder, { mode });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      // Keeps the errno code, which the commands report as a user's error rather than an internal one.
      throw Object.assign(new Error(`cannot create the folder ${folder} (${code}); choose a folder you can write to`), { code });
    }
  }
  return true;
}
