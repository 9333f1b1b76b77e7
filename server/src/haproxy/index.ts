// The HAProxy language module: tolerant parser, per-file rules and facts for the cluster layer.
import type { FileFacts, LanguageModule } from '../core/language';
import type { CheckOptions, Diagnostic } from '../core/types';
import type { HaproxyBackendFact, HaproxyFacts } from '../core/facts';
import { lineRange } from '../core/range';
import type { HaproxyDoc, Statement } from './types';
import { assemble, parseHaproxy, reparseHaproxy } from './parser';
import { cacheOf, carryCache, type AnalysisCache } from './analysisCache';
import { RuleContext } from './rules/context';
import type { ServerFacts } from './rules/context';
import { haproxyRules } from './rules';
import type { OuterScope } from './rules/context';

export type { HaproxyDoc } from './types';
export { parseHaproxy } from './parser';
export const rules = haproxyRules.catalogue;

export interface Analysis {
  ctx: RuleContext;
  servers: ServerFacts;
}

/** Runs the shared walks once per document and version; check() and facts() both read it. */
const analyses = new WeakMap<HaproxyDoc, Analysis>();

/**
 * `outer`: the rest of a split configuration this file is read with (see rules/scope.ts); a file checked
 * alone has none. A cached analysis is reused only for the same scope object.
 */
export function analyseHaproxy(doc: HaproxyDoc, options: CheckOptions, outer?: OuterScope): Analysis {
  const cached = analyses.get(doc);
  // Same version, scope and wording ("your hosts run 3.2" or "target 3.2"): the findings are the same.
  const sameNote = !cached?.ctx.options.haproxyVersionFromHosts === !options.haproxyVersionFromHosts;
  if (cached && cached.ctx.version === options.haproxyVersion && cached.ctx.outer === outer && sameNote) return cached;
  if (doc.version !== options.haproxyVersion) {
    assemble(doc, options.haproxyVersion);
    cacheOf(doc).pruneSections(doc.sections); // a new section tree: the old one's memos are dead
  }
  const ctx = new RuleContext(doc, options, outer);
  haproxyRules.run(ctx);
  const a = { ctx, servers: ctx.servers };
  analyses.set(doc, a);
  return a;
}

export function checkHaproxy(doc: HaproxyDoc, options: CheckOptions): Diagnostic[] {
  return analyseHaproxy(doc, options).ctx.diagnostics.slice();
}

/** The last analysis of `doc` at this version, alone or within a split configuration, whichever ran last. */
export function lastAnalysis(doc: HaproxyDoc, options: CheckOptions): Analysis {
  const cached = analyses.get(doc);
  return cached && cached.ctx.version === options.haproxyVersion ? cached : analyseHaproxy(doc, options);
}

export function haproxyFacts(doc: HaproxyDoc): HaproxyFacts {
  const cached = analyses.get(doc);
  const { ctx, servers } = cached ?? analyseHaproxy(doc, { haproxyVersion: doc.version });
  // Only the cluster rules read these, and only for files that belong to a cluster: each list is built on
  // first use, so an edit of a file outside any cluster (or a one-file `haconf check`) never pays for it.
  let binds: HaproxyFacts['binds'] | undefined;
  let backends: HaproxyFacts['backends'] | undefined;
  let fp: string | undefined;
  return {
    file: doc.file,
    get binds() {
      return (binds ??= bindFacts(doc, servers));
    },
    get backends() {
      return (backends ??= backendFacts(doc, ctx));
    },
    get fingerprint(): string {
      return (fp ??= fingerprint(doc));
    },
  };
}

const locOf = (doc: HaproxyDoc, line: number, start: number, end: number) => ({ file: doc.file, range: lineRange(line, start, end) });

function bindFacts(doc: HaproxyDoc, servers: ServerFacts): HaproxyFacts['binds'] {
  return servers.binds.map((b) => ({
    proxy: b.res.section?.name?.value ?? b.res.section?.kind ?? '',
    host: b.host,
    port: b.port,
    portEnd: b.portEnd,
    loc: locOf(doc, b.res.st.line, b.word.start, b.word.end),
  }));
}

function backendFacts(doc: HaproxyDoc, ctx: RuleContext): HaproxyBackendFact[] {
  const backends: HaproxyBackendFact[] = [];
  for (let i = 0, a = ctx.proxies; i < a.length; i++) {
    const p = a[i];
    if ((p.kind !== 'backend' && p.kind !== 'listen') || !p.section.name) continue;
    const name = p.section.name;
    backends.push({
      name: name.value,
      loc: locOf(doc, p.section.header.line, name.start, name.end),
      servers: p.servers
        .filter((s) => s.name && s.res.st.activity !== 'inactive')
        .map((s) => ({
          name: s.name!.value,
          host: s.host,
          port: s.port,
          checkPort: s.checkPort !== undefined && s.checkPort >= 0 ? s.checkPort : undefined,
          loc: locOf(doc, s.res.st.line, (s.address ?? s.name!).start, (s.address ?? s.name!).end),
        })),
    });
  }
  return backends;
}

/**
 * Digest of the active statements with every run of blanks read as one space, so comments, blank lines
 * and indentation do not count. Nodes compare it to find a diverging haproxy.cfg; hashing the words where
 * they lie costs one pass and no copy of the text (a joined string was 15 % of a 30,000-line check).
 */
function fingerprint(doc: HaproxyDoc): string {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9747b28c | 0;
  let count = 0;
  const statements = doc.statements;
  const cache = cacheOf(doc);
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    if (st.activity === 'inactive') continue;
    if (cache.digest1[i] === undefined) digestWords(st, cache);
    h1 = fnv(h1, cache.digest1[i]!);
    h2 = murmur(h2, cache.digest2[i]!);
    count++;
  }
  return `${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}:${count}`;
}

const fnv = (h: number, x: number): number => Math.imul(h ^ x, 16777619);
function murmur(h: number, x: number): number {
  const m = Math.imul(h ^ x, 0x5bd1e995);
  return m ^ (m >>> 15);
}

/** Two independent 32-bit lanes (FNV-1a and a murmur-style mix) over the words with single spaces. */
function digestWords(st: Statement, cache: AnalysisCache): void {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9747b28c | 0;
  // Every word as written, the modifier included.
  for (let k = -st.mod; k < st.count; k++) {
    const raw = st.raw(k)!;
    for (let j = 0; j < raw.length; j++) {
      const c = raw.charCodeAt(j);
      h1 = fnv(h1, c);
      h2 = murmur(h2, c);
    }
    h1 = fnv(h1, 32);
    h2 = murmur(h2, 32);
  }
  cache.digest1[st.index] = h1;
  cache.digest2[st.index] = h2;
}

export const haproxyModule: LanguageModule<HaproxyDoc> = {
  language: 'haproxy',
  rules,
  // Parsed for the version the check targets, so the check does not assemble the sections a second time.
  parse: (file, text, _host, options) => parseHaproxy(file, text, options?.haproxyVersion),
  reparse: (prev, text, _host, options) => carryCache(prev, reparseHaproxy(prev, text, options?.haproxyVersion)),
  check: checkHaproxy,
  sources: (doc) => new Map([[doc.file, doc.text]]),
  facts: (doc): FileFacts => ({ haproxy: haproxyFacts(doc) }),
};
