import {
  DiagnosticSeverity,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI_TO_PATH, PATH_TO_URI } from './uri';
import type { Diagnostic, Language, Severity } from '../core/types';
import { defaultCheckOptions } from '../core/types';
import { NodeSourceHost } from '../core/sourceHost';
import { checkText } from '../engine/check';
import { detectLanguage, isLanguage } from '../engine/detect';
import { ruleDocUrl } from '../engine/rules';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: ruleDocUrl(d.code) },
    source: 'haconf',
    message: d.message,
    relatedInformation: d.related?.map((r) => ({
      location: { uri: PATH_TO_URI(r.file), range: r.range },
      message: r.message,
    })),
  };
}

/** Wires the engine to an LSP connection. Only protocol adaptation lives here. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const host = new NodeSourceHost();
  const timers = new Map<string, NodeJS.Timeout>();

  connection.onInitialize(() => ({
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'haconf' },
  }));

  const validate = (doc: TextDocument): void => {
    const file = URI_TO_PATH(doc.uri);
    const text = doc.getText();
    host.overlay.set(file, text);
    const language: Language | undefined = isLanguage(doc.languageId) ? doc.languageId : detectLanguage(file, text);
    if (!language) return;
    const result = checkText(file, text, language, defaultCheckOptions(), host);
    connection.sendDiagnostics({
      uri: doc.uri,
      version: doc.version,
      diagnostics: result.diagnostics.filter((d) => d.file === result.file).map(toLspDiagnostic),
    });
  };

  const schedule = (doc: TextDocument): void => {
    clearTimeout(timers.get(doc.uri));
    timers.set(doc.uri, setTimeout(() => validate(doc), 150));
  };

  documents.onDidOpen((e) => validate(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    host.overlay.delete(URI_TO_PATH(e.document.uri));
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  documents.listen(connection);
  connection.listen();
}
