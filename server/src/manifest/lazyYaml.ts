// The YAML library (~160 KB of the CLI bundle) is loaded when a YAML file is first read (haconf.yaml, a
// Kubernetes manifest, an Ansible inventory or playbook): imported, it was initialised at every start of
// `haconf check`, even for a lone haproxy.cfg. Same names and types as the library's, so callers only
// change their import line; a LineCounter is made with newLineCounter().
import type * as Yaml from 'yaml';

export type { Document, LineCounter, Node } from 'yaml';

let lib: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('yaml') as typeof Yaml;
  return lib;
}

export const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
export const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
export const parse = ((...args: Parameters<typeof Yaml.parse>) => yaml().parse(...args)) as typeof Yaml.parse;
export const parseDocument = ((...args: Parameters<typeof Yaml.parseDocument>) => yaml().parseDocument(...args)) as typeof Yaml.parseDocument;
export const parseAllDocuments = ((...args: Parameters<typeof Yaml.parseAllDocuments>) => yaml().parseAllDocuments(...args)) as typeof Yaml.parseAllDocuments;

export function newLineCounter(): Yaml.LineCounter {
  return new (yaml().LineCounter)();
}
