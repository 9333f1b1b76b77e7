// The workspace model's view of split HAProxy configurations (engine/haproxySets.ts): which files are read
// together, and the findings of each member judged with its set. Those findings replace the member's own
// check in the model's diagnostics. A set is checked again when one of its files changed or its members did.
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { Manifest } from '../manifest/model';
import type { HaproxyDoc } from '../haproxy/types';
import { checkHaproxySets, findHaproxySets, type HaproxySet } from './haproxySets';

export class HaproxySetState {
  private sets: HaproxySet[] = [];
  private setOfFile = new Map<string, HaproxySet>();
  /** Findings of the files a set owns, after policy. */
  private findings = new Map<string, Diagnostic[]>();
  /** Each set's signature at its last check (haproxy/split.ts setSignature), by its files. */
  private readonly signatures = new Map<string, string>();
  /** The options of the last check: new options re-check every file. */
  private options: CheckOptions | undefined;

  /**
   * Regroups the files and re-checks the sets that hold a changed file (every set when `changed` is
   * undefined). `finish` applies suppression, severities and caps to one file's raw findings. Returns the
   * files whose findings may differ now.
   */
  update(
    files: readonly { file: string; language: Language }[],
    manifests: readonly Manifest[],
    docOf: (file: string) => HaproxyDoc | undefined,
    changed: ReadonlySet<string> | undefined,
    options: CheckOptions,
    finish: (file: string, raw: Diagnostic[]) => Diagnostic[],
  ): string[] {
    const before = new Map(this.sets.map((s) => [key(s), s]));
    const sets = findHaproxySets(files, manifests, docOf);
    const affected = new Set<string>();
    const dirty = sets.filter((s) => !changed || !before.has(key(s)) || s.files.some((f) => changed.has(f)));
    const kept = new Set(sets.filter((s) => !dirty.includes(s)).map(key));
    const findings = new Map<string, Diagnostic[]>();
    for (const s of sets) {
      if (!kept.has(key(s))) continue;
      for (const f of s.owned) {
        const ds = this.findings.get(f);
        if (ds) findings.set(f, ds);
      }
    }
    // After an edit that leaves what the files tell each other unchanged, only the edited files are checked
    // again; the others keep their findings (below, from this.findings).
    const narrow = changed && this.options === options ? { changed, signatures: this.signatures } : undefined;
    if (!narrow) this.signatures.clear();
    this.options = options;
    for (const s of dirty) {
      if (!narrow || !before.has(key(s))) continue;
      for (const f of s.owned) {
        const ds = this.findings.get(f);
        if (ds && !narrow.changed.has(f)) findings.set(f, ds);
      }
    }
    const alone = new Set<string>();
    for (const [file, raw] of checkHaproxySets(dirty, docOf, options, narrow, alone)) {
      findings.set(file, finish(file, raw));
      affected.add(file);
    }
    // A set left with one readable file, or a member that cannot be parsed now: its own check shows.
    for (const f of alone) if (findings.delete(f)) affected.add(f);
    // A file that left every set gets its own findings back.
    for (const f of this.findings.keys()) if (!findings.has(f)) affected.add(f);
    // Only the signatures of the sets that exist now: a set that comes back later (a file removed, then
    // added again) was not kept up to date meanwhile and must be checked whole.
    const current = new Set(sets.map((s) => s.files.join('\u0000')));
    for (const k of this.signatures.keys()) if (!current.has(k)) this.signatures.delete(k);
    this.sets = sets;
    this.findings = findings;
    this.setOfFile = new Map(sets.flatMap((s) => s.owned.map((f) => [f, s] as const)));
    return [...affected];
  }

  /** The findings of `file` judged with its set; undefined when it is checked alone. */
  diagnosticsFor(file: string): Diagnostic[] | undefined {
    return this.findings.get(file);
  }

  /** The set whose findings `file` shows. */
  setOf(file: string): HaproxySet | undefined {
    return this.setOfFile.get(file);
  }

  get all(): readonly HaproxySet[] {
    return this.sets;
  }
}

function key(s: HaproxySet): string {
  return `${s.files.join('\u0000')}\u0001${s.owned.join('\u0000')}`;
}
