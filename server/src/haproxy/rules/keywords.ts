// Keyword resolution and the keyword-level rules: unknown-keyword, wrong-section, removed-keyword,
// deprecated-keyword, plus the proxy header shape (`listen name addr:port`, missing names).
import { didYouMean } from '../../core/schema';
import { lineRange, range as spanRange } from '../../core/range';
import type { Fix, Range } from '../../core/types';
import type { Builder } from '../../core/rule';
import { keywordNames, matchAnywhereWords, matchKeywordWords, type KeywordMatch } from '../keywords';
import type { Resolved, Section, Statement } from '../types';
import type { AnalysisCache } from '../analysisCache';
import { rewriteLegacyFilter } from '../legacyRewrite';
import type { RuleContext } from './context';
import { SectionMemo, unlessClean } from './sectionMemo';
import { META } from './meta';

/** Keywords HAProxy accepts after `no` / `default`. */
const NEGATABLE = new Set(['option', 'log', 'busy-polling', 'set-dumpable', 'strict-limits', 'insecure-fork-wanted', 'numa-cpu-mapping']);

/** Removed keywords whose replacement takes exactly the same arguments, so the rename is safe. */
const RENAMES: Record<string, string> = {
  contimeout: 'timeout connect',
  clitimeout: 'timeout client',
  srvtimeout: 'timeout server',
  'timeout contimeout': 'timeout connect',
  'timeout clitimeout': 'timeout client',
  'timeout srvtimeout': 'timeout server',
  redispatch: 'option redispatch',
  redisp: 'option redispatch',
  'tune.chksize': 'tune.bufsize',
  // 1.9 made forceclose the same as httpclose before removing it in 2.0.
  'option forceclose': 'option httpclose',
  'tune.ssl.capture-cipherlist-size': 'tune.ssl.capture-buffer-size',
  transparent: 'option transparent',
};

/**
 * Removed or deprecated keywords that name a replacement which is not a drop-in one: no fix, and the
 * message says why (docs/upgrade.md), so nobody looks for the missing quick fix.
 */
const NOT_DROP_IN: Record<string, string> = {
  nbproc: 'processes do not share stick tables, stats or peers the way threads do; size nbthread by hand',
  'bind-process': 'process numbers do not map to thread numbers; write thread on the bind lines by hand',
  process: 'process numbers do not map to thread numbers; write thread by hand',
  grace: 'hard-stop-after bounds the whole soft stop, not one proxy',
  'monitor-net': 'monitor-net also answered in TCP mode and without logging; write the http-request return rule for what it meant',
  'option http_proxy': 'http-request set-dst needs the destination written for the site',
};

/** Removed keywords whose effect became the only behaviour: deleting the line changes nothing. */
const DROPS: Record<string, string> = {
  // HTX is the only HTTP engine from 2.1 on.
  'option http-use-htx': 'HTX is always on from HAProxy 2.1',
};

const PROXY_KINDS = new Set(['frontend', 'backend', 'listen', 'defaults']);

/** First words shared by several multi-word keywords; "did you mean" then compares two words. */
function prefixWords(names: string[]): Set<string> {
  const s = new Set<string>();
  for (const n of names) {
    const sp = n.indexOf(' ');
    if (sp > 0) s.add(n.slice(0, sp));
  }
  return s;
}

export function resolveKeywords(ctx: RuleContext): void {
  const { doc } = ctx;
  for (let orphanIndex = 0, orphans = doc.orphans; orphanIndex < orphans.length; orphanIndex++) {
    const st = orphans[orphanIndex];
    if (st.activity === 'inactive') continue;
    if (st.activity === 'active') {
      ctx.report('haproxy/unknown-keyword', ctx.wordRange(st, 0), `'${st.value(0)}' appears before any section: start a section first (global, defaults, frontend, backend, listen, …)`);
    }
  }
  for (let sectionIndex = 0, sections = doc.sections; sectionIndex < sections.length; sectionIndex++) {
    const section = sections[sectionIndex];
    ctx.sectionStatements[sectionIndex] = unlessClean(ctx, resolved, section, () => resolveSection(ctx, section));
  }
}

/** Resolved statements of the sections that resolved without findings. */
const resolved = new SectionMemo<Resolved[]>();

function resolveSection(ctx: RuleContext, section: Section): Resolved[] {
  if (section.header.activity !== 'inactive') checkHeader(ctx, section);
  const list: Resolved[] = [];
  const cache = ctx.remember ? ctx.cache : undefined;
  for (let statementIndex = 0, body = section.body; statementIndex < body.length; statementIndex++) {
    const st = body[statementIndex];
    if (st.activity === 'inactive') continue;
    list.push(resolveStatement(ctx, section, st, cache));
  }
  return list;
}

/** The keyword match of a statement, remembered in the file's cache for the next check of an edited file. */
function matchOf(section: Section, st: Statement, version: string, cache: AnalysisCache | undefined): KeywordMatch | undefined {
  if (cache === undefined) return matchKeywordWords(section.kind, st, version);
  const i = st.index;
  if (cache.matchSection[i] !== section.kind || cache.matchVersion[i] !== version || cache.match[i] === undefined) {
    cache.matchSection[i] = section.kind;
    cache.matchVersion[i] = version;
    cache.match[i] = matchKeywordWords(section.kind, st, version) ?? null;
  }
  return cache.match[i] ?? undefined;
}

function resolveStatement(ctx: RuleContext, section: Section, st: Statement, cache: AnalysisCache | undefined): Resolved {
  const m = matchOf(section, st, ctx.version, cache);
  const live = st.activity === 'active';
  const first = st.value(0)!;
  if (st.mod && live && !NEGATABLE.has(first)) {
    const modifier = st.value(-1);
    ctx.report('haproxy/syntax', ctx.wordRange(st, -1), `'${modifier}' can only prefix option, log and a few global flags, not '${first}': remove '${modifier}'`);
  }
  if (m) {
    // The previous check's object, when it was built from this very match: only its section is new.
    let r = cache?.resolved[st.index];
    if (r !== undefined && r.st === st && r.spec === m.spec && r.status === m.status && r.argStart === m.words) r.section = section;
    else {
      r = { st, section, name: m.spec.name, spec: m.spec, status: m.status, argStart: m.words };
      if (cache !== undefined) cache.resolved[st.index] = r;
    }
    if (live) reportStatus(ctx, r, m);
    return r;
  }
  const r: Resolved = { st, section, argStart: 1 };
  if (!live || st.dynamic(0)) return r;
  const elsewhere = matchAnywhereWords(st, ctx.version);
  const kwRange = (n: number) => lineRange(st.line, st.start(0), st.end(Math.min(n, st.count) - 1));
  if (elsewhere?.spec.sections.every((s) => s === 'bind' || s === 'server')) {
    ctx.report(
      'haproxy/unknown-keyword',
      kwRange(elsewhere.words),
      `unknown keyword '${elsewhere.spec.name}' in '${section.kind}' section: it is a ${elsewhere.spec.sections[0]} option, so it belongs on a '${elsewhere.spec.sections[0]}' line (HAProxy has no line continuation)`,
    );
    return r;
  }
  if (elsewhere) {
    r.name = elsewhere.spec.name;
    r.spec = elsewhere.spec;
    r.status = elsewhere.status;
    r.argStart = elsewhere.words;
    if (elsewhere.status === 'removed') {
      reportStatus(ctx, r, elsewhere);
      return r;
    }
    if (elsewhere.status !== 'not-yet') {
      const warn = elsewhere.spec.warnSections?.includes(section.kind) ?? false;
      const where = elsewhere.spec.sections.filter((s) => s !== 'bind' && s !== 'server').join(', ');
      ctx.report(
        'haproxy/wrong-section',
        kwRange(elsewhere.words),
        warn
          ? `'${elsewhere.spec.name}' has no effect in a '${section.kind}' section (HAProxy ignores it with a warning); move it to a ${where} section`
          : `'${elsewhere.spec.name}' is not allowed in a '${section.kind}' section; it belongs in ${where}`,
        warn ? { variant: 'ignored' } : undefined,
      );
      return r;
    }
    reportStatus(ctx, r, elsewhere);
    return r;
  }
  reportUnknown(ctx, section, st, st.values());
  return r;
}

function reportUnknown(ctx: RuleContext, section: Section, st: Statement, values: string[]): void {
  const names = keywordNames(section.kind, ctx.version);
  const prefixes = prefixWords(names);
  const two = prefixes.has(values[0]) && values.length > 1;
  const typed = two ? `${values[0]} ${values[1]}` : values[0];
  const suggestion = didYouMean(typed, names);
  const range = lineRange(st.line, st.start(0), st.end(two ? 1 : 0));
  const fixes: Fix[] = suggestion ? [{ title: `Replace with '${suggestion}'`, edits: [{ range, newText: suggestion }] }] : [];
  ctx.report(
    'haproxy/unknown-keyword',
    range,
    `unknown keyword '${typed}' in '${section.kind}' section${suggestion ? `; did you mean '${suggestion}'?` : '; check the spelling or the HAProxy version it needs'}`,
    { fixes },
  );
}

function reportStatus(ctx: RuleContext, r: Resolved, m: KeywordMatch): void {
  // Nearly every statement is current: return before building a range for it.
  if (m.status === 'ok') return;
  const spec = m.spec;
  const st = r.st;
  const range = lineRange(st.line, st.start(0), st.end(Math.min(m.words, st.count) - 1));
  if (m.status === 'removed') {
    const { fixes, why } = replacementFixes(ctx, r, range);
    const instead = spec.replacement ? `; use '${spec.replacement}' instead` : '; remove it';
    ctx.report('haproxy/removed-keyword', range, `'${spec.name}' was removed in HAProxy ${spec.removed} (${ctx.versionNote})${instead}${why}`, { fixes });
  } else if (m.status === 'deprecated') {
    const { fixes, why } = replacementFixes(ctx, r, range);
    const instead = spec.replacement ? `; use '${spec.replacement}' instead` : '; plan its removal';
    const gone = spec.removed ? `, removed in HAProxy ${spec.removed} (${ctx.versionNote})` : '';
    ctx.report('haproxy/deprecated-keyword', range, `'${spec.name}' is deprecated since HAProxy ${spec.deprecated}${gone}${instead}${why}`, { fixes });
  } else if (m.status === 'not-yet') {
    ctx.report(
      'haproxy/unknown-keyword',
      range,
      `'${spec.name}' only exists from HAProxy ${spec.added} (${ctx.versionNote}); ${ctx.options.haproxyVersionFromHosts ? 'upgrade the hosts' : 'raise the target version'} or remove it`,
    );
  }
}

/**
 * The exact rewrite of a removed or deprecated keyword, when there is one (docs/rules.md lists them): a
 * rename to a keyword of the target version taking the same arguments, a line whose effect became the only
 * behaviour (deleted), or a 1.x request/response filter turned into its http-request/http-response action.
 */
function replacementFixes(ctx: RuleContext, r: Resolved, range: Range): { fixes: Fix[]; why: string } {
  const none = { fixes: [], why: '' };
  const { st, section } = r;
  if (!section) return none;
  const name = r.spec!.name;
  const rename = RENAMES[name];
  if (rename) {
    if (!keywordNames(section.kind, ctx.version).includes(rename)) return none;
    return { fixes: [{ title: `Replace with '${rename}'`, edits: [{ range, newText: rename }], mechanical: true }], why: '' };
  }
  const notDropIn = NOT_DROP_IN[name];
  if (notDropIn) return { fixes: [], why: ` (no automatic rewrite: ${notDropIn})` };
  const drop = DROPS[name];
  if (drop) return { fixes: [{ title: `Delete '${name}' (${drop})`, edits: [{ range: spanRange(st.line, 0, st.line + 1, 0), newText: '' }], mechanical: true }], why: '' };
  const legacy = rewriteLegacyFilter(st, section.body);
  if (!legacy) return none;
  // A 1.x filter without an exact rewrite says why, so nobody looks for the missing quick fix.
  if ('reason' in legacy) return { fixes: [], why: ` (no automatic rewrite: ${legacy.reason})` };
  const action = legacy.text.split(' ').slice(0, 2).join(' ');
  return { fixes: [{ title: `Rewrite as '${action}'`, edits: [{ range: lineRange(st.line, st.start(0), st.lastEnd), newText: legacy.text }], mechanical: true }], why: '' };
}

function checkHeader(ctx: RuleContext, section: Section): void {
  const st = section.header;
  const live = st.activity === 'active';
  if (!live || !PROXY_KINDS.has(section.kind)) return;
  if (section.kind !== 'defaults' && !section.name) {
    ctx.report('haproxy/syntax', ctx.wordRange(st, 0), `'${section.kind}' needs a name, e.g. '${section.kind} web'`);
    return;
  }
  const n = st.count;
  const ok = section.kind === 'defaults' ? n <= 2 || (n === 3 && st.value(1) === 'from') || (n === 4 && st.value(2) === 'from') : n === 2 || (n === 4 && st.value(2) === 'from');
  if (ok) return;
  if (st.value(n - 1) === 'from') {
    ctx.report('haproxy/syntax', ctx.wordRange(st, n - 1), `'from' needs the name of a defaults section`);
    return;
  }
  if (section.kind === 'frontend' || section.kind === 'listen') {
    // The 1.x form `listen name addr:port`: the address moves to a bind line.
    const addr = st.rawText(2);
    const indent = ' '.repeat(4);
    const fixes: Fix[] = [
      {
        title: `Move '${addr}' to a bind line`,
        edits: [{ range: lineRange(st.line, st.end(1), st.lastEnd), newText: `\n${indent}bind ${addr}` }],
        mechanical: true,
      },
    ];
    ctx.report(
      'haproxy/removed-keyword',
      lineRange(st.line, st.start(2), st.lastEnd),
      `listening addresses on the '${section.kind}' line are no longer accepted; write them on a 'bind ${addr}' line`,
      { fixes },
    );
  } else {
    ctx.report('haproxy/syntax', lineRange(st.line, st.start(2), st.lastEnd), `unexpected words after the ${section.kind} name: only 'from <defaults>' may follow`);
  }
}

/**
 * Resolves every statement's keyword (`ctx.sectionStatements`), which every rule reads. It reports what it finds
 * while resolving (unknown, misplaced, removed and deprecated keywords, header shape) itself: a section's
 * resolution is remembered only when it found nothing (sectionMemo.ts), so recording the findings for a
 * separate rule would mean keeping them per statement across edits, or resolving every line twice.
 */
export const keywordBuilder: Builder<RuleContext> = {
  name: 'haproxy keyword resolution',
  reports: [META['haproxy/syntax'], META['haproxy/unknown-keyword'], META['haproxy/wrong-section'], META['haproxy/removed-keyword'], META['haproxy/deprecated-keyword']],
  build: resolveKeywords,
};
