// Generates server/data/descriptions/haproxy-sample-facts.json: for every sample fetch and converter of
// server/data/haproxy-fetches.json, the facts a hover shows beside our own description:
//   - anchors: per HAProxy manual at hand, the chapter (7.3.x) documenting each name, for the exact
//     docs.haproxy.org anchor of the target version (`#7.3.6-req.hdr`);
//   - args: the argument names of the newest manual's signature (`req.hdr(<name>,<occ>)` → name, occ),
//     which the fetch data (kinds only) lacks;
//   - use: where a fetch can be used, from what the real binaries register (`haproxy -dKsmp` context
//     columns, newest binary first): conn (tcp-request connection), sess (tcp-request session), req (request
//     rules), res (response rules), log (log-format), check (tcp-check), cfg (configuration parser).
//
//   node --import tsx scripts/gen-haproxy-sample-facts.ts [--manuals DIR]
//
// Inputs: DIR (default .tmp/manuals, filled by scripts/fetch-haproxy-manuals.sh): configuration-<v>.txt and
// haproxy-<v>.smp. Versions already in the file are kept when their manual is absent. The development
// branch (`dev`, DEV_VERSION) is recorded too: docs.haproxy.org publishes it under /dev/, which a hover
// links only for names no release documents yet. Only names, chapter numbers and argument names are kept;
// no manual text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FetchData } from '../server/src/haproxy/fetchData';
import { DEV_VERSION, splitChapters } from './gen-haproxy-schema';

export interface SampleFacts {
  about: string;
  /** Manual versions read (anchors of the others are not known). */
  manuals: string[];
  /** The development branch among them, published under docs.haproxy.org/dev/. */
  dev: string;
  /**
   * `fetch/<name>` / `converter/<name>` → where the manuals document it: space-separated runs
   * `<first>-<last>:<chapter>` over consecutive manual versions (`1.8-3.4:7.3.6`).
   */
  anchors: Record<string, string>;
  /** `fetch/<name>` → argument names, in order. */
  args: Record<string, string[]>;
  /** fetch name → contexts (conn, sess, req, res, log, check, cfg). */
  use: Record<string, string[]>;
  /** `fetch/<name>` → the first manual version marking it deprecated (1.8 is the oldest read). */
  deprecated: Record<string, string>;
}

/** The dump's context column titles → our context words (several columns fold into one). */
function contextOf(title: string): string | undefined {
  if (/tcp-request connection/.test(title)) return 'conn';
  if (/tcp-request session/.test(title)) return 'sess';
  if (/response|stick-store/.test(title)) return 'res';
  if (/request|use-backend|use-server|source selection/.test(title)) return 'req';
  if (/^logs$/.test(title)) return 'log';
  if (/tcp-check/.test(title)) return 'check';
  if (/configuration parser/.test(title)) return 'cfg';
  return undefined;
}

const CONTEXT_ORDER = ['conn', 'sess', 'req', 'res', 'log', 'check', 'cfg'];

/** `[ Y . … ] name(args): type` lines of a `haproxy -dKsmp` dump → name → contexts. */
function readUse(text: string): Map<string, string[]> {
  const titles: string[] = [];
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const t = /_\.-+ (.+?)\s*$/.exec(line);
    if (line.startsWith('#') && t) {
      titles.push(t[1]);
      continue;
    }
    const m = /^\[([ Y.]+)\]\s*([^\s(:]+)/.exec(line);
    if (!m) continue;
    const flags = m[1].trim().split(/\s+/);
    const set = new Set<string>();
    flags.forEach((f, i) => {
      const c = f === 'Y' ? contextOf(titles[i] ?? '') : undefined;
      if (c) set.add(c);
    });
    out.set(
      m[2],
      CONTEXT_ORDER.filter((c) => set.has(c)),
    );
  }
  return out;
}

function main(): void {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--manuals');
  const root = path.resolve(__dirname, '..');
  const dir = path.resolve(i >= 0 ? argv[i + 1] : path.join(root, '.tmp', 'manuals'));
  const data = require('../server/data/haproxy-fetches.json') as FetchData;
  const fetches = new Set(data.fetches.map((f) => f.name));
  const converters = new Set(data.converters.map((f) => f.name));
  const out = path.join(root, 'server', 'data', 'descriptions', 'haproxy-sample-facts.json');
  const prev: SampleFacts | undefined = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as SampleFacts) : undefined;
  // version → key → chapter, starting from the versions of the previous file.
  const chapters = new Map<string, Map<string, string>>();
  for (const v of prev?.manuals ?? []) chapters.set(v, new Map());
  for (const [key, runs] of Object.entries(prev?.anchors ?? {})) {
    for (const run of runs.split(' ')) {
      const [span, chapter] = run.split(':');
      const [first, last] = span.split('-');
      for (const v of prev!.manuals) if (v.localeCompare(first, 'en', { numeric: true }) >= 0 && v.localeCompare(last, 'en', { numeric: true }) <= 0) chapters.get(v)!.set(key, chapter);
    }
  }
  const args: Record<string, string[]> = { ...(prev?.args ?? {}) };
  const use: Record<string, string[]> = { ...(prev?.use ?? {}) };
  // Oldest first: the first manual version that marks the name deprecated.
  const deprecated: Record<string, string> = { ...(prev?.deprecated ?? {}) };

  const manuals = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .map((f) => /^configuration-(\d+\.\d+)\.txt$/.exec(f)?.[1])
        .filter((v): v is string => !!v)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    : [];
  if (!manuals.length) throw new Error(`no manual in ${dir}: run scripts/fetch-haproxy-manuals.sh first`);
  // Oldest first, so the newest manual's argument names win.
  for (const v of manuals) {
    const byKey = new Map<string, string>();
    for (const ch of splitChapters(fs.readFileSync(path.join(dir, `configuration-${v}.txt`), 'utf8'))) {
      if (!/^7\.3\.\d+$/.test(ch.num)) continue;
      const conv = ch.num === '7.3.1';
      for (const line of ch.lines) {
        // A signature at column 0: `name`, `name(args)`, then ` : type`, a table column or nothing.
        const m = /^([a-z0-9][a-z0-9_.+-]*)(?:\(([^)]*)\))?(?:\s*:\s*\S.*|\s{2,}\S.*)?$/.exec(line);
        if (!m) continue;
        const name = m[1];
        if (!(conv ? converters : fetches).has(name)) continue;
        const key = `${conv ? 'converter' : 'fetch'}/${name}`;
        if (!byKey.has(key)) byKey.set(key, ch.num);
        // The manual marks old spellings at their heading: `hdr_cnt([<header>]) : integer (deprecated)`.
        if (/\(deprecated\)\s*$/.test(line) && !deprecated[key]) deprecated[key] = v;
        if (m[2] !== undefined) {
          // One argument per comma; `[<backend>/]<server>` is one argument named backend/server.
          const named = m[2]
            .split(',')
            .map((piece) => [...piece.matchAll(/<([A-Za-z0-9_./-]+)/g)].map((x) => x[1]).join('/'))
            .filter(Boolean);
          const bare = m[2]
            .split(/[[\],]+/)
            .map((x) => x.replace(/[*.]+$/, '').trim())
            .filter((x) => /^[a-z_][a-z0-9_]*$/i.test(x));
          const names = named.length ? named : bare;
          // Headers with <placeholders> beat the summary table's bare words.
          if (names.length && (named.length || !args[key])) args[key] = names;
        }
      }
    }
    chapters.set(v, byKey);
  }
  const versions = [...chapters.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const anchors: Record<string, string> = {};
  const keys = new Set([...chapters.values()].flatMap((m) => [...m.keys()]));
  for (const key of keys) {
    const runs: Array<{ first: string; last: string; chapter: string }> = [];
    let open: { first: string; last: string; chapter: string } | undefined;
    for (const v of versions) {
      const chapter = chapters.get(v)!.get(key);
      if (chapter && open && open.chapter === chapter) open.last = v;
      else if (chapter) runs.push((open = { first: v, last: v, chapter }));
      else open = undefined;
    }
    anchors[key] = runs.map((r) => `${r.first}-${r.last}:${r.chapter}`).join(' ');
  }
  // Newest binary last, so it wins.
  const dumps = fs
    .readdirSync(dir)
    .map((f) => /^haproxy-(\d+\.\d+)\.smp$/.exec(f)?.[1])
    .filter((v): v is string => !!v)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const v of dumps) for (const [name, ctx] of readUse(fs.readFileSync(path.join(dir, `haproxy-${v}.smp`), 'utf8'))) if (fetches.has(name)) use[name] = ctx;

  const sortObj = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
  const facts: SampleFacts = {
    about:
      'Generated by scripts/gen-haproxy-sample-facts.ts: per HAProxy manual the chapter of each sample fetch and converter (docs.haproxy.org anchors), argument names of the newest signature, and where the real binaries let each fetch be used. Facts only, no manual text.',
    manuals: versions,
    dev: DEV_VERSION,
    anchors: sortObj(anchors),
    args: sortObj(args),
    use: sortObj(use),
    deprecated: sortObj(deprecated),
  };
  // One line per name: the file is read on the first hover over a fetch, and diffs stay per name.
  const block = (o: Record<string, unknown>) =>
    `{\n${Object.entries(o)
      .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(',\n')}\n }`;
  fs.writeFileSync(
    out,
    `{\n "about": ${JSON.stringify(facts.about)},\n "manuals": ${JSON.stringify(facts.manuals)},\n "dev": ${JSON.stringify(facts.dev)},\n "anchors": ${block(facts.anchors)},\n "args": ${block(facts.args)},\n "use": ${block(facts.use)},\n "deprecated": ${block(facts.deprecated)}\n}\n`,
  );
  console.log(`wrote ${path.relative(process.cwd(), out)}: anchors of ${versions.join(', ')}; ${Object.keys(args).length} signatures; ${Object.keys(use).length} fetch contexts`);
}

if (require.main === module) main();
