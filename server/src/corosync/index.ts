import type { LanguageModule } from '../core/language';
import type { CheckOptions, Diagnostic, RuleMeta } from '../core/types';
import type { CorosyncFacts, CorosyncNodeFact, Located } from '../core/facts';
import { parseCorosync, type CorosyncDoc, type KeyNode } from './parser';
import { buildModel, uintOf } from './model';
import { corosyncRules, RuleContext } from './rules';

export type { CorosyncDoc } from './parser';

/** The corosync/* codes, in the order docs/rules.md lists them. */
export const rules: RuleMeta[] = corosyncRules.catalogue;

export function checkCorosync(doc: CorosyncDoc, _options?: CheckOptions): Diagnostic[] {
  const ctx = new RuleContext(doc);
  corosyncRules.run(ctx);
  return ctx.diagnostics;
}

function located(file: string, k: KeyNode | undefined): Located<string> | undefined {
  return k ? { value: k.value.text, loc: { file, range: k.value.range } } : undefined;
}

export function corosyncFacts(doc: CorosyncDoc): CorosyncFacts {
  const model = buildModel(doc);
  const file = doc.file;
  const nodes: CorosyncNodeFact[] = model.nodes.map((n) => {
    const id = n.keys.get('nodeid');
    const idValue = uintOf(id);
    return {
      name: located(file, n.keys.get('name')),
      nodeid: id && idValue !== undefined ? { value: idValue, loc: { file, range: id.value.range } } : undefined,
      ring0: located(file, n.keys.get('ring0_addr')),
      loc: { file, range: n.section.name.range },
    };
  });
  const list = model.nodelists[0];
  return { file, nodes, nodelist: list ? { file, range: list.name.range } : undefined };
}

export const corosyncModule: LanguageModule<CorosyncDoc> = {
  language: 'corosync',
  rules,
  parse: (file, text) => parseCorosync(file, text),
  check: (doc, options) => checkCorosync(doc, options),
  sources: (doc) => new Map([[doc.file, doc.text]]),
  facts: (doc) => ({ corosync: corosyncFacts(doc) }),
};
