// Descriptions of HAProxy sample fetches, converters and ACL keywords (server/data/descriptions/
// haproxy-samples.json, generated from our own words by scripts/gen-haproxy-sample-descriptions.ts) joined
// with the facts of server/data/descriptions/haproxy-sample-facts.json (manual chapter per version, argument
// names, where a fetch can be used) and the per-version data of server/data/haproxy-fetches.json.
// Both JSON files are read on the first hover over a fetch or converter, never before: keyword hovers and
// the checks do not pay for them.
import { compareVersions } from '../core/schema';
import { lookupAclKeyword, lookupConverter, lookupFetch, type AclKeyword, type SampleKeyword } from '../haproxy/fetchData';
import type { Description, DescriptionFile, ManualLink } from './descriptions';

export type SampleKind = 'fetch' | 'converter';

interface SampleFacts {
  manuals: string[];
  /** The development branch (its manual is at docs.haproxy.org/dev/). */
  dev: string;
  /** `fetch/<name>` → `<first>-<last>:<chapter>` runs over manual versions. */
  anchors: Record<string, string>;
  args: Record<string, string[]>;
  use: Record<string, string[]>;
  /** `fetch/<name>` → first manual version marking it deprecated. */
  deprecated: Record<string, string>;
}

let samples: DescriptionFile | undefined;
let facts: SampleFacts | undefined;

/** The descriptions file (fetch, converter and match groups). */
export function sampleDescriptionFile(): DescriptionFile {
  // Static requires keep the JSON inside the esbuild bundle; parsed on first use only.
  samples ??= require('../../data/descriptions/haproxy-samples.json') as DescriptionFile;
  return samples;
}

/** The generated facts (chapters, signatures, contexts, deprecations). */
export function sampleFacts(): SampleFacts {
  facts ??= require('../../data/descriptions/haproxy-sample-facts.json') as SampleFacts;
  return facts;
}

/** Our description of a fetch or converter, as written (no ACL composition). */
export function describeSample(kind: SampleKind, name: string): Description | undefined {
  const raw = sampleDescriptionFile().groups[kind]?.[name];
  if (raw === undefined) return undefined;
  return typeof raw === 'string' ? { summary: raw } : raw;
}

/** The text of an ACL match method (`beg` → "Prefix match: …"). */
export function describeMatch(method: string): string | undefined {
  const raw = sampleDescriptionFile().groups.match?.[method];
  return typeof raw === 'string' ? raw : raw?.summary;
}

/** Our text of a predefined ACL (`METH_POST`, `LOCALHOST`, …). */
export function describePredefinedAcl(name: string): string | undefined {
  const raw = sampleDescriptionFile().groups.predefined?.[name];
  return typeof raw === 'string' ? raw : raw?.summary;
}

export interface AclDescription {
  acl: AclKeyword;
  /** The sample fetch the ACL keyword reads. */
  fetch: string;
  /** `-m` method. */
  match: string;
  /** The match method's text. */
  matchText: string;
  /** The fetch's description. */
  fetchDescription?: Description;
}

/**
 * An ACL keyword such as `path_beg` (`path -m beg`): the fetch it reads and the match method it applies.
 * Undefined for names that are not ACL keywords.
 */
export function describeAclKeyword(name: string): AclDescription | undefined {
  const acl = lookupAclKeyword(name);
  if (!acl) return undefined;
  const match = acl.match;
  return {
    acl,
    fetch: acl.fetch,
    match,
    matchText: describeMatch(match) ?? `\`-m ${match}\` match.`,
    fetchDescription: describeSample('fetch', acl.fetch),
  };
}

export interface SampleArgDoc {
  name: string;
  kind: string;
  optional: boolean;
  text?: string;
}

/** Argument names (newest manual signature, else our description, else the kind), kinds and texts. */
export function sampleArgs(kind: SampleKind, spec: SampleKeyword): SampleArgDoc[] {
  const described = describeSample(kind, spec.name)?.args ?? {};
  const keys = Object.keys(described);
  const names = sampleFacts().args[`${kind}/${spec.name}`] ?? keys;
  return spec.args.map((a, i) => {
    // Past the signature's names: a described extra (`url_param`'s case flag), else more of the last one
    // (`acl(a,b,…)`, `set-var`'s conditions).
    const name = names[i] ?? keys[i] ?? names[names.length - 1] ?? a.kind;
    return { name, kind: a.kind, optional: !!a.optional, text: described[name] };
  });
}

/** `req.hdr([<name>[,<occ>]])`. */
export function sampleSignature(name: string, args: SampleArgDoc[], variadic = false): string {
  if (!args.length) return name;
  let out = '';
  let open = 0;
  args.forEach((a, i) => {
    const sep = i ? ',' : '';
    if (a.optional) {
      out += `[${sep}<${a.name}>`;
      open++;
    } else out += `${sep}<${a.name}>`;
  });
  return `${name}(${out}${variadic ? ',…' : ''}${']'.repeat(open)})`;
}

const CONTEXT_TEXT: Record<string, string> = {
  conn: '`tcp-request connection`',
  sess: '`tcp-request session`',
  req: 'request rules (`tcp-request content`, `http-request`, `use_backend`, `balance`, stick rules)',
  res: 'response rules (`tcp-response content`, `http-response`, `stick store-response`)',
  log: 'log formats',
  check: '`tcp-check` / `http-check` rules',
  cfg: 'the configuration parser (constant at start-up)',
};

/** Where the real binaries let a fetch be used, in words; undefined when no binary registered it. */
export function sampleUse(name: string): string | undefined {
  const use = sampleFacts().use[name];
  if (!use?.length) return undefined;
  return use.map((c) => CONTEXT_TEXT[c] ?? c).join('; ');
}

/** Manual chapter 7.3.x → what it covers (the layer a fetch works at). */
const LAYER: Record<string, string> = {
  '7.3.1': 'converter',
  '7.3.2': 'internal state (no traffic needed)',
  '7.3.3': 'layer 4 (the connection: addresses, ports, stick counters)',
  '7.3.4': 'layer 5 (session: TLS, PROXY protocol, connection state)',
  '7.3.5': 'layer 6 (raw buffer contents)',
  '7.3.6': 'layer 7 (HTTP)',
  '7.3.7': 'developer internals',
};

/** Versions (manuals) documenting `key`, with the chapter in each. */
function documented(key: string): Map<string, string> {
  const f = sampleFacts();
  const out = new Map<string, string>();
  const runs = f.anchors[key];
  if (!runs) return out;
  for (const run of runs.split(' ')) {
    const [span, chapter] = run.split(':');
    const [first, last] = span.split('-');
    for (const v of f.manuals) if (compareVersions(v, first) >= 0 && compareVersions(v, last) <= 0) out.set(v, chapter);
  }
  return out;
}

/** Names documented under a family heading only: their anchor is the family's. */
function anchorKey(kind: SampleKind, name: string): string {
  const own = `${kind}/${name}`;
  if (sampleFacts().anchors[own]) return own;
  if (kind === 'converter' && name.startsWith('map_')) return 'converter/map';
  // An old spelling documented only under its new name.
  if (name === 'bc_setting_streams_limit') return 'fetch/bc_settings_streams_limit';
  const sc = /^sc\d_(.*)$/.exec(name);
  if (kind === 'fetch' && sc && sampleFacts().anchors[`fetch/sc_${sc[1]}`]) return `fetch/sc_${sc[1]}`;
  return own;
}

/**
 * Whether the manual of `version` documents the name (its own heading or its family's); undefined when no
 * manual of that version was read. Answers for versions older than the fetch data (2.4, 1.8, …).
 */
export function documentedInManual(kind: SampleKind, name: string, version: string): boolean | undefined {
  if (!sampleFacts().manuals.includes(version)) return undefined;
  return documented(anchorKey(kind, name)).has(version);
}

export interface Deprecation {
  /** The first manual version (of those read, 1.8 on) that marks it deprecated. */
  since: string;
  /** The name to use instead, when our description names one (`Old name of \`req.len\``). */
  replacement?: string;
}

/** Whether the manuals mark a fetch or converter deprecated, and what replaces it. */
export function sampleDeprecation(kind: SampleKind, name: string): Deprecation | undefined {
  const since = sampleFacts().deprecated[`${kind}/${name}`];
  if (!since) return undefined;
  const replacement = /^(?:Old|Short) name of `([^`]+)`/.exec(describeSample(kind, name)?.summary ?? '')?.[1];
  return { since, ...(replacement ? { replacement } : {}) };
}

/** The layer a fetch works at, from its manual chapter. */
export function sampleLayer(kind: SampleKind, name: string): string | undefined {
  const chapters = documented(anchorKey(kind, name));
  const last = [...chapters.values()].pop();
  return last && kind === 'fetch' ? LAYER[last] : undefined;
}

function versionOrdinal(v: string): number {
  const [major, minor] = v.split('.').map((x) => parseInt(x, 10) || 0);
  return major * 10 + minor;
}

/**
 * The docs.haproxy.org anchor of a fetch or converter in the target version's manual (`#7.3.6-req.hdr`);
 * when that manual does not document it, the closest version that does (labelled with it).
 */
export function sampleManualLink(kind: SampleKind, name: string, target: string | undefined): ManualLink | undefined {
  const key = anchorKey(kind, name);
  const chapters = documented(key);
  if (!chapters.size) return undefined;
  // Releases first, as keyword links do; the development manual only for names no release documents yet.
  const dev = sampleFacts().dev;
  const releases = [...chapters.keys()].filter((v) => v !== dev);
  const anchorOf = (v: string) => `${chapters.get(v)}-${encodeURIComponent(key.slice(key.indexOf('/') + 1))}`;
  if (!releases.length) return { url: `https://docs.haproxy.org/dev/configuration.html#${anchorOf(dev)}`, label: `HAProxy ${dev}-dev manual` };
  const distance = (v: string) => (target ? Math.abs(versionOrdinal(v) - versionOrdinal(target)) : -versionOrdinal(v));
  const version = target && releases.includes(target) ? target : releases.sort((a, b) => distance(a) - distance(b) || compareVersions(b, a))[0];
  return { url: `https://docs.haproxy.org/${version}/configuration.html#${anchorOf(version)}`, label: `HAProxy ${version} manual` };
}

/** The closest manual at or before the target whose chapter 7.4 lists the predefined ACLs (all from 1.8 on). */
export function predefinedAclLink(target: string | undefined): ManualLink {
  const { manuals, dev } = sampleFacts();
  const releases = manuals.filter((v) => v !== dev);
  const version = target && releases.includes(target) ? target : releases[releases.length - 1];
  return { url: `https://docs.haproxy.org/${version}/configuration.html#7.4`, label: `HAProxy ${version} manual, predefined ACLs` };
}

/** The data of a fetch or converter (per-version ranges, argument kinds). */
export function sampleSpec(kind: SampleKind, name: string): SampleKeyword | undefined {
  return kind === 'fetch' ? lookupFetch(name) : lookupConverter(name);
}
