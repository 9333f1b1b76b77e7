// The one per-file analysis: what `haconf check` and the language server both run on every config text.
// Size limit → junk heuristic → parse (or re-parse on an earlier tree) → per-file rules → facts for the
// cluster layer → suppression, severity overrides, secret scrubbing → sort. Never throws. The workspace
// model (engine/model.ts) calls it for each file; the CLI reaches it only through the model.
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { FileFacts } from '../core/language';
import type { SourceHost } from '../core/sourceHost';
import { looksBinary } from '../core/sourceHost';
import { applyPolicy, sortDiagnostics } from '../core/policy';
import { lineRange } from '../core/range';
import { MAX_FILE_BYTES } from '../core/limits';
import { perParseHost } from '../core/parseHost';
import { plural } from '../core/plural';
import { LANGUAGE_MODULES } from './languages';
import { templateMask, unrenderedFindings } from '../templates/unrendered';

/** Past this many findings in one file an editor shows the first ones and one line counting the rest (`capPerFile`). */
export const MAX_DIAGNOSTICS_PER_FILE = 500;

export interface FileAnalysis {
  text: string;
  /** The language module's syntax tree; absent for binary, oversized or crashed files. */
  doc?: unknown;
  /** Every finding of this file and of the files it read (includes), after policy, sorted. */
  diagnostics: Diagnostic[];
  /** Every file read (the file itself and its includes) with its text. */
  sources: Map<string, string>;
  /** Files looked for but not read, and include patterns (LanguageModule.watched): a change there re-checks this file. */
  watched?: readonly string[];
  /** Facts for the cluster layer; empty when the file could not be parsed. */
  facts: FileFacts;
}

/** Text that is evidently not a config: NUL bytes, or mostly replacement and control characters. */
export function looksLikeJunk(text: string): boolean {
  if (looksBinary(text)) return true;
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  if (head.length < 64) return false;
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11)) bad++;
  }
  return bad / head.length > 0.1;
}

/** Whether a text is analysed at all: the reason it is not, or undefined. The editor's parse-on-request asks this too. */
export function refusal(file: string, text: string, language: Language): string | undefined {
  if (text.length > MAX_FILE_BYTES) {
    return `${path.basename(file)} is ${text.length} characters long, over the ${MAX_FILE_BYTES}-byte limit; it is not analysed. Split it or check it with the real daemon.`;
  }
  if (looksLikeJunk(text)) {
    return `${path.basename(file)} looks binary (NUL bytes or mostly non-text characters), not a ${language} config; it is not analysed. Open the right file, or choose its language (--lang on the command line).`;
  }
  return undefined;
}

/** Suppression, severity overrides and secret scrubbing, then position order: every finding passes here once. */
export function finishFindings(raw: Diagnostic[], textOf: (file: string) => string | undefined, options: CheckOptions): Diagnostic[] {
  return sortDiagnostics(applyPolicy(raw, textOf, options));
}

/**
 * Parse, per-file rules, facts, suppression and severities for one text; keeps the tree. Never throws.
 * `prev` is an earlier parse of the same file (of this text or an older one) that a language without
 * includes builds on; it is consumed.
 */
export function analyseFile(file: string, text: string, language: Language, options: CheckOptions, host: SourceHost, prev?: { text: string; doc: unknown }): FileAnalysis {
  const single = (message: string): FileAnalysis => ({
    text,
    diagnostics: [{ file, range: lineRange(0, 0, 0), severity: 'error', code: `${language}/syntax`, message }],
    sources: new Map([[file, text]]),
    facts: {},
  });
  const refused = refusal(file, text, language);
  if (refused) return single(refused);
  const mod = LANGUAGE_MODULES[language];
  let doc: unknown;
  let raw: Diagnostic[];
  let sources: Map<string, string>;
  let facts: FileFacts = {};
  let watched: string[] | undefined;
  try {
    // Only a language without includes can build on an earlier parse: an include may have changed since.
    // A Jinja2 template is parsed with its Jinja syntax masked (same length, templates/mask.ts); only the
    // findings the un-rendered text supports are kept, its facts stay out of the cluster layer (the hosts
    // rendered per inventory join it instead, templates/workspace.ts), and its own text is its source.
    const mask = templateMask(file, text, language);
    const parsedText = mask?.text ?? text;
    doc = prev && mod.reparse ? mod.reparse(prev.doc, parsedText, host, options) : mod.parse(file, parsedText, perParseHost(host), options);
    sources = mod.sources(doc);
    const looked = mod.watched ? [...mod.watched(doc)] : [];
    if (looked.length) watched = looked;
    raw = unrenderedFindings(mod.check(doc, options), file, mask);
    facts = mask ? {} : (mod.facts?.(doc) ?? {});
    if (mask) sources = new Map([...sources, [file, text]]);
  } catch (e) {
    // A rule bug must not hide the rest of the workspace; report it as a finding.
    doc = undefined;
    sources = new Map([[file, text]]);
    raw = [
      {
        file,
        range: lineRange(0, 0, 0),
        severity: 'error',
        code: `${language}/syntax`,
        message: `internal error while checking ${path.basename(file)}: ${(e as Error).message}. Please report this with the file attached.`,
      },
    ];
  }
  return { text, doc, diagnostics: finishFindings(raw, (f) => sources.get(f), options), sources, facts, ...(watched ? { watched } : {}) };
}

/**
 * What an editor shows of one file's findings (sorted): the first MAX_DIAGNOSTICS_PER_FILE, then one line
 * counting the rest. A display limit only: the model and the CLI keep and count every finding (a capped
 * list could hide an error past the cap from an exit code or a `--max-warnings` gate).
 */
export function capPerFile(ds: Diagnostic[]): Diagnostic[] {
  const count = new Map<string, number>();
  const out: Diagnostic[] = [];
  const dropped = new Map<string, number>();
  for (const d of ds) {
    const n = (count.get(d.file) ?? 0) + 1;
    count.set(d.file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) out.push(d);
    else dropped.set(d.file, (dropped.get(d.file) ?? 0) + 1);
  }
  for (const [file, n] of dropped) {
    const lang = out.find((d) => d.file === file)?.code.split('/')[0] ?? 'haproxy';
    out.push({
      file,
      range: lineRange(0, 0, 0),
      severity: 'information',
      code: `${lang}/syntax`,
      message: `${plural(n, 'more finding', 'more findings')} in this file ${n === 1 ? 'is' : 'are'} not shown (limit ${MAX_DIAGNOSTICS_PER_FILE}); fix the ones above first, or check whether this is really a ${lang} config`,
    });
  }
  return out;
}

/**
 * A stable digest of one file's findings (code, range, severity, message, related locations, fixes): equal
 * keys mean an editor shows the same thing. The model compares these to decide which files to publish again.
 */
export function findingsKey(ds: readonly Diagnostic[]): string {
  return JSON.stringify(ds);
}
