import type { Diagnostic, Fix, Range, RelatedLocation, Severity } from '../../core/types';
import type { KaStatement, KaWord, KeepalivedDoc } from '../types';
import { globals, scriptDefs, type GlobalSettings, type ScriptDef } from '../model';

export class RuleContext {
  readonly out: Diagnostic[] = [];
  readonly scripts: Map<string, ScriptDef>;
  readonly globals: GlobalSettings;

  constructor(readonly doc: KeepalivedDoc) {
    this.scripts = scriptDefs(doc);
    this.globals = globals(doc);
  }

  report(
    code: string,
    severity: Severity,
    file: string,
    range: Range,
    message: string,
    extra: { related?: RelatedLocation[]; fixes?: Fix[] } = {},
  ): void {
    const d: Diagnostic = { file, range, severity, code, message };
    if (extra.related?.length) d.related = extra.related;
    if (extra.fixes?.length) d.fixes = extra.fixes;
    this.out.push(d);
  }

  at(st: KaStatement, word: KaWord | undefined = st.words[0]): { file: string; range: Range } {
    return { file: st.file, range: (word ?? st.words[0]).range };
  }
}

export function related(st: KaStatement | undefined, message: string): RelatedLocation[] {
  return st ? [{ file: st.file, range: st.range, message }] : [];
}
