import type { KeywordSpec, VersionStatus } from '../core/schema';
import type { Statement, Word } from './statement';
// Syntax tree of one haproxy.cfg. Positions are 0-based line / UTF-16 column, like everything in core/.
// HAProxy has no include directive (several files are passed with several -f), so a document is one file.

export type { Activity, Statement, Word } from './statement';

/** Which statements a re-parse kept from the previous parse, by index, so the analysis cache can keep
 * their entries (see analysisCache.ts): [0, at) stayed, `removed` were replaced by `inserted` new ones,
 * the rest moved by `inserted - removed`. */
export interface StatementEdit {
  at: number;
  removed: number;
  inserted: number;
}

export interface Section {
  /** Section keyword: global, defaults, frontend, backend, listen, userlist, … */
  kind: string;
  /** Position in `doc.sections`: with the object's identity, the key of what the analysis remembers about
   * it (analysisCache.ts). An edit that keeps the section tree keeps every section at its place. */
  index: number;
  header: Statement;
  /** Section name (args[1]); absent for `global` and unnamed `defaults`. */
  name?: Word;
  /** `defaults NAME` a proxy inherits from (`frontend x from NAME`). */
  from?: Word;
  /** Statements inside the section, header excluded, directives excluded. */
  body: Statement[];
  /** Last line of the section (the line before the next section header, or the last line). */
  endLine: number;
}

export type DirectiveKind = '.if' | '.elif' | '.else' | '.endif' | '.diag' | '.notice' | '.warning' | '.alert';

export interface Directive {
  kind: DirectiveKind | string;
  statement: Statement;
  /** Value of a `.if` / `.elif` condition at the target version; undefined when it depends on the host. */
  value?: boolean;
}

/** A whole `.if … .endif` block, for folding and structure. */
export interface Conditional {
  branches: Directive[];
  /** Absent when the block is never closed. */
  end?: Directive;
}

export interface SyntaxIssue {
  line: number;
  start: number;
  end: number;
  message: string;
}

export interface HaproxyDoc {
  file: string;
  text: string;
  /** Number of lines as an editor counts them. */
  lineCount: number;
  /** Every non-empty line in order, directives included. Built once; the fields below are derived. */
  statements: Statement[];
  /** Problems found while splitting lines into words. */
  lexIssues: SyntaxIssue[];
  /** Statements before any section header (HAProxy rejects them). */
  orphans: Statement[];
  sections: Section[];
  directives: Directive[];
  conditionals: Conditional[];
  /** Problems of `.if` structure and directives at `version`. */
  structureIssues: SyntaxIssue[];
  /** Set when the last line has no newline: where the newline is missing. */
  missingNewline?: { line: number; character: number };
  /** Target HAProxy version `.if version_atleast()` was evaluated against. */
  version: string;
  /** Set by reparseHaproxy(): what it kept of the previous parse. */
  edit?: StatementEdit;
}

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
