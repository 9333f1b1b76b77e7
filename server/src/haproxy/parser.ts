// Tolerant haproxy.cfg parser. Two stages:
//  1. lex: every line into words with ranges (version independent, done once);
//  2. assemble: `.if` evaluation, activity of each line and the section tree for one target version
//     (cheap, redone when the check asks for another version than the parse assumed).
// Both are linear in the input and never throw: a bad line is reported and the next one parsed as usual.
import type { Activity, Conditional, Directive, HaproxyDoc, Section, SyntaxIssue } from './types';
import { lexInto, WordBuffer } from './lexer';
import { Statement } from './statement';
import { evalCondition, type Tri } from './cond';
import { sectionNames } from './keywords';
import { DEFAULT_HAPROXY_VERSION } from '../core/types';
import { MAX_ANALYSED_LINE } from '../core/limits';

export function parseHaproxy(file: string, text: string, version: string = DEFAULT_HAPROXY_VERSION): HaproxyDoc {
  const statements: Statement[] = [];
  const lexIssues: SyntaxIssue[] = [];
  const lexed = lexLines(text, 0, text.length, 0, statements, lexIssues);
  return finish(file, text, statements, lexIssues, lexed, version);
}

interface Lexed {
  /** Line number after the last line read. */
  line: number;
  missingNewline?: HaproxyDoc['missingNewline'];
}

/**
 * Lexes the lines of `text` that start in [pos, stop) — `pos` at a line start — appending statements
 * and issues. A line is read whole even when it runs past `stop`.
 */
function lexLines(text: string, pos: number, stop: number, line: number, statements: Statement[], lexIssues: SyntaxIssue[]): Lexed {
  const len = text.length;
  let missingNewline: HaproxyDoc['missingNewline'];
  // At most one word per 4 characters in real configs: room for that up front (trimmed after the last line),
  // grown when a file is denser.
  const words = new WordBuffer(Math.max(64, (Math.min(stop, len) - pos) >> 2));
  while (pos < stop && pos < len) {
    let nl = text.indexOf('\n', pos);
    const last = nl < 0;
    if (last) nl = len;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    // Positions stop before a trailing \r: editors count it as part of the line break.
    if (last) missingNewline = { line, character: end - pos };
    if (end - pos > MAX_ANALYSED_LINE) {
      lexIssues.push({
        line,
        start: 0,
        end: MAX_ANALYSED_LINE,
        message: `line is ${end - pos} characters long; only the first ${MAX_ANALYSED_LINE} are analysed. Move long lists to an ACL or map file`,
      });
      end = pos + MAX_ANALYSED_LINE;
    }
    words.startLine();
    const code = lexInto(text, pos, end, line, lexIssues, words);
    if (words.count > 0) statements.push(new Statement(line, statements.length, words, words.lineFirst, words.count, code >= 2 ? (code >> 1) - 1 : undefined));
    pos = nl + 1;
    line++;
  }
  words.trim();
  return { line, missingNewline };
}

function finish(file: string, text: string, statements: Statement[], lexIssues: SyntaxIssue[], lexed: Lexed, version: string): HaproxyDoc {
  const doc = unassembled(file, text, statements, lexIssues, lexed, version);
  assemble(doc, version);
  return doc;
}

/** The document before assemble(): statements and lex issues only. */
function unassembled(file: string, text: string, statements: Statement[], lexIssues: SyntaxIssue[], lexed: Lexed, version: string): HaproxyDoc {
  const lineCount = lexed.missingNewline ? lexed.line : lexed.line + 1;
  const doc: HaproxyDoc = {
    file,
    text,
    lineCount,
    statements,
    lexIssues,
    orphans: [],
    sections: [],
    directives: [],
    conditionals: [],
    structureIssues: [],
    missingNewline: lexed.missingNewline,
    version,
  };
  return doc;
}

/**
 * Parses `text` reusing the statements of `prev`, a parse of an earlier text of the same file: only the
 * lines that changed are lexed again. HAProxy statements never span lines, so every other line keeps its
 * words and only moves. `prev` is consumed: its statements now belong to the result.
 */
export function reparseHaproxy(prev: HaproxyDoc, text: string, version: string = prev.version): HaproxyDoc {
  const old = prev.text;
  if (old === text) {
    const doc = finish(prev.file, text, prev.statements, prev.lexIssues, { line: linesRead(prev), missingNewline: prev.missingNewline }, version);
    doc.edit = { at: prev.statements.length, removed: 0, inserted: 0 };
    return doc;
  }
  const min = Math.min(old.length, text.length);
  // Equal prefix and suffix: whole chunks compared natively first, then characters in the first unequal one.
  const CHUNK = 2048;
  let p = 0;
  while (p + CHUNK <= min && old.slice(p, p + CHUNK) === text.slice(p, p + CHUNK)) p += CHUNK;
  while (p < min && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s + CHUNK <= min - p && old.slice(old.length - s - CHUNK, old.length - s) === text.slice(text.length - s - CHUNK, text.length - s)) s += CHUNK;
  while (s < min - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  // The first changed line starts after the last newline before p; a \r\n split by the edit is re-read whole.
  const from = p === 0 ? 0 : text.lastIndexOf('\n', p - 1) + 1;
  const firstLine = newlines(text, 0, from - 1);
  // Re-read through the end of the line holding the end of the change; from the next line on both texts
  // are the same characters.
  const newEnd = text.length - s;
  const oldEnd = old.length - s;
  const newNl = text.indexOf('\n', newEnd);
  const oldNl = old.indexOf('\n', oldEnd);
  if (newNl < 0 || oldNl < 0) {
    // The change reaches the last line: read everything from the first changed line.
    return spliced(prev, text, version, firstLine, from, text.length, Infinity, 0);
  }
  const oldLines = newlines(old, from, oldNl);
  const newLines = newlines(text, from, newNl);
  return spliced(prev, text, version, firstLine, from, newNl + 1, firstLine + oldLines, newLines - oldLines);
}

/** Index of the first statement on line `line` or after it (statements are in line order). */
function firstAtLine(statements: readonly Statement[], line: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Newlines in text[from, last]. */
function newlines(text: string, from: number, last: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i <= last; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** What lexLines() returned for a whole document: lineCount also counts the empty line after a final newline. */
function linesRead(doc: HaproxyDoc): number {
  return doc.missingNewline ? doc.lineCount : doc.lineCount - 1;
}

/** Keeps prev's lines before `firstLine`, lexes [from, to) of the new text, and keeps prev's lines from
 * `oldAfter` on, moved by `delta`. */
function spliced(prev: HaproxyDoc, text: string, version: string, firstLine: number, from: number, to: number, oldAfter: number, delta: number): HaproxyDoc {
  const lexIssues: SyntaxIssue[] = [];
  const ps = prev.statements;
  // Statements are in line order: the kept ones are found by bisection and copied natively (a keystroke
  // in a 30,000-line file keeps all of them but one).
  let i = firstAtLine(ps, firstLine);
  const statements = ps.slice(0, i);
  for (const issue of prev.lexIssues) if (issue.line < firstLine) lexIssues.push(issue);
  const keptBefore = i;
  const lexed = lexLines(text, from, to, firstLine, statements, lexIssues);
  if (oldAfter !== Infinity) {
    const insertedEnd = statements.length;
    i = Math.max(i, firstAtLine(ps, oldAfter));
    const removed = ps.slice(keptBefore, i);
    const removedCount = i - keptBefore;
    for (; i < ps.length; i++) {
      const st = ps[i];
      st.line += delta;
      st.index = statements.length;
      statements.push(st);
    }
    for (const issue of prev.lexIssues) if (issue.line >= oldAfter) lexIssues.push({ ...issue, line: issue.line + delta });
    const missingNewline = prev.missingNewline ? { line: prev.missingNewline.line + delta, character: prev.missingNewline.character } : undefined;
    const doc = unassembled(prev.file, text, statements, lexIssues, { line: linesRead(prev) + delta, missingNewline }, version);
    doc.edit = { at: keptBefore, removed: removedCount, inserted: insertedEnd - keptBefore };
    if (version !== prev.version || !patchStructure(prev, doc, keptBefore, removed, statements.slice(keptBefore, insertedEnd))) assemble(doc, version);
    return doc;
  }
  const doc = finish(prev.file, text, statements, lexIssues, lexed, version);
  doc.edit = { at: keptBefore, removed: ps.length - keptBefore, inserted: statements.length - keptBefore };
  return doc;
}

/**
 * After an edit that neither removed nor added a section header or a directive, the section tree of `prev`
 * still holds: only the edited section's body changes, and the end lines move. Updates it in place for
 * `doc` instead of walking every statement again; returns false (nothing changed) when the edit touched
 * the structure, or anything this shortcut does not handle, so the caller assembles from scratch.
 * `removed` were prev's statements [keptBefore, …), `inserted` are the new ones in their place.
 */
function patchStructure(prev: HaproxyDoc, doc: HaproxyDoc, keptBefore: number, removed: Statement[], inserted: Statement[]): boolean {
  // Structure issues carry line numbers by value; rare enough to leave to a full assemble.
  if (prev.structureIssues.length > 0) return false;
  const sectionSet = new Set(sectionNames(doc.version));
  for (const st of removed) if (structural(st, sectionSet)) return false;
  for (const st of inserted) if (structural(st, sectionSet)) return false;
  if (removed.length > 0 || inserted.length > 0) {
    // The statement before the edit gives the activity and the section (a header or a body line; not a
    // directive, which changes the activity after it).
    const before = doc.statements[keptBefore - 1];
    if (!before || before.value(0)!.charCodeAt(0) === 46 /* . */) return false;
    const index = sectionIndexOf(prev.sections, before);
    const container = index < 0 ? { header: undefined, body: prev.orphans } : prev.sections[index];
    const at = before === container.header ? 0 : container.body.indexOf(before) + 1;
    if (at === 0 && before !== container.header) return false;
    for (let k = 0; k < removed.length; k++) if (container.body[at + k] !== removed[k]) return false;
    for (const st of inserted) {
      st.activity = before.activity;
      const first = st.value(0);
      if ((first === 'no' || first === 'default') && st.count > 1) st.setModifier(1);
    }
    if (index < 0) container.body.splice(at, removed.length, ...inserted);
    else {
      // A new object for the edited section: rules remember results per section object, so every other
      // section keeps its results and this one is checked afresh.
      const body = container.body.slice();
      body.splice(at, removed.length, ...inserted);
      prev.sections[index] = { ...prev.sections[index], body };
    }
  }
  doc.sections = prev.sections;
  doc.orphans = prev.orphans;
  doc.directives = prev.directives;
  doc.conditionals = prev.conditionals;
  doc.structureIssues = [];
  const sections = doc.sections;
  for (let k = 0; k < sections.length; k++) {
    sections[k].endLine = k + 1 < sections.length ? sections[k + 1].header.line - 1 : Math.max(sections[k].header.line, doc.lineCount - 1);
  }
  return true;
}

/** Whether a line can open a section or is a directive, in any of the ways assemble() reads it. */
function structural(st: Statement, sectionSet: Set<string>): boolean {
  // The first two words as written: a modifier, if assemble() took one off, comes first.
  const w0 = st.value(-st.mod)!;
  const w1 = st.value(1 - st.mod);
  if (w0.charCodeAt(0) === 46 /* . */ || sectionSet.has(w0)) return true;
  return w1 !== undefined && sectionSet.has(w1);
}

/** Index of the section holding a non-directive statement; -1 for the orphans before the first section. */
function sectionIndexOf(sections: Section[], st: Statement): number {
  let lo = 0;
  let hi = sections.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sections[mid].header.line <= st.line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const MODIFIERS = new Set(['no', 'default']);
const PROXIES = new Set(['defaults', 'frontend', 'backend', 'listen']);

interface Frame {
  cond: Conditional;
  parent: Activity;
  /** Whether an earlier branch of this block was taken. */
  taken: Tri;
  sawElse: boolean;
}

function combine(parent: Activity, branch: Tri): Activity {
  if (parent === 'inactive' || branch === false) return 'inactive';
  if (parent === 'unknown' || branch === undefined) return 'unknown';
  return 'active';
}

/** Recomputes activity, directives and the section tree for `version`. */
export function assemble(doc: HaproxyDoc, version: string): void {
  doc.version = version;
  doc.orphans = [];
  doc.sections = [];
  doc.directives = [];
  doc.conditionals = [];
  const issues: SyntaxIssue[] = (doc.structureIssues = []);
  const sectionSet = new Set(sectionNames(version));
  const stack: Frame[] = [];
  let activity: Activity = 'active';
  let current: Section | undefined;
  const issue = (st: Statement, message: string, wi = 0): void => {
    issues.push({ line: st.line, start: st.start(wi < st.count ? wi : 0), end: st.lastEnd, message });
  };

  for (let statementIndex = 0, statements = doc.statements; statementIndex < statements.length; statementIndex++) {
    const st = statements[statementIndex];
    // Reset anything a previous assemble() left behind.
    st.setModifier(0);
    const first = st.value(0)!;
    if (first.charCodeAt(0) === 46 /* . */) {
      const d: Directive = { kind: first, statement: st };
      st.activity = activity;
      switch (first) {
        case '.if': {
          const frame: Frame = { cond: { branches: [d] }, parent: activity, taken: undefined, sawElse: false };
          doc.conditionals.push(frame.cond);
          if (activity === 'inactive') {
            frame.taken = true; // nothing inside is ever taken
            activity = 'inactive';
          } else {
            d.value = condition(st, version, issues);
            frame.taken = d.value;
            activity = combine(frame.parent, d.value);
          }
          stack.push(frame);
          break;
        }
        case '.elif':
        case '.else': {
          const frame = stack[stack.length - 1];
          if (!frame) {
            issue(st, `'${first}' without a matching '.if': add the '.if' or remove this line`);
            break;
          }
          if (frame.sawElse) {
            issue(st, `'${first}' after '.else' is not allowed: reorder the branches`);
            break;
          }
          frame.cond.branches.push(d);
          st.activity = frame.parent;
          if (first === '.else') {
            frame.sawElse = true;
            if (st.count > 1) issue(st, `'.else' takes no argument: move '${st.value(1)}' to a '.elif' or remove it`, 1);
            const v: Tri = frame.taken === undefined ? undefined : !frame.taken;
            activity = combine(frame.parent, v);
            frame.taken = true;
          } else if (frame.taken === true || frame.parent === 'inactive') {
            activity = 'inactive';
          } else {
            d.value = condition(st, version, issues);
            const v: Tri = frame.taken === false ? d.value : d.value === false ? false : undefined;
            activity = combine(frame.parent, v);
            frame.taken = d.value === true ? true : frame.taken === false ? d.value : undefined;
          }
          break;
        }
        case '.endif': {
          const frame = stack.pop();
          if (!frame) {
            issue(st, "'.endif' without a matching '.if': remove it");
            break;
          }
          if (st.count > 1) issue(st, `'.endif' takes no argument: remove '${st.value(1)}'`, 1);
          frame.cond.end = d;
          activity = frame.parent;
          st.activity = activity;
          break;
        }
        case '.diag':
        case '.notice':
        case '.warning':
        case '.alert':
          if (activity !== 'inactive' && st.count > 2) {
            issue(st, `'${first}' takes one message: put the text in quotes`, 2);
          } else if (first === '.alert' && activity === 'active') {
            issue(st, `'.alert' is reached, so HAProxy refuses to start with: ${st.value(1) ?? ''}`);
          }
          break;
        default:
          if (activity !== 'inactive') {
            issue(st, `unknown directive '${first}': the directives are .if .elif .else .endif .diag .notice .warning .alert`);
          }
      }
      doc.directives.push(d);
      continue;
    }
    st.activity = activity;
    if (MODIFIERS.has(first) && st.count > 1) st.setModifier(1);
    const kw = st.value(0)!;
    if (activity !== 'inactive' && st.mod === 0 && sectionSet.has(kw)) {
      if (current) current.endLine = st.line - 1;
      current = newSection(kw, st, doc.sections.length);
      doc.sections.push(current);
      continue;
    }
    if (current) current.body.push(st);
    else doc.orphans.push(st);
  }
  if (current) current.endLine = Math.max(current.header.line, doc.lineCount - 1);
  for (const frame of stack) {
    const st = frame.cond.branches[0].statement;
    issue(st, "'.if' block is never closed: add '.endif'");
  }
}

function newSection(kind: string, header: Statement, index: number): Section {
  const s: Section = { kind, index, header, body: [], endLine: header.line };
  if (PROXIES.has(kind)) {
    if (kind === 'defaults' && header.value(1) === 'from') {
      s.from = header.word(2);
    } else {
      s.name = header.word(1);
      if (header.value(2) === 'from') s.from = header.word(3);
    }
  } else if (kind !== 'global') {
    s.name = header.word(1);
  }
  return s;
}

function condition(st: Statement, version: string, issues: SyntaxIssue[]): Tri {
  const expr = st.values(1).join(' ');
  const r = evalCondition(expr, version);
  if (r.error) {
    issues.push({ line: st.line, start: st.start(st.count > 1 ? 1 : 0), end: st.lastEnd, message: `${r.error} in '${st.value(0)}'` });
  }
  return r.value;
}
