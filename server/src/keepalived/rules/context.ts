import type { Range, RelatedLocation, RuleMeta } from '../../core/types';
import { fileStart, Reporter, type ReportExtra } from '../../core/rule';
import type { KaStatement, KaWord, KeepalivedDoc } from '../types';
import { globals, scriptDefs, type GlobalSettings, type ScriptDef } from '../model';
import type { KeepalivedCode } from './meta';

export class RuleContext extends Reporter {
  /** Set by the model builder (`modelBuilder`) before any rule runs. */
  scripts: Map<string, ScriptDef> = new Map();
  globals!: GlobalSettings;

  constructor(
    readonly doc: KeepalivedDoc,
    /** The keepalived branch checked for (CheckOptions.keepalivedVersion); undefined: any release's keywords. */
    readonly version?: string,
    /** The version is what the hosts run (recorded by pull/deploy/drift): findings say so. */
    readonly versionFromHosts = false,
  ) {
    super();
  }

  /** How findings about a version range name the version: "your hosts run 2.2" or "target 2.2". */
  get versionNote(): string {
    return this.versionFromHosts ? `your hosts run ${this.version}` : `target ${this.version}`;
  }

  /** One finding; its severity comes from the rule's metadata (or the named variant's). */
  report(rule: KeepalivedCode | RuleMeta, file: string, range: Range, message: string, extra?: ReportExtra): void {
    this.emit(file, rule, range, message, extra);
  }

  internalErrorLocation(): { file: string; range: Range } {
    return fileStart(this.doc.file);
  }

  at(st: KaStatement, word: KaWord | undefined = st.words[0]): { file: string; range: Range } {
    return { file: st.file, range: (word ?? st.words[0]).range };
  }
}

/** The script definitions and global settings every rule reads. */
export function buildModel(ctx: RuleContext): void {
  ctx.scripts = scriptDefs(ctx.doc);
  ctx.globals = globals(ctx.doc);
}

export function related(st: KaStatement | undefined, message: string): RelatedLocation[] {
  return st ? [{ file: st.file, range: st.range, message }] : [];
}
