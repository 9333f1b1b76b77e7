// Which daemon a file configures. One function, `detectLanguage`, decides it everywhere: the CLI's walk, the
// language server's first scan and watched changes, and the editor (the client asks the server). By name
// first (the user's `haconf.files.associations`, then the names the README lists); by content only for
// `*.cfg`/`*.conf` files, never for YAML, JSON or anything else: a docker-compose.yml is full of `key: value`
// lines that would otherwise read as corosync.
import * as path from 'node:path';
import type { Language } from '../core/types';
import { pathGlobToRegExp } from '../core/glob';
import { hasTemplateSuffix, stripTemplateSuffix } from '../templates/names';
import { hasJinja } from '../templates/jinja';
import { maskTemplate } from '../templates/mask';

const LANGS: Language[] = ['haproxy', 'keepalived', 'corosync'];

/** One `haconf.files.associations` entry, compiled. */
export interface Association {
  pattern: string;
  language: Language;
  /** Patterns with a `/` match the whole path, others the file name (as in VS Code's `files.associations`). */
  wholePath: boolean;
  re: RegExp;
}

/**
 * Compiles `{ glob: language }`; entries with an unknown language or an empty glob are skipped. A pattern
 * with a `/` that is not absolute and does not start with `**` matches at any depth (`lb/*.conf` is
 * `**` + `/lb/*.conf`), so a workspace-relative pattern works too.
 */
export function compileAssociations(raw: unknown): Association[] {
  if (!raw || typeof raw !== 'object') return [];
  const out: Association[] = [];
  for (const [pattern, language] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof language !== 'string' || !isLanguage(language) || !pattern.trim()) continue;
    const glob = pattern.trim().replace(/\\/g, '/');
    const wholePath = glob.includes('/');
    const anchored = !wholePath || glob.startsWith('/') || glob.startsWith('**') ? glob : `**/${glob}`;
    out.push({ pattern, language, wholePath, re: pathGlobToRegExp(anchored) });
  }
  return out;
}

/** The language the user's associations give a path, if any (the last matching entry wins, as in VS Code). */
export function languageFromAssociations(file: string, associations: readonly Association[]): Language | undefined {
  if (!associations.length) return undefined;
  const full = file.replace(/\\/g, '/');
  const base = path.basename(full);
  let found: Language | undefined;
  for (const a of associations) if (a.re.test(a.wholePath ? full : base)) found = a.language;
  return found;
}

/** Recognises a config by its name or the folder it sits in; undefined when the name says nothing. */
export function languageFromPath(file: string, associations: readonly Association[] = []): Language | undefined {
  const associated = languageFromAssociations(file, associations);
  if (associated) return associated;
  // A Jinja2 template (`haproxy.cfg.j2`, `keepalived.conf.jinja2`) is the config its name without the suffix names.
  if (hasTemplateSuffix(file)) return languageFromPath(stripTemplateSuffix(file), associations);
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

/** Only these files are ever recognised by their content: `*.cfg` and `*.conf`. */
export function isContentCandidate(file: string): boolean {
  return /\.(cfg|conf)$/i.test(stripTemplateSuffix(file));
}

/**
 * Recognises a config by what its first statements look like. Each language needs its own structural
 * anchor, not just a few plausible lines: a section header for HAProxy (an ntp.conf is all `server` lines),
 * a vrrp/virtual_server block for keepalived, a `totem {` or `nodelist {` block for corosync (a named.conf
 * has `logging {` too, with `;` at line ends that corosync never writes).
 */
export function languageFromContent(text: string): Language | undefined {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const score: Record<Language, number> = { haproxy: 0, keepalived: 0, corosync: 0 };
  const anchored: Record<Language, boolean> = { haproxy: false, keepalived: false, corosync: false };
  let semicolons = 0;
  for (const raw of head.split('\n', 400)) {
    const line = raw.replace(/[#!].*$/, '').trim();
    if (!line) continue;
    if (line.endsWith(';')) semicolons++;
    // nginx and friends use braces and semicolons; HAProxy never does.
    const braceless = !line.includes('{') && !line.endsWith(';');
    if (braceless && /^(global|defaults|frontend|backend|listen|userlist|resolvers|peers)(\s|$)/.test(line)) {
      score.haproxy += 2;
      anchored.haproxy = true;
    }
    if (braceless && /^(server|bind|mode|balance|timeout|option|maxconn)\s/.test(line)) score.haproxy += 1;
    if (/^(vrrp_instance|vrrp_script|global_defs|virtual_server|vrrp_sync_group|static_ipaddress|virtual_server_group)\b/.test(line)) {
      score.keepalived += 3;
      anchored.keepalived = true;
    }
    if (/^(virtual_router_id|virtual_ipaddress|auth_pass|track_script)\b/.test(line)) score.keepalived += 2;
    if (/^(totem|nodelist)\s*\{/.test(line)) anchored.corosync = true;
    if (/^(totem|nodelist|quorum|logging)\s*\{/.test(line)) score.corosync += 3;
    if (/^[a-z_0-9]+\s*:\s*\S/.test(line)) score.corosync += 1;
  }
  if (semicolons >= 2) {
    anchored.keepalived = false;
    anchored.corosync = false;
  }
  let best: Language | undefined;
  let bestScore = 1;
  for (const l of LANGS) {
    if (anchored[l] && score[l] > bestScore) {
      best = l;
      bestScore = score[l];
    }
  }
  return best;
}

/**
 * The one detection used everywhere: by name (associations, then built-in names), else by content for
 * `*.cfg`/`*.conf` files only. `text` may be a function so that callers read a file only when needed.
 */
export function detectLanguage(file: string, text?: string | (() => string | undefined), associations: readonly Association[] = []): Language | undefined {
  const byName = languageFromPath(file, associations);
  if (byName) return byName;
  if (!isContentCandidate(file)) return undefined;
  const content = typeof text === 'function' ? text() : text;
  if (content === undefined) return undefined;
  // Jinja syntax is blanked first so `{% for %}` lines and `{{ }}` braces do not count for or against a language.
  return languageFromContent(hasJinja(content) ? maskTemplate(content, 'corosync').text : content);
}

export function isLanguage(s: string): s is Language {
  return (LANGS as string[]).includes(s);
}
