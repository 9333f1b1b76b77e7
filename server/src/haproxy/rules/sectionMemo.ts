// What the rules remember per section object between checks of an edited file. A re-parse that keeps the
// section tree keeps every unedited `Section` object and replaces the edited one (parser.ts
// patchStructure), so after an edit a rule re-runs only on the edited section. Entries live in WeakMaps:
// a section dropped by a later parse takes its entries with it.
import type { Section } from '../types';
import type { RuleContext } from './context';

/** One remembered value per section object, valid for one target version and one dependency object. */
export class SectionMemo<T> {
  private readonly entries = new WeakMap<Section, { version: string; dependsOn: unknown; value: T }>();

  get(section: Section, version: string, dependsOn?: unknown): T | undefined {
    const e = this.entries.get(section);
    return e !== undefined && e.version === version && e.dependsOn === dependsOn ? e.value : undefined;
  }

  set(section: Section, version: string, value: T, dependsOn?: unknown): T {
    this.entries.set(section, { version, dependsOn, value });
    return value;
  }
}

/**
 * Runs `check` on a section and returns what it produced, unless a clean run for the same version (and
 * `dependsOn`, e.g. the defaults section a proxy inherits from) is remembered. Only a run that reported
 * nothing is remembered: a section with findings is checked again, so they carry current positions.
 */
export function unlessClean<T>(ctx: RuleContext, memo: SectionMemo<T>, section: Section, check: () => T, dependsOn?: unknown): T {
  const known = memo.get(section, ctx.version, dependsOn);
  if (known !== undefined) return known;
  const before = ctx.diagnostics.length;
  const value = check();
  if (ctx.diagnostics.length === before) memo.set(section, ctx.version, value, dependsOn);
  return value;
}

/**
 * `derive` worked out once per section object and version: for summaries of a section's own lines, which
 * report nothing themselves.
 */
export function perSection<A, T>(derive: (section: Section, input: A) => T): (section: Section, input: A, version: string) => T {
  const memo = new SectionMemo<T>();
  return (section, input, version) => memo.get(section, version) ?? memo.set(section, version, derive(section, input));
}
