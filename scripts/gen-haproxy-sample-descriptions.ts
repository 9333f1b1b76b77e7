// Generates server/data/descriptions/haproxy-samples.json: our own description of every HAProxy sample fetch
// and converter of server/data/haproxy-fetches.json, and of every ACL match method (`-m beg`, the `_beg`
// of `path_beg`). The text lives in scripts/haproxy-sample-text.ts (one line per name) and in the family
// tables below, which compose one entry per variant from a family text and the variant's own part:
//   - request/response pairs and their old spellings (`req.hdr`, `res.hdr`, `hdr`, `shdr`, `cook`, …);
//   - stick counters: `sc0_…`/`sc1_…`/`sc2_…`/`sc_…`/`src_…` fetches and `table_…` converters;
//   - TLS: `ssl_fc_…` / `ssl_bc_…` connections, `ssl_c_…`/`ssl_f_…`/`ssl_s_…` certificates;
//   - maps: `map_<match>[_<output>]`;
//   - developer fetches `internal.…`.
// test/unit/descriptions.test.ts checks that the file is what this script writes, that every fetch and
// converter of every version has an entry, and that none shares 8 consecutive words with the manuals.
//
//   node --import tsx scripts/gen-haproxy-sample-descriptions.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FetchData } from '../server/src/haproxy/fetchData';
import type { Description, DescriptionFile } from '../server/src/services/descriptions';
import { CONVERTERS, FETCHES, PREDEFINED } from './haproxy-sample-text';

export const SAMPLES_FILE = path.join(__dirname, '..', 'server', 'data', 'descriptions', 'haproxy-samples.json');

/** `name: summary || arg=text; arg=text` lines. */
function parseLines(text: string): Map<string, Description> {
  const out = new Map<string, Description>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([^\s:]+): (.*)$/.exec(line);
    if (!m) throw new Error(`bad description line: ${line}`);
    const [summary, argText] = m[2].split(' || ');
    const d: Description = { summary: summary.trim() };
    if (argText) {
      d.args = {};
      for (const part of argText.split('; ')) {
        const eq = part.indexOf('=');
        d.args[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
      }
    }
    if (out.has(m[1])) throw new Error(`described twice: ${m[1]}`);
    out.set(m[1], d);
  }
  return out;
}

// ---------------------------------------------------------------- request / response pairs

interface Side {
  dir: 'request' | 'response';
  /** "sent by the client" / "sent by the server". */
  by: string;
}
const REQ: Side = { dir: 'request', by: 'the client' };
const RES: Side = { dir: 'response', by: 'the server' };

const PAIR: Record<string, (s: Side) => Description> = {
  hdr: (s) => ({
    summary: `Returns a ${s.dir} header's value, treating commas as separators between values; an ACL tries every value, an expression takes the last one unless occ picks another.`,
    args: { name: 'header name, any case (default: every header)', occ: 'which value: 1 for the first, -1 for the last, 0 for all' },
  }),
  hdr_cnt: (s) => ({ summary: `Returns how many values a ${s.dir} header carries, counting comma-separated ones apart.`, args: { name: 'header name (default: all headers)' } }),
  hdr_ip: (s) => ({
    summary: `Returns a ${s.dir} header's value read as an IPv4 or IPv6 address (e.g. X-Forwarded-For).`,
    args: { name: 'header name', occ: 'which value: 1 for the first, -1 for the last (default)' },
  }),
  hdr_val: (s) => ({ summary: `Returns a ${s.dir} header's value read as an integer.`, args: { name: 'header name', occ: 'which value: 1 for the first, -1 for the last (default)' } }),
  hdr_names: (s) => ({ summary: `Returns the names of all ${s.dir} headers joined by a delimiter.`, args: { delim: 'separator (default a comma)' } }),
  fhdr: (s) => ({
    summary: `Returns a whole ${s.dir} header line's value, commas included (for headers such as Date or User-Agent).`,
    args: { name: 'header name', occ: 'which line: 1 for the first, -1 for the last (default)' },
  }),
  fhdr_cnt: (s) => ({ summary: `Returns how many ${s.dir} header lines have the name, commas not splitting them.`, args: { name: 'header name (default: all lines)' } }),
  cook: (s) => ({
    summary: `Returns the value of a cookie ${s === REQ ? 'the request carries (Cookie header)' : 'the response sets (Set-Cookie header)'}.`,
    args: { name: 'cookie name (default: the first cookie)' },
  }),
  cook_cnt: (s) => ({ summary: `Returns how many times a cookie appears in the ${s.dir}.`, args: { name: 'cookie name (default: all cookies)' } }),
  cook_val: (s) => ({ summary: `Returns a ${s.dir} cookie's value read as an integer.`, args: { name: 'cookie name' } }),
  payload: (s) => ({
    summary: `Returns bytes of the ${s.dir} buffer as ${s.by} sent them, before any protocol parsing.`,
    args: { offset: 'where to start, in bytes', length: 'how many bytes (0: the rest of the buffer)' },
  }),
  payload_lv: (s) => ({
    summary: `Returns a block of the ${s.dir} buffer whose length is read from the buffer itself (length-prefixed protocols).`,
    args: { offset1: 'where the length field starts', length: 'size of the length field in bytes', offset2: 'where the data starts (default: right after the length field)' },
  }),
};

/** Old spellings: name → [pair member, side]. */
const ALIASES: Record<string, [string, Side]> = {
  hdr: ['hdr', REQ],
  hdr_cnt: ['hdr_cnt', REQ],
  hdr_ip: ['hdr_ip', REQ],
  hdr_val: ['hdr_val', REQ],
  shdr: ['hdr', RES],
  shdr_cnt: ['hdr_cnt', RES],
  shdr_ip: ['hdr_ip', RES],
  shdr_val: ['hdr_val', RES],
  cook: ['cook', REQ],
  cook_cnt: ['cook_cnt', REQ],
  cook_val: ['cook_val', REQ],
  scook: ['cook', RES],
  scook_cnt: ['cook_cnt', RES],
  scook_val: ['cook_val', RES],
};

function pairs(out: Map<string, Description>): void {
  for (const [member, make] of Object.entries(PAIR)) {
    out.set(`req.${member}`, make(REQ));
    out.set(`res.${member}`, make(RES));
  }
  for (const [alias, [member, side]] of Object.entries(ALIASES)) {
    const d = PAIR[member](side);
    const full = `${side === REQ ? 'req' : 'res'}.${member}`;
    out.set(alias, { ...d, summary: `Short name of \`${full}\`. ${d.summary}` });
  }
}

// ---------------------------------------------------------------- stick counters

/** What a counter measures; `{rate}` is filled with "over the table's <period>". */
const COUNTER: Record<string, string> = {
  bytes_in_rate: 'the rate of bytes received from clients, over the period of the table’s bytes_in_rate',
  bytes_out_rate: 'the rate of bytes sent to clients, over the period of the table’s bytes_out_rate',
  conn_cnt: 'the total of connections counted',
  conn_cur: 'the number of connections open right now',
  conn_rate: 'the rate of new connections, over the period of the table’s conn_rate',
  sess_cnt: 'the total of sessions counted',
  sess_rate: 'the rate of new sessions, over the period of the table’s sess_rate',
  http_req_cnt: 'the total of HTTP requests counted',
  http_req_rate: 'the rate of HTTP requests, over the period of the table’s http_req_rate',
  http_err_cnt: 'the total of HTTP requests that ended in a client-side error (4xx, bad requests)',
  http_err_rate: 'the rate of HTTP client errors, over the period of the table’s http_err_rate',
  http_fail_cnt: 'the total of HTTP responses that failed on the server side (5xx except 501/505, server errors)',
  http_fail_rate: 'the rate of HTTP server failures, over the period of the table’s http_fail_rate',
  glitch_cnt: 'the total of protocol glitches (anomalies of clients) counted',
  glitch_rate: 'the rate of protocol glitches, over the period of the table’s glitch_rate',
  kbytes_in: 'the total of kilobytes received from clients',
  kbytes_out: 'the total of kilobytes sent to clients',
  gpc0_rate: 'the increment rate of general purpose counter 0, over the period of the table’s gpc0_rate',
  gpc1_rate: 'the increment rate of general purpose counter 1, over the period of the table’s gpc1_rate',
  gpc_rate: 'how fast slot idx of the gpc array grows, over the period of the table’s gpc_rate',
  get_gpc0: 'the value of general purpose counter 0',
  get_gpc1: 'the value of general purpose counter 1',
  get_gpc: 'what slot idx of the gpc array holds',
  get_gpt0: 'the value of general purpose tag 0',
  get_gpt: 'what slot idx of the gpt (tag) array holds',
  trackers: 'how many streams currently track the entry',
};
/** Counters that change the entry: verb phrase. */
const ACTION: Record<string, string> = {
  inc_gpc0: 'Increments general purpose counter 0 of',
  inc_gpc1: 'Increments general purpose counter 1 of',
  inc_gpc: 'Adds one to slot idx of the gpc array of',
  clr_gpc0: 'Resets general purpose counter 0 to zero in',
  clr_gpc1: 'Resets general purpose counter 1 to zero in',
  clr_gpc: 'Sets slot idx of the gpc array back to zero in',
};

const STICK_ARGS: Record<string, string> = {
  ctr: 'stick counter number (0, 1, 2 … up to tune.stick-counters − 1)',
  idx: 'array index of the counter or tag',
  table: 'stick table to look in (default: the one the counter tracks)',
};

function stickSubject(prefix: string): string {
  if (/^sc\d$/.test(prefix)) return `the stick table entry tracked by counter ${prefix.slice(2)} (\`track-${prefix}\`)`;
  if (prefix === 'sc') return 'the stick table entry tracked by the counter given as first argument';
  if (prefix === 'src') return 'the stick table entry keyed by the client’s source address';
  return 'the stick table entry whose key is the input sample';
}

function stickEntry(prefix: string, metric: string, argNames: string[]): Description | undefined {
  const subject = stickSubject(prefix);
  const args = Object.fromEntries(argNames.filter((a) => STICK_ARGS[a]).map((a) => [a, a === 'table' && prefix === 'src' ? 'stick table to look in (default: the current proxy’s)' : STICK_ARGS[a]]));
  const withArgs = (summary: string): Description => (Object.keys(args).length ? { summary, args } : { summary });
  const counter = metric.replace(/^get_/, 'get_');
  if (COUNTER[counter]) return withArgs(`Returns ${COUNTER[counter]}, for ${subject}; ${prefix === 'src' ? '0 when the address has no entry' : '0 when nothing is tracked'}.`);
  if (ACTION[metric]) return withArgs(`${ACTION[metric]} ${subject}, and returns ${metric.startsWith('inc') ? 'the new value' : 'the value it had before'}.`);
  if (metric === 'tracked') return withArgs(`Returns true when the stream tracks an entry with this counter (\`${prefix === 'sc' ? 'track-scN' : `track-${prefix}`}\`).`);
  if (metric === 'key') return withArgs(`Returns the key of ${subject}.`);
  if (metric === 'updt_conn_cnt') return withArgs(`Increments the connection count of ${subject} and returns it (an older way of counting before \`track-sc\`).`);
  return undefined;
}

/** `table_*` converters: the input is the key. */
function tableEntry(metric: string, argNames: string[]): Description | undefined {
  const base = stickEntry('table', metric.replace(/^(gpc0|gpc1|gpc|gpt0|gpt)$/, 'get_$1'), argNames);
  if (base) {
    const summary = base.summary.replace(/; 0 when nothing is tracked\.$/, '; nothing when the key is not in the table.');
    return { summary, args: { ...base.args, table: 'stick table name' } };
  }
  const own: Record<string, string> = {
    expire: 'Returns how many milliseconds remain before the table entry keyed by the input expires.',
    idle: 'Returns how many milliseconds the table entry keyed by the input has been idle.',
    server_id: 'Returns the id of the server the table entry keyed by the input sticks to.',
  };
  if (!own[metric]) return undefined;
  // expire and idle take a value to return for a key the table does not hold.
  const args: Record<string, string> = { table: 'stick table name' };
  if (metric !== 'server_id') args.default_value = 'value returned when the key is not in the table';
  return { summary: own[metric], args };
}

// ---------------------------------------------------------------- TLS

/** Per-connection TLS facts; `{side}` is "client connection" / "server connection". */
const TLS_CONN: Record<string, string> = {
  '': 'Returns true when the {side} uses TLS.',
  alg_keysize: 'Returns the symmetric key size the cipher of the {side} supports, in bits.',
  use_keysize: 'Returns the symmetric key size the {side} actually uses, in bits.',
  alpn: 'Returns the protocol agreed by ALPN on the {side} (e.g. h2).',
  npn: 'Returns the protocol agreed by NPN (the older ALPN) on the {side}.',
  cipher: 'Returns the name of the cipher suite used on the {side}.',
  curve: 'Returns the elliptic curve or group used for the key exchange on the {side}.',
  protocol: 'Returns the TLS version of the {side} (e.g. TLSv1.3).',
  is_resumed: 'Returns true when the {side} resumed an earlier TLS session.',
  session_id: 'Returns the TLS session id of the {side}, as binary.',
  session_key: 'Returns the TLS session master key of the {side}, as binary (for offline decryption; handle with care).',
  unique_id: 'Returns the TLS unique channel binding (tls-unique) of the {side}, as binary.',
  client_random: 'Returns the client random of the {side}’s handshake, as binary (key logging).',
  server_random: 'Returns the server random of the {side}’s handshake, as binary (key logging).',
  client_early_traffic_secret: 'Returns the TLS 1.3 client early traffic secret of the {side} (key logging, needs tune.ssl.keylog).',
  client_handshake_traffic_secret: 'Returns the TLS 1.3 client handshake traffic secret of the {side} (key logging, needs tune.ssl.keylog).',
  server_handshake_traffic_secret: 'Returns the TLS 1.3 server handshake traffic secret of the {side} (key logging, needs tune.ssl.keylog).',
  client_traffic_secret_0: 'Returns the first TLS 1.3 client application traffic secret of the {side} (key logging, needs tune.ssl.keylog).',
  server_traffic_secret_0: 'Returns the first TLS 1.3 server application traffic secret of the {side} (key logging, needs tune.ssl.keylog).',
  exporter_secret: 'Returns the TLS 1.3 exporter secret of the {side} (key logging, needs tune.ssl.keylog).',
  early_exporter_secret: 'Returns the TLS 1.3 early exporter secret of the {side} (key logging, needs tune.ssl.keylog).',
  err: 'Returns the OpenSSL error code of the last failure on the {side} (0 when none).',
  err_str: 'Returns the OpenSSL error message of the last failure on the {side}.',
  sni: 'Returns the server name (SNI) sent on the {side}.',
};
/** Client-connection-only TLS facts (ssl_fc_…). */
const TLS_FC: Record<string, Description> = {
  cipherlist_bin: { summary: 'Returns the cipher suites the client offered, as raw binary.', args: { filter_option: '1 to drop GREASE values' } },
  cipherlist_hex: { summary: 'Returns the cipher suites the client offered, as hexadecimal text.', args: { filter_option: '1 to drop GREASE values' } },
  cipherlist_str: { summary: 'Returns the names of the cipher suites the client offered, comma-separated.', args: { filter_option: '1 to drop GREASE values' } },
  cipherlist_xxh: { summary: 'Returns a 64-bit xxHash of the cipher suites the client offered, as a compact fingerprint.' },
  ecformats_bin: { summary: 'Returns the elliptic curve point formats the client offered, as binary (for JA3-style fingerprints).' },
  eclist_bin: { summary: 'Returns the elliptic curves the client offered, as binary.', args: { filter_option: '1 to drop GREASE values' } },
  extlist_bin: { summary: 'Returns the TLS extension ids of the ClientHello, as binary.', args: { filter_option: '1 to drop GREASE values' } },
  sigalgs_bin: { summary: 'Returns the signature algorithms the client offered, as binary.', args: { filter_option: '1 to drop GREASE values' } },
  supported_versions_bin: { summary: 'Returns the TLS versions the client offered, as binary.', args: { filter_option: '1 to drop GREASE values' } },
  protocol_hello_id: { summary: 'Returns the TLS version number the client put in its ClientHello.' },
  crtname: { summary: 'Returns the name of the certificate HAProxy presented to the client.' },
  early_rcvd: { summary: 'Returns true when early data (TLS 1.3 0-RTT) was received from the client.' },
  has_early: { summary: 'Returns true when the request arrived as TLS 1.3 early data (0-RTT), which could be replayed.' },
  has_crt: { summary: 'Returns true when the client presented a certificate.' },
  has_sni: { summary: 'Returns true when the client sent a server name (SNI).' },
  sni: { summary: 'Returns the server name (SNI) the client asked for in its TLS handshake.' },
};

const CERT_OF: Record<string, string> = {
  c: 'the certificate the client presented',
  f: 'the certificate HAProxy presented to the client',
  s: 'the certificate the server presented on the backend connection',
};
const CERT: Record<string, Description> = {
  der: { summary: 'Returns {cert} in DER form, as binary.' },
  chain_der: { summary: 'Returns the chain sent with {cert}, each certificate in DER form, as binary.' },
  i_dn: {
    summary: 'Returns the issuer distinguished name of {cert}, whole or one entry.',
    args: { entry: 'attribute such as CN or O (default: the whole name)', occ: 'which occurrence (negative counts from the end)', format: 'rfc2253 for the RFC 2253 form' },
  },
  s_dn: {
    summary: 'Returns the subject distinguished name of {cert}, whole or one entry.',
    args: { entry: 'attribute such as CN or O (default: the whole name)', occ: 'which occurrence (negative counts from the end)', format: 'rfc2253 for the RFC 2253 form' },
  },
  r_dn: {
    summary: 'Returns the DN of the root authority at the top of the chain of {cert}, whole or one entry.',
    args: { entry: 'attribute such as CN or O (default: the whole name)', occ: 'which occurrence (negative counts from the end)', format: 'rfc2253 for the RFC 2253 form' },
  },
  key_alg: { summary: 'Returns the public key algorithm of {cert} (e.g. rsaEncryption).' },
  sig_alg: { summary: 'Returns the signature algorithm of {cert} (e.g. sha256WithRSAEncryption).' },
  notafter: { summary: 'Returns the end of validity of {cert}, as YYMMDDhhmmssZ text.' },
  notbefore: { summary: 'Returns the start of validity of {cert}, as YYMMDDhhmmssZ text.' },
  serial: { summary: 'Returns the serial number of {cert}, as binary.' },
  sha1: { summary: 'Returns the SHA-1 hash of the DER form of {cert}, as binary (hex converts it to text).' },
  version: { summary: 'Returns the X.509 version of {cert} (3 for v3).' },
  san: { summary: 'Returns the subject alternative names (DNS entries) of {cert}, comma-separated.' },
  policies: { summary: 'Returns the certificate policy OIDs of {cert}, or tells whether one is present.', args: { oid: 'policy OID to look for' } },
};
const CLIENT_CERT_ONLY: Record<string, string> = {
  ca_err: 'Returns the verification error of the first CA of the client’s chain that failed (0 when none).',
  ca_err_depth: 'Returns the depth in the client’s chain of the first CA that failed verification.',
  err: 'Returns the verification error of the client certificate itself (0 when none).',
  used: 'Returns true when the client presented a certificate on this connection or its resumed session.',
  verify: 'Returns the result of verifying the client certificate (0 when it passed).',
};

function tls(name: string): Description | undefined {
  const conn = /^ssl_(fc|bc)(?:_(.*))?$/.exec(name);
  if (conn) {
    const [, side, rest = ''] = conn;
    if (side === 'fc' && TLS_FC[rest]) return TLS_FC[rest];
    const t = TLS_CONN[rest];
    if (t) return { summary: t.replace('{side}', side === 'fc' ? 'client connection' : 'server connection') };
    return undefined;
  }
  const cert = /^ssl_([cfs])_(.*)$/.exec(name);
  if (!cert) return undefined;
  const [, who, rest] = cert;
  if (who === 'c' && CLIENT_CERT_ONLY[rest]) return { summary: CLIENT_CERT_ONLY[rest] };
  const d = CERT[rest];
  if (!d) return undefined;
  const summary = d.summary.replace('{cert}', CERT_OF[who]);
  return { ...d, summary: summary[0].toUpperCase() + summary.slice(1) };
}

// ---------------------------------------------------------------- maps

/** The match methods ACLs and maps share (`-m beg`, `map_beg`, `path_beg`). */
export const MATCH: Record<string, string> = {
  str: 'exact string match: the sample equals a pattern',
  beg: 'prefix match: the sample starts with a pattern',
  end: 'suffix match: the sample ends with a pattern',
  sub: 'substring match: the sample contains a pattern anywhere',
  dir: 'directory match: a pattern equals one slash-delimited part of the sample',
  dom: 'domain match: a pattern equals one dot- or slash-delimited part of the sample',
  reg: 'regular expression match: a pattern (a regex) matches the sample',
  len: 'length match: the length of the sample is compared with integer patterns or ranges',
  int: 'integer match: the sample is compared with integers or ranges (1024:65535, ge 100)',
  ip: 'address match: the sample is in one of the addresses or networks',
  bin: 'binary match: the sample equals hex-encoded bytes',
  bool: 'boolean match: true when the sample is non-zero',
  found: 'presence match: true when the sample exists at all, its value ignored',
};
const MAP_OUT: Record<string, string> = {
  '': 'the associated value as a string',
  int: 'the associated value as an integer',
  ip: 'the associated value as an address',
  key: 'the key that matched instead of its value',
};

function map(name: string): Description | undefined {
  const m = /^map_(str|beg|end|sub|dir|dom|reg|regm|int|ip)(?:_(int|ip|key))?$/.exec(name);
  if (!m) return undefined;
  const [, method, out = ''] = m;
  const how = method === 'regm' ? 'regular expression match whose groups (\\1 …) can be used in the value' : MATCH[method].split(':')[0];
  const input = method === 'int' ? 'integer' : method === 'ip' ? 'address' : 'string';
  const args: Record<string, string> = { map_name: 'map file path (or a name from a maps section)' };
  // The `_key` variants return the matched key: they take no default value.
  if (out !== 'key') args.default_value = 'value returned when no key matches (else the converter fails)';
  return { summary: `Looks the input ${input} up in a map file by ${how}, and returns ${MAP_OUT[out]}.`, args };
}

// ---------------------------------------------------------------- developer fetches

const INTERNAL: Record<string, string> = {
  'internal.htx.data': 'Developer fetch: the number of data bytes in the HTX message of the current direction.',
  'internal.htx.free': 'Developer fetch: the free space of the HTX message of the current direction.',
  'internal.htx.free_data': 'Developer fetch: the free space usable for data in the HTX message of the current direction.',
  'internal.htx.has_eom': 'Developer fetch: true when the HTX message of the current direction holds its end.',
  'internal.htx.nbblks': 'Developer fetch: the number of blocks in the HTX message of the current direction.',
  'internal.htx.size': 'Developer fetch: the size of the HTX message of the current direction.',
  'internal.htx.used': 'Developer fetch: the space used by the HTX message of the current direction.',
  'internal.htx_blk.data': 'Developer fetch: the data of an HTX block (by position).',
  'internal.htx_blk.hdrname': 'Developer fetch: the header name of an HTX block (by position).',
  'internal.htx_blk.hdrval': 'Developer fetch: the header value of an HTX block (by position).',
  'internal.htx_blk.size': 'Developer fetch: the size of an HTX block (by position).',
  'internal.htx_blk.start_line': 'Developer fetch: the start line of the HTX message.',
  'internal.htx_blk.type': 'Developer fetch: the type of an HTX block (by position).',
  'internal.strm.is_htx': 'Developer fetch: true when the stream carries HTX (HTTP mode) data.',
};

// ---------------------------------------------------------------- assembling

interface Facts {
  args: Record<string, string[]>;
}

/** Argument texts keyed by the signature's names: a family text says `name` where the manual says `header`. */
function withSignatureNames(d: Description, names: string[]): Description {
  const keys = Object.keys(d.args ?? {});
  if (!keys.length || !names.length || keys.every((k) => names.includes(k)) || keys.length !== names.length) return d;
  return { ...d, args: Object.fromEntries(keys.map((k, i) => [names[i], d.args![k]])) };
}

export function buildSampleDescriptions(): DescriptionFile {
  const data = require('../server/data/haproxy-fetches.json') as FetchData;
  const facts = require('../server/data/descriptions/haproxy-sample-facts.json') as Facts;
  const own = { fetch: parseLines(FETCHES), converter: parseLines(CONVERTERS) };
  const composed = new Map<string, Description>();
  pairs(composed);
  const missing: string[] = [];
  const fetch: Record<string, Description> = {};
  for (const f of data.fetches) {
    const args = facts.args[`fetch/${f.name}`] ?? [];
    const stick = /^(sc\d?|src)_(.*)$/.exec(f.name);
    const d =
      own.fetch.get(f.name) ??
      composed.get(f.name) ??
      tls(f.name) ??
      (INTERNAL[f.name] ? { summary: INTERNAL[f.name], ...(args[0] === 'idx' ? { args: { idx: 'block position: head, tail, or a number from 0' } } : {}) } : undefined) ??
      (stick ? stickEntry(stick[1], stick[2], args.length ? args : stick[1] === 'sc' ? ['ctr', 'table'] : ['table']) : undefined);
    if (d) fetch[f.name] = withSignatureNames(d, args);
    else missing.push(`fetch ${f.name}`);
  }
  const converter: Record<string, Description> = {};
  for (const c of data.converters) {
    const args = facts.args[`converter/${c.name}`] ?? [];
    const table = /^table_(.*)$/.exec(c.name);
    const d = own.converter.get(c.name) ?? map(c.name) ?? (table ? tableEntry(table[1], args.length ? args : ['table']) : undefined);
    if (d) converter[c.name] = withSignatureNames(d, args);
    else missing.push(`converter ${c.name}`);
  }
  const unused = [...own.fetch.keys()].filter((n) => !fetch[n]).concat([...own.converter.keys()].filter((n) => !converter[n]));
  if (missing.length || unused.length) throw new Error(`undescribed: ${missing.join(', ')}; described but unknown: ${unused.join(', ')}`);
  const match = Object.fromEntries(Object.entries(MATCH).map(([k, v]) => [k, `${v[0].toUpperCase()}${v.slice(1)}.`]));
  const predefinedText = parseLines(PREDEFINED);
  const predefined: Record<string, string> = {};
  for (const p of data.predefinedAcls) {
    const d = predefinedText.get(p.name);
    if (d) predefined[p.name] = d.summary;
    else missing.push(`predefined ACL ${p.name}`);
  }
  if (missing.length) throw new Error(`undescribed: ${missing.join(', ')}`);
  return {
    language: 'haproxy',
    about:
      'Generated by scripts/gen-haproxy-sample-descriptions.ts from scripts/haproxy-sample-text.ts: our own descriptions of every HAProxy sample fetch and converter, and of the ACL match methods and the predefined ACLs. Edit the script, not this file.',
    groups: { fetch, converter, match, predefined },
  };
}

if (require.main === module) {
  const file = buildSampleDescriptions();
  fs.writeFileSync(SAMPLES_FILE, JSON.stringify(file, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), SAMPLES_FILE)}: ${Object.keys(file.groups.fetch).length} fetches, ${Object.keys(file.groups.converter).length} converters`);
}
