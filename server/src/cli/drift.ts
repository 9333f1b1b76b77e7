// `haconf drift [--manifest FILE] [--hosts a,b] [--format text|json]`: does each host run the workspace's
// files? Read-only. Exit 0 every host matches, 1 drift, 2 usage error or a host/file that could not be checked.
import { drift, type DriftFile, type DriftHost, type DriftResult } from '../deploy/drift';
import { ArgCursor, UsageError } from './args';
import { runOnHosts, type DeployCliIO } from './deploy';
import { plural } from '../core/plural';

interface DriftArgs {
  manifest?: string;
  hosts?: string[];
  format: 'text' | 'json';
}

function parseArgs(argv: string[]): DriftArgs {
  const out: DriftArgs = { format: 'text' };
  const args = new ArgCursor(argv);
  while (args.next()) {
    switch (args.name) {
      case '--manifest':
        out.manifest = args.value();
        break;
      case '--hosts': {
        const v = args
          .value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (!v.length) throw new UsageError('--hosts needs at least one host name');
        out.hosts = v;
        break;
      }
      case '--format': {
        const v = args.value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not '${v}'`);
        out.format = v;
        break;
      }
      default:
        throw new UsageError(args.name.startsWith('-') ? `unknown option ${args.name}; drift takes --manifest, --hosts and --format` : `unexpected argument '${args.name}'; use --manifest FILE`);
    }
  }
  return out;
}

const MARK: Record<DriftFile['state'], string> = { same: '=', differs: 'M', 'missing-remote': '-', 'missing-local': '+', unreadable: 'E', unknown: '?' };

function formatHost(h: DriftHost): string[] {
  const state = !h.reachable ? 'UNREACHABLE' : h.drifted ? 'DRIFTED' : h.files.some((f) => f.state === 'unreadable') ? 'NOT CHECKED' : 'in sync';
  const versions = h.versions.map((v) => `${v.daemon} ${v.installed ? (v.version ?? v.line) : 'not installed'}`).join(', ');
  const out = [`${h.host}: ${state}${versions ? ` (${versions})` : ''}`];
  if (h.error) out.push(`    ${h.error.split('\n').join('\n    ')}`);
  for (const f of h.files) {
    if (f.state === 'unknown') continue;
    out.push(`  ${MARK[f.state]} ${f.target} ← ${f.source}: ${f.message}`);
    if (f.diff)
      out.push(
        ...f.diff
          .trimEnd()
          .split('\n')
          .map((l) => `      ${l}`),
      );
  }
  return out;
}

export function formatDrift(r: DriftResult): string {
  const lines = [`cluster ${r.cluster} (${r.manifest}), checked ${r.checkedAt}`, ...r.hosts.flatMap(formatHost)];
  for (const n of r.notes) lines.push(`note: ${n}`);
  const s = r.summary;
  lines.push(`${plural(s.hosts, 'host')}: ${s.inSync} in sync, ${s.drifted} drifted (${plural(s.filesDiffering, 'file')}), ${s.unreachable} unreachable`);
  if (s.drifted) lines.push(`Adopt the hosts' files with 'haconf pull --hosts HOST', or put the workspace's back with 'haconf deploy'.`);
  return lines.join('\n') + '\n';
}

export async function runDrift(argv: string[], io: DeployCliIO): Promise<number> {
  const args = parseArgs(argv);
  return runOnHosts(io, args.manifest, args.format === 'json', (manifestPath, transport) => drift({ manifestPath, hosts: args.hosts, transport }), formatDrift);
}
