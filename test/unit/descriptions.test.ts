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
    const required = REQUIRED_MANUALS[language].map(manual);
    const absent = required.filter((f) => !fs.existsSync(f));
    assert.deepEqual(absent, [], `the ${language} manual is needed for this comparison; run test/setup.sh (it installs ${language} or extracts its manuals into .tmp/manuals/root/)`);
    const manualRuns = new Set<string>();
    for (const f of [...required, ...optionalManuals(language)]) {
      for (const r of runs(words(manualText(f)))) manualRuns.add(r);
    }
    assert.ok(manualRuns.size > 1000, `read too little of the ${language} manual (${manualRuns.size} runs)`);
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
