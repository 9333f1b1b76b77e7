// Plain data returned by the editor services. Shapes follow LSP closely so the protocol layer only
// renames enums, but nothing here depends on an LSP library.
import type { Diagnostic, Range, TextEdit } from '../core/types';

export type CompletionKind = 'keyword' | 'section' | 'option' | 'value' | 'unit' | 'reference' | 'snippet' | 'action' | 'fetch' | 'converter';

/** What completionItem/resolve needs to fetch documentation later, without keeping state per request. */
export interface CompletionDocRef {
  language: 'haproxy' | 'keepalived' | 'corosync';
  /** haproxy: section or `bind`/`server`; keepalived: block kind; corosync: section path. */
  scope: string;
  name: string;
  /**
   * corosync: `section` when the name is a child section rather than a key; haproxy: `fetch`, `converter`
   * or `acl` (an ACL keyword such as path_beg) for the names of sample expressions.
   */
  what?: 'keyword' | 'section' | 'fetch' | 'converter' | 'acl';
}

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Replaces `range` (the partial word at the cursor). */
  insertText: string;
  range: Range;
  /** insertText uses snippet syntax ($1, $0). */
  snippet?: boolean;
  sortText?: string;
  filterText?: string;
  documentation?: string;
  docRef?: CompletionDocRef;
  deprecated?: boolean;
}

export interface HoverResult {
  markdown: string;
  range: Range;
}

export type SymbolKind = 'section' | 'block' | 'server' | 'acl' | 'bind' | 'key' | 'userlist' | 'node' | 'script' | 'instance';

export interface SymbolNode {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** Whole construct. */
  range: Range;
  /** The name (or keyword) to highlight. */
  selectionRange: Range;
  children: SymbolNode[];
}

export interface WorkspaceSymbolInfo {
  name: string;
  kind: SymbolKind;
  file: string;
  range: Range;
  container?: string;
}

export interface FoldRange {
  startLine: number;
  endLine: number;
}

export interface DocLink {
  range: Range;
  /** Absolute path of the target file. */
  target: string;
  tooltip?: string;
}

export type OccurrenceKind = 'backend' | 'server' | 'acl' | 'userlist' | 'defaults' | 'vrrp_script' | 'track_file' | 'track_process' | 'vrrp_instance';

/** A definition of, or reference to, a named object. Equal keys name the same object. */
export interface Occurrence {
  key: string;
  name: string;
  kind: OccurrenceKind;
  file: string;
  range: Range;
  definition: boolean;
}

export interface Location {
  file: string;
  range: Range;
}

/** File → edits, like LSP's WorkspaceEdit.changes. */
export type WorkspaceEditData = Record<string, TextEdit[]>;

/** The code action kind of haconf's "Fix all" (a sub-kind of LSP's `source.fixAll`). */
export const FIX_ALL_KIND = 'source.fixAll.haconf';

export interface CodeActionData {
  title: string;
  kind: 'quickfix' | typeof FIX_ALL_KIND;
  /** The findings it fixes: one for a quick fix, every one fixed for "Fix all". */
  diagnostics: Diagnostic[];
  edit: WorkspaceEditData;
  preferred?: boolean;
}

/** One signature of signature help; parameter labels are [start, end) offsets into `label`. */
export interface SignatureData {
  label: string;
  documentation?: string;
  parameters: Array<{ label: [number, number]; documentation?: string }>;
}

export interface SignatureHelpData {
  signatures: SignatureData[];
  activeSignature: number;
  activeParameter: number;
}
