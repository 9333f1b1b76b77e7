import type { LanguageModule } from '../core/language';
import { parseKeepalived } from './parser';
import { rules, runRules } from './rules';
import { keepalivedFacts } from './facts';
import type { KeepalivedDoc } from './types';
import { hideForeignText } from './foreign';

export type { KeepalivedDoc } from './types';

export const keepalivedModule: LanguageModule<KeepalivedDoc> = {
  language: 'keepalived',
  rules,
  parse: (file, text, host) => parseKeepalived(file, text, host),
  // Findings in included files from outside the config's folder never quote their text (foreign.ts).
  check: (doc, options) => hideForeignText(doc, runRules(doc, options?.keepalivedVersion, options?.keepalivedVersionFromHosts)),
  sources: (doc) => doc.sources,
  watched: (doc) => doc.watched,
  facts: (doc) => ({ keepalived: keepalivedFacts(doc) }),
};
