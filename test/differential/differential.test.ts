// Differential test against the real haproxy -c, keepalived -t and corosync -t: valid seeds and a fixed
// sample of their mutants are judged by both sides. The agreement rate over the faults the tool judges
// must stay at or above 99%, and every disagreement must be one docs/parity.md explains (known.ts).
// DIFF_SAMPLE (default 260 mutants) and DIFF_GENERATED (generated seeds per language, default 3) widen it;
// `npm run test:differential:full` prints the complete report. The same runs again on the binaries of the
// Debian 13 and testing roots (test/versions.ts) with haconf set to their version, on a smaller sample
// (DIFF_SAMPLE_VERSIONS, default 120 mutants each).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanupTools, requireTools } from './tools';
import { collectSeeds, judge, planMutants, sample, screenSeeds, summarise, type Outcome } from './run';
import { label, toolVersions } from '../versions';
import type { Language } from '../../server/src/core/types';
import { explain } from './known';
import { MUTATIONS } from './mutations';

const SAMPLE = Number(process.env.DIFF_SAMPLE ?? 260);
const GENERATED = Number(process.env.DIFF_GENERATED ?? 3);
const SAMPLE_VERSIONS = Number(process.env.DIFF_SAMPLE_VERSIONS ?? 120);

after(() => cleanupTools());

const describe = (o: Outcome): string =>
  `[${o.language}] ${o.seed} / ${o.mutation}: tool ${o.toolRejects ? 'rejects' : 'accepts'} (${o.toolSays}); haconf ${o.weReject ? `rejects (${o.weSay.join(' | ')})` : 'accepts'}`;

test('the real tools are installed', () => requireTools());

test('differential: haconf agrees with the real tools on mutated configs', () => {
  requireTools();
  const seeds = collectSeeds(GENERATED);
  const { usable, outcomes } = screenSeeds(seeds);
  assert.ok(usable.length >= 15, `only ${usable.length} seeds are accepted by both sides`);
  const plans = planMutants(usable, [0.2, 0.7]);
  // Every operator must produce mutants on some seed, or it tests nothing.
  for (const m of MUTATIONS)
    assert.ok(
      plans.some((p) => p.mutation === m),
      `mutation '${m.name}' (${m.language}) applies to no seed`,
    );
  const judged = [...outcomes, ...sample(plans, SAMPLE).map((p) => judge(p))];
  // Cases that depend on the build the file runs on (known.ts `undecidable`) are not judged by haconf on purpose.
  const s = summarise(judged.filter((o) => !explain(o)?.undecidable));
  const rate = s.agreed / s.compared;
  process.stdout.write(`# differential: ${judged.length} cases (${seeds.length} seeds), agreement ${s.agreed}/${s.compared} = ${(100 * rate).toFixed(2)}%, stricter-only ${s.stricter.length}\n`);
  const unexplained = s.disagreements.filter((o) => !explain(o));
  assert.deepEqual(unexplained.map(describe), [], 'disagreements not listed in test/differential/known.ts and docs/parity.md');
  assert.ok(rate >= 0.99, `agreement ${(100 * rate).toFixed(2)}% is below 99%:\n${s.disagreements.map(describe).join('\n')}`);
  // The neutral mutations must not flip either side.
  for (const o of judged.filter((x) => x.neutral)) assert.ok((!o.toolRejects && !o.weReject) || o.mutation === 'unchanged seed', describe(o));
  // Where only we look (tool-blind faults), we must actually report.
  for (const o of s.stricter) assert.ok(o.weReject || explain(o), `we should report ${describe(o)}`);
});

// Index 1 and 2 of each tool's versions: Debian 13 (trixie) and testing (forky).
for (const index of [1, 2]) {
  const versionOf = (language: Language) => toolVersions(language)[index];
  const names = (['haproxy', 'keepalived', 'corosync'] as Language[]).map((l) => label(versionOf(l))).join(', ');
  test(`differential on ${names}`, () => {
    requireTools(true);
    const seeds = collectSeeds(GENERATED);
    const { usable, outcomes } = screenSeeds(seeds, versionOf);
    assert.ok(usable.length >= 15, `only ${usable.length} seeds are accepted by both sides`);
    const judged = [...outcomes, ...sample(planMutants(usable, [0.2, 0.7]), SAMPLE_VERSIONS).map((p) => judge(p, versionOf(p.seed.language)))];
    const s = summarise(judged.filter((o) => !explain(o)?.undecidable));
    const rate = s.agreed / s.compared;
    process.stdout.write(`# differential ${names}: ${judged.length} cases, agreement ${s.agreed}/${s.compared} = ${(100 * rate).toFixed(2)}%\n`);
    // A seed the binary accepts must not get an error from us (false errors), whatever the sample.
    const falseErrors = outcomes.filter((o) => !o.toolRejects && o.weReject && !explain(o));
    assert.deepEqual(falseErrors.map(describe), [], 'haconf errors on seeds this version accepts');
    const unexplained = s.disagreements.filter((o) => !explain(o));
    assert.deepEqual(unexplained.map(describe), [], 'disagreements not listed in test/differential/known.ts and docs/parity.md');
    assert.ok(rate >= 0.99, `agreement ${(100 * rate).toFixed(2)}% is below 99%`);
  });
}
