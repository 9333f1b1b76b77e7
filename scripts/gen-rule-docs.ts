// Writes docs/rules.md, the rule catalogue, from the RuleMeta each rule exports, so the docs cannot drift
// from the code. test/unit/engine-rules.test.ts fails when the committed file is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderRuleCatalogue } from './rule-catalogue';

const out = path.resolve(__dirname, '..', 'docs', 'rules.md');
fs.writeFileSync(out, renderRuleCatalogue());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
