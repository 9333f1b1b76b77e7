// What the hosts run: `haconf pull`/`deploy` record each host's `haproxy -v`, `keepalived -v` and
// `corosync -v` first lines in .haconf/host-versions.json beside haconf.yaml, so later checks target the
// version the nodes really run (core/targetVersion.ts) without connecting again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from './model';
import { writeAtomicConfined } from '../core/safeWrite';
import { branchOf, parseHaproxyVersionOutput, type VersionInputs } from '../core/targetVersion';
import { compareVersions } from '../core/schema';
import type { Range } from '../core/types';

export const HOST_VERSIONS_FILE = path.join('.haconf', 'host-versions.json');

export interface HostVersionRecord {
  /** First lines of `haproxy -v`, `keepalived -v`, `corosync -v`, as the host printed them. */
  haproxy?: string;
  keepalived?: string;
  corosync?: string;
  /** ISO time of the reading. */
  recorded: string;
}

export type HostVersions = Record<string, HostVersionRecord>;

/** The recorded versions; {} when there is no file or it is unreadable (a stale or broken record never blocks a check). */
export function readHostVersions(manifestDir: string): HostVersions {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(manifestDir, HOST_VERSIONS_FILE), 'utf8'));
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as HostVersions) : {};
  } catch {
    return {};
  }
}

/** Merges new readings into the record (hosts not read this time keep theirs); never through a link. */
export function writeHostVersions(manifestDir: string, readings: HostVersions): void {
  const merged = { ...readHostVersions(manifestDir), ...readings };
  writeAtomicConfined(manifestDir, path.join(manifestDir, HOST_VERSIONS_FILE), JSON.stringify(merged, null, 2) + '\n');
}

/** The manifest's and the recorded hosts' part of the version inputs. */
export function manifestVersionInputs(manifest: Manifest): Pick<VersionInputs, 'manifest' | 'hosts'> {
  const out: Pick<VersionInputs, 'manifest' | 'hosts'> = {};
  const name = path.basename(manifest.file);
  const written = manifest.haproxyVersion ?? oldestHostVersion(manifest);
  if (written && branchOf(written.value)) out.manifest = { version: written.value, file: name, line: written.range.start.line + 1 };
  const recorded = readHostVersions(manifest.dir);
  const hosts = manifest.hosts.map((h) => ({ host: h.name, version: parseHaproxyVersionOutput(recorded[h.name]?.haproxy ?? '')?.full ?? '' })).filter((h) => h.version);
  if (hosts.length) out.hosts = hosts;
  return out;
}

/** The manifest's and the recorded hosts' part of the keepalived version inputs (`keepalived -v` lines). */
export function manifestKeepalivedInputs(manifest: Manifest): Pick<VersionInputs, 'manifest' | 'hosts'> {
  const out: Pick<VersionInputs, 'manifest' | 'hosts'> = {};
  const written = manifest.keepalivedVersion ?? oldestHostVersion(manifest, 'keepalivedVersion');
  if (written && branchOf(written.value)) out.manifest = { version: written.value, file: path.basename(manifest.file), line: written.range.start.line + 1 };
  const recorded = readHostVersions(manifest.dir);
  const hosts = manifest.hosts.map((h) => ({ host: h.name, version: recorded[h.name]?.keepalived ?? '' })).filter((h) => h.version);
  if (hosts.length) out.hosts = hosts;
  return out;
}

/** With no cluster-level version, the oldest of the hosts' own `haproxy: { version }` (or keepalived's). */
function oldestHostVersion(manifest: Manifest, field: 'haproxyVersion' | 'keepalivedVersion' = 'haproxyVersion'): { value: string; range: Range } | undefined {
  let best: { value: string; range: Range } | undefined;
  for (const h of manifest.hosts) {
    const v = h[field];
    const b = v && branchOf(v.value);
    if (v && b && (!best || compareVersions(b, branchOf(best.value)!) < 0)) best = v;
  }
  return best;
}
