import * as path from 'node:path';
import type { Language } from '../core/types';

const LANGS: Language[] = ['haproxy', 'keepalived', 'corosync'];

/** Recognises a config by its name or the folder it sits in; undefined when the name says nothing. */
export function languageFromPath(file: string): Language | undefined {
  const base = path.basename(file).toLowerCase();
  if (/^haproxy.*\.cfg$/.test(base) || base.endsWith('.haproxy')) return 'haproxy';
  if (/^keepalived.*\.conf$/.test(base)) return 'keepalived';
  if (/^corosync.*\.conf$/.test(base)) return 'corosync';
  const dirs = path.dirname(file).toLowerCase().split(/[\\/]/);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const d = dirs[i];
    if (d === 'haproxy' && base.endsWith('.cfg')) return 'haproxy';
    if (d === 'keepalived' && base.endsWith('.conf')) return 'keepalived';
    if (d === 'corosync' && base.endsWith('.conf')) return 'corosync';
  }
  return undefined;
}

/** Recognises a config by what its first statements look like. */
export function languageFromContent(text: string): Language | undefined {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const score: Record<Language, number> = { haproxy: 0, keepalived: 0, corosync: 0 };
  for (const raw of head.split('\n', 400)) {
    const line = raw.replace(/[#!].*$/, '').trim();
    if (!line) continue;
    // nginx and friends use braces and semicolons; HAProxy never does.
    const braceless = !line.includes('{') && !line.endsWith(';');
    if (braceless && /^(global|defaults|frontend|backend|listen|userlist|resolvers|peers)(\s|$)/.test(line)) score.haproxy += 2;
    if (braceless && /^(server|bind|mode|balance|timeout|option|maxconn)\s/.test(line)) score.haproxy += 1;
    if (/^(vrrp_instance|vrrp_script|global_defs|virtual_server|vrrp_sync_group|static_ipaddress|virtual_server_group)\b/.test(line)) score.keepalived += 3;
    if (/^(virtual_router_id|virtual_ipaddress|auth_pass|track_script)\b/.test(line)) score.keepalived += 2;
    if (/^(totem|nodelist|quorum|logging)\s*\{/.test(line)) score.corosync += 3;
    if (/^[a-z_0-9]+\s*:\s*\S/.test(line)) score.corosync += 1;
  }
  let best: Language | undefined;
  let bestScore = 1;
  for (const l of LANGS) {
    if (score[l] > bestScore) {
      best = l;
      bestScore = score[l];
    }
  }
  return best;
}

export function detectLanguage(file: string, text?: string): Language | undefined {
  return languageFromPath(file) ?? (text !== undefined ? languageFromContent(text) : undefined);
}

export function isLanguage(s: string): s is Language {
  return (LANGS as string[]).includes(s);
}
