// Editor services for haproxy.cfg over the parsed HaproxyDoc (completion: haproxyCompletion.ts).
import { isRegularFile } from '../core/sourceHost';
import * as path from 'node:path';
import type { Position, Range } from '../core/types';
import { lineRange } from '../core/range';
import type { HaproxyDoc, Section, Statement, Word } from '../haproxy/types';
import { matchAnywhere, matchKeyword, sectionInfo, matchOption } from '../haproxy/keywords';
import { keywordMarkdown } from './docs';
import { aclKeywordMarkdown, predefinedAclMarkdown, sampleHover, sampleMarkdown } from './sampleHover';
import { childCap, outlineSummary } from './symbolBudget';
import type { CompletionDocRef, DocLink, FoldRange, HoverResult, Occurrence, SymbolNode, WorkspaceSymbolInfo } from './types';

const PROXY = new Set(['frontend', 'backend', 'listen', 'defaults']);
const BACKEND_REF = new Set(['use_backend', 'default_backend']);
const COND_WORDS = new Set(['if', 'unless']);
const COND_OPERATORS = new Set(['||', 'or', '!', '{', '}']);

// ---------- lookups ----------

function lastAtOrBefore<T>(list: T[], line: number, lineOf: (t: T) => number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lineOf(list[mid]) <= line) {
      found = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function sectionAt(doc: HaproxyDoc, line: number): Section | undefined {
  const s = lastAtOrBefore(doc.sections, line, (x) => x.header.line);
  return s && line <= s.endLine ? s : undefined;
}

export function statementAt(doc: HaproxyDoc, line: number): Statement | undefined {
  const st = lastAtOrBefore(doc.statements, line, (x) => x.line);
  return st && st.line === line ? st : undefined;
}

/** Every word of a statement as objects, the modifier included (one line, on request). */
function words(st: Statement): Word[] {
  const out: Word[] = [];
  for (let k = -st.mod; k < st.count; k++) out.push(st.word(k)!);
  return out;
}

export function backendNames(doc: HaproxyDoc): Section[] {
  return doc.sections.filter((s) => (s.kind === 'backend' || s.kind === 'listen') && s.name && !s.name.dynamic);
}

export function aclNames(section: Section | undefined): string[] {
  if (!section) return [];
  const set = new Set<string>();
  for (const st of section.body) if (st.value(0) === 'acl' && st.count > 1) set.add(st.value(1)!);
  return [...set].sort();
}

// ---------- documentation ----------

export function haproxyKeywordDoc(scope: string, name: string, version: string, what?: CompletionDocRef['what']): string | undefined {
  if (what === 'fetch' || what === 'converter') return sampleMarkdown(what, name, version);
  if (what === 'acl') return aclKeywordMarkdown(name, version);
  if (what === 'section') {
    const spec = sectionInfo(name);
    return spec ? keywordMarkdown(spec, { language: 'haproxy', section: true, title: `section \`${name}\``, target: version }) : undefined;
  }
  const m = matchKeyword(scope, name.split(' '), version) ?? matchAnywhere(name.split(' '), version);
  if (!m) return undefined;
  const where = scope === 'bind' || scope === 'server' ? `${scope} option` : `in \`${scope}\``;
  return keywordMarkdown(m.spec, { language: 'haproxy', title: `\`${m.spec.name}\``, where, target: version });
}

// ---------- hover ----------

export function haproxyHover(doc: HaproxyDoc, pos: Position, version: string): HoverResult | undefined {
  const st = statementAt(doc, pos.line);
  if (!st) return undefined;
  if (st.commentStart !== undefined && pos.character >= st.commentStart) return undefined;
  const ws = words(st);
  const wi = ws.findIndex((w) => pos.character >= w.start && pos.character <= w.end);
  if (wi < 0) return undefined;
  const w = ws[wi];
  const section = sectionAt(doc, pos.line);
  const r = (a: Word, b: Word = a): Range => lineRange(st.line, a.start, b.end);
  if (section && section.header === st) {
    if (wi === 0) {
      const md = haproxyKeywordDoc('', section.kind, version, 'section');
      return md ? { markdown: md, range: r(w) } : undefined;
    }
    // Words are made on request: the section's name is the same word when it starts at the same column.
    if (section.name?.start === w.start && (section.kind === 'backend' || section.kind === 'listen')) return backendHover(section, r(w));
    return undefined;
  }
  const offset = st.mod;
  const kwWords = st.values();
  const m = section ? (matchKeyword(section.kind, kwWords, version) ?? matchAnywhere(kwWords, version)) : matchAnywhere(kwWords, version);
  if (m && wi >= offset && wi < offset + m.words) {
    const md = keywordMarkdown(m.spec, { language: 'haproxy', where: section ? `in \`${section.kind}\`` : undefined, target: version });
    return { markdown: md, range: lineRange(st.line, st.start(0), st.end(m.words - 1)) };
  }
  // A fetch, converter or ACL keyword inside a sample expression (ACL criteria, conditions, `%[…]`).
  if (wi >= offset + (m?.words ?? 1)) {
    const sample = sampleHover(st, m?.spec.name, m?.words ?? 1, wi - offset, pos.character, version);
    if (sample) return sample;
  }
  const kw = st.value(0)!;
  if (BACKEND_REF.has(kw) && wi === offset + 1) {
    const target = backendNames(doc).find((s) => s.name!.value === w.value);
    if (target) return backendHover(target, r(w));
  }
  const optKind = kw === 'bind' ? 'bind' : kw === 'server' || kw === 'default-server' ? 'server' : undefined;
  if (optKind) {
    const opt = matchOption(optKind, w.value, version);
    if (opt && wi >= (kw === 'bind' ? 2 : kw === 'server' ? 3 : 1)) {
      return { markdown: keywordMarkdown(opt.spec, { language: 'haproxy', where: `${optKind} option`, target: version }), range: r(w) };
    }
  }
  if (section && wi > 0 && kwWords.slice(0, wi).some((x) => COND_WORDS.has(x))) {
    const name = w.value.replace(/^!/, '');
    const defs = section.body.filter((s) => s.value(0) === 'acl' && s.value(1) === name);
    if (defs.length) {
      const lines = defs.map((d) => `    ${d.rawText(0)}`);
      return { markdown: `**ACL \`${name}\`** (${defs.length} line${defs.length > 1 ? 's, ORed' : ''})\n\n\`\`\`haproxy\n${lines.join('\n')}\n\`\`\``, range: r(w) };
    }
    // A predefined ACL (`METH_POST`, `LOCALHOST`) the section does not redefine.
    const predefined = /^[A-Z][A-Z0-9_.]*$/.test(name) ? predefinedAclMarkdown(name, version) : undefined;
    if (predefined) return { markdown: predefined, range: r(w) };
  }
  return undefined;
}

function backendHover(s: Section, range: Range): HoverResult {
  const servers = s.body.filter((st) => st.value(0) === 'server' && st.count > 1);
  const list = servers.slice(0, 20).map((st) => `- \`${st.value(1)}\` ${st.value(2) ?? ''}`);
  if (servers.length > 20) list.push(`- … ${servers.length - 20} more`);
  return { markdown: [`**${s.kind} \`${s.name!.value}\`** (line ${s.header.line + 1}), ${servers.length} server${servers.length === 1 ? '' : 's'}`, '', ...list].join('\n'), range };
}

// ---------- structure ----------

function lastLine(s: Section): number {
  return s.body.length ? s.body[s.body.length - 1].line : s.header.line;
}

type OutlineChild = 'server' | 'acl' | 'bind';

/** The statements a section lists in the outline: servers, ACLs and binds. */
function outlineChild(st: Statement): OutlineChild | undefined {
  if (st.count < 2) return undefined;
  const kw = st.value(0);
  return kw === 'server' || kw === 'acl' || kw === 'bind' ? kw : undefined;
}

/** Outline children a section has (servers, ACLs, binds); a section object's body never changes. */
const childCounts = new WeakMap<Section, number>();
/**
 * A section's outline node, kept while the section object, its place and the child cap stay the same: an
 * edit gives only the edited section a new object (parser.ts, patchStructure) and moves every line of the
 * sections after it by the same amount, so typing in one section rebuilds one node, not three thousand.
 */
const sectionNodes = new WeakMap<Section, { line: number; last: number; cap: number; node: SymbolNode }>();

function childCount(s: Section): number {
  let n = childCounts.get(s);
  if (n === undefined) {
    n = 0;
    for (const st of s.body) if (outlineChild(st)) n++;
    childCounts.set(s, n);
  }
  return n;
}

/**
 * Sections with their servers, ACLs and binds. On a big file each section lists only as many children as
 * the outline budget allows (symbolBudget.ts), and the children left out are never built.
 */
export function haproxySymbols(doc: HaproxyDoc): SymbolNode[] {
  const cap = childCap(doc.sections.map(childCount));
  return doc.sections.map((s) => {
    const end = lastLine(s);
    const cached = sectionNodes.get(s);
    if (cached && cached.line === s.header.line && cached.last === end && cached.cap === cap) return cached.node;
    const node = sectionSymbol(doc, s, end, cap);
    sectionNodes.set(s, { line: s.header.line, last: end, cap, node });
    return node;
  });
}

function sectionSymbol(doc: HaproxyDoc, s: Section, end: number, cap: number): SymbolNode {
  const children: SymbolNode[] = [];
  for (let j = 0; j < s.body.length && children.length < cap; j++) {
    const st = s.body[j];
    const kind = outlineChild(st);
    if (!kind) continue;
    const full = lineRange(st.line, st.start(-st.mod), st.lastEnd);
    const selectionRange = lineRange(st.line, st.start(1), st.end(1));
    if (kind === 'bind') children.push({ name: `bind ${st.value(1)}`, kind, range: full, selectionRange, children: [] });
    else children.push({ name: st.value(1)!, detail: st.rawText(2).slice(0, 80), kind, range: full, selectionRange, children: [] });
  }
  const nameWord = s.name ?? s.header.word(-s.header.mod)!;
  const cut = children.length < childCount(s);
  return {
    name: s.name ? `${s.kind} ${s.name.value}` : s.kind,
    detail: cut
      ? outlineSummary(
          s.body.map(outlineChild).filter((k) => k !== undefined),
          children.length,
        )
      : undefined,
    kind: s.kind === 'userlist' ? 'userlist' : 'section',
    range: { start: { line: s.header.line, character: 0 }, end: { line: end, character: lineEnd(doc, end) } },
    selectionRange: lineRange(s.header.line, nameWord.start, nameWord.end),
    children,
  };
}

function lineEnd(doc: HaproxyDoc, line: number): number {
  const st = statementAt(doc, line);
  if (!st) return 0;
  return st.commentStart ?? st.lastEnd;
}

export function haproxyWorkspaceSymbols(doc: HaproxyDoc): WorkspaceSymbolInfo[] {
  const out: WorkspaceSymbolInfo[] = [];
  for (const s of doc.sections) {
    if (!s.name) continue;
    out.push({ name: s.name.value, kind: s.kind === 'userlist' ? 'userlist' : 'section', file: doc.file, range: lineRange(s.header.line, s.name.start, s.name.end), container: s.kind });
    if (!PROXY.has(s.kind)) continue;
    for (const st of s.body) {
      if (st.value(0) === 'server' && st.count > 1)
        out.push({ name: st.value(1)!, kind: 'server', file: doc.file, range: lineRange(st.line, st.start(1), st.end(1)), container: `${s.kind} ${s.name.value}` });
    }
  }
  return out;
}

export function haproxyFolding(doc: HaproxyDoc): FoldRange[] {
  const out: FoldRange[] = [];
  for (const s of doc.sections) {
    const end = lastLine(s);
    if (end > s.header.line) out.push({ startLine: s.header.line, endLine: end });
  }
  for (const c of doc.conditionals) {
    const marks = [...c.branches.map((b) => b.statement.line), ...(c.end ? [c.end.statement.line] : [])];
    for (let i = 0; i + 1 < marks.length; i++) if (marks[i + 1] - 1 > marks[i]) out.push({ startLine: marks[i], endLine: marks[i + 1] - 1 });
  }
  return out;
}

// ---------- names ----------

function opaque(w: Word): boolean {
  return w.dynamic || w.value.includes('%[') || w.value.includes('$');
}

/** Every definition of and reference to backends, servers, ACLs, userlists and named defaults. */
export function haproxyOccurrences(doc: HaproxyDoc): Occurrence[] {
  const out: Occurrence[] = [];
  const f = doc.file;
  const add = (kind: Occurrence['kind'], key: string, name: string, line: number, start: number, end: number, definition: boolean) =>
    out.push({ key: `${f}#${kind}:${key}`, name, kind, file: f, range: lineRange(line, start, end), definition });
  const nameRange = (_st: Statement, w: Word): [number, number] => (w.raw === w.value ? [w.start, w.end] : [w.start + w.raw.indexOf(w.value), w.start + w.raw.indexOf(w.value) + w.value.length]);
  for (const s of doc.sections) {
    const n = s.name;
    if (n && !opaque(n)) {
      if (s.kind === 'backend' || s.kind === 'listen') add('backend', n.value, n.value, s.header.line, ...nameRange(s.header, n), true);
      else if (s.kind === 'defaults') add('defaults', n.value, n.value, s.header.line, ...nameRange(s.header, n), true);
      else if (s.kind === 'userlist') add('userlist', n.value, n.value, s.header.line, ...nameRange(s.header, n), true);
    }
    if (s.from && !opaque(s.from)) add('defaults', s.from.value, s.from.value, s.header.line, ...nameRange(s.header, s.from), false);
    const acls = new Set(aclNames(s));
    const scope = `${s.header.line}`;
    const beName = s.kind === 'backend' || s.kind === 'listen' ? s.name?.value : undefined;
    for (const st of s.body) {
      // One line's words as objects: references and renames walk them all, on request only.
      const w = st.words;
      const kw = w[0]?.value;
      if (kw === 'acl' && w[1]) add('acl', `${scope}:${w[1].value}`, w[1].value, st.line, ...nameRange(st, w[1]), true);
      if (BACKEND_REF.has(kw) && w[1] && !opaque(w[1])) add('backend', w[1].value, w[1].value, st.line, ...nameRange(st, w[1]), false);
      if (kw === 'server' && w[1] && beName) add('server', `${beName}/${w[1].value}`, w[1].value, st.line, ...nameRange(st, w[1]), true);
      if (kw === 'use-server' && w[1] && beName && !opaque(w[1])) add('server', `${beName}/${w[1].value}`, w[1].value, st.line, ...nameRange(st, w[1]), false);
      let inCond = false;
      let braces = 0;
      for (let i = 1; i < w.length; i++) {
        const x = w[i];
        if (x.value === 'track' && (kw === 'server' || kw === 'default-server') && w[i + 1] && !opaque(w[i + 1])) {
          const t = w[i + 1];
          const slash = t.value.indexOf('/');
          const be = slash >= 0 ? t.value.slice(0, slash) : beName;
          const srv = slash >= 0 ? t.value.slice(slash + 1) : t.value;
          if (slash >= 0 && t.raw === t.value) add('backend', be!, be!, st.line, t.start, t.start + slash, false);
          if (be && t.raw === t.value) add('server', `${be}/${srv}`, srv, st.line, t.start + slash + 1, t.end, false);
        }
        const au = /http_auth(?:_group)?\(([^,)]+)/.exec(x.raw);
        if (au) {
          const start = x.start + au.index + au[0].length - au[1].length;
          add('userlist', au[1], au[1], st.line, start, start + au[1].length, false);
        }
        if (COND_WORDS.has(x.value) && kw !== 'acl') {
          inCond = true;
          continue;
        }
        if (!inCond) continue;
        if (x.value === '{') braces++;
        else if (x.value === '}') braces = Math.max(0, braces - 1);
        if (braces > 0 || COND_OPERATORS.has(x.value)) continue;
        const neg = x.value.startsWith('!') ? 1 : 0;
        const name = x.value.slice(neg);
        if (acls.has(name) && x.raw === x.value) add('acl', `${scope}:${name}`, name, st.line, x.start + neg, x.end, false);
      }
    }
  }
  return out;
}

// ---------- links ----------

const PATH_OPTIONS = new Set(['crt', 'ca-file', 'crl-file', 'crt-list', '-f', 'errorfile', 'lua-load', 'lua-load-per-thread', 'ca-verify-file', 'key']);

export function haproxyLinks(doc: HaproxyDoc, exists: (abs: string) => boolean = isRegularFile): DocLink[] {
  const out: DocLink[] = [];
  const dir = path.dirname(doc.file);
  for (const st of doc.statements) {
    for (let i = 1; i < st.count; i++) {
      const value = st.value(i)!;
      if (st.dynamic(i) || value.includes('%[') || value.includes('$') || !/^(\/|\.\.?\/)/.test(value)) continue;
      const prev = st.value(i - 1)!;
      if (!PATH_OPTIONS.has(prev) && !(st.value(0) === 'errorfile' && i === 2)) continue;
      const abs = path.resolve(dir, value);
      if (exists(abs)) out.push({ range: lineRange(st.line, st.start(i), st.end(i)), target: abs, tooltip: abs });
    }
  }
  return out;
}
