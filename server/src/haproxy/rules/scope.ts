// What the other files of a split HAProxy configuration (`haproxy -f conf.d/`, or several `-f`) bring to
// the check of one of its files. HAProxy reads the files one after the other as one configuration:
// - section names (backends, listens, userlists) are resolved after every file was read, so a reference
//   may name a section of any file of the set;
// - a proxy without its own defaults takes the last `defaults` section read before it, which may close an
//   earlier file; `from NAME` may only name a defaults section read before;
// - a proxy name already used by an earlier file is a fatal duplicate.
// A section never continues into the next file (a statement before the first header is out of section).
import type { OuterScope, ProxyModel } from './context';

/** Whether `p` (from the set) was read before the file being checked. */
export function readBefore(outer: OuterScope, p: ProxyModel): boolean {
  return (outer.order.get(p.file) ?? Infinity) < outer.index;
}

/** The named defaults section `name` read last before the file being checked. */
export function earlierNamedDefaults(outer: OuterScope | undefined, name: string): ProxyModel | undefined {
  const list = outer?.namedDefaults.get(name);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (readBefore(outer!, list[i])) return list[i];
  return undefined;
}

/** The proxy named `name` in `first` when it was read before the file being checked. */
export function earlierProxy(outer: OuterScope | undefined, first: 'frontends' | 'backends', name: string): ProxyModel | undefined {
  const p = outer?.[first].get(name);
  return p && readBefore(outer!, p) ? p : undefined;
}
