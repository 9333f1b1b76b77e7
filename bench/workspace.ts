// Cross-file scale, in a fresh process per run: walk a generated workspace of C clusters and check it
// as `haconf check DIR` does (every file, then cluster grouping and the cross-file rules).
// Prints {ms, rssMB, files, clusters, diagnostics} as JSON.   node --import tsx bench/workspace.ts DIR
import { collectFiles } from '../server/src/engine/collect';
import { checkWorkspace } from '../server/src/engine/workspace';
import { NodeSourceHost } from '../server/src/core/sourceHost';
import { defaultCheckOptions } from '../server/src/core/types';

export interface WorkspaceRun {
  ms: number;
  rssMB: number;
  files: number;
  clusters: number;
  diagnostics: number;
}

if (require.main === module) {
  const dir = process.argv[2];
  const t = performance.now();
  const collected = collectFiles([dir]);
  const ws = checkWorkspace({ files: collected.files, manifests: collected.manifests }, defaultCheckOptions(), new NodeSourceHost());
  const ms = performance.now() - t;
  const run: WorkspaceRun = {
    ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    files: ws.files.length,
    clusters: ws.clusters.length,
    diagnostics: ws.diagnostics.length,
  };
  process.stdout.write(JSON.stringify(run) + '\n');
}
