// Keeps the outline lean on big files. Every top-level symbol (section, block) stays; children (servers,
// binds, ACLs, keys…) are kept while the whole outline stays under MAX_OUTLINE_SYMBOLS. Past it, each
// parent keeps the same number of children at most — the largest number the budget allows — so small
// sections stay complete and huge ones are cut, and a cut parent says in its detail what it holds.
// Without this a 30,000-line haproxy.cfg gave a 3.9 MB outline that took VS Code ~70 ms just to decode.
import type { SymbolNode } from './types';

/** About 200 bytes of JSON per symbol: ~1 MB at most for any file. */
export const MAX_OUTLINE_SYMBOLS = 5000;

function count(nodes: SymbolNode[]): number {
  let n = 0;
  for (const s of nodes) n += 1 + count(s.children);
  return n;
}

/**
 * How many children each of the top-level symbols (with `sizes` children each) may keep so that the whole
 * outline stays within `max` symbols. A language builds only the children it keeps.
 */
export function childCap(sizes: number[], max = MAX_OUTLINE_SYMBOLS): number {
  let total = sizes.length;
  for (const size of sizes) total += size;
  if (total <= max) return Infinity;
  return perParentCap(sizes, Math.max(0, max - sizes.length));
}

function perParentCap(sizes: number[], room: number): number {
  let lo = 0;
  let hi = 0;
  for (const size of sizes) hi = Math.max(hi, size);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    let used = 0;
    for (const size of sizes) used += Math.min(size, mid);
    if (used <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What a parent holds, e.g. "3 servers, 1 bind", for a parent whose children are not all listed. */
export function outlineSummary(kinds: Iterable<string>, kept: number): string {
  const byKind = new Map<string, number>();
  let total = 0;
  for (const kind of kinds) {
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    total++;
  }
  const what = [...byKind].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`).join(', ');
  return kept ? `${what} (${total - kept} not listed)` : what;
}

/** The outline within MAX_OUTLINE_SYMBOLS (or `max`); the input is returned as it is when it fits. */
export function limitOutline(nodes: SymbolNode[], max = MAX_OUTLINE_SYMBOLS): SymbolNode[] {
  if (count(nodes) <= max) return nodes;
  // Past the budget the outline is two levels deep: grandchildren are left out.
  const cap = childCap(
    nodes.map((s) => s.children.length),
    max,
  );
  return nodes.map((s) => {
    const kept = s.children.slice(0, cap).map((c) => (c.children.length ? { ...c, children: [] } : c));
    if (kept.length === s.children.length) return { ...s, children: kept };
    const detail = [
      s.detail,
      outlineSummary(
        s.children.map((c) => c.kind),
        kept.length,
      ),
    ]
      .filter(Boolean)
      .join(' · ');
    return { ...s, detail, children: kept };
  });
}
