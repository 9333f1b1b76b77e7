import type { LanguageModule } from '../core/language';

// Placeholder until the keepalived parser and rules land.
export const keepalivedModule: LanguageModule<{ file: string; text: string }> = {
  language: 'keepalived',
  rules: [],
  parse: (file, text) => ({ file, text }),
  check: () => [],
  sources: (doc) => new Map([[doc.file, doc.text]]),
};
