import * as path from 'node:path';
import { homeDir } from '../core/homeDir';
import { isInside } from '../core/safeWrite';

// Remote paths end up in commands run over ssh. Rather than trusting quoting alone, targets are held to
// an allow-list of characters real config paths use, and must be absolute and normalised.
const SAFE_PATH = /^\/[A-Za-z0-9._@+\-/]*$/;

export function unsafeTargetReason(target: string): string | undefined {
  if (!target.startsWith('/')) return 'must be an absolute path';
  if (!SAFE_PATH.test(target)) return 'may only contain letters, digits and . _ @ + - /';
  if (target.split('/').some((seg) => seg === '..' || seg === '.')) return 'must not contain . or .. segments';
  if (target.includes('//')) return 'must not contain empty segments (//)';
  if (target.endsWith('/')) return 'must name a file, not a directory';
  return undefined;
}

// ssh.knownHostsFile (see deploy/knownHosts.ts for the checks on the file itself).
export const KNOWN_HOSTS_ENV = 'HACONF_KNOWN_HOSTS';

/** The absolute path ssh will use: `~/` is the home folder, relative paths are the manifest folder's. */
export function knownHostsPath(manifestDir: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(homeDir(), p.slice(1));
  return path.resolve(manifestDir, p);
}

/** Files the user allowed explicitly, from the environment (path-list separated). */
export function userChosenKnownHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[KNOWN_HOSTS_ENV] ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((p) => knownHostsPath(process.cwd(), p));
}

/** Why a knownHostsFile value can never be right, from the path alone (for the manifest's findings). */
export function knownHostsPathProblem(manifestDir: string, value: string, allowed: string[] = userChosenKnownHosts()): string | undefined {
  if (value.startsWith('~') && value !== '~' && !value.startsWith('~/')) return 'only ~/ (your own home) is expanded here';
  const abs = knownHostsPath(manifestDir, value);
  if (allowed.includes(abs)) return undefined;
  if (abs === '/dev/null' || isInside('/dev', abs) || isInside('/proc', abs) || isInside('/sys', abs))
    return 'is a device, not a known_hosts file: ssh would accept any host key and remember none, which turns host-key checking off';
  const sshDir = path.join(homeDir(), '.ssh');
  if (!isInside(manifestDir, abs) && !isInside(sshDir, abs)) return `is outside the manifest's folder and ${sshDir}; name a file there, or allow this one yourself with ${KNOWN_HOSTS_ENV}=${abs}`;
  return undefined;
}
