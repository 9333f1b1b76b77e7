import type { CheckOptions, Diagnostic } from './types';
import { findSuppressions, isSuppressed, type Suppressions } from './suppress';
import { findSecrets, Redactor, scrubDiagnostic } from './secrets';

/**
 * Applies what the user configured on top of raw rule output: suppression
 * comments (looked up in each finding's own file) and per-code severities. Every finding of every
 * language, manifest and cluster passes here, so this is also where secret values found in the files the
 * findings point at are scrubbed from messages, notes and fix titles (core/secrets.ts): no rule can leak
 * an auth_pass into the editor, text, JSON or SARIF output.
 */
export function applyPolicy(diagnostics: Diagnostic[], textOf: (file: string) => string | undefined, options: CheckOptions): Diagnostic[] {
  const cache = new Map<string, Suppressions>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    let s = cache.get(d.file);
    if (!s) {
      s = findSuppressions(textOf(d.file) ?? '');
      cache.set(d.file, s);
    }
    if (isSuppressed(s, d)) continue;
    const setting = options.severities?.[d.code];
    if (setting === 'off') continue;
    out.push(setting ? { ...d, severity: setting } : d);
  }
  return scrubSecrets(out, textOf);
}

function scrubSecrets(diagnostics: Diagnostic[], textOf: (file: string) => string | undefined): Diagnostic[] {
  if (!diagnostics.length) return diagnostics;
  const files = new Set<string>();
  for (const d of diagnostics) {
    files.add(d.file);
    for (const r of d.related ?? []) files.add(r.file);
  }
  const redactor = new Redactor();
  for (const f of files) for (const v of secretsOf(f, textOf(f) ?? '')) redactor.addValue(v);
  if (!redactor.size) return diagnostics;
  return diagnostics.map((d) => scrubDiagnostic(d, redactor));
}

/**
 * The secret values of a file, remembered while its text stays the same object: the editor re-applies the
 * policy to every file of a cluster after each edit, and only the edited file's text is new.
 */
const secretCache = new Map<string, { text: string; values: string[] }>();
const SECRET_CACHE_FILES = 512;

function secretsOf(file: string, text: string): string[] {
  const hit = secretCache.get(file);
  if (hit && hit.text === text) return hit.values;
  const values = findSecrets(text);
  if (secretCache.size >= SECRET_CACHE_FILES) secretCache.delete(secretCache.keys().next().value!);
  secretCache.set(file, { text, values });
  return values;
}

const ORDER = { error: 0, warning: 1, information: 2, hint: 3 } as const;

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort(compareDiagnostics);
}

/** The order findings are reported in: file, position, severity, code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.file.localeCompare(b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    ORDER[a.severity] - ORDER[b.severity] ||
    a.code.localeCompare(b.code)
  );
}
