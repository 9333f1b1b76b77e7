// What the rules remember per section object between checks of an edited file. A re-parse that keeps the
// section tree keeps every unedited `Section` object and replaces the edited one (parser.ts
// patchStructure), so after an edit a rule re-runs only on the edited section. Entries live in WeakMaps:
// a section dropped by a later parse takes its entries with it.
import type { Section } from '../types';
import type { RuleContext } from './context';

/** Slots taken so far: every SectionMemo gets three (version, dependency, value) in each section's array. */
let slotsTaken = 0;

/**
 * Every memo's entries of one section in one array: a big file has thousands of sections and eight
 * memos, and one WeakMap entry and one array per section cost far less (in WeakMap growth and in objects
 * the garbage collector traces) than one WeakMap entry and one object per memo and section.
 */
const bySection = new WeakMap<Section, unknown[]>();

/** One remembered value per section object, valid for one target version and one dependency object. */
export class SectionMemo<T> {
  private readonly slot = (slotsTaken += 3) - 3;

  get(section: Section, version: string, dependsOn?: unknown): T | undefined {
    const slots = bySection.get(section);
    if (slots === undefined) return undefined;
    const k = this.slot;
    return slots[k] === version && slots[k + 1] === dependsOn ? (slots[k + 2] as T | undefined) : undefined;
  }

  set(section: Section, version: string, value: T, dependsOn?: unknown): T {
    let slots = bySection.get(section);
    if (slots === undefined) bySection.set(section, (slots = new Array<unknown>(slotsTaken).fill(undefined)));
    const k = this.slot;
    slots[k] = version;
    slots[k + 1] = dependsOn;
    slots[k + 2] = value;
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
