import type { Language } from '../core/types';
import type { LanguageModule } from '../core/language';
import { hiddenCharactersRule, hiddenCharFindings } from '../core/hiddenText';
import { haproxyModule } from '../haproxy';
import { keepalivedModule } from '../keepalived';
import { corosyncModule } from '../corosync';

/**
 * Adds the rules every language shares, which read the text rather than the syntax tree: today
 * `<lang>/hidden-characters` (core/hiddenText.ts). Both the CLI engine and the editor's workspace model
 * check through these modules, so neither can miss them.
 */
function withTextRules<Doc>(mod: LanguageModule<Doc>): LanguageModule<Doc> {
  return {
    ...mod,
    rules: [...mod.rules, hiddenCharactersRule(mod.language)],
    check: (doc, options) => {
      const found = mod.check(doc, options);
      const hidden = hiddenCharFindings(mod.language, mod.sources(doc));
      return hidden.length ? [...found, ...hidden] : found;
    },
  };
}

export const LANGUAGE_MODULES: Record<Language, LanguageModule<unknown>> = {
  haproxy: withTextRules(haproxyModule),
  keepalived: withTextRules(keepalivedModule),
  corosync: withTextRules(corosyncModule),
};
