// Editor services for corosync.conf over the parsed CorosyncDoc (sections addressed by dotted path).
import type { Position } from '../core/types';
import { lineRange } from '../core/range';
import type { CorosyncDoc, KeyNode, SectionNode } from '../corosync/parser';
import { childSections, keySpec, keysOf, sectionSpec } from '../corosync/keywords';
import { keywordMarkdown } from './docs';
import type { LineIndex } from './text';
import type { CompletionItem, SignatureHelpData, FoldRange, HoverResult, SymbolNode, WorkspaceSymbolInfo } from './types';

/** Innermost section whose body holds `line` (the root when none). */
export function corosyncSectionAt(doc: CorosyncDoc, line: number): SectionNode {
  let best = doc.root;
  for (const s of doc.sections) {
    if (s.header.start.line < line && (!s.close || s.close.start.line >= line) && s.header.start.line >= best.header.start.line) best = s;
  }
  return best;
}

export function corosyncCompletion(lines: LineIndex, doc: CorosyncDoc, pos: Position): CompletionItem[] {
  const text = lines.line(pos.line);
  const before = text.slice(0, pos.character);
  const lead = before.search(/\S/);
  if (lead >= 0 && before[lead] === '#') return [];
  const section = corosyncSectionAt(doc, pos.line);
  const colon = before.indexOf(':');
  if (colon >= 0) {
    const key = before.slice(0, colon).trim();
    const arg = keySpec(section.path, key)?.args?.[0];
    const vStart = colon + 1 + (before.slice(colon + 1).length - before.slice(colon + 1).trimStart().length);
    const range = lineRange(pos.line, vStart, pos.character);
    if (arg?.type === 'address' || arg?.type === 'ip') return usedAddresses(doc).map((v) => ({ label: v, kind: 'reference' as const, insertText: v, range, detail: 'address used in this file' }));
    // A small integer range (linknumber 0..7) is listed like an enum.
    const small = arg?.type === 'int' && arg.min !== undefined && arg.max !== undefined && arg.max - arg.min < 16;
    const values = arg?.type === 'enum' ? (arg.values ?? []) : arg?.type === 'bool' ? (arg.values ?? ['yes', 'no']) : small ? range0(arg.min!, arg.max!) : [];
    return values.map((v) => ({ label: v, kind: 'value', insertText: v, range, detail: `${key} value` }));
  }
  const start = lead < 0 ? before.length : lead;
  if (/\s/.test(before.slice(start))) return [];
  const range = lineRange(pos.line, start, pos.character);
  const out: CompletionItem[] = [];
  const present = new Set(section.children.filter((c): c is KeyNode => c.kind === 'key' && c.key.range.start.line !== pos.line).map((c) => c.key.text));
  for (const [name, spec] of keysOf(section.path)) {
    out.push({
      label: name,
      kind: 'keyword',
      insertText: `${name}: `,
      range,
      detail: `${section.path || 'top level'} key`,
      sortText: `${present.has(name) ? '1' : '0'}${name}`,
      deprecated: spec.deprecated !== undefined || spec.removed !== undefined,
      docRef: { language: 'corosync', scope: section.path, name },
    });
  }
  for (const [name] of childSections(section.path)) {
    out.push({
      label: name,
      kind: 'section',
      insertText: `${name} {\n\t$0\n}`,
      snippet: true,
      range,
      detail: 'section',
      sortText: `2${name}`,
      docRef: { language: 'corosync', scope: section.path, name, what: 'section' },
    });
  }
  return out;
}

function range0(min: number, max: number): string[] {
  return Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
}

/** Addresses given to other keys of the file (ring0_addr of the other nodes, bindnetaddr …), each once. */
function usedAddresses(doc: CorosyncDoc): string[] {
  const out = new Set<string>();
  for (const k of doc.keys) {
    const arg = keySpec(k.sectionPath, k.key.text)?.args?.[0];
    if ((arg?.type === 'address' || arg?.type === 'ip') && k.value.text) out.add(k.value.text);
  }
  return [...out];
}

/** Signature help after `key:`: the value the key takes (`linknumber: <int 0..7>`, `transport: { knet | udp | udpu }`). */
export function corosyncSignatureHelp(lines: LineIndex, doc: CorosyncDoc, pos: Position): SignatureHelpData | undefined {
  const before = lines.line(pos.line).slice(0, pos.character);
  const colon = before.indexOf(':');
  if (colon < 0 || before.trimStart().startsWith('#')) return undefined;
  const key = before.slice(0, colon).trim();
  const arg = keySpec(corosyncSectionAt(doc, pos.line).path, key)?.args?.[0];
  if (!arg) return undefined;
  const value = arg.type === 'enum' && arg.values ? `{ ${arg.values.join(' | ')} }` : `<${arg.type}${arg.min !== undefined && arg.max !== undefined ? ` ${arg.min}..${arg.max}` : ''}>`;
  const label = `${key}: ${value}`;
  return { signatures: [{ label, parameters: [{ label: [key.length + 2, label.length] }] }], activeSignature: 0, activeParameter: 0 };
}

export function corosyncKeywordDoc(scope: string, name: string, what?: 'keyword' | 'section'): string | undefined {
  if (what === 'section') {
    const path = scope ? `${scope}.${name}` : name;
    const spec = sectionSpec(path);
    return spec ? keywordMarkdown(spec, { language: 'corosync', section: true, title: `section \`${path}\`` }) : undefined;
  }
  const spec = keySpec(scope, name);
  return spec ? keywordMarkdown(spec, { language: 'corosync', scope, title: `\`${name}\``, where: scope ? `in \`${scope}\`` : 'at the top level' }) : undefined;
}

export function corosyncHover(doc: CorosyncDoc, pos: Position): HoverResult | undefined {
  for (const k of doc.keys) {
    if (k.key.range.start.line !== pos.line) continue;
    if (pos.character < k.key.range.start.character || pos.character > k.key.range.end.character) continue;
    const md = corosyncKeywordDoc(k.sectionPath, k.key.text);
    return md ? { markdown: md, range: k.key.range } : undefined;
  }
  for (const s of doc.sections) {
    const r = s.name.range;
    if (r.start.line !== pos.line || pos.character < r.start.character || pos.character > r.end.character) continue;
    const md = corosyncKeywordDoc(s.parent?.path ?? '', s.name.text, 'section');
    return md ? { markdown: md, range: r } : undefined;
  }
  return undefined;
}

/** Deepest section level turned into symbols: real files nest three levels, hostile ones 100,000. */
const MAX_SYMBOL_DEPTH = 32;

const endCache = new WeakMap<CorosyncDoc, Map<SectionNode, Position>>();

/**
 * Where each section ends (its `}`, or its last line when unclosed), computed once per document in one
 * pass: sections are listed parent before child, so walking the list backwards has every child's end
 * ready. A recursive walk overflowed the stack, and took quadratic time, on deeply nested unclosed input.
 */
function sectionEnds(doc: CorosyncDoc): Map<SectionNode, Position> {
  let ends = endCache.get(doc);
  if (ends) return ends;
  ends = new Map();
  for (let i = doc.sections.length - 1; i >= 0; i--) {
    const s = doc.sections[i];
    if (s.close) {
      ends.set(s, s.close.end);
      continue;
    }
    let end = s.header.end;
    for (const c of s.children) {
      const e = c.kind === 'key' ? c.range.end : (ends.get(c) ?? c.header.end);
      if (e.line > end.line || (e.line === end.line && e.character > end.character)) end = e;
    }
    ends.set(s, end);
  }
  endCache.set(doc, ends);
  return ends;
}

function symbolOf(s: SectionNode, ends: Map<SectionNode, Position>, depth: number): SymbolNode {
  const children: SymbolNode[] =
    depth >= MAX_SYMBOL_DEPTH
      ? []
      : s.children.map((c) =>
          c.kind === 'key' ? { name: c.key.text, detail: c.value.text, kind: 'key' as const, range: c.range, selectionRange: c.key.range, children: [] } : symbolOf(c, ends, depth + 1),
        );
  const nodeName = s.path === 'nodelist.node' ? s.children.find((c): c is KeyNode => c.kind === 'key' && (c.key.text === 'name' || c.key.text === 'ring0_addr'))?.value.text : undefined;
  return {
    name: s.name.text,
    detail: nodeName,
    kind: s.path === 'nodelist.node' ? 'node' : 'section',
    range: { start: s.header.start, end: ends.get(s) ?? s.header.end },
    selectionRange: s.name.range,
    children,
  };
}

export function corosyncSymbols(doc: CorosyncDoc): SymbolNode[] {
  const ends = sectionEnds(doc);
  return doc.root.children.filter((c): c is SectionNode => c.kind === 'section').map((c) => symbolOf(c, ends, 1));
}

export function corosyncWorkspaceSymbols(doc: CorosyncDoc): WorkspaceSymbolInfo[] {
  const out: WorkspaceSymbolInfo[] = [];
  for (const s of doc.sections) {
    if (s.path !== 'nodelist.node') continue;
    const name = s.children.find((c): c is KeyNode => c.kind === 'key' && c.key.text === 'name') ?? s.children.find((c): c is KeyNode => c.kind === 'key' && c.key.text === 'ring0_addr');
    if (name) out.push({ name: name.value.text, kind: 'node', file: doc.file, range: name.value.range, container: 'nodelist' });
  }
  return out;
}

export function corosyncFolding(doc: CorosyncDoc): FoldRange[] {
  const out: FoldRange[] = [];
  const ends = sectionEnds(doc);
  for (const s of doc.sections) {
    const end = s.close ? s.close.start.line - 1 : (ends.get(s) ?? s.header.end).line;
    if (end > s.header.start.line) out.push({ startLine: s.header.start.line, endLine: end });
  }
  return out;
}
