// What the rules remember per section object between checks of an edited file. A re-parse that keeps the
// section tree keeps every unedited `Section` object and replaces the edited one (parser.ts
// patchStructure), so after an edit a rule re-runs only on the edited section. The entries live in the
// file's analysis cache (analysisCache.ts), one row of memo slots per section at the section's index: a
// lookup per section and rule is two array reads, where a WeakMap per rule cost 14 % of an edit.
import type { Section } from '../types';
import type { SectionMemoEntry } from '../analysisCache';
import type { RuleContext } from './context';

let slots = 0;

/** One remembered value per section object, valid for one target version and one dependency object. */
export class SectionMemo<T> {
  private readonly slot = slots++;

  get(ctx: RuleContext, section: Section, dependsOn?: unknown): T | undefined {
    const e = ctx.cache.knownRow(section)?.slots[this.slot];
    return e !== undefined && e.version === ctx.version && e.dependsOn === dependsOn ? (e.value as T) : undefined;
  }

  set(ctx: RuleContext, section: Section, value: T, dependsOn?: unknown): T {
    if (!ctx.remember) return value;
    const entry: SectionMemoEntry = { version: ctx.version, dependsOn, value };
    ctx.cache.rowOf(section).slots[this.slot] = entry;
    return value;
  }
}

/**
 * Runs `check` on a section and returns what it produced, unless a clean run for the same version (and
 * `dependsOn`, e.g. the defaults section a proxy inherits from) is remembered. Only a run that reported
 * nothing is remembered: a section with findings is checked again, so they carry current positions.
 */
export function unlessClean<T>(ctx: RuleContext, memo: SectionMemo<T>, section: Section, check: () => T, dependsOn?: unknown): T {
  const known = memo.get(ctx, section, dependsOn);
  if (known !== undefined) return known;
  const before = ctx.diagnostics.length;
  const value = check();
  if (ctx.diagnostics.length === before) memo.set(ctx, section, value, dependsOn);
  return value;
}

/**
 * `derive` worked out once per section object and version: for summaries of a section's own lines, which
 * report nothing themselves.
 */
export function perSection<A, T>(derive: (section: Section, input: A, ctx: RuleContext) => T): (ctx: RuleContext, section: Section, input: A) => T {
  const memo = new SectionMemo<T>();
  return (ctx, section, input) => memo.get(ctx, section) ?? memo.set(ctx, section, derive(section, input, ctx));
}
