import type { Fix, Range, RelatedLocation, RuleMeta } from '../../core/types';
import { fileStart, Reporter, type ReportExtra } from '../../core/rule';
import type { CorosyncDoc } from '../parser';
import { buildModel, type CorosyncModel } from '../model';

/** What every corosync rule receives: the model and a sink bound to the file. */
export class RuleContext extends Reporter {
  /** Set by `modelBuilder` before any rule runs. */
  model!: CorosyncModel;

  constructor(readonly doc: CorosyncDoc) {
    super();
  }

  /** One finding; `code` without the `corosync/` prefix. Its severity comes from the rule's metadata. */
  report(code: string, range: Range, message: string, extra?: ReportExtra): void {
    this.emit(this.doc.file, `corosync/${code}`, range, message, extra);
  }

  /** Reports with the rule's metadata object instead of its short code. */
  reportRule(rule: RuleMeta, range: Range, message: string, extra?: ReportExtra): void {
    this.emit(this.doc.file, rule, range, message, extra);
  }

  rel(range: Range, message: string): RelatedLocation {
    return { file: this.doc.file, range, message };
  }

  internalErrorLocation(): { file: string; range: Range } {
    return fileStart(this.doc.file);
  }
}

/** Builds the corosync model (sections and keys by path, nodes, transport) the rules read. */
export function buildContextModel(ctx: RuleContext): void {
  ctx.model = buildModel(ctx.doc);
}

export function replace(title: string, range: Range, newText: string): Fix {
  return { title, edits: [{ range, newText }] };
}

/** Deletes the whole line `line` (including its newline). */
export function deleteLine(title: string, line: number): Fix {
  return { title, edits: [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }] };
}
