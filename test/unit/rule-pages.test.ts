// The rule pages the extension bundles (docs/rules/<layer>/<name>.md) and the code links that open them:
// every rule code's link resolves to an existing page of that rule, offline, and the pages are the ones
// `npm run gen:docs` writes from the rules.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, ruleDocUrl } from '../../server/src/engine/rules';
import { renderRulePages } from '../../scripts/rule-catalogue';
import { OPEN_RULE_DOCS, cachedRulePages, ruleCatalogue, ruleDocsCommandUri, rulePage, rulePageRelPath } from '../../client/src/ruleDocs';

const REPO = path.join(__dirname, '..', '..');
const PAGES = path.join(REPO, 'docs', 'rules');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('docs/rules/ holds exactly the generated pages (run npm run gen:docs)', () => {
  const expected = renderRulePages();
  const committed = walk(PAGES).map((f) => path.relative(PAGES, f).split(path.sep).join('/'));
  assert.deepEqual(committed.sort(), [...expected.keys()].sort(), 'pages on disk vs rules');
  for (const [rel, text] of expected) assert.equal(fs.readFileSync(path.join(PAGES, rel), 'utf8'), text, `docs/rules/${rel} is stale`);
});

test("every rule code's code link opens an existing bundled page about that rule", () => {
  const codes = allRules().map((r) => r.code);
  assert.ok(codes.length >= 80, `${codes.length} rules`);
  for (const code of codes) {
    // What the client puts on the diagnostic, parsed back the way VS Code's command opener does.
    const link = new URL(ruleDocsCommandUri(code));
    assert.equal(link.protocol, 'command:');
    assert.equal(link.pathname, OPEN_RULE_DOCS);
    const args = JSON.parse(decodeURIComponent(link.search.slice(1))) as unknown;
    assert.deepEqual(args, [code], `${code}: command arguments`);
    const page = rulePage(REPO, code);
    assert.ok(page, `${code}: no bundled page`);
    const text = fs.readFileSync(page, 'utf8');
    assert.equal(text.split('\n')[0], `# ${code}`, `${code}: page title`);
    assert.match(text, /\*\*What it reports\.\*\*/, `${code}: page body`);
    // The page's link back to the catalogue lands on the rule's anchor there.
    const back = /\]\((\.\.\/\.\.\/rules\.md)#([a-z0-9-]+)\)/.exec(text);
    assert.ok(back, `${code}: no link to the catalogue`);
    const catalogue = fs.readFileSync(path.resolve(path.dirname(page), back[1]), 'utf8');
    assert.ok(catalogue.includes(`<a id="${back[2]}"></a>`), `${code}: catalogue anchor #${back[2]}`);
  }
  assert.ok(fs.existsSync(ruleCatalogue(REPO)));
});

test("the server's web code link (other editors) names an anchor that exists in docs/rules.md", () => {
  const catalogue = fs.readFileSync(path.join(REPO, 'docs', 'rules.md'), 'utf8');
  for (const { code } of allRules()) {
    const anchor = new URL(ruleDocUrl(code)).hash.slice(1);
    assert.ok(catalogue.includes(`<a id="${anchor}"></a>`), `${code}: #${anchor}`);
  }
});

test('only rule-shaped codes become page paths (a code never walks out of docs/rules/)', () => {
  assert.equal(rulePageRelPath('haproxy/removed-keyword'), path.join('docs', 'rules', 'haproxy', 'removed-keyword.md'));
  for (const bad of ['../../etc/passwd', 'haproxy/../../x', 'haproxy/a/b', '/etc/passwd', 'HAPROXY/x', 'haproxy/', 'haproxy/x.md', 'haproxy/-x']) {
    assert.equal(rulePageRelPath(bad), undefined, bad);
    assert.equal(rulePage(REPO, bad), undefined, bad);
  }
  assert.equal(rulePage(REPO, 'haproxy/no-such-rule'), undefined);
});

test('the cached lookup answers like rulePage, for pages and for non-codes', () => {
  const lookup = cachedRulePages(REPO);
  for (const code of ['haproxy/removed-keyword', 'cluster/vrid-mismatch', 'haproxy/no-such-rule', '../../etc/passwd']) {
    assert.equal(lookup(code), rulePage(REPO, code), code);
    assert.equal(lookup(code), rulePage(REPO, code), `${code}, asked again`);
  }
});
