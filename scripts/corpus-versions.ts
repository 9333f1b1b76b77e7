// Every corpus configuration through every real tool version and through haconf set to that version:
// upstream's own examples and test configs (.tmp/upstream, scripts/fetch-upstream-corpus.sh) and the
// public corpus (../shared/corpus). The binary's verdict comes from running it on the same file in the
// same place (haproxy in the file's folder, so relative errorfiles/lua/maps resolve as they would).
// Writes docs/corpus-versions.md and exits 1 on a false error (an error-severity haconf finding on a
// file the binary of that version accepts) unless scripts/corpus-known-false-errors.json lists it
// exactly (tool version, file, line, code), and also when a listed one no longer occurs (so the list
// stays precise).
//
//   npm run corpus:versions          # needs test/setup.sh (roots + upstream corpus)
//   HACONF_ROOTS=/path HACONF_UPSTREAM=/path HACONF_CORPUS=/path npm run corpus:versions
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCheckOptions, type Diagnostic, type Language } from '../server/src/core/types';
import { NodeSourceHost } from '../server/src/core/sourceHost';
import { checkFile } from '../server/src/engine/check';
import * as os from 'node:os';
import { walk } from '../test/differential/run';
import { accepts, cleanupVersions, label, requireVersions, runToolAsync, toolVersions, type RunResult, type Tool, type ToolVersion } from '../test/versions';

const ROOT = path.resolve(__dirname, '..');
const upstreamDir = path.resolve(process.env.HACONF_UPSTREAM ?? path.join(ROOT, '.tmp', 'upstream'));
const corpusDir = path.resolve(process.env.HACONF_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus'));
const knownPath = path.join(__dirname, 'corpus-known-false-errors.json');
/** HACONF_CORPUS_TOOLS=haproxy (comma-separated) limits a run to some tools, for development. */
const TOOLS: Tool[] = (['haproxy', 'keepalived', 'corosync'] as Tool[]).filter((t) => !process.env.HACONF_CORPUS_TOOLS || process.env.HACONF_CORPUS_TOOLS.split(',').includes(t));

/**
 * keepalived -t exits non-zero (5, or 6 for script security) on these faults although it would run with
 * them, and prints them as warnings; we report them as warnings too (same list as the differential test).
 */
const KEEPALIVED_NONZERO_WARNINGS = new Set(['keepalived/auth-pass-truncated', 'keepalived/nopreempt-master', 'keepalived/script-security']);

interface CorpusFile {
  tool: Tool;
  /** Shown in the report: upstream/<tool>/<version>/<path> or corpus/<tool>/<name>. */
  name: string;
  file: string;
  /** For upstream files: the version whose tarball holds it. */
  from?: string;
  /** Other upstream files with the same content in the same relative place (judged once). */
  same: string[];
}

export interface KnownFalseError {
  tool: Tool;
  version: string;
  file: string;
  line: number;
  code: string;
  reason: string;
  plan: string;
}

const isConfig: Record<Tool, (f: string) => boolean> = {
  haproxy: (f) => f.endsWith('.cfg'),
  keepalived: (f) => /keepalived\.conf\.[^/]*$/.test(f) && !f.endsWith('.sh'),
  corosync: (f) => /corosync\.conf\.example[^/]*$/.test(f),
};

function collect(): CorpusFile[] {
  if (!fs.existsSync(path.join(upstreamDir, 'ORIGIN.tsv'))) {
    throw new Error(`${upstreamDir}/ORIGIN.tsv not found: run test/setup.sh (scripts/fetch-upstream-corpus.sh) or set HACONF_UPSTREAM`);
  }
  if (!fs.existsSync(path.join(corpusDir, 'MANIFEST.tsv'))) throw new Error(`${corpusDir}/MANIFEST.tsv not found: ../shared/corpus must sit beside the checkout (or set HACONF_CORPUS)`);
  const files: CorpusFile[] = [];
  const byContent = new Map<string, CorpusFile>();
  for (const tool of TOOLS) {
    const base = path.join(upstreamDir, tool);
    if (!fs.existsSync(base)) throw new Error(`${base} missing: run scripts/fetch-upstream-corpus.sh`);
    for (const version of fs.readdirSync(base).sort()) {
      for (const f of walk(path.join(base, version)).filter(isConfig[tool])) {
        const rel = path.relative(path.join(base, version), f);
        const name = `upstream/${tool}/${version}/${rel}`;
        // The same file unchanged across versions is judged once (the files it names sit beside it alike).
        const key = `${tool}\0${rel}\0${fs.readFileSync(f, 'utf8')}`;
        const first = byContent.get(key);
        if (first) first.same.push(name);
        else {
          const entry: CorpusFile = { tool, name, file: f, from: version, same: [] };
          byContent.set(key, entry);
          files.push(entry);
        }
      }
    }
    const shared = path.join(corpusDir, tool);
    for (const f of walk(shared)) files.push({ tool, name: `corpus/${tool}/${path.basename(f)}`, file: f, same: [] });
  }
  return files;
}

interface Finding {
  line: number;
  code: string;
  message: string;
}

function ours(f: CorpusFile, v: ToolVersion): { errors: Finding[]; rejects: boolean } {
  const options = defaultCheckOptions(f.tool === 'haproxy' ? { haproxyVersion: v.target } : f.tool === 'keepalived' ? { keepalivedVersion: v.target } : {});
  const r = checkFile(f.file, options, new NodeSourceHost(), f.tool as Language);
  const ds: Diagnostic[] = 'error' in r ? [] : r.diagnostics;
  const toFinding = (d: Diagnostic): Finding => ({ line: d.range.start.line + 1, code: d.code, message: d.message });
  const errors = ds.filter((d) => d.severity === 'error').map(toFinding);
  const nonzero = f.tool === 'keepalived' ? ds.filter((d) => KEEPALIVED_NONZERO_WARNINGS.has(d.code)) : [];
  return { errors, rejects: errors.length + nonzero.length > 0 };
}

/** The tool's first meaningful line, for the report. */
function firstLine(output: string, file: string): string {
  const lines = output
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);
  const l = lines.find((x) => /ALERT|error|Error|not valid|Unknown|unknown|invalid|missing|Missing|must|VIOLATION|Truncat|Parse|parse|WARNING|Disabling/.test(x)) ?? lines[0] ?? '';
  return l
    .split(file)
    .join(path.basename(file))
    .replace(/^\w{3} \d\d \d\d:\d\d:\d\d /, '')
    .slice(0, 160);
}

interface Stat {
  files: number;
  ok: number;
  rejected: number;
  falseErrors: number;
  knownFalse: number;
  detected: number;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** Runs the binary on every file, a few at a time (one per core): the runs are independent. */
async function judgeAll(v: ToolVersion, list: CorpusFile[]): Promise<RunResult[]> {
  const out: RunResult[] = new Array(list.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const i = next++;
      const t1 = Date.now();
      out[i] = await runToolAsync(v, list[i].file);
      if (Date.now() - t1 > 5000) console.error(`corpus:versions: ${label(v)} took ${Date.now() - t1} ms on ${list[i].name}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, os.availableParallelism()) }, worker));
  return out;
}

async function main(): Promise<number> {
  requireVersions(TOOLS);
  const known: KnownFalseError[] = (JSON.parse(fs.readFileSync(knownPath, 'utf8')) as KnownFalseError[]).filter((k) => TOOLS.includes(k.tool));
  const seenKnown = new Set<KnownFalseError>();
  const files = collect();
  const stats = new Map<string, Stat>();
  const newFalse: string[] = [];
  const rows: string[] = [];
  const t0 = Date.now();
  for (const tool of TOOLS) {
    for (const v of toolVersions(tool)) {
      const list = files.filter((x) => x.tool === tool);
      const verdicts = await judgeAll(v, list);
      for (let i = 0; i < list.length; i++) {
        const f = list[i];
        const key = `${label(v)} | ${f.from ? 'upstream' : '../shared/corpus'}`;
        const s: Stat = stats.get(key) ?? { files: 0, ok: 0, rejected: 0, falseErrors: 0, knownFalse: 0, detected: 0 };
        stats.set(key, s);
        const tool_ = verdicts[i];
        const we = ours(f, v);
        s.files++;
        let note = '';
        if (accepts(v, tool_)) {
          s.ok++;
          const unexplained = we.errors.filter((e) => {
            const k = known.find((x) => x.tool === tool && x.version === v.version && x.file === f.name && x.line === e.line && x.code === e.code);
            if (k) seenKnown.add(k);
            return !k;
          });
          if (we.errors.length > unexplained.length) s.knownFalse++;
          if (unexplained.length) {
            s.falseErrors++;
            note = '**false error**';
            newFalse.push(`${label(v)} ${f.name}: ${unexplained.map((e) => `${e.line}: ${e.code} ${e.message}`).join('; ')}`);
          } else if (we.errors.length) note = 'known false error';
        } else {
          s.rejected++;
          if (we.rejects) s.detected++;
          else note = 'missed';
        }
        if (note || !accepts(v, tool_)) {
          const weSay = we.errors.length ? we.errors.map((e) => `${e.line}: ${e.code}`).join(', ') : we.rejects ? 'warning the tool counts as failure' : 'no error';
          rows.push(`| ${v.version} | \`${cell(f.name)}\` | rc ${tool_.status}: ${cell(firstLine(tool_.output, f.file)) || '—'} | ${cell(weSay).slice(0, 160)} | ${note} |`);
        }
      }
    }
  }
  const stale = known.filter((k) => !seenKnown.has(k)).map((k) => `${k.tool} ${k.version} ${k.file}:${k.line} ${k.code}`);
  const upstreamCount = (tool: Tool): string =>
    [...new Set(files.filter((f) => f.tool === tool && f.from).map((f) => f.from))].map((ver) => `${ver}: ${files.filter((f) => f.tool === tool && f.from === ver).length} new`).join(', ');
  const summary = [
    '| tool version | files from | files | binary ok | binary rejects | our false errors (new) | known false errors | rejects we detect |',
    '|---|---|---|---|---|---|---|---|',
    ...[...stats].map(
      ([name, s]) =>
        `| ${name} | ${s.files} | ${s.ok} | ${s.rejected} | ${s.falseErrors} | ${s.knownFalse} | ${s.detected}/${s.rejected}${s.rejected ? ` (${Math.round((100 * s.detected) / s.rejected)}%)` : ''} |`,
    ),
  ];
  const knownRows = known.map((k) => `- ${k.tool} ${k.version} \`${k.file}\` line ${k.line} \`${k.code}\`: ${k.reason} Plan: ${k.plan}`);
  const md = `# Corpus per tool version

Generated by \`npm run corpus:versions\` (scripts/corpus-versions.ts). Every file below is run through the
real binary of each version (test/versions.ts: host Debian 12, Debian 13 and testing roots) and through
haconf set to that version (\`--haproxy-version\` = the binary's major.minor). Files:

- upstream's own examples and test configs from Debian's source packages (scripts/fetch-upstream-corpus.sh,
  origin per file in .tmp/upstream/ORIGIN.tsv; not copied here): haproxy ${upstreamCount('haproxy')};
  keepalived ${upstreamCount('keepalived')}; corosync ${upstreamCount('corosync')};
- the public corpus in ../shared/corpus (docs/corpus.md).

Every file goes through every version's binary, not only the version it came with. An upstream file that
is unchanged in a later version is judged once, under the first version holding it ("new" counts).

**Gate:** no haconf error on a file the binary of that version accepts, except the exact entries in
scripts/corpus-known-false-errors.json (listed below); a listed entry that no longer occurs fails too.
"Detect" counts rejected files where haconf reports at least one error (for keepalived also the warnings
keepalived -t itself exits non-zero on). Rejects include environment faults no static check can see
(certificates, lua files, DNS names the file needs). Run time: ${Math.round((Date.now() - t0) / 1000)} s.

## Summary

${summary.join('\n')}

## Known false errors

${knownRows.length ? knownRows.join('\n') : 'None: haconf reports no error on any file a binary accepts.'}

## Rejected, missed or false-error files

| version | file | binary | haconf errors | note |
|---|---|---|---|---|
${rows.join('\n')}
`;
  // A partial run (HACONF_CORPUS_TOOLS) does not overwrite the report of all tools.
  if (TOOLS.length === 3) fs.writeFileSync(path.join(ROOT, 'docs', 'corpus-versions.md'), md);
  for (const [name, s] of stats)
    console.log(`corpus ${name}: ${s.files} files, ok ${s.ok}, rejected ${s.rejected}, false errors ${s.falseErrors} (+${s.knownFalse} known), detected ${s.detected}/${s.rejected}`);
  let rc = 0;
  if (newFalse.length) {
    console.error(`corpus:versions: ${newFalse.length} false error(s) on files the binary accepts:\n  ${newFalse.join('\n  ')}`);
    rc = 1;
  }
  if (stale.length) {
    console.error(`corpus:versions: listed in ${path.relative(ROOT, knownPath)} but no longer reported (remove them):\n  ${stale.join('\n  ')}`);
    rc = 1;
  }
  if (!rc) console.log(`corpus:versions: no false errors${TOOLS.length === 3 ? '; wrote docs/corpus-versions.md' : ' (partial run: docs/corpus-versions.md left as it was)'}`);
  return rc;
}

main()
  .then((rc) => (process.exitCode = rc))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  })
  .finally(() => cleanupVersions());
