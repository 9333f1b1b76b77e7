// Shared state of one check run. The document is walked once to resolve keywords and build a small
// proxy model (modes, timeouts, servers, references); every rule then reads that model instead of
// walking the tree again.
import type { CheckOptions, RelatedLocation, Range, RuleMeta } from '../../core/types';
import { fileStart, Reporter, type ReportExtra } from '../../core/rule';
import { lineRange } from '../../core/range';
import type { HaproxyDoc, Resolved, Section, Statement, Word } from '../types';
import type { HaproxyCode } from './meta';
import { AnalysisCache, cacheOf } from '../analysisCache';
import { isOpaqueWord } from '../values';

/** Word fields are made on request from `res.st` (rules/servers.ts): read them once per use. */
export interface ServerModel {
  res: Resolved;
  readonly name?: Word;
  readonly address?: Word;
  /** Host part of the address ('' when only a port was written). */
  host?: string;
  port?: number;
  /** The address carries no port at all (`server a 10.0.0.1`). */
  portless: boolean;
  /** The port is relative or a range, which servers do not accept. */
  checkPort?: number;
  readonly checkPortWord?: Word;
  check: boolean;
  readonly cookie?: Word;
  /** Index in `res.st` of the cookie value (-1: none): what `cookie` makes a word of, for hot loops. */
  readonly cookieAt: number;
  readonly track?: Word;
}

/** A `bind` line's address (rules/servers.ts builds these). */
export interface BindModel {
  res: Resolved;
  host: string;
  port?: number;
  portEnd?: number;
  word: Word;
}

export interface ServerFacts {
  servers: Map<Section, ServerModel[]>;
  /** `default-server` settings per section (port / check), inherited from defaults. */
  defaultServer: Map<Section, { port?: number; check: boolean }>;
  binds: BindModel[];
}

export interface ProxyModel {
  /** File that declares the proxy (another file of a split configuration for an inherited defaults section). */
  file: string;
  section: Section;
  kind: 'defaults' | 'frontend' | 'backend' | 'listen';
  /** Defaults section this proxy inherits from. */
  defaults?: ProxyModel;
  statements: Resolved[];
  mode?: { value: string; res: Resolved };
  /** Timeout names set here (`connect`, `client`, `server`, …; legacy names normalised). */
  timeouts: Set<string>;
  servers: ServerModel[];
  /** Whether a static check result is unsure (dynamic parts, conditional blocks). */
  uncertain: boolean;
}

/**
 * What the other files of a split HAProxy configuration bring to the check of one of its files (see
 * scope.ts for how HAProxy reads a set of files).
 */
export interface OuterScope {
  /** Backends and listens declared by the files of the set, by name (the first in load order). */
  backends: Map<string, ProxyModel>;
  /** Userlist names declared by the files of the set. */
  userlists: Set<string>;
  /** A file declares a section inside an undecidable `.if` or under a dynamic name: references stay unjudged. */
  uncertain: boolean;
  /** The last defaults section read before this file: this file's proxies inherit it until it declares its own. */
  lastDefaults?: ProxyModel;
  /** Named defaults sections of the set by name, in load order (a `from` takes the last one read before). */
  namedDefaults: Map<string, ProxyModel[]>;
  /** `default-server` port/check of every defaults section of the set (their own file's facts). */
  defaultServer: Map<Section, { port?: number; check: boolean }>;
  /** Frontends and listens of the set by name (the first in load order). */
  frontends: Map<string, ProxyModel>;
  /** Load position of every file of the set, and of the file being checked: "before" compares these. */
  order: Map<string, number>;
  index: number;
}

export class RuleContext extends Reporter {
  readonly version: string;
  /** How findings about a version range name the version: "your hosts run 3.2" or "target 3.2". */
  readonly versionNote: string;
  /** Resolved statements of each section of this file, at the section's index in `doc.sections` (the
   * keyword builder fills it): an array read where a Map lookup per rule and section cost more. */
  readonly sectionStatements: (Resolved[] | undefined)[] = [];
  readonly proxies: ProxyModel[] = [];
  /** The servers, binds and default-server settings the server builder declared (rules/servers.ts). */
  servers: ServerFacts = { servers: new Map(), defaultServer: new Map(), binds: [] };
  /** What the checks of this file remembered between runs (analysisCache.ts). */
  readonly cache: AnalysisCache;
  /** Whether to remember anything for the next check of an edited text (not in a one-shot check). */
  readonly remember: boolean;

  constructor(
    readonly doc: HaproxyDoc,
    readonly options: CheckOptions,
    /** The rest of a split configuration this file is read with; absent for a file checked alone. */
    readonly outer?: OuterScope,
  ) {
    super();
    this.version = options.haproxyVersion;
    this.remember = options.oneShot !== true;
    // A one-shot check neither reads nor writes what earlier checks remembered: an empty cache of its own.
    this.cache = this.remember ? cacheOf(doc) : new AnalysisCache();
    this.versionNote = options.haproxyVersionFromHosts ? `your hosts run ${this.version}` : `target ${this.version}`;
  }

  private joins: boolean | undefined;
  private readonly holds = new Map<string, boolean>();

  /**
   * Whether some word of the file may have `needle` in its value. A word's value is its source text with
   * quotes removed, escapes undone and `${V-default}` replaced: it can hold text the source does not only
   * where the file has a quote, a backslash or a '$'. One native search over the text then spares a rule
   * a test of every word (a 30,000-line file has 300,000 of them).
   */
  mayHold(needle: string): boolean {
    let known = this.holds.get(needle);
    if (known === undefined) {
      const text = this.doc.text;
      this.joins ??= text.includes('"') || text.includes("'") || text.includes('\\') || text.includes('$');
      known = this.joins || text.includes(needle);
      this.holds.set(needle, known);
    }
    return known;
  }

  private opaquePossible: boolean | undefined;

  /**
   * values.ts isOpaqueWord() (a variable or a `%[…]` makes the value unknown until run time), with one
   * search of the text sparing the value tests when no word of the file can hold a '%' or a '$'.
   */
  opaqueWord(st: Statement, k: number): boolean {
    if (st.dynamic(k)) return true;
    this.opaquePossible ??= this.mayHold('%') || this.mayHold('$');
    return this.opaquePossible && isOpaqueWord(st, k);
  }

  /** One finding in this file; its severity comes from the rule's metadata (or the named variant's). */
  report(rule: HaproxyCode | RuleMeta, range: Range, message: string, extra?: ReportExtra): void {
    this.emit(this.doc.file, rule, range, message, extra);
  }

  internalErrorLocation(): { file: string; range: Range } {
    return fileStart(this.doc.file);
  }

  /** Range of word `w` of `st`: its index (-1: the modifier) or a word object kept by a model. */
  wordRange(st: Statement, w: number | Word): Range {
    return typeof w === 'number' ? lineRange(st.line, st.start(w), st.end(w)) : lineRange(st.line, w.start, w.end);
  }

  /** From the first word (modifier included) to the last. */
  statementRange(st: Statement): Range {
    return lineRange(st.line, st.start(-st.mod), st.lastEnd);
  }

  /** Range of the keyword words of a resolved statement. */
  keywordRange(r: Resolved): Range {
    const st = r.st;
    return lineRange(st.line, st.start(0), st.end(Math.max(0, Math.min(st.count, r.argStart) - 1)));
  }

  location(st: Statement, w: number | Word, message: string, file = this.doc.file): RelatedLocation {
    return { file, range: this.wordRange(st, w), message };
  }
}

/** Statements that take part in the configuration for certain. */
export function isLive(st: Statement): boolean {
  return st.activity === 'active';
}
