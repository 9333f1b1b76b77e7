// The manifest's ssh.knownHostsFile: ssh reads host keys from it and, with accept-new, appends new ones.
// A manifest must neither switch host-key checking off (`/dev/null` accepts every key, every time) nor
// make ssh append to a file of the user's (`~/.bashrc`). So the file must be a regular file (or not exist
// yet) inside the manifest's folder or ~/.ssh, reached without symbolic links, or a file the user named
// in HACONF_KNOWN_HOSTS (their choice, not the workspace's); with accept-new it must also be writable.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInside, unsafeExistingFile } from '../core/safeWrite';
import { knownHostsPath, knownHostsPathProblem, userChosenKnownHosts } from '../manifest/paths';
import type { ManifestHost } from '../manifest/model';

/**
 * Every problem with the selected hosts' knownHostsFile settings, checked on the file system as well;
 * one message per distinct file. Empty when all are usable.
 */
export function knownHostsProblems(manifestFile: string, manifestDir: string, hosts: ManifestHost[], allowed: string[] = userChosenKnownHosts()): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const h of hosts) {
    const value = h.ssh.knownHostsFile;
    if (value === undefined) continue;
    const acceptNew = h.ssh.strictHostKeyChecking === 'accept-new';
    const key = `${value}\0${acceptNew}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = `${manifestFile}: host ${h.name}: ssh.knownHostsFile ${value}`;
    const pathProblem = knownHostsPathProblem(manifestDir, value, allowed);
    if (pathProblem) {
      out.push(`${where} ${pathProblem}`);
      continue;
    }
    const abs = knownHostsPath(manifestDir, value);
    const root = allowed.includes(abs) ? path.dirname(abs) : isInside(manifestDir, abs) ? manifestDir : path.join(os.homedir(), '.ssh');
    const unsafe = unsafeExistingFile(root, abs);
    if (unsafe) {
      out.push(`${where}: ${unsafe}; ssh would ${acceptNew ? 'append host keys to' : 'read host keys from'} it. Use a regular file`);
      continue;
    }
    if (acceptNew && !writable(abs))
      out.push(`${where}: accept-new needs to record new host keys there, but the file cannot be written; fix its permissions or use strictHostKeyChecking: yes with a prepared file`);
  }
  return out;
}

function writable(file: string): boolean {
  try {
    fs.accessSync(fs.existsSync(file) ? file : path.dirname(file), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
