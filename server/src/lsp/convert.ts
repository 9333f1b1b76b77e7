// Shape conversion between the services' plain data and LSP types. No logic beyond renaming.
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  SymbolKind as LspSymbolKind,
  type CodeAction,
  type CompletionItem as LspCompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Diagnostic, Severity } from '../core/types';
import { ruleDocUrl } from '../engine/rules';
import type { CodeActionData, CompletionItem, SymbolKind, SymbolNode, WorkspaceEditData } from '../services/types';
import { PATH_TO_URI } from './uri';

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
    relatedInformation: d.related?.map((r) => ({ location: { uri: PATH_TO_URI(r.file), range: r.range }, message: r.message })),
  };
}

const COMPLETION_KIND: Record<CompletionItem['kind'], CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  section: CompletionItemKind.Module,
  option: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  unit: CompletionItemKind.Unit,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
  action: CompletionItemKind.Event,
  fetch: CompletionItemKind.Function,
  converter: CompletionItemKind.Method,
};

export function toLspCompletion(c: CompletionItem): LspCompletionItem {
  const item: LspCompletionItem = {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    detail: c.detail,
    textEdit: { range: c.range, newText: c.insertText },
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (c.sortText) item.sortText = c.sortText;
  if (c.filterText) item.filterText = c.filterText;
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.docRef) item.data = c.docRef;
  if (c.deprecated) item.tags = [1];
  return item;
}

const SYMBOL_KIND: Record<SymbolKind, LspSymbolKind> = {
  section: LspSymbolKind.Module,
  block: LspSymbolKind.Struct,
  server: LspSymbolKind.Object,
  acl: LspSymbolKind.Boolean,
  bind: LspSymbolKind.Interface,
  key: LspSymbolKind.Property,
  userlist: LspSymbolKind.Namespace,
  node: LspSymbolKind.Object,
  script: LspSymbolKind.Function,
  instance: LspSymbolKind.Class,
};

export function toLspSymbolKind(k: SymbolKind): LspSymbolKind {
  return SYMBOL_KIND[k];
}

export function toDocumentSymbol(s: SymbolNode): DocumentSymbol {
  const out: DocumentSymbol = { name: s.name || '(unnamed)', kind: SYMBOL_KIND[s.kind], range: s.range, selectionRange: s.selectionRange };
  if (s.detail) out.detail = s.detail;
  // Leaves carry no empty `children` array: on a big outline that alone is ~10 % of the bytes.
  if (s.children.length) out.children = s.children.map(toDocumentSymbol);
  return out;
}

export function toWorkspaceEdit(e: WorkspaceEditData): WorkspaceEdit {
  const changes: WorkspaceEdit['changes'] = {};
  for (const [file, edits] of Object.entries(e)) changes[PATH_TO_URI(file)] = edits;
  return { changes };
}

export function toCodeAction(a: CodeActionData): CodeAction {
  const kind = a.kind === 'quickfix' ? CodeActionKind.QuickFix : a.kind;
  return { title: a.title, kind, diagnostics: a.diagnostics.map(toLspDiagnostic), edit: toWorkspaceEdit(a.edit), isPreferred: a.preferred };
}
