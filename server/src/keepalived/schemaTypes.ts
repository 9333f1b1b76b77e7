// The keepalived schema adds block nesting to the shared KeywordSchema: which keyword opens which block
// kind under which parent, and whether the block holds keywords or data lines (addresses, names).
import type { KeywordSchema } from '../core/schema';

export interface BlockEdge {
  /** Kind of the enclosing block; `root` for the top level. */
  parent: string;
  /** Keyword that opens the block (`vrrp_instance`, `HTTP_GET`, `track_file`…). */
  keyword: string;
  /** Block kind id; usually the keyword, qualified where one keyword opens different blocks. */
  kind: string;
  /** True when the block's lines are data read as a whole (virtual_ipaddress, track_script…), not keywords. */
  value: boolean;
}

export interface KeepalivedSchema extends KeywordSchema {
  blocks: BlockEdge[];
}
