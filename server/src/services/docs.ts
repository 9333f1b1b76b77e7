// Keyword documentation shown on hover and in completion details: our summary, the argument shapes,
// the versions the keyword applies to and a link to the upstream manual. Only facts from the schemas.
import type { ArgSpec, KeywordSpec } from '../core/schema';
import { versionStatus } from '../core/schema';

export function argText(a: ArgSpec): string {
  let t = `\`${a.name}\``;
  const facts: string[] = [];
  if (a.type === 'enum' && a.values) facts.push(`one of ${a.values.map((v) => `\`${v}\``).join(', ')}`);
  else facts.push(a.type);
  if (a.min !== undefined || a.max !== undefined) facts.push(`${a.min ?? '…'}–${a.max ?? '…'}`);
  if (a.optional) facts.push('optional');
  if (a.rest) facts.push('takes the rest of the line');
  t += ` (${facts.join(', ')})`;
  return t;
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

export function manualLink(spec: KeywordSpec, label: string): string | undefined {
  if (!spec.manual) return undefined;
  return /^https?:\/\//.test(spec.manual) ? `[${label}](${spec.manual})` : `See ${spec.manual}.`;
}

/** Markdown for one keyword. `title` is what the user sees as the heading (e.g. `server` option `check`). */
export function keywordMarkdown(spec: KeywordSpec, opts: { title?: string; manualLabel: string; target?: string; where?: string }): string {
  const out: string[] = [`**${opts.title ?? `\`${spec.name}\``}**${opts.where ? ` — ${opts.where}` : ''}`];
  if (spec.summary) out.push('', spec.summary);
  if (spec.args?.length) out.push('', `Arguments: ${spec.args.map(argText).join('; ')}`);
  else if (spec.args) out.push('', 'Takes no argument.');
  const v = versionText(spec, opts.target);
  if (v) out.push('', `Versions: ${v}`);
  const link = manualLink(spec, opts.manualLabel);
  if (link) out.push('', link);
  return out.join('\n');
}
