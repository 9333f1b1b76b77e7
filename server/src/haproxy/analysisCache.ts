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
   * What the per-section rules remembered, per section object and memo slot (rules/sectionMemo.ts). A
   * re-parse keeps the unedited `Section` objects, so their entries stay valid; `pruneSections` drops the
   * entries of sections the document no longer has, which a plain Map would otherwise keep alive.
   */
  readonly sectionMemos = new Map<Section, (SectionMemoEntry | undefined)[]>();

  /** Forgets the memo entries of every section that is not in `live` (a re-parse or re-assembly dropped it). */
  pruneSections(live: readonly Section[]): void {
    if (this.sectionMemos.size === 0) return;
    const keep = new Set(live);
    for (const section of this.sectionMemos.keys()) if (!keep.has(section)) this.sectionMemos.delete(section);
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
