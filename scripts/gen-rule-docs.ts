// Writes docs/rules.md, the rule catalogue, and docs/rules/<layer>/<name>.md, one page per rule (shipped in
// the .vsix and opened from a diagnostic's code link), from the RuleMeta each rule exports, so the docs
// cannot drift from the code. test/unit/engine-rules.test.ts and test/unit/rule-pages.test.ts fail when the
// committed files are stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRuleCatalogue, renderRulePages } from './rule-catalogue';

const docs = path.resolve(__dirname, '..', 'docs');
const out = path.join(docs, 'rules.md');
fs.writeFileSync(out, renderRuleCatalogue());
console.log(`wrote ${path.relative(process.cwd(), out)}`);

// The pages folder is wholly generated: a removed rule's page goes with it.
const pagesDir = path.join(docs, 'rules');
fs.rmSync(pagesDir, { recursive: true, force: true });
const pages = renderRulePages();
for (const [rel, text] of pages) {
  const file = path.join(pagesDir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
console.log(`wrote ${pages.size} rule pages under ${path.relative(process.cwd(), pagesDir)}/`);
