import * as path from 'node:path';
import { ResponseError, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { isInside, UnsafeLocalPathError } from '../core/safeWrite';
import { buildScaffold, existingFiles, summarizeScaffold, writeScaffold, ScaffoldError, KINDS } from '../scaffold';
import { answersToInput, type InitAnswers } from '../scaffold/answers';
import { vrrpGroups } from '../cluster/groups';
import type { Cluster } from '../cluster/model';

import { SCAFFOLD, SCAFFOLD_KINDS, type ScaffoldReply } from '../protocol';
import { onRequest } from './customMethods';

/**
 * "haconf: New HA Cluster…" runs the same engine as `haconf init` here, in the server: the client only asks
 * the questions. A first call with write=false proves the files (failover simulation, full check) and says
 * what would be written and what exists; the second writes. Writing is refused in Restricted Mode and
 * outside the workspace folders.
 */
/** VRIDs the workspace's clusters use, so a new cluster picks another (cluster/vrid-collision would flag it). */
export function workspaceVrids(clusters: readonly Cluster[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of clusters) {
    for (const g of vrrpGroups(c)) for (const m of g) if (m.inst.vrid && !out.has(m.inst.vrid.value)) out.set(m.inst.vrid.value, c.name);
    // A lone keepalived file (no peer yet) still takes its VRID on the segment.
    for (const n of c.nodes) for (const i of n.keepalived?.instances ?? []) if (i.vrid && !out.has(i.vrid.value)) out.set(i.vrid.value, c.name);
  }
  return out;
}

export function registerScaffoldRequests(connection: Connection, folders: () => string[], isTrusted: () => boolean, clusters: () => readonly Cluster[], written: (files: string[]) => void): void {
  onRequest(connection, SCAFFOLD_KINDS, () => KINDS);
  onRequest(connection, SCAFFOLD, (p): ScaffoldReply => {
    if (!p || typeof p.folder !== 'string' || !path.isAbsolute(p.folder) || typeof p.answers !== 'object' || p.answers === null) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'haconf: scaffold needs an absolute folder and the answers');
    }
    if (!isTrusted()) throw new ResponseError(ErrorCodes.InvalidRequest, 'haconf: creating a cluster writes files, which Restricted Mode forbids; trust this workspace first.');
    const root = path.resolve(p.folder);
    const home = folders().find((f) => isInside(path.resolve(f), root));
    if (!home) return { ok: false, message: `${root} is not inside an open workspace folder; haconf writes only there` };
    // Only strings reach the engine, whatever the client sent.
    const answers: InitAnswers = {};
    for (const [k, v] of Object.entries(p.answers)) if (typeof v === 'string') (answers as Record<string, string>)[k] = v;
    try {
      // Files being replaced (Overwrite) do not count against their own VRID.
      const used = workspaceVrids(clusters().filter((c) => !c.files.some((f) => isInside(root, f))));
      const result = buildScaffold(root, { ...answersToInput(answers, home, root), usedVrids: used });
      const existing = existingFiles(root, result.files);
      let written = false;
      if (p.write) {
        writeScaffold(root, result.files, p.force === true);
        written = true;
        writtenFiles(root, [...result.files.keys()]);
      }
      return { ok: true, cluster: result.plan.cluster, summary: summarizeScaffold(result), files: [...result.files.keys()], existing, written };
    } catch (e) {
      if (e instanceof ScaffoldError || e instanceof UnsafeLocalPathError || (e as NodeJS.ErrnoException).code !== undefined) return { ok: false, message: (e as Error).message };
      throw e;
    }
  });

  function writtenFiles(root: string, rel: string[]): void {
    written(rel.map((f) => path.join(root, f)));
  }
}
