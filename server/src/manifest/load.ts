import * as path from 'node:path';
import type { Diagnostic } from '../core/types';
import type { SourceHost } from '../core/sourceHost';
import { lineRange } from '../core/range';
import { serviceNodePorts } from './kubernetes';
import { parseManifest } from './parse';
import type { Manifest } from './model';

export interface LoadedManifest {
  manifest: Manifest;
  diagnostics: Diagnostic[];
  /** Every file read besides the manifest (Kubernetes YAML), with its text, for suppression and re-checks. */
  inputs: Map<string, string>;
  /** The manifest's own text, when it could be read. */
  text?: string;
}

/**
 * Reads and validates one haconf.yaml and adds the nodePorts of the Kubernetes Service manifests it
 * points to. Shared by the CLI's workspace check and the language server's model. Never throws.
 */
export function loadManifest(file: string, host: SourceHost): LoadedManifest {
  const read = host.readText(file);
  if (!read.ok) {
    return {
      manifest: { file, dir: path.dirname(file), hosts: [], deploy: { settleSeconds: 3, keepBackups: 5, auditLog: '.haconf/audit.jsonl' } },
      diagnostics: [{ file, range: lineRange(0, 0, 0), severity: 'error', code: 'manifest/syntax', message: read.reason }],
      inputs: new Map(),
    };
  }
  const res = parseManifest(file, read.text, host.isFile ? (p) => host.isFile!(p) : undefined);
  const out: LoadedManifest = { manifest: res.manifest, diagnostics: [...res.diagnostics], inputs: new Map(), text: read.text };
  const k = res.manifest.kubernetes;
  for (const g of k?.manifests ?? []) {
    const matches = host.glob(path.resolve(res.manifest.dir, g.glob));
    if (!matches.length) {
      out.diagnostics.push({ file, range: g.range, severity: 'warning', code: 'manifest/missing-source', message: `kubernetes.manifests: ${g.glob} matches no file (looked in ${res.manifest.dir})` });
    }
    for (const m of matches) {
      const r = host.readText(m);
      if (!r.ok) continue;
      out.inputs.set(m, r.text);
      const ports = serviceNodePorts(m, r.text);
      out.diagnostics.push(...ports.diagnostics);
      for (const p of ports.nodePorts) k!.nodePorts.push({ port: p.value, range: p.loc.range, file: p.loc.file });
    }
  }
  return out;
}
