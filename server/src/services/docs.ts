// Keyword documentation shown on hover and in completion details: our own description
// (server/data/descriptions/, see descriptions.ts), the syntax with argument names, types, units and
// defaults, the sections it is allowed in, the versions it applies to and the manual anchor of the target
// version.
import type { ArgSpec, KeywordSpec } from '../core/schema';
import { versionStatus } from '../core/schema';
import { KNOWN_VERSIONS } from '../haproxy/keywords';
import { corosyncManualLink, describe, haproxyManualLink, keepalivedManualLink, type DescribedLanguage, type ManualLink } from './descriptions';

export function argText(a: ArgSpec): string {
  return `\`${a.name}\` (${argFacts(a).join(', ')})`;
}

function argFacts(a: ArgSpec): string[] {
  const facts: string[] = [];
  if (a.type === 'enum' && a.values) facts.push(`one of ${a.values.map((v) => `\`${v}\``).join(', ')}`);
  else facts.push(a.type);
  if (a.min !== undefined || a.max !== undefined) facts.push(`${a.min ?? '…'}–${a.max ?? '…'}`);
  if (a.optional) facts.push('optional');
  if (a.rest) facts.push('takes the rest of the line');
  return facts;
}

export function versionText(spec: KeywordSpec, target?: string): string | undefined {
  const parts: string[] = [];
  if (spec.added) parts.push(`added in ${spec.added}`);
  if (spec.deprecated) parts.push(`deprecated since ${spec.deprecated}`);
  if (spec.removed) parts.push(`removed in ${spec.removed}`);
  if (spec.replacement) parts.push(`use \`${spec.replacement}\` instead`);
  if (target) {
    const st = versionStatus(spec, target);
    if (st !== 'ok') parts.push(`**${st === 'not-yet' ? 'not available' : st} in ${target}** (your target)`);
  }
  return parts.length ? parts.join(' · ') : undefined;
}

export function manualLink(link: ManualLink | undefined): string | undefined {
  return link ? `[${link.label}](${link.url})` : undefined;
}

export interface KeywordDocOptions {
  language: DescribedLanguage;
  /** The spec is a section (block) kind rather than a keyword. */
  section?: boolean;
  /** What the user sees as the heading (e.g. `server` option `check`); default the keyword name. */
  title?: string;
  /** Where the keyword stands, e.g. "in `backend`", "server option". */
  where?: string;
  /** Target version (HAProxy; keepalived picks its man page release by it). */
  target?: string;
  /** The section (block kind) the keyword is used in, when it is allowed in several. */
  scope?: string;
}

interface ArgLine {
  name: string;
  spec?: ArgSpec;
  text?: string;
}

/** Argument names and explanations from the description, types and ranges from the schema, by position. */
function argLines(spec: KeywordSpec, described: Record<string, string> | undefined): ArgLine[] {
  const named = Object.entries(described ?? {});
  const schema = spec.args ?? [];
  const out: ArgLine[] = [];
  for (let i = 0; i < Math.max(named.length, schema.length); i++) {
    const [name, text] = named[i] ?? [];
    out.push({ name: name ?? schema[i].name, spec: schema[i], text });
  }
  return out;
}

function syntaxOf(name: string, args: ArgLine[]): string {
  const parts = args.map((a) => {
    const w = `<${a.name}>${a.spec?.rest ? ' …' : ''}`;
    return a.spec?.optional ? `[${w}]` : w;
  });
  return [name, ...parts].join(' ');
}

/** Where a section name stands for something else: HAProxy's option pseudo-sections, the top level. */
function placeName(language: DescribedLanguage, section: string): string {
  if (section === '' || (language === 'keepalived' && section === 'root')) return 'the top level';
  if (language === 'haproxy' && section === 'server') return '`server` / `default-server` lines';
  if (language === 'haproxy' && section === 'bind') return '`bind` lines';
  return `\`${section}\``;
}

function allowedText(spec: KeywordSpec, language: DescribedLanguage): string | undefined {
  if (!spec.sections.length) return undefined;
  const list = spec.sections.map((s) => placeName(language, s)).join(', ');
  const warn = spec.warnSections?.length ? ` (accepted but ignored with a warning in ${spec.warnSections.map((s) => `\`${s}\``).join(', ')})` : '';
  return `${list}${warn}`;
}

function linkFor(spec: KeywordSpec, opts: KeywordDocOptions): ManualLink | undefined {
  if (opts.language === 'haproxy') return haproxyManualLink(spec, !!opts.section, opts.target);
  if (opts.language === 'keepalived') return keepalivedManualLink(spec, !!opts.section, opts.target, opts.scope);
  return corosyncManualLink(spec, !!opts.section);
}

/** Markdown for one keyword. */
export function keywordMarkdown(spec: KeywordSpec, opts: KeywordDocOptions): string {
  const out: string[] = [`**${opts.title ?? `\`${spec.name}\``}**${opts.where ? ` — ${opts.where}` : ''}`];
  const d = describe(opts.language, spec, opts.section, opts.scope);
  if (d) out.push('', d.summary);
  {
    // Sections show their syntax too (`backend <name>`) when the description names the argument.
    const args = argLines(spec, d?.args);
    if (args.length) {
      out.push('', `Syntax: \`${syntaxOf(spec.name, args)}\``);
      for (const a of args) {
        const facts = a.spec ? argFacts(a.spec).join(', ') : undefined;
        out.push(`- \`${a.name}\`${facts ? ` (${facts})` : ''}${a.text ? `: ${a.text}` : ''}`);
      }
    } else if (spec.args && !opts.section) out.push('', 'Takes no argument.');
    if (d?.default) out.push('', `Default: ${d.default}`);
  }
  const allowed = opts.section ? undefined : allowedText(spec, opts.language);
  if (allowed) out.push('', `Allowed in: ${allowed}`);
  const v = versionText(spec, opts.target) ?? (opts.language === 'haproxy' ? `in every version haconf knows (${KNOWN_VERSIONS[0]}–${KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]})` : undefined);
  if (v) out.push('', `Versions: ${v}`);
  const link = manualLink(linkFor(spec, opts));
  if (link) out.push('', link);
  return out.join('\n');
}
