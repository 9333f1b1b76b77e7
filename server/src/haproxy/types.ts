import type { KeywordMatch } from './keywords';
import type { KeywordSpec, VersionStatus } from '../core/schema';
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

/**
 * A statement carries what the checks worked out from its words alone (StatementMemo): a re-parse after
 * an edit keeps the statements of unchanged lines, so their next check skips that work. The fields live
 * on the statement itself rather than in an object of their own: one object less per line.
 */
export interface Statement extends StatementMemo {
  line: number;
  /** Every word, the `no` / `default` modifier excluded. */
  words: Word[];
  modifier?: Word;
  activity: Activity;
  /** Column of an unescaped `#` comment on the line, if any. */
  commentStart?: number;
}

/** Per-statement results that depend only on its words (and the section kind and version named). */
export interface StatementMemo {
  /** Keyword match in section kind `matchSection` at `matchVersion` (null: no keyword of that section). */
  matchSection?: string;
  matchVersion?: string;
  match?: KeywordMatch | null;
  /** The resolved statement built from `match`, reused while the match holds (one object less per line per check). */
  resolved?: Resolved;
  /** A `server` / `bind` line that checked clean, with what it declared (see rules/servers.ts). */
  clean?: { version: string; live: boolean; value: unknown };
  /** Two 32-bit hashes of the words, for the cluster-wide comparison of haproxy.cfg files. */
  digest1?: number;
  digest2?: number;
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
}

/** A statement with its keyword resolved. */
export interface Resolved {
  st: Statement;
  section?: Section;
  /** Keyword name as the schema spells it (`timeout connect`), when known. */
  name?: string;
  spec?: KeywordSpec;
  status?: VersionStatus;
  /** Index in `st.words` of the first argument after the keyword. */
  argStart: number;
}
