// Shared state of one check run. The document is walked once to resolve keywords and build a small
// proxy model (modes, timeouts, servers, references); every rule then reads that model instead of
// walking the tree again.
import type { CheckOptions, Diagnostic, Fix, RelatedLocation, Range, Severity } from '../../core/types';
import type { KeywordSpec, VersionStatus } from '../../core/schema';
import { lineRange } from '../../core/range';
import type { HaproxyDoc, Section, Statement, Word } from '../types';
import type { OuterScope } from './scope';

/** A statement with its keyword resolved. */
export interface Resolved {
  st: Statement;
  section?: Section;
  /** Keyword name as the schema spells it (`timeout connect`), when known. */
  name?: string;
  spec?: KeywordSpec;
  status?: VersionStatus;
  /** Index (for `st.value(k)` and the other accessors) of the first argument after the keyword. */
  argStart: number;
}

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
  readonly track?: Word;
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
