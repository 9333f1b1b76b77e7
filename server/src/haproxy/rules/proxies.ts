// Proxy-level rules over the model: duplicate-name, undefined-reference, missing-check-port,
// duplicate-cookie, mode-mismatch and missing-timeout. Defaults inheritance follows HAProxy 2.6: a proxy
// takes the last `defaults` above it, or the one named by `from`. In a split configuration "above" runs
// through the files read before this one, and names resolve across every file (ctx.outer, see scope.ts).
import * as path from 'node:path';
import type { Resolved, Section, Statement } from '../types';
import { isLive, type ProxyModel, type RuleContext, type ServerModel } from './context';
import { perSection, SectionMemo, unlessClean } from './sectionMemo';
import { earlierNamedDefaults, earlierProxy } from './scope';
import { compareVersions } from '../../core/schema';
import { lookupFetch } from '../fetchData';
import type { ServerFacts } from './context';
import type { Builder, Rule } from '../../core/rule';
import { META } from './meta';

const PROXY_KINDS = new Set(['defaults', 'frontend', 'backend', 'listen']);

const LEGACY_TIMEOUTS = new Map([
  ['contimeout', 'connect'],
  ['clitimeout', 'client'],
  ['srvtimeout', 'server'],
]);

export function buildProxies(ctx: RuleContext, facts: ServerFacts): void {
  let lastDefaults: ProxyModel | undefined = ctx.outer?.lastDefaults;
  const namedDefaults = new Map<string, ProxyModel>();
  for (let sectionIndex = 0, sections = ctx.doc.sections; sectionIndex < sections.length; sectionIndex++) {
    const section = sections[sectionIndex];
    if (!PROXY_KINDS.has(section.kind) || section.header.activity === 'inactive') continue;
    const statements = ctx.sectionStatements[sectionIndex] ?? [];
    const own = ownSettings(ctx, section, statements);
    const p: ProxyModel = {
      file: ctx.doc.file,
      section,
      kind: section.kind as ProxyModel['kind'],
      defaults: undefined,
      statements,
      mode: own.mode,
      timeouts: own.timeouts,
      servers: facts.servers.get(section) ?? [],
      uncertain: own.uncertain,
    };
    if (section.from) p.defaults = namedDefaults.get(section.from.value) ?? earlierNamedDefaults(ctx.outer, section.from.value);
    else if (p.kind !== 'defaults') p.defaults = lastDefaults;
    ctx.proxies.push(p);
    if (p.kind === 'defaults') {
      lastDefaults = p;
      if (section.name) namedDefaults.set(section.name.value, p);
    }
  }
}

interface OwnSettings {
  mode?: ProxyModel['mode'];
  timeouts: Set<string>;
  uncertain: boolean;
}

/** A proxy's own mode and timeouts: they depend on its lines only. */
const ownSettings = perSection((section: Section, statements: Resolved[]): OwnSettings => {
  const own: OwnSettings = { mode: undefined, timeouts: new Set(), uncertain: section.header.activity !== 'active' };
  for (let i = 0; i < statements.length; i++) {
    const r = statements[i];
    if (r.st.activity !== 'active') own.uncertain = true;
    const name = r.name;
    if (!name || r.status === 'not-yet') continue;
    // Only mode and timeout lines matter: read their argument, not every line's (this runs on every line).
    if (name === 'mode') {
      const arg = r.st.value(1);
      if (arg !== undefined) own.mode = { value: arg, res: r };
    } else if (name.startsWith('timeout ')) {
      const arg = r.st.value(1)!;
      own.timeouts.add(LEGACY_TIMEOUTS.get(arg) ?? arg);
    } else {
      const legacy = LEGACY_TIMEOUTS.get(name);
      if (legacy !== undefined) own.timeouts.add(legacy);
    }
  }
  return own;
});

function isFrontend(p: ProxyModel): boolean {
  return p.kind === 'frontend' || p.kind === 'listen';
}
function isBackend(p: ProxyModel): boolean {
  return p.kind === 'backend' || p.kind === 'listen';
}

export function checkDuplicates(ctx: RuleContext): void {
  const fe = new Map<string, ProxyModel>();
  const be = new Map<string, ProxyModel>();
  const FE_ONLY = [fe];
  const BE_ONLY = [be];
  const BOTH = [fe, be];
  // Names taken by the files of a split configuration read before this one count as declared above.
  const earlier = (m: Map<string, ProxyModel>, name: string) => (ctx.outer ? earlierProxy(ctx.outer, m === fe ? 'frontends' : 'backends', name) : undefined);
  for (let proxyIndex = 0, proxies = ctx.proxies; proxyIndex < proxies.length; proxyIndex++) {
    const p = proxies[proxyIndex];
    const name = p.section.name;
    // Same-named defaults sections are legal; only a `from` reference to one would be ambiguous.
    if (!name || name.dynamic || p.kind === 'defaults') continue;
    let reported = false;
    const maps = isFrontend(p) ? (isBackend(p) ? BOTH : FE_ONLY) : BE_ONLY;
    for (let mapIndex = 0; mapIndex < maps.length; mapIndex++) {
      const m = maps[mapIndex];
      const prev = earlier(m, name.value) ?? m.get(name.value);
      if (prev && !reported && !p.uncertain && !prev.uncertain) {
        reported = true;
        const st = p.section.header;
        const where = `${prev.file === ctx.doc.file ? '' : `in ${path.basename(prev.file)} `}on line ${prev.section.header.line + 1}`;
        ctx.report('haproxy/duplicate-name', ctx.wordRange(st, name), `${p.kind} '${name.value}' has the same name as the ${prev.kind} ${where}; rename one of them`, {
          related: [ctx.location(prev.section.header, prev.section.name!, `first ${prev.kind} '${name.value}'`, prev.file)],
        });
      }
      if (!prev) m.set(name.value, p);
    }
  }
  checkCrossKindNames(ctx);
  // One map cleared per proxy: a new one for each of thousands of backends was most of this walk.
  const seen = new Map<string, ServerModel>();
  for (let proxyIndex = 0, proxies = ctx.proxies; proxyIndex < proxies.length; proxyIndex++) {
    const p = proxies[proxyIndex];
    if (p.servers.length >= 2) unlessClean(ctx, uniqueServers, p.section, () => checkServerNames(ctx, p, seen));
  }
}

/**
 * A frontend and a backend (or a proxy and a named defaults section) sharing a name: HAProxy 3.1 and 3.2
 * warn that 3.3 will refuse it, and 3.3 does (src/cfgparse-listen.c). Earlier versions accept it silently.
 */
function checkCrossKindNames(ctx: RuleContext): void {
  if (compareVersions(ctx.version, '3.1') < 0) return;
  const refused = compareVersions(ctx.version, '3.3') >= 0;
  const first = new Map<string, ProxyModel>();
  for (let i = 0; i < ctx.proxies.length; i++) {
    const p = ctx.proxies[i];
    const name = p.section.name;
    if (!name || name.dynamic || p.uncertain || p.file !== ctx.doc.file) continue;
    const prev = first.get(name.value);
    if (!prev) {
      first.set(name.value, p);
      continue;
    }
    // Same kind is the duplicate-name error above; two defaults sections may share a name.
    const sameKind = prev.kind === p.kind || (isFrontend(prev) && isFrontend(p)) || (isBackend(prev) && isBackend(p));
    if (sameKind || prev.uncertain) continue;
    const where = `on line ${prev.section.header.line + 1}`;
    ctx.report(
      'haproxy/duplicate-name',
      ctx.wordRange(p.section.header, name),
      refused
        ? `${p.kind} '${name.value}' has the same name as the ${prev.kind} ${where}: HAProxy ${ctx.version} refuses this (since 3.3); rename one of them`
        : ctx.options.haproxyVersionFromHosts
          ? `${p.kind} '${name.value}' has the same name as the ${prev.kind} ${where}: refused from HAProxy 3.3; your hosts run ${ctx.version}, which only warns; rename one of them`
          : `${p.kind} '${name.value}' has the same name as the ${prev.kind} ${where}: HAProxy ${ctx.version} warns and 3.3 refuses it; rename one of them`,
      { related: [ctx.location(prev.section.header, prev.section.name!, `${prev.kind} '${name.value}'`, prev.file)], variant: refused ? undefined : 'frontend-backend-pre-3.3' },
    );
  }
}

/** Proxies whose server names were all distinct (server names only depend on the proxy's own lines). */
const uniqueServers = new SectionMemo<true>();

function checkServerNames(ctx: RuleContext, p: ProxyModel, seen: Map<string, ServerModel>): true {
  seen.clear();
  for (let serverIndex = 0, servers = p.servers; serverIndex < servers.length; serverIndex++) {
    const s = servers[serverIndex];
    // A server's name is word 1 of its line: read through the accessors, a word object only for a finding.
    const st = s.res.st;
    const name = st.value(1);
    if (name === undefined || st.dynamic(1) || !isLive(st)) continue;
    const prev = seen.get(name);
    if (prev) {
      ctx.report(
        'haproxy/duplicate-name',
        ctx.wordRange(st, 1),
        `${p.kind} '${p.section.name?.value ?? ''}' already has a server named '${name}' (line ${prev.res.st.line + 1}); server names must be unique within a backend`,
        { related: [ctx.location(prev.res.st, 1, `first server '${name}'`)] },
      );
    } else seen.set(name, s);
  }
  return true;
}

export function checkReferences(ctx: RuleContext): void {
  // The other files of a split configuration first: a name this file declares itself wins.
  const backends = new Map<string, ProxyModel>(ctx.outer?.backends);
  const userlists = new Set<string>(ctx.outer?.userlists);
  let uncertain = ctx.outer?.uncertain ?? false;
  for (const p of ctx.proxies) if (isBackend(p) && p.section.name) backends.set(p.section.name.value, p);
  for (let sectionIndex = 0, sections = ctx.doc.sections; sectionIndex < sections.length; sectionIndex++) {
    const s = sections[sectionIndex];
    if (s.kind === 'userlist' && s.name) userlists.add(s.name.value);
    if ((s.name?.dynamic ?? false) || s.header.activity === 'unknown') uncertain = true;
  }
  // Declarations inside undecidable `.if` blocks may or may not exist: then stay silent.
  if (uncertain) return;
  const missingBackend = (st: Statement, k: number, what: string) => {
    const name = st.value(k)!;
    if (isOpaque(st.dynamic(k), name) || backends.has(name)) return;
    ctx.report('haproxy/undefined-reference', ctx.wordRange(st, k), `${what} '${name}' does not exist: define 'backend ${name}' (or a listen section) or fix the name`);
  };
  for (let proxyIndex = 0, proxies = ctx.proxies; proxyIndex < proxies.length; proxyIndex++) {
    const p = proxies[proxyIndex];
    // `from NAME` only finds a defaults section HAProxy has already read (above, or in an earlier file);
    // otherwise it stops with "defaults section 'NAME' not found".
    const from = p.section.from;
    if (from && !p.defaults && !isOpaque(from.dynamic, from.value) && isLive(p.section.header)) {
      const where = ctx.outer ? ' above it or in a file read before this one' : ' above it';
      ctx.report(
        'haproxy/undefined-reference',
        ctx.wordRange(p.section.header, from),
        `defaults section '${from.value}' not found: 'from' only names a defaults section declared${where}; declare 'defaults ${from.value}' earlier or fix the name`,
      );
    }
    const { targets, auth } = referencesOf(ctx, p.section, p.statements);
    for (let targetIndex = 0; targetIndex < targets.length; targetIndex++) {
      const r = targets[targetIndex];
      if (!isLive(r.st)) continue;
      missingBackend(r.st, 1, `${r.name} target`);
    }
    for (let i = 0; i < auth.length; i++) if (isLive(auth[i].st)) checkAuthUserlists(ctx, auth[i], userlists);
    for (let serverIndex = 0, servers = p.servers; serverIndex < servers.length; serverIndex++) {
      const s = servers[serverIndex];
      if (!s.track || isOpaque(s.track.dynamic, s.track.value) || !isLive(s.res.st)) continue;
      const t = s.track.value;
      const slash = t.indexOf('/');
      const beName = slash >= 0 ? t.slice(0, slash) : (p.section.name?.value ?? '');
      const srvName = slash >= 0 ? t.slice(slash + 1) : t;
      const be = backends.get(beName);
      if (!be) {
        ctx.report('haproxy/undefined-reference', ctx.wordRange(s.res.st, s.track), `track: backend '${beName}' does not exist`);
      } else if (!be.servers.some((x) => x.name?.value === srvName)) {
        ctx.report('haproxy/undefined-reference', ctx.wordRange(s.res.st, s.track), `track: backend '${beName}' has no server '${srvName}'`);
      }
    }
  }
}

interface SectionReferences {
  /** `default_backend` / `use_backend` lines with a target word. */
  targets: Resolved[];
  /** Lines with an `http_auth` fetch, whose userlist must exist. */
  auth: Resolved[];
}

/** Which lines of a section name other sections; the names they point to are checked on every run. */
const referencesOf = perSection((_section: Section, statements: Resolved[], ctx: RuleContext): SectionReferences => {
  const refs: SectionReferences = { targets: [], auth: [] };
  const auth = ctx.mayHold('http_auth');
  for (let i = 0; i < statements.length; i++) {
    const r = statements[i];
    const st = r.st;
    if ((r.name === 'default_backend' || r.name === 'use_backend') && st.count > 1) refs.targets.push(r);
    if (!auth) continue;
    for (let k = 0; k < st.count; k++) {
      if (st.value(k)!.includes('http_auth')) {
        refs.auth.push(r);
        break;
      }
    }
  }
  return refs;
});

function isOpaque(dynamic: boolean, value: string): boolean {
  return dynamic || value.includes('%[') || value.includes('$');
}

/**
 * `http_auth(name)` / `http_auth_group(name)` in ACLs and conditions must name a userlist. Only fetches
 * whose first argument is a userlist count: `http_auth_bearer(Authorization)` takes a header name.
 */
function checkAuthUserlists(ctx: RuleContext, r: Resolved, userlists: Set<string>): void {
  const st = r.st;
  for (let k = 0; k < st.count; k++) {
    const v = st.value(k)!;
    if (!v.includes('http_auth')) continue;
    for (const m of v.matchAll(/([a-z0-9_.]+)\(([^)]*)\)/g)) {
      if (lookupFetch(m[1])?.args[0]?.kind !== 'userlist') continue;
      const name = m[2].split(',')[0].trim();
      if (!name || userlists.has(name)) continue;
      ctx.report('haproxy/undefined-reference', ctx.wordRange(st, k), `userlist '${name}' does not exist: add 'userlist ${name}' with its users or fix the name`);
    }
  }
}

/** Whether one of the words (the modifier excluded) is `value`. */
export function hasWord(st: Statement, value: string): boolean {
  for (let k = 0; k < st.count; k++) if (st.value(k) === value) return true;
  return false;
}

function connectsToPort(r: Resolved): boolean {
  return (r.name === 'tcp-check connect' || r.name === 'http-check connect') && hasWord(r.st, 'port');
}

/**
 * Backends whose server rules found nothing, remembered with the defaults section they were checked against:
 * the result depends on the backend's own lines and on its defaults (default-server, tcp-check connect port).
 */
const serverRulesClean = new SectionMemo<true>();

export function checkServerRules(ctx: RuleContext, facts: ServerFacts): void {
  const cookies = new Map<string, ServerModel>();
  for (let proxyIndex = 0, proxies = ctx.proxies; proxyIndex < proxies.length; proxyIndex++) {
    const p = proxies[proxyIndex];
    if (!isBackend(p) || p.servers.length === 0) continue;
    unlessClean(ctx, serverRulesClean, p.section, () => checkBackendServers(ctx, facts, p, cookies), p.defaults?.section);
  }
}

function checkBackendServers(ctx: RuleContext, facts: ServerFacts, p: ProxyModel, cookies: Map<string, ServerModel>): true {
  cookies.clear();
  const ds = facts.defaultServer.get(p.section);
  const inherited = p.defaults ? (facts.defaultServer.get(p.defaults.section) ?? ctx.outer?.defaultServer.get(p.defaults.section)) : undefined;
  const defaultPort = ds?.port ?? inherited?.port;
  const defaultCheck = (ds?.check ?? false) || (inherited?.check ?? false);
  // A first `tcp-check connect port N` (or http-check) gives every server's check its port.
  const checkRulePort = p.statements.some(connectsToPort) || (p.defaults?.statements.some(connectsToPort) ?? false);
  for (let serverIndex = 0, servers = p.servers; serverIndex < servers.length; serverIndex++) {
    const s = servers[serverIndex];
    if (!isLive(s.res.st)) continue;
    if (s.portless && (s.check || defaultCheck) && s.checkPort === undefined && defaultPort === undefined && !checkRulePort && s.address) {
      ctx.report(
        'haproxy/missing-check-port',
        ctx.wordRange(s.res.st, s.address),
        `server '${s.name?.value}' has neither a service port nor a check port, so its health check has nowhere to connect: add ':<port>' to the address or 'port <n>'`,
      );
    }
    // The cookie value through the accessors: a word object only for a finding.
    const cookieValue = s.cookieAt >= 0 ? s.res.st.value(s.cookieAt) : undefined;
    if (cookieValue !== undefined && !isOpaque(s.res.st.dynamic(s.cookieAt), cookieValue)) {
      const prev = cookies.get(cookieValue);
      if (prev) {
        const range = ctx.wordRange(s.res.st, s.cookieAt);
        const unique = uniqueCookie(p, s);
        ctx.report(
          'haproxy/duplicate-cookie',
          range,
          `servers '${prev.name?.value}' and '${s.name?.value}' share the cookie value '${cookieValue}', so sticky clients cannot tell them apart; give each server its own value`,
          {
            related: [ctx.location(prev.res.st, prev.cookie!, `server '${prev.name?.value}' uses cookie '${cookieValue}'`)],
            fixes: unique ? [{ title: `Use the unique cookie value '${unique}'`, edits: [{ range, newText: unique }], mechanical: true }] : [],
          },
        );
      } else cookies.set(cookieValue, s);
    }
  }
  return true;
}

/**
 * A cookie value no other server of the backend uses: the server's name (HAProxy's own choice for
 * dynamic cookies is a hash; a name is what people write), else the name with a number. Undefined when the
 * name is not a plain cookie token.
 */
function uniqueCookie(p: ProxyModel, s: ServerModel): string | undefined {
  const name = s.name?.value;
  if (!name || !/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  const taken = new Set<string>();
  for (const other of p.servers) if (other.cookie) taken.add(other.cookie.value);
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
}

/** HTTP-only keywords: meaningless (HAProxy warns and ignores them) in a `mode tcp` proxy. */
// option httpchk / http-check are absent on purpose: HTTP health checks work fine for TCP proxies.
const HTTP_ONLY = new Set([
  'http-request',
  'http-response',
  'http-after-response',
  'option httplog',
  'option forwardfor',
  'option http-server-close',
  'option httpclose',
  'option http-keep-alive',
  'option http-buffer-request',
  'cookie',
  'stats uri',
  'stats auth',
  'stats enable',
  'stats realm',
  'stats admin',
  'stats refresh',
  'redirect',
  'capture request header',
  'capture response header',
  'capture cookie',
  'compression',
  'http-reuse',
  'option originalto',
  'timeout http-request',
  'timeout http-keep-alive',
]);

/**
 * The defaults sections a proxy inherits from, nearest first: its own defaults, then the one that defaults
 * section names with `from`, and so on. HAProxy copies a `from` defaults' settings into the new defaults,
 * so a setting of any link reaches the proxy unless a nearer link sets it. A defaults section without
 * `from` starts afresh (haproxy -c 2.6: it does not inherit the previous defaults' timeouts).
 * `from` only names a section read before, so the chain cannot loop; the depth bound is a guard all the same.
 * No array is built: this runs for every proxy of configurations with thousands of backends.
 */
function firstInChain<T>(p: ProxyModel, pick: (d: ProxyModel) => T | undefined): T | undefined {
  let depth = 0;
  for (let d = p.defaults; d && depth < 64; d = d.defaults, depth++) {
    const found = pick(d);
    if (found !== undefined) return found;
  }
  return undefined;
}

const modeOf = (d: ProxyModel): ProxyModel['mode'] => d.mode;

/** The mode a proxy inherits from its defaults chain, with the file of the defaults section that sets it. */
function inheritedMode(p: ProxyModel): { value: string; res: Resolved; file: string } | undefined {
  return firstInChain(p, (d) => (d.mode ? { ...d.mode, file: d.file } : undefined));
}

function effectiveMode(p: ProxyModel): { value: string; res: Resolved; inherited: boolean; file: string } | undefined {
  if (p.mode) return { ...p.mode, inherited: false, file: p.file };
  const d = inheritedMode(p);
  return d ? { ...d, inherited: true } : undefined;
}

/**
 * Whether a tcp frontend's streams are upgraded to HTTP, so that HAProxy applies its http-request,
 * http-response, option forwardfor, ... without warning. Only the parse-time `option httplog` check still
 * looks at the configured mode. Two ways, both checked with the real haproxy -c:
 * - `tcp-request content switch-mode http` (2.6, 3.0, 3.2 are silent);
 * - from 3.0 (3.0 and 3.2 are silent, 2.6 warns; 2.7-2.9 not checked), a `default_backend`/`use_backend`
 *   naming a backend in mode http: the stream is upgraded when it reaches that backend.
 */
function switchesToHttp(ctx: RuleContext, p: ProxyModel, backends: () => Map<string, ProxyModel>): boolean {
  if (!isFrontend(p)) return false;
  for (let i = 0; i < p.statements.length; i++) {
    const r = p.statements[i];
    if (r.name !== 'tcp-request content' || !isLive(r.st)) continue;
    for (let k = 0; k + 1 < r.st.count; k++) if (r.st.value(k) === 'switch-mode' && r.st.value(k + 1) === 'http') return true;
  }
  if (compareVersions(ctx.version, '3.0') < 0) return false;
  const { targets } = referencesOf(ctx, p.section, p.statements);
  for (let i = 0; i < targets.length; i++) {
    if (!isLive(targets[i].st)) continue;
    const be = backends().get(targets[i].st.value(1)!);
    if (be && effectiveMode(be)?.value === 'http') return true;
  }
  return false;
}

/** Sample fetches that only exist on HTTP traffic: an ACL on them in a tcp proxy never matches. */
const HTTP_FETCH =
  /^(path|path_beg|path_end|path_reg|path_sub|path_dir|path_dom|path_len|url|url_beg|url_end|url_reg|url_sub|url_param|urlp|method|hdr|hdr_beg|hdr_end|hdr_dom|hdr_reg|hdr_sub|hdr_cnt|hdr_val|hdr_ip|req\.hdr|req\.hdr_cnt|req\.cook|cook|cook_beg|cook_sub|http_auth|status|query|base|base_beg)(\(|$)/;

function httpOnlyLine(r: Resolved): string | undefined {
  if (!r.name || r.st.mod) return undefined;
  if (HTTP_ONLY.has(r.name)) return `'${r.name}' only works in HTTP mode`;
  if (r.name === 'acl') {
    const fetch = r.st.value(r.argStart + 1);
    if (fetch && HTTP_FETCH.test(fetch)) return `acl '${r.st.value(r.argStart) ?? ''}' uses the HTTP sample '${fetch}', which never matches`;
  }
  return undefined;
}

export function checkModes(ctx: RuleContext): void {
  const reportedInherited = new Set<Resolved>();
  // Backends by name (this file's win over the set's), built only when a tcp frontend needs it.
  let backends: Map<string, ProxyModel> | undefined;
  const backendsByName = (): Map<string, ProxyModel> => {
    if (!backends) {
      backends = new Map(ctx.outer?.backends);
      for (const proxy of ctx.proxies) if (isBackend(proxy) && proxy.section.name) backends.set(proxy.section.name.value, proxy);
    }
    return backends;
  };
  for (let proxyIndex = 0, proxies = ctx.proxies; proxyIndex < proxies.length; proxyIndex++) {
    const p = proxies[proxyIndex];
    // A tcp defaults section hands its HTTP-only lines to every proxy that inherits it; haproxy -c warns
    // about them once per proxy, we report them once, where they are written.
    // Most proxies are not tcp: test the value before building the effective-mode record.
    const raw = p.mode ?? (p.kind === 'defaults' ? undefined : firstInChain(p, modeOf));
    if (raw?.value !== 'tcp') continue;
    const mode = p.kind === 'defaults' ? { ...raw, inherited: false, file: p.file } : effectiveMode(p)!;
    const upgraded = switchesToHttp(ctx, p, backendsByName);
    const name = `${p.kind}${p.section.name ? ` '${p.section.name.value}'` : ''}`;
    const modeFile = mode.inherited ? mode.file : ctx.doc.file;
    const modeAt = ctx.location(mode.res.st, mode.res.st.count > 1 ? 1 : 0, 'mode tcp is set here', modeFile);
    const modeLine = `${modeFile === ctx.doc.file ? '' : `${path.basename(modeFile)} `}line ${mode.res.st.line + 1}`;
    for (let statementIndex = 0, statements = p.statements; statementIndex < statements.length; statementIndex++) {
      const r = statements[statementIndex];
      if (!isLive(r.st)) continue;
      const what = httpOnlyLine(r);
      if (!what || (upgraded && r.name !== 'option httplog')) continue;
      const from = mode.inherited ? ` (inherited from the defaults section on ${modeLine})` : ` (${modeLine})`;
      ctx.report('haproxy/mode-mismatch', ctx.keywordRange(r), `${what}, but ${name} runs in mode tcp${from}; set 'mode http' or remove it`, { related: [modeAt] });
    }
    // HTTP-only lines of an http defaults section are ignored by a proxy that switches to mode tcp.
    // Only where the defaults section is in this file: its lines are reported here, with this file's name.
    if (p.kind !== 'defaults' && !mode.inherited && p.defaults && p.defaults.file === ctx.doc.file && inheritedMode(p)?.value !== 'tcp') {
      for (let statementIndex = 0, statements = p.defaults.statements; statementIndex < statements.length; statementIndex++) {
        const r = statements[statementIndex];
        if (!isLive(r.st) || reportedInherited.has(r)) continue;
        const what = httpOnlyLine(r);
        if (!what || r.name === 'acl' || (upgraded && r.name !== 'option httplog')) continue;
        reportedInherited.add(r);
        ctx.report(
          'haproxy/mode-mismatch',
          ctx.keywordRange(r),
          `${what}: ${name} inherits it from this defaults section but runs in mode tcp, so HAProxy ignores it there with a warning; move it into the HTTP proxies or give tcp proxies their own defaults`,
          { related: [modeAt] },
        );
      }
    }
  }
}

function hasTimeout(p: ProxyModel, t: string): boolean {
  if (p.timeouts.has(t)) return true;
  if (!p.defaults) return false;
  // Through `from`: a named defaults section holds the timeouts it copied from the one it names.
  return firstInChain(p, (d) => (d.timeouts.has(t) ? true : undefined)) ?? false;
}

export function checkTimeouts(ctx: RuleContext): void {
  for (let proxyIndex = 0, proxies = ctx.proxies; proxyIndex < proxies.length; proxyIndex++) {
    const p = proxies[proxyIndex];
    if (p.kind === 'defaults' || !p.section.name || p.uncertain) continue;
    // A frontend that only forwards to backends still needs its own client timeout; a backend without servers
    // gets no connection, so the server-side timeouts do not matter there.
    if (p.kind === 'backend' && p.servers.length === 0) continue;
    const needed: string[] = [];
    if (isFrontend(p) && !hasTimeout(p, 'client')) needed.push('client');
    if (isBackend(p) && !hasTimeout(p, 'connect')) needed.push('connect');
    if (isBackend(p) && !hasTimeout(p, 'server')) needed.push('server');
    if (needed.length === 0) continue;
    const st = p.section.header;
    ctx.report(
      'haproxy/missing-timeout',
      ctx.wordRange(st, p.section.name),
      `${p.kind} '${p.section.name.value}' has no ${needed.map((t) => `'timeout ${t}'`).join(', ')} (nor does its defaults section): idle connections may pile up; set ${needed.length > 1 ? 'them' : 'it'} in the defaults section`,
    );
  }
}

/** Builds the proxy model (`ctx.proxies`: defaults inheritance, modes, timeouts, servers); reports nothing. */
export const proxyBuilder: Builder<RuleContext> = { name: 'haproxy proxy model', build: (ctx) => buildProxies(ctx, ctx.servers) };

export const referencesRule: Rule<RuleContext> = { meta: META['haproxy/undefined-reference'], check: checkReferences };

export const duplicatesRule: Rule<RuleContext> = { meta: META['haproxy/duplicate-name'], check: checkDuplicates };

/** One remembered walk per backend (serverRulesClean) checks its servers' check ports and cookies together. */
export const serverRulesRule: Rule<RuleContext> = {
  name: 'haproxy server rules',
  meta: META['haproxy/missing-check-port'],
  alsoReports: [META['haproxy/duplicate-cookie']],
  check: (ctx) => checkServerRules(ctx, ctx.servers),
};

export const modesRule: Rule<RuleContext> = { meta: META['haproxy/mode-mismatch'], check: checkModes };

export const timeoutsRule: Rule<RuleContext> = { meta: META['haproxy/missing-timeout'], check: checkTimeouts };
