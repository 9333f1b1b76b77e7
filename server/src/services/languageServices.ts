// The editor features of each language, in one table: services/index.ts looks the language up here
// instead of branching on it, and adding a language means adding one entry.
import type { Language, Position } from '../core/types';
import type { HaproxyDoc } from '../haproxy/types';
import type { CorosyncDoc } from '../corosync/parser';
import type { KeepalivedDoc } from '../keepalived/types';
import type { WorkspaceModel } from '../engine/model';
import type { LineIndex } from './text';
import * as hap from './haproxy';
import { haproxyCompletion } from './haproxyCompletion';
import { haproxySignatureHelp } from './haproxySignature';
import * as coro from './corosync';
import * as ka from './keepalived';
import type { CompletionDocRef, CompletionItem, SignatureHelpData, DocLink, FoldRange, HoverResult, Occurrence, SymbolNode, WorkspaceSymbolInfo } from './types';

/** The syntax tree each language's module parses to. */
export interface DocOf {
  haproxy: HaproxyDoc;
  keepalived: KeepalivedDoc;
  corosync: CorosyncDoc;
}

/**
 * The parse in `d` when it is a `language` document. The model keeps parses untyped (`doc: unknown`, one
 * map for every language); each was made by the module of the language stored beside it
 * (engine/languages.ts), so checking that language is enough: this is the one place that says so.
 */
export function docAs<L extends Language>(d: { language: Language; doc: unknown } | undefined, language: L): DocOf[L] | undefined {
  return d?.language === language ? (d.doc as DocOf[L]) : undefined;
}

export interface LanguageServices<Doc> {
  /** Completion at `pos`; each language reads the parse it needs from the model (HAProxy: the last one, never waiting). */
  completion(model: WorkspaceModel, file: string, lines: LineIndex, pos: Position): CompletionItem[];
  /** Signature help at `pos` (the directive, option or fetch/converter being typed); live text only. */
  signatureHelp(model: WorkspaceModel, file: string, lines: LineIndex, pos: Position): SignatureHelpData | undefined;
  /** Documentation for a completion item, fetched when the editor shows it. */
  keywordDoc(ref: CompletionDocRef, haproxyVersion: string): string | undefined;
  /** `file` is the file the cursor is in (an include of `doc` for keepalived). */
  hover(doc: Doc, file: string, pos: Position, model: WorkspaceModel): HoverResult | undefined;
  symbols(doc: Doc, file: string): SymbolNode[];
  workspaceSymbols(doc: Doc, file: string): WorkspaceSymbolInfo[];
  folding(doc: Doc, file: string): FoldRange[];
  links(doc: Doc, file: string): DocLink[];
  /** Definitions of and references to named objects, for navigation and rename. */
  occurrences(doc: Doc): Occurrence[];
}

/** The last parses of the other files of `file`'s split HAProxy configuration (cheap: no parse while typing). */
function setCompanions(model: WorkspaceModel, file: string): HaproxyDoc[] {
  const set = model.haproxySetOf(file);
  if (!set) return [];
  const out: HaproxyDoc[] = [];
  for (const f of set.files) {
    const doc = f === file ? undefined : docAs(model.lastDoc(f), 'haproxy');
    if (doc) out.push(doc);
  }
  return out;
}

const haproxyServices: LanguageServices<HaproxyDoc> = {
  completion: (model, file, lines, pos) => {
    // The last parse, even of an older text: completion never waits for a check.
    return haproxyCompletion(lines, docAs(model.lastDoc(file), 'haproxy'), pos, model.checkOptions.haproxyVersion, setCompanions(model, file));
  },
  signatureHelp: (model, _file, lines, pos) => haproxySignatureHelp(lines, pos, model.checkOptions.haproxyVersion),
  keywordDoc: (ref, version) => hap.haproxyKeywordDoc(ref.scope, ref.name, version, ref.what),
  hover: (doc, _file, pos, model) => hap.haproxyHover(doc, pos, model.checkOptions.haproxyVersion),
  symbols: (doc) => hap.haproxySymbols(doc),
  workspaceSymbols: (doc) => hap.haproxyWorkspaceSymbols(doc),
  folding: (doc) => hap.haproxyFolding(doc),
  links: (doc) => hap.haproxyLinks(doc),
  occurrences: (doc) => hap.haproxyOccurrences(doc),
};

const keepalivedServices: LanguageServices<KeepalivedDoc> = {
  completion: (model, file, lines, pos) => {
    const doc = docAs(model.docFor(file), 'keepalived');
    return doc ? ka.keepalivedCompletion(lines, doc, file, pos) : [];
  },
  signatureHelp: (model, file, lines, pos) => {
    const doc = docAs(model.docFor(file), 'keepalived');
    return doc ? ka.keepalivedSignatureHelp(lines, doc, file, pos) : undefined;
  },
  keywordDoc: (ref) => ka.keepalivedKeywordDoc(ref.scope, ref.name),
  hover: (doc, file, pos, model) => ka.keepalivedHover(doc, file, pos, model.clustersOf(doc.file)),
  symbols: (doc, file) => ka.keepalivedSymbols(doc, file),
  workspaceSymbols: (doc, file) => ka.keepalivedWorkspaceSymbols(doc, file),
  folding: (doc, file) => ka.keepalivedFolding(doc, file),
  links: (doc, file) => ka.keepalivedLinks(doc, file),
  occurrences: (doc) => ka.keepalivedOccurrences(doc),
};

const corosyncServices: LanguageServices<CorosyncDoc> = {
  completion: (model, file, lines, pos) => {
    const doc = docAs(model.docFor(file), 'corosync');
    return doc ? coro.corosyncCompletion(lines, doc, pos) : [];
  },
  signatureHelp: (model, file, lines, pos) => {
    const doc = docAs(model.docFor(file), 'corosync');
    return doc ? coro.corosyncSignatureHelp(lines, doc, pos) : undefined;
  },
  keywordDoc: (ref) => coro.corosyncKeywordDoc(ref.scope, ref.name, ref.what === 'section' ? 'section' : undefined),
  hover: (doc, _file, pos) => coro.corosyncHover(doc, pos),
  symbols: (doc) => coro.corosyncSymbols(doc),
  workspaceSymbols: (doc) => coro.corosyncWorkspaceSymbols(doc),
  folding: (doc) => coro.corosyncFolding(doc),
  links: () => [],
  occurrences: () => [],
};

export const LANGUAGE_SERVICES: { [L in Language]: LanguageServices<DocOf[L]> } = {
  haproxy: haproxyServices,
  keepalived: keepalivedServices,
  corosync: corosyncServices,
};

/**
 * The services of `language`, taking that language's tree as `unknown`: callers pass the parse the model
 * stored with that language (see docAs). A table indexed by a union cannot be called with a union of trees.
 */
export function servicesFor(language: Language): LanguageServices<unknown> {
  return LANGUAGE_SERVICES[language] as LanguageServices<unknown>;
}
