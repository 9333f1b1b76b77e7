// Typed views over the syntax tree that several rules need: instances, scripts, tracked objects and
// the global settings. Later statements win, as in keepalived.
import type { KaBlock, KaStatement, KaWord, KeepalivedDoc } from './types';

export function blocksOf(doc: KeepalivedDoc, kind: string): KaBlock[] {
  const out: KaBlock[] = [];
  for (const st of doc.statements) if (st.block && st.block.kind === kind) out.push(st.block);
  return out;
}

export function statementsIn(block: KaBlock, keyword: string): KaStatement[] {
  return block.children.filter((s) => s.words[0].text === keyword);
}

export function lastIn(block: KaBlock, keyword: string): KaStatement | undefined {
  const all = statementsIn(block, keyword);
  return all[all.length - 1];
}

export function childBlocks(block: KaBlock, kind: string): KaBlock[] {
  const out: KaBlock[] = [];
  for (const s of block.children) if (s.block && s.block.kind === kind) out.push(s.block);
  return out;
}

/** Name given on a block header (`vrrp_instance VI_1 {` → VI_1). */
export function blockName(block: KaBlock): KaWord | undefined {
  return block.header?.words[1];
}

export type TrackKind = 'script' | 'process' | 'file' | 'interface' | 'bfd';

export const TRACK_BLOCKS: Record<string, TrackKind> = {
  track_script: 'script',
  track_process: 'process',
  track_file: 'file',
  track_interface: 'interface',
  track_bfd: 'bfd',
};

export interface TrackEntry {
  kind: TrackKind;
  name: KaWord;
  weight?: { value: number; word: KaWord };
  reverse?: boolean;
  statement: KaStatement;
  block: KaBlock;
}

/** `NAME [weight W] [reverse|noreverse|no_reverse]` lines of the track_* blocks inside `owner`. */
export function trackEntries(owner: KaBlock): TrackEntry[] {
  const out: TrackEntry[] = [];
  for (const s of owner.children) {
    const b = s.block;
    if (!b || b.kind === undefined || !(b.kind in TRACK_BLOCKS)) continue;
    const kind = TRACK_BLOCKS[b.kind];
    for (const line of b.children) {
      const e: TrackEntry = { kind, name: line.words[0], statement: line, block: b };
      for (let i = 1; i < line.words.length; i++) {
        const w = line.words[i].text;
        if (w === 'weight' && line.words[i + 1]) {
          const v = line.words[i + 1];
          if (/^[-+]?\d+$/.test(v.text)) e.weight = { value: Number(v.text), word: v };
          i++;
        } else if (w === 'reverse') e.reverse = true;
        else if (w === 'noreverse' || w === 'no_reverse') e.reverse = false;
      }
      out.push(e);
    }
  }
  return out;
}

export interface ScriptDef {
  name: KaWord;
  block: KaBlock;
  weight: number;
  reverse: boolean;
  script?: KaStatement;
}

export function scriptDefs(doc: KeepalivedDoc): Map<string, ScriptDef> {
  const out = new Map<string, ScriptDef>();
  for (const b of blocksOf(doc, 'vrrp_script')) {
    const name = blockName(b);
    if (!name) continue;
    const w = lastIn(b, 'weight');
    const weight = w?.words[1] && /^[-+]?\d+$/.test(w.words[1].text) ? Number(w.words[1].text) : 0;
    const reverse = w?.words.slice(2).some((x) => x.text === 'reverse') ?? false;
    out.set(name.text, { name, block: b, weight, reverse, script: lastIn(b, 'script') });
  }
  return out;
}

/** Weight a tracked object adds to its instance: the entry's own weight, else the definition's. */
export function effectiveWeight(e: TrackEntry, doc: KeepalivedDoc, scripts: Map<string, ScriptDef>): number {
  if (e.weight) return e.weight.value;
  if (e.kind === 'script') return scripts.get(e.name.text)?.weight ?? 0;
  if (e.kind === 'process') {
    const def = blocksOf(doc, 'vrrp_track_process').find((b) => blockName(b)?.text === e.name.text);
    const w = def && lastIn(def, 'weight')?.words[1];
    return w && /^[-+]?\d+$/.test(w.text) ? Number(w.text) : 0;
  }
  return 0;
}

export interface GlobalSettings {
  blocks: KaBlock[];
  scriptSecurity?: KaStatement;
  strict?: KaStatement;
  version?: KaStatement;
}

export function globals(doc: KeepalivedDoc): GlobalSettings {
  const blocks = blocksOf(doc, 'global_defs');
  const g: GlobalSettings = { blocks };
  for (const b of blocks) {
    g.scriptSecurity = lastIn(b, 'enable_script_security') ?? g.scriptSecurity;
    g.strict = lastIn(b, 'vrrp_strict') ?? g.strict;
    g.version = lastIn(b, 'vrrp_version') ?? g.version;
  }
  return g;
}

/** Text of the statement's first argument, as keepalived reads it. */
export function arg(st: KaStatement | undefined, i = 1): KaWord | undefined {
  return st?.words[i];
}
