// The HAProxy version the language server checks for, and why (core/targetVersion.ts decides): the
// haconf.haproxy.version setting, else the haconf.yaml at the top of a workspace folder (its
// `haproxy.version`, or the versions recorded from its hosts), else the local binary, else Debian
// stable's. Sent to the client as `haconf/targetVersion` for its status bar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveHaproxyVersion, resolveKeepalivedVersion, type TargetVersion, type VersionInputs } from '../core/targetVersion';
import { NodeSourceHost } from '../core/sourceHost';
import { loadManifest } from '../manifest/load';
import { manifestKeepalivedInputs, manifestVersionInputs } from '../manifest/hostVersions';
import { localToolVersion } from '../localtools/toolVersion';

export function lspTargetVersion(setting: string | undefined, folders: string[]): TargetVersion {
  const inputs: VersionInputs = { ...(setting ? { setting } : {}) };
  if (!setting) {
    for (const folder of folders) {
      const file = path.join(folder, 'haconf.yaml');
      if (!fs.existsSync(file)) continue;
      const found = manifestVersionInputs(loadManifest(file, new NodeSourceHost()).manifest);
      if (found.manifest || found.hosts) {
        Object.assign(inputs, found);
        break;
      }
    }
    // Only binaries outside the workspace folders: a workspace must not choose what runs here.
    if (!inputs.manifest && !inputs.hosts) inputs.local = localToolVersion('haproxy', folders);
  }
  return resolveHaproxyVersion(inputs);
}

/** The keepalived branch, found the same way: the setting, haconf.yaml, the recorded hosts, the local binary, else 2.3. */
export function lspKeepalivedVersion(setting: string | undefined, folders: string[]): TargetVersion {
  if (setting) return resolveKeepalivedVersion({ setting });
  const inputs: VersionInputs = {};
  for (const folder of folders) {
    const file = path.join(folder, 'haconf.yaml');
    if (!fs.existsSync(file)) continue;
    const found = manifestKeepalivedInputs(loadManifest(file, new NodeSourceHost()).manifest);
    if (found.manifest || found.hosts) {
      Object.assign(inputs, found);
      break;
    }
  }
  if (!inputs.manifest && !inputs.hosts) inputs.local = localToolVersion('keepalived', folders);
  return resolveKeepalivedVersion(inputs);
}
