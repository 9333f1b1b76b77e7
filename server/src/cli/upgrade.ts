// `haconf check --upgrade-to X.Y`: prints the upgrade plan of engine/upgrade.ts (per cluster, per file:
// what X.Y removes, deprecates or refuses, and whether a rewrite handles it), then the rewrites as a
// unified diff, or writes them with --write. Exit code: 0 when every listed item has a rewrite (or there is
// none), 1 when some need a hand edit, 2 for bad input.
import * as path from 'node:path';
import type { CheckOptions, Language } from '../core/types';
import type { SourceHost } from '../core/sourceHost';
import { maskLine } from '../core/secrets';
import { plural } from '../core/plural';
import { writeAtomicConfined } from '../core/safeWrite';
import { unifiedDiff } from '../deploy/diff';
import { planUpgrade, type UpgradeFile, type UpgradeItem, type UpgradeReport } from '../engine/upgrade';
import type { WorkspaceInput } from '../engine/workspace';

/** What runUpgrade prints through (cli/check.ts's CliIO fits). */
export interface UpgradeIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface UpgradeRun {
  input: WorkspaceInput;
  options: CheckOptions;
  to: string;
  /** Where the version in force came from, for the header line. */
  fromReason: string;
  write: boolean;
  format: 'text' | 'json';
  displayOf: (abs: string) => string;
  host: SourceHost;
  forced?: Language;
}

export function runUpgrade(run: UpgradeRun, io: UpgradeIO): number {
  const report = planUpgrade(run.input, run.options, run.to, run.host, run.forced);
  const manual = report.files.reduce((n, f) => n + f.items.filter((i) => !i.rewrite).length, 0);
  let wrote = 0;
  if (run.write) {
    for (const f of report.files) {
      if (f.edits.length === 0) continue;
      try {
        writeAtomicConfined(path.dirname(f.file), f.file, f.after);
        wrote++;
      } catch (e) {
        io.stderr(`haconf: cannot write ${run.displayOf(f.file)}: ${(e as Error).message}; nothing else was changed in it\n`);
        return 2;
      }
    }
  }
  if (run.format === 'json') io.stdout(`${JSON.stringify(toJson(report, run.displayOf), null, 2)}\n`);
  else io.stdout(formatUpgrade(report, run, wrote));
  return manual > 0 ? 1 : 0;
}

const KIND_TEXT: Record<UpgradeItem['kind'], string> = { removed: 'removed', deprecated: 'deprecated', changed: 'changed' };

function formatUpgrade(r: UpgradeReport, run: UpgradeRun, wrote: number): string {
  // No escaping here: io.stdout escapes everything it prints (cli/main.ts).
  const e = (t: string): string => t;
  const out: string[] = [`Upgrade from HAProxy ${r.from} (${run.fromReason}) to ${r.to}`];
  if (r.files.length === 0) {
    out.push(`nothing to change: every checked file means the same to HAProxy ${r.to}`);
    return `${out.join('\n')}\n`;
  }
  for (const c of r.clusters) out.push(`cluster ${e(c.name)}: ${c.files.map((f) => e(run.displayOf(f))).join(', ')}`);
  let rewrites = 0;
  let manual = 0;
  for (const f of r.files) {
    out.push('', e(run.displayOf(f.file)));
    for (const i of f.items) {
      const d = i.diagnostic;
      const since = i.already ? ` (already at ${r.from})` : '';
      const what = i.rewrite ? `rewrite: ${i.rewrite}` : 'needs a hand edit';
      if (i.rewrite) rewrites++;
      else manual++;
      out.push(`  ${d.range.start.line + 1}:${d.range.start.character + 1} ${KIND_TEXT[i.kind]}${since}: ${e(d.message)} [${d.code}] → ${e(what)}`);
    }
  }
  out.push('', `${plural(rewrites, 'rewrite')}, ${plural(manual, 'item')} needing a hand edit, in ${plural(r.files.length, 'file')}`);
  if (run.write) out.push(wrote ? `wrote the rewrites into ${plural(wrote, 'file')}` : 'no rewrite to write');
  else {
    const diffs = r.files.filter((f) => f.edits.length).map((f) => diffOf(f, run.displayOf));
    if (diffs.length) out.push('', ...diffs.map((d) => e(d.replace(/\n$/, ''))), '', 'apply with --write (or review and apply the diff above)');
  }
  return `${out.join('\n')}\n`;
}

function toJson(r: UpgradeReport, displayOf: (abs: string) => string) {
  return {
    from: r.from,
    to: r.to,
    clusters: r.clusters.map((c) => ({ name: c.name, files: c.files.map(displayOf) })),
    files: r.files.map((f) => ({
      file: displayOf(f.file),
      items: f.items.map((i) => ({
        kind: i.kind,
        already: i.already,
        line: i.diagnostic.range.start.line + 1,
        column: i.diagnostic.range.start.character + 1,
        code: i.diagnostic.code,
        message: i.diagnostic.message,
        rewrite: i.rewrite ?? null,
      })),
      diff: f.edits.length ? diffOf(f, displayOf) : '',
    })),
  };
}

/** The file's rewrites as `diff -u` text, secrets masked; a/ b/ prefixes for relative names (patch -p1). */
function diffOf(f: UpgradeFile, displayOf: (abs: string) => string): string {
  const name = displayOf(f.file);
  const [a, b] = path.isAbsolute(name) ? [name, name] : [`a/${name}`, `b/${name}`];
  return unifiedDiff(f.before, f.after, a, b, 3, maskLine);
}
