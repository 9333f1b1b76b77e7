// The `haconf.*` settings the server honours, read from workspace/configuration or didChangeConfiguration.
import type { CheckOptions, SeveritySetting } from '../core/types';
import { DEFAULT_HAPROXY_VERSION } from '../core/types';
import { isLanguage } from '../engine/detect';
import type { Language } from '../core/types';

export interface ServerSettings {
  /** The version checks target: the setting when given, else what lsp/targetVersion.ts finds. */
  haproxyVersion: string;
  /** `haconf.haproxy.version` as set; empty or absent means "find it" (manifest, hosts, local binary). */
  haproxyVersionSetting?: string;
  /** The version in force is what the hosts run (findings then say "your hosts run 3.2"). */
  haproxyVersionFromHosts?: boolean;
  /** The keepalived branch checks target: the setting when given, else what lsp/targetVersion.ts finds. */
  keepalivedVersion?: string;
  /** `haconf.keepalived.version` as set; empty or absent means "find it". */
  keepalivedVersionSetting?: string;
  /** The keepalived version in force is what the hosts run. */
  keepalivedVersionFromHosts?: boolean;
  severities: Record<string, SeveritySetting>;
  trace: 'off' | 'messages' | 'verbose';
  /** Opt-in: also run the local haproxy -c / keepalived -t / corosync -t on save (trusted workspaces only). */
  validateWithLocalTools: boolean;
  /** `haconf.files.associations`: extra globs per language, compiled by engine/detect.ts. */
  associations: Record<string, Language>;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function defaultSettings(): ServerSettings {
  return { haproxyVersion: DEFAULT_HAPROXY_VERSION, severities: {}, trace: 'off', validateWithLocalTools: false, associations: {} };
}

/** Tolerates missing or mistyped values: a bad setting falls back to the default instead of breaking the server. */
export function readSettings(raw: unknown): ServerSettings {
  const s = defaultSettings();
  raw = unwrapSettings(raw);
  if (!raw || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  const hap = o.haproxy as Record<string, unknown> | undefined;
  const version = hap?.version ?? o['haproxy.version'];
  if (typeof version === 'string' && /^\d+\.\d+$/.test(version)) {
    s.haproxyVersion = version;
    s.haproxyVersionSetting = version;
  }
  const ka = (o.keepalived as Record<string, unknown> | undefined)?.version ?? o['keepalived.version'];
  if (typeof ka === 'string' && /^\d+\.\d+(\.\d+)?$/.test(ka)) s.keepalivedVersionSetting = ka;
  const rules = o.rules;
  if (rules && typeof rules === 'object') {
    for (const [code, sev] of Object.entries(rules as Record<string, unknown>)) if (typeof sev === 'string' && SEVERITIES.has(sev)) s.severities[code] = sev as SeveritySetting;
  }
  const trace = (o.trace as Record<string, unknown> | undefined)?.server ?? o['trace.server'];
  if (trace === 'messages' || trace === 'verbose') s.trace = trace;
  if (o.validateWithLocalTools === true) s.validateWithLocalTools = true;
  const associations = (o.files as Record<string, unknown> | undefined)?.associations ?? o['files.associations'];
  if (associations && typeof associations === 'object') {
    for (const [glob, lang] of Object.entries(associations as Record<string, unknown>)) if (typeof lang === 'string' && isLanguage(lang)) s.associations[glob] = lang;
  }
  return s;
}

/**
 * Editors answer `workspace/configuration` for the section `haconf` with the section itself, but some
 * send or answer the whole settings object (`{ haconf = { … } }` in a Neovim or Helix config): both are
 * accepted.
 */
export function unwrapSettings(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && 'haconf' in raw) {
    const inner = (raw as { haconf?: unknown }).haconf;
    if (inner && typeof inner === 'object') return inner;
  }
  return raw;
}

/** True when a pulled answer carries no settings at all (null, or a client that knows no such section). */
export function isEmptySettings(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'object' && Object.keys(raw as object).length === 0);
}

export function toCheckOptions(s: ServerSettings): CheckOptions {
  return {
    haproxyVersion: s.haproxyVersion,
    severities: s.severities,
    ...(s.haproxyVersionFromHosts ? { haproxyVersionFromHosts: true } : {}),
    ...(s.keepalivedVersion ? { keepalivedVersion: s.keepalivedVersion } : {}),
    ...(s.keepalivedVersionFromHosts ? { keepalivedVersionFromHosts: true } : {}),
  };
}
