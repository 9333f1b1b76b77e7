// What the checks worked out per statement from its words alone, kept per file between checks: an edit
// re-parses only the changed lines (reparseHaproxy), so the next check reuses the keyword match, the
// resolved statement, the clean server/bind declaration and the digest of every other line. It lives
// beside the syntax tree, not on it: one array per kind of entry, indexed by `Statement.index`, so a
// big file costs a few arrays instead of an object (or fields) per line.
import type { KeywordMatch } from './keywords';
import type { HaproxyDoc, Resolved, Section, StatementEdit } from './types';

/** What one rule remembered of one section (see rules/sectionMemo.ts). */
export interface SectionMemoEntry {
  version: string;
  dependsOn: unknown;
  value: unknown;
}

/** The memo entries of one section, by memo slot. */
export interface SectionRow {
  section: Section;
  slots: (SectionMemoEntry | undefined)[];
}

/** A `server` / `bind` line that checked clean, with what it declared (see rules/servers.ts). */
export interface CleanLine {
  version: string;
  live: boolean;
  value: unknown;
}

export class AnalysisCache {
  /** Keyword match in section kind `matchSection` at `matchVersion` (null: no keyword of that section). */
  readonly matchSection: (string | undefined)[];
  readonly matchVersion: (string | undefined)[];
  readonly match: (KeywordMatch | null | undefined)[];
  /** The resolved statement built from `match`, reused while the match holds. */
  readonly resolved: (Resolved | undefined)[];
  readonly clean: (CleanLine | undefined)[];
  /** Two 32-bit hashes of the words, for the cluster-wide comparison of haproxy.cfg files. */
  readonly digest1: (number | undefined)[];
  readonly digest2: (number | undefined)[];

  /** `statements`: how many the document has, so the arrays are made once at their size instead of being
   * copied at every doubling (2.5 MB of garbage for a 30,000-line file). */
  constructor(statements = 0) {
    this.matchSection = new Array(statements);
    this.matchVersion = new Array(statements);
    this.match = new Array(statements);
    this.resolved = new Array(statements);
    this.clean = new Array(statements);
    this.digest1 = new Array(statements);
    this.digest2 = new Array(statements);
  }
  /**
   * What the per-section rules remembered, per section and memo slot (rules/sectionMemo.ts), at the
   * section's index, with the section object it belongs to: a re-parse keeps the unedited `Section`
   * objects at their places, so their rows stay valid; a row whose section is not the one at its index
   * any more is stale and replaced on first use. An array read instead of a Map lookup: the per-section
   * rules ask for every section on every check.
   */
  sectionRows: (SectionRow | undefined)[] = [];

  /** Drops the rows past the document's last section (a re-parse or re-assembly that dropped sections). */
  pruneSections(live: readonly Section[]): void {
    if (this.sectionRows.length > live.length) this.sectionRows.length = live.length;
    for (let i = 0; i < this.sectionRows.length; i++) if (this.sectionRows[i] !== undefined && this.sectionRows[i]!.section !== live[i]) this.sectionRows[i] = undefined;
  }

  /** The memo row of `section` (made empty when none or a stale one is there). */
  rowOf(section: Section): SectionRow {
    const row = this.sectionRows[section.index];
    if (row !== undefined && row.section === section) return row;
    return (this.sectionRows[section.index] = { section, slots: [] });
  }

  /** The memo row of `section`, if it has one. */
  knownRow(section: Section): SectionRow | undefined {
    const row = this.sectionRows[section.index];
    return row !== undefined && row.section === section ? row : undefined;
  }

  /** Moves every entry the way `edit` moved the statements; entries of replaced statements are dropped. */
  splice(edit: StatementEdit): void {
    if (edit.removed === 0 && edit.inserted === 0) return;
    for (const list of [this.matchSection, this.matchVersion, this.match, this.resolved, this.clean, this.digest1, this.digest2] as unknown[][]) {
      spliceHoles(list, edit.at, edit.removed, edit.inserted);
    }
  }
}

/** `list.splice(at, removed, ...inserted empty slots)` with native moves (no long argument list; an edit
 * inside one line, the usual case, moves nothing). */
function spliceHoles(list: unknown[], at: number, removed: number, inserted: number): void {
  const len = list.length;
  if (len <= at) return;
  if (inserted < removed) {
    list.copyWithin(at + inserted, at + removed);
    list.length = Math.max(at, len - (removed - inserted));
  } else if (inserted > removed) {
    list.length = len + inserted - removed;
    list.copyWithin(at + inserted, at + removed, len);
  }
  list.fill(undefined, at, Math.min(list.length, at + inserted));
}

const caches = new WeakMap<HaproxyDoc, AnalysisCache>();

/** The cache of `doc`, made empty on first use. */
export function cacheOf(doc: HaproxyDoc): AnalysisCache {
  let c = caches.get(doc);
  if (c === undefined) caches.set(doc, (c = new AnalysisCache(doc.statements.length)));
  return c;
}

/** Hands the cache of `prev` to `doc`, its re-parse (which recorded in `doc.edit` what it kept). */
export function carryCache(prev: HaproxyDoc, doc: HaproxyDoc): HaproxyDoc {
  const c = caches.get(prev);
  if (c !== undefined && doc.edit !== undefined) {
    c.splice(doc.edit);
    c.pruneSections(doc.sections);
    caches.delete(prev);
    caches.set(doc, c);
  }
  return doc;
}
