// `haconf/documentLanguage`: which of our languages a document is, as the server sees it (the model's
// language for a known file, else detect.ts on the name and, for *.cfg/*.conf, the first bytes). The VS
// Code client asks when a document opens under another language (a `lb.cfg` opens as "Properties") and
// switches it, so highlighting, snippets and quick fixes follow the diagnostics.
import type { Connection } from 'vscode-languageserver/node';
import type { Language } from '../core/types';
import type { WorkspaceModel } from '../engine/model';
import { detectLanguage } from '../engine/detect';
import { sniff } from '../engine/collect';
import { isVirtualDocument } from '../engine/virtualDocs';
import { URI_TO_PATH } from './uri';

export const DOCUMENT_LANGUAGE_REQUEST = 'haconf/documentLanguage';

export function registerDocumentLanguageRequest(connection: Connection, model: () => WorkspaceModel): void {
  connection.onRequest(DOCUMENT_LANGUAGE_REQUEST, (p: { uri?: unknown }): { language: Language | null } => {
    if (typeof p?.uri !== 'string') return { language: null };
    const file = URI_TO_PATH(p.uri);
    const m = model();
    const known = m.languageOf(file);
    if (known) return { language: known };
    if (isVirtualDocument(file)) return { language: null };
    return { language: detectLanguage(file, () => sniff(file), m.associations) ?? null };
  });
}
