// Packs the repository (`npm pack`, whose prepack builds dist/) and installs the tarball into a temporary
// global prefix (`npm install -g --prefix`), offline: the package has no runtime dependencies, everything
// it runs is bundled in dist/. Returns the `haconf` command as a user would get it on PATH.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface Installed {
  /** Temp folder holding the tarball and the prefix. */
  dir: string;
  tarball: string;
  /** `<prefix>/bin`, to put first on PATH. */
  binDir: string;
  /** `<prefix>/bin/haconf`. */
  haconf: string;
  cleanup(): void;
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw new Error(`${cmd} is not runnable: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** npm install -g --prefix <tmp> of `source` (a tarball, or the repository folder itself). */
export function installGlobally(source: string, dir: string, name = 'prefix'): Omit<Installed, 'tarball' | 'cleanup' | 'dir'> {
  const prefix = path.join(dir, name);
  run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', source], dir);
  const binDir = path.join(prefix, 'bin');
  return { binDir, haconf: path.join(binDir, 'haconf') };
}

export function packAndInstall(): Installed {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-install-')));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const out = run('npm', ['pack', '--pack-destination', dir], ROOT);
    const tarball = path.join(dir, out.trim().split('\n').pop()!.trim());
    if (!fs.existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}:\n${out}`);
    return { dir, tarball, ...installGlobally(tarball, dir), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}
