// bind / server / default-server lines: addresses, ports and options (invalid-argument, unknown
// options), plus the server model other rules use (missing-check-port, duplicate-cookie, duplicate-name).
import { didYouMean } from '../../core/schema';
import { lineRange } from '../../core/range';
import { matchOption, optionNames, type KeywordMatch } from '../keywords';
import { optionArity } from '../optionArity';
import { checkArg, checkPort, isDigits, isOpaque, parseAddress } from '../values';
import type { Resolved, Word } from '../types';
import { isLive, type BindModel, type RuleContext, type ServerFacts, type ServerModel } from './context';

import { SectionMemo, unlessClean } from './sectionMemo';
import type { Builder } from '../../core/rule';
import { META } from './meta';

export function checkServers(ctx: RuleContext): ServerFacts {
  const facts: ServerFacts = { servers: new Map(), defaultServer: new Map(), binds: [] };
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const section = sections[s];
    const list = ctx.sectionStatements[s];
    if (!list) continue;
    const isProxy = section.kind === 'backend' || section.kind === 'listen' || section.kind === 'frontend' || section.kind === 'defaults';
    if (!isProxy) continue;
    const d = unlessClean(ctx, declared, section, () => declareSection(ctx, list));
    if (d.servers.length) facts.servers.set(section, d.servers);
    if (d.defaultServer) facts.defaultServer.set(section, d.defaultServer);
    for (let b = 0; b < d.binds.length; b++) facts.binds.push(d.binds[b]);
  }
  return facts;
}

/** What one section's bind, server and default-server lines declare. */
interface Declared {
  servers: ServerModel[];
  defaultServer?: { port?: number; check: boolean };
  binds: BindModel[];
}

/** Declarations of the sections whose lines checked clean. */
const declared = new SectionMemo<Declared>();

function declareSection(ctx: RuleContext, list: Resolved[]): Declared {
  const d: Declared = { servers: [], defaultServer: undefined, binds: [] };
  for (let itemIndex = 0; itemIndex < list.length; itemIndex++) {
    const r = list[itemIndex];
    if (r.st.activity === 'inactive' || r.status === 'removed') continue;
    if (r.name === 'bind') memoBind(ctx, r, d.binds);
    else if (r.name === 'server') {
      const s = memoServer(ctx, r);
      if (s) d.servers.push(s);
    } else if (r.name === 'default-server') {
      const opts = checkOptions(ctx, r, 'server', 1);
      const cur = (d.defaultServer ??= { check: false });
      if (opts.port !== undefined) cur.port = opts.port;
      if (opts.check) cur.check = true;
    }
  }
  return d;
}

// A line that checked clean is remembered with what it declared: after an edit, the unchanged server and
// bind lines (most of a big file) are not parsed again. A line with findings is always re-checked, so
// every finding is reported afresh with the line's current position.
type BindDecl = BindModel[];

/**
 * A server line's model. It keeps the indices of its words and makes the word objects on request from
 * the statement: a big file has thousands of servers, and their models live as long as the analysis.
 */
class Server implements ServerModel {
  host: string | undefined = undefined;
  port: number | undefined = undefined;
  portless = false;
  checkPort: number | undefined = undefined;
  check = false;
  /** Index of the `port` option's value, of the cookie value and of the track target (-1: none). */
  portAt = -1;
  cookieAt = -1;
  trackAt = -1;

  constructor(
    public res: Resolved,
    private readonly hasAddress: boolean,
  ) {}

  get name(): Word | undefined {
    return this.res.st.word(1);
  }
  get address(): Word | undefined {
    return this.hasAddress ? this.res.st.word(2) : undefined;
  }
  get checkPortWord(): Word | undefined {
    return this.portAt < 0 ? undefined : this.res.st.word(this.portAt);
  }
  get cookie(): Word | undefined {
    return this.cookieAt < 0 ? undefined : this.res.st.word(this.cookieAt);
  }
  get track(): Word | undefined {
    return this.trackAt < 0 ? undefined : this.res.st.word(this.trackAt);
  }
}

function memoServer(ctx: RuleContext, r: Resolved): ServerModel | undefined {
  if (!ctx.remember) return checkServer(ctx, r);
  const live = isLive(r.st);
  const cache = ctx.cache.clean;
  const c = cache[r.st.index];
  if (c && c.version === ctx.version && c.live === live) {
    // The model of the previous check, whose analysis is gone: only the resolved statement may be new.
    const m = c.value as ServerModel;
    m.res = r;
    return m;
  }
  const before = ctx.diagnostics.length;
  const s = checkServer(ctx, r);
  cache[r.st.index] = s && ctx.diagnostics.length === before ? { version: ctx.version, live, value: s } : undefined;
  return s;
}

function memoBind(ctx: RuleContext, r: Resolved, binds: BindModel[]): void {
  if (!ctx.remember) {
    checkBind(ctx, r, binds);
    return;
  }
  const live = isLive(r.st);
  const cache = ctx.cache.clean;
  const c = cache[r.st.index];
  if (c && c.version === ctx.version && c.live === live) {
    for (const b of c.value as BindDecl) binds.push({ res: r, host: b.host, port: b.port, portEnd: b.portEnd, word: b.word });
    return;
  }
  const before = ctx.diagnostics.length;
  const firstBind = binds.length;
  checkBind(ctx, r, binds);
  if (ctx.diagnostics.length === before) {
    cache[r.st.index] = { version: ctx.version, live, value: binds.slice(firstBind) };
  } else cache[r.st.index] = undefined;
}

function checkBind(ctx: RuleContext, r: Resolved, binds: BindModel[]): void {
  const st = r.st;
  const w = st.word(1);
  if (!w) {
    if (isLive(st)) ctx.report('haproxy/invalid-argument', ctx.keywordRange(r), `'bind' expects an address such as ':80' or '10.0.0.1:443'`);
    return;
  }
  if (!isOpaque(w) && isLive(st)) {
    let offset = 0;
    for (const part of w.value.split(',')) {
      const a = parseAddress(part);
      const col = w.start + (w.raw === w.value ? offset : 0);
      const portRange = (n: number) => (w.raw === w.value ? lineRange(st.line, col + a.portOffset, col + a.portOffset + n) : ctx.wordRange(st, w));
      offset += part.length + 1;
      if (a.socket) continue;
      if (!a.hasColon || a.portText === '') {
        ctx.report('haproxy/invalid-argument', ctx.wordRange(st, w), `bind address '${part}' has no port: write '${a.host || '*'}:<port>'`);
        continue;
      }
      const dash = a.portText.indexOf('-');
      const lo = dash >= 0 ? a.portText.slice(0, dash) : a.portText;
      const hi = dash >= 0 ? a.portText.slice(dash + 1) : undefined;
      const bad = checkPort(lo) ?? (hi !== undefined ? checkPort(hi) : undefined);
      if (bad) {
        ctx.report('haproxy/invalid-argument', portRange(a.portText.length), `bind '${part}': ${bad}`);
        continue;
      }
      if (hi !== undefined && Number(hi) < Number(lo)) {
        ctx.report('haproxy/invalid-argument', portRange(a.portText.length), `bind '${part}': the port range ends before it starts; write ${hi}-${lo}`);
        continue;
      }
      binds.push({ res: r, host: a.host, port: Number(lo), portEnd: hi !== undefined ? Number(hi) : undefined, word: w });
    }
  }
  checkOptions(ctx, r, 'bind', 2);
}

function checkServer(ctx: RuleContext, r: Resolved): ServerModel | undefined {
  const st = r.st;
  // Name and address are words 1 and 2: read through the accessors (a big file has thousands of servers).
  const name = st.value(1);
  const address = st.value(2);
  const live = isLive(st);
  if (name === undefined || address === undefined) {
    if (live) ctx.report('haproxy/invalid-argument', ctx.statementRange(st), `'server' expects a name and an address, e.g. 'server web1 10.0.0.11:8080 check'`);
    return name !== undefined ? new Server(r, false) : undefined;
  }
  const s = new Server(r, true);
  if (!ctx.opaqueWord(st, 2)) {
    const a = parseAddress(address);
    s.host = a.host;
    if (!a.socket) {
      // Port 0, like no port, means the client's destination port (haproxy -c 2.6 to 3.2 accept it).
      if (!a.hasColon || a.portText === '' || /^0+$/.test(a.portText)) s.portless = true;
      else if (/^[+-]/.test(a.portText)) {
        // Relative ports (+1/-1) are resolved against the client's port: valid, but nothing to check.
      } else if (a.portText.includes('-') && live) {
        ctx.report('haproxy/invalid-argument', ctx.wordRange(st, 2), `server '${name}': a server takes one port, not the range '${a.portText}'`);
      } else {
        const bad = checkPort(a.portText);
        if (bad && live) ctx.report('haproxy/invalid-argument', ctx.wordRange(st, 2), `server '${name}' address '${address}': ${bad}`);
        else if (!bad) s.port = Number(a.portText);
      }
      if (a.host === '' && live && !a.hasColon) {
        ctx.report('haproxy/invalid-argument', ctx.wordRange(st, 2), `server '${name}' has no address`);
      }
    }
  }
  const opts = checkOptions(ctx, r, 'server', 3);
  s.check = opts.check;
  s.checkPort = opts.port;
  s.portAt = opts.portAt;
  s.cookieAt = opts.cookieAt;
  s.trackAt = opts.trackAt;
  return s;
}

/** Option lookups repeat on every server line; memoised per kind and version (no key strings built per call). */
const optionCache = { bind: new Map<string, Map<string, KeywordMatch | null>>(), server: new Map<string, Map<string, KeywordMatch | null>>() };

function lookupOption(kind: 'bind' | 'server', option: string, version: string): KeywordMatch | undefined {
  // HAProxy looks options up by the part before "(" (srv_find_kw()/bind_find_kw()):
  // `set-proxy-v2-tlv-fmt(0xE1)` is `set-proxy-v2-tlv-fmt` with its id.
  const paren = option.indexOf('(');
  const word = paren > 0 ? option.slice(0, paren) : option;
  const byVersion = optionCache[kind];
  let m = byVersion.get(version);
  if (!m) byVersion.set(version, (m = new Map()));
  let r = m.get(word);
  if (r === undefined) {
    r = matchOption(kind, word, version) ?? null;
    if (m.size < 4096) m.set(word, r);
  }
  return r ?? undefined;
}

interface OptionFacts {
  check: boolean;
  port: number | undefined;
  /** Indices of the `port` value, the cookie value and the track target (-1: none). */
  portAt: number;
  cookieAt: number;
  trackAt: number;
}

/** Walks the options after the address; reports unknown options and bad values. */
function checkOptions(ctx: RuleContext, r: Resolved, kind: 'bind' | 'server', from: number): OptionFacts {
  const st = r.st;
  const live = isLive(st);
  const out: OptionFacts = { check: false, port: undefined, portAt: -1, cookieAt: -1, trackAt: -1 };
  for (let i = from; i < st.count; i++) {
    if (ctx.opaqueWord(st, i)) return out;
    const option = st.value(i)!;
    const m = lookupOption(kind, option, ctx.version);
    const arity = optionArity(kind, option);
    if (!m && arity === undefined) {
      if (live) {
        const suggestion = didYouMean(option, optionNames(kind, ctx.version));
        const range = ctx.wordRange(st, i);
        ctx.report('haproxy/unknown-keyword', range, `unknown ${kind} option '${option}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, {
          fixes: suggestion ? [{ title: `Replace with '${suggestion}'`, edits: [{ range, newText: suggestion }] }] : [],
        });
      }
      return out; // its arguments are unknown, so the rest of the line cannot be split reliably
    }
    if (m && live && (m.status === 'removed' || m.status === 'not-yet')) {
      ctx.report(
        m.status === 'removed' ? 'haproxy/removed-keyword' : 'haproxy/unknown-keyword',
        ctx.wordRange(st, i),
        m.status === 'removed'
          ? `${kind} option '${option}' was removed in HAProxy ${m.spec.removed}${m.spec.replacement ? `; use '${m.spec.replacement}' instead` : ''}`
          : `${kind} option '${option}' only exists from HAProxy ${m.spec.added} (${ctx.versionNote})`,
      );
    } else if (m && live && m.status === 'deprecated') {
      ctx.report('haproxy/deprecated-keyword', ctx.wordRange(st, i), `${kind} option '${option}' is deprecated since HAProxy ${m.spec.deprecated}`);
    }
    const n = arity ?? m?.spec.args?.length;
    if (n === undefined) return out;
    if (option === 'check') out.check = true;
    if (n >= 1) {
      const v = st.value(i + 1);
      if (v === undefined) {
        if (live && !m?.spec.args?.[0]?.optional) ctx.report('haproxy/invalid-argument', ctx.wordRange(st, i), `${kind} option '${option}' expects a value`);
        return out;
      }
      const spec = m?.spec.args?.[0];
      if (!ctx.opaqueWord(st, i + 1)) {
        const bad = spec ? checkArg(spec, v, ctx.version, ctx.versionNote) : undefined;
        if (bad && live) ctx.report('haproxy/invalid-argument', ctx.wordRange(st, i + 1), `${kind} option '${option}': ${bad}`);
        if (kind === 'server' && option === 'port' && !bad && isDigits(v)) {
          out.port = Number(v);
          out.portAt = i + 1;
        }
      } else if (kind === 'server' && option === 'port') {
        out.port = -1; // set from the environment: present, value unknown
      }
      if (option === 'cookie') out.cookieAt = i + 1;
      if (option === 'track') out.trackAt = i + 1;
    }
    i += n;
  }
  return out;
}

/**
 * Builds the server, bind and default-server models (`ctx.servers`) the proxy builder and the server rules
 * read. It reports what is wrong on those lines while reading them: a clean line is remembered with its
 * model (`Statement.clean`), so recording findings for a separate rule would mean reading every bind and
 * server line twice or keeping its findings across edits.
 */
export const serverBuilder: Builder<RuleContext> = {
  name: 'haproxy server and bind models',
  reports: [META['haproxy/invalid-argument'], META['haproxy/unknown-keyword'], META['haproxy/removed-keyword'], META['haproxy/deprecated-keyword']],
  build: (ctx) => {
    ctx.servers = checkServers(ctx);
  },
};
