// Syntax tree of a keepalived configuration (main file plus everything it includes).
import type { Diagnostic, Position, Range } from '../core/types';

export interface KaWord {
  text: string;
  /** Where the word sits in its file; a word produced by `$NAME` expansion gets the reference's range. */
  range: Range;
  quoted: boolean;
  /** Came (partly) from a `$NAME` / `${NAME}` expansion or a `~SEQ` generator. */
  expanded?: boolean;
}

/** `@id` / `@^id` line prefix: the line applies only on (or everywhere but) the host with that config-id. */
export interface KaCondition {
  id: string;
  negate: boolean;
  range: Range;
}

export interface KaStatement {
  file: string;
  line: number;
  words: KaWord[];
  /** From the first word's start to the last word's end. */
  range: Range;
  condition?: KaCondition;
  /** Where an unquoted `!` or `#` started a comment on this line, if one did. */
  commentStart?: Position;
  /** The comment cut the last word in the middle (`auth_pass abc#def` reads `abc`). */
  cutWord?: boolean;
  /** The block this statement opens (`vrrp_instance VI_1 {`). */
  block?: KaBlock;
  /** The block holding this statement. */
  parent: KaBlock;
}

export interface KaBlock {
  /** Schema block kind (`vrrp_instance`, `virtual_ipaddress`…); undefined for blocks of unknown keywords. */
  kind: string | undefined;
  /** Lines are data (addresses, names), not keywords. */
  value: boolean;
  header?: KaStatement;
  file: string;
  open?: Range;
  close?: Range;
  children: KaStatement[];
  parent?: KaBlock;
}

export interface KaInclude {
  /** The file holding the include line. */
  file: string;
  keyword: string;
  pattern: string;
  range: Range;
  /** Absolute files the pattern matched and that were read. */
  files: string[];
}

export interface KaDefinition {
  name: string;
  value: string;
  file: string;
  range: Range;
}

export interface KeepalivedDoc {
  file: string;
  root: KaBlock;
  /** Every statement in reading order, across includes. */
  statements: KaStatement[];
  includes: KaInclude[];
  definitions: KaDefinition[];
  /** Every file read (main first) with its text. */
  sources: Map<string, string>;
  /** Include paths and patterns, and files they matched that were not read (binary, unreadable): a file
   * created, changed or fixed there re-checks the config. */
  watched: Set<string>;
  /** Findings made while parsing: keepalived/syntax and keepalived/include-missing. */
  diagnostics: Diagnostic[];
  /** The parser had to guess where blocks end (a `}` missing or extra, a `{` without keyword): the block
   * structure is not what the braces alone say. */
  bracesRecovered: boolean;
}
