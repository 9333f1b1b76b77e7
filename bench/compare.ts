// Before/after for a performance fix, side by side in one process: loads two copies of server/src (e.g. a
// `git archive` of the previous commit and the working tree) and alternates them on the same input, so
// both see the same machine load. Prints the median of each and the ratio.
//   node --import tsx bench/compare.ts --base /tmp/base/server/src [--lang haproxy] [--n 10000] [--runs 15] [--mode check|parse]
import * as path from 'node:path';
import { haproxyConfig, keepalivedConfig, corosyncConfig } from './gen';
import { median } from './stats';
import type { Language } from '../server/src/core/types';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/* eslint-disable @typescript-eslint/no-require-imports */
function load(src: string) {
  const languages = require(path.join(src, 'engine/languages')) as typeof import('../server/src/engine/languages');
  const check = require(path.join(src, 'engine/check')) as typeof import('../server/src/engine/check');
  const sh = require(path.join(src, 'core/sourceHost')) as typeof import('../server/src/core/sourceHost');
  const types = require(path.join(src, 'core/types')) as typeof import('../server/src/core/types');
  const host = new sh.NodeSourceHost();
  const options = types.defaultCheckOptions();
  return {
    parse: (lang: Language, file: string, text: string) => languages.LANGUAGE_MODULES[lang].parse(file, text, host),
    check: (lang: Language, file: string, text: string) => check.checkText(file, text, lang, options, host).diagnostics.length,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

const lang = arg('lang', 'haproxy') as Language;
const n = Number(arg('n', lang === 'haproxy' ? '10000' : '1000'));
const runs = Number(arg('runs', '15'));
const mode = arg('mode', 'check');
const text = lang === 'haproxy' ? haproxyConfig(n) : lang === 'keepalived' ? keepalivedConfig(n) : corosyncConfig(n);
const file = `/bench/${lang === 'haproxy' ? 'haproxy.cfg' : `${lang}.conf`}`;
const engines = { before: load(path.resolve(arg('base', ''))), after: load(path.resolve(__dirname, '../server/src')) };
const times: Record<string, number[]> = { before: [], after: [] };
const results: Record<string, unknown> = {};
for (let r = -2; r < runs; r++) {
  for (const k of (r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) as (keyof typeof engines)[]) {
    const t = performance.now();
    if (mode === 'parse') engines[k].parse(lang, file, text);
    results[k] = mode === 'parse' ? 0 : engines[k].check(lang, file, text);
    if (r >= 0) times[k].push(performance.now() - t);
  }
}
const mb = Buffer.byteLength(text) / 1e6;
const b = median(times.before);
const a = median(times.after);
process.stdout.write(
  JSON.stringify({
    lang,
    n,
    mode,
    mb: +mb.toFixed(2),
    runs,
    beforeMs: +b.toFixed(1),
    afterMs: +a.toFixed(1),
    beforeMBps: +((mb / b) * 1000).toFixed(1),
    afterMBps: +((mb / a) * 1000).toFixed(1),
    speedup: +(b / a).toFixed(2),
    diagnostics: results,
  }) + '\n',
);
