// Keyword descriptions (server/data/descriptions/*.json): every keyword and section the schemas know has one,
// none is left over from a keyword the schemas no longer know, and none is manual text.
//
// The manuals are GPL; descriptions must be our own words. The check: after lower-casing and dropping
// punctuation, no description (summary, argument texts, default) shares a run of 8 consecutive words with
// the installed manual of its tool. The manuals come with the Debian packages test/setup.sh installs
// (haproxy: /usr/share/doc/haproxy/configuration.txt.gz; keepalived.conf(5); corosync.conf(5) and
// votequorum(5)); where an image leaves docs and man pages out of packages, test/setup.sh extracts them from
// the same packages into .tmp/manuals/root/. Newer HAProxy manuals from /work/roots are compared too when
// present. A missing required manual fails the test loudly rather than skipping the comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { KeywordSchema, KeywordSpec } from '../../server/src/core/schema';
import { describe, descriptionFile, descriptionGroup, descriptionGroups, type Description, type DescribedLanguage } from '../../server/src/services/descriptions';
import { describeAclKeyword, describePredefinedAcl, describeSample, sampleArgs, sampleDescriptionFile } from '../../server/src/services/sampleDescriptions';
import { fetchData, rangeStatus } from '../../server/src/haproxy/fetchData';
import { buildSampleDescriptions } from '../../scripts/gen-haproxy-sample-descriptions';

const RUN = 8;

const schemas: Record<DescribedLanguage, KeywordSchema> = {
  haproxy: require('../../server/data/haproxy.json') as KeywordSchema,
  keepalived: require('../../server/data/keepalived.json') as KeywordSchema,
  corosync: require('../../server/data/corosync.json') as KeywordSchema,
};

const ROOT = path.join(__dirname, '..', '..');

/** The installed manual, or the copy test/setup.sh extracted when the image leaves docs out. */
function manual(file: string): string {
  const extracted = path.join(ROOT, '.tmp', 'manuals', 'root', file);
  return fs.existsSync(file) || !fs.existsSync(extracted) ? file : extracted;
}

const REQUIRED_MANUALS: Record<DescribedLanguage, string[]> = {
  haproxy: ['/usr/share/doc/haproxy/configuration.txt.gz'],
  keepalived: ['/usr/share/man/man5/keepalived.conf.5.gz'],
  corosync: ['/usr/share/man/man5/corosync.conf.5.gz', '/usr/share/man/man5/votequorum.5.gz'],
};

function optionalManuals(language: DescribedLanguage): string[] {
  const rel =
    language === 'haproxy'
      ? ['usr/share/doc/haproxy/configuration.txt.gz']
      : language === 'keepalived'
        ? ['usr/share/man/man5/keepalived.conf.5.gz']
        : ['usr/share/man/man5/corosync.conf.5.gz', 'usr/share/man/man5/votequorum.5.gz'];
  const fromRoots = fs.existsSync('/work/roots')
    ? fs
        .readdirSync('/work/roots')
        .flatMap((r) => rel.map((p) => `/work/roots/${r}/${p}`))
        .filter((f) => fs.existsSync(f))
    : [];
  return language === 'haproxy' ? [...fromRoots, ...fetchedHaproxyManuals()] : fromRoots;
}

/** Upstream manuals of every branch that scripts/fetch-haproxy-manuals.sh put in .tmp/manuals (or
 * HACONF_MANUALS): keywords new in 3.3+ are only documented there, so their descriptions are compared too. */
function fetchedHaproxyManuals(): string[] {
  const dir = process.env.HACONF_MANUALS ?? path.join(ROOT, '.tmp', 'manuals');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^configuration-\d+\.\d+\.txt$/.test(f))
    .map((f) => path.join(dir, f));
}

/** A manual's text, gzipped (Debian) or plain (fetched upstream). */
function manualText(file: string): string {
  const raw = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8');
}

function entries(language: DescribedLanguage): Array<{ spec: KeywordSpec; section: boolean }> {
  const s = schemas[language];
  return [...s.sections.map((spec) => ({ spec, section: true })), ...s.keywords.map((spec) => ({ spec, section: false }))];
}

/** Words as compared: lower case, troff escapes and punctuation dropped. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\\f[bipr]|\\-|\\\(..|\\&/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

function runs(ws: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + RUN <= ws.length; i++) out.push(ws.slice(i, i + RUN).join(' '));
  return out;
}

function texts(d: Description): string[] {
  return [d.summary, ...Object.values(d.args ?? {}), ...(d.default ? [d.default] : [])];
}

const runCache = new Map<DescribedLanguage, Set<string>>();

/** Every run of RUN words of the language's manuals (required ones fail loudly when absent). */
function manualRunsOf(language: DescribedLanguage): Set<string> {
  const cached = runCache.get(language);
  if (cached) return cached;
  const required = REQUIRED_MANUALS[language].map(manual);
  const absent = required.filter((f) => !fs.existsSync(f));
  assert.deepEqual(absent, [], `the ${language} manual is needed for this comparison; run test/setup.sh (it installs ${language} or extracts its manuals into .tmp/manuals/root/)`);
  const manualRuns = new Set<string>();
  for (const f of [...required, ...optionalManuals(language)]) {
    for (const r of runs(words(manualText(f)))) manualRuns.add(r);
  }
  assert.ok(manualRuns.size > 1000, `read too little of the ${language} manual (${manualRuns.size} runs)`);
  runCache.set(language, manualRuns);
  return manualRuns;
}

for (const language of ['haproxy', 'keepalived', 'corosync'] as const) {
  test(`${language}: every keyword and section of the schema has a description`, () => {
    const missing = entries(language).filter(({ spec, section }) => !describe(language, spec, section)?.summary);
    const total = entries(language).length;
    const list = missing.map(({ spec, section }) => `${descriptionGroup(language, spec, section)}/${spec.name}`);
    assert.deepEqual(list, [], `${missing.length} of ${total} ${language} keywords have no description in server/data/descriptions/${language}.json:\n${list.join('\n')}`);
  });

  test(`${language}: no description is filed under a keyword the schema does not know`, () => {
    const known = new Set(entries(language).flatMap(({ spec, section }) => descriptionGroups(language, spec, section).map((g) => `${g}/${spec.name}`)));
    const stale: string[] = [];
    for (const [group, names] of Object.entries(descriptionFile(language).groups)) {
      for (const name of Object.keys(names)) if (!known.has(`${group}/${name}`)) stale.push(`${group}/${name}`);
    }
    assert.deepEqual(stale, [], `descriptions for unknown keywords (renamed group or typo?) in server/data/descriptions/${language}.json`);
  });

  test(`${language}: descriptions are short sentences with argument names the keyword takes`, () => {
    const bad: string[] = [];
    for (const { spec, section } of entries(language)) {
      const d = describe(language, spec, section);
      if (!d) continue;
      const key = `${descriptionGroup(language, spec, section)}/${spec.name}`;
      if (!/^[A-Z`0-9"(]/.test(d.summary) || !/[.)]$/.test(d.summary)) bad.push(`${key}: summary is not a sentence: ${d.summary}`);
      if (d.summary.length > 400) bad.push(`${key}: summary longer than 400 characters`);
      if (d.args && spec.args && spec.args.length === 0) bad.push(`${key}: describes arguments of a keyword that takes none`);
    }
    assert.deepEqual(bad, []);
  });

  test(`${language}: no description shares ${RUN} consecutive words with the manual`, () => {
    const manualRuns = manualRunsOf(language);
    const copied: string[] = [];
    for (const { spec, section } of entries(language)) {
      const d = describe(language, spec, section);
      if (!d) continue;
      for (const t of texts(d)) {
        const hit = runs(words(t)).find((r) => manualRuns.has(r));
        if (hit) copied.push(`${descriptionGroup(language, spec, section)}/${spec.name}: "${hit}"`);
      }
    }
    assert.deepEqual(copied, [], 'descriptions must be written in our own words, not taken from the GPL manual');
  });
}

test('the comparison catches a copied manual line', () => {
  const text = words(zlib.gunzipSync(fs.readFileSync(manual(REQUIRED_MANUALS.haproxy[0]))).toString('utf8'));
  const line = text.slice(5000, 5000 + RUN + 2).join(' ');
  const set = new Set(runs(text));
  assert.ok(runs(words(line)).some((r) => set.has(r)));
});

test('keepalived: every argument shown on hover has a real name (the schema only knows arg1, arg2…)', () => {
  const generic: string[] = [];
  for (const spec of schemas.keepalived.keywords) {
    if (!spec.args?.some((a) => /^arg\d+$/.test(a.name))) continue;
    for (const scope of spec.sections) {
      const named = Object.keys(describe('keepalived', spec, false, scope)?.args ?? {}).length;
      const generics = spec.args.filter((a) => /^arg\d+$/.test(a.name)).length;
      if (named < generics) generic.push(`${scope}/${spec.name}`);
    }
  }
  assert.deepEqual(generic, []);
});

// ---------- sample fetches, converters, ACL keywords (server/data/descriptions/haproxy-samples.json) ----------

test('haproxy samples: the descriptions file is what scripts/gen-haproxy-sample-descriptions.ts writes', () => {
  assert.deepEqual(sampleDescriptionFile(), JSON.parse(JSON.stringify(buildSampleDescriptions())), 'run: node --import tsx scripts/gen-haproxy-sample-descriptions.ts');
});

test('haproxy samples: every fetch and converter of every version has a description', () => {
  const data = fetchData();
  const missing: string[] = [];
  const counts: string[] = [];
  for (const version of data.versions) {
    let fetches = 0;
    let converters = 0;
    for (const f of data.fetches) {
      if (rangeStatus(f, version) !== 'ok') continue;
      if (describeSample('fetch', f.name)?.summary) fetches++;
      else missing.push(`${version} fetch ${f.name}`);
    }
    for (const c of data.converters) {
      if (rangeStatus(c, version) !== 'ok') continue;
      if (describeSample('converter', c.name)?.summary) converters++;
      else missing.push(`${version} converter ${c.name}`);
    }
    assert.ok(fetches >= 400 && converters >= 130, `${version}: ${fetches} fetches, ${converters} converters described`);
    counts.push(`${version} ${fetches}+${converters}`);
  }
  assert.deepEqual(missing, []);
  // Every name of any version, not only the ones a covered version still has.
  assert.equal(Object.keys(sampleDescriptionFile().groups.fetch).length, data.fetches.length);
  assert.equal(Object.keys(sampleDescriptionFile().groups.converter).length, data.converters.length);
});

test('haproxy samples: every predefined ACL has a description', () => {
  const missing = fetchData()
    .predefinedAcls.map((p) => p.name)
    .filter((n) => !describePredefinedAcl(n));
  assert.deepEqual(missing, []);
});

test('haproxy samples: every ACL keyword resolves to a description naming its fetch and match method', () => {
  const METHOD_WORD: Record<string, RegExp> = {
    str: /exact/i,
    beg: /prefix/i,
    end: /suffix/i,
    sub: /substring/i,
    dir: /directory/i,
    dom: /domain/i,
    reg: /regular expression/i,
    len: /length/i,
    int: /integer/i,
    bin: /binary/i,
  };
  const bad: string[] = [];
  for (const acl of fetchData().acls) {
    const d = describeAclKeyword(acl.name);
    if (!d) bad.push(`${acl.name}: no description`);
    else if (!d.fetchDescription) bad.push(`${acl.name}: its fetch ${acl.fetch} has no description`);
    else if (!METHOD_WORD[acl.match]?.test(d.matchText)) bad.push(`${acl.name}: the text does not name the ${acl.match} match: ${d.matchText}`);
  }
  assert.deepEqual(bad, []);
  assert.match(describeAclKeyword('path_beg')!.matchText, /^Prefix match/);
  assert.match(describeAclKeyword('hdr_sub')!.matchText, /^Substring match/);
});

const sampleFacts = require('../../server/data/descriptions/haproxy-sample-facts.json') as { args: Record<string, string[]> };

test('haproxy samples: descriptions are sentences and argument texts name real arguments', () => {
  const bad: string[] = [];
  const data = fetchData();
  for (const [kind, list] of [
    ['fetch', data.fetches],
    ['converter', data.converters],
  ] as const) {
    for (const k of list) {
      const d = describeSample(kind, k.name)!;
      if (!/^[A-Z`0-9"(]/.test(d.summary) || !/[.)]$/.test(d.summary)) bad.push(`${kind} ${k.name}: summary is not a sentence: ${d.summary}`);
      if (d.summary.length > 400) bad.push(`${kind} ${k.name}: summary longer than 400 characters`);
      // Argument texts are keyed by the names of the newest manual signature (a newer version may take
      // more than the data's binaries did), else there must be no more of them than arguments.
      const signature = sampleFacts.args[`${kind}/${k.name}`];
      // A described extra past the signature's names is fine while the keyword takes that many arguments
      // (`url_param`'s third, the case flag the manual writes as a bare `i`).
      Object.keys(d.args ?? {}).forEach((name, i) => {
        const known = signature ? signature.includes(name) || (i >= signature.length && i < k.args.length) : i < Math.max(k.args.length, 1);
        if (!known) bad.push(`${kind} ${k.name}: describes argument '${name}', the signature has ${signature?.join(', ') ?? `${k.args.length} arguments`}`);
      });
    }
  }
  assert.deepEqual(bad, []);
});

test(`haproxy samples: no description shares ${RUN} consecutive words with the manuals`, () => {
  const manualRuns = manualRunsOf('haproxy');
  const copied: string[] = [];
  for (const [group, entries] of Object.entries(sampleDescriptionFile().groups)) {
    for (const [name, raw] of Object.entries(entries)) {
      const d: Description = typeof raw === 'string' ? { summary: raw } : raw;
      for (const t of texts(d)) {
        const hit = runs(words(t)).find((r) => manualRuns.has(r));
        if (hit) copied.push(`${group}/${name}: "${hit}"`);
      }
    }
  }
  assert.deepEqual(copied, [], 'descriptions must be written in our own words, not taken from the GPL manual');
});

test('haproxy samples: every argument a fetch or converter takes is explained on hover', () => {
  const data = fetchData();
  const bare: string[] = [];
  for (const [kind, list] of [
    ['fetch', data.fetches],
    ['converter', data.converters],
  ] as const) {
    for (const k of list) {
      if (!k.args.length) continue;
      const unexplained = sampleArgs(kind, k).filter((a) => !a.text);
      if (unexplained.length) bare.push(`${kind} ${k.name}: ${unexplained.map((a) => a.name).join(', ')}`);
    }
  }
  assert.deepEqual(bare, []);
});
