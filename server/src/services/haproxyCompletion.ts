// Completion for haproxy.cfg that knows the grammar: keywords with argument placeholders, the actions of
// each rule set, header names, sample fetches and converters (after `acl NAME `, in conditions, inside
// `%[…]`), predefined ACLs, enum values, time/size/count values, backend names, addresses already used,
// bind/server options. Everything is filtered by the target version. It reads the current text around the
// cursor (the parse may be a keystroke behind) and takes names from the last parse, so it never waits for a
// check; nothing here walks the whole file except `usedAddresses`, kept per parse.
import * as path from 'node:path';
import type { Position } from '../core/types';
import { lineRange } from '../core/range';
import type { ArgSpec } from '../core/schema';
import type { HaproxyDoc, Section, Word } from '../haproxy/types';
import { lexLine } from '../haproxy/lexer';
import { enumValuesIn, keywordNames, matchKeyword, optionNames, sectionNames, matchOption } from '../haproxy/keywords';
import { actionNamed, actionsOf, ruleSetOf, syntaxAt, type RuleSet } from '../haproxy/actionData';
import { aclNames, backendNames } from './haproxy';
import {
  ACL_FLAGS,
  ACL_MATCH,
  COUNT_VALUES,
  HEADER_NAMES,
  LOG_FACILITIES,
  LOG_FORMATS,
  LOG_LEVELS,
  LOG_TARGETS,
  SIZE_UNITS,
  STATUS_CODES,
  TIME_UNITS,
  TIME_VALUES,
  aclKeywordsAt,
  convertersAt,
  directiveSyntax,
  fetchesAt,
  optionSyntax,
  predefinedAclsAt,
  sampleSignature,
  sampleSnippet,
  usedAddresses,
} from './haproxyGrammar';
import { parseSyntax, syntaxSnippet, type SyntaxParam } from './syntax';
import type { LineIndex } from './text';
import type { CompletionItem } from './types';

const BACKEND_REF = new Set(['use_backend', 'default_backend']);
const COND_WORDS = new Set(['if', 'unless']);

interface LineContext {
  /** Words fully typed before the cursor's word. */
  done: Word[];
  partial: string;
  partialStart: number;
}

export function lineContext(before: string, line: number): LineContext | undefined {
  const lexed = lexLine(before, 0, before.length, line, []);
  if (lexed.commentStart !== undefined) return undefined;
  const ws = lexed.words;
  const endsBlank = before.length === 0 || /\s$/.test(before);
  if (endsBlank || ws.length === 0) return { done: ws, partial: '', partialStart: before.length };
  const last = ws[ws.length - 1];
  return { done: ws.slice(0, -1), partial: last.raw, partialStart: last.start };
}

/** The section the cursor is in, found in the live text by walking up to the nearest header. */
export function sectionFromText(lines: LineIndex, line: number, sections: Set<string>): { kind: string; name?: string } | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const m = /^\s*([^\s#]+)(?:\s+([^\s#]+))?/.exec(lines.line(l));
    if (m && sections.has(m[1])) return { kind: m[1], name: m[2] };
  }
  return undefined;
}

function findSection(doc: HaproxyDoc, kind: string, name: string | undefined): Section | undefined {
  return doc.sections.find((s) => s.kind === kind && s.name?.value === name);
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

/** Where a sample expression is being typed inside `text` (the cursor's word up to the cursor). */
interface ExprSpot {
  /** fetch: the first name of the expression; converter: a name after a comma; args: inside parentheses. */
  what: 'fetch' | 'converter' | 'args';
  /** Offset in `text` where the name being typed starts. */
  start: number;
}

/** Where the cursor is in the expression `text` (what follows `%[`, or a whole criterion). */
export function exprSpot(text: string, base: number): ExprSpot {
  let depth = 0;
  let quote = '';
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) lastComma = i;
  }
  if (depth > 0) return { what: 'args', start: base + text.length };
  return lastComma >= 0 ? { what: 'converter', start: base + lastComma + 1 } : { what: 'fetch', start: base };
}

/** The open `%[` of a log-format word before the cursor: the offset of its expression, or -1. */
export function openFormatExpr(partial: string): number {
  const at = partial.lastIndexOf('%[');
  if (at < 0) return -1;
  let depth = 0;
  for (let i = at + 2; i < partial.length; i++) {
    if (partial[i] === '(') depth++;
    else if (partial[i] === ')') depth = Math.max(0, depth - 1);
    else if (partial[i] === ']' && depth === 0) return -1;
  }
  return at + 2;
}

/** Placeholder names of action arguments that hold a sample expression, a log-format string, a header name. */
const EXPR_ARGS = /^(expr|key|sample|int|mark|tos|timeout)$/;
const FORMAT_ARGS = /fmt$/;
const HEADER_ARGS = /^name$/;

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
  const from = (start: number) => lineRange(pos.line, start, pos.character);

  let done = ctx.done;
  if (done.length && (done[0].value === 'no' || done[0].value === 'default') && section) done = done.slice(1);
  const idx = done.length;

  // Inside `%[…]` of any word: fetches, then converters after a comma.
  const fmt = openFormatExpr(ctx.partial);
  if (fmt >= 0 && idx > 0) return sampleItems(ctx.partial.slice(fmt), ctx.partialStart + fmt, pos, version);

  if (idx === 0) return keywordItems(lines, pos, section, sectionSet, version, item);

  const kw = done[0].value;
  const doneValues = done.map((w) => w.value);
  const stale = doc && where ? findSection(doc, where.kind, where.name) : undefined;

  if (/http_auth(_group)?\(/.test(ctx.partial) && doc) {
    const open = ctx.partial.lastIndexOf('(') + 1;
    const r = from(ctx.partialStart + open);
    return [doc, ...companions].flatMap((d) =>
      d.sections
        .filter((s) => s.kind === 'userlist' && s.name)
        .map((s) => ({ label: s.name!.value, kind: 'reference' as const, insertText: s.name!.value, range: r, detail: d === doc ? 'userlist' : `userlist (${path.basename(d.file)})` })),
    );
  }

  // Conditions: after if / unless.
  const condAt = kw === 'acl' ? -1 : doneValues.findIndex((v) => COND_WORDS.has(v));
  if (condAt >= 0) return conditionItems(done, condAt, ctx, stale, version, pos, item);

  // `acl NAME criterion [flags] values`
  if (kw === 'acl' && idx >= 2) {
    if (idx === 2) return sampleItems(ctx.partial, ctx.partialStart, pos, version, true);
    const prev = doneValues[idx - 1];
    if (prev === '-m') return ACL_MATCH.map((m) => item(m, 'value', { detail: 'match method' }));
    if (ctx.partial.startsWith('-')) return ACL_FLAGS.map((f) => item(f, 'value', { detail: 'ACL flag' }));
    return [];
  }

  // Rule sets: actions, then the action's arguments.
  const rs = ruleSetOf(doneValues[0], doneValues[1]);
  if (rs && idx >= rs.words) return actionItems(rs.ruleSet, rs.words, doneValues, ctx, version, pos, item);

  if (BACKEND_REF.has(kw) && doc) {
    if (idx === 1) {
      const own = backendNames(doc).map((s) => item(s.name!.value, 'reference', { detail: `${s.kind} (line ${s.header.line + 1})` }));
      const others = companions.flatMap((d) => backendNames(d).map((s) => item(s.name!.value, 'reference', { detail: `${s.kind} (${path.basename(d.file)}:${s.header.line + 1})` })));
      return [...own, ...others];
    }
    if (idx === 2 && kw === 'use_backend') return ['if', 'unless'].map((w) => item(w, 'keyword', { detail: 'condition' }));
    return [];
  }

  const optKind = kw === 'bind' ? 'bind' : kw === 'server' || kw === 'default-server' ? 'server' : undefined;
  const firstOpt = kw === 'bind' ? 2 : kw === 'server' ? 3 : 1;
  if (optKind && section !== 'resolvers' && section !== 'ring') {
    // The address: those the file already uses (binds for bind, servers and peers for server).
    if (doc && ((kw === 'bind' && idx === 1) || (kw === 'server' && idx === 2))) {
      const used = usedAddresses(doc);
      return (kw === 'bind' ? used.bind : used.server).map((a) => item(a, 'reference', { detail: 'address used in this file' }));
    }
    if (section === 'peers') return [];
    const prev = done[idx - 1]?.value;
    if (optKind === 'server' && prev === 'track' && doc) {
      return backendNames(doc)
        .flatMap((b) => b.body.filter((st) => st.value(0) === 'server' && st.count > 1).map((st) => `${b.name!.value}/${st.value(1)}`))
        .map((n) => item(n, 'reference', { detail: 'backend/server' }));
    }
    const prevSpec = prev && idx > firstOpt ? matchOption(optKind, prev, version)?.spec : undefined;
    const prevArg = prevSpec?.args?.[0];
    if (prevArg) {
      const values = argValues(prevArg, ctx.partial, `${prev} value`, item, version);
      if (values) return values;
    }
    if (idx >= firstOpt) {
      return optionNames(optKind, version).map((n) => {
        const spec = matchOption(optKind, n, version)?.spec;
        const args = snippetOf(`${optKind}\u0000${n}\u0000${version}`, () => optionSyntax(optKind, n, spec, version));
        return item(n, 'option', {
          detail: `${optKind} option`,
          docRef: { language: 'haproxy', scope: optKind, name: n },
          ...(args ? { insertText: `${n} ${args}`, snippet: true } : {}),
        });
      });
    }
    return [];
  }
  if (!section) return [];

  if (kw === 'log' && idx >= 1) return logItems(doneValues, item);

  // Multi-word keywords: `timeout ` → connect, client, …
  const prefix = `${doneValues.join(' ')} `;
  const next = new Set<string>();
  for (const name of keywordNames(section, version)) {
    if (name.startsWith(prefix)) next.add(name.slice(prefix.length).split(' ')[0]);
  }
  if (next.size) {
    const set = alreadySet(lines, pos.line, sectionSet);
    for (const n of [...next]) if (set.has(`${prefix}${n}`)) next.delete(n);
    return [...next].sort().map((n) => {
      const full = `${prefix}${n}`;
      const spec = matchKeyword(section, full.split(' '), version)?.spec;
      const args = spec && spec.name === full ? snippetOf(`${section}\u0000${full}\u0000${version}`, () => directiveSyntax(full, spec, version) ?? '') : '';
      return item(n, 'keyword', { detail: `${section} keyword`, docRef: { language: 'haproxy', scope: section, name: full }, ...(args ? { insertText: `${n} ${args}`, snippet: true } : {}) });
    });
  }
  const m = matchKeyword(section, doneValues, version);
  if (!m?.spec.args?.length) return [];
  const args = m.spec.args;
  const argPos = idx - m.words;
  const arg = args[argPos] ?? (args[args.length - 1].rest ? args[args.length - 1] : undefined);
  if (!arg) return [];
  return argValues(arg, ctx.partial, `${m.spec.name} ${arg.name}`, item, version) ?? [];
}

/** Argument snippets by keyword, option or action (and version): the data never changes, the list is shown on every keystroke. */
const snippets = new Map<string, string>();
function snippetOf(key: string, syntax: () => string): string {
  let found = snippets.get(key);
  if (found === undefined) {
    found = syntaxSnippet(parseSyntax(syntax()));
    snippets.set(key, found);
  }
  return found;
}

type MakeItem = (label: string, kind: CompletionItem['kind'], extra?: Partial<CompletionItem>) => CompletionItem;

/** Values for one typed argument: enum values, times with units, sizes, counts, on/off. */
function argValues(arg: ArgSpec, partial: string, detail: string, item: MakeItem, version: string): CompletionItem[] | undefined {
  // Only the values the target version has (`balance log-hash` from 3.1, `mode log` from 3.1, …).
  if (arg.type === 'enum' && arg.values) return enumValuesIn(arg, version).map((v) => item(v, 'value', { detail }));
  if (arg.type === 'bool') return ['on', 'off'].map((v) => item(v, 'value', { detail }));
  const digits = /^\d+$/.test(partial);
  if (arg.type === 'time') {
    if (digits) return TIME_UNITS.map((u) => item(`${partial}${u}`, 'unit', { detail: 'time unit' }));
    if (!partial) return TIME_VALUES.map((v, i) => item(v, 'value', { detail: `${detail} (time: us, ms, s, m, h, d; default ms)`, sortText: `${i}` }));
    return [];
  }
  if (arg.type === 'size') {
    if (digits) return SIZE_UNITS.map((u) => item(`${partial}${u}`, 'unit', { detail: 'size unit' }));
    return [];
  }
  if (arg.type === 'int' && !partial && /count|fall|rise/.test(arg.name)) return COUNT_VALUES.map((v, i) => item(v, 'value', { detail, sortText: `${i}` }));
  return undefined;
}

/** Keywords of the section (with argument placeholders) and section names, at the start of a line. */
function keywordItems(lines: LineIndex, pos: Position, section: string | undefined, sectionSet: Set<string>, version: string, item: MakeItem): CompletionItem[] {
  const out: CompletionItem[] = [];
  if (section) {
    const set = alreadySet(lines, pos.line, sectionSet);
    for (const name of keywordNames(section, version)) {
      if (set.has(name)) continue;
      const m = matchKeyword(section, name.split(' '), version);
      const args = m?.spec.name === name ? snippetOf(`${section}\u0000${name}\u0000${version}`, () => directiveSyntax(name, m.spec, version) ?? '') : '';
      out.push(
        item(name, 'keyword', {
          detail: `${section} keyword`,
          docRef: { language: 'haproxy', scope: section, name },
          deprecated: m?.status === 'deprecated',
          ...(args ? { insertText: `${name} ${args}`, snippet: true } : {}),
        }),
      );
    }
  }
  for (const s of sectionSet) out.push(item(s, 'section', { detail: 'section', sortText: `~${s}`, docRef: { language: 'haproxy', scope: '', name: s, what: 'section' } }));
  return out;
}

/**
 * Fetches (and in an ACL criterion the ACL keywords) or, after a comma, converters, for the expression
 * typed in `text` starting at column `base`. `acl`: an ACL criterion, where ACL keywords (`path_beg`) are fetches too.
 */
function sampleItems(text: string, base: number, pos: Position, version: string, acl = false): CompletionItem[] {
  const spot = exprSpot(text, base);
  if (spot.what === 'args') return [];
  const range = lineRange(pos.line, spot.start, pos.character);
  const out: CompletionItem[] = [];
  const list = spot.what === 'fetch' ? fetchesAt(version) : convertersAt(version);
  // Hundreds of names: once something is typed, only those holding its characters in order go over the
  // wire (a superset of what an editor's fuzzy filter keeps, so nothing it would show is missing).
  const typed = text.slice(spot.start - base).toLowerCase();
  const fits = (name: string) => subsequence(typed, name);
  for (const s of list) {
    if (!fits(s.name)) continue;
    const ins = sampleSnippet(s);
    out.push({
      label: s.name,
      kind: spot.what,
      insertText: ins.text,
      snippet: ins.snippet,
      range,
      detail: `${sampleSignature(s).label}${s.output ? ` → ${s.output}` : ''}`,
      docRef: { language: 'haproxy', scope: '', name: s.name, what: spot.what },
    });
  }
  if (acl && spot.what === 'fetch') {
    for (const a of aclKeywordsAt(version)) {
      if (a.name === a.base?.name || !fits(a.name)) continue;
      const ins = a.base ? sampleSnippet({ ...a.base, name: a.name }) : { text: a.name, snippet: false };
      out.push({
        label: a.name,
        kind: 'fetch',
        insertText: ins.text,
        snippet: ins.snippet,
        range,
        detail: `ACL keyword: ${a.base?.name ?? '?'} -m ${a.match}`,
        docRef: { language: 'haproxy', scope: '', name: a.name, what: 'acl' },
      });
    }
  }
  return out;
}

/** Whether the characters of `typed` (lower case) appear in `name` in order, case ignored. */
function subsequence(typed: string, name: string): boolean {
  let at = 0;
  for (let i = 0; i < name.length && at < typed.length; i++) if (name[i].toLowerCase() === typed[at]) at++;
  return at === typed.length;
}

/** After `if`/`unless`: ACL names of the section, predefined ACLs, and inside `{ … }` a criterion. */
function conditionItems(done: Word[], condAt: number, ctx: LineContext, stale: Section | undefined, version: string, pos: Position, item: MakeItem): CompletionItem[] {
  // An anonymous ACL `{ criterion values }`: the criterion right after the brace.
  let open = -1;
  for (let i = condAt + 1; i < done.length; i++) {
    if (done[i].value === '{') open = i;
    else if (done[i].value === '}') open = -1;
  }
  if (open >= 0) {
    if (open === done.length - 1) return sampleItems(ctx.partial, ctx.partialStart, pos, version, true);
    return [];
  }
  const neg = ctx.partial.startsWith('!');
  const names = [...aclNames(stale).map((n) => ({ n, detail: 'ACL' })), ...predefinedAclsAt(version).map((n) => ({ n, detail: 'predefined ACL' }))];
  return names.map(({ n, detail }) => item(neg ? `!${n}` : n, 'reference', { detail, filterText: neg ? `!${n}` : n, sortText: detail === 'ACL' ? `0${n}` : `1${n}` }));
}

/** `log <target> [len <n>] [format <f>] <facility> [<level> [<minlevel>]]` */
function logItems(doneValues: string[], item: MakeItem): CompletionItem[] {
  const idx = doneValues.length;
  if (idx === 1) return LOG_TARGETS.map((t) => item(t, 'value', { detail: 'log target' }));
  if (doneValues[1] === 'global') return [];
  const prev = doneValues[idx - 1];
  if (prev === 'format') return LOG_FORMATS.map((f) => item(f, 'value', { detail: 'log format' }));
  if (prev === 'len') return [];
  const facilityAt = doneValues.findIndex((v, i) => i > 1 && LOG_FACILITIES.includes(v));
  if (facilityAt < 0) return [...LOG_FACILITIES.map((f) => item(f, 'value', { detail: 'syslog facility' })), item('format', 'keyword'), item('len', 'keyword')];
  if (idx - facilityAt <= 2) return LOG_LEVELS.map((l) => item(l, 'value', { detail: idx - facilityAt === 1 ? 'log level' : 'minimum level' }));
  return [];
}

/** After a rule set's keyword: its actions; after an action: what its argument at the cursor takes. */
function actionItems(ruleSet: RuleSet, setWords: number, doneValues: string[], ctx: LineContext, version: string, pos: Position, item: MakeItem): CompletionItem[] {
  const idx = doneValues.length;
  if (idx === setWords) {
    return actionsOf(ruleSet, version).map((a) => {
      const syntax = syntaxAt(a, version);
      const args = snippetOf(`${ruleSet}\u0000${a.name}\u0000${syntax}`, () => syntax);
      const attached = args.startsWith('(');
      return item(a.name, 'action', {
        detail: `${ruleSet} ${a.name}${syntax ? ` ${syntax}` : ''}`,
        insertText: args ? `${a.name}${attached ? '' : ' '}${args}` : a.name,
        snippet: !!args,
      });
    });
  }
  const action = actionNamed(ruleSet, doneValues[setWords], version);
  if (!action) return [];
  const params = parseSyntax(syntaxAt(action, version));
  const argWords = doneValues.slice(setWords + 1);
  const k = argWords.length;
  const param = paramAt(params, argWords, k);
  const condition = ['if', 'unless'].map((w) => item(w, 'keyword', { detail: 'condition', sortText: `~${w}` }));
  if (!param) return condition;
  const out = argumentItems(action.name, params, param, argWords, ctx, version, pos, item);
  // Past the required arguments: the condition too.
  const at = params.indexOf(param);
  if (param.optional || param.repeats || !params.slice(at + 1).some((p) => !p.optional)) {
    if (!out.some((i) => i.label === 'if')) out.push(...(param.optional || argWords.length > 0 ? condition : []));
  }
  return out;
}

/** What the action argument at the cursor takes. */
function argumentItems(actionName: string, params: readonly SyntaxParam[], param: SyntaxParam, argWords: string[], ctx: LineContext, version: string, pos: Position, item: MakeItem): CompletionItem[] {
  const k = argWords.length;
  const action = { name: actionName };
  const condition = ['if', 'unless'].map((w) => item(w, 'keyword', { detail: 'condition', sortText: `~${w}` }));
  const out: CompletionItem[] = [];
  // An optional group not opened yet (`[table <table>]`, `[ { status | deny_status } <code> ]`): the words
  // that open it, every later group's and the condition.
  const previous = argWords[k - 1];
  const opened = param.lead === undefined || previous === param.lead || (param.choices?.includes(previous ?? '') ?? false);
  if (param.optional && !opened) {
    for (const p of params.slice(params.indexOf(param))) {
      if (!p.optional) break;
      for (const lead of p.choices ?? (p.lead ? [p.lead] : [])) out.push(item(lead, 'keyword', { detail: p.label }));
    }
    return [...out, ...condition];
  }
  if (param.choices && param.lead === undefined) {
    for (const c of param.choices) out.push(item(c, 'value', { detail: `${action.name} ${param.label}` }));
  }
  const name = param.placeholder ?? '';
  if (HEADER_ARGS.test(name) && /header|early-hint/.test(action.name)) {
    for (const h of HEADER_NAMES) out.push(item(h, 'value', { detail: 'header name' }));
  } else if (name === 'level') out.push(...LOG_LEVELS.map((l) => item(l, 'value', { detail: 'log level' })), item('silent', 'value', { detail: 'log level' }));
  else if (name === 'code' || name === 'status') out.push(...STATUS_CODES.map((c) => item(c, 'value', { detail: 'HTTP status' })));
  else if (EXPR_ARGS.test(name)) out.push(...sampleItems(ctx.partial, ctx.partialStart, pos, version));
  else if (FORMAT_ARGS.test(name)) {
    const r = lineRange(pos.line, ctx.partialStart, pos.character);
    for (const f of fetchesAt(version)) {
      const ins = sampleSnippet(f);
      out.push({ label: `%[${f.name}]`, kind: 'fetch', insertText: `%[${ins.text}]`, snippet: ins.snippet, filterText: `%[${f.name}]`, range: r, detail: sampleSignature(f).label });
    }
  }
  return out;
}

/** The parameter the `k`-th argument word fills, or undefined past the last one. */
function paramAt(params: readonly SyntaxParam[], words: readonly string[], k: number): SyntaxParam | undefined {
  let w = 0;
  for (const p of params) {
    if (p.attached) continue;
    if (p.optional && p.lead !== undefined) {
      const word = words[w];
      const opens = word === p.lead || (p.choices?.includes(word ?? '') ?? false);
      if (w >= k) return p;
      if (!opens) continue;
    }
    if (w + p.words > k) return p;
    w += p.words;
    if (p.repeats) return p;
  }
  return undefined;
}
