import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import type { SourceHost } from '../core/sourceHost';
import { applyPolicy, sortDiagnostics } from '../core/policy';
import { parseManifest, type ManifestResult } from '../manifest/parse';
import type { Manifest } from '../manifest/model';
import { buildClusters, type Cluster, type WorkspaceEntry } from '../cluster/model';
import { checkClusters } from '../cluster/rules';
import { serviceNodePorts } from '../cluster/kubernetes';
import { checkFile, type FileCheckOutcome, type FileCheckResult } from './check';

export interface WorkspaceInput {
  files: { file: string; language?: Language }[];
  manifests: string[];
}

export interface WorkspaceResult {
  files: FileCheckOutcome[];
  manifests: ManifestResult[];
  clusters: Cluster[];
  /** Every finding: per-file, manifest and cluster, after suppression and severity overrides. */
  diagnostics: Diagnostic[];
}

/** Checks a set of files as one workspace: each file alone, then each cluster across its files. */
export function checkWorkspace(input: WorkspaceInput, options: CheckOptions, host: SourceHost, forced?: Language): WorkspaceResult {
  const files: FileCheckOutcome[] = [];
  const texts = new Map<string, string>();
  const entries: WorkspaceEntry[] = [];
  const raw: Diagnostic[] = [];
  for (const f of input.files) {
    const outcome = checkFile(f.file, options, host, forced ?? f.language);
    files.push(outcome);
    if ('error' in outcome) continue;
    for (const [p, t] of outcome.sources) texts.set(p, t);
    entries.push(toEntry(outcome));
  }
  const manifests: ManifestResult[] = [];
  const parsed: Manifest[] = [];
  for (const m of input.manifests) {
    const read = host.readText(m);
    if (!read.ok) {
      raw.push({ file: m, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'manifest/syntax', message: read.reason });
      continue;
    }
    texts.set(m, read.text);
    const res = parseManifest(m, read.text);
    manifests.push(res);
    raw.push(...res.diagnostics);
    addKubernetesPorts(res.manifest, host, texts, raw);
    parsed.push(res.manifest);
  }
  // Manifest sources that the walk did not find (outside the checked folders) still belong to the cluster.
  const known = new Set(entries.map((e) => e.file));
  for (const m of parsed) {
    for (const h of m.hosts) {
      for (const f of h.files) {
        if (known.has(f.sourceAbs)) continue;
        known.add(f.sourceAbs);
        const outcome = checkFile(f.sourceAbs, options, host, f.kind);
        if ('error' in outcome) continue;
        files.push(outcome);
        for (const [p, t] of outcome.sources) texts.set(p, t);
        entries.push(toEntry(outcome));
      }
    }
  }
  const clusters = buildClusters(entries, parsed);
  raw.push(...checkClusters(clusters));
  const perFile = files.flatMap((f) => ('error' in f ? [] : f.diagnostics));
  const diagnostics = sortDiagnostics([...perFile, ...applyPolicy(raw, (f) => texts.get(f), options)]);
  return { files, manifests, clusters, diagnostics };
}

function toEntry(r: FileCheckResult): WorkspaceEntry {
  return { file: r.file, ...r.facts };
}

function addKubernetesPorts(m: Manifest, host: SourceHost, texts: Map<string, string>, raw: Diagnostic[]): void {
  if (!m.kubernetes) return;
  for (const g of m.kubernetes.manifests) {
    const matches = host.glob(path.resolve(m.dir, g.glob));
    if (matches.length === 0) {
      raw.push({ file: m.file, range: g.range, severity: 'warning', code: 'manifest/missing-source', message: `kubernetes.manifests: ${g.glob} matches no file (looked in ${m.dir})` });
    }
    for (const f of matches) {
      const read = host.readText(f);
      if (!read.ok) continue;
      texts.set(f, read.text);
      const ports = serviceNodePorts(f, read.text);
      raw.push(...ports.diagnostics);
      for (const p of ports.nodePorts) m.kubernetes.nodePorts.push({ port: p.value, range: p.loc.range, file: p.loc.file });
    }
  }
}
