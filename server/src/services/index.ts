// The editor features over the workspace model, one function per feature, dispatching per language.
// Plain data in and out: the LSP layer only converts shapes.
import type { Language, Position, Range, TextEdit } from '../core/types';
import { isTemplatePath } from '../templates/names';
import { templateVariableHover } from '../templates/hover';
import type { WorkspaceModel } from '../engine/model';
import { lineIndex, type LineIndex } from './text';
import { docAs, servicesFor } from './languageServices';
import { formatEdits, type FormatOptions } from './format';
import * as nav from './navigation';
import { codeActions as actionsFor, fixAllAction } from './codeActions';
import { limitOutline } from './symbolBudget';
import type {
  CodeActionData,
  CompletionDocRef,
  CompletionItem,
  SignatureHelpData,
  DocLink,
  FoldRange,
  HoverResult,
  Location,
  Occurrence,
  SymbolNode,
  WorkspaceEditData,
  WorkspaceSymbolInfo,
} from './types';

export type * from './types';
export { RenameError } from './navigation';

export function completion(model: WorkspaceModel, file: string, pos: Position): CompletionItem[] {
  const lang = model.languageOf(file);
  const text = model.textOf(file);
  if (!lang || text === undefined) return [];
  const lines = lineIndex(text);
  return withoutRepeats(servicesFor(lang).completion(model, file, lines, pos), lines);
}

/**
 * Drops items that would only repeat the word already typed: accepting one changes nothing, and an editor
 * that accepts the selected item on Enter would swallow the newline (`defaults⏎`).
 */
function withoutRepeats(items: CompletionItem[], lines: LineIndex): CompletionItem[] {
  return items.filter((item) => {
    if (item.range.start.line !== item.range.end.line) return true;
    // A block snippet (`vrrp_instance ${1:name} {…}`) adds the block; one that only adds argument
    // placeholders (`priority ${1:int}`) is a repeat of its label like a plain item.
    if (item.snippet && (item.kind === 'snippet' || item.insertText.includes('\n'))) return true;
    const typed = lines.line(item.range.start.line).slice(item.range.start.character, item.range.end.character);
    return typed === '' || (item.snippet ? item.label : item.insertText) !== typed;
  });
}

/** Signature help at `pos`: the directive, option, fetch or converter being typed and its active parameter. */
export function signatureHelp(model: WorkspaceModel, file: string, pos: Position): SignatureHelpData | undefined {
  const lang = model.languageOf(file);
  const text = model.textOf(file);
  if (!lang || text === undefined) return undefined;
  return servicesFor(lang).signatureHelp(model, file, lineIndex(text), pos);
}

/** Documentation for a completion item, fetched only when the editor shows it. */
export function completionDoc(ref: CompletionDocRef, haproxyVersion: string): string | undefined {
  return servicesFor(ref.language).keywordDoc(ref, haproxyVersion);
}

/** The document that answers for `file`: its own, or (for a keepalived include) the includer's. */
function owningDoc(model: WorkspaceModel, file: string): { language: Language; doc: unknown } | undefined {
  const own = model.docFor(file);
  if (model.languageOf(file) === 'keepalived' || !own) {
    for (const r of model.readersOf(file)) if (r !== file && model.languageOf(r) === 'keepalived') return model.docFor(r);
  }
  return own;
}

export function hover(model: WorkspaceModel, file: string, pos: Position): HoverResult | undefined {
  // On a template's `{{ … }}`: the values per host (templates/hover.ts).
  const text = isTemplatePath(file) ? model.textOf(file) : undefined;
  const onVariable = text !== undefined ? templateVariableHover(file, text, pos, model.templateRendering) : undefined;
  if (onVariable) return onVariable;
  const d = owningDoc(model, file);
  if (!d) return undefined;
  return servicesFor(d.language).hover(d.doc, file, pos, model);
}

/** The outline, cut to a size the editor decodes quickly on big files (symbolBudget.ts). */
export function documentSymbols(model: WorkspaceModel, file: string): SymbolNode[] {
  const d = owningDoc(model, file);
  if (!d) return [];
  return limitOutline(servicesFor(d.language).symbols(d.doc, file));
}

export function workspaceSymbols(model: WorkspaceModel, query: string, limit = 500): WorkspaceSymbolInfo[] {
  const q = query.toLowerCase();
  const out: WorkspaceSymbolInfo[] = [];
  for (const { file, language, doc } of model.docs()) {
    for (const s of servicesFor(language).workspaceSymbols(doc, file)) {
      if (q && !s.name.toLowerCase().includes(q)) continue;
      out.push(s);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

export function foldingRanges(model: WorkspaceModel, file: string): FoldRange[] {
  const d = owningDoc(model, file);
  if (!d) return [];
  return servicesFor(d.language).folding(d.doc, file);
}

export function documentLinks(model: WorkspaceModel, file: string): DocLink[] {
  const d = owningDoc(model, file);
  if (!d) return [];
  return servicesFor(d.language).links(d.doc, file);
}

const occCache = new WeakMap<object, Occurrence[]>();

function occurrencesOf(language: Language, doc: unknown): Occurrence[] {
  const key = doc as object;
  let occ = occCache.get(key);
  if (!occ) {
    occ = servicesFor(language).occurrences(doc);
    occCache.set(key, occ);
  }
  return occ;
}

/** Names that HAProxy resolves across the files of a split configuration (ACLs stay per section). */
const SET_WIDE: ReadonlySet<Occurrence['kind']> = new Set(['backend', 'server', 'userlist', 'defaults']);

/** Names visible from `file`: its own document and every document that includes it. */
function occurrences(model: WorkspaceModel, file: string): Occurrence[] {
  const set = model.languageOf(file) === 'haproxy' ? model.haproxySetOf(file) : undefined;
  if (set) return setOccurrences(model, set.files);
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  // Includers first: their document sees the whole configuration, the include alone does not.
  for (const f of [...model.readersOf(file).filter((r) => r !== file), file]) {
    if (seen.has(f)) continue;
    seen.add(f);
    const d = model.docFor(f);
    if (d) out.push(...occurrencesOf(d.language, d.doc));
  }
  return out;
}

/**
 * The names of every file of a split HAProxy configuration, with backend, server, userlist and defaults
 * names keyed by the set instead of the file, so definition, references and rename cross the files.
 */
function setOccurrences(model: WorkspaceModel, files: readonly string[]): Occurrence[] {
  const out: Occurrence[] = [];
  const scope = `haproxy-set:${files[0]}`;
  for (const f of files) {
    const d = model.docFor(f);
    const doc = docAs(d, 'haproxy');
    if (!d || !doc) continue;
    const prefix = `${doc.file}#`;
    for (const o of occurrencesOf(d.language, d.doc)) {
      out.push(SET_WIDE.has(o.kind) && o.key.startsWith(prefix) ? { ...o, key: `${scope}#${o.key.slice(prefix.length)}` } : o);
    }
  }
  return out;
}

export function definition(model: WorkspaceModel, file: string, pos: Position): Location[] {
  return nav.definitions(occurrences(model, file), file, pos);
}

export function references(model: WorkspaceModel, file: string, pos: Position, includeDeclaration = true): Location[] {
  return nav.references(occurrences(model, file), file, pos, includeDeclaration);
}

export function prepareRename(model: WorkspaceModel, file: string, pos: Position): { range: Range; placeholder: string } | undefined {
  return nav.prepareRename(occurrences(model, file), file, pos);
}

/** Throws RenameError when the new name is not one word the daemon would read back. */
export function rename(model: WorkspaceModel, file: string, pos: Position, newName: string): WorkspaceEditData | undefined {
  return nav.rename(occurrences(model, file), file, pos, newName);
}

export function formatting(model: WorkspaceModel, file: string, range?: Range, options: Partial<FormatOptions> = {}): TextEdit[] {
  const lang = model.languageOf(file);
  const text = model.textOf(file);
  if (!lang || text === undefined) return [];
  return formatEdits(lang, text, { haproxyVersion: model.checkOptions.haproxyVersion, ...options }, range);
}

export function codeActions(model: WorkspaceModel, file: string, range: Range): CodeActionData[] {
  const text = model.textOf(file);
  if (text === undefined) return [];
  const lines = lineIndex(text);
  return actionsFor(model.diagnostics(file), range, (n) => lines.line(n));
}

/** The file's "Fix all" action (`source.fixAll.haconf`), when it has mechanical fixes. */
export function fixAll(model: WorkspaceModel, file: string): CodeActionData | undefined {
  if (model.textOf(file) === undefined) return undefined;
  return fixAllAction(file, model.diagnostics(file));
}
