// Full differential run: every seed (DIFF_GENERATED generated ones per language on top of the examples
// and fixtures) × every mutation at DIFF_PICKS positions. Prints the numbers and every disagreement in
// Markdown, the material for docs/parity.md. `npm run test:differential:full`.
import { cleanupTools, requireTools } from './tools';
import { collectSeeds, judge, planMutants, screenSeeds, summarise } from './run';

const GENERATED = Number(process.env.DIFF_GENERATED ?? 12);
const PICKS = Number(process.env.DIFF_PICKS ?? 3);

requireTools();
const t0 = performance.now();
const seeds = collectSeeds(GENERATED);
const { usable, outcomes } = screenSeeds(seeds);
const picks = Array.from({ length: PICKS }, (_, i) => (i + 0.5) / PICKS);
const plans = planMutants(usable, picks);
const s = summarise([...outcomes, ...plans.map((p) => judge(p))]);
cleanupTools();

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : 'n/a');
const lines: string[] = [];
lines.push(`seeds: ${seeds.length}, ${usable.length} accepted by both and mutated; cases judged: ${s.judged.length}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
lines.push(`agreement: ${s.agreed}/${s.compared} = ${pct(s.agreed, s.compared)}%`);
for (const lang of ['haproxy', 'keepalived', 'corosync']) {
  const sub = summarise(s.judged.filter((o) => o.language === lang));
  lines.push(`  ${lang}: ${sub.agreed}/${sub.compared} = ${pct(sub.agreed, sub.compared)}%`);
}
lines.push('', 'per mutation (tool rejects / we reject / agree / judged):');
const names = [...new Set(s.judged.map((o) => `${o.language}|${o.mutation}`))];
for (const n of names) {
  const os = s.judged.filter((o) => `${o.language}|${o.mutation}` === n);
  lines.push(`  ${n}: ${os.filter((o) => o.toolRejects).length} / ${os.filter((o) => o.weReject).length} / ${os.filter((o) => o.toolRejects === o.weReject).length} / ${os.length}`);
}
lines.push('', 'seeds not mutated (a side rejects them as they are):');
for (const o of outcomes.filter((x) => x.toolRejects || x.weReject))
  lines.push(`  ${o.seed}: tool ${o.toolRejects ? 'rejects' : 'accepts'} (${o.toolSays}); haconf ${o.weReject ? `rejects: ${o.weSay[0]}` : 'accepts'}`);
lines.push('', 'disagreements:');
for (const d of s.disagreements) {
  lines.push(
    `  [${d.language}] ${d.seed} / ${d.mutation} @${d.pick.toFixed(2)}: tool ${d.toolRejects ? 'rejects' : 'accepts'} (${d.toolSays}); haconf ${d.weReject ? `rejects: ${d.weSay.join(' | ')}` : 'accepts'}`,
  );
}
lines.push('', `stricter on purpose (tool blind): ${s.stricter.length}, of which we reject ${s.stricter.filter((o) => o.weReject).length}`);
process.stdout.write(`${lines.join('\n')}\n`);
