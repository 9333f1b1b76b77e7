// Differential run: seeds (valid configs) × mutations, judged by the real tool and by `haconf check`'s
// engine. Used by the bounded CI test and by the full report (`npm run test:differential:full`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Language } from '../../server/src/core/types';
import { defaultCheckOptions } from '../../server/src/core/types';
import { checkText } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { languageFromPath } from '../../server/src/engine/detect';
import { validConfig } from '../fuzz/generators';
import { MUTATIONS, type Mutation } from './mutations';
import { hostVersion, realVerdict } from './tools';
import type { ToolVersion } from '../versions';

const ROOT = path.resolve(__dirname, '../..');

export interface Seed {
  language: Language;
  name: string;
  text: string;
}

/**
 * Makes a seed judgeable on this machine without changing what is being tested: scripts run as root
 * (keepalived 2.2.7 kills its own `-t` run when script_user is not root, keepalived#2617), and the
 * corosync fixture's placeholder key path goes (corosync then reads the key the runner provides).
 */
function prepare(language: Language, text: string): string {
  if (language === 'keepalived') return text.replace(/^(\s*script_user\s+)\S+.*$/gm, '$1root');
  if (language === 'corosync') return text.replace(/^\s*keyfile\s*:\s*AUTHKEY_PATH\s*\n/m, '');
  return text;
}

/** Every file under `dir`, sorted (also used by scripts/corpus-versions.ts). */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

export function collectSeeds(generatedPerLanguage: number): Seed[] {
  const seeds: Seed[] = [];
  for (const file of walk(path.join(ROOT, 'examples/corrected'))) {
    const language = languageFromPath(file);
    if (language) seeds.push({ language, name: path.relative(ROOT, file), text: prepare(language, fs.readFileSync(file, 'utf8')) });
  }
  for (const language of ['haproxy', 'keepalived', 'corosync'] as Language[]) {
    const dir = path.join(ROOT, 'test/fixtures', language);
    for (const f of fs
      .readdirSync(dir)
      .filter((n) => n.startsWith('valid'))
      .sort()) {
      seeds.push({ language, name: `test/fixtures/${language}/${f}`, text: prepare(language, fs.readFileSync(path.join(dir, f), 'utf8')) });
    }
    fc.sample(validConfig[language], { numRuns: generatedPerLanguage, seed: 7 }).forEach((text, i) => {
      seeds.push({ language, name: `generated ${language} #${i + 1}`, text });
    });
  }
  return seeds;
}

export interface Outcome {
  language: Language;
  seed: string;
  mutation: string;
  pick: number;
  neutral: boolean;
  toolBlind?: string;
  toolRejects: boolean;
  weReject: boolean;
  toolSays: string;
  weSay: string[];
}

/**
 * Warnings of ours that count as rejecting because keepalived -t exits non-zero on them. Since issue 15
 * every fault keepalived always refuses is an error; script security stays a warning because keepalived
 * refuses it only when the script exists on the host (the mutants' scripts do, here).
 */
export const KEEPALIVED_NONZERO_WARNINGS = new Set<string>(['keepalived/script-security']);

/** haconf's verdict; `version` sets `--haproxy-version` to the judging binary's (default: haconf's default). */
export function ourVerdict(language: Language, text: string, version?: ToolVersion): { rejects: boolean; codes: string[] } {
  const file = path.join('/nonexistent/haconf-differential', language === 'haproxy' ? 'haproxy.cfg' : `${language}.conf`);
  const options = defaultCheckOptions({
    haproxyVersion: version && language === 'haproxy' ? version.target : '2.6',
    // The judging keepalived's version (the host's 2.2.7 when none is given), so 2.3 keywords follow it.
    keepalivedVersion: version && language === 'keepalived' ? version.target : '2.2',
  });
  const r = checkText(file, text, language, options, new NodeSourceHost());
  const errors = r.diagnostics.filter((d) => d.severity === 'error' || (language === 'keepalived' && KEEPALIVED_NONZERO_WARNINGS.has(d.code)));
  return { rejects: errors.length > 0, codes: errors.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message.slice(0, 140)}`) };
}

/** The tool's first meaningful line, for the report. */
function firstLine(output: string): string {
  const l = output
    .split('\n')
    .map((x) => x.trim())
    .find((x) => /ALERT|error|Error|not valid|outside|Unknown|unknown|invalid|missing|Missing|must|VIOLATION|Truncat|Parse|parse|rc [1-9]/.test(x));
  return (l ?? output.split('\n')[0] ?? '').replace(/\/tmp\/haconf-diff-[^ :]*\//g, '').slice(0, 200);
}

export interface Plan {
  seed: Seed;
  mutation: Mutation;
  pick: number;
  text: string;
}

/** Every (accepted seed, mutation, position) with a distinct mutant text, in a fixed order. */
export const IDENTITY: Mutation = { name: 'unchanged seed', language: 'haproxy', neutral: true, apply: (t) => t };

export function planMutants(seeds: Seed[], picks: number[]): Plan[] {
  const plans: Plan[] = [];
  const seen = new Set<string>();
  for (const seed of seeds) {
    for (const mutation of MUTATIONS.filter((m) => m.language === seed.language)) {
      for (const pick of picks) {
        const text = mutation.apply(seed.text, pick);
        if (text === undefined || text === seed.text) continue;
        const key = `${seed.language}\u0000${text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        plans.push({ seed, mutation, pick, text });
      }
    }
  }
  return plans;
}

/** Judges one mutant with the binary of `version` (default: the host's) and haconf set to match. */
export function judge(p: Plan, version?: ToolVersion): Outcome {
  const tool = realVerdict(p.seed.language, p.text, version ?? hostVersion(p.seed.language));
  const ours = ourVerdict(p.seed.language, p.text, version);
  return {
    language: p.seed.language,
    seed: p.seed.name,
    mutation: p.mutation.name,
    pick: p.pick,
    neutral: Boolean(p.mutation.neutral),
    toolBlind: p.mutation.toolBlind,
    toolRejects: tool.rejects,
    weReject: ours.rejects,
    toolSays: firstLine(tool.output),
    weSay: ours.codes,
  };
}

/**
 * Judges every seed as it is (the `unchanged seed` case, part of the agreement rate) and keeps for
 * mutation the seeds both sides accept.
 */
export function screenSeeds(seeds: Seed[], versionOf?: (language: Language) => ToolVersion): { usable: Seed[]; outcomes: Outcome[] } {
  const outcomes = seeds.map((seed) => judge({ seed, mutation: { ...IDENTITY, language: seed.language }, pick: 0, text: seed.text }, versionOf?.(seed.language)));
  return { usable: seeds.filter((_, i) => !outcomes[i].toolRejects && !outcomes[i].weReject), outcomes };
}

/** Deterministic shuffle (mulberry32), so the CI sample is the same on every run. */
export function sample<T>(xs: T[], n: number, seed = 12345): T[] {
  if (n >= xs.length) return xs;
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

export interface Summary {
  judged: Outcome[];
  /** Tool-judged mutants (not toolBlind): the agreement rate is over these. */
  compared: number;
  agreed: number;
  disagreements: Outcome[];
  /** toolBlind mutants: where we report and the tool cannot. */
  stricter: Outcome[];
}

export function summarise(judged: Outcome[]): Summary {
  const comparable = judged.filter((o) => !o.toolBlind || o.toolRejects);
  const disagreements = comparable.filter((o) => o.toolRejects !== o.weReject);
  return {
    judged,
    compared: comparable.length,
    agreed: comparable.length - disagreements.length,
    disagreements,
    stricter: judged.filter((o) => o.toolBlind && !o.toolRejects),
  };
}
