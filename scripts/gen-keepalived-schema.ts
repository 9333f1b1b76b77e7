// Generates server/data/keepalived.json from the keepalived.conf(5) man page of keepalived 2.2.7
// (Debian: /usr/share/man/man5/keepalived.conf.5.gz, from `apt-get install keepalived`).
//
// The man page shows every block as an indented skeleton inside `.nf` regions: `\fBkeyword \fRARGS`
// lines, `{` at the end of a line opens a block, `}` closes it. We walk those skeletons with a block
// stack, keep keyword names, block nesting and argument shapes, and drop the prose (GPL text stays out
// of the repository). A few facts the man page does not show as skeleton lines are added by hand below,
// each checked against the 2.2.7 binary with `keepalived -t -l -f FILE` (it prints "Unknown keyword").
//
// Keywords of later releases: the man pages of the Debian 13 and testing roots test/setup.sh builds
// (HACONF_ROOTS, default .tmp/roots: keepalived 2.3.3 and 2.3.4) are read the same way; a (block, keyword)
// they show and 2.2.7's does not gets `added: "2.3"` (keepalived's target version is major.minor, like
// HAProxy's: 2.3.3 already accepts `iproute_usr_dir`, which only 2.3.4's man page lists). Without the roots
// the previous file's later-release keywords are kept, so CI regenerates the same data.
//
// Usage: node --import tsx scripts/gen-keepalived-schema.ts [path/to/keepalived.conf.5(.gz)] [--out FILE]
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { ArgSpec, KeywordSpec } from '../server/src/core/schema';
import type { BlockEdge, KeepalivedSchema } from '../server/src/keepalived/schemaTypes';

const SOURCE_VERSION = '2.2.7';
const DEFAULT_MAN = '/usr/share/man/man5/keepalived.conf.5.gz';

/** Pseudo block kind for the top level of the file. */
const ROOT = 'root';

/** Where a block's keyword is not a unique kind name, the kind it opens, keyed by `parent keyword`. */
const KIND_OVERRIDES: Record<string, string> = {
  'root track_file': 'vrrp_track_file',
  'track_group group': 'track_group.group',
  'vrrp_sync_group group': 'vrrp_sync_group.group',
  'garp_group interfaces': 'garp_group.interfaces',
};

/** The health checkers; the man page lists their shared keywords once under `CHECKER_TYPE`. */
const CHECKERS = ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'MISC_CHECK', 'BFD_CHECK', 'PING_CHECK', 'UDP_CHECK', 'FILE_CHECK'];
/**
 * Which checkers really take the `CHECKER_TYPE` keywords (2.2.7 binary): the connecting ones all of them,
 * MISC_CHECK only the scheduling ones, BFD_CHECK and FILE_CHECK none. `SMTP_CHECK.host` is the old
 * per-host sub-block of SMTP_CHECK, which takes the connection keywords too.
 */
const CONNECTING_CHECKERS = ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'SMTP_CHECK', 'SMTP_CHECK.host', 'DNS_CHECK', 'PING_CHECK', 'UDP_CHECK'];
const SCHEDULING_KEYWORDS = new Set(['retry', 'delay_before_retry', 'warmup', 'delay_loop', 'alpha', 'log_all_failures']);

/** Skeleton lines the 2.2.7 binary rejects as "Unknown keyword" in that block. */
const NOT_ACCEPTED = new Set(['vrrp_sync_group notify_deleted', 'FILE_CHECK dynamic']);

/** Blocks the binary accepts that the man page does not show. */
const EXTRA_BLOCKS: BlockEdge[] = [{ parent: 'SMTP_CHECK', keyword: 'host', kind: 'SMTP_CHECK.host', value: false }];

/**
 * Blocks whose lines are data (addresses, names, routes) rather than keywords; keepalived reads them with
 * alloc_value_block(). virtual_server_group is one too: `fwmark N` there is a data line, not a keyword.
 */
const VALUE_BLOCKS = new Set([
  'notification_email',
  'linkbeat_interfaces',
  'track_group.group',
  'static_ipaddress',
  'static_routes',
  'static_rules',
  'vrrp_sync_group.group',
  'track_interface',
  'track_script',
  'track_file',
  'track_process',
  'track_bfd',
  'unicast_peer',
  'virtual_ipaddress',
  'virtual_ipaddress_excluded',
  'virtual_routes',
  'virtual_rules',
  'garp_group.interfaces',
  'interface_up_down_delays',
  'virtual_server_group',
]);

/**
 * Keywords the 2.2.7 parser accepts that the man page omits (older spellings kept for compatibility).
 * Each was confirmed with `keepalived -t` (no "Unknown keyword"); `deprecated`/`replacement` follow the
 * upstream source comments where it states them.
 */
interface Extra {
  name: string;
  sections: string[];
  deprecated?: string;
  replacement?: string;
  args?: ArgSpec[];
}
const EXTRAS: Extra[] = [
  { name: 'lb_algo', sections: ['virtual_server'], replacement: 'lvs_sched' },
  { name: 'lb_kind', sections: ['virtual_server'], replacement: 'lvs_method' },
  { name: 'hashed', sections: ['virtual_server'] },
  { name: 'weight', sections: ['virtual_server'] },
  { name: 'nb_get_retry', sections: ['HTTP_GET', 'SSL_GET'], deprecated: '2.0', replacement: 'retry' },
  { name: 'lvs_process_name', sections: ['global_defs'], deprecated: '2.2', replacement: 'checker_process_name' },
  { name: 'lvs_flush_onstop', sections: ['global_defs'], deprecated: '2.1.6', replacement: 'lvs_flush_on_stop' },
  { name: 'vrrp_vmac_garp_intvl', sections: ['global_defs'], deprecated: '2.2.3', replacement: 'vrrp_garp_extra_if' },
  { name: 'vmac_garp_intvl', sections: ['vrrp_instance'], deprecated: '2.2.3', replacement: 'garp_extra_if' },
  { name: 'vrrp_rlimit_rtime', sections: ['global_defs'], deprecated: '2.1', replacement: 'vrrp_rlimit_rttime' },
  { name: 'checker_rlimit_rtime', sections: ['global_defs'], deprecated: '2.1', replacement: 'checker_rlimit_rttime' },
  { name: 'bfd_rlimit_rtime', sections: ['global_defs'], deprecated: '2.1', replacement: 'bfd_rlimit_rttime' },
  { name: 'enable_snmp_keepalived', sections: ['global_defs'], deprecated: '2.0', replacement: 'enable_snmp_vrrp' },
  { name: 'neighbour_ip', sections: ['bfd_instance'], replacement: 'neighbor_ip' },
  { name: 'lvs_sync_daemon_interface', sections: ['vrrp_instance'], replacement: 'lvs_sync_daemon' },
  { name: 'notify_deleted', sections: ['vrrp_instance'] },
  { name: 'enable_sni', sections: ['HTTP_GET'] },
  { name: 'virtualhost', sections: ['HTTP_GET', 'SSL_GET'] },
  { name: 'host', sections: ['SMTP_CHECK'], deprecated: '2.0' },
];

interface RawKeyword {
  name: string;
  block: string;
  argText: string;
  comment: string;
  lineComment: string;
  line: number;
}

function readMan(file: string): string {
  const buf = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString('utf8');
}

/** Removes roff font switches and escapes, leaving the visible text. */
function plain(s: string): string {
  return s
    .replace(/\\f[BIRP]/g, '')
    .replace(/\\e/g, '\\')
    .replace(/\\-/g, '-')
    .replace(/\\'/g, "'")
    .replace(/\\\\/g, '\\');
}

function splitComment(s: string): { code: string; comment: string } {
  const i = s.indexOf('#');
  return i < 0 ? { code: s, comment: '' } : { code: s.slice(0, i), comment: s.slice(i + 1) };
}

interface Frame {
  /** Usually one kind; `HTTP_GET|SSL_GET {` opens both at once. */
  kinds: string[];
  value: boolean;
}

export function extract(roff: string): { raw: RawKeyword[]; edges: BlockEdge[] } {
  const lines = roff.split('\n');
  const raw: RawKeyword[] = [];
  const edges: BlockEdge[] = [];
  let inSkeleton = false;
  let active = false;
  let stack: Frame[] = [{ kinds: [ROOT], value: false }];
  let pendingComment: string[] = [];
  let pendingHeaders: string[] = [];
  let continued = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (line.startsWith('.SH')) {
      const title = line.slice(3).trim().replace(/"/g, '');
      // Skeletons live between the GLOBAL CONFIGURATION and ADVANCED CONFIGURATION chapters; the later
      // chapters hold examples of substitution and sequences, not keyword definitions.
      if (/^GLOBAL CONFIGURATION/.test(title)) active = true;
      if (/^ADVANCED CONFIGURATION/.test(title)) active = false;
      inSkeleton = false; // some `.nf` regions are never closed with `.fi`
      continue;
    }
    if (line.startsWith('.nf')) {
      inSkeleton = true;
      stack = [{ kinds: [ROOT], value: false }];
      pendingComment = [];
      continue;
    }
    if (line.startsWith('.fi')) {
      inSkeleton = false;
      continue;
    }
    if (!active || !inSkeleton || line.startsWith('.')) continue;
    const text = plain(line);
    const trimmed = text.trim();
    if (trimmed === '') {
      pendingComment = [];
      continue;
    }
    if (trimmed.startsWith('#')) {
      pendingComment.push(trimmed.slice(1).trim());
      continue;
    }
    if (continued) {
      continued = trimmed.endsWith('\\');
      continue;
    }
    const { code, comment } = splitComment(text);
    let body = code.trim();
    continued = body.endsWith('\\');
    const frame = stack[stack.length - 1];
    if (body === '}') {
      if (stack.length > 1) stack.pop();
      pendingComment = [];
      continue;
    }
    const opens = body.endsWith('{');
    if (opens) body = body.slice(0, -1).trim();
    if (frame.value) {
      // Data lines inside a value block; only nested blocks matter (there are none in 2.2.7).
      if (opens) stack.push({ kinds: frame.kinds.map((k) => `${k}.?`), value: true });
      continue;
    }
    // `virtual_server A |` / `virtual_server fwmark N |` / `virtual_server group G {`: one block, three headers.
    if (body.endsWith('|')) {
      pendingHeaders.push(body);
      continue;
    }
    const bold = /^\s*\\fB/.test(line);
    const first = body.split(/\s+/)[0] ?? '';
    let names: string[];
    if (bold) names = first.split('|');
    else if (first === 'CHECKER_TYPE' && opens) names = ['CHECKER_TYPE'];
    // Unformatted keyword lines (`param_match`, `min_reply_length`): only inside a block or opening one,
    // so indented prose at the top level is not mistaken for a keyword.
    else if (/^[a-z]+(_[a-z0-9]+)+$/.test(first) && (stack.length > 1 || opens)) names = [first];
    else {
      pendingComment = [];
      continue;
    }
    const argText = body.slice(first.length).trim();
    const lineComment = comment.trim();
    pendingHeaders = [];
    if (opens) {
      const kinds: string[] = [];
      for (const parent of frame.kinds) {
        for (const name of names) {
          const k = KIND_OVERRIDES[`${parent} ${name}`] ?? name;
          if (!kinds.includes(k)) kinds.push(k);
          if (name === 'CHECKER_TYPE') continue;
          if (!edges.some((e) => e.parent === parent && e.keyword === name)) {
            edges.push({ parent, keyword: name, kind: k, value: VALUE_BLOCKS.has(k) });
          }
          raw.push({ name, block: parent, argText, comment: pendingComment.join('\n'), lineComment, line: n + 1 });
        }
      }
      stack.push({ kinds, value: kinds.some((k) => VALUE_BLOCKS.has(k)) });
      pendingComment = [];
      continue;
    }
    for (const block of frame.kinds) {
      for (const name of names) raw.push({ name, block, argText, comment: pendingComment.join('\n'), lineComment, line: n + 1 });
    }
    pendingComment = [];
  }
  return { raw, edges };
}

const PLACEHOLDERS = new Set(['NUMBER', 'BITS', 'STRING', 'INTEGER', 'NAME', 'VALUE', 'SECS']);
const RANGE_RE = /^<?\[?\{?(?:INTEGER:\s*)?(-?\d+)\s*(?:\.\.|:|-| to )\s*(-?\d+)\]?\}?>?$/;

/** Argument shape of one skeleton token such as `<BOOL>`, `[<-1 to 99>]`, `rr|wrr|lc`, `<IPADDR>`. */
function argFromToken(tok: string, index: number): ArgSpec | undefined {
  const optional = tok.startsWith('[') && tok.endsWith(']');
  const inner = optional ? tok.slice(1, -1) : tok;
  const name = `arg${index + 1}`;
  const opt = optional ? { optional: true } : {};
  if (/^<BOOL>$/.test(inner) || /^on\|off\|true\|false\|yes\|no$/.test(inner)) return { name, type: 'bool', ...opt };
  const range = RANGE_RE.exec(inner.replace(/^<|>$/g, ''));
  if (range) return { name, type: 'int', min: Number(range[1]), max: Number(range[2]), ...opt };
  const orTwo = /^<(\d+) or (\d+)>$/.exec(inner);
  if (orTwo) return { name, type: 'enum', values: [orTwo[1], orTwo[2]], ...opt };
  const atLeast = /^>=(\d+)$/.exec(inner);
  if (atLeast) return { name, type: 'int', min: Number(atLeast[1]), ...opt };
  if (/^[A-Za-z0-9]+(\|[A-Za-z0-9]+)+$/.test(inner) && !/[<>]/.test(inner)) {
    const values = inner.split('|');
    // `[NUMBER|BITS]`, `[MTU|ADVERT|NUMBER]`: placeholders mixed in, so not a closed list.
    if (values.some((v) => PLACEHOLDERS.has(v))) return undefined;
    return { name, type: 'enum', values, ...opt };
  }
  if (/^<(INTEGER|INT|NUM|NUMBER|DECIMAL)>$|^NUM(BER)?$/.test(inner)) return { name, type: 'int', ...opt };
  if (/^<TIMER>$|^SECS$|^SECONDS$/.test(inner)) return { name, type: 'time', ...opt };
  if (/^<PORT>$/.test(inner)) return { name, type: 'port', ...opt };
  if (/^<(IPADDR|IP ADDRESS|MULTICAST_IPADDR)>$/.test(inner)) return { name, type: 'ip', ...opt };
  if (/^<?(SCRIPT_NAME|STRING|QUOTED_STRING|QUOTED-STRING)>?(\|<?(STRING|QUOTED_STRING|QUOTED-STRING)>?)*$/.test(inner)) return { name, type: 'string', ...opt };
  return undefined;
}

/** Splits an argument skeleton into tokens, keeping `<IP ADDRESS>`, `<-20 to 19>` and `[a [b]]` whole. */
function tokens(argText: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of argText) {
    if (c === '<' || c === '[' || c === '{') depth++;
    if (c === '>' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Ranges and value lists the comment above a keyword states, accepted only when the example fits. */
function hintFromComment(comment: string, example: string): ArgSpec | undefined {
  const enumLine = comment
    .split('\n')
    .map((l) => /^(?:[A-Za-z ]+,\s*)?([A-Z]{2,}(?:\|[A-Z]{2,})+)$/.exec(l.trim()))
    .find(Boolean);
  if (enumLine) {
    const values = enumLine[1].split('|');
    if (values.includes(example)) return { name: 'arg1', type: 'enum', values };
  }
  const r = /from (\d+) to (\d+)/.exec(comment) ?? /range of values for \w+ is \[(\d+)-(\d+)\]/.exec(comment) ?? /range \[(\d+),\s*(\d+)\]/.exec(comment);
  if (r && /^\d+$/.test(example)) {
    const v = Number(example);
    if (v >= Number(r[1]) && v <= Number(r[2])) return { name: 'arg1', type: 'int', min: Number(r[1]), max: Number(r[2]) };
  }
  return undefined;
}

function argsFor(k: RawKeyword): ArgSpec[] | undefined {
  const toks = tokens(k.argText);
  if (toks.length === 0) {
    const hint = hintFromComment(k.lineComment, '');
    return hint ? [hint] : [];
  }
  const first = argFromToken(toks[0], 0);
  if (first) {
    const args = [first];
    if (toks.length > 1) args.push({ name: 'more', type: 'string', optional: true, rest: true });
    return args;
  }
  const hint = hintFromComment(`${k.comment}\n${k.lineComment}`, toks[0]);
  if (hint) return toks.length > 1 ? [hint, { name: 'more', type: 'string', optional: true, rest: true }] : [hint];
  return undefined;
}

function deprecation(k: RawKeyword): Pick<KeywordSpec, 'deprecated' | 'replacement'> {
  const text = `${k.comment}\n${k.lineComment}`;
  if (/DEPRECATED|option is\s+deprecated|option is deprecated|\bis\s+deprecated\s*-/.test(text)) {
    const use = /[Uu]se ([a-z_]+)/.exec(text);
    return { deprecated: SOURCE_VERSION, ...(use ? { replacement: use[1] } : {}) };
  }
  return {};
}

function mergeArgs(variants: (ArgSpec[] | undefined)[]): ArgSpec[] | undefined {
  if (variants.length === 1) return variants[0];
  const same = variants.every((v) => JSON.stringify(v) === JSON.stringify(variants[0]));
  if (same) return variants[0];
  // Different shapes for one keyword: only a union of value lists is still a safe claim.
  const firsts = variants.map((v) => v?.[0]);
  if (firsts.every((f) => f?.type === 'enum')) {
    const values = [...new Set(firsts.flatMap((f) => f!.values ?? []))];
    return [
      { name: 'arg1', type: 'enum', values },
      { name: 'more', type: 'string', optional: true, rest: true },
    ];
  }
  return undefined;
}

export function buildSchema(roff: string, manPath: string): KeepalivedSchema {
  const { raw, edges } = extract(roff);
  const byKey = new Map<string, KeywordSpec>();
  const addSpec = (block: string, spec: KeywordSpec) => {
    const sig = JSON.stringify({ n: spec.name, a: spec.args, d: spec.deprecated, r: spec.replacement });
    const have = byKey.get(sig);
    if (have) {
      if (!have.sections.includes(block)) have.sections.push(block);
    } else byKey.set(sig, { ...spec, sections: [block] });
  };
  const checkerCommon: RawKeyword[] = [];
  // A keyword shown twice in one block (`lvs_method NAT|DR` or `lvs_method TUN …`) gets merged arguments.
  const perBlock = new Map<string, { k: RawKeyword; args: (ArgSpec[] | undefined)[] }>();
  for (const k of raw) {
    if (k.block === 'CHECKER_TYPE') {
      checkerCommon.push(k);
      continue;
    }
    if (NOT_ACCEPTED.has(`${k.block} ${k.name}`)) continue;
    const key = `${k.block}\u0000${k.name}`;
    const have = perBlock.get(key);
    if (have) have.args.push(argsFor(k));
    else perBlock.set(key, { k, args: [argsFor(k)] });
  }
  for (const { k, args: variants } of perBlock.values()) {
    const args = mergeArgs(variants);
    const spec: KeywordSpec = { name: k.name, sections: [], ...(args ? { args } : {}), ...deprecation(k), manual: `keepalived.conf(5) line ${k.line}` };
    addSpec(k.block, spec);
    // `track_file NAME {  # vrrp_track_file is a deprecated synonym`
    const syn = /([a-z_]+) is a deprecated synonym/.exec(k.lineComment);
    if (syn) {
      addSpec(k.block, { ...spec, name: syn[1], deprecated: SOURCE_VERSION, replacement: k.name });
      const edge = edges.find((e) => e.parent === k.block && e.keyword === k.name);
      if (edge) edges.push({ ...edge, keyword: syn[1] });
    }
  }
  edges.push(...EXTRA_BLOCKS);
  for (const checker of [...CHECKERS, ...EXTRA_BLOCKS.map((e) => e.kind)]) {
    for (const k of checkerCommon) {
      if (!CONNECTING_CHECKERS.includes(checker) && !(checker === 'MISC_CHECK' && SCHEDULING_KEYWORDS.has(k.name))) continue;
      const args = argsFor(k);
      addSpec(checker, { name: k.name, sections: [], ...(args ? { args } : {}), manual: `keepalived.conf(5) line ${k.line}` });
    }
  }
  for (const x of EXTRAS) {
    for (const s of x.sections) {
      addSpec(s, {
        name: x.name,
        sections: [],
        ...(x.args ? { args: x.args } : {}),
        ...(x.deprecated ? { deprecated: x.deprecated } : {}),
        ...(x.replacement ? { replacement: x.replacement } : {}),
        manual: 'accepted by keepalived 2.2.7, not in keepalived.conf(5)',
      });
    }
  }
  const kinds = new Map<string, KeywordSpec>();
  for (const e of edges) {
    const have = kinds.get(e.kind);
    if (have) {
      if (!have.sections.includes(e.parent)) have.sections.push(e.parent);
    } else kinds.set(e.kind, { name: e.kind, sections: [e.parent] });
  }
  for (const c of CHECKERS) if (!kinds.has(c)) throw new Error(`checker ${c} missing from the man page skeletons`);
  const keywords = [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.sections[0].localeCompare(b.sections[0]));
  for (const k of keywords) k.sections.sort();
  const sections = [...kinds.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    language: 'keepalived',
    sourceVersion: SOURCE_VERSION,
    generatedFrom: `scripts/gen-keepalived-schema.ts from ${path.basename(manPath)} (keepalived ${SOURCE_VERSION})`,
    sections,
    keywords,
    blocks: edges.sort((a, b) => a.parent.localeCompare(b.parent) || a.keyword.localeCompare(b.keyword)),
  };
}

/** Later releases whose man pages add keywords: branch and where the man page is, per Debian root. */
const LATER: { branch: string; root: string }[] = [
  { branch: '2.3', root: 'trixie' },
  { branch: '2.3', root: 'forky' },
];

/**
 * Adds the (block, keyword) pairs later man pages show and `base` lacks, with `added` set to their branch;
 * when no later man page is there, the previous file's entries with `added` are carried over.
 */
export function addLaterKeywords(base: KeepalivedSchema, later: { branch: string; schema: KeepalivedSchema }[], previous?: KeepalivedSchema): string[] {
  const pairs = new Set(base.keywords.flatMap((k) => k.sections.map((s) => `${s}\u0000${k.name}`)));
  const added: KeywordSpec[] = [];
  if (later.length) {
    for (const { branch, schema } of later) {
      for (const k of schema.keywords) {
        for (const s of k.sections) {
          if (pairs.has(`${s}\u0000${k.name}`)) continue;
          pairs.add(`${s}\u0000${k.name}`);
          const { manual: _manual, ...rest } = k;
          added.push({ ...rest, sections: [s], added: branch, manual: `keepalived.conf(5) of ${branch}` });
        }
      }
    }
  } else {
    for (const k of previous?.keywords ?? []) if (k.added) added.push(k);
  }
  base.keywords.push(...added);
  base.keywords.sort((a, b) => a.name.localeCompare(b.name) || a.sections[0].localeCompare(b.sections[0]));
  return added.map((k) => `${k.sections[0]} ${k.name}`);
}

function main(): void {
  const argv = process.argv.slice(2);
  const outIdx = argv.indexOf('--out');
  const out = outIdx >= 0 ? argv[outIdx + 1] : path.join(__dirname, '..', 'server', 'data', 'keepalived.json');
  const manPath = argv.find((a, i) => !a.startsWith('--') && i !== outIdx + 1) ?? DEFAULT_MAN;
  if (!fs.existsSync(manPath)) {
    console.error(`gen-keepalived-schema: ${manPath} not found; install keepalived (apt-get install keepalived) or pass the man page path`);
    process.exit(1);
  }
  const schema = buildSchema(readMan(manPath), manPath);
  const roots = path.resolve(process.env.HACONF_ROOTS ?? path.join(__dirname, '..', '.tmp', 'roots'));
  const later = LATER.map((l) => ({ ...l, man: path.join(roots, l.root, DEFAULT_MAN) }))
    .filter((l) => fs.existsSync(l.man))
    .map((l) => ({ branch: l.branch, schema: buildSchema(readMan(l.man), l.man) }));
  const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as KeepalivedSchema) : undefined;
  const addedLater = addLaterKeywords(schema, later, previous);
  if (later.length)
    schema.generatedFrom += `; keywords added in 2.3 from the man pages of the ${LATER.filter((l) => fs.existsSync(path.join(roots, l.root, DEFAULT_MAN)))
      .map((l) => l.root)
      .join(' and ')} roots`;
  else if (previous) schema.generatedFrom = previous.generatedFrom;
  fs.writeFileSync(out, JSON.stringify(schema, null, 1) + '\n');
  const names = new Set(schema.keywords.map((k) => k.name));
  console.log(`keepalived: ${names.size} keyword names, ${schema.keywords.length} entries (${addedLater.length} added in 2.3), ${schema.sections.length} block kinds → ${out}`);
}

if (require.main === module) main();
