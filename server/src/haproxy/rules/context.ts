// Shared state of one check run. The document is walked once to resolve keywords and build a small
// proxy model (modes, timeouts, servers, references); every rule then reads that model instead of
// walking the tree again.
import type { CheckOptions, Diagnostic, Fix, RelatedLocation, Range, Severity } from '../../core/types';
import { lineRange } from '../../core/range';
import type { HaproxyDoc, Resolved, Section, Statement, Word } from '../types';

export interface ServerModel {
  res: Resolved;
  name?: Word;
  address?: Word;
  /** Host part of the address ('' when only a port was written). */
  host?: string;
  port?: number;
  /** The address carries no port at all (`server a 10.0.0.1`). */
  portless: boolean;
  /** The port is relative or a range, which servers do not accept. */
  checkPort?: number;
  checkPortWord?: Word;
  check: boolean;
  cookie?: Word;
  track?: Word;
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

export class RuleContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly version: string;
  /** Resolved statements by section, in order. */
  readonly bySection = new Map<Section, Resolved[]>();
  readonly proxies: ProxyModel[] = [];
  readonly proxyOf = new Map<Section, ProxyModel>();

  constructor(
    readonly doc: HaproxyDoc,
    readonly options: CheckOptions,
    /** The rest of a split configuration this file is read with; absent for a file checked alone. */
    readonly outer?: OuterScope,
  ) {
    this.version = options.haproxyVersion;
  }

  report(
    code: string,
    severity: Severity,
    range: Range,
    message: string,
    extra: { related?: RelatedLocation[]; fixes?: Fix[] } = {},
  ): void {
    const d: Diagnostic = { file: this.doc.file, range, severity, code, message };
    if (extra.related?.length) d.related = extra.related;
    if (extra.fixes?.length) d.fixes = extra.fixes;
    this.diagnostics.push(d);
  }

  wordRange(st: Statement, w: Word): Range {
    return lineRange(st.line, w.start, w.end);
  }

  /** From the first word (modifier included) to the last. */
  statementRange(st: Statement): Range {
    const first = st.modifier ?? st.words[0];
    return lineRange(st.line, first.start, st.words[st.words.length - 1].end);
  }

  /** Range of the keyword words of a resolved statement. */
  keywordRange(r: Resolved): Range {
    const ws = r.st.words;
    return lineRange(r.st.line, ws[0].start, ws[Math.max(0, Math.min(ws.length, r.argStart) - 1)].end);
  }

  location(st: Statement, w: Word, message: string, file = this.doc.file): RelatedLocation {
    return { file, range: this.wordRange(st, w), message };
  }
}

/** Statements that take part in the configuration for certain. */
export function isLive(st: Statement): boolean {
  return st.activity === 'active';
}
