// In-process engine throughput: parse, and parse + every per-file rule + cluster facts (what `checkText`
// does for one file), per language, over growing inputs. Run as its own process so nothing else shares
// the heap:  node --import tsx bench/engine.ts [--src DIR] [--quick]
// --src points at another copy of server/src (e.g. the previous commit) for before/after comparisons.
import * as path from 'node:path';
import { haproxyConfig, keepalivedConfig, corosyncConfig } from './gen';
import { median } from './stats';
import type { CheckOptions, Language } from '../server/src/core/types';
import type { SourceHost } from '../server/src/core/sourceHost';
import type { LanguageModule } from '../server/src/core/language';

export interface EngineCase {
  language: Language;
  /** Generator parameter: backends (haproxy), VRRP instances (keepalived), nodes (corosync). */
  n: number;
  lines: number;
  bytes: number;
  /** Median milliseconds of the runs. */
  parseMs: number;
  checkMs: number;
  parseMBps: number;
  checkMBps: number;
  runs: number;
  diagnostics: number;
}

interface Engine {
  modules: Record<Language, LanguageModule<unknown>>;
  checkText: (file: string, text: string, language: Language, options: CheckOptions, host: SourceHost) => { diagnostics: unknown[] };
  host: SourceHost;
  options: CheckOptions;
}

function loadEngine(src: string): Engine {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const languages = require(path.join(src, 'engine/languages')) as typeof import('../server/src/engine/languages');
  const check = require(path.join(src, 'engine/check')) as typeof import('../server/src/engine/check');
  const sh = require(path.join(src, 'core/sourceHost')) as typeof import('../server/src/core/sourceHost');
  const types = require(path.join(src, 'core/types')) as typeof import('../server/src/core/types');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    modules: languages.LANGUAGE_MODULES,
    checkText: check.checkText,
    host: new sh.NodeSourceHost(),
    options: types.defaultCheckOptions(),
  };
}

export const HAPROXY_NS = [300, 1000, 3000, 10000];
export const KEEPALIVED_NS = [30, 100, 300, 1000];
export const COROSYNC_NS = [100, 300, 1000, 3000];

function inputFor(language: Language, n: number): string {
  if (language === 'haproxy') return haproxyConfig(n);
  if (language === 'keepalived') return keepalivedConfig(n);
  return corosyncConfig(n);
}

const FILE: Record<Language, string> = { haproxy: '/bench/haproxy.cfg', keepalived: '/bench/keepalived.conf', corosync: '/bench/corosync.conf' };

/** Runs one input until `budgetMs` is spent (at least `minRuns` times), after two warm-up runs. */
export function measureCase(engine: Engine, language: Language, n: number, budgetMs: number, minRuns: number): EngineCase {
  const text = inputFor(language, n);
  const file = FILE[language];
  const mod = engine.modules[language];
  const parseTimes: number[] = [];
  const checkTimes: number[] = [];
  let diagnostics = 0;
  for (let w = 0; w < 2; w++) {
    mod.parse(file, text, engine.host);
    engine.checkText(file, text, language, engine.options, engine.host);
  }
  const start = performance.now();
  while (parseTimes.length < minRuns || performance.now() - start < budgetMs) {
    let t = performance.now();
    mod.parse(file, text, engine.host);
    parseTimes.push(performance.now() - t);
    t = performance.now();
    diagnostics = engine.checkText(file, text, language, engine.options, engine.host).diagnostics.length;
    checkTimes.push(performance.now() - t);
    if (parseTimes.length >= 200) break;
  }
  const parseMs = median(parseTimes);
  const checkMs = median(checkTimes);
  const mb = Buffer.byteLength(text) / 1e6;
  return {
    language,
    n,
    lines: text.split('\n').length - 1,
    bytes: Buffer.byteLength(text),
    parseMs,
    checkMs,
    parseMBps: mb / (parseMs / 1000),
    checkMBps: mb / (checkMs / 1000),
    runs: parseTimes.length,
    diagnostics,
  };
}

export function measureEngine(src: string, quick: boolean): EngineCase[] {
  const engine = loadEngine(src);
  const out: EngineCase[] = [];
  const budget = quick ? 300 : 1500;
  const minRuns = quick ? 3 : 7;
  for (const n of HAPROXY_NS) out.push(measureCase(engine, 'haproxy', n, budget, minRuns));
  for (const n of KEEPALIVED_NS) out.push(measureCase(engine, 'keepalived', n, budget, minRuns));
  for (const n of COROSYNC_NS) out.push(measureCase(engine, 'corosync', n, budget, minRuns));
  return out;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const srcAt = args.indexOf('--src');
  const src = path.resolve(srcAt >= 0 ? args[srcAt + 1] : path.join(__dirname, '../server/src'));
  const only = args.indexOf('--only');
  if (only >= 0) {
    // One case, for profiling: --only haproxy:10000
    const [lang, n] = args[only + 1].split(':');
    process.stdout.write(JSON.stringify(measureCase(loadEngine(src), lang as Language, Number(n), 3000, 10)) + '\n');
  } else {
    process.stdout.write(JSON.stringify(measureEngine(src, args.includes('--quick'))) + '\n');
  }
}
