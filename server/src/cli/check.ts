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
import { knownHaproxyRange, knownHaproxyVersion } from '../engine/upgrade';
import { resolveHaproxyVersion, resolveKeepalivedVersion, type TargetVersion, type VersionInputs } from '../core/targetVersion';
import { loadManifest } from '../manifest/load';
import { manifestKeepalivedInputs, manifestVersionInputs } from '../manifest/hostVersions';
import { localToolVersion } from '../localtools/toolVersion';
import type { SourceHost } from '../core/sourceHost';

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
  // Before walking any folder: an unknown version is a usage error.
  if (args.upgradeTo && !knownHaproxyVersion(args.upgradeTo)) {
    io.stderr(`haconf: --upgrade-to ${args.upgradeTo}: haconf knows HAProxy ${knownHaproxyRange()}; pass one of those branches\n`);
    return 2;
  }
  const inputs = args.paths.length ? args.paths : ['.'];
  const collected = collectFiles(inputs, io.cwd, { languageForced: args.lang !== undefined });
  const host = new NodeSourceHost();
  const target = cliTargetVersion(args.haproxyVersion, collected.manifests, host, io.cwd);
  // Files not yet known by name are sniffed later; they may be HAProxy files, so they count here.
  if (target.origin !== 'flag' && collected.files.some((f) => f.language !== 'keepalived' && f.language !== 'corosync')) {
    io.stderr(`haconf: checking for HAProxy ${target.version} (${target.reason}; --haproxy-version sets it)\n`);
  }
  const keepalived = cliKeepalivedVersion(args.keepalivedVersion, collected.manifests, host, io.cwd);
  // Said when the manifest or the hosts chose it (the local binary and the default are the usual case).
  if ((keepalived.origin === 'manifest' || keepalived.origin === 'hosts') && collected.files.some((f) => f.language !== 'haproxy' && f.language !== 'corosync')) {
    io.stderr(`haconf: checking for keepalived ${keepalived.version} (${keepalived.reason}; --keepalived-version sets it)\n`);
  }
  const options = defaultCheckOptions({
    haproxyVersion: target.version,
    severities: args.severities,
    keepalivedVersion: keepalived.version,
    ...(keepalived.origin === 'hosts' ? { keepalivedVersionFromHosts: true } : {}),
    ...(target.origin === 'hosts' ? { haproxyVersionFromHosts: true } : {}),
  });
  const display = new Map<string, string>();
  let unreadable = collected.unreadable.length;
  for (const u of collected.unreadable) io.stderr(`haconf: ${u.reason}\n`);
  for (const n of collected.notes) io.stderr(`haconf: note: ${n}\n`);
  for (const f of collected.files) display.set(f.file, f.display);

  if (args.upgradeTo) {
    const relative = inputs.every((p) => !path.isAbsolute(p));
    const displayOf = (abs: string): string => display.get(abs) ?? (relative ? path.relative(io.cwd, abs) || abs : abs);
    if (args.format === 'sarif') io.stderr('haconf: --upgrade-to prints text or json; --format sarif is ignored\n');
    const input = { files: collected.files, manifests: collected.manifests };
    const run = {
      input,
      options,
      to: args.upgradeTo,
      fromReason: target.reason,
      write: args.write ?? false,
      format: args.format === 'json' ? ('json' as const) : ('text' as const),
      displayOf,
      host,
      forced: args.lang,
    };
    // Loaded only here: the upgrade report's diff and writer are not needed by a plain check.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runUpgrade } = require('./upgrade') as typeof import('./upgrade');
    const code = runUpgrade(run, io);
    return collected.unreadable.length ? 2 : code;
  }
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
  const displayOf = (abs: string): string => display.get(abs) ?? (relativeOutput ? path.relative(io.cwd, abs) || abs : abs);
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

/** The keepalived branch to check for, found like HAProxy's (core/targetVersion.ts resolveKeepalivedVersion). */
function cliKeepalivedVersion(flag: string | undefined, manifests: string[], host: SourceHost, cwd: string): TargetVersion {
  if (flag) return resolveKeepalivedVersion({ flag });
  const inputs: VersionInputs = {};
  for (const m of manifests) {
    const found = manifestKeepalivedInputs(loadManifest(m, host).manifest);
    if (found.manifest || found.hosts) {
      Object.assign(inputs, found);
      break;
    }
  }
  if (!inputs.manifest && !inputs.hosts) inputs.local = localToolVersion('keepalived', [cwd]);
  return resolveKeepalivedVersion(inputs);
}

/**
 * The HAProxy version to check for: the flag, else the first manifest that names one (or whose hosts have
 * recorded theirs), else the local binary outside the checked folder, else Debian stable's.
 */
function cliTargetVersion(flag: string | undefined, manifests: string[], host: SourceHost, cwd: string): TargetVersion {
  if (flag) return resolveHaproxyVersion({ flag });
  const inputs: VersionInputs = {};
  for (const m of manifests) {
    const found = manifestVersionInputs(loadManifest(m, host).manifest);
    if (found.manifest || found.hosts) {
      Object.assign(inputs, found);
      break;
    }
  }
  if (!inputs.manifest && !inputs.hosts) inputs.local = localToolVersion('haproxy', [cwd]);
  return resolveHaproxyVersion(inputs);
}
