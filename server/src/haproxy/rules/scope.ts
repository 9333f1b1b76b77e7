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
  /** Backends and listens declared by the other files of the set, by name. */
  backends: Map<string, ProxyModel>;
  /** Userlist names declared by the other files. */
  userlists: Set<string>;
  /** Another file declares a section inside an undecidable `.if` or under a dynamic name: references stay unjudged. */
  uncertain: boolean;
  /** The last defaults section read before this file: this file's proxies inherit it until it declares its own. */
  lastDefaults?: ProxyModel;
  /** Named defaults sections read before this file. */
  namedDefaults: Map<string, ProxyModel>;
  /** `default-server` port/check of those defaults sections (their own file's facts). */
  defaultServer: Map<Section, { port?: number; check: boolean }>;
  /** Frontend and backend names taken by the files read before this one. */
  earlierFrontends: Map<string, ProxyModel>;
  earlierBackends: Map<string, ProxyModel>;
}
