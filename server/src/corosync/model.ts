// What the rules need to know about a parsed file, computed once: the effective value of each setting
// (corosync merges repeated sections and lets the last key win) and the nodelist.
import type { CorosyncDoc, KeyNode, SectionNode } from './parser';

export interface NodeInfo {
  section: SectionNode;
  /** Keys of this node block by name (last one wins, as in the daemon). */
  keys: Map<string, KeyNode>;
}

export interface CorosyncModel {
  doc: CorosyncDoc;
  /** `totem.transport` → last key node; `totem.interface.bindnetaddr` collects every interface block. */
  last: Map<string, KeyNode>;
  /** All key nodes per full path, in file order. */
  all: Map<string, KeyNode[]>;
  sections: Map<string, SectionNode[]>;
  nodes: NodeInfo[];
  nodelists: SectionNode[];
  /** Transport in effect: the last `totem.transport`, else knet (the 3.x default). */
  transport: string;
  transportKey?: KeyNode;
}

export function buildModel(doc: CorosyncDoc): CorosyncModel {
  const last = new Map<string, KeyNode>();
  const all = new Map<string, KeyNode[]>();
  const sections = new Map<string, SectionNode[]>();
  for (const k of doc.keys) {
    const p = k.sectionPath === '' ? k.key.text : `${k.sectionPath}.${k.key.text}`;
    last.set(p, k);
    const list = all.get(p);
    if (list) list.push(k);
    else all.set(p, [k]);
  }
  for (const s of doc.sections) {
    const list = sections.get(s.path);
    if (list) list.push(s);
    else sections.set(s.path, [s]);
  }
  const nodes: NodeInfo[] = (sections.get('nodelist.node') ?? []).map((section) => {
    const keys = new Map<string, KeyNode>();
    for (const c of section.children) if (c.kind === 'key') keys.set(c.key.text, c);
    return { section, keys };
  });
  const transportKey = last.get('totem.transport');
  return {
    doc,
    last,
    all,
    sections,
    nodes,
    nodelists: sections.get('nodelist') ?? [],
    transport: transportKey?.value.text ?? 'knet',
    transportKey,
  };
}

/** Value of a setting parsed as the daemon's unsigned integer, or undefined when absent or malformed. */
export function uintOf(k: KeyNode | undefined): number | undefined {
  if (!k || !/^\+?\d+$/.test(k.value.text)) return undefined;
  const v = Number(k.value.text);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** votequorum flags are on for any non-zero integer. */
export function flagOn(k: KeyNode | undefined): boolean {
  const v = uintOf(k);
  return v !== undefined && v !== 0;
}
