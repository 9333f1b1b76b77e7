// The HAProxy language module: tolerant parser, per-file rules and facts for the cluster layer.
import type { FileFacts, LanguageModule } from '../core/language';
import type { CheckOptions, Diagnostic } from '../core/types';
import type { HaproxyBackendFact, HaproxyFacts } from '../cluster/facts';
import { lineRange } from '../core/range';
import type { HaproxyDoc } from './types';
import { assemble, parseHaproxy } from './parser';
import { RuleContext } from './rules/context';
import { resolveKeywords } from './rules/keywords';
import { checkArguments } from './rules/arguments';
import { checkServers, type ServerFacts } from './rules/servers';
import { buildProxies, checkDuplicates, checkModes, checkReferences, checkServerRules, checkTimeouts } from './rules/proxies';
import { checkSecurity } from './rules/security';
import { checkSyntax } from './rules/syntax';
import { rules } from './rules/meta';

export type { HaproxyDoc } from './types';
export { parseHaproxy } from './parser';
export { rules };

interface Analysis {
  ctx: RuleContext;
  servers: ServerFacts;
}

/** Runs the shared walks once per document and version; check() and facts() both read it. */
const analyses = new WeakMap<HaproxyDoc, Analysis>();

function analyse(doc: HaproxyDoc, options: CheckOptions): Analysis {
  const cached = analyses.get(doc);
  if (cached && cached.ctx.version === options.haproxyVersion) return cached;
  if (doc.version !== options.haproxyVersion) assemble(doc, options.haproxyVersion);
  const ctx = new RuleContext(doc, options);
  checkSyntax(ctx);
  resolveKeywords(ctx);
  checkArguments(ctx);
  const servers = checkServers(ctx);
  buildProxies(ctx, servers);
  checkDuplicates(ctx);
  checkReferences(ctx);
  checkServerRules(ctx, servers);
  checkModes(ctx);
  checkTimeouts(ctx);
  checkSecurity(ctx);
  const a = { ctx, servers };
  analyses.set(doc, a);
  return a;
}

export function checkHaproxy(doc: HaproxyDoc, options: CheckOptions): Diagnostic[] {
  return analyse(doc, options).ctx.diagnostics.slice();
}

export function haproxyFacts(doc: HaproxyDoc): HaproxyFacts {
  const cached = analyses.get(doc);
  const { ctx, servers } = cached ?? analyse(doc, { haproxyVersion: doc.version });
  const loc = (line: number, start: number, end: number) => ({ file: doc.file, range: lineRange(line, start, end) });
  const binds = servers.binds.map((b) => ({
    proxy: b.res.section?.name?.value ?? b.res.section?.kind ?? '',
    host: b.host,
    port: b.port,
    portEnd: b.portEnd,
    loc: loc(b.res.st.line, b.word.start, b.word.end),
  }));
  const backends: HaproxyBackendFact[] = [];
  for (let i66 = 0, a66 = ctx.proxies; i66 < a66.length; i66++) {
    const p = a66[i66];
    if ((p.kind !== 'backend' && p.kind !== 'listen') || !p.section.name) continue;
    const name = p.section.name;
    backends.push({
      name: name.value,
      loc: loc(p.section.header.line, name.start, name.end),
      servers: p.servers
        .filter((s) => s.name && s.res.st.activity !== 'inactive')
        .map((s) => ({
          name: s.name!.value,
          host: s.host,
          port: s.port,
          checkPort: s.checkPort !== undefined && s.checkPort >= 0 ? s.checkPort : undefined,
          loc: loc(s.res.st.line, (s.address ?? s.name!).start, (s.address ?? s.name!).end),
        })),
    });
  }
  return { file: doc.file, binds, backends, normalized: normalize(doc) };
}

/** Active statements re-joined with single spaces: comments, blank lines and indentation do not count. */
function normalize(doc: HaproxyDoc): string {
  const out: string[] = [];
  const text = doc.text;
  // Statements come in line order: walk the line starts alongside so a line whose words are already
  // separated by single spaces is taken as one slice instead of one string per word.
  let line = 0;
  let lineStart = 0;
  for (let i94 = 0, a94 = doc.statements; i94 < a94.length; i94++) {
    const st = a94[i94];
    while (line < st.line) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0) break;
      lineStart = nl + 1;
      line++;
    }
    if (st.activity === 'inactive') continue;
    const words = st.words;
    const first = st.modifier ?? words[0];
    let single = true;
    let prevEnd = first.end;
    for (let i = st.modifier ? 0 : 1; i < words.length && single; i++) {
      const w = words[i];
      single = w.start === prevEnd + 1 && text.charCodeAt(lineStart + prevEnd) === 32;
      prevEnd = w.end;
    }
    if (single) out.push(text.slice(lineStart + first.start, lineStart + prevEnd));
    else out.push((st.modifier ? [st.modifier, ...words] : words).map((w) => w.raw).join(' '));
  }
  return out.join('\n');
}

export const haproxyModule: LanguageModule<HaproxyDoc> = {
  language: 'haproxy',
  rules,
  parse: (file, text) => parseHaproxy(file, text),
  check: checkHaproxy,
  sources: (doc) => new Map([[doc.file, doc.text]]),
  facts: (doc): FileFacts => ({ haproxy: haproxyFacts(doc) }),
};
