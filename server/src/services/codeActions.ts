// Quick fixes: every finding's own mechanical fixes, plus a comment that silences the rule for one line.
import type { Diagnostic, Range } from '../core/types';
import { lineRange } from '../core/range';
import { rangesOverlap } from './text';
import { FIX_ALL_KIND, type CodeActionData } from './types';
import { fixAllEdits } from '../engine/fixAll';
import { plural } from '../core/plural';

export function codeActions(diagnostics: Diagnostic[], range: Range, lineText: (line: number) => string): CodeActionData[] {
  const out: CodeActionData[] = [];
  const inRange = diagnostics.filter((d) => rangesOverlap(d.range, range));
  for (const d of inRange) {
    for (const [i, fix] of (d.fixes ?? []).entries()) {
      const file = fix.file ?? d.file;
      out.push({ title: fix.title, kind: 'quickfix', diagnostics: [d], edit: { [file]: fix.edits }, preferred: i === 0 && (d.fixes?.length ?? 0) === 1 });
    }
  }
  const done = new Set<string>();
  for (const d of inRange) {
    const key = `${d.code}@${d.range.start.line}`;
    if (done.has(key)) continue;
    done.add(key);
    out.push(disableAction(d, lineText(d.range.start.line)));
  }
  return out;
}

export function disableAction(d: Diagnostic, line: string): CodeActionData {
  const indent = /^[ \t]*/.exec(line)![0];
  return {
    title: `Disable ${d.code} for this line`,
    kind: 'quickfix',
    diagnostics: [d],
    edit: { [d.file]: [{ range: lineRange(d.range.start.line, 0, 0), newText: `${indent}# haconf-disable-next-line ${d.code}\n` }] },
  };
}

/**
 * "Fix all" of a file: every mechanical fix of its findings in one edit (engine/fixAll.ts), or undefined when
 * there is none. VS Code runs it from "Fix All" and from `editor.codeActionsOnSave` ("source.fixAll.haconf").
 */
export function fixAllAction(file: string, diagnostics: Diagnostic[]): CodeActionData | undefined {
  const { edits, applied } = fixAllEdits(file, diagnostics);
  if (edits.length === 0) return undefined;
  const n = applied.length;
  return { title: `Fix all mechanical problems (${plural(n, 'fix', 'fixes')})`, kind: FIX_ALL_KIND, diagnostics: applied.map((a) => a.diagnostic), edit: { [file]: edits } };
}
