// Generates server/data/haproxy-fetches.json: HAProxy sample fetches, converters, ACL keywords and
// predefined ACLs, with argument kinds, arity, output type and the versions they exist in.
//
//   node --import tsx scripts/gen-haproxy-fetches.ts [--manuals DIR] [--out FILE]
//
// Inputs (DIR, default .tmp/manuals/, filled by scripts/fetch-haproxy-manuals.sh; never committed):
// - haproxy-<branch>.smp / .cnv / .acl: what a real binary registers (`haproxy -dKsmp` etc.), for the
//   branches we have binaries of (Debian 12's 2.6, 13's 3.0, testing's 3.2). Authoritative: names,
//   argument types, optional arguments, output types.
// - configuration-<branch>.txt: the manual of every branch, for the names a Debian build leaves out
//   (51Degrees, DeviceAtlas, WURFL, …) and for the branches without a binary (2.8, 3.3, 3.4, 3.5-dev).
//   A branch without a binary inherits the previous branch's names, minus those the previous manual
//   documents and its own manual no longer does, plus those its manual documents.
// Only facts are kept (names, argument kinds, types, versions); no manual prose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FetchData, SampleArg, SampleKeyword, AclKeyword, PredefinedAcl } from '../server/src/haproxy/fetchData';
import { splitChapters } from './gen-haproxy-schema';

/** The branches covered, oldest first; 3.5 is the development branch (its latest -dev tag). */
export const FETCH_VERSIONS = ['2.6', '2.8', '3.0', '3.2', '3.3', '3.4', '3.5'];

interface Parsed {
  name: string;
  args: SampleArg[];
  variadic: boolean;
  output: string;
  input?: string;
}

// ---------------------------------------------------------------- binary dumps

/** `be2hex(string[,integer,integer]): str => bin` or `[ Y . … ] req.hdr([string,integer]): str`. */
function parseDumpLine(line: string, converter: boolean): Parsed | undefined {
  const body = line.replace(/^\[[^\]]*\]\s*/, '');
  const m = /^([^\s(:]+)(?:\((.*)\))?: (\S+)(?: => (\S+))?\s*$/.exec(body);
  if (!m) return undefined;
  const args: SampleArg[] = [];
  let optional = false;
  // HAProxy prints `[` before the comma of the first optional argument (`integer[,table]`), or before the
  // first argument when all are optional (`[string,integer]`): a piece ending with `[` makes the next optional.
  for (const raw of (m[2] ?? '').split(',')) {
    if (raw.trimStart().startsWith('[')) optional = true;
    const kind = raw.replace(/[[\]]/g, '').trim();
    if (kind) args.push({ kind: dumpKind(kind), ...(optional ? { optional: true } : {}) });
    if (raw.trimEnd().endsWith('[')) optional = true;
  }
  return converter ? { name: m[1], args, variadic: false, input: m[4] ?? m[3], output: m[3] } : { name: m[1], args, variadic: false, output: m[3] };
}

function dumpKind(t: string): string {
  const map: Record<string, string> = { 'user list': 'userlist', 'IPv4 address': 'ipv4', 'IPv6 address': 'ipv6', 'IPv4 mask': 'mask4', 'IPv6 mask': 'mask6', 'regular expression': 'regex' };
  return map[t] ?? t;
}

function readDump(file: string, converter: boolean): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const p = parseDumpLine(line, converter);
    if (p) out.set(p.name, p);
  }
  return out;
}

/** `hdr_beg = req.hdr -m beg` */
function readAclDump(file: string): Map<string, { fetch: string; match: string }> {
  const out = new Map<string, { fetch: string; match: string }>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\S+) = (\S+) -m (\S+)/.exec(line);
    if (m) out.set(m[1], { fetch: m[2], match: m[3] });
  }
  return out;
}

// ---------------------------------------------------------------- manuals

/** Placeholder words → argument kinds (the manual names arguments, the binary types them). */
function manualKind(word: string, fetch: string): string {
  const w = word.replace(/[<>\s*.]/g, '');
  if (/^(ctr|idx|occ|offset|length|len|value|bits|count|avalanche|nb|size|port|num|id|field_number|chunk_size|truncate|index|delim_idx)$/.test(w)) return 'integer';
  if (/^(table)$/.test(w)) return 'table';
  if (/^(backend)$/.test(w)) return 'backend';
  if (/^(frontend)$/.test(w)) return 'frontend';
  if (/server/.test(w)) return 'server';
  if (/^(userlist)$/.test(w)) return 'userlist';
  if (/^(var|varname|var_name)$/.test(w)) return 'var';
  if (/^(regex)$/.test(w)) return 'regex';
  if (w === 'name' && /hdr/.test(fetch)) return 'header';
  return 'string';
}

/** `req.hdr([<name>[,<occ>]])` argument list → kinds, optionality, variadic. */
function manualArgs(inner: string, name: string): { args: SampleArg[]; variadic: boolean } {
  const args: SampleArg[] = [];
  let depth = 0;
  let word = '';
  let wordDepth = 0;
  const variadic = /\*|\.\.\./.test(inner);
  const flush = () => {
    if (word.trim()) args.push({ kind: manualKind(word, name), ...(wordDepth > 0 ? { optional: true } : {}) });
    word = '';
  };
  for (const ch of inner) {
    if (ch === '[') {
      flush();
      depth++;
      continue;
    }
    if (ch === ']') {
      flush();
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (ch === ',') {
      flush();
      continue;
    }
    if (!word.trim()) wordDepth = depth;
    word += ch;
  }
  flush();
  // An optional argument makes the following ones optional too (HAProxy fills arguments left to right).
  let seenOptional = false;
  for (const a of args) {
    if (a.optional) seenOptional = true;
    else if (seenOptional) a.optional = true;
  }
  return { args, variadic };
}

const HEADER = /^([a-z0-9][a-z0-9_.+-]*)(?:\((.*)\))?(?:\s*:\s*([a-z][a-z /_]*?))?\s*$/;

interface ManualFacts {
  fetches: Map<string, Parsed>;
  converters: Map<string, Parsed>;
  predefined: string[];
}

function readManual(text: string): ManualFacts {
  const facts: ManualFacts = { fetches: new Map(), converters: new Map(), predefined: [] };
  for (const ch of splitChapters(text)) {
    const isConv = ch.num === '7.3.1';
    const isFetch = /^7\.3\.[2-7]$/.test(ch.num);
    if (ch.num === '7.4') {
      for (const l of ch.lines) {
        const m = /^([A-Z][A-Z0-9_.]+)\s{2,}\S/.exec(l);
        if (m) facts.predefined.push(m[1]);
      }
      continue;
    }
    if (!isConv && !isFetch) continue;
    const lines = ch.lines;
    for (let i = 0; i < lines.length; i++) {
      // The converter summary table (3.0+): "name(args)   input type   output type".
      const row = isConv ? /^([a-z0-9][a-z0-9_.+-]*)(?:\((.*)\))?\s{2,}(\S+(?: \/ \S+)?)\s{2,}(\S.*?)\s*$/.exec(lines[i]) : null;
      if (row) {
        const { args, variadic } = manualArgs(row[2] ?? '', row[1]);
        if (!facts.converters.has(row[1])) facts.converters.set(row[1], { name: row[1], args, variadic, input: row[3], output: row[4] });
        continue;
      }
      const m = HEADER.exec(lines[i]);
      if (!m || /[^.]\.\s*$/.test(lines[i])) continue;
      // A header is followed by more headers and then an indented description, sometimes after a blank line.
      let j = i + 1;
      while (j < lines.length && HEADER.test(lines[j])) j++;
      if (lines[j] === '' && /^ {2,}\S/.test(lines[j + 1] ?? '')) j++;
      if (!/^ {2,}\S/.test(lines[j] ?? '')) continue;
      if (isFetch && !m[3]) continue; // fetch headers always name their output type
      const { args, variadic } = manualArgs(m[2] ?? '', m[1]);
      const row0 = isConv ? facts.converters.get(m[1]) : undefined;
      const p: Parsed = { name: m[1], args, variadic, output: (m[3] ?? '').trim() || row0?.output || '', ...(row0?.input ? { input: row0.input } : {}) };
      (isConv ? facts.converters : facts.fetches).set(p.name, p);
    }
  }
  return facts;
}

// ---------------------------------------------------------------- assembling

function main(): void {
  const argv = process.argv.slice(2);
  const opt = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(__dirname, '..');
  const dir = path.resolve(opt('--manuals') ?? path.join(root, '.tmp', 'manuals'));
  const outFile = path.resolve(opt('--out') ?? path.join(root, 'server', 'data', 'haproxy-fetches.json'));

  const sources: string[] = [];
  const presence = { fetches: new Map<string, Set<string>>(), converters: new Map<string, Set<string>>() };
  const best = { fetches: new Map<string, Parsed & { from: 'binary' | 'manual' }>(), converters: new Map<string, Parsed & { from: 'binary' | 'manual' }>() };
  const aclPresence = new Map<string, { fetch: string; match: string; versions: Set<string> }>();
  const predefined = new Map<string, Set<string>>();
  const counts: Record<string, { fetches: number; converters: number; acls: number }> = {};
  let prevManual: ManualFacts | undefined;
  let prevNames: { fetches: Set<string>; converters: Set<string>; acls: Map<string, { fetch: string; match: string }> } | undefined;

  for (const v of FETCH_VERSIONS) {
    const manualFile = path.join(dir, `configuration-${v}.txt`);
    if (!fs.existsSync(manualFile)) {
      // No manuals here (CI, a fresh clone): the committed data stays as it is.
      console.log(
        `gen-haproxy-fetches: ${path.relative(process.cwd(), manualFile)} is missing, keeping ${path.relative(process.cwd(), outFile)} (run scripts/fetch-haproxy-manuals.sh to regenerate it)`,
      );
      return;
    }
    const manual = readManual(fs.readFileSync(manualFile, 'utf8'));
    const dump = path.join(dir, `haproxy-${v}`);
    const hasBinary = fs.existsSync(`${dump}.smp`);
    const names = { fetches: new Set<string>(), converters: new Set<string>(), acls: new Map<string, { fetch: string; match: string }>() };
    for (const kind of ['fetches', 'converters'] as const) {
      const documented = manual[kind];
      if (hasBinary) {
        const bin = readDump(`${dump}.${kind === 'fetches' ? 'smp' : 'cnv'}`, kind === 'converters');
        for (const [name, p] of bin) {
          names[kind].add(name);
          best[kind].set(name, { ...p, from: 'binary' });
        }
      } else if (prevNames) {
        for (const name of prevNames[kind]) {
          const droppedFromManual = prevManual?.[kind].has(name) && !documented.has(name);
          if (!droppedFromManual) names[kind].add(name);
        }
      }
      for (const [name, p] of documented) {
        names[kind].add(name);
        const have = best[kind].get(name);
        // The binary's typing wins; among manuals the newest.
        if (!have || have.from === 'manual') best[kind].set(name, { ...p, from: 'manual' });
      }
      for (const name of names[kind]) {
        let set = presence[kind].get(name);
        if (!set) presence[kind].set(name, (set = new Set()));
        set.add(v);
      }
    }
    if (hasBinary && fs.existsSync(`${dump}.acl`)) names.acls = readAclDump(`${dump}.acl`);
    else if (prevNames) names.acls = new Map([...prevNames.acls].filter(([, a]) => names.fetches.has(a.fetch)));
    for (const [name, a] of names.acls) {
      let e = aclPresence.get(name);
      if (!e) aclPresence.set(name, (e = { ...a, versions: new Set() }));
      e.versions.add(v);
    }
    for (const name of manual.predefined) {
      let set = predefined.get(name);
      if (!set) predefined.set(name, (set = new Set()));
      set.add(v);
    }
    counts[v] = { fetches: names.fetches.size, converters: names.converters.size, acls: names.acls.size };
    const src = hasBinary ? fs.readFileSync(`${dump}.dump-source`, 'utf8').trim().split(' ').slice(4, 5).join('') : '';
    sources.push(`${v}=${hasBinary ? `binary:${src}+manual` : 'manual'}`);
    prevManual = manual;
    prevNames = names;
  }

  const range = (versions: Set<string>): { added?: string; removed?: string } => {
    const idx = FETCH_VERSIONS.map((v) => versions.has(v));
    const first = idx.indexOf(true);
    const last = idx.lastIndexOf(true);
    return {
      ...(first > 0 ? { added: FETCH_VERSIONS[first] } : {}),
      ...(last < FETCH_VERSIONS.length - 1 ? { removed: FETCH_VERSIONS[last + 1] } : {}),
    };
  };
  const keyword = (kind: 'fetches' | 'converters', name: string): SampleKeyword => {
    const p = best[kind].get(name)!;
    return {
      name,
      args: p.args,
      ...(p.variadic ? { variadic: true } : {}),
      ...(p.from === 'manual' ? { argsFrom: 'manual' as const } : {}),
      ...(p.input ? { input: p.input } : {}),
      ...(p.output ? { output: p.output } : {}),
      ...range(presence[kind].get(name)!),
    };
  };
  const data: FetchData = {
    language: 'haproxy',
    versions: FETCH_VERSIONS,
    generatedFrom: `scripts/gen-haproxy-fetches.ts; ${sources.join(' ')}`,
    counts,
    fetches: [...presence.fetches.keys()].sort().map((n) => keyword('fetches', n)),
    converters: [...presence.converters.keys()].sort().map((n) => keyword('converters', n)),
    acls: [...aclPresence.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, a]): AclKeyword => ({ name, fetch: a.fetch, match: a.match, ...range(a.versions) })),
    predefinedAcls: [...predefined.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, vs]): PredefinedAcl => ({ name, ...range(vs) })),
  };
  fs.writeFileSync(outFile, JSON.stringify(data, null, 1) + '\n');
  console.log(
    `wrote ${path.relative(process.cwd(), outFile)}: ` + FETCH_VERSIONS.map((v) => `${v}: ${counts[v].fetches} fetches, ${counts[v].converters} converters, ${counts[v].acls} ACL keywords`).join('; '),
  );
}

if (require.main === module) main();
