// Which cluster the deploy picker offers first: the one holding the active file. No `vscode` import, so
// the unit tests load it directly.
import type { DeployTarget } from '../../server/src/protocol';

/** The targets with the active file's cluster first (the picker preselects the first item); others keep their order. */
export function orderTargets(targets: DeployTarget[], activeFile: string | undefined): { targets: DeployTarget[]; own?: DeployTarget } {
  const own = activeFile ? targets.find((t) => t.files.includes(activeFile) || t.manifest === activeFile) : undefined;
  return { targets: own ? [own, ...targets.filter((t) => t !== own)] : targets, own };
}
