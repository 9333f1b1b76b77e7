// Shape of the generated keyword data under server/data/. The files are produced
// by scripts/gen-schemas.ts from the upstream manuals and committed; rules and
// completion read them through the per-language loaders.

export type ArgType =
  | 'int' // plain integer; min/max apply
  | 'time' // number with optional unit us/ms/s/m/h/d (HAProxy), or seconds
  | 'size' // number with optional k/m/g suffix
  | 'port' // 1..65535
  | 'address' // IPv4/IPv6/hostname with optional :port
  | 'ip' // bare IPv4/IPv6, optional /prefix when `prefix` is set
  | 'enum' // one of `values`
  | 'bool' // on/off, yes/no, true/false, 0/1 as the daemon accepts
  | 'name' // identifier referring to another object (backend, vrrp_script...)
  | 'path'
  | 'string';

export interface ArgSpec {
  name: string;
  type: ArgType;
  values?: string[];
  min?: number;
  max?: number;
  optional?: boolean;
  /** Consumes all remaining words. */
  rest?: boolean;
  /** Enum values that exist only in some versions (`mode log` from 2.9); values not listed exist in all. */
  valueVersions?: Record<string, VersionInfo>;
}

/** Versions are "major.minor" strings; ranges are [added, removed). */
export interface VersionInfo {
  added?: string;
  deprecated?: string;
  removed?: string;
  /** What to write instead, shown in removed/deprecated messages and used by quick fixes. */
  replacement?: string;
}

export interface KeywordSpec extends VersionInfo {
  name: string;
  /** Sections (or block kinds) where the keyword is allowed. */
  sections: string[];
  /** Sections where the daemon accepts it with only a warning. */
  warnSections?: string[];
  args?: ArgSpec[];
  /** Anchor or URL into the upstream manual. */
  manual?: string;
  /** Short description in our own words (never manual text). */
  summary?: string;
}

export interface KeywordSchema {
  language: 'haproxy' | 'keepalived' | 'corosync';
  /** Version of the manual the facts were extracted from. */
  sourceVersion: string;
  /** How the file was produced: script and inputs. */
  generatedFrom: string;
  sections: KeywordSpec[];
  keywords: KeywordSpec[];
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export type VersionStatus = 'ok' | 'not-yet' | 'deprecated' | 'removed';

export function versionStatus(v: VersionInfo, target: string): VersionStatus {
  if (v.added && compareVersions(target, v.added) < 0) return 'not-yet';
  if (v.removed && compareVersions(target, v.removed) >= 0) return 'removed';
  if (v.deprecated && compareVersions(target, v.deprecated) >= 0) return 'deprecated';
  return 'ok';
}

/** Levenshtein distance, capped, for "did you mean". */
export function editDistance(a: string, b: string, cap = 4): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length];
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  for (const c of candidates) {
    const d = editDistance(word, c, bestD);
    if (d <= bestD && (best === undefined || d < bestD)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
