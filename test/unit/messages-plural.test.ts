// Messages say "1 error" and "2 errors", never "1 errors" or "error(s)": counts go through core/plural.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { plural } from '../../server/src/core/plural';
import { analyseFile, capPerFile, MAX_DIAGNOSTICS_PER_FILE } from '../../server/src/engine/analyse';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';

const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('plural: the word agrees with the count', () => {
  assert.equal(plural(1, 'error'), '1 error');
  assert.equal(plural(2, 'error'), '2 errors');
  assert.equal(plural(0, 'file'), '0 files');
  assert.equal(plural(3, 'process', 'processes'), '3 processes');
});

test('no message in the CLI, the server or the client writes "(s)" or a fixed plural after a count', () => {
  const offenders: string[] = [];
  for (const file of [...sources(path.join(ROOT, 'server', 'src')), ...sources(path.join(ROOT, 'client', 'src'))]) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\/\*|\*)/.test(line)) return;
        // The text of string and template literals on the line (crude, but messages are one-liners).
        const literals = (line.match(/`[^`]*`|'[^'\n]*'|"[^"\n]*"/g) ?? []).join(' ');
        // `${n} errors` in a template: the count may be 1.
        const fixed = /\$\{[^}]*(length|count|errors|warnings|total|size)\}\s+(errors|warnings|files|hosts|nodes|clusters|findings)\b/.test(literals);
        // `error(s)`: a word of text (not a call such as `JSON.stringify(s)` or `list.push(s)`) before "(s)".
        if (/(^|[\s`'"])[a-z]+\(s\)/.test(line) || fixed) offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, []);
});

test('one finding over the per-file cap: "1 more finding … is not shown"', () => {
  const lines = ['defaults', '    timeout connect 5s', '    timeout client 5s', '    timeout server 5s', 'backend b'];
  for (let i = 0; i <= MAX_DIAGNOSTICS_PER_FILE; i++) lines.push(`    bogus_keyword_${i} x`);
  const a = { diagnostics: capPerFile(analyseFile('/x/haproxy.cfg', lines.join('\n') + '\n', 'haproxy', defaultCheckOptions(), new NodeSourceHost()).diagnostics) };
  // One unknown keyword per line, one line over the cap.
  const summary = a.diagnostics.find((d) => /not shown/.test(d.message));
  assert.match(summary?.message ?? '(no summary)', /^1 more finding in this file is not shown \(limit 500\)/);
});
