// Whole-process timings: `haconf check` (the bundled dist/cli.js through bin/haconf.js) next to
// `haproxy -c -q -f` on the same file, plus the floors (`node -e ''`, `haconf --version`). The commands run
// interleaved, one of each per round with the order rotated, so a burst of load from another process hits
// all of them alike; the reported ratio is the median of the per-round ratios.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from './stats';

export interface CliCommand {
  id: string;
  argv: string[];
  /** Exit codes that count as a normal run. */
  ok: number[];
  /** Environment of the run (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface CliResult {
  id: string;
  medianMs: number;
  minMs: number;
  runs: number;
}

export interface CliRatio {
  ours: string;
  theirs: string;
  /** Median over rounds of ours/theirs. */
  ratio: number;
}

const ROOT = path.resolve(__dirname, '..');

function timeOnce(c: CliCommand): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(c.argv[0], c.argv.slice(1), { cwd: ROOT, env: c.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw new Error(`${c.argv.join(' ')}: ${r.error.message}`);
  if (!c.ok.includes(r.status ?? -1)) throw new Error(`${c.argv.join(' ')} exited ${r.status}: ${r.stderr?.toString().slice(0, 500)}`);
  return ms;
}

/** Runs every command once per round for `rounds` rounds (after one warm-up round). */
export function interleave(commands: CliCommand[], rounds: number): { results: CliResult[]; samples: Map<string, number[]> } {
  const samples = new Map<string, number[]>(commands.map((c) => [c.id, []]));
  for (let r = -1; r < rounds; r++) {
    const k = ((r % commands.length) + commands.length) % commands.length;
    const order = [...commands.slice(k), ...commands.slice(0, k)];
    for (const c of order) {
      const ms = timeOnce(c);
      if (r >= 0) samples.get(c.id)!.push(ms);
    }
  }
  const results = commands.map((c) => {
    const xs = samples.get(c.id)!;
    return { id: c.id, medianMs: median(xs), minMs: Math.min(...xs), runs: xs.length };
  });
  return { results, samples };
}

export function ratioOf(samples: Map<string, number[]>, ours: string, theirs: string): CliRatio {
  const a = samples.get(ours)!;
  const b = samples.get(theirs)!;
  return { ours, theirs, ratio: median(a.map((x, i) => x / b[i])) };
}

export function haconfCmd(...args: string[]): string[] {
  return [process.execPath, path.join(ROOT, 'bin/haconf.js'), ...args];
}

/** A newer HAProxy from a Debian root (../shared/recipes/debian-roots.sh), run through the root's own loader. */
export interface RootHaproxy {
  /** `3.0`, `3.2`. */
  label: string;
  root: string;
  /** `haproxy -v`'s first line, or why the root cannot be used (then `argv` is undefined). */
  version: string;
  argv?: (file: string) => string[];
}

/** The Debian roots the bench compares against: trixie (HAProxy 3.0) and forky (3.2) under HACONF_DEBIAN_ROOTS
 * (default /work/roots). A missing or broken root is returned with the reason, never skipped silently. */
export function rootHaproxies(): RootHaproxy[] {
  const dir = process.env.HACONF_DEBIAN_ROOTS ?? '/work/roots';
  return [
    { label: '3.0', name: 'trixie' },
    { label: '3.2', name: 'forky' },
  ].map(({ label, name }) => {
    const root = path.join(dir, name);
    const argv = (file: string) => [
      path.join(root, 'lib64/ld-linux-x86-64.so.2'),
      '--library-path',
      `${root}/usr/lib/x86_64-linux-gnu:${root}/lib/x86_64-linux-gnu`,
      path.join(root, 'usr/sbin/haproxy'),
      '-c',
      '-q',
      '-f',
      file,
    ];
    if (!fs.existsSync(path.join(root, 'usr/sbin/haproxy'))) {
      return { label, root, version: `MISSING: ${root}/usr/sbin/haproxy does not exist; build the root with ../shared/recipes/debian-roots.sh` };
    }
    const v = spawnSync(argv('')[0], [...argv('').slice(1, 4), '-v'], { encoding: 'utf8' });
    if (v.status !== 0) return { label, root, version: `BROKEN: ${root} haproxy -v exited ${v.status}: ${(v.stderr || v.error?.message || '').slice(0, 200)}` };
    return { label, root, version: v.stdout.split('\n')[0].replace(/ - https.*$/, ''), argv };
  });
}
