import * as path from 'node:path';
import type { Diagnostic } from '../core/types';
import { defaultCheckOptions } from '../core/types';
import { NodeSourceHost } from '../core/sourceHost';
import { checkWorkspace } from '../engine/workspace';
import { collectFiles } from '../engine/collect';
import { allRules } from '../engine/rules';
import { parseCheckArgs } from './args';
import { countBySeverity, formatJson, formatSarif, formatText } from './format';
import { VERSION } from './version';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Writes without escaping (main.ts escapes stdout/stderr); only for output whose every piece is escaped already. */
  trustedStdout?: (s: string) => void;
}

/** `haconf check [PATH...]`. Returns the exit code: 0 clean, 1 findings over the bar, 2 usage/unreadable. */
export function runCheck(argv: string[], io: CliIO): number {
  const args = parseCheckArgs(argv);
  const inputs = args.paths.length ? args.paths : ['.'];
  const options = defaultCheckOptions({
    ...(args.haproxyVersion ? { haproxyVersion: args.haproxyVersion } : {}),
    severities: args.severities,
  });
  const collected = collectFiles(inputs, io.cwd, { languageForced: args.lang !== undefined });
  const host = new NodeSourceHost();
  const display = new Map<string, string>();
  let unreadable = collected.unreadable.length;
  for (const u of collected.unreadable) io.stderr(`haconf: ${u.reason}\n`);
  for (const n of collected.notes) io.stderr(`haconf: note: ${n}\n`);
  for (const f of collected.files) display.set(f.file, f.display);

  const ws = checkWorkspace({ files: collected.files, manifests: collected.manifests }, options, host, args.lang);
  for (const f of ws.files) {
    if ('error' in f) {
      unreadable++;
      io.stderr(`haconf: ${f.error}\n`);
    }
  }
  const diagnostics: Diagnostic[] = ws.diagnostics;
  if (collected.files.length === 0 && collected.unreadable.length === 0) {
    io.stderr(`haconf: no haproxy, keepalived or corosync files found under ${inputs.join(' ')}; name them haproxy*.cfg, keepalived*.conf or corosync*.conf, or pass --lang\n`);
  }

  const relativeOutput = inputs.every((p) => !path.isAbsolute(p));
  const displayOf = (abs: string): string =>
    display.get(abs) ?? (relativeOutput ? path.relative(io.cwd, abs) || abs : abs);
  const report = { diagnostics, displayOf, filesChecked: ws.files.length + ws.manifests.length };
  if (args.format === 'json') io.stdout(formatJson(report));
  else if (args.format === 'sarif') io.stdout(formatSarif(report, allRules(), VERSION));
  else if (args.color) (io.trustedStdout ?? io.stdout)(formatText(report, true));
  else io.stdout(formatText(report, false));

  if (unreadable > 0) return 2;
  const c = countBySeverity(diagnostics);
  if (c.error > 0) return 1;
  if (args.maxWarnings !== undefined && c.warning > args.maxWarnings) return 1;
  return 0;
}

