import type { Fix, Range, RelatedLocation, RuleMeta } from '../../core/types';
import { fileStart, Reporter } from '../../core/rule';
import type { Loc } from '../../core/facts';
import type { Cluster } from '../model';
import type { GroupMember } from '../groups';

/** Where cluster rules report; the severity comes from the code's metadata (meta.ts). */
export interface ClusterReporter {
  /** `code` without the `cluster/` prefix, or the rule's metadata. */
  report(code: string | RuleMeta, loc: Loc, message: string, related?: RelatedLocation[], fixes?: Fix[]): void;
}

/** Findings of the cluster rules; also their reporter. */
abstract class ClusterFindings extends Reporter implements ClusterReporter {
  report(code: string | RuleMeta, loc: Loc, message: string, related?: RelatedLocation[], fixes?: Fix[]): void {
    this.emit(loc.file, typeof code === 'string' ? `cluster/${code}` : code, loc.range, message, { related, fixes });
  }
}

/** What the rules of one cluster read: the cluster and its VRRP groups (the peers of each VIP). */
export class ClusterContext extends ClusterFindings {
  constructor(
    readonly cluster: Cluster,
    readonly groups: GroupMember[][],
  ) {
    super();
  }

  internalErrorLocation(): { file: string; range: Range } {
    return fileStart(this.cluster.manifest?.file ?? this.cluster.files[0] ?? this.cluster.name);
  }
}

/** What the rules across clusters read: every cluster with its VRRP groups. */
export class CrossClusterContext extends ClusterFindings {
  constructor(readonly all: { cluster: Cluster; groups: GroupMember[][] }[]) {
    super();
  }

  internalErrorLocation(): { file: string; range: Range } {
    const first = this.all[0]?.cluster;
    return fileStart(first?.manifest?.file ?? first?.files[0] ?? 'workspace');
  }
}

export function rel(loc: Loc, message: string): RelatedLocation {
  return { file: loc.file, range: loc.range, message };
}

export function replaceFix(title: string, loc: Loc, newText: string): Fix {
  return { title, file: loc.file, edits: [{ range: loc.range, newText }] };
}
