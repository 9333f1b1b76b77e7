// Generates server/data/haproxy.json: HAProxy sections and keywords with their version history.
//
//   node --import tsx scripts/gen-haproxy-schema.ts [--manuals DIR] [--no-probe] [--out FILE]
//
// Inputs
// - The 2.6 manual from /usr/share/doc/haproxy/configuration.txt.gz (Debian package `haproxy`), or
//   DIR/configuration-2.6.txt when the package manual is absent.
// - Every other version's manual from DIR/configuration-<major.minor>.txt (default DIR: .tmp/manuals/, which
//   is gitignored: manuals are GPL text and are never committed). scripts/fetch-haproxy-manuals.sh fills DIR
//   (Debian's manuals for 2.6/3.0/3.2, upstream release tags for the others, the latest -dev tag for 3.5).
// - When a version's manual is missing, that version's presence/deprecation facts are rebuilt from the
//   history already recorded in the committed JSON, so a machine without network (CI) still regenerates
//   the 2.6 facts without losing the 1.8…3.2 history.
// - The installed `haproxy` binary when it is 2.6 (unless --no-probe): tiny configs are written to a temp
//   directory and checked with `haproxy -c -f` to measure, for every proxy keyword and each of
//   defaults/frontend/listen/backend, whether the binary accepts it, only warns, or refuses it
//   (`warnSections`), and to read the removal version and suggested replacement out of the error message
//   for removed keywords. Without a 2.6 binary the previous measurements are kept.
//
// Only facts are extracted (names, sections, argument shapes, versions). No manual prose is copied:
// `summary` stays empty and `manual` links to docs.haproxy.org.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import type { ArgSpec, KeywordSchema, KeywordSpec, VersionInfo } from '../server/src/core/schema';
import { compareVersions, versionStatus } from '../server/src/core/schema';

export const VERSIONS = ['1.8', '1.9', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5'];
const SOURCE_VERSION = '2.6';
/** The development branch (read from its latest -dev tag): what it removes shows as `removed` at this version. */
export const DEV_VERSION = '3.5';
const FIRST = VERSIONS[0];
const LAST = VERSIONS[VERSIONS.length - 1];
const PROXY_SECTIONS = ['defaults', 'frontend', 'listen', 'backend'];
const SYSTEM_MANUAL = '/usr/share/doc/haproxy/configuration.txt.gz';

/** Section keywords we know about; each opens a block whose keywords live in the group of the same name. */
const SECTION_NAMES = [
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'userlist',
  'peers',
  'resolvers',
  'mailers',
  'program',
  'http-errors',
  'ring',
  'log-forward',
  'cache',
  'fcgi-app',
  'crt-store',
  'traces',
  'acme',
];

/** Manual chapter titles (all versions) → which keyword group their entries belong to. */
const CONTEXTS: Array<[RegExp, string]> = [
  [/^Global (parameters|section)$/, 'global-list'],
  [/^Process management and security$/, 'global'],
  [/^Performance tuning$/, 'global'],
  [/^Debugging$/, 'global'],
  [/^HTTPClient tuning$/, 'global'],
  [/^Traces$/, 'traces'],
  [/^Userlists$/, 'userlist'],
  [/^Peers( declaration)?$/, 'peers'],
  [/^Mailers$/, 'mailers'],
  [/^Programs/, 'program'],
  [/^HTTP-errors$/, 'http-errors'],
  [/^Rings$/, 'ring'],
  [/^Log forwarding$/, 'log-forward'],
  [/^Certificate Storage$/, 'crt-store'],
  [/^ACME$/, 'acme'],
  [/^Proxy keywords matrix$/, 'matrix'],
  [/^Alphabetically sorted keywords reference$/, 'proxy'],
  [/^Bind options$/, 'bind'],
  [/^Server and default-server options$/, 'server'],
  [/^The resolvers section$/, 'resolvers'],
  [/^Cache section$/, 'cache'],
  [/^Cache$/, 'cache-1.8'],
  [/^Fcgi-app section$/, 'fcgi-app'],
];

/** Manual slips that would otherwise become keywords: `${group}\t${name}`. */
const ERRATA = new Set([
  'proxy\thash-key', // a server option, listed in the 3.0 proxy matrix by mistake
  'global\ttune.quit.zero-copy-fwd-send', // typo of tune.quic.* in the 2.9 manual
]);

/** First words that form multi-word keywords outside the proxy matrix (which names them itself). */
const MULTI_WORD = new Set(['option', 'timeout', 'stats']);

// ---------------------------------------------------------------- manual parsing

export interface Entry {
  group: string;
  name: string;
  sections: string[];
  deprecated: boolean;
  /** Chapter number, for the docs.haproxy.org anchor. */
  chapter: string;
  /** The header lines (names and argument shapes only). */
  headers: string[];
}

export interface VersionFacts {
  version: string;
  /** key `${group}\t${name}` */
  entries: Map<string, Entry>;
  sections: Map<string, { deprecated: boolean; chapter: string }>;
}

export interface Chapter {
  num: string;
  title: string;
  lines: string[];
}

export function splitChapters(text: string): Chapter[] {
  const lines = text.split('\n');
  const out: Chapter[] = [];
  let cur: Chapter | undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\d+(?:\.\d+)*)\.?\s+(\S.*?)\s*$/.exec(lines[i]);
    if (m && /^-{3,}\s*$/.test(lines[i + 1] ?? '')) {
      cur = { num: m[1], title: m[2], lines: [] };
      out.push(cur);
      i++;
      continue;
    }
    cur?.lines.push(lines[i]);
  }
  return out;
}

const NAME_TOKEN = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The keyword a header's first word names. Server and bind options that take a parameter in parentheses are
 * documented as `set-proxy-v2-tlv-fmt(<id>) <fmt>`; HAProxy looks them up by the part before "("
 * (srv_find_kw()/bind_find_kw()), so that part is the keyword.
 */
function headerWord(word: string): string {
  return word.replace(/\(<[a-z0-9_-]+>\)$/, '');
}

/** Keyword headers: column-0 lines opening an indented description. */
function entryHeaders(lines: string[]): Array<{ headers: string[]; body: string[] }> {
  const out: Array<{ headers: string[]; body: string[] }> = [];
  // Prose sentences end with "." or ":"; headers may end with an ellipsis ("resolve-opts <option>,...").
  const isHeader = (l: string) => /^[a-z0-9]/.test(l) && !/([^.]\.|:)\s*$/.test(l) && NAME_TOKEN.test(headerWord(l.split(/\s+/)[0]));
  for (let i = 0; i < lines.length; i++) {
    if (!isHeader(lines[i]) || (i > 0 && lines[i - 1].trim() !== '')) continue;
    const headers = [lines[i]];
    let j = i + 1;
    while (j < lines.length && isHeader(lines[j])) headers.push(lines[j++]);
    if (j >= lines.length || !/^ {2,}\S/.test(lines[j])) continue;
    const body: string[] = [];
    while (j < lines.length && !(lines[j].trim() === '' && isHeader(lines[j + 1] ?? ''))) {
      body.push(lines[j++]);
    }
    out.push({ headers, body });
    i = j;
  }
  return out;
}

function headerName(header: string, multi: Set<string>): string {
  const toks = header
    .replace(/\(deprecated\)/g, '')
    .trim()
    .split(/\s+/);
  if (toks[0] === 'no' && toks.length > 1) toks.shift();
  const words = [headerWord(toks[0])];
  if (multi.has(toks[0]) && toks[1] && NAME_TOKEN.test(toks[1])) words.push(toks[1]);
  return words.join(' ');
}

/** The "May be used in sections : defaults | frontend | listen | backend" table under a 4.2 entry. */
function usedInSections(body: string[]): string[] {
  const i = body.findIndex((l) => /May be used in sections/.test(l));
  if (i < 0) return [];
  const cols = body[i + 1].split('|').map((c) => c.trim());
  return cols.length === 4 ? PROXY_SECTIONS.filter((_, j) => /^yes/.test(cols[j])) : [];
}

function parseMatrix(lines: string[]): Map<string, { sections: string[]; deprecated: boolean }> {
  const out = new Map<string, { sections: string[]; deprecated: boolean }>();
  // Markers between name and columns: "(*)", "(deprecated)" and, in 1.9, "(deprectated)".
  const row = /^([a-z][a-z0-9._-]*(?: [a-z][a-z0-9._-]*)*)\s+((?:\([^)]*\)\s+)*)([X-])(?:\s*\(!\))?\s+([X-])\s+([X-])\s+([X-])\s*$/;
  for (const l of lines) {
    const m = row.exec(l);
    if (!m) continue;
    const cols = [m[3], m[4], m[5], m[6]];
    const sections = PROXY_SECTIONS.filter((_, i) => cols[i] === 'X');
    out.set(m[1], { sections, deprecated: /deprec/.test(m[2]) });
  }
  return out;
}

export function parseManual(version: string, text: string): VersionFacts {
  const facts: VersionFacts = { version, entries: new Map(), sections: new Map() };
  const add = (e: Entry) => {
    const key = `${e.group}\t${e.name}`;
    if (ERRATA.has(key)) return;
    const prev = facts.entries.get(key);
    if (prev) {
      prev.deprecated ||= e.deprecated;
      prev.headers.push(...e.headers);
      for (const s of e.sections) if (!prev.sections.includes(s)) prev.sections.push(s);
    } else facts.entries.set(key, e);
  };
  const chapters = splitChapters(text);
  let matrix = new Map<string, { sections: string[]; deprecated: boolean }>();
  let matrixChapter = '4.1';
  for (const ch of chapters) {
    const ctx = CONTEXTS.find(([re]) => re.test(ch.title.replace(/\s*\(deprecated\)\s*$/, '')))?.[1];
    if (ctx === 'matrix') {
      matrix = parseMatrix(ch.lines);
      matrixChapter = ch.num;
    }
  }
  const multiProxy = new Set([...matrix.keys()].filter((n) => n.includes(' ')).map((n) => n.split(' ')[0]));
  for (const ch of chapters) {
    const titleDeprecated = /\(deprecated\)\s*$/.test(ch.title);
    const ctx = CONTEXTS.find(([re]) => re.test(ch.title.replace(/\s*\(deprecated\)\s*$/, '')))?.[1];
    if (!ctx || ctx === 'matrix') continue;
    if (ctx === 'global-list') {
      // "The following keywords are supported in the global section" bullet list.
      for (const l of ch.lines) {
        const m = /^ {3}- ([a-z0-9][a-z0-9._-]*)\s*$/.exec(l);
        if (m) add({ group: 'global', name: m[1], sections: ['global'], deprecated: false, chapter: ch.num, headers: [] });
      }
      continue;
    }
    if (ctx === 'cache-1.8') {
      // 1.8 documents the cache section as a chapter of its own, without a "Cache section" subchapter.
      if (!chapters.some((c) => /^Cache section$/.test(c.title))) {
        for (const { headers } of entryHeaders(ch.lines)) {
          const name = headerName(headers[0], MULTI_WORD);
          if (name === 'cache') facts.sections.set('cache', { deprecated: false, chapter: ch.num });
          else if (['total-max-size', 'max-age', 'max-object-size'].includes(name)) {
            add({ group: 'cache', name, sections: ['cache'], deprecated: false, chapter: ch.num, headers });
          }
        }
      }
      continue;
    }
    if (SECTION_NAMES.includes(ctx) && ch.lines.some((l) => l.startsWith(ctx + ' ') || l === ctx || l.includes(`"${ctx}" section`))) {
      // The section keyword's own header is sometimes followed by a blank line instead of indented text.
      facts.sections.set(ctx, { deprecated: titleDeprecated, chapter: ch.num });
    }
    for (const { headers, body } of entryHeaders(ch.lines)) {
      if (ctx === 'proxy') {
        for (const h of headers) {
          // Name by the matrix: the longest matrix row that is a word prefix of the header.
          const dep = /\(deprecated\)/.test(h);
          const toks = h
            .replace(/\(deprecated\)/g, '')
            .trim()
            .split(/\s+/);
          if (toks[0] === 'no') toks.shift();
          let name: string | undefined;
          for (let n = Math.min(3, toks.length); n >= 1 && !name; n--) {
            const cand = toks.slice(0, n).join(' ');
            if (matrix.has(cand)) name = cand;
          }
          if (!name) {
            // Documented in 4.2 but missing from the matrix: trust the "May be used in sections" table.
            name = headerName(h, new Set([...MULTI_WORD, ...multiProxy]));
            matrix.set(name, { sections: usedInSections(body), deprecated: dep });
          }
          const m = matrix.get(name)!;
          add({ group: 'proxy', name, sections: [...m.sections], deprecated: dep || m.deprecated, chapter: ch.num, headers: [h] });
        }
        continue;
      }
      if (ctx === 'bind' || ctx === 'server') {
        for (const h of headers) {
          const name = headerWord(h.trim().split(/\s+/)[0]);
          add({ group: ctx, name, sections: [ctx], deprecated: /\(deprecated\)/.test(h), chapter: ch.num, headers: [h] });
        }
        continue;
      }
      const group = ctx;
      for (const h of headers) {
        const name = headerName(h, MULTI_WORD);
        if (name === group && SECTION_NAMES.includes(group)) {
          facts.sections.set(group, { deprecated: titleDeprecated || /\(deprecated\)/.test(h), chapter: ch.num });
          continue;
        }
        add({ group, name, sections: [group], deprecated: /\(deprecated\)/.test(h), chapter: ch.num, headers: [h] });
      }
    }
  }
  // Proxy keywords present only in the matrix.
  for (const [name, m] of matrix) {
    const key = `proxy\t${name}`;
    if (ERRATA.has(key)) continue;
    if (!facts.entries.has(key)) {
      facts.entries.set(key, { group: 'proxy', name, sections: m.sections, deprecated: m.deprecated, chapter: matrixChapter, headers: [] });
    } else if (m.sections.length) facts.entries.get(key)!.sections = [...m.sections];
  }
  // Single words that only head a family ("stats" in the global list next to "stats socket") are dropped.
  for (const [key, e] of facts.entries) {
    if (!e.name.includes(' ') && [...facts.entries.values()].some((o) => o.group === e.group && o.name.startsWith(e.name + ' '))) {
      facts.entries.delete(key);
    }
  }
  for (const s of ['global', 'defaults', 'frontend', 'backend', 'listen']) facts.sections.set(s, { deprecated: false, chapter: s === 'global' ? '3' : '4' });
  return facts;
}

// ---------------------------------------------------------------- previous JSON as fallback history

function factsFromPrevious(version: string, prev: KeywordSchema): VersionFacts {
  const facts: VersionFacts = { version, entries: new Map(), sections: new Map() };
  for (const k of prev.keywords) {
    const st = versionStatus(k, version);
    if (st === 'not-yet' || st === 'removed') continue;
    const group = groupOf(k);
    facts.entries.set(`${group}\t${k.name}`, { group, name: k.name, sections: [...k.sections], deprecated: st === 'deprecated', chapter: '', headers: [] });
  }
  for (const s of prev.sections) {
    const st = versionStatus(s, version);
    if (st !== 'not-yet' && st !== 'removed') facts.sections.set(s.name, { deprecated: st === 'deprecated', chapter: '' });
  }
  return facts;
}

function groupOf(k: KeywordSpec): string {
  if (k.sections.some((s) => PROXY_SECTIONS.includes(s))) return 'proxy';
  return k.sections[0];
}

// ---------------------------------------------------------------- arguments

const TIME: ArgSpec = { name: 'time', type: 'time' };
const int = (name: string, min?: number, max?: number, optional?: boolean): ArgSpec => ({
  name,
  type: 'int',
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
  ...(optional ? { optional } : {}),
});

/** Argument shapes worth validating, by group and name. Numeric ranges are HAProxy facts. */
const ARGS: Record<string, Record<string, ArgSpec[]>> = {
  global: {
    maxconn: [int('connections', 0)],
    nbthread: [int('threads', 1)],
    'thread-groups': [int('groups', 1)],
    'ulimit-n': [int('fds', 0)],
    uid: [int('uid', 0)],
    gid: [int('gid', 0)],
    'hard-stop-after': [TIME],
    'close-spread-time': [TIME],
    'spread-checks': [int('percent', 0, 50)],
    maxsslconn: [int('connections', 0)],
    maxconnrate: [int('rate', 0)],
    maxsessrate: [int('rate', 0)],
    maxsslrate: [int('rate', 0)],
    maxcomprate: [int('kbps', 0)],
    maxpipes: [int('pipes', 0)],
    'tune.bufsize': [int('bytes', 1)],
    'tune.maxrewrite': [int('bytes', 0)],
    'tune.ssl.default-dh-param': [int('bits', 1024)],
    'stats timeout': [TIME],
    'stats maxconn': [int('connections', 1)],
    'mworker-max-reloads': [int('reloads', 0)],
    'log-send-hostname': [{ name: 'hostname', type: 'string', optional: true }],
    chroot: [{ name: 'dir', type: 'path' }],
    pidfile: [{ name: 'file', type: 'path' }],
  },
  proxy: {
    maxconn: [int('connections', 0)],
    fullconn: [int('connections', 0)],
    backlog: [int('connections', 0)],
    retries: [int('retries', 0)],
    'option httplog': [{ name: 'format', type: 'enum', values: ['clf'], optional: true }],
    'log-format': [{ name: 'format', type: 'string', rest: true }],
    'log-format-sd': [{ name: 'format', type: 'string', rest: true }],
    'error-log-format': [{ name: 'format', type: 'string', rest: true }],
    'unique-id-format': [{ name: 'format', type: 'string', rest: true }],
    default_backend: [{ name: 'backend', type: 'name' }],
    'stats refresh': [TIME],
    'server-state-file-name': [{ name: 'file', type: 'string', optional: true }],
    'rate-limit sessions': [int('rate', 0)],
    'max-keep-alive-queue': [int('queue', -1)],
    'hash-balance-factor': [int('percent', 0)],
    id: [int('id', 1)],
    'clitcpka-cnt': [int('probes', 0)],
    'srvtcpka-cnt': [int('probes', 0)],
    'clitcpka-idle': [TIME],
    'clitcpka-intvl': [TIME],
    'srvtcpka-idle': [TIME],
    'srvtcpka-intvl': [TIME],
  },
  bind: {
    maxconn: [int('connections', 0)],
    backlog: [int('connections', 0)],
    mss: [int('mss')],
    id: [int('id', 1)],
    nice: [int('nice', -1024, 1024)],
    'tcp-ut': [TIME],
    uid: [int('uid', 0)],
    gid: [int('gid', 0)],
    name: [{ name: 'name', type: 'string' }],
    crt: [{ name: 'file', type: 'path' }],
    'ca-file': [{ name: 'file', type: 'path' }],
  },
  server: {
    port: [{ name: 'port', type: 'port' }],
    'agent-port': [{ name: 'port', type: 'port' }],
    weight: [int('weight', 0, 256)],
    rise: [int('count', 1)],
    fall: [int('count', 1)],
    inter: [TIME],
    fastinter: [TIME],
    downinter: [TIME],
    'agent-inter': [TIME],
    slowstart: [TIME],
    maxconn: [int('connections', 0)],
    maxqueue: [int('queue', 0)],
    minconn: [int('connections', 0)],
    id: [int('id', 1)],
    'error-limit': [int('errors', 0)],
    'max-reuse': [int('count', -1)],
    'pool-max-conn': [int('connections', -1)],
    'pool-low-conn': [int('connections', 0)],
    'pool-purge-delay': [TIME],
    'tcp-ut': [TIME],
    cookie: [{ name: 'value', type: 'string' }],
    track: [{ name: 'backend/server', type: 'name' }],
    addr: [{ name: 'address', type: 'ip' }],
    'agent-addr': [{ name: 'address', type: 'address' }],
    observe: [{ name: 'mode', type: 'enum', values: ['layer4', 'layer7'] }],
    'on-error': [{ name: 'action', type: 'enum', values: ['fastinter', 'fail-check', 'sudden-death', 'mark-down'] }],
    'on-marked-down': [{ name: 'action', type: 'enum', values: ['shutdown-sessions'] }],
    'on-marked-up': [{ name: 'action', type: 'enum', values: ['shutdown-backup-sessions'] }],
    verify: [{ name: 'mode', type: 'enum', values: ['none', 'required'] }],
    'init-addr': [{ name: 'methods', type: 'string' }],
    'resolve-prefer': [{ name: 'family', type: 'enum', values: ['ipv4', 'ipv6'] }],
    // `set-proxy-v2-tlv-fmt(<id>) <fmt>`: the id rides on the keyword, the log-format string is its one word;
    // at the end of the line HAProxy takes an empty format (srv_parse_set_proxy_v2_tlv_fmt() reads args[n+1]).
    'set-proxy-v2-tlv-fmt': [{ name: 'fmt', type: 'string', optional: true }],
  },
  resolvers: {
    resolve_retries: [int('retries', 1)],
    accepted_payload_size: [int('bytes', 512, 65535)],
  },
  peers: {},
};

/** Enum from a `{ a | b | c }` first argument in the manual header (mode, http-reuse, …). */
function braceEnum(header: string, name: string): ArgSpec[] | undefined {
  const rest = header
    .replace(/\(deprecated\)/g, '')
    .trim()
    .slice(name.length)
    .trim();
  // Only a required brace group that is the whole argument list: optional "[ x ]" groups are often
  // followed by more arguments on continuation lines.
  const m = /^\{\s*([a-z0-9_-]+(?:\s*\|\s*[a-z0-9_-]+)+)\s*\}\s*$/.exec(rest);
  if (!m) return undefined;
  return [{ name: 'value', type: 'enum', values: m[1].split('|').map((s) => s.trim()) }];
}

/** `balance` algorithms are listed under <algorithm> with a 6-space indent before the "<arguments>" item. */
function balanceAlgorithms(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^balance <algorithm>/.test(l));
  if (start < 0) return [];
  const out: string[] = [];
  let i0 = start + 1;
  while (/^\S/.test(lines[i0] ?? '')) i0++;
  for (let i = i0; i < lines.length && !/^ {4}<arguments>/.test(lines[i]) && !/^\S/.test(lines[i]); i++) {
    const m = /^ {6}([a-z][a-z_-]*)(?:\(<[a-z]+>\)\s|\s{2,}|\s*$)/.exec(lines[i]);
    if (m && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/**
 * The values one version's manual gives a keyword's enum argument: `balance` algorithms from its list,
 * else a `{ a | b }` header. Undefined when that manual does not document the keyword that way (or the
 * argument shape comes from the hand table above, which has no history).
 */
function enumValuesIn(group: string, name: string, entry: Entry | undefined, text: string): string[] | undefined {
  if (group === 'proxy' && name === 'balance') {
    const algos = balanceAlgorithms(text);
    return algos.length ? algos : undefined;
  }
  if (!entry || ARGS[group]?.[name]) return undefined;
  for (const h of entry.headers) {
    const e = braceEnum(h, name);
    if (e) return e[0].values;
  }
  return undefined;
}

/**
 * Gives an enum argument every value any version's manual lists, with the version range of those that are
 * not in all of them (`mode log` from 2.9, `mode health` until 2.3, `balance log-hash`/`sticky` from 2.9).
 * `known` has, per version in order, that version's values, or undefined when it cannot tell.
 */
export function widenEnum(arg: ArgSpec, known: Array<[string, string[] | undefined]>): ArgSpec {
  const told = known.filter((k): k is [string, string[]] => k[1] !== undefined);
  if (told.length < 2) return arg;
  const values = [...(arg.values ?? [])];
  for (const [, vs] of told) for (const v of vs) if (!values.includes(v)) values.push(v);
  const valueVersions: Record<string, VersionInfo> = {};
  for (const value of values) {
    const present = told.filter(([, vs]) => vs.includes(value)).map(([v]) => v);
    if (present.length === told.length || !present.length) continue;
    const info: VersionInfo = {};
    const firstAt = told.findIndex(([v]) => v === present[0]);
    const lastAt = told.findIndex(([v]) => v === present[present.length - 1]);
    if (firstAt > 0) info.added = present[0];
    if (lastAt < told.length - 1) info.removed = told[lastAt + 1][0];
    valueVersions[value] = info;
  }
  const out: ArgSpec = { ...arg, values };
  if (Object.keys(valueVersions).length) out.valueVersions = valueVersions;
  return out;
}

function argsFor(group: string, name: string, headers: string[], manual26: string): ArgSpec[] | undefined {
  if (group === 'proxy' && name === 'balance') {
    const algos = balanceAlgorithms(manual26);
    // hdr(<name>), rdp-cookie(<name>) and random(<draws>) carry a parenthesised suffix: compare the part before "(".
    // A bare `balance` is roundrobin (backend_parse_balance()), so the algorithm is optional.
    if (algos.length)
      return [
        { name: 'algorithm', type: 'enum', values: algos, optional: true },
        { name: 'arguments', type: 'string', optional: true, rest: true },
      ];
  }
  if ((group === 'proxy' || group === 'log-forward' || group === 'ring' || group === 'mailers') && name.startsWith('timeout ')) return [TIME];
  const table = ARGS[group]?.[name];
  if (table) return table;
  for (const h of headers) {
    const e = braceEnum(h, name);
    if (e) return e;
  }
  return undefined;
}

// ---------------------------------------------------------------- probing the real binary

type ProbeVerdict = 'ok' | 'warn' | 'error' | 'arg-error';

interface Probe {
  available: boolean;
  run(sectionHeader: string, line: string): { verdict: ProbeVerdict; message: string };
}

function makeProbe(enabled: boolean): Probe {
  const v = enabled ? spawnSync('haproxy', ['-v'], { encoding: 'utf8' }) : undefined;
  const available = !!v && v.status === 0 && /version 2\.6\./.test(v.stdout);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-probe-'));
  const file = path.join(dir, 'p.cfg');
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    available,
    run(sectionHeader, line) {
      fs.writeFileSync(file, `${sectionHeader}\n    ${line}\n`);
      const r = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
      const out = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(`${path.basename(file)}:2]`));
      const alert = out.find((l) => l.includes('[ALERT]'));
      const warn = out.find((l) => l.includes('[WARNING]'));
      const msg = (alert ?? warn ?? '').replace(/^.*?parsing \[[^\]]*\]\s*:?\s*/, '').replace(/^.*?\] : /, '');
      if (alert) {
        if (/unknown keyword|not allowed|not supported|unknown option|doesn't exist anymore|no longer supported/i.test(alert)) return { verdict: 'error', message: msg };
        if (warn && /ignored|capability/.test(warn)) return { verdict: 'warn', message: msg };
        return { verdict: 'arg-error', message: msg };
      }
      if (warn && /ignored|capability/.test(warn)) return { verdict: 'warn', message: msg };
      return { verdict: 'ok', message: msg };
    },
  };
}

/** Arguments good enough to get past argument parsing, so the section check is what we observe. */
const SAMPLE_ARGS: Record<string, string> = {
  acl: 'a src 10.0.0.1',
  bind: ':8080',
  server: 's 127.0.0.1:80',
  'server-template': 's 1-2 127.0.0.1:80',
  'default-server': 'inter 1s',
  balance: 'roundrobin',
  mode: 'http',
  cookie: 'SRV insert',
  'hash-type': 'consistent',
  'http-request': 'deny',
  'http-response': 'deny',
  'http-after-response': 'set-header X y',
  'http-reuse': 'safe',
  'tcp-request connection': 'accept',
  'tcp-request content': 'accept',
  'tcp-request session': 'accept',
  'tcp-response content': 'accept',
  'tcp-request inspect-delay': '1s',
  'tcp-response inspect-delay': '1s',
  default_backend: 'b',
  use_backend: 'b',
  'use-server': 's',
  redirect: 'location /',
  'monitor fail': 'if FALSE',
  'stick on': 'src',
  'stick match': 'src',
  'stick store-request': 'src',
  'stick store-response': 'src',
  'stick-table': 'type ip size 1k',
  'capture cookie': 'c len 10',
  'capture request header': 'h len 10',
  'capture response header': 'h len 10',
  'declare capture': 'request len 10',
  source: '0.0.0.0',
  errorfile: '503 /dev/null',
  errorloc: '503 /x',
  errorloc302: '503 /x',
  errorloc303: '503 /x',
  dispatch: '127.0.0.1:80',
  'http-check expect': 'status 200',
  'http-check send': 'meth GET',
  'tcp-check expect': 'string x',
  'tcp-check send': 'x',
  'tcp-check send-binary': '00',
  'tcp-check send-lf': 'x',
  'tcp-check send-binary-lf': '00',
  'tcp-check connect': '',
  'http-check connect': '',
  'http-check set-var': 'proc.x int(1)',
  'tcp-check set-var': 'proc.x int(1)',
  'http-check unset-var': 'proc.x',
  'tcp-check unset-var': 'proc.x',
  'http-check comment': 'x',
  'tcp-check comment': 'x',
  'email-alert mailers': 'm',
  'email-alert from': 'a@b',
  'email-alert to': 'a@b',
  'email-alert level': 'info',
  'email-alert myhostname': 'h',
  'persist rdp-cookie': '',
  'rate-limit sessions': '10',
  'retry-on': 'conn-failure',
  'http-error': 'status 503',
  errorfiles: 'e',
  filter: 'compression',
  compression: 'algo gzip',
  log: 'global',
  'log-format': '%ci',
  'log-format-sd': 'x',
  'error-log-format': '%ci',
  'unique-id-format': '%ci',
  'unique-id-header': 'X',
  'monitor-uri': '/m',
  'stats auth': 'a:b',
  'stats admin': 'if TRUE',
  'stats http-request': 'deny',
  'stats realm': 'r',
  'stats refresh': '5s',
  'stats scope': '.',
  'stats uri': '/s',
  'stats show-desc': '',
  'http-send-name-header': 'X',
  'external-check command': '/bin/true',
  'external-check path': '/bin',
  'load-server-state-from-file': 'none',
  'server-state-file-name': 'x',
  'force-persist': 'if TRUE',
  'ignore-persist': 'if TRUE',
  'use-fcgi-app': 'f',
  description: 'd',
  id: '42',
  maxconn: '10',
  fullconn: '10',
  backlog: '10',
  retries: '3',
  'log-tag': 't',
  'max-keep-alive-queue': '1',
  'hash-balance-factor': '150',
  'option forwardfor': '',
  'option httpchk': '',
  'option originalto': '',
  'option httplog': '',
  'option tcplog': '',
  'option httpslog': '',
};

function probeLine(name: string): string {
  if (name in SAMPLE_ARGS) return `${name} ${SAMPLE_ARGS[name]}`.trim();
  if (name.startsWith('timeout ')) return `${name} 1s`;
  if (name.startsWith('option ') || name.startsWith('stats ')) return name;
  if (/^(clitcpka|srvtcpka)-/.test(name)) return `${name} 10`;
  return `${name} x`;
}

// ---------------------------------------------------------------- assembling

const REPLACEMENTS: Record<string, string> = {
  // Hand-kept replacements where the 2.6 binary gives none or the keyword predates the probe.
  nbproc: 'nbthread',
  'bind-process': 'thread (bind option)',
  process: 'thread',
  grace: 'hard-stop-after',
  reqpass: 'http-request allow',
  reqipass: 'http-request allow',
  'option forceclose': 'option httpclose',
  reqrep: 'http-request replace-header',
  reqirep: 'http-request replace-header',
  'option http_proxy': 'http-request set-dst',
  'option independant-streams': 'option independent-streams',
  'monitor-net': 'http-request return status 200 if { src <net> }',
  'tune.chksize': 'tune.bufsize',
  'ssl-engine': 'ssl-provider',
  transparent: 'option transparent',
  'tune.ssl.capture-cipherlist-size': 'tune.ssl.capture-buffer-size',
};

function manualLink(version: string, chapter: string, name: string): string | undefined {
  if (!chapter) return undefined;
  return `https://docs.haproxy.org/${version === DEV_VERSION ? 'dev' : version}/configuration.html#${chapter}-${encodeURIComponent(name)}`;
}

interface History {
  present: string[];
  deprecatedFrom?: string;
  last: Entry;
  lastVersion: string;
  entry26?: Entry;
  anySections: Set<string>;
}

function main(): void {
  const argv = process.argv.slice(2);
  const opt = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(__dirname, '..');
  const manualsDir = path.resolve(opt('--manuals') ?? path.join(root, '.tmp', 'manuals'));
  const outFile = path.resolve(opt('--out') ?? path.join(root, 'server', 'data', 'haproxy.json'));
  const probe = makeProbe(!argv.includes('--no-probe'));
  const prev: KeywordSchema | undefined = fs.existsSync(outFile) ? (JSON.parse(fs.readFileSync(outFile, 'utf8')) as KeywordSchema) : undefined;

  const perVersion: VersionFacts[] = [];
  /** Each version's manual text, for what only the text holds (the `balance` algorithm list). */
  const texts = new Map<string, string>();
  const used: string[] = [];
  let manual26 = '';
  for (const v of VERSIONS) {
    let text: string | undefined;
    let source = '';
    if (v === SOURCE_VERSION && fs.existsSync(SYSTEM_MANUAL)) {
      text = zlib.gunzipSync(fs.readFileSync(SYSTEM_MANUAL)).toString('utf8');
      source = SYSTEM_MANUAL;
    } else if (fs.existsSync(path.join(manualsDir, `configuration-${v}.txt`))) {
      text = fs.readFileSync(path.join(manualsDir, `configuration-${v}.txt`), 'utf8');
      source = `configuration-${v}.txt`;
    }
    if (text !== undefined) {
      perVersion.push(parseManual(v, text));
      texts.set(v, text);
      // fetch-haproxy-manuals.sh records where each manual came from ("3.0: Debian, 3.0.11-1 (…)").
      const origin = fs.existsSync(path.join(manualsDir, `configuration-${v}.source`))
        ? /^\S+: (\S+?),? (\S+)/.exec(fs.readFileSync(path.join(manualsDir, `configuration-${v}.source`), 'utf8'))
        : null;
      used.push(`${v}=${source === SYSTEM_MANUAL ? 'debian' : origin ? `${origin[1].toLowerCase()}:${origin[2]}` : 'manual'}`);
      if (v === SOURCE_VERSION) manual26 = text;
    } else if (prev) {
      perVersion.push(factsFromPrevious(v, prev));
      used.push(`${v}=previous-json`);
    } else {
      throw new Error(`no manual for ${v} in ${manualsDir} and no previous ${outFile} to take its history from`);
    }
  }
  if (!manual26) throw new Error(`the ${SOURCE_VERSION} manual is required (${SYSTEM_MANUAL} or ${manualsDir}/configuration-${SOURCE_VERSION}.txt)`);

  // Keyword histories across versions.
  const hist = new Map<string, History>();
  for (const f of perVersion) {
    for (const [key, e] of f.entries) {
      let h = hist.get(key);
      if (!h) hist.set(key, (h = { present: [], last: e, lastVersion: f.version, anySections: new Set() }));
      for (const sec of e.sections) h.anySections.add(sec);
      h.present.push(f.version);
      // Prefer the manual-derived entry over a rebuilt one for sections/links.
      // Links go to released manuals: a development manual only for keywords that exist nowhere else.
      if ((e.chapter || !h.last.chapter) && !(f.version === DEV_VERSION && h.last.chapter)) {
        h.last = e;
        h.lastVersion = f.version;
      }
      if (f.version === SOURCE_VERSION) h.entry26 = e;
      if (e.deprecated && !h.deprecatedFrom) h.deprecatedFrom = f.version;
    }
  }

  const keywords: KeywordSpec[] = [];
  const groups = new Map<KeywordSpec, string>();
  const probeLog: string[] = [];
  for (const [key, h] of hist) {
    const e = h.entry26 ?? h.last;
    const first = h.present[0];
    const last = h.present[h.present.length - 1];
    // A keyword the last manuals only mention as gone has no matrix columns: take them from any version,
    // or every proxy section when none ever listed it.
    let sections = e.sections.length ? [...e.sections] : [...h.anySections];
    if (!sections.length && e.group === 'proxy') sections = [...PROXY_SECTIONS];
    sections.sort((a, b) => PROXY_SECTIONS.indexOf(a) - PROXY_SECTIONS.indexOf(b));
    const spec: KeywordSpec = { name: e.name, sections };
    if (first !== FIRST) spec.added = first;
    if (h.deprecatedFrom) spec.deprecated = h.deprecatedFrom;
    if (last !== LAST) spec.removed = VERSIONS[VERSIONS.indexOf(last) + 1];
    const prevSpec = prev?.keywords.find((k) => k.name === spec.name && groupOf(k) === e.group);
    // Replacements: the hand table first, then (below) the binary's own suggestion, else the previous file's.
    if (REPLACEMENTS[spec.name] && (spec.removed || spec.deprecated)) spec.replacement = REPLACEMENTS[spec.name];
    else if (!probe.available && prevSpec?.replacement) spec.replacement = prevSpec.replacement;
    const headers = (h.entry26 ?? h.last).headers;
    let args = argsFor(e.group, e.name, headers, manual26) ?? (headers.length ? undefined : prevSpec?.args);
    if (args?.[0]?.type === 'enum' && enumValuesIn(e.group, e.name, h.entry26 ?? h.last, manual26)) {
      // Per version: that manual's values, or (no manual) the previous file's values usable in that version.
      const prevArg = prevSpec?.args?.[0];
      const known = perVersion.map((f): [string, string[] | undefined] => {
        const text = texts.get(f.version);
        if (text !== undefined) return [f.version, f.entries.has(key) ? enumValuesIn(e.group, e.name, f.entries.get(key), text) : undefined];
        if (!f.entries.has(key) || prevArg?.type !== 'enum' || !prevArg.values) return [f.version, undefined];
        return [f.version, prevArg.values.filter((value) => versionStatus(prevArg.valueVersions?.[value] ?? {}, f.version) === 'ok')];
      });
      args = [widenEnum(args[0], known), ...args.slice(1)];
    }
    if (args) spec.args = args;
    // Without the binary, keep the sections it measured last time (it moves warn-only sections out).
    if (!probe.available && prevSpec) spec.sections = [...prevSpec.sections];
    const link = manualLink(h.entry26 ? SOURCE_VERSION : h.lastVersion, e.chapter, e.name);
    if (link) spec.manual = link;
    else if (prevSpec?.manual) spec.manual = prevSpec.manual;
    if (prevSpec?.warnSections && !probe.available) spec.warnSections = [...prevSpec.warnSections];
    keywords.push(spec);
    groups.set(spec, e.group);
  }

  // Keywords gone before the first manual (removed at 1.8) appear in no version's facts: keep them.
  for (const k of prev?.keywords ?? []) {
    if (k.removed === FIRST && !keywords.some((o) => o.name === k.name && groupOf(o) === groupOf(k))) {
      const copy: KeywordSpec = JSON.parse(JSON.stringify(k)) as KeywordSpec;
      keywords.push(copy);
      groups.set(copy, groupOf(copy));
    }
  }

  // Proxy keyword × section against the real 2.6 binary.
  if (probe.available) {
    for (const spec of keywords) {
      if (groups.get(spec) !== 'proxy') continue;
      const st = versionStatus(spec, SOURCE_VERSION);
      if (st === 'not-yet') continue;
      if (st === 'removed') {
        const sec = spec.sections.includes('frontend') ? 'frontend' : spec.sections.includes('backend') ? 'backend' : 'listen';
        const r = probe.run(`${sec} p`, `${spec.name} x`);
        probeLog.push(`removed ${spec.name} [${sec}]: ${r.verdict} ${r.message}`);
        applyRemovalMessage(spec, r);
        continue;
      }
      const warn: string[] = [];
      for (const sec of PROXY_SECTIONS) {
        const r = probe.run(sec === 'defaults' ? 'defaults d' : `${sec} p`, probeLine(spec.name));
        const allowed = spec.sections.includes(sec);
        if (r.verdict === 'warn') {
          warn.push(sec);
          if (allowed) spec.sections = spec.sections.filter((s) => s !== sec);
        } else if (r.verdict === 'ok' && !allowed) {
          probeLog.push(`accepted silently, added to sections: ${spec.name} [${sec}]`);
          spec.sections.push(sec);
        } else if (r.verdict === 'error' && allowed) {
          probeLog.push(`refused although the manual allows it: ${spec.name} [${sec}]: ${r.message}`);
        }
      }
      spec.sections.sort((a, b) => PROXY_SECTIONS.indexOf(a) - PROXY_SECTIONS.indexOf(b));
      if (warn.length) spec.warnSections = warn;
    }
    // Global keywords the manuals dropped before 2.6: read the binary's own removal message.
    for (const spec of keywords) {
      if (groups.get(spec) !== 'global' || versionStatus(spec, SOURCE_VERSION) !== 'removed') continue;
      const r = probe.run('global', `${spec.name} 1`);
      probeLog.push(`removed ${spec.name} [global]: ${r.verdict} ${r.message}`);
      applyRemovalMessage(spec, r);
    }
  }

  // Sections.
  const sections: KeywordSpec[] = [];
  for (const name of SECTION_NAMES) {
    const present = perVersion.filter((f) => f.sections.has(name)).map((f) => f.version);
    if (!present.length) continue;
    const spec: KeywordSpec = { name, sections: [] };
    if (present[0] !== FIRST) spec.added = present[0];
    const dep = perVersion.find((f) => f.sections.get(name)?.deprecated);
    if (dep) spec.deprecated = dep.version;
    const lastS = present[present.length - 1];
    if (lastS !== LAST) spec.removed = VERSIONS[VERSIONS.indexOf(lastS) + 1];
    const f26 = perVersion.find((f) => f.version === SOURCE_VERSION)!.sections.get(name);
    const fv = f26 ? SOURCE_VERSION : lastS;
    const ch = perVersion.find((f) => f.version === fv)!.sections.get(name)!.chapter;
    const link = manualLink(fv, ch, name) ?? prev?.sections.find((p) => p.name === name)?.manual;
    if (link) spec.manual = link;
    sections.push(spec);
  }

  keywords.sort((a, b) => (a.sections[0] ?? '').localeCompare(b.sections[0] ?? '') || a.name.localeCompare(b.name));
  const schema: KeywordSchema = {
    language: 'haproxy',
    sourceVersion: SOURCE_VERSION,
    generatedFrom: `scripts/gen-haproxy-schema.ts; manuals ${used.join(' ')}; ${probe.available ? 'warnSections and removal messages measured with haproxy 2.6 -c' : 'probe results kept from the previous file'}`,
    sections,
    keywords,
  };
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(schema, null, 1) + '\n');
  if (argv.includes('--verbose')) for (const l of probeLog) console.log(l);
  const count = (v: string) =>
    keywords.filter((k) => {
      const s = versionStatus(k, v);
      return s === 'ok' || s === 'deprecated';
    }).length;
  console.log(
    `wrote ${path.relative(process.cwd(), outFile)}: ${sections.length} sections, ${keywords.length} keywords (` +
      ['1.8', '2.0', '2.4', '2.6', '2.8', '3.0', '3.2', '3.3', '3.4', '3.5'].map((v) => `${v}: ${count(v)}`).join(', ') +
      `), ${probeLog.length} probe notes`,
  );
}

/** "... not supported anymore since HAProxy 2.1. Use 'http-request add-header' instead." → facts. */
function applyRemovalMessage(spec: KeywordSpec, r: { verdict: ProbeVerdict; message: string }): void {
  if (r.verdict === 'ok' || r.verdict === 'warn') {
    // Still accepted by 2.6 although the manual no longer lists it: call it deprecated, not removed.
    spec.deprecated = spec.deprecated && compareVersions(spec.deprecated, spec.removed!) < 0 ? spec.deprecated : spec.removed;
    delete spec.removed;
    return;
  }
  const since = /since HAProxy (?:version )?(\d+\.\d+)/i.exec(r.message);
  if (since) spec.removed = compareVersions(since[1], FIRST) < 0 ? FIRST : since[1];
  const use = /[Uu]se '([^']+)'/.exec(r.message);
  if (use && !spec.replacement) spec.replacement = use[1];
}

if (require.main === module) main();
