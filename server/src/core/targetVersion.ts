// Which HAProxy version the checks target, and why. Pure: the callers (CLI, language server) gather the
// inputs — the flag or setting, the manifest, the versions recorded from the hosts, the local binary's
// `haproxy -v` — and this module picks one, in that order, and says where it came from.
import { compareVersions } from './schema';

/** Debian stable's HAProxy branch (Debian 13 "trixie" ships 3.0): the version when nothing else tells. */
export const DEBIAN_STABLE_HAPROXY = '3.0';
export const DEBIAN_STABLE_NAME = 'Debian 13';

export type VersionOrigin = 'flag' | 'setting' | 'manifest' | 'hosts' | 'local' | 'default';

export interface TargetVersion {
  /** major.minor, e.g. "3.0". */
  version: string;
  origin: VersionOrigin;
  /** For people: "from haconf.yaml line 4", "local /usr/sbin/haproxy 2.6.12", "default: Debian 13's 3.0". */
  reason: string;
}

export interface VersionInputs {
  flag?: string;
  setting?: string;
  /** `haproxy: { version: … }` of the manifest (cluster level, or the hosts' own). */
  manifest?: { version: string; file: string; line: number };
  /** Versions recorded from the hosts by `haconf pull` / `deploy` (full `haproxy -v` version strings). */
  hosts?: Array<{ host: string; version: string }>;
  /** The local binary: its path and the first line of `haproxy -v`. */
  local?: { path: string; output: string };
}

/** "HAProxy version 2.6.12-1+deb12u4 2026/…" (or "HA-Proxy version 1.8…") → { full: "2.6.12-1+deb12u4", branch: "2.6" }. */
export function parseHaproxyVersionOutput(output: string): { full: string; branch: string } | undefined {
  const m = /HA-?Proxy version (\d+)\.(\d+)(\S*)/.exec(output);
  return m ? { full: `${m[1]}.${m[2]}${m[3]}`, branch: `${m[1]}.${m[2]}` } : undefined;
}

/** "3.0", "3.0.11", "v3.2" → "3.0" / "3.2"; undefined for anything else. */
export function branchOf(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:[.-]\S*)?$/.exec(version.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** Debian stable's keepalived branch (Debian 13 ships 2.3.3). */
export const DEBIAN_STABLE_KEEPALIVED = '2.3';

/** "Keepalived v2.2.7 (01/16,2022)" → { full: "2.2.7", branch: "2.2" }. */
export function parseKeepalivedVersionOutput(output: string): { full: string; branch: string } | undefined {
  const m = /Keepalived v(\d+)\.(\d+)(\S*)/.exec(output);
  return m ? { full: `${m[1]}.${m[2]}${m[3]}`, branch: `${m[1]}.${m[2]}` } : undefined;
}

/**
 * The keepalived branch to check for, in the same order as HAProxy's: the flag or setting, the manifest's
 * `keepalived: { version }`, the recorded `keepalived -v` of the hosts (the oldest), the local binary, else
 * Debian stable's 2.3. `hosts[].version` and `local.output` are `keepalived -v` first lines.
 */
export function resolveKeepalivedVersion(inputs: VersionInputs): TargetVersion {
  const flag = inputs.flag && branchOf(inputs.flag);
  if (flag) return { version: flag, origin: 'flag', reason: `from --keepalived-version ${inputs.flag}` };
  const setting = inputs.setting && branchOf(inputs.setting);
  if (setting) return { version: setting, origin: 'setting', reason: 'from the haconf.keepalived.version setting' };
  const manifest = inputs.manifest && branchOf(inputs.manifest.version);
  if (manifest) return { version: manifest, origin: 'manifest', reason: `from ${inputs.manifest!.file} line ${inputs.manifest!.line}` };
  const hosts = (inputs.hosts ?? []).map((h) => ({ host: h.host, parsed: parseKeepalivedVersionOutput(h.version) })).filter((h) => h.parsed);
  if (hosts.length) {
    const oldest = hosts.reduce((a, b) => (compareVersions(b.parsed!.branch, a.parsed!.branch) < 0 ? b : a));
    const all = hosts.map((h) => `${h.host} ${h.parsed!.full}`).join(', ');
    return { version: oldest.parsed!.branch, origin: 'hosts', reason: hosts.length > 1 ? `from the hosts (${all}; the oldest)` : `from host ${all}` };
  }
  const local = inputs.local && parseKeepalivedVersionOutput(inputs.local.output);
  if (local) return { version: local.branch, origin: 'local', reason: `local ${inputs.local!.path} ${local.full}` };
  return { version: DEBIAN_STABLE_KEEPALIVED, origin: 'default', reason: `default: ${DEBIAN_STABLE_NAME}'s ${DEBIAN_STABLE_KEEPALIVED}` };
}

export function resolveHaproxyVersion(inputs: VersionInputs): TargetVersion {
  const flag = inputs.flag && branchOf(inputs.flag);
  if (flag) return { version: flag, origin: 'flag', reason: `from --haproxy-version ${inputs.flag}` };
  const setting = inputs.setting && branchOf(inputs.setting);
  if (setting) return { version: setting, origin: 'setting', reason: `from the haconf.haproxyVersion setting` };
  const manifest = inputs.manifest && branchOf(inputs.manifest.version);
  if (manifest) return { version: manifest, origin: 'manifest', reason: `from ${inputs.manifest!.file} line ${inputs.manifest!.line}` };
  const hosts = (inputs.hosts ?? []).map((h) => ({ ...h, branch: branchOf(h.version) })).filter((h) => h.branch);
  if (hosts.length) {
    // Several hosts: the oldest branch, so what one node refuses is never called fine.
    const oldest = hosts.reduce((a, b) => (compareVersions(b.branch!, a.branch!) < 0 ? b : a));
    const all = hosts.map((h) => `${h.host} ${h.version}`).join(', ');
    return { version: oldest.branch!, origin: 'hosts', reason: hosts.length > 1 ? `from the hosts (${all}; the oldest)` : `from host ${all}` };
  }
  const local = inputs.local && parseHaproxyVersionOutput(inputs.local.output);
  if (local) return { version: local.branch, origin: 'local', reason: `local ${inputs.local!.path} ${local.full.replace(/-.*$/, '')}` };
  return { version: DEBIAN_STABLE_HAPROXY, origin: 'default', reason: `default: ${DEBIAN_STABLE_NAME}'s ${DEBIAN_STABLE_HAPROXY}` };
}
