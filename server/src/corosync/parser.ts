// Tolerant corosync.conf parser following exec/coroparse.c (3.1.7) line by line:
// - a line is at most 510 bytes plus its newline (fgets into a 512-byte buffer);
// - trailing blanks are dropped; a line whose first non-blank character is `#` is a comment, a `#`
//   anywhere else is data (so `two_node: 1 # x` has the value `1 # x`);
// - a line holding `{` opens a section named by what precedes it, and nothing may follow the `{`;
// - otherwise a line holding `:` is `key: value`, split at the first `:` (IPv6 values keep theirs);
// - otherwise the line must be exactly `}`.
// There are no quotes, escapes or includes. The daemon stops at the first error; we record it and go on,
// closing sections that were evidently left open so one missing `}` does not shift the whole file.
import type { Fix, Range } from '../core/types';
import { lineRange, range, splitLines } from '../core/range';
import { COROSYNC_MAX_LINE } from '../core/limits';
import { childSections, homesOf, joinPath, sectionSpec } from './keywords';

export interface Word {
  text: string;
  range: Range;
}

export interface KeyNode {
  kind: 'key';
  key: Word;
  value: Word;
  /** From the key's first character to the end of the value. */
  range: Range;
  /** Dotted path of the enclosing section ('' at the top level). */
  sectionPath: string;
  parent: SectionNode;
}

export interface SectionNode {
  kind: 'section';
  name: Word;
  /** Dotted path as corosync builds it, e.g. `nodelist.node`. The root is ''. */
  path: string;
  parent?: SectionNode;
  children: Array<KeyNode | SectionNode>;
  /** The header line from the name to the `{`. */
  header: Range;
  /** The closing `}`; absent when the section was never closed. */
  close?: Range;
}

export interface SyntaxIssue {
  range: Range;
  message: string;
  fixes?: Fix[];
}

export interface CorosyncDoc {
  file: string;
  text: string;
  lines: string[];
  root: SectionNode;
  /** Every key in file order. */
  keys: KeyNode[];
  /** Every section except the root, in file order. */
  sections: SectionNode[];
  issues: SyntaxIssue[];
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t';

function firstNonBlank(s: string, from = 0): number {
  let i = from;
  while (i < s.length && isBlank(s[i])) i++;
  return i;
}

/** End (exclusive) after dropping trailing blanks, and `:`/`{` too when `colonBrace` (remove_whitespace). */
function trimEnd(s: string, start: number, end: number, colonBrace: boolean): number {
  let e = end;
  while (e > start && (isBlank(s[e - 1]) || (colonBrace && (s[e - 1] === ':' || s[e - 1] === '{')))) e--;
  return e;
}

function word(line: number, s: string, start: number, end: number): Word {
  return { text: s.slice(start, end), range: lineRange(line, start, end) };
}

function byteLength(s: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes; skip the exact count for short lines.
  return s.length * 3 <= COROSYNC_MAX_LINE ? s.length : Buffer.byteLength(s, 'utf8');
}

export function parseCorosync(file: string, text: string): CorosyncDoc {
  const lines = splitLines(text);
  const rawLines = text.split('\n');
  const root: SectionNode = { kind: 'section', name: { text: '', range: lineRange(0, 0, 0) }, path: '', children: [], header: lineRange(0, 0, 0) };
  const doc: CorosyncDoc = { file, text, lines, root, keys: [], sections: [], issues: [] };
  const issue = (r: Range, message: string, fixes?: Fix[]): void => {
    doc.issues.push(fixes ? { range: r, message, fixes } : { range: r, message });
  };
  let cur = root;
  const endsWithNewline = text.endsWith('\n');
  // A final empty element after the last newline is not a line.
  const lineCount = endsWithNewline ? lines.length - 1 : lines.length;

  const addKey = (n: number, line: string, ks: number, ke: number, vs: number, ve: number, parent: SectionNode): void => {
    const node: KeyNode = {
      kind: 'key',
      key: word(n, line, ks, ke),
      value: word(n, line, vs, ve),
      range: lineRange(n, ks, Math.max(ke, ve)),
      sectionPath: parent.path,
      parent,
    };
    parent.children.push(node);
    doc.keys.push(node);
  };

  for (let n = 0; n < lineCount; n++) {
    const line = lines[n];
    const bytes = byteLength(rawLines[n] ?? line);
    const isLastUnterminated = n === lineCount - 1 && !endsWithNewline;
    if (bytes > COROSYNC_MAX_LINE - 2 && !(isLastUnterminated && bytes <= COROSYNC_MAX_LINE - 1)) {
      issue(
        lineRange(n, 0, line.length),
        `line is ${bytes} bytes long; corosync reads at most ${COROSYNC_MAX_LINE - 2} bytes per line and refuses the file ("Line too long"). Shorten the value or split it.`,
      );
    }
    const start = firstNonBlank(line);
    const end = trimEnd(line, start, line.length, false);
    if (start >= end || line[start] === '#') continue;

    const brace = line.indexOf('{');
    if (brace >= 0) {
      const nameEnd = trimEnd(line, start, brace, true);
      const afterStart = firstNonBlank(line, brace + 1);
      const after = line.slice(afterStart, end);
      if (nameEnd <= start) {
        issue(lineRange(n, start, end), "'{' has no section name before it; write the name on the same line, e.g. 'totem {'.");
      }
      const name = word(n, line, start, Math.max(start, nameEnd));
      const parent = recoverParent(cur, name.text, n, doc);
      cur = parent;
      const section: SectionNode = {
        kind: 'section',
        name,
        path: joinPath(parent.path, name.text),
        parent,
        children: [],
        header: lineRange(n, start, brace + 1),
      };
      parent.children.push(section);
      doc.sections.push(section);
      if (after !== '') {
        issue(lineRange(n, afterStart, end), `corosync refuses text after '{' ("Extra characters after opening bracket"); put '${after}' on lines of its own.`, [
          {
            title: 'Move the text after { to its own lines',
            edits: [{ range: lineRange(n, brace + 1, end), newText: '\n' + ' '.repeat(start + 4) + after.replace(/\s*\}$/, '') + (after.endsWith('}') ? '\n' + ' '.repeat(start) + '}' : '') }],
          },
        ]);
        // `node { ring0_addr: x }` on one line: keep its key and close it, so the rest still lines up.
        if (after.endsWith('}')) {
          const innerEnd = trimEnd(line, afterStart, end - 1, false);
          const colon = line.indexOf(':', afterStart);
          if (colon >= 0 && colon < innerEnd && !line.slice(afterStart, innerEnd).includes('{')) {
            addKey(n, line, afterStart, trimEnd(line, afterStart, colon, true), firstNonBlank(line, colon + 1), innerEnd, section);
          }
          section.close = lineRange(n, end - 1, end);
          continue;
        }
      }
      cur = section;
      continue;
    }

    const colon = line.indexOf(':');
    if (colon >= 0) {
      const ke = trimEnd(line, start, colon, true);
      const vs = firstNonBlank(line, colon + 1);
      addKey(n, line, start, ke, Math.min(vs, end), end, cur);
      continue;
    }

    if (line.indexOf('}') >= 0) {
      if (line.slice(start, end) !== '}') {
        issue(lineRange(n, start, end), 'a closing \'}\' must stand alone on its line ("Extra characters before or after closing bracket"); move the other text to its own line.');
      }
      if (cur === root) {
        issue(lineRange(n, start, end), "this '}' closes no section (\"Unexpected closing brace\"); delete it or add the missing 'name {' above.", [
          // The last line has no line break to take along.
          { title: "Delete the extra '}'", edits: [{ range: n + 1 < lines.length ? range(n, 0, n + 1, 0) : lineRange(n, 0, line.length), newText: '' }] },
        ]);
        continue;
      }
      cur.close = lineRange(n, start, end);
      cur = cur.parent ?? root;
      continue;
    }

    const text = line.slice(start, end);
    const m = /^([A-Za-z0-9_]+)([ \t]+)(\S.*)$/.exec(text);
    if (m && homesOf(m[1]).length > 0) {
      issue(lineRange(n, start, end), `'${text}' is neither 'key: value', 'name {' nor '}'; corosync needs a colon after the key: '${m[1]}: ${m[3]}'.`, [
        { title: `Write '${m[1]}: ${m[3]}'`, edits: [{ range: lineRange(n, start + m[1].length, start + m[1].length + m[2].length), newText: ': ' }] },
      ]);
    } else {
      issue(
        lineRange(n, start, end),
        `'${text.length > 40 ? text.slice(0, 40) + '…' : text}' is neither 'key: value', 'name {' nor '}' ("Line is not opening or closing section or key value"); fix or comment it out with '#'.`,
      );
    }
  }

  for (let s: SectionNode | undefined = cur; s && s !== root; s = s.parent) {
    // Without a final newline the end of the text is the end of the last line, not a line after it.
    const at = endsWithNewline || lineCount === 0 ? lineRange(lineCount, 0, 0) : lineRange(lineCount - 1, lines[lineCount - 1].length, lines[lineCount - 1].length);
    issue(s.name.range, `section '${s.name.text}' is never closed ("Missing closing brace"); add '}' after its last line.`, [
      { title: "Add the missing '}'", edits: [{ range: at, newText: (endsWithNewline || lineCount === 0 ? '' : '\n') + '}\n' }] },
    ]);
  }
  return doc;
}

/**
 * Where a section opening inside `cur` really belongs. When `cur` is a known section that cannot hold
 * `name` but an enclosing one can (`quorum {` while `totem {` is still open), the sections in between
 * were left unclosed: report each and attach the new section where it belongs.
 */
function recoverParent(cur: SectionNode, name: string, line: number, doc: CorosyncDoc): SectionNode {
  if (!cur.parent || childSections(cur.path).has(name) || !sectionSpec(cur.path)) return cur;
  let target: SectionNode | undefined = cur.parent;
  while (target && !childSections(target.path).has(name)) target = target.parent;
  if (!target) return cur;
  for (let s: SectionNode | undefined = cur; s && s !== target; s = s.parent) {
    doc.issues.push({
      range: s.name.range,
      message: `section '${s.name.text}' is not closed before '${name} {' on line ${line + 1}; corosync would read '${name}' as part of '${s.path}'. Add '}' before line ${line + 1}.`,
      fixes: [{ title: `Close '${s.name.text}' before '${name} {'`, edits: [{ range: lineRange(line, 0, 0), newText: '}\n' }] }],
    });
  }
  return target;
}
