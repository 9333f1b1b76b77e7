import type { Diagnostic, Fix, Range, RelatedLocation, Severity } from '../../core/types';
import type { CorosyncModel } from '../model';

/** What every corosync rule receives: the model and a sink bound to the file. */
export interface RuleContext {
  model: CorosyncModel;
  report(code: string, severity: Severity, range: Range, message: string, extra?: { related?: RelatedLocation[]; fixes?: Fix[] }): void;
  rel(range: Range, message: string): RelatedLocation;
}

export function makeContext(model: CorosyncModel, out: Diagnostic[]): RuleContext {
  const file = model.doc.file;
  return {
    model,
    report(code, severity, range, message, extra) {
      out.push({
        file,
        range,
        severity,
        code: `corosync/${code}`,
        message,
        ...(extra?.related?.length ? { related: extra.related } : {}),
        ...(extra?.fixes?.length ? { fixes: extra.fixes } : {}),
      });
    },
    rel: (range, message) => ({ file, range, message }),
  };
}

export function replace(title: string, range: Range, newText: string): Fix {
  return { title, edits: [{ range, newText }] };
}

/** Deletes the whole line `line` (including its newline). */
export function deleteLine(title: string, line: number): Fix {
  return { title, edits: [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }] };
}
