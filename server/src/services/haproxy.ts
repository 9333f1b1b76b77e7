// Editor services for haproxy.cfg over the parsed HaproxyDoc. Completion reads the current text around
// the cursor (the parsed document may be a keystroke behind) and takes names from the last parse.
import { isRegularFile } from '../core/sourceHost';
import * as path from 'node:path';
import type { Position, Range } from '../core/types';
import { lineRange } from '../core/range';
import type { HaproxyDoc, Section, Statement, Word } from '../haproxy/types';
import { lexLine } from '../haproxy/lexer';
import { enumValuesIn, keywordNames, matchAnywhere, matchKeyword, optionNames, sectionInfo, sectionNames, matchOption } from '../haproxy/keywords';
import { keywordMarkdown } from './docs';
import { childCap, outlineSummary } from './symbolBudget';
import type { LineIndex } from './text';
import type { CompletionItem, DocLink, FoldRange, HoverResult, Occurrence, SymbolNode, WorkspaceSymbolInfo } from './types';

const PROXY = new Set(['frontend', 'backend', 'listen', 'defaults']);
const BACKEND_REF = new Set(['use_backend', 'default_backend']);
const TIME_UNITS = ['us', 'ms', 's', 'm', 'h', 'd'];
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

function findSection(doc: HaproxyDoc, kind: string, name: string | undefined): Section | undefined {
  return doc.sections.find((s) => s.kind === kind && s.name?.value === name);
}

function backendNames(doc: HaproxyDoc): Section[] {
  return doc.sections.filter((s) => (s.kind === 'backend' || s.kind === 'listen') && s.name && !s.name.dynamic);
}

function aclNames(section: Section | undefined): string[] {
  if (!section) return [];
  const set = new Set<string>();
  for (const st of section.body) if (st.value(0) === 'acl' && st.count > 1) set.add(st.value(1)!);
  return [...set].sort();
}

// ---------- completion ----------

interface LineContext {
  /** Words fully typed before the cursor's word. */
  done: Word[];
  partial: string;
  partialStart: number;
}

function lineContext(before: string, line: number): LineContext | undefined {
  const lexed = lexLine(before, 0, before.length, line, []);
  if (lexed.commentStart !== undefined) return undefined;
  const ws = lexed.words;
  const endsBlank = before.length === 0 || /\s$/.test(before);
  if (endsBlank || ws.length === 0) return { done: ws, partial: '', partialStart: before.length };
  const last = ws[ws.length - 1];
  return { done: ws.slice(0, -1), partial: last.raw, partialStart: last.start };
}

/** The section the cursor is in, found in the live text by walking up to the nearest header. */
function sectionFromText(lines: LineIndex, line: number, sections: Set<string>): { kind: string; name?: string } | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const m = /^\s*([^\s#]+)(?:\s+([^\s#]+))?/.exec(lines.line(l));
    if (m && sections.has(m[1])) return { kind: m[1], name: m[2] };
  }
  return undefined;
}

/**
 * Settings a section holds one value of: HAProxy accepts a second line but silently keeps only the last, so
 * completion does not offer them again once the section sets them.
 */
const SINGLE_VALUED = new Set([
  // global
  'daemon',
  'master-worker',
  'nbthread',
  'user',
  'group',
  'uid',
  'gid',
  'chroot',
  'pidfile',
  'ulimit-n',
  'maxsslconn',
  'node',
  'hard-stop-after',
  // proxies
  'mode',
  'balance',
  'retries',
  'fullconn',
  'hash-type',
  'hash-balance-factor',
  'http-reuse',
  'default_backend',
  'cookie',
  'dynamic-cookie-key',
  'id',
  'description',
  'log-format',
  'log-format-sd',
  'error-log-format',
  'unique-id-format',
  'unique-id-header',
  'backlog',
  'maxconn',
  'log-tag',
  'server-state-file-name',
  'load-server-state-from-file',
  'timeout client',
  'timeout server',
  'timeout connect',
  'timeout check',
  'timeout queue',
  'timeout tunnel',
  'timeout http-request',
  'timeout http-keep-alive',
  'timeout client-fin',
  'timeout server-fin',
  'timeout tarpit',
]);

/** Single-valued settings already written in the cursor's section (live text, the cursor's line left out). */
function alreadySet(lines: LineIndex, line: number, sections: Set<string>): Set<string> {
  const found = new Set<string>();
  const add = (l: number): boolean => {
    const m = /^\s*([^\s#]+)(?:\s+([^\s#]+))?/.exec(lines.line(l));
    if (!m) return true;
    if (sections.has(m[1])) return false;
    if (SINGLE_VALUED.has(m[1])) found.add(m[1]);
    if (m[2] && SINGLE_VALUED.has(`${m[1]} ${m[2]}`)) found.add(`${m[1]} ${m[2]}`);
    return true;
  };
  for (let l = line - 1; l >= 0 && add(l); l--);
  for (let l = line + 1; l < lines.count && add(l); l++);
  return found;
}

/**
 * Completion at `pos`. `companions`: the other files of the split configuration `doc` belongs to (their
 * backends and userlists can be named from this file too).
 */
export function haproxyCompletion(lines: LineIndex, doc: HaproxyDoc | undefined, pos: Position, version: string, companions: readonly HaproxyDoc[] = []): CompletionItem[] {
  const text = lines.line(pos.line);
  const before = text.slice(0, pos.character);
  const ctx = lineContext(before, pos.line);
  if (!ctx) return [];
  const range = lineRange(pos.line, ctx.partialStart, pos.character);
  const sectionSet = new Set(sectionNames(version));
  const where = sectionFromText(lines, pos.line, sectionSet);
  const section = where?.kind;
  const item = (label: string, kind: CompletionItem['kind'], extra: Partial<CompletionItem> = {}): CompletionItem => ({ label, kind, insertText: label, range, ...extra });

  let done = ctx.done;
  if (done.length && (done[0].value === 'no' || done[0].value === 'default') && section) done = done.slice(1);
  const idx = done.length;

  if (idx === 0) {
    const out: CompletionItem[] = [];
    if (section) {
      const set = alreadySet(lines, pos.line, sectionSet);
      for (const name of keywordNames(section, version)) {
        if (set.has(name)) continue;
        const m = matchKeyword(section, name.split(' '), version);
        out.push(
          item(name, 'keyword', {
            detail: `${section} keyword`,
            docRef: { language: 'haproxy', scope: section, name },
            deprecated: m?.status === 'deprecated',
          }),
        );
      }
    }
    for (const s of sectionSet) out.push(item(s, 'section', { detail: 'section', sortText: `~${s}`, docRef: { language: 'haproxy', scope: '', name: s, what: 'section' } }));
    return out;
  }

  const kw = done[0].value;
  const doneValues = done.map((w) => w.value);
  const stale = doc && where ? findSection(doc, where.kind, where.name) : undefined;

  if (/http_auth(_group)?\(/.test(ctx.partial) && doc) {
    const open = ctx.partial.lastIndexOf('(') + 1;
    const r = lineRange(pos.line, ctx.partialStart + open, pos.character);
    return [doc, ...companions].flatMap((d) =>
      d.sections
        .filter((s) => s.kind === 'userlist' && s.name)
        .map((s) => ({ label: s.name!.value, kind: 'reference' as const, insertText: s.name!.value, range: r, detail: d === doc ? 'userlist' : `userlist (${path.basename(d.file)})` })),
    );
  }
  // Conditions: ACL names after if / unless.
  if (done.some((w) => COND_WORDS.has(w.value)) && kw !== 'acl') {
    const neg = ctx.partial.startsWith('!');
    return aclNames(stale).map((n) => item(neg ? `!${n}` : n, 'reference', { detail: 'ACL', filterText: neg ? `!${n}` : n }));
  }
  if (BACKEND_REF.has(kw) && idx === 1 && doc) {
    const own = backendNames(doc).map((s) => item(s.name!.value, 'reference', { detail: `${s.kind} (line ${s.header.line + 1})` }));
    const others = companions.flatMap((d) => backendNames(d).map((s) => item(s.name!.value, 'reference', { detail: `${s.kind} (${path.basename(d.file)}:${s.header.line + 1})` })));
    return [...own, ...others];
  }
  const optKind = kw === 'bind' ? 'bind' : kw === 'server' || kw === 'default-server' ? 'server' : undefined;
  const firstOpt = kw === 'bind' ? 2 : kw === 'server' ? 3 : 1;
  if (optKind && section !== 'peers' && section !== 'resolvers' && section !== 'ring') {
    const prev = done[idx - 1]?.value;
    if (optKind === 'server' && prev === 'track' && doc) {
      return backendNames(doc)
        .flatMap((b) => b.body.filter((st) => st.value(0) === 'server' && st.count > 1).map((st) => `${b.name!.value}/${st.value(1)}`))
        .map((n) => item(n, 'reference', { detail: 'backend/server' }));
    }
    const prevSpec = prev ? matchOption(optKind, prev, version)?.spec : undefined;
    const prevArg = prevSpec?.args?.[0];
    if (idx > firstOpt && prevArg && prevArg.type === 'enum' && prevArg.values) {
      return enumValuesIn(prevArg, version).map((v) => item(v, 'value', { detail: `${prev} value` }));
    }
    if (idx >= firstOpt) {
      return optionNames(optKind, version).map((n) => item(n, 'option', { detail: `${optKind} option`, docRef: { language: 'haproxy', scope: optKind, name: n } }));
    }
    return [];
  }
  if (!section) return [];
  // Multi-word keywords: `timeout ` → connect, client, …
  const prefix = doneValues.join(' ') + ' ';
  const next = new Set<string>();
  for (const name of keywordNames(section, version)) {
    if (name.startsWith(prefix)) next.add(name.slice(prefix.length).split(' ')[0]);
  }
  if (next.size) {
    const set = alreadySet(lines, pos.line, sectionSet);
    for (const n of [...next]) if (set.has(`${prefix}${n}`)) next.delete(n);
    return [...next].sort().map((n) => item(n, 'keyword', { detail: `${section} keyword`, docRef: { language: 'haproxy', scope: section, name: `${prefix}${n}` } }));
  }
  const m = matchKeyword(section, doneValues, version);
  if (!m?.spec.args?.length) return [];
  const args = m.spec.args;
  const argPos = idx - m.words;
  const arg = args[argPos] ?? (args[args.length - 1].rest ? args[args.length - 1] : undefined);
  if (!arg) return [];
  if (arg.type === 'enum' && arg.values) return enumValuesIn(arg, version).map((v) => item(v, 'value', { detail: `${m.spec.name} ${arg.name}` }));
  if (arg.type === 'time' && /^\d+$/.test(ctx.partial)) {
    return TIME_UNITS.map((u) => item(`${ctx.partial}${u}`, 'unit', { detail: 'time unit' }));
  }
  if (arg.type === 'bool') return ['on', 'off'].map((v) => item(v, 'value'));
  return [];
}

// ---------- documentation ----------

export function haproxyKeywordDoc(scope: string, name: string, version: string, what?: 'keyword' | 'section'): string | undefined {
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
