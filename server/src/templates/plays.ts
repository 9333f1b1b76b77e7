// Which inventory group a template is rendered for: the `hosts:` of the plays (top-level playbooks of the
// project folder) that apply the template's role or name the template file in their tasks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '../manifest/lazyYaml';
import type { Inventory } from './inventory';
import { noteInput, readVarText } from './inputs';

/** The host patterns of the plays that use this template (empty when no playbook says). */
export function playPatternsFor(projectDir: string, templateFile: string, roleName: string | undefined): string[] {
  const patterns: string[] = [];
  let entries: string[];
  noteInput(projectDir);
  try {
    entries = fs
      .readdirSync(projectDir)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort();
  } catch {
    return patterns;
  }
  const base = path.basename(templateFile);
  for (const name of entries) {
    let plays: unknown;
    try {
      const text = readVarText(path.join(projectDir, name));
      if (text === undefined) continue;
      plays = parse(text, { version: '1.1' });
    } catch {
      continue;
    }
    if (!Array.isArray(plays)) continue;
    for (const play of plays) {
      if (!play || typeof play !== 'object' || typeof (play as { hosts?: unknown }).hosts !== 'string') continue;
      const p = play as { hosts: string; roles?: unknown[] };
      const roles = (p.roles ?? []).map((r) =>
        typeof r === 'string' ? r : r && typeof r === 'object' ? String((r as { role?: unknown; name?: unknown }).role ?? (r as { name?: unknown }).name ?? '') : '',
      );
      const usesRole = roleName !== undefined && roles.includes(roleName);
      const namesFile = JSON.stringify(play).includes(base);
      if ((usesRole || namesFile) && !patterns.includes(p.hosts)) patterns.push(p.hosts);
    }
  }
  return patterns;
}

/**
 * The hosts a pattern selects: group or host names joined by `,` or `:` (a union). Intersections (`&`),
 * exclusions (`!`), wildcards and ranges are not evaluated: undefined, and the caller says so.
 */
export function hostsForPattern(inv: Inventory, pattern: string): string[] | undefined {
  if (/[&!*[~]/.test(pattern)) return undefined;
  const out: string[] = [];
  for (const part of pattern
    .split(/[,:]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const members = inv.groups.get(part) ?? (inv.hosts.has(part) ? [part] : undefined);
    if (!members) return undefined;
    for (const h of members) if (!out.includes(h)) out.push(h);
  }
  return out;
}
