// The answers of `haconf init` as text (what the CLI's flags and questions and the VS Code command's input
// boxes collect), turned into a ScaffoldInput. Shared by the CLI and the language server so both read the
// same shapes ("lb1=10.0.0.11,lb2=10.0.0.12", "80:30080,30443", "10.0.0.10/24") the same way.
import * as path from 'node:path';
import { isInside } from '../core/safeWrite';
import { hasGlobMagic } from '../core/glob';
import { NodeSourceHost, readRegularFile } from '../core/sourceHost';
import { DEFAULT_HAPROXY_VERSION } from '../core/types';
import { KINDS, ScaffoldError, isClusterKind, type ScaffoldInput } from './plan';

export interface InitAnswers {
  kind?: string;
  name?: string;
  /** VIP with prefix, `192.168.10.10/24`. */
  vip?: string;
  /** `name=ip` pairs, comma- or blank-separated; a bare IP is named lbN. */
  nodes?: string;
  /** `[LISTEN:]NODEPORT` list. */
  nodePorts?: string;
  /** Kubernetes Service files (globs allowed), relative to the working folder. */
  services?: string;
  workers?: string;
  apiservers?: string;
  frontendPort?: string;
  iface?: string;
  haproxyVersion?: string;
  vrid?: string;
  weight?: string;
  sshUser?: string;
}

export const splitList = (s: string | undefined): string[] => (s ?? '').split(/[\s,]+/).filter(Boolean);

function int(s: string | undefined, what: string): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  if (!/^\d+$/.test(s.trim())) throw new ScaffoldError(`${what} must be a whole number, not '${s}'`);
  return Number(s);
}

function parseNodes(s: string): { name: string; address: string }[] {
  return splitList(s).map((item, i) => {
    const eq = item.indexOf('=');
    return eq > 0 ? { name: item.slice(0, eq), address: item.slice(eq + 1) } : { name: `lb${i + 1}`, address: item };
  });
}

/** Reads the Service files (globs allowed) as regular files only, noting which lie inside the output folder. */
function readServices(spec: string | undefined, cwd: string, root: string): NonNullable<ScaffoldInput['serviceFiles']> {
  const host = new NodeSourceHost();
  const out: NonNullable<ScaffoldInput['serviceFiles']> = [];
  for (const item of splitList(spec)) {
    const abs = path.resolve(cwd, item);
    const matches = hasGlobMagic(abs) ? host.glob(abs) : [abs];
    if (!matches.length) throw new ScaffoldError(`Service files: ${item} matches no file`);
    for (const file of matches) {
      const r = readRegularFile(file);
      if (!r.ok) throw new ScaffoldError(`cannot read the Service file ${item}: ${r.reason}`);
      out.push({ path: path.relative(cwd, file) || file, relative: isInside(root, file) ? path.relative(root, file) : undefined, text: r.text });
    }
  }
  return out;
}

/** Which required answers are still missing, named as the CLI's flags. */
export function missingAnswers(a: InitAnswers): string[] {
  const out: string[] = [];
  if (!a.kind) out.push('--kind');
  if (!a.vip) out.push('--vip');
  if (!a.nodes) out.push('--nodes');
  if (a.kind !== 'apiserver') {
    if (!a.nodePorts && !a.services) out.push('--nodeports or --services');
    if (!a.workers) out.push('--workers');
  }
  return out;
}

/** The default cluster name for a folder: its base name, made safe. */
export function defaultClusterName(root: string): string {
  return (
    path
      .basename(root)
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'cluster'
  );
}

/** Answers → engine input. `cwd` resolves Service file paths; `root` is the folder the cluster goes to. */
export function answersToInput(a: InitAnswers, cwd: string, root: string): ScaffoldInput {
  if (!a.kind || !isClusterKind(a.kind)) throw new ScaffoldError(`the kind must be ${KINDS.map((k) => k.kind).join(', ')}, not '${a.kind ?? ''}'`);
  const vip = /^([^/]+)\/(\d{1,2})$/.exec((a.vip ?? '').trim());
  if (!vip) throw new ScaffoldError(`the VIP needs its prefix, e.g. 192.168.10.10/24, not '${a.vip ?? ''}'`);
  const kind = a.kind;
  return {
    kind,
    cluster: a.name?.trim() || defaultClusterName(root),
    vip: vip[1],
    prefix: Number(vip[2]),
    nodes: parseNodes(a.nodes ?? ''),
    iface: a.iface?.trim() || undefined,
    haproxyVersion: a.haproxyVersion?.trim() || DEFAULT_HAPROXY_VERSION,
    ports: splitList(a.nodePorts),
    serviceFiles: readServices(a.services, cwd, root),
    backends: splitList(kind === 'apiserver' ? a.apiservers : a.workers),
    frontendPort: int(a.frontendPort, 'the frontend port'),
    vrid: int(a.vrid, 'the VRID'),
    weight: int(a.weight, 'the check weight'),
    sshUser: a.sshUser?.trim() || undefined,
  };
}
