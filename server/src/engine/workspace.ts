// `haconf check` and the other one-shot commands: one full pass of the workspace model (engine/model.ts)
// over the files the CLI collected, then the findings read back. The language server runs the same model
// incrementally, so both report the same findings (test/unit/pipeline-differential.test.ts).
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { SourceHost } from '../core/sourceHost';
import type { LoadedManifest } from '../manifest/load';
import type { Cluster } from '../cluster/model';
import { readConfig } from './check';
import type { HaproxySet } from './haproxySets';
import { WorkspaceModel } from './model';

export interface WorkspaceInput {
  files: { file: string; language?: Language }[];
  manifests: string[];
}

/** A file named for the check: read and recognised, or why not. */
export type WorkspaceFile = { file: string; language: Language } | { file: string; error: string };

export interface WorkspaceResult {
  /** The named files (each once) and the files the model added (manifest sources, conf.d companions). */
  files: WorkspaceFile[];
  manifests: LoadedManifest[];
  clusters: readonly Cluster[];
  /** Split HAProxy configurations whose files were checked together. */
  haproxySets: readonly HaproxySet[];
  /** Every finding: per-file, manifest and cluster, after suppression and severity overrides. */
  diagnostics: Diagnostic[];
  /** Files not checked on their own because a file checked before them includes them (their findings come from there). */
  coveredFiles: string[];
  /** The model after the pass, for callers that read more than the findings. */
  model: WorkspaceModel;
}

/** Checks a set of files as one workspace: each file, split HAProxy sets, manifests and clusters. Never throws on bad input. */
export function checkWorkspace(input: WorkspaceInput, options: CheckOptions, host: SourceHost, forced?: Language): WorkspaceResult {
  // Nothing is edited after this pass: the analysis need not keep what only a re-check would reuse.
  const model = new WorkspaceModel(host, { ...options, oneShot: true });
  const errors: WorkspaceFile[] = [];
  const found: { file: string; language: Language; text: string }[] = [];
  const named = new Set<string>();
  for (const f of input.files) {
    const abs = path.resolve(f.file);
    if (named.has(abs)) continue;
    named.add(abs);
    const r = readConfig(f.file, host, forced ?? f.language);
    if ('error' in r) errors.push(r);
    else found.push(r);
  }
  // One pass: every file analysed (each include read in the context of the first file that includes it),
  // manifests and the files they name, split HAProxy sets, then the clusters.
  model.addScanned(found, [...new Set(input.manifests.map((m) => path.resolve(m)))]);
  const files: WorkspaceFile[] = [...errors, ...model.allFiles().map((f) => ({ file: f.file, language: f.language }))];
  return {
    files,
    manifests: model.loadedManifests().filter((m) => m.text !== undefined),
    clusters: model.clusters,
    haproxySets: model.haproxySetList,
    diagnostics: model.allDiagnostics(),
    coveredFiles: model.coveredFiles(),
    model,
  };
}
