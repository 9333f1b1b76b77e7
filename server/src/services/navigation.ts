// Definition, references and rename over Occurrence lists. Names are scoped by their key, so an ACL of
// one frontend never matches a same-named ACL of another, and keepalived names cross include files.
import type { Position, Range, TextEdit } from '../core/types';
import { rangeContains } from './text';
import type { Location, Occurrence, WorkspaceEditData } from './types';

export function occurrenceAt(occ: Occurrence[], file: string, pos: Position): Occurrence | undefined {
  return occ.find((o) => o.file === file && rangeContains(o.range, pos));
}

function same(occ: Occurrence[], key: string): Occurrence[] {
  const seen = new Set<string>();
  return occ.filter((o) => {
    if (o.key !== key) return false;
    const k = `${o.file}:${o.range.start.line}:${o.range.start.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function definitions(occ: Occurrence[], file: string, pos: Position): Location[] {
  const at = occurrenceAt(occ, file, pos);
  if (!at) return [];
  return same(occ, at.key)
    .filter((o) => o.definition)
    .map((o) => ({ file: o.file, range: o.range }));
}

export function references(occ: Occurrence[], file: string, pos: Position, includeDeclaration: boolean): Location[] {
  const at = occurrenceAt(occ, file, pos);
  if (!at) return [];
  return same(occ, at.key)
    .filter((o) => includeDeclaration || !o.definition)
    .map((o) => ({ file: o.file, range: o.range }));
}

export function prepareRename(occ: Occurrence[], file: string, pos: Position): { range: Range; placeholder: string } | undefined {
  const at = occurrenceAt(occ, file, pos);
  return at ? { range: at.range, placeholder: at.name } : undefined;
}

/** Names every daemon reads as one word: no blanks, quotes, comment or brace characters. */
export function validName(name: string): boolean {
  return /^[^\s"'#!{}\\]+$/.test(name);
}

export class RenameError extends Error {}

export function rename(occ: Occurrence[], file: string, pos: Position, newName: string): WorkspaceEditData | undefined {
  const at = occurrenceAt(occ, file, pos);
  if (!at) return undefined;
  if (!validName(newName)) throw new RenameError(`'${newName}' cannot be used as a name: it must be one word without quotes, '#', '!', braces or backslashes`);
  const edit: WorkspaceEditData = {};
  for (const o of same(occ, at.key)) {
    const list: TextEdit[] = edit[o.file] ?? (edit[o.file] = []);
    list.push({ range: o.range, newText: newName });
  }
  return edit;
}
