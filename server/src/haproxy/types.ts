import type { Statement } from './statement';
// Syntax tree of one haproxy.cfg. Positions are 0-based line / UTF-16 column, like everything in core/.
// HAProxy has no include directive (several files are passed with several -f), so a document is one file.

/** One word of a statement as HAProxy splits it (quotes joined, escapes undone). */
export interface Word {
  /** Source text of the word, quotes and backslashes included. */
  raw: string;
  /** What HAProxy sees after unquoting and unescaping. Environment variables are replaced by their
   * `${V-default}` default when one is written, else by the empty string (see `dynamic`). */
  value: string;
  /** Column where the word starts and ends ([start, end)) on `line`. */
  start: number;
  end: number;
  /** The word contains a quoted piece. */
  quoted: boolean;
  /** The word expands an environment variable, so its real value is only known at run time. */
  dynamic: boolean;
}

/** Whether a line takes part in the configuration, from the enclosing `.if` blocks. */
export type Activity = 'active' | 'inactive' | 'unknown';

export type { Statement } from './statement';

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
