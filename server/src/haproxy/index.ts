import type { LanguageModule } from '../core/language';

// Placeholder until the haproxy parser and rules land.
export const haproxyModule: LanguageModule<{ file: string; text: string }> = {
  language: 'haproxy',
  rules: [],
  parse: (file, text) => ({ file, text }),
  check: () => [],
  sources: (doc) => new Map([[doc.file, doc.text]]),
};
