// "Fix all": every mechanical fix (`Fix.mechanical`, one exact rewrite that needs no choice) of a file's
// findings as one list of non-overlapping edits. Used by the editor's `source.fixAll.haconf` code action,
// `haconf check --fix`-style tools and the upgrade assistant (engine/upgrade.ts), so they agree.
import { comparePositions } from '../core/range';
import type { Diagnostic, Fix, Range, TextEdit } from '../core/types';

export interface FixAllResult {
  /** The edits of `file`, in document order, none overlapping another. */
  edits: TextEdit[];
  /** The fixes applied, in document order (one per finding; a fix two findings share counts once). */
  applied: { diagnostic: Diagnostic; fix: Fix }[];
  /** Mechanical fixes left out because an earlier fix already edits the same text. */
  skipped: { diagnostic: Diagnostic; fix: Fix }[];
}

/** Whether two edits' ranges share a character, or are the same insertion point (two inserts there would race). */
function clash(a: Range, b: Range): boolean {
  if (comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0) return true;
  return isEmpty(a) && isEmpty(b) && comparePositions(a.start, b.start) === 0;
}

const isEmpty = (r: Range): boolean => comparePositions(r.start, r.end) === 0;

const editKey = (e: TextEdit): string => `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}=${e.newText}`;

/**
 * The mechanical fixes of `diagnostics` that edit `file` (a cross-file fix reported on another file counts
 * when its edits target this one), first come first served in document order: a fix whose edits overlap an
 * accepted fix's is skipped (the next check reports what is left).
 */
export function fixAllEdits(file: string, diagnostics: readonly Diagnostic[]): FixAllResult {
  const candidates: { diagnostic: Diagnostic; fix: Fix }[] = [];
  for (const d of diagnostics) {
    for (const fix of d.fixes ?? []) {
      if (!fix.mechanical || (fix.file ?? d.file) !== file || fix.edits.length === 0) continue;
      candidates.push({ diagnostic: d, fix });
      break; // one mechanical fix per finding: the first is the rule's own choice
    }
  }
  const first = (f: Fix): Range => f.edits.reduce((a, e) => (comparePositions(e.range.start, a.start) < 0 ? e.range : a), f.edits[0].range);
  candidates.sort((a, b) => comparePositions(first(a.fix).start, first(b.fix).start));
  const accepted: TextEdit[] = [];
  const seen = new Set<string>();
  const applied: FixAllResult['applied'] = [];
  const skipped: FixAllResult['skipped'] = [];
  for (const c of candidates) {
    const keys = c.fix.edits.map(editKey);
    // The same fix reported by two findings (e.g. one line two rules read) is applied once.
    if (keys.every((k) => seen.has(k))) continue;
    if (c.fix.edits.some((e) => accepted.some((a) => clash(a.range, e.range)))) {
      skipped.push(c);
      continue;
    }
    for (const [i, e] of c.fix.edits.entries()) {
      accepted.push(e);
      seen.add(keys[i]);
    }
    applied.push(c);
  }
  accepted.sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  return { edits: accepted, applied, skipped };
}
