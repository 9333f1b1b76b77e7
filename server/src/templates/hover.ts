// Hover on a `{{ … }}` of a template: the value each variable of the expression has on every host the
// template is rendered for, and the file and line that set it (passwords and keys hidden).
import * as path from 'node:path';
import type { Position, Range } from '../core/types';
import { scanJinja } from './jinja';
import { pyStr } from './pyjinja';
import type { TemplateRendering } from './workspace';

export function templateVariableHover(file: string, text: string, pos: Position, rendering: TemplateRendering | undefined): { markdown: string; range: Range } | undefined {
  const lines = text.split('\n');
  const lineText = lines[pos.line] ?? '';
  const span = scanJinja(lineText).find((s) => s.kind === 'expr' && s.start <= pos.character && pos.character < s.end);
  if (!span) return undefined;
  const range = { start: { line: pos.line, character: span.start }, end: { line: pos.line, character: span.end } };
  const hosts = (rendering?.rendered ?? []).filter((r) => r.template === file);
  if (!hosts.length) {
    return {
      markdown: `\`${span.inner}\`: not rendered for any host (no Ansible inventory and playbook found for this template, or every host failed to render; see the information findings).`,
      range,
    };
  }
  const names = [...new Set(span.inner.match(/(?<![.\w'"|])[A-Za-z_]\w*/g) ?? [])].filter((n) => hosts.some((h) => n in h.host.vars));
  if (!names.length) return { markdown: `\`${span.inner}\`: rendered for ${hosts.map((h) => h.host.name).join(', ')}; it uses no inventory variable directly.`, range };
  const out: string[] = [];
  for (const name of names) {
    out.push(`**${name}**`, '', '| host | value | set in |', '|---|---|---|');
    for (const h of hosts) {
      const secret = /pass|secret|key|token/i.test(name);
      const value = name in h.host.vars ? (secret ? '(hidden)' : `\`${pyStr(h.host.vars[name]).replace(/\|/g, '\\|').replace(/`/g, "'")}\``) : '(undefined)';
      const o = h.host.origins[name];
      out.push(`| ${h.host.name} | ${value} | ${o ? `${path.basename(path.dirname(o.file))}/${path.basename(o.file)}:${o.line + 1}` : ''} |`);
    }
    out.push('');
  }
  return { markdown: out.join('\n').trim(), range };
}
