// Snippet prefixes must not be picked by Enter after a word typed in full. With the extension's
// `acceptSuggestionOnEnter: "smart"`, Enter accepts the selected suggestion when it changes the text; the
// server never offers the word just typed, so a snippet whose prefix the editor's filter matches with that
// word would be the selected item and Enter would insert it (typing `defaults⏎` inserted the whole
// defaults skeleton when its prefix was `defaults`). VS Code's filter matches when the typed word is a
// subsequence of the prefix starting at a word start (the prefix's start or after a separator). The words
// checked are those typed alone at the end of a line: section and block names, keywords that take no
// argument and the last word of HAProxy multi-word keywords (`option redispatch`). Values typed after a
// keyword on the same line (`state BACKUP⏎`) are left out: test/e2e/suite/06-typing.e2e.ts types them in
// real VS Code next to the `ka-backup` snippet without the snippet being taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeywordSchema } from '../../server/src/core/schema';

const ROOT = path.join(__dirname, '..', '..');

/** Whether the editor's filter matches `word` in `prefix` (case-insensitive, first letter at a word start). */
function filterMatches(word: string, prefix: string): boolean {
  const w = word.toLowerCase();
  const p = prefix.toLowerCase();
  for (let start = 0; start < p.length; start++) {
    if (p[start] !== w[0] || (start > 0 && /[a-z0-9]/.test(p[start - 1]))) continue;
    let j = 1;
    for (let i = start + 1; i < p.length && j < w.length; i++) if (p[i] === w[j]) j++;
    if (j === w.length) return true;
  }
  return false;
}

function typedAlone(language: 'haproxy' | 'keepalived' | 'corosync'): Set<string> {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'server', 'data', `${language}.json`), 'utf8')) as KeywordSchema;
  const out = new Set<string>();
  for (const s of schema.sections) out.add(s.name.split('.').pop()!);
  for (const k of schema.keywords) {
    if (k.args && k.args.length === 0) out.add(k.name);
    const words = k.name.split(' ');
    if (words.length > 1) out.add(words[words.length - 1]);
  }
  return new Set([...out].filter((w) => w.length >= 3));
}

test('the filter model matches at word starts only', () => {
  assert.ok(filterMatches('defaults', 'defaults'));
  assert.ok(filterMatches('backup', 'ka-backup'));
  assert.ok(!filterMatches('server', 'k8s-apiserver'), 'inside a word is a weak match the filter drops');
  assert.ok(!filterMatches('defaults', 'skel-dflt'));
});

for (const language of ['haproxy', 'keepalived', 'corosync'] as const) {
  test(`${language} snippet prefixes are not matched by a word typed alone before Enter`, () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', `${language}.json`), 'utf8')) as Record<string, { prefix: string }>;
    const words = typedAlone(language);
    const clashes: string[] = [];
    for (const s of Object.values(snippets)) for (const w of words) if (filterMatches(w, s.prefix)) clashes.push(`${s.prefix} ← ${w}`);
    assert.deepEqual(clashes, []);
  });
}
