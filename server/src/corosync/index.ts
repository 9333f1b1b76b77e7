import type { LanguageModule } from '../core/language';
import type { CheckOptions, Diagnostic, RuleMeta } from '../core/types';
import type { CorosyncFacts, CorosyncNodeFact, Located } from '../core/facts';
import { parseCorosync, type CorosyncDoc, type KeyNode } from './parser';
import { buildModel, uintOf } from './model';
import { makeContext } from './rules/context';
import { checkKeys, checkSyntax, invalidValueRule, syntaxRule, unknownKeyRule } from './rules/keys';
import { checkDuplicates, checkNodeids, checkNodelist, duplicateNodeRule, missingNodelistRule, nodeidRequiredRule } from './rules/nodes';
import { checkExpectedVotes, checkTwoNode, expectedVotesRule, twoNodeMisuseRule } from './rules/quorum';
import { bindnetaddrIgnoredRule, checkBindnetaddr, checkCrypto, checkLinksNeedKnet, cryptoRequiresKnetRule } from './rules/transport';

export type { CorosyncDoc } from './parser';

export const rules: RuleMeta[] = [
  syntaxRule,
  unknownKeyRule,
  invalidValueRule,
  missingNodelistRule,
  nodeidRequiredRule,
  duplicateNodeRule,
  twoNodeMisuseRule,
  expectedVotesRule,
  cryptoRequiresKnetRule,
  bindnetaddrIgnoredRule,
];

export function checkCorosync(doc: CorosyncDoc, _options?: CheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = makeContext(buildModel(doc), out);
  checkSyntax(ctx);
  checkKeys(ctx);
  checkNodelist(ctx);
  checkNodeids(ctx);
  checkDuplicates(ctx);
  checkTwoNode(ctx);
  checkExpectedVotes(ctx);
  checkCrypto(ctx);
  checkLinksNeedKnet(ctx);
  checkBindnetaddr(ctx);
  return out;
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
