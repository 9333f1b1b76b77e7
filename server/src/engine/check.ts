import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { FileFacts } from '../core/language';
import { applyPolicy, sortDiagnostics } from '../core/policy';
import { looksBinary, type SourceHost } from '../core/sourceHost';
import { lineRange } from '../core/range';
import { LANGUAGE_MODULES } from './languages';
import { detectLanguage, isContentCandidate } from './detect';
import { perParseHost } from '../core/parseHost';

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
export function checkText(
  file: string,
  text: string,
  language: Language,
  options: CheckOptions,
  host: SourceHost,
): FileCheckResult {
  const abs = path.resolve(file);
  if (looksBinary(text)) {
    return {
      file: abs,
      language,
      sources: new Map([[abs, text]]),
      facts: {},
      diagnostics: [
        {
          file: abs,
          range: lineRange(0, 0, 0),
          severity: 'error',
          code: `${language}/syntax`,
          message: `${file} contains NUL bytes and looks binary, not a ${language} config; open the right file or force another language with --lang.`,
        },
      ],
    };
  }
  const mod = LANGUAGE_MODULES[language];
  let raw: Diagnostic[];
  let sources: Map<string, string>;
  let facts: FileFacts = {};
  let doc: unknown;
  try {
    doc = mod.parse(abs, text, perParseHost(host), options);
    sources = mod.sources(doc);
    raw = mod.check(doc, options);
    facts = mod.facts?.(doc) ?? {};
  } catch (e) {
    // A rule bug must not hide the rest of the workspace; report it as a finding.
    sources = new Map([[abs, text]]);
    raw = [
      {
        file: abs,
        range: lineRange(0, 0, 0),
        severity: 'error',
        code: `${language}/syntax`,
        message: `internal error while checking ${file}: ${(e as Error).message}. Please report this with the file attached.`,
      },
    ];
  }
  const diagnostics = sortDiagnostics(applyPolicy(raw, (f) => sources.get(f), options));
  return { file: abs, language, diagnostics, sources, facts, doc };
}

export type FileCheckOutcome = FileCheckResult | { file: string; error: string };

/** Reads, detects and checks one file from the host. */
export function checkFile(
  file: string,
  options: CheckOptions,
  host: SourceHost,
  forced?: Language,
): FileCheckOutcome {
  const abs = path.resolve(file);
  const read = host.readText(abs);
  if (!read.ok) return { file: abs, error: read.reason };
  const language = forced ?? detectLanguage(abs, read.text);
  if (!language) {
    const why = isContentCandidate(abs) ? 'neither its name nor its first lines say' : 'only *.cfg and *.conf files are recognised by their content';
    return { file: abs, error: `${file}: cannot tell whether this is haproxy, keepalived or corosync (${why}); pass --lang` };
  }
  return checkText(abs, read.text, language, options, host);
}
