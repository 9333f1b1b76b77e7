import type { CheckOptions, Diagnostic, Language, RuleMeta } from './types';
import type { SourceHost } from './sourceHost';
import type { CorosyncFacts, HaproxyFacts, KeepalivedFacts } from './facts';

export interface FileFacts {
  keepalived?: KeepalivedFacts;
  haproxy?: HaproxyFacts;
  corosync?: CorosyncFacts;
}

/** What every per-language module exports. The engine knows nothing else about them. */
export interface LanguageModule<Doc = unknown> {
  language: Language;
  rules: RuleMeta[];
  /** Tolerant parse; never throws. `file` is an absolute path (used to resolve includes). `options`, when
   * given, are those of the check that follows (HAProxy assembles its sections for the target version). */
  parse(file: string, text: string, host: SourceHost, options?: CheckOptions): Doc;
  /**
   * Parses a new text of a file reusing `prev`, the parse of its previous text, where the format allows
   * (only the changed lines are read again). Consumes `prev`: it must not be used afterwards.
   */
  reparse?(prev: Doc, text: string, host: SourceHost, options?: CheckOptions): Doc;
  /** Runs every per-file rule. Output is raw: suppression and severity overrides come later. */
  check(doc: Doc, options: CheckOptions): Diagnostic[];
  /** Every file the parse read (the main file first, then includes), with its text. */
  sources(doc: Doc): Map<string, string>;
  /** Files the parse looked for but did not read (an include that is missing, binary or unreadable), and
   * include patterns (glob syntax, absolute): when a file there changes or appears, the file is checked again. */
  watched?(doc: Doc): Iterable<string>;
  /** Normalised facts for the cross-file rules. */
  facts?(doc: Doc): FileFacts;
}
