// Quick fixes: every finding's own mechanical fixes, plus a comment that silences the rule for one line.
import type { Diagnostic, Range } from '../core/types';
import { lineRange } from '../core/range';
import { rangesOverlap } from './text';
import type { CodeActionData } from './types';

export function codeActions(diagnostics: Diagnostic[], range: Range, lineText: (line: number) => string): CodeActionData[] {
  const out: CodeActionData[] = [];
  const inRange = diagnostics.filter((d) => rangesOverlap(d.range, range));
  for (const d of inRange) {
    for (const [i, fix] of (d.fixes ?? []).entries()) {
      const file = fix.file ?? d.file;
      out.push({ title: fix.title, kind: 'quickfix', diagnostic: d, edit: { [file]: fix.edits }, preferred: i === 0 && (d.fixes?.length ?? 0) === 1 });
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
    diagnostic: d,
    edit: { [d.file]: [{ range: lineRange(d.range.start.line, 0, 0), newText: `${indent}# haconf-disable-next-line ${d.code}\n` }] },
  };
}
