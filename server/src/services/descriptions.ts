// Keyword descriptions written for haconf (server/data/descriptions/<language>.json) and the manual link of
// the exact anchor for the target version. They live apart from the generated schemas (server/data/*.json)
// so regenerating a schema never loses them; they are joined to a schema spec here, at hover time, by
// (group, name):
//   - HAProxy: `section` for section keywords, `proxy` for defaults/frontend/listen/backend keywords, else
//     the keyword's first section (`global`, `bind`, `server`, `userlist`, `peers`, …);
//   - keepalived: `block` for block kinds, else the keyword's first block kind (`vrrp_instance`, `root`, …);
//   - corosync: `section` for sections, else the first section path the key is valid in (`totem`, …).
// A keepalived or corosync description may also be filed under any other section the keyword is allowed in.
// The same file format takes sample fetches and converters later (groups `fetch` and `converter`).
// Descriptions are never manual text (the manuals are GPL): test/unit/descriptions.test.ts checks that every
// known keyword has one and that none shares eight consecutive words with the installed manuals.
import type { KeywordSpec } from '../core/schema';
import { compareVersions } from '../core/schema';

export type DescribedLanguage = 'haproxy' | 'keepalived' | 'corosync';

export interface Description {
  /** What it does, for an operator: one or two sentences. */
  summary: string;
  /** Argument name → what it is (type, unit, range, default), in order. Names replace the schema's `arg1`. */
  args?: Record<string, string>;
  /** The value in force when the keyword is absent. */
  default?: string;
}

export interface DescriptionFile {
  language: DescribedLanguage;
  about: string;
  /** group → keyword name → description (a plain string is a summary alone). */
  groups: Record<string, Record<string, string | Description>>;
}

interface AnchorFile {
  /** HAProxy version → manual chapter → `group/name` keys documented there. */
  versions: Record<string, Record<string, string[]>>;
}

const PROXY_SECTIONS = new Set(['defaults', 'frontend', 'listen', 'backend']);

const files: Partial<Record<DescribedLanguage, DescriptionFile>> = {};

export function descriptionFile(language: DescribedLanguage): DescriptionFile {
  let f = files[language];
  if (!f) {
    // Static requires keep the JSON inside the esbuild bundle; parsed on first use only.
    f = (
      language === 'haproxy'
        ? require('../../data/descriptions/haproxy.json')
        : language === 'keepalived'
          ? require('../../data/descriptions/keepalived.json')
          : require('../../data/descriptions/corosync.json')
    ) as DescriptionFile;
    files[language] = f;
  }
  return f;
}

/** The group a spec's description is filed under (see the header). */
export function descriptionGroup(language: DescribedLanguage, spec: KeywordSpec, isSection: boolean): string {
  if (isSection) return language === 'keepalived' ? 'block' : 'section';
  if (language === 'haproxy' && [...spec.sections, ...(spec.warnSections ?? [])].some((s) => PROXY_SECTIONS.has(s))) return 'proxy';
  return spec.sections[0] ?? '';
}

/**
 * Groups a description of this spec may be filed under: its group, then (keepalived, corosync) every other
 * section it is allowed in, so `weight` written under `vrrp_script` describes the spec shared by
 * `bfd_instance` and `vrrp_script`.
 */
export function descriptionGroups(language: DescribedLanguage, spec: KeywordSpec, isSection: boolean, scope?: string): string[] {
  const first = descriptionGroup(language, spec, isSection);
  if (isSection || language === 'haproxy') return [first];
  // The section the keyword is used in first: `weight` in a vrrp_script reads the vrrp_script text.
  const own = scope !== undefined && spec.sections.includes(scope) ? [scope] : [];
  return [...own, first, ...spec.sections.filter((s) => s !== first && s !== scope)];
}

/** The description of a spec; `scope` is the section it is used in, when known. */
export function describe(language: DescribedLanguage, spec: KeywordSpec, isSection = false, scope?: string): Description | undefined {
  const groups = descriptionFile(language).groups;
  const group = descriptionGroups(language, spec, isSection, scope).find((g) => groups[g]?.[spec.name] !== undefined);
  const raw = group === undefined ? undefined : groups[group][spec.name];
  if (raw === undefined) return spec.summary ? { summary: spec.summary } : undefined;
  return typeof raw === 'string' ? { summary: raw } : raw;
}

// ---------- manual links ----------

let anchors: Map<string, Map<string, string>> | undefined;

/** version → `group/name` → chapter. */
function haproxyAnchors(): Map<string, Map<string, string>> {
  if (anchors) return anchors;
  const file = require('../../data/descriptions/haproxy-anchors.json') as AnchorFile;
  anchors = new Map();
  for (const [version, chapters] of Object.entries(file.versions)) {
    const m = new Map<string, string>();
    for (const [chapter, keys] of Object.entries(chapters)) for (const k of keys) m.set(k, chapter);
    anchors.set(version, m);
  }
  return anchors;
}

export interface ManualLink {
  url: string;
  /** Which manual it opens, e.g. "HAProxy 3.2 manual". */
  label: string;
}

/**
 * The docs.haproxy.org anchor of the keyword in the target version's manual; when that version's chapters
 * are not known here, the closest version whose chapters are (labelled with that version, so the link is
 * never a guess), else the schema's own link.
 */
export function haproxyManualLink(spec: KeywordSpec, isSection: boolean, target: string | undefined): ManualLink | undefined {
  const key = `${descriptionGroup('haproxy', spec, isSection)}/${spec.name}`;
  const table = haproxyAnchors();
  const known = [...table.keys()].filter((v) => table.get(v)!.has(key));
  if (known.length) {
    const distance = (v: string) => (target ? Math.abs(versionNumber(v) - versionNumber(target)) : -versionNumber(v));
    // Closest version; on a tie the newer one.
    const version = known.includes(target ?? '') ? target! : known.sort((a, b) => distance(a) - distance(b) || compareVersions(b, a))[0];
    const chapter = table.get(version)!.get(key)!;
    // global/defaults/frontend/backend/listen open whole chapters (3, 4), which have no keyword anchor.
    const anchor = isSection && !chapter.includes('.') ? chapter : `${chapter}-${encodeURIComponent(spec.name)}`;
    return { url: `https://docs.haproxy.org/${version}/configuration.html#${anchor}`, label: `HAProxy ${version} manual` };
  }
  if (spec.manual && /^https?:\/\//.test(spec.manual)) {
    const v = /docs\.haproxy\.org\/(\d+\.\d+)\//.exec(spec.manual)?.[1];
    return { url: spec.manual, label: v ? `HAProxy ${v} manual` : 'HAProxy manual' };
  }
  return undefined;
}

/** An ordinal where consecutive HAProxy releases are one apart (minors run 0–9: 2.9 → 3.0 is one step). */
function versionNumber(v: string): number {
  const [major, minor] = v.split('.').map((x) => parseInt(x, 10) || 0);
  return major * 10 + minor;
}

/** keepalived.conf(5) chapter (a mandoc anchor on manpages.debian.org) for each block kind. */
const KEEPALIVED_CHAPTERS: Array<[RegExp, string]> = [
  [/^(global_defs|notification_email)$/, 'Global_definitions'],
  [/^linkbeat_interfaces$/, 'Linkbeat_interfaces'],
  [/^track_group/, 'Static_track_groups'],
  [/^static_/, 'Static_routes/addresses/rules'],
  [/^(vrrp_track_file|track_file)$/, 'Track_files'],
  [/^(vrrp_track_process|track_process)$/, 'VRRP_track_processes'],
  [/^(bfd_instance|track_bfd)$/, 'BFD_CONFIGURATION'],
  [/^vrrp_script$/, 'VRRP_script(s)'],
  [/^vrrp_sync_group$/, 'VRRP_synchronization_group(s)'],
  [/^garp_group/, 'VRRP_gratuitous_ARP_and_unsolicited_neighbour_advert_delay_group(s)'],
  [/^(vrrp_instance|authentication|unicast_peer|virtual_ipaddress|virtual_ipaddress_excluded|virtual_routes|virtual_rules|track_interface|track_script)$/, 'VRRP_instance(s)'],
  [/^interface_up_down_delays$/, 'Interface_up/down_status_change_debouncing'],
  [/^virtual_server_group$/, 'Virtual_server_group(s)'],
  [/^(virtual_server|real_server|[A-Z_]+_CHECK|HTTP_GET|SSL_GET|url|SMTP_CHECK\.host|SSL)$/, 'Virtual_server(s)'],
  [/^root$/, 'TOP_HIERACHY'],
];

/** Debian release whose man page matches the keepalived version (2.2.x bookworm, 2.3.x trixie). */
function keepalivedSuite(target: string | undefined): string {
  return target && compareVersions(target, '2.3') >= 0 ? 'trixie' : 'bookworm';
}

/**
 * keepalived.conf(5) online at the chapter that documents the keyword's block. The man page documents
 * keywords inside commented examples, so there is no per-keyword anchor; the chapter is the exact place.
 */
export function keepalivedManualLink(spec: KeywordSpec, isSection: boolean, target?: string, scope?: string): ManualLink {
  // A keyword that opens a block (`vrrp_instance`, `real_server`) is documented in that block's chapter;
  // any other in the chapter of the block it is used in.
  const chapterOf = (kind: string) => KEEPALIVED_CHAPTERS.find(([re]) => re.test(kind) && kind !== 'root')?.[1];
  const home = scope !== undefined && spec.sections.includes(scope) ? scope : (spec.sections[0] ?? 'root');
  const chapter = chapterOf(spec.name) ?? (isSection ? undefined : chapterOf(home)) ?? KEEPALIVED_CHAPTERS[KEEPALIVED_CHAPTERS.length - 1][1];
  const suite = keepalivedSuite(target);
  const base = `https://manpages.debian.org/${suite}/keepalived/keepalived.conf.5.en.html`;
  return { url: chapter ? `${base}#${chapter}` : base, label: `keepalived.conf(5)${chapter ? `, ${chapter.replace(/_/g, ' ')}` : ''}` };
}

/**
 * corosync.conf(5), votequorum(5) or corosync-qdevice(8) online. None has per-key anchors (keys are plain
 * `.TP` items), so the link opens the page that documents the key.
 */
export function corosyncManualLink(spec: KeywordSpec, isSection: boolean): ManualLink {
  if (spec.manual && /^https?:\/\//.test(spec.manual)) {
    return { url: spec.manual, label: /votequorum/.test(spec.manual) ? 'votequorum(5)' : 'corosync.conf(5)' };
  }
  const path = isSection ? `${spec.sections[0] ?? ''}.${spec.name}` : (spec.sections[0] ?? '');
  if (/^\.?quorum\.device/.test(path) || (isSection && spec.name === 'device')) {
    return { url: 'https://manpages.debian.org/bookworm/corosync-qdevice/corosync-qdevice.8.en.html', label: 'corosync-qdevice(8)' };
  }
  return { url: 'https://manpages.debian.org/bookworm/corosync/corosync.conf.5.en.html', label: 'corosync.conf(5)' };
}
