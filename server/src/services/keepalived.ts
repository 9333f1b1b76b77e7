// Editor services for keepalived.conf over the parsed KeepalivedDoc (main file plus includes, so a
// document can answer for any file it read). Hover on a VRID, VIP, priority or state adds the peers and
// the simulated failover table from the cluster model.
import { isRegularFile } from '../core/sourceHost';
import type { Position, Range } from '../core/types';
import { lineRange } from '../core/range';
import type { KaBlock, KaStatement, KaWord, KeepalivedDoc } from '../keepalived/types';
import { childBlock, getSchema, keywordIn, keywordNames, ROOT_KIND } from '../keepalived/keywords';
import { TRACK_BLOCKS } from '../keepalived/model';
import type { Cluster } from '../cluster/model';
import { vrrpGroups, type GroupMember } from '../cluster/groups';
import { failoverRows, groupTable } from '../cluster/failover';
import { keywordMarkdown } from './docs';
import type { ArgSpec } from '../core/schema';
import type { LineIndex } from './text';
import type { CompletionItem, SignatureHelpData, DocLink, FoldRange, HoverResult, Occurrence, OccurrenceKind, SymbolNode, WorkspaceSymbolInfo } from './types';
import { plural } from '../core/plural';

/** Blocks whose header carries a name (`vrrp_instance VI_1 {`). */
const NAMED = new Set([
  'vrrp_instance',
  'vrrp_script',
  'vrrp_sync_group',
  'vrrp_track_file',
  'track_file',
  'vrrp_track_process',
  'bfd_instance',
  'virtual_server',
  'virtual_server_group',
  'track_group',
  'real_server',
]);
/** Definition block kind for each reference list kind. */
const DEFINED_BY: Record<string, { defKind: string; occ: OccurrenceKind }> = {
  track_script: { defKind: 'vrrp_script', occ: 'vrrp_script' },
  track_file: { defKind: 'vrrp_track_file', occ: 'track_file' },
  track_process: { defKind: 'vrrp_track_process', occ: 'track_process' },
  'vrrp_sync_group.group': { defKind: 'vrrp_instance', occ: 'vrrp_instance' },
};
const VRRP_HOVER = new Set(['virtual_router_id', 'priority', 'state', 'advert_int', 'nopreempt']);

function blocks(doc: KeepalivedDoc, file: string): KaBlock[] {
  const out: KaBlock[] = [];
  for (const st of doc.statements) if (st.block && st.file === file) out.push(st.block);
  return out;
}

/** Innermost block of `file` whose body holds `pos`. */
export function keepalivedBlockAt(doc: KeepalivedDoc, file: string, pos: Position): KaBlock {
  let best = doc.root;
  for (const b of blocks(doc, file)) {
    const open = b.open;
    if (!open) continue;
    const afterOpen = pos.line > open.end.line || (pos.line === open.end.line && pos.character >= open.end.character);
    const beforeClose = !b.close || pos.line < b.close.start.line || (pos.line === b.close.start.line && pos.character <= b.close.start.character);
    if (afterOpen && beforeClose) best = b; // statements are in reading order, so later matches are deeper
  }
  return best;
}

function kindOf(b: KaBlock): string {
  return b === undefined || b.parent === undefined ? ROOT_KIND : (b.kind ?? '');
}

function defNames(doc: KeepalivedDoc, defKind: string): { name: string; st: KaStatement }[] {
  const out: { name: string; st: KaStatement }[] = [];
  for (const st of doc.statements) if (st.block?.kind === defKind && st.words[1]) out.push({ name: st.words[1].text, st });
  return out;
}

/** Text of the line before the cursor with comments (unquoted `!`/`#`) detected. */
function beforeCursor(line: string, character: number): { words: string[]; partial: string; partialStart: number } | undefined {
  const before = line.slice(0, character);
  let quote = false;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (c === '\\') i++;
    else if (c === '"') quote = !quote;
    else if (!quote && (c === '!' || c === '#')) return undefined;
  }
  const m = /[^\s{}]*$/.exec(before)!;
  const words = before.slice(0, m.index).replace(/[{}]/g, ' ').split(/\s+/).filter(Boolean);
  return { words, partial: m[0], partialStart: m.index };
}

export function keepalivedCompletion(lines: LineIndex, doc: KeepalivedDoc, file: string, pos: Position): CompletionItem[] {
  const ctx = beforeCursor(lines.line(pos.line), pos.character);
  if (!ctx) return [];
  const block = keepalivedBlockAt(doc, file, pos);
  const kind = kindOf(block);
  const range = lineRange(pos.line, ctx.partialStart, pos.character);
  const item = (label: string, k: CompletionItem['kind'], extra: Partial<CompletionItem> = {}): CompletionItem => ({ label, kind: k, insertText: label, range, ...extra });
  const ref = DEFINED_BY[kind];
  if (block.value) {
    // Address blocks: the addresses the configuration already names (the peers' and the VIPs).
    if (ADDRESS_BLOCKS.has(kind) && ctx.words.length === 0) return usedAddresses(doc).map((a) => item(a, 'reference', { detail: 'address used in this configuration' }));
    if (!ref) return [];
    if (ctx.words.length === 0 || kind === 'vrrp_sync_group.group') {
      return defNames(doc, ref.defKind).map((d) => item(d.name, 'reference', { detail: `${ref.defKind} (${d.st.file === file ? `line ${d.st.line + 1}` : d.st.file})` }));
    }
    if (kind in TRACK_BLOCKS && ctx.words.length >= 1 && !ctx.words.includes('weight')) return [item('weight', 'keyword'), item('reverse', 'keyword')];
    return [];
  }
  if (ctx.words.length === 0) {
    const out: CompletionItem[] = keywordNames(kind).map((n) => {
      const args = argSnippet(keywordIn(kind, n)?.args);
      return item(n, 'keyword', { detail: `${kind} keyword`, docRef: { language: 'keepalived', scope: kind, name: n }, ...(args ? { insertText: `${n} ${args}`, snippet: true } : {}) });
    });
    const seen = new Set(out.map((o) => o.label));
    for (const e of getSchema().blocks) {
      if (e.parent !== kind) continue;
      const named = NAMED.has(e.kind) || NAMED.has(e.keyword);
      const snippet = named ? `${e.keyword} \${1:name} {\n\t$0\n}` : `${e.keyword} {\n\t$0\n}`;
      if (seen.has(e.keyword)) {
        const existing = out.find((o) => o.label === e.keyword)!;
        existing.insertText = snippet;
        existing.snippet = true;
      } else out.push(item(e.keyword, 'snippet', { insertText: snippet, snippet: true, detail: `${e.kind} block` }));
    }
    return out;
  }
  const spec = keywordIn(kind, ctx.words[0]);
  const arg = spec?.args?.[ctx.words.length - 1] ?? (spec?.args?.length && spec.args[spec.args.length - 1].rest ? spec.args[spec.args.length - 1] : undefined);
  if (arg?.type === 'enum' && arg.values) return arg.values.map((v) => item(v, 'value', { detail: `${ctx.words[0]} value` }));
  if (arg?.type === 'ip' || arg?.type === 'address') return usedAddresses(doc).map((a) => item(a, 'reference', { detail: 'address used in this configuration' }));
  return [];
}

/** Blocks that list addresses, one per line. */
const ADDRESS_BLOCKS = new Set(['virtual_ipaddress', 'virtual_ipaddress_excluded', 'unicast_peer']);

/** Addresses a keepalived configuration names: VIPs, unicast peers and sources, each once, in order. */
const addressCache = new WeakMap<KeepalivedDoc, string[]>();
function usedAddresses(doc: KeepalivedDoc): string[] {
  let found = addressCache.get(doc);
  if (found) return found;
  const set = new Set<string>();
  for (const st of doc.statements) {
    const w = st.words;
    if (ADDRESS_BLOCKS.has(kindOf(st.parent)) && w[0] && /^[0-9a-f:.]+(\/\d+)?$/i.test(w[0].text)) set.add(w[0].text);
    else if (w[0]?.text === 'unicast_src_ip' && w[1]) set.add(w[1].text);
  }
  found = [...set];
  addressCache.set(doc, found);
  return found;
}

/** The required arguments of a keyword as a snippet: enum values as a choice, others as a placeholder. */
function argSnippet(args: readonly ArgSpec[] | undefined): string {
  if (!args?.length) return '';
  return args
    .filter((a) => !a.optional)
    .map((a, i) => (a.type === 'enum' && a.values ? `\${${i + 1}|${a.values.join(',')}|}` : `\${${i + 1}:${/^arg\d+$/.test(a.name) ? a.type : a.name}}`))
    .join(' ');
}

/** An argument's placeholder: its name, or its type where the data only numbers it (`arg1`). */
function argLabel(a: ArgSpec): string {
  const core =
    a.type === 'enum' && a.values ? `{ ${a.values.join(' | ')} }` : `<${/^arg\d+$/.test(a.name) ? a.type : a.name}${a.min !== undefined && a.max !== undefined ? ` ${a.min}..${a.max}` : ''}>`;
  const body = a.rest ? `${core}...` : core;
  return a.optional ? `[${body}]` : body;
}

/** Signature help for the keyword being given arguments (`priority <int 1..255>`), with the active one. */
export function keepalivedSignatureHelp(lines: LineIndex, doc: KeepalivedDoc, file: string, pos: Position): SignatureHelpData | undefined {
  const ctx = beforeCursor(lines.line(pos.line), pos.character);
  if (!ctx || ctx.words.length === 0) return undefined;
  const block = keepalivedBlockAt(doc, file, pos);
  if (block.value) return undefined;
  const spec = keywordIn(kindOf(block), ctx.words[0]);
  if (!spec?.args?.length) return undefined;
  const labels = spec.args.map(argLabel);
  let label = spec.name;
  const parameters: SignatureHelpData['signatures'][number]['parameters'] = [];
  for (const l of labels) {
    label += ' ';
    parameters.push({ label: [label.length, label.length + l.length] });
    label += l;
  }
  const last = spec.args[spec.args.length - 1];
  const k = ctx.words.length - 1;
  const active = k >= labels.length && last.rest ? labels.length - 1 : k;
  if (active >= labels.length) return undefined;
  return { signatures: [{ label, parameters }], activeSignature: 0, activeParameter: active };
}

export function keepalivedKeywordDoc(scope: string, name: string): string | undefined {
  const spec = keywordIn(scope, name);
  if (spec) return keywordMarkdown(spec, { language: 'keepalived', scope, title: `\`${name}\``, where: scope === 'root' ? 'at the top level' : `in \`${scope}\`` });
  const edge = childBlock(scope, name);
  if (!edge) return undefined;
  const section = getSchema().sections.find((s) => s.name === edge.kind);
  return section
    ? keywordMarkdown(section, { language: 'keepalived', section: true, title: `\`${name} { … }\``, where: scope === 'root' ? 'block at the top level' : `block in \`${scope}\`` })
    : `**\`${name} { … }\`** — block in \`${scope}\``;
}

function statementAtPos(doc: KeepalivedDoc, file: string, pos: Position): { st: KaStatement; word: KaWord; index: number } | undefined {
  for (const st of doc.statements) {
    if (st.file !== file || st.line !== pos.line) continue;
    const index = st.words.findIndex((w) => w.range.start.line === pos.line && pos.character >= w.range.start.character && pos.character <= w.range.end.character);
    if (index >= 0) return { st, word: st.words[index], index };
  }
  return undefined;
}

function enclosingInstance(st: KaStatement): KaBlock | undefined {
  let b: KaBlock | undefined = st.block?.kind === 'vrrp_instance' ? st.block : st.parent;
  while (b && b.kind !== 'vrrp_instance') b = b.parent;
  return b;
}

export function keepalivedHover(doc: KeepalivedDoc, file: string, pos: Position, clusters: readonly Cluster[]): HoverResult | undefined {
  const at = statementAtPos(doc, file, pos);
  if (!at) return undefined;
  const { st, word, index } = at;
  const parentKind = kindOf(st.parent);
  const parts: string[] = [];
  if (index === 0 && !st.parent.value) {
    const md = keepalivedKeywordDoc(parentKind, word.text);
    if (md) parts.push(md);
  }
  const inst = enclosingInstance(st);
  const wantsCluster = inst && ((index === 0 && VRRP_HOVER.has(word.text)) || parentKind === 'virtual_ipaddress' || (index === 1 && VRRP_HOVER.has(st.words[0].text)) || st.block === inst);
  if (inst && wantsCluster) {
    const md = vrrpPeersMarkdown(inst, clusters);
    if (md) parts.push(md);
  }
  if (!parts.length) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range: word.range };
}

function findGroup(inst: KaBlock, clusters: readonly Cluster[]): { cluster: Cluster; group: GroupMember[] } | undefined {
  const name = inst.header?.words[1]?.text;
  const line = inst.header?.line;
  for (const cluster of clusters) {
    for (const group of vrrpGroups(cluster)) {
      if (group.some((m) => m.inst.name === name && m.inst.loc.file === inst.file && m.inst.loc.range.start.line === line)) return { cluster, group };
    }
  }
  return undefined;
}

const cell = (s: string | number | undefined): string => (s === undefined ? '—' : String(s).replace(/\|/g, '\\|'));

/** Markdown: the peers of a VRRP instance and what happens when a check fails or a node goes down. */
export function vrrpPeersMarkdown(inst: KaBlock, clusters: readonly Cluster[]): string | undefined {
  const found = findGroup(inst, clusters);
  if (!found) return undefined;
  const { cluster, group } = found;
  const out = [`**VRRP peers** of \`${inst.header?.words[1]?.text ?? ''}\` in cluster \`${cluster.name}\` (${cluster.origin})`, ''];
  out.push('| node | state | priority | VRID | advert_int | VIPs |', '|---|---|---|---|---|---|');
  for (const m of group) {
    const i = m.inst;
    out.push(
      `| ${cell(m.node.name)} | ${cell(i.state?.value)} | ${cell(i.priority?.value ?? 100)}${i.nopreempt ? ' (nopreempt)' : ''} | ${cell(i.vrid?.value)} | ${cell(i.advertInt?.value)} | ${cell(i.vips.map((v) => v.value).join(' '))} |`,
    );
  }
  const t = groupTable(group);
  out.push('', '**Failover** (simulated)', '', `| scenario | ${t.nodes.map(cell).join(' | ')} | VIP on |`, `|---|${t.nodes.map(() => '---|').join('')}---|`);
  for (const row of failoverRows(t)) {
    out.push(`| ${cell(row.label)} | ${row.states.map(cell).join(' | ')} | ${cell(row.holder ?? '(nobody)')}${row.blocked ? ' ⚠ stays on the failed node' : ''} |`);
  }
  return out.join('\n');
}

// ---------- structure ----------

function blockRange(st: KaStatement): Range {
  const end = st.block?.close?.end ?? st.range.end;
  return { start: st.range.start, end };
}

function symbolsIn(block: KaBlock, file: string): SymbolNode[] {
  const out: SymbolNode[] = [];
  for (const st of block.children) {
    if (st.file !== file) continue;
    const w = st.words;
    if (st.block) {
      const named = NAMED.has(st.block.kind ?? '') && w[1];
      out.push({
        name: named
          ? `${w[0].text} ${w
              .slice(1)
              .map((x) => x.text)
              .join(' ')}`
          : w[0].text,
        kind: st.block.kind === 'vrrp_instance' ? 'instance' : st.block.kind === 'vrrp_script' ? 'script' : 'block',
        range: blockRange(st),
        selectionRange: (named ? w[1] : w[0]).range,
        children: st.block.value ? [] : symbolsIn(st.block, file),
      });
    } else if (!block.value && block.parent) {
      out.push({
        name: w[0].text,
        detail: w
          .slice(1)
          .map((x) => x.text)
          .join(' ')
          .slice(0, 80),
        kind: 'key',
        range: st.range,
        selectionRange: w[0].range,
        children: [],
      });
    }
  }
  return out;
}

export function keepalivedSymbols(doc: KeepalivedDoc, file: string): SymbolNode[] {
  // Statements of an included file hang under blocks of the includer; collect top-most ones of this file.
  const roots = doc.statements.filter((st) => st.file === file && st.parent.header?.file !== file);
  const holder: KaBlock = { kind: ROOT_KIND, value: false, file, children: roots };
  return symbolsIn(holder, file);
}

/** Symbols declared in `file` (the main file, or an included file whose statements live in `doc`). */
export function keepalivedWorkspaceSymbols(doc: KeepalivedDoc, file = doc.file): WorkspaceSymbolInfo[] {
  const out: WorkspaceSymbolInfo[] = [];
  for (const st of doc.statements) {
    const k = st.block?.kind;
    if (!k || !NAMED.has(k) || !st.words[1] || st.file !== file) continue;
    out.push({ name: st.words[1].text, kind: k === 'vrrp_instance' ? 'instance' : k === 'vrrp_script' ? 'script' : 'block', file: st.file, range: st.words[1].range, container: st.words[0].text });
  }
  return out;
}

export function keepalivedFolding(doc: KeepalivedDoc, file: string): FoldRange[] {
  const out: FoldRange[] = [];
  for (const b of blocks(doc, file)) {
    if (!b.header || !b.close || b.close.start.line - 1 <= b.header.line) continue;
    out.push({ startLine: b.header.line, endLine: b.close.start.line - 1 });
  }
  return out;
}

// ---------- names ----------

export function keepalivedOccurrences(doc: KeepalivedDoc): Occurrence[] {
  const out: Occurrence[] = [];
  const defKinds = new Map(Object.values(DEFINED_BY).map((d) => [d.defKind, d.occ]));
  defKinds.set('track_file', 'track_file');
  for (const st of doc.statements) {
    const k = st.block?.kind;
    if (k && st.parent === doc.root && defKinds.has(k) && st.words[1]) {
      const occ = defKinds.get(k)!;
      out.push({ key: `${doc.file}#${occ}:${st.words[1].text}`, name: st.words[1].text, kind: occ, file: st.file, range: st.words[1].range, definition: true });
    }
    const ref = DEFINED_BY[st.parent.kind ?? ''];
    if (ref && st.parent.value) {
      const ws = st.parent.kind === 'vrrp_sync_group.group' ? st.words : [st.words[0]];
      for (const w of ws) {
        if (w.expanded || w.quoted) continue;
        out.push({ key: `${doc.file}#${ref.occ}:${w.text}`, name: w.text, kind: ref.occ, file: st.file, range: w.range, definition: false });
      }
    }
  }
  return out;
}

// ---------- links ----------

const SCRIPT_KEYWORDS = new Set(['script', 'notify', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify_deleted', 'notify_up', 'notify_down', 'misc_path']);

export function keepalivedLinks(doc: KeepalivedDoc, file: string, exists: (abs: string) => boolean = isRegularFile): DocLink[] {
  const out: DocLink[] = [];
  for (const inc of doc.includes) {
    if (inc.file !== file || inc.files.length === 0) continue;
    out.push({
      range: inc.range,
      target: inc.files[0],
      tooltip: inc.files.length > 1 ? `${plural(inc.files.length, 'file')}: ${inc.files.slice(0, 5).join(', ')}${inc.files.length > 5 ? ', …' : ''}` : inc.files[0],
    });
  }
  for (const st of doc.statements) {
    if (st.file !== file || !SCRIPT_KEYWORDS.has(st.words[0]?.text) || !st.words[1]) continue;
    const w = st.words[1];
    const m = /^\/[^\s]*/.exec(w.text);
    if (!m || w.expanded || w.range.start.line !== w.range.end.line) continue;
    if (!exists(m[0])) continue;
    const start = w.range.start.character + (w.quoted ? 1 : 0);
    out.push({ range: lineRange(w.range.start.line, start, start + m[0].length), target: m[0], tooltip: m[0] });
  }
  return out;
}
