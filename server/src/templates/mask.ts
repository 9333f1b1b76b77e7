// The un-rendered check of a template: the Jinja syntax is replaced, character for character, by text the
// config parser reads as neutral, so every range the parser and the rules report stays exact on the template.
//   - `{{ … }}` becomes one opaque word of the same length: in HAProxy an environment variable `${JJ…}`
//     (words holding one are `dynamic`, and rules stay silent on dynamic values), in keepalived a `$JJ…`
//     parameter, in corosync a plain word.
//   - `{% … %}` and `{# … #}` become blanks (newlines kept), so a tag alone on its line leaves an empty line
//     and an inline `{% if %}…{% endif %}` leaves the words around it.
// Then a finding is dropped when the rule could not decide: it touches an opaque word (the value is only
// known per host), or it is about a repetition or conflict inside a conditional or loop body (both branches
// of an `{% if %}` are present in the un-rendered text; a loop body stands for several lines).
import type { Diagnostic, Language } from '../core/types';
import { scanJinja, type JinjaSpan } from './jinja';

export interface MaskedTemplate {
  /** The text the parser reads: same length and same line breaks as the template. */
  text: string;
  /** Where each `{{ … }}` was, as [line, startChar, endChar] pieces (one per line it covers). */
  opaque: { line: number; start: number; end: number }[];
  /** Lines inside an `{% if %}`/`{% for %}`/… body (0-based). */
  branchLines: Set<number>;
  spans: JinjaSpan[];
}

const BODY_TAGS = new Set(['if', 'for', 'macro', 'call', 'filter', 'block', 'with']);

export function maskTemplate(text: string, language: Language): MaskedTemplate {
  const spans = scanJinja(text);
  const chars = text.split('');
  const opaque: MaskedTemplate['opaque'] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let rawDepth = 0;
  for (const s of spans) {
    if (s.kind === 'block' && s.tag === 'raw') {
      rawDepth = 1;
      blank(chars, s.start, s.end);
      continue;
    }
    if (s.kind === 'block' && s.tag === 'endraw') {
      rawDepth = 0;
      blank(chars, s.start, s.end);
      continue;
    }
    if (rawDepth) continue;
    if (s.kind !== 'expr') {
      blank(chars, s.start, s.end);
      continue;
    }
    // One opaque word per line the expression covers.
    let pieceStart = s.start;
    for (let i = s.start; i <= s.end; i++) {
      if (i === s.end || text[i] === '\n') {
        if (i > pieceStart) {
          writeOpaque(chars, pieceStart, i, language);
          const line = lineOf(pieceStart);
          opaque.push({ line, start: pieceStart - lineStarts[line], end: i - lineStarts[line] });
        }
        pieceStart = i + 1;
      }
    }
  }
  // Lines between an opening body tag and its end tag.
  const branchLines = new Set<number>();
  const open: number[] = [];
  for (const s of spans) {
    if (s.kind !== 'block' || !s.tag) continue;
    if (BODY_TAGS.has(s.tag)) open.push(lineOf(s.start));
    else if (s.tag.startsWith('end') && BODY_TAGS.has(s.tag.slice(3))) {
      const from = open.pop();
      if (from === undefined) continue;
      for (let l = from; l <= lineOf(s.end); l++) branchLines.add(l);
    }
  }
  for (const from of open) for (let l = from; l < lineStarts.length; l++) branchLines.add(l);
  return { text: chars.join(''), opaque, branchLines, spans };
}

function blank(chars: string[], start: number, end: number): void {
  for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
}

function writeOpaque(chars: string[], start: number, end: number, language: Language): void {
  const n = end - start;
  let word: string;
  if (language === 'haproxy') word = n >= 4 ? `\${${'J'.repeat(n - 3)}}` : 'J'.repeat(n);
  else if (language === 'keepalived') word = `$${'J'.repeat(n - 1)}`;
  else word = 'J'.repeat(n);
  for (let i = 0; i < n; i++) chars[start + i] = word[i];
}

/** Words in a finding's code or message that say it compares lines with each other. */
const REPETITION = /duplicate|repeated|twice|more than once|conflict|already|overrid|redefin|same /i;

/**
 * Drops the findings the un-rendered text cannot support: on the main file only, a finding that touches an
 * opaque word, or a repetition/conflict finding on a line inside a conditional or loop body.
 */
export function dropUndecidable(diagnostics: Diagnostic[], file: string, mask: MaskedTemplate): Diagnostic[] {
  return keptFindings(diagnostics, file, mask).map((d) => withoutMaskedFixes(d, file, mask));
}

/**
 * A fix computed from the masked text must not write over Jinja syntax (it would write the mask's filler):
 * a fix with an edit touching a masked piece is dropped (a 1.x filter rewrite whose value is `{{ var }}`).
 */
function withoutMaskedFixes(d: Diagnostic, file: string, mask: MaskedTemplate): Diagnostic {
  if (!d.fixes?.length) return d;
  const touches = (fix: NonNullable<Diagnostic['fixes']>[number]) =>
    (fix.file ?? d.file) === file &&
    fix.edits.some((e) =>
      mask.opaque.some(
        (o) =>
          o.line >= e.range.start.line &&
          o.line <= e.range.end.line &&
          (o.line !== e.range.start.line || o.end >= e.range.start.character) &&
          (o.line !== e.range.end.line || o.start <= e.range.end.character),
      ),
    );
  const fixes = d.fixes.filter((f) => !touches(f));
  if (fixes.length === d.fixes.length) return d;
  return { ...d, fixes: fixes.length ? fixes : undefined };
}

function keptFindings(diagnostics: Diagnostic[], file: string, mask: MaskedTemplate): Diagnostic[] {
  return diagnostics.filter((d) => {
    if (d.file !== file) return true;
    for (let line = d.range.start.line; line <= d.range.end.line; line++) {
      for (const o of mask.opaque) {
        if (o.line !== line) continue;
        const from = line === d.range.start.line ? d.range.start.character : 0;
        const to = line === d.range.end.line ? d.range.end.character : Number.MAX_SAFE_INTEGER;
        // A finding on the whole line (zero width at its start) also counts as touching.
        if (from <= o.end && to >= o.start) return false;
        if (from === to && from === 0) return false;
      }
    }
    // Inside a conditional or loop body, lines are compared with lines that may never render together
    // (or that render many times): repetition/conflict findings and findings citing other lines cannot decide.
    const inBranch = mask.branchLines.has(d.range.start.line) || (d.related ?? []).some((r) => r.file === file && mask.branchLines.has(r.range.start.line));
    if (inBranch && (REPETITION.test(d.message) || REPETITION.test(d.code) || (d.related?.length ?? 0) > 0)) return false;
    return true;
  });
}
