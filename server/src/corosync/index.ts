import type { LanguageModule } from '../core/language';

// Placeholder until the corosync parser and rules land.
export const corosyncModule: LanguageModule<{ file: string; text: string }> = {
  language: 'corosync',
  rules: [],
  parse: (file, text) => ({ file, text }),
  check: () => [],
  sources: (doc) => new Map([[doc.file, doc.text]]),
};
