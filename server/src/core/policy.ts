import type { CheckOptions, Diagnostic } from './types';
import { findSuppressions, isSuppressed, type Suppressions } from './suppress';

/**
 * Applies what the user configured on top of raw rule output: suppression
 * comments (looked up in each finding's own file) and per-code severities.
 */
export function applyPolicy(
  diagnostics: Diagnostic[],
  textOf: (file: string) => string | undefined,
  options: CheckOptions,
): Diagnostic[] {
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
  return out;
}

const ORDER = { error: 0, warning: 1, information: 2, hint: 3 } as const;

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
}
