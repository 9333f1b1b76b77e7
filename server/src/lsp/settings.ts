// The `haconf.*` settings the server honours, read from workspace/configuration or didChangeConfiguration.
import type { CheckOptions, SeveritySetting } from '../core/types';
import { DEFAULT_HAPROXY_VERSION } from '../core/types';

export interface ServerSettings {
  haproxyVersion: string;
  severities: Record<string, SeveritySetting>;
  trace: 'off' | 'messages' | 'verbose';
  /** Opt-in: also run the local haproxy -c / keepalived -t / corosync -t on save (trusted workspaces only). */
  validateWithLocalTools: boolean;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function defaultSettings(): ServerSettings {
  return { haproxyVersion: DEFAULT_HAPROXY_VERSION, severities: {}, trace: 'off', validateWithLocalTools: false };
}

/** Tolerates missing or mistyped values: a bad setting falls back to the default instead of breaking the server. */
export function readSettings(raw: unknown): ServerSettings {
  const s = defaultSettings();
  if (!raw || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  const hap = o.haproxy as Record<string, unknown> | undefined;
  const version = hap?.version ?? o['haproxy.version'];
  if (typeof version === 'string' && /^\d+\.\d+$/.test(version)) s.haproxyVersion = version;
  const rules = o.rules;
  if (rules && typeof rules === 'object') {
    for (const [code, sev] of Object.entries(rules as Record<string, unknown>)) if (typeof sev === 'string' && SEVERITIES.has(sev)) s.severities[code] = sev as SeveritySetting;
  }
  const trace = (o.trace as Record<string, unknown> | undefined)?.server ?? o['trace.server'];
  if (trace === 'messages' || trace === 'verbose') s.trace = trace;
  if (o.validateWithLocalTools === true) s.validateWithLocalTools = true;
  return s;
}

export function toCheckOptions(s: ServerSettings): CheckOptions {
  return { haproxyVersion: s.haproxyVersion, severities: s.severities };
}
