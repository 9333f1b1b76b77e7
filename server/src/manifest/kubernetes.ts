import { newLineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Node } from './lazyYaml';
import type { Diagnostic } from '../core/types';
import type { Located } from '../core/facts';

export interface ServicePorts {
  nodePorts: Located<number>[];
  diagnostics: Diagnostic[];
}

/**
 * nodePort values of the Service objects (type NodePort or LoadBalancer) in a Kubernetes YAML file.
 * Other kinds are ignored; a YAML error is one finding on that file.
 */
export function serviceNodePorts(file: string, text: string): ServicePorts {
  const lc = newLineCounter();
  const out: ServicePorts = { nodePorts: [], diagnostics: [] };
  const range = (a: number, b: number) => {
    const s = lc.linePos(a);
    const e = lc.linePos(b);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  } catch (e) {
    out.diagnostics.push({ file, range: range(0, 0), severity: 'error', code: 'manifest/syntax', message: `${file}: cannot read as YAML: ${(e as Error).message}` });
    return out;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length) {
      const e = doc.errors[0];
      out.diagnostics.push({ file, range: range(e.pos[0], e.pos[1]), severity: 'error', code: 'manifest/syntax', message: `YAML error in Kubernetes manifest: ${e.message.split('\n')[0]}` });
      continue;
    }
    const root = doc.contents as Node | null;
    if (!isMap(root)) continue;
    if (root.get('kind') !== 'Service') continue;
    const spec = root.get('spec', true);
    if (!isMap(spec)) continue;
    const type = spec.get('type');
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    const ports = spec.get('ports', true);
    if (!isSeq(ports)) continue;
    for (const p of ports.items) {
      if (!isMap(p)) continue;
      const np = p.get('nodePort', true);
      if (isScalar(np) && typeof np.value === 'number' && np.range) {
        out.nodePorts.push({ value: np.value, loc: { file, range: range(np.range[0], np.range[1]) } });
      }
    }
  }
  return out;
}
