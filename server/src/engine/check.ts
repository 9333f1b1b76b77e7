// One file on its own, for tests, benches and tools that judge a single text (parity with the daemons,
// mutations, the corpus report). A thin wrapper over the one per-file analysis (engine/analyse.ts): `haconf
// check` itself goes through the workspace model (engine/workspace.ts), which runs the same analysis.
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { FileFacts } from '../core/language';
import type { SourceHost } from '../core/sourceHost';
import { detectLanguage, isContentCandidate } from './detect';
import { analyseFile } from './analyse';

export interface FileCheckResult {
  file: string;
  language: Language;
  diagnostics: Diagnostic[];
  /** Every file read for this check (main file and includes) with its text. */
  sources: Map<string, string>;
  /** Facts for the cluster layer; empty when the file could not be parsed. */
  facts: FileFacts;
  /** The language module's syntax tree (for checks across files, e.g. a split HAProxy configuration). */
  doc?: unknown;
}

/** Parses and validates one config text. Never throws. */
export function checkText(file: string, text: string, language: Language, options: CheckOptions, host: SourceHost): FileCheckResult {
  const abs = path.resolve(file);
  const a = analyseFile(abs, text, language, options, host);
  return { file: abs, language, diagnostics: a.diagnostics, sources: a.sources, facts: a.facts, doc: a.doc };
}

export type FileCheckOutcome = FileCheckResult | { file: string; error: string };

/** Reads one file from the host and tells its language (`forced` wins): the text, or why it cannot be checked. */
export function readConfig(file: string, host: SourceHost, forced?: Language): { file: string; language: Language; text: string } | { file: string; error: string } {
  const abs = path.resolve(file);
  const read = host.readText(abs);
  if (!read.ok) return { file: abs, error: read.reason };
  const language = forced ?? detectLanguage(abs, read.text);
  if (!language) {
    const why = isContentCandidate(abs) ? 'neither its name nor its first lines say' : 'only *.cfg and *.conf files are recognised by their content';
    return { file: abs, error: `${file}: cannot tell whether this is haproxy, keepalived or corosync (${why}); pass --lang` };
  }
  return { file: abs, language, text: read.text };
}

/** Reads, detects and checks one file from the host. */
export function checkFile(file: string, options: CheckOptions, host: SourceHost, forced?: Language): FileCheckOutcome {
  const r = readConfig(file, host, forced);
  return 'error' in r ? r : checkText(r.file, r.text, r.language, options, host);
}
