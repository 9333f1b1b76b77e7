// haproxy/invalid-argument for ordinary keywords: numbers, times, sizes, ports and enums, driven by the
// argument specs in the keyword schema. bind / server lines have their own module (servers.ts).
import { checkArg } from '../values';
import { isLive, type RuleContext } from './context';
import type { Resolved } from '../types';
import { SectionMemo, unlessClean } from './sectionMemo';
import type { Rule } from '../../core/rule';
import { META } from './meta';

const OWN_MODULE = new Set(['bind', 'server', 'default-server', 'server-template']);

/** Sections whose arguments checked clean. */
const clean = new SectionMemo<true>();

export function checkArguments(ctx: RuleContext): void {
  for (let s = 0, sections = ctx.doc.sections; s < sections.length; s++) {
    const list = ctx.sectionStatements[s];
    if (list) unlessClean(ctx, clean, sections[s], () => checkSection(ctx, list));
  }
}

function checkSection(ctx: RuleContext, list: Resolved[]): true {
  for (let itemIndex = 0; itemIndex < list.length; itemIndex++) {
    const r = list[itemIndex];
    if (!isLive(r.st) || !r.spec?.args || r.status === 'removed' || r.status === 'not-yet') continue;
    if (OWN_MODULE.has(r.spec.name)) continue;
    const st = r.st;
    const args = r.spec.args;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg.rest) break;
      const k = r.argStart + i;
      const value = st.value(k);
      if (value === undefined) {
        if (!arg.optional && i === 0 && !st.mod) {
          ctx.report('haproxy/invalid-argument', ctx.keywordRange(r), `'${r.spec.name}' expects ${arg.name ? `<${arg.name}>` : 'an argument'}`);
        }
        break;
      }
      if (ctx.opaqueWord(st, k)) break;
      // Conditions (`if`/`unless`) end the positional arguments of action keywords.
      if (value === 'if' || value === 'unless') break;
      const problem = checkArg(arg, value, ctx.version, ctx.versionNote);
      if (problem) {
        ctx.report('haproxy/invalid-argument', ctx.wordRange(st, k), `${r.spec.name}: ${problem}`);
        break;
      }
    }
  }
  return true;
}

export const argumentsRule: Rule<RuleContext> = { meta: META['haproxy/invalid-argument'], check: checkArguments };
