// What the other files of a split HAProxy configuration (`haproxy -f conf.d/`, or several `-f`) bring to
// the check of one of its files. HAProxy reads the files one after the other as one configuration:
// - section names (backends, listens, userlists) are resolved after every file was read, so a reference
//   may name a section of any file of the set;
// - a proxy without its own defaults takes the last `defaults` section read before it, which may close an
//   earlier file; `from NAME` may only name a defaults section read before;
// - a proxy name already used by an earlier file is a fatal duplicate.
// A section never continues into the next file (a statement before the first header is out of section).
import type { ProxyModel } from './context';
import type { Section } from '../types';

export interface OuterScope {
  /** Backends and listens declared by the files of the set, by name (the first in load order). */
  backends: Map<string, ProxyModel>;
  /** Userlist names declared by the files of the set. */
  userlists: Set<string>;
  /** A file declares a section inside an undecidable `.if` or under a dynamic name: references stay unjudged. */
  uncertain: boolean;
  /** The last defaults section read before this file: this file's proxies inherit it until it declares its own. */
  lastDefaults?: ProxyModel;
  /** Named defaults sections of the set by name, in load order (a `from` takes the last one read before). */
  namedDefaults: Map<string, ProxyModel[]>;
  /** `default-server` port/check of every defaults section of the set (their own file's facts). */
  defaultServer: Map<Section, { port?: number; check: boolean }>;
  /** Frontends and listens of the set by name (the first in load order). */
  frontends: Map<string, ProxyModel>;
  /** Load position of every file of the set, and of the file being checked: "before" compares these. */
  order: Map<string, number>;
  index: number;
}

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
