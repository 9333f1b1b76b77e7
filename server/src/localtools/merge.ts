// The local daemon checker (opt-in) often reports what our own rules already found on the same line
// (an unknown keyword, a bad value). Two squiggles for one fault is noise: the tool's words join our finding
// as related information, and the finding takes the more severe of the two levels (the daemon has the final
// word on what it refuses to load). A tool finding on a line where we found nothing stays on its own.
import type { Diagnostic, Severity } from '../core/types';

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function mergeLocalFindings(own: Diagnostic[], local: Diagnostic[]): Diagnostic[] {
  if (!local.length) return own;
  const out = own.slice();
  /** file:line → index in `out` of our first (most severe, as sorted) finding there. */
  const byLine = new Map<string, number>();
  out.forEach((d, i) => {
    const key = `${d.file}:${d.range.start.line}`;
    if (!byLine.has(key)) byLine.set(key, i);
  });
  const alone: Diagnostic[] = [];
  for (const l of local) {
    const at = byLine.get(`${l.file}:${l.range.start.line}`);
    if (at === undefined) {
      alone.push(l);
      continue;
    }
    const ours = out[at];
    out[at] = {
      ...ours,
      severity: RANK[l.severity] < RANK[ours.severity] ? l.severity : ours.severity,
      related: [...(ours.related ?? []), { file: l.file, range: l.range, message: l.message }],
    };
  }
  return [...out, ...alone];
}
