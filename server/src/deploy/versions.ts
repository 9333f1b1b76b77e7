// The daemons' versions as a host reports them (the `versions` script: one `HACONF <daemon> <first line of
// -v>` per daemon), and their record in .haconf/host-versions.json. `haconf drift`, `pull` and `deploy` all
// ask every host in a session they open anyway and record the answers, so later checks target the versions
// the nodes really run (core/targetVersion.ts, docs/haproxy-versions.md).
import { writeHostVersions, type HostVersionRecord, type HostVersions } from '../manifest/hostVersions';
import type { Redactor } from './secrets';

export type DaemonName = 'haproxy' | 'keepalived' | 'corosync';

export interface DaemonVersion {
  daemon: DaemonName;
  /** Parsed version (2.6.12-1+deb12u4, 2.2.7, 3.1.7); null when not installed or not recognised. */
  version: string | null;
  installed: boolean;
  /** First line of `<daemon> -v`, scrubbed and cut to 200 characters. */
  line: string;
}

export const VERSION_PATTERNS: Record<DaemonName, RegExp> = {
  haproxy: /\bversion\s+(\S+)/i,
  keepalived: /\bKeepalived\s+v(\S+)/i,
  corosync: /\bversion\s+'([^']+)'/i,
};

/** The answer of the `versions` script: one `HACONF <daemon> <line>` per daemon. */
export function parseVersions(stdout: string, redactor: Redactor): DaemonVersion[] {
  const out: DaemonVersion[] = [];
  for (const daemon of Object.keys(VERSION_PATTERNS) as DaemonName[]) {
    const row = stdout.split('\n').find((l) => l.startsWith(`HACONF ${daemon} `));
    const raw = row ? row.slice(`HACONF ${daemon} `.length).trim() : '';
    const installed = row !== undefined && raw !== '-';
    const line = installed ? redactor.scrub(raw).slice(0, 200) : '';
    out.push({ daemon, installed, version: installed ? (VERSION_PATTERNS[daemon].exec(line)?.[1] ?? null) : null, line });
  }
  return out;
}

/**
 * Keeps what the hosts said about their daemons in .haconf/host-versions.json beside the manifest (hosts
 * not read this time keep their record). A record that cannot be written never fails the command.
 */
export function recordVersions(dir: string, hosts: Array<{ host: string; versions: DaemonVersion[] }>): void {
  const readings: HostVersions = {};
  const recorded = new Date().toISOString();
  for (const h of hosts) {
    if (!h.versions.some((v) => v.installed)) continue;
    const r: HostVersionRecord = { recorded };
    for (const v of h.versions) if (v.installed) r[v.daemon] = v.line;
    readings[h.host] = r;
  }
  if (!Object.keys(readings).length) return;
  try {
    writeHostVersions(dir, readings);
  } catch {
    // A linked or unwritable .haconf folder: the command itself is unaffected.
  }
}
