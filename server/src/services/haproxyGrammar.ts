// What goes where in a haproxy.cfg line, for completion and signature help: the syntax of directives the
// keyword data gives no arguments for, the value lists of common positions (log facilities, header names,
// time values), and the addresses a file already uses. Facts only (names and placeholders, as in the
// manual), no manual prose.
import { compareVersions, type KeywordSpec } from '../core/schema';
import { fetchData, rangeStatus, lookupFetch, type SampleKeyword, type VersionRange } from '../haproxy/fetchData';
import type { HaproxyDoc } from '../haproxy/types';
import { optionArity } from '../haproxy/optionArity';
import { argsSyntax } from './syntax';
import { enumValuesIn } from '../haproxy/keywords';
import type { ArgSpec } from '../core/schema';

/** An enum's values at `version` (every value when no version is given). */
function valuesAt(version: string | undefined): (arg: ArgSpec) => readonly string[] {
  return (arg) => (version === undefined ? (arg.values ?? []) : enumValuesIn(arg, version));
}

/** Directives whose arguments the keyword data leaves out, as the manual writes them (after the name). */
const DIRECTIVE_SYNTAX: Record<string, string> = {
  server: '<name> <address>[:[port]] [param*]',
  'default-server': '[param*]',
  bind: '<address>:<port_range> [param*]',
  acl: '<aclname> <criterion> [flags] [operator] [<value>]...',
  log: '<target> [len <length>] [format <format>] <facility> [<level> [<minlevel>]]',
  'http-request': '<action> [options...] [ { if | unless } <condition> ]',
  'http-response': '<action> [options...] [ { if | unless } <condition> ]',
  'http-after-response': '<action> [options...] [ { if | unless } <condition> ]',
  'tcp-request connection': '<action> [options...] [ { if | unless } <condition> ]',
  'tcp-request content': '<action> [options...] [ { if | unless } <condition> ]',
  'tcp-request session': '<action> [options...] [ { if | unless } <condition> ]',
  'tcp-response content': '<action> [options...] [ { if | unless } <condition> ]',
  'tcp-request inspect-delay': '<timeout>',
  use_backend: '<backend> [ { if | unless } <condition> ]',
  'use-server': '<server> [ { if | unless } <condition> ]',
  'http-check expect': '[!] <match> <pattern>',
  'http-check send': '[meth <method>] [uri <uri>] [ver <version>] [hdr <name> <fmt>]* [body <string>]',
  'option httpchk': '[<method>] [<uri> [<version>]]',
  'capture request header': '<name> len <length>',
  'capture response header': '<name> len <length>',
  'stick-table': 'type <type> size <size> [expire <expire>] [nopurge] [peers <peersect>] [store <data_type>]*',
  'hash-type': '<method> [<function>] [<modifier>]',
  'stats auth': '<user>:<passwd>',
  'stats uri': '<prefix>',
  'stats socket': '<address> [param*]',
  'stick on': '<pattern> [table <table>] [ { if | unless } <condition> ]',
  redirect: '{ location | prefix | scheme } <loc> [code <code>] [<option>]',
  errorfile: '<code> <file>',
  cookie: '<name> [ rewrite | insert | prefix ] [indirect] [nocache] [postonly] [preserve] [httponly] [secure] [domain <domain>]* [maxidle <idle>] [maxlife <life>] [dynamic] [attr <value>]*',
  peer: '<peername> <address>:<port>',
  nameserver: '<name> <address>[:port]',
  user: '<username> [password|insecure-password <password>] [groups <group>,<group>,(...)]',
};

/** The syntax after the keyword's name, from the table above or the keyword data's arguments. */
export function directiveSyntax(name: string, spec: KeywordSpec | undefined, version?: string): string | undefined {
  return DIRECTIVE_SYNTAX[name] ?? (spec?.args?.length ? argsSyntax(spec.args, valuesAt(version)) : undefined);
}

/** The syntax of a bind/server option: its arguments from the data, else one value per word it consumes. */
export function optionSyntax(kind: 'bind' | 'server', name: string, spec: KeywordSpec | undefined, version?: string): string {
  if (spec?.args?.length) return argsSyntax(spec.args, valuesAt(version));
  const n = optionArity(kind, name) ?? 0;
  return Array.from({ length: n }, (_, i) => (n === 1 ? '<value>' : `<value${i + 1}>`)).join(' ');
}

export const LOG_FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'auth2',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'cron2',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
export const LOG_FORMATS = ['local', 'rfc3164', 'rfc5424', 'priority', 'short', 'timed', 'iso', 'raw'];
export const LOG_TARGETS = ['global', 'stdout', 'stderr', '/dev/log', '127.0.0.1:514'];

/** Header names offered where an action names a header. */
export const HEADER_NAMES = [
  'X-Forwarded-For',
  'X-Forwarded-Proto',
  'X-Forwarded-Host',
  'X-Forwarded-Port',
  'X-Real-IP',
  'X-Request-ID',
  'Forwarded',
  'Host',
  'Via',
  'Strict-Transport-Security',
  'Content-Security-Policy',
  'X-Frame-Options',
  'X-Content-Type-Options',
  'Referrer-Policy',
  'Cache-Control',
  'Set-Cookie',
  'Cookie',
  'Server',
  'Location',
  'Access-Control-Allow-Origin',
  'Authorization',
  'Content-Type',
  'Connection',
  'Upgrade',
];

export const TIME_UNITS = ['us', 'ms', 's', 'm', 'h', 'd'];
export const TIME_VALUES = ['1s', '5s', '10s', '30s', '1m', '5m', '1h'];
export const SIZE_UNITS = ['k', 'm', 'g'];
export const COUNT_VALUES = ['1', '2', '3', '5'];
export const STATUS_CODES = ['200', '301', '302', '400', '401', '403', '404', '429', '500', '503'];
export const ACL_FLAGS = ['-i', '-f', '-m', '-n', '-u', '-M', '--'];
export const ACL_MATCH = ['str', 'beg', 'end', 'sub', 'reg', 'dom', 'dir', 'len', 'found', 'bool', 'int', 'ip'];

/**
 * Device-detection modules (WURFL, DeviceAtlas, 51Degrees) register their fetches and converters only in
 * builds made with them (Debian's are not): never offered.
 */
function optionalModule(name: string): boolean {
  return /^(wurfl-|da-|51d\.)/.test(name);
}

/**
 * Whether completion may offer a name at `version`. Stricter than the checker's `rangeStatus`, which never
 * calls a name too new for a target older than the data's oldest version (2.6): completion offers nothing the
 * target may lack, so there a name added in a later covered version is left out.
 */
export function offeredAt(r: VersionRange, version: string): boolean {
  if (r.added && compareVersions(version, r.added) < 0) return false;
  return rangeStatus(r, version) === 'ok';
}

const usable = new Map<string, { fetches: SampleKeyword[]; converters: SampleKeyword[] }>();

function usableAt(version: string): { fetches: SampleKeyword[]; converters: SampleKeyword[] } {
  let found = usable.get(version);
  if (!found) {
    const ok = (k: SampleKeyword) => offeredAt(k, version) && !optionalModule(k.name);
    found = { fetches: fetchData().fetches.filter(ok), converters: fetchData().converters.filter(ok) };
    usable.set(version, found);
  }
  return found;
}

/** Sample fetches usable at `version` (targets older than the data's oldest version are judged as it). */
export function fetchesAt(version: string): SampleKeyword[] {
  return usableAt(version).fetches;
}

export function convertersAt(version: string): SampleKeyword[] {
  return usableAt(version).converters;
}

/** ACL keywords (`path_beg` = `path -m beg`) usable at `version`, with the fetch they stand for. */
export function aclKeywordsAt(version: string): Array<{ name: string; base?: SampleKeyword; match: string }> {
  return fetchData()
    .acls.filter((a) => offeredAt(a, version))
    .map((a) => ({ name: a.name, base: lookupFetch(a.fetch), match: a.match }));
}

export function predefinedAclsAt(version: string): string[] {
  return fetchData()
    .predefinedAcls.filter((a) => offeredAt(a, version))
    .map((a) => a.name);
}

/** `req.hdr([string],[integer])`: a fetch or converter with its argument kinds, optional ones bracketed. */
export function sampleSignature(s: SampleKeyword): { label: string; params: string[] } {
  const params = s.args.map((a) => (a.optional ? `[${a.kind}]` : a.kind));
  if (s.variadic && params.length) params[params.length - 1] += '...';
  return { label: `${s.name}(${params.join(',')})`, params };
}

/** Insert text for a fetch or converter: its required arguments as placeholders (`table_http_req_rate(${1:table})`). */
export function sampleSnippet(s: SampleKeyword): { text: string; snippet: boolean } {
  const required = s.args.filter((a) => !a.optional);
  if (!required.length) return { text: s.name, snippet: false };
  return { text: `${s.name}(${required.map((a, i) => `\${${i + 1}:${a.kind}}`).join(',')})`, snippet: true };
}

/**
 * Addresses a file already uses, for `bind` and `server` lines: every bind address, server address and
 * peer address, each once, in file order. Kept per parse (a parse is never changed after it is made).
 */
const addressCache = new WeakMap<HaproxyDoc, { bind: string[]; server: string[] }>();

export function usedAddresses(doc: HaproxyDoc): { bind: string[]; server: string[] } {
  let found = addressCache.get(doc);
  if (found) return found;
  const bind = new Set<string>();
  const server = new Set<string>();
  for (const st of doc.statements) {
    const kw = st.value(0);
    if (kw === 'bind' && st.count > 1 && !st.dynamic(1)) bind.add(st.value(1)!);
    else if ((kw === 'server' || kw === 'peer') && st.count > 2 && !st.dynamic(2)) server.add(st.value(2)!);
  }
  found = { bind: [...bind], server: [...server] };
  addressCache.set(doc, found);
  return found;
}
