// `haconf/documentLanguage`: which of our languages a document is, as the server sees it (the model's
// language for a known file, else detect.ts on the name and, for *.cfg/*.conf, the first bytes). The VS
// Code client asks when a document opens under another language (a `lb.cfg` opens as "Properties") and
// switches it, so highlighting, snippets and quick fixes follow the diagnostics.
import type { Connection } from 'vscode-languageserver/node';
import type { WorkspaceModel } from '../engine/model';
import { detectLanguage } from '../engine/detect';
import { sniff } from '../engine/collect';
import { isVirtualDocument } from '../engine/virtualDocs';
import { URI_TO_PATH } from './uri';
import { DOCUMENT_LANGUAGE } from '../protocol';
import { onRequest } from './customMethods';

export function registerDocumentLanguageRequest(connection: Connection, model: () => WorkspaceModel): void {
  onRequest(connection, DOCUMENT_LANGUAGE, (p) => {
    if (typeof p?.uri !== 'string') return { language: null };
    const file = URI_TO_PATH(p.uri);
    const m = model();
    const known = m.languageOf(file);
    if (known) return { language: known };
    if (isVirtualDocument(file)) return { language: null };
    return { language: detectLanguage(file, () => sniff(file), m.associations) ?? null };
  });
}
