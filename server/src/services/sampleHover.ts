// Hover over a sample fetch, converter or ACL keyword wherever a statement holds a sample expression: ACL
// criteria (`acl x path_beg /api`), anonymous ACLs of conditions (`if { req.hdr(host) -i a }`), `%[…]` in
// log formats and action arguments, and the expression argument of actions and stick rules. The places are
// the ones the expression check reads (haproxy/rules/expressions.ts `expressionSites`), so hover and check
// never disagree on what is an expression.
import { compareVersions } from '../core/schema';
import type { Range } from '../core/types';
import { lineRange } from '../core/range';
import { fetchData, lookupPredefinedAcl, rangeStatus, type SampleKeyword, type VersionRange } from '../haproxy/fetchData';
import { splitExpression } from '../haproxy/expressions';
import { expressionSites } from '../haproxy/rules/expressions';
import type { Statement } from '../haproxy/types';
import { manualLink } from './docs';
import {
  describeAclKeyword,
  describePredefinedAcl,
  predefinedAclLink,
  describeSample,
  documentedInManual,
  sampleDeprecation,
  sampleFacts,
  sampleArgs,
  sampleLayer,
  sampleManualLink,
  sampleSignature,
  sampleSpec,
  sampleUse,
  type SampleKind,
} from './sampleDescriptions';
import type { HoverResult } from './types';

const TYPE_NAMES: Record<string, string> = { sint: 'integer', str: 'string', bin: 'binary', addr: 'address (IPv4 or IPv6)', meth: 'method', bool: 'boolean', any: 'any type', same: 'the input type' };

function typeName(t: string | undefined): string | undefined {
  return t ? (TYPE_NAMES[t] ?? t) : undefined;
}

/** "added in 3.0 · **not available in 2.6** (your target)", or the covered range when it is always there. */
function versionLine(r: VersionRange, target: string, kind: SampleKind, name: string): string {
  const versions = fetchData().versions;
  const parts: string[] = [];
  const dep = sampleDeprecation(kind, name);
  if (dep) {
    const oldest = sampleFacts().manuals[0];
    parts.push(`deprecated ${dep.since === oldest ? `(so marked in every manual since ${oldest})` : `since ${dep.since}`}${dep.replacement ? `, use \`${dep.replacement}\` instead` : ''}`);
  }
  if (compareVersions(target, versions[0]) < 0) {
    // Older than the fetch data: only the target's manual can say whether it has the name.
    const inManual = documentedInManual(kind, name, target);
    const status =
      inManual === undefined
        ? `no data for ${target} (your target): the fetch data starts at ${versions[0]}`
        : inManual
          ? `documented in the ${target} manual (your target)`
          : `**not in the ${target} manual** (your target)`;
    return [...parts, ...(r.added ? [`added in ${r.added}`] : []), status].join(' · ');
  }
  if (r.added) parts.push(`added in ${r.added}`);
  if (r.removed) parts.push(`gone in ${r.removed} (last in ${versions[versions.indexOf(r.removed) - 1] ?? r.removed})`);
  const st = rangeStatus(r, target);
  if (st === 'not-yet') parts.push(`**not available in ${target}** (your target)`);
  else if (st === 'removed') parts.push(`**removed in ${target}** (your target)`);
  else parts.push(`available in ${target} (your target)`);
  if (!r.added && !r.removed) parts.splice(dep ? 1 : 0, 0, `in every version the fetch data covers (${versions[0]}–${versions[versions.length - 1]})`);
  return parts.join(' · ');
}

function argLines(kind: SampleKind, spec: SampleKeyword): string[] {
  const args = sampleArgs(kind, spec);
  if (!args.length) return ['', 'Takes no argument.'];
  const out = ['', `Syntax: \`${sampleSignature(spec.name, args, spec.variadic)}\``];
  for (const a of args) out.push(`- \`${a.name}\` (${a.kind}${a.optional ? ', optional' : ''})${a.text ? `: ${a.text}` : ''}`);
  return out;
}

/** Markdown for one fetch or converter at the target version. */
export function sampleMarkdown(kind: SampleKind, name: string, target: string): string | undefined {
  const spec = sampleSpec(kind, name);
  if (!spec) return undefined;
  const layer = sampleLayer(kind, name);
  const out = [`**\`${name}\`** — ${kind === 'fetch' ? `sample fetch${layer ? `, ${layer}` : ''}` : 'converter'}`];
  const d = describeSample(kind, name);
  if (d) out.push('', d.summary);
  out.push(...argLines(kind, spec));
  if (kind === 'converter') out.push('', `Input → output: ${typeName(spec.input) ?? '?'} → ${typeName(spec.output) ?? '?'}`);
  else if (spec.output) out.push('', `Returns: ${typeName(spec.output)}`);
  const use = kind === 'fetch' ? sampleUse(name) : undefined;
  if (use) out.push('', `Usable in: ${use}`);
  out.push('', `Versions: ${versionLine(spec, target, kind, name)}`);
  const link = manualLink(sampleManualLink(kind, name, target));
  if (link) out.push('', link);
  return out.join('\n');
}

/** Markdown for an ACL keyword (`path_beg` = `path` with `-m beg`); plain fetches fall back to the fetch. */
export function aclKeywordMarkdown(name: string, target: string): string | undefined {
  const acl = describeAclKeyword(name);
  if (!acl || (acl.fetch === name && sampleSpec('fetch', name))) return sampleMarkdown('fetch', name, target);
  const fetch = sampleSpec('fetch', acl.fetch);
  const out = [`**\`${name}\`** — ACL keyword: \`${acl.fetch}\` matched with \`-m ${acl.match}\``, '', acl.matchText];
  if (acl.fetchDescription) out.push('', `\`${acl.fetch}\`: ${acl.fetchDescription.summary}`);
  if (fetch) {
    const args = sampleArgs('fetch', fetch);
    if (args.length) {
      out.push('', `Syntax: \`${sampleSignature(name, args, fetch.variadic)} <pattern> …\``);
      for (const a of args) out.push(`- \`${a.name}\` (${a.kind}${a.optional ? ', optional' : ''})${a.text ? `: ${a.text}` : ''}`);
    } else out.push('', `Syntax: \`${name} <pattern> …\``);
  }
  const use = sampleUse(acl.fetch);
  if (use) out.push('', `Usable in: ${use}`);
  out.push('', `Versions: ${versionLine(laterOf(acl.acl, fetch), target, 'fetch', acl.fetch)}`);
  const link = manualLink(sampleManualLink('fetch', acl.fetch, target));
  if (link) out.push('', link);
  return out.join('\n');
}

/** Markdown for a predefined ACL (`METH_POST`) used in a condition. */
export function predefinedAclMarkdown(name: string, target: string): string | undefined {
  const acl = lookupPredefinedAcl(name);
  const text = describePredefinedAcl(name);
  if (!acl || !text) return undefined;
  const st = rangeStatus(acl, target);
  const when = st === 'not-yet' ? `added in ${acl.added} · **not available in ${target}** (your target)` : acl.added ? `added in ${acl.added}` : undefined;
  const out = [`**\`${name}\`** — predefined ACL (no \`acl\` line needed)`, '', text];
  if (when) out.push('', `Versions: ${when}`);
  out.push('', manualLink(predefinedAclLink(target))!);
  return out.join('\n');
}

/** The narrower of two ranges (an ACL keyword needs its fetch too). */
function laterOf(a: VersionRange, b: VersionRange | undefined): VersionRange {
  if (!b) return a;
  const added = [a.added, b.added]
    .filter((v): v is string => !!v)
    .sort(compareVersions)
    .pop();
  const removed = [a.removed, b.removed].filter((v): v is string => !!v).sort(compareVersions)[0];
  return { ...(added ? { added } : {}), ...(removed ? { removed } : {}) };
}

/**
 * Hover over word `k` of a statement at `character` when that word holds a sample expression: the fetch,
 * converter or ACL keyword whose name or arguments the cursor is on.
 */
export function sampleHover(st: Statement, keyword: string | undefined, argStart: number, k: number, character: number, target: string): HoverResult | undefined {
  const sites = expressionSites(keyword, st, argStart);
  if (!sites) return undefined;
  // Offsets map onto the line when the word is written as HAProxy reads it, or only wrapped in quotes
  // (`log-format "%ci %[src]"`); with escapes inside, the whole word is the range and its first call the hover.
  const raw = st.raw(k) ?? '';
  const value = st.value(k) ?? '';
  const quotedOnly = raw.length === value.length + 2 && /^(["']).*\1$/.test(raw) && raw.slice(1, -1) === value;
  const exact = st.plain(k) || raw === value || quotedOnly;
  const start = st.start(k) + (quotedOnly ? 1 : 0);
  for (const s of sites) {
    if (s.k !== k) continue;
    const calls = splitExpression(s.text);
    if (!calls) continue;
    const at = exact ? character - start - s.offset : 0;
    const i = exact ? calls.findIndex((c) => at >= c.start && at <= c.end) : 0;
    if (i < 0) continue;
    const call = calls[i];
    const range: Range = exact ? lineRange(st.line, start + s.offset + call.start, start + s.offset + call.nameEnd) : lineRange(st.line, st.start(k), st.end(k));
    const markdown = i > 0 ? sampleMarkdown('converter', call.name, target) : s.acl ? aclKeywordMarkdown(call.name, target) : sampleMarkdown('fetch', call.name, target);
    if (markdown) return { markdown, range };
  }
  return undefined;
}
