// The properties every parser, the check pipeline, the formatter and the workspace model must keep on
// any input. Each returns normally or throws an assertion error naming what broke.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Diagnostic, Language, Range } from '../../server/src/core/types';
import { defaultCheckOptions } from '../../server/src/core/types';
import type { ReadResult, SourceHost } from '../../server/src/core/sourceHost';
import { globToRegExp, hasGlobMagic } from '../../server/src/core/glob';
import { LANGUAGE_MODULES } from '../../server/src/engine/languages';
import { checkText } from '../../server/src/engine/check';
import { formatText } from '../../server/src/services/format';
import type { HaproxyDoc } from '../../server/src/haproxy/types';

/** Files in memory, so include graphs (cycles, self-globs) can be fuzzed without touching the disk. */
export class MemHost implements SourceHost {
  constructor(readonly files: Map<string, string> = new Map()) {}
  readText(absPath: string): ReadResult {
    const t = this.files.get(absPath);
    return t === undefined ? { ok: false, reason: `cannot read ${absPath}: ENOENT` } : { ok: true, text: t };
  }
  glob(absPattern: string, limit = 1000): string[] {
    if (!hasGlobMagic(absPattern)) return this.files.has(absPattern) ? [absPattern] : [];
    const dir = path.dirname(absPattern);
    const re = globToRegExp(path.basename(absPattern));
    return [...this.files.keys()]
      .filter((f) => path.dirname(f) === dir && re.test(path.basename(f)))
      .sort()
      .slice(0, limit);
  }
}

/** Microseconds allowed per input character on top of a fixed start-up allowance. */
export const TIME_BASE_MS = 400;
export const TIME_PER_CHAR_MS = 0.02;

export function timeBudget(chars: number): number {
  return TIME_BASE_MS + TIME_PER_CHAR_MS * chars;
}

function lineLengths(text: string): number[] {
  // Lines as the engine counts them: split on \n; a \r before it is part of the line break.
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.length - 1 : l.length));
}

export function assertRangeWithin(r: Range, text: string, what: string): void {
  const lens = lineLengths(text);
  for (const [label, p] of [
    ['start', r.start],
    ['end', r.end],
  ] as const) {
    assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: ${label} is not an integer position ${JSON.stringify(p)}`);
    assert.ok(p.line >= 0 && p.line < lens.length, `${what}: ${label} line ${p.line} outside 0..${lens.length - 1}`);
    assert.ok(p.character >= 0 && p.character <= lens[p.line], `${what}: ${label} character ${p.character} past the end of line ${p.line} (length ${lens[p.line]})`);
  }
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  assert.ok(ordered, `${what}: range ends before it starts ${JSON.stringify(r)}`);
}

/** Every range of every finding (and its related locations and fixes) lies inside the file it names. */
export function assertDiagnosticsWithin(ds: Diagnostic[], sources: Map<string, string>): void {
  for (const d of ds) {
    const text = sources.get(d.file);
    assert.ok(text !== undefined, `${d.code} names ${d.file}, which the check did not read`);
    assertRangeWithin(d.range, text, `${d.code} "${d.message.slice(0, 120)}"`);
    assert.ok(d.code.length > 0 && d.message.length > 0, 'a finding without code or message');
    for (const rel of d.related ?? []) {
      const rt = sources.get(rel.file);
      if (rt !== undefined) assertRangeWithin(rel.range, rt, `${d.code} related "${rel.message.slice(0, 80)}"`);
    }
    for (const fix of d.fixes ?? []) {
      const ft = sources.get(fix.file ?? d.file);
      assert.ok(ft !== undefined, `${d.code} fix edits a file the check did not read`);
      for (const e of fix.edits) assertRangeWithin(e.range, ft, `${d.code} fix "${fix.title}"`);
    }
  }
}

export interface RawRun {
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  ms: number;
}

/**
 * The language module alone, without the orchestrator's safety net: parse, sources, rules and facts must
 * not throw by themselves (checkText would turn a throw into an "internal error" finding and hide it).
 */
export function runModule(language: Language, file: string, text: string, host: SourceHost): RawRun {
  const mod = LANGUAGE_MODULES[language];
  const t0 = performance.now();
  const doc = mod.parse(file, text, host);
  const sources = mod.sources(doc);
  const diagnostics = mod.check(doc, defaultCheckOptions());
  mod.facts?.(doc);
  return { diagnostics, sources, ms: performance.now() - t0 };
}

/** All pipeline properties for one input. */
export function checkInput(language: Language, text: string, host: SourceHost = new MemHost(), file = `/fuzz/${language}.conf`): void {
  const raw = runModule(language, file, text, host);
  assert.equal(raw.sources.get(file), text, 'sources() must hold the main file with its exact text');
  assertDiagnosticsWithin(raw.diagnostics, raw.sources);
  let size = 0;
  for (const t of raw.sources.values()) size += t.length;
  assert.ok(raw.ms <= timeBudget(size), `${language}: ${size} characters took ${raw.ms.toFixed(0)} ms (budget ${timeBudget(size).toFixed(0)} ms)`);
  const full = checkText(file, text, language, defaultCheckOptions(), host);
  for (const d of full.diagnostics) assert.doesNotMatch(d.message, /internal error/, `checkText hit an internal error: ${d.message}`);
  assertDiagnosticsWithin(full.diagnostics, full.sources);
}

/** Words of a line as the formatter must keep them: everything but blanks at its start and end. */
function lineCores(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '').trim());
}

/** Formatting is idempotent, keeps every line's words and comments, and changes no finding. */
export function checkFormatting(language: Language, text: string): void {
  const once = formatText(language, text);
  const twice = formatText(language, once);
  assert.equal(twice, once, `${language}: formatting is not idempotent`);
  const before = lineCores(text);
  const after = lineCores(once);
  assert.equal(after.length, before.length, 'formatting changed the number of lines');
  for (let i = 0; i < before.length; i++) {
    // Trailing blanks inside an unterminated quote or after a backslash may stay; anything else is only trimmed.
    assert.equal(after[i], before[i], `formatting changed the words of line ${i}`);
  }
  const host = new MemHost();
  // Emptying a last line of blanks leaves the file ending in a newline, which fixes this one on purpose.
  const key = (ds: Diagnostic[]) =>
    ds
      .filter((d) => d.code !== 'haproxy/missing-final-newline')
      .map((d) => `${d.range.start.line} ${d.code} ${d.severity}`)
      .sort();
  const a = runModule(language, `/fuzz/${language}.conf`, text, host);
  const b = runModule(language, `/fuzz/${language}.conf`, once, host);
  assert.deepEqual(key(b.diagnostics), key(a.diagnostics), `${language}: formatting changed the findings`);
}

/** What a parse tells the rules, without object identity (reparse shares objects with its input). */
export function parseShape(doc: HaproxyDoc): unknown {
  return {
    lineCount: doc.lineCount,
    missingNewline: doc.missingNewline,
    lexIssues: doc.lexIssues,
    structureIssues: doc.structureIssues,
    statements: doc.statements.map((s) => [s.line, s.activity, s.commentStart, s.modifier?.raw, s.words.map((w) => [w.raw, w.value, w.start, w.end, w.quoted, w.dynamic])]),
    sections: doc.sections.map((s) => [s.kind, s.header.line, s.endLine, s.name?.value, s.body.map((b) => b.line)]),
    orphans: doc.orphans.map((s) => s.line),
  };
}
