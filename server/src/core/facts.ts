// Normalised facts each language module extracts from its syntax tree for the cross-file rules. The
// cluster layer never walks syntax trees itself, so parsers can change without touching these rules.
import type { Range } from './types';

export interface Loc {
  file: string;
  range: Range;
}

export interface Located<T> {
  value: T;
  loc: Loc;
}

export interface VrrpScriptFact {
  name: string;
  /** The script line, as keepalived will run it. */
  command?: Located<string>;
  weight: number;
  reverse: boolean;
  loc: Loc;
}

export interface VrrpTrackFact {
  name: string;
  /** `track_script { name weight W }` overrides the script's weight. */
  weight?: number;
  reverse?: boolean;
  loc: Loc;
}

export interface VrrpInstanceFact {
  file: string;
  name: string;
  loc: Loc;
  state?: Located<string>;
  priority?: Located<number>;
  vrid?: Located<number>;
  advertInt?: Located<number>;
  authType?: Located<string>;
  authPass?: Located<string>;
  /** Addresses as written, without options (`10.0.0.10/24`). */
  vips: Located<string>[];
  vipBlock?: Loc;
  iface?: Located<string>;
  unicastSrcIp?: Located<string>;
  unicastPeers: Located<string>[];
  unicastPeerBlock?: Loc;
  nopreempt: boolean;
  /** Name of the vrrp_sync_group holding the instance, if any. */
  syncGroup?: string;
  syncGroupTrackingWeight: boolean;
  tracks: VrrpTrackFact[];
  version: 2 | 3;
}

export interface KeepalivedFacts {
  file: string;
  instances: VrrpInstanceFact[];
  scripts: Map<string, VrrpScriptFact>;
}

export interface HaproxyBindFact {
  proxy: string;
  /** Host part as written; '' or '*' or '::' for wildcards. */
  host: string;
  port?: number;
  portEnd?: number;
  loc: Loc;
}

export interface HaproxyServerFact {
  name: string;
  host?: string;
  port?: number;
  checkPort?: number;
  loc: Loc;
}

export interface HaproxyBackendFact {
  /** backend or listen section name. */
  name: string;
  loc: Loc;
  servers: HaproxyServerFact[];
}

export interface HaproxyFacts {
  file: string;
  binds: HaproxyBindFact[];
  backends: HaproxyBackendFact[];
  /** Digest of the statements with comments, blank lines and indentation left out, to compare files
   * across hosts without keeping a copy of each. */
  fingerprint: string;
}

export interface CorosyncNodeFact {
  name?: Located<string>;
  nodeid?: Located<number>;
  ring0?: Located<string>;
  loc: Loc;
}

export interface CorosyncFacts {
  file: string;
  nodes: CorosyncNodeFact[];
  nodelist?: Loc;
}
