import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Diagnostic, Language, Range, Severity } from '../core/types';
import { isRegularFile } from '../core/sourceHost';
import { parseCidr } from '../core/net';
import { MANIFEST_SPEC, type FieldSpec } from './fields';
import { DEFAULT_SERVICES, type Manifest, type ManifestFile, type ManifestHost, type ServiceCommands, type SshSettings } from './model';
import { knownHostsPathProblem, unsafeTargetReason } from './paths';

/** A validated value with its location; objects and arrays hold validated children only. */
type Val =
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'number'; value: number; range: Range }
  | { kind: 'boolean'; value: boolean; range: Range }
  | { kind: 'object'; fields: Map<string, Val>; range: Range; keyRanges: Map<string, Range> }
  | { kind: 'array'; items: Val[]; range: Range };

export interface ManifestResult {
  manifest: Manifest;
  diagnostics: Diagnostic[];
}

/** Parses and validates haconf.yaml text. Never throws; every problem is a `manifest/…` finding. */
export function parseManifest(file: string, text: string, fileExists: (abs: string) => boolean = isRegularFile): ManifestResult {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const diagnostics: Diagnostic[] = [];
  const lc = new LineCounter();
  const toRange = (start: number, end: number): Range => {
    const a = lc.linePos(start);
    const b = lc.linePos(Math.max(start, end));
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const report = (code: string, range: Range, message: string, severity: Severity = 'error'): void => {
    diagnostics.push({ file: abs, range, severity, code: `manifest/${code}`, message });
  };
  const manifest: Manifest = { file: abs, dir, hosts: [], deploy: { settleSeconds: 3, keepBackups: 5, auditLog: '.haconf/audit.jsonl' } };

  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) report('syntax', toRange(e.pos[0], e.pos[1]), `YAML error in ${path.basename(abs)}: ${e.message.split('\n')[0]}`);
  if (doc.errors.length && !doc.contents) return { manifest, diagnostics };

  const nodeRange = (n: Node | null | undefined): Range => {
    const r = n?.range;
    return r ? toRange(r[0], r[1]) : toRange(0, 0);
  };

  const check = (node: Node | null | undefined, spec: FieldSpec, where: string): Val | undefined => {
    const range = nodeRange(node);
    switch (spec.type) {
      case 'object': {
        if (!isMap(node)) {
          report('invalid-value', range, `${where} must be a mapping of fields`);
          return undefined;
        }
        const fields = new Map<string, Val>();
        const keyRanges = new Map<string, Range>();
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          const kr = nodeRange(pair.key as Node);
          if (key === undefined) {
            report('invalid-value', kr, `${where}: keys must be plain names`);
            continue;
          }
          const sub = spec.properties[key] ?? spec.additional;
          if (!sub) {
            const known = Object.keys(spec.properties);
            report('unknown-field', kr, `${where}: unknown field '${key}'; expected one of ${known.join(', ')}`);
            continue;
          }
          keyRanges.set(key, kr);
          const v = check(pair.value as Node, sub, `${where}.${key}`);
          if (v) fields.set(key, v);
        }
        for (const req of spec.required ?? []) {
          if (!keyRanges.has(req)) report('missing-field', range, `${where} needs '${req}'`);
        }
        return { kind: 'object', fields, keyRanges, range };
      }
      case 'array': {
        if (!isSeq(node)) {
          report('invalid-value', range, `${where} must be a list`);
          return undefined;
        }
        if (spec.minItems && node.items.length < spec.minItems) report('missing-field', range, `${where} needs at least ${spec.minItems} entr${spec.minItems === 1 ? 'y' : 'ies'}`);
        const items: Val[] = [];
        node.items.forEach((it, i) => {
          const v = check(it as Node, spec.items, `${where}[${i}]`);
          if (v) items.push(v);
        });
        return { kind: 'array', items, range };
      }
      case 'integer': {
        const v = isScalar(node) ? node.value : undefined;
        if (typeof v !== 'number' || !Number.isInteger(v)) {
          report('invalid-value', range, `${where} must be an integer`);
          return undefined;
        }
        if ((spec.minimum !== undefined && v < spec.minimum) || (spec.maximum !== undefined && v > spec.maximum)) {
          report('invalid-value', range, `${where} must be between ${spec.minimum} and ${spec.maximum}, not ${v}`);
          return undefined;
        }
        return { kind: 'number', value: v, range };
      }
      case 'boolean': {
        const v = isScalar(node) ? node.value : undefined;
        if (typeof v !== 'boolean') {
          report('invalid-value', range, `${where} must be true or false`);
          return undefined;
        }
        return { kind: 'boolean', value: v, range };
      }
      case 'string': {
        const raw = isScalar(node) ? node.value : undefined;
        if (raw === null || raw === undefined || typeof raw === 'object') {
          report('invalid-value', range, `${where} must be a string`);
          return undefined;
        }
        const v = String(raw);
        if (spec.enum && !spec.enum.includes(v)) {
          report('invalid-value', range, `${where} must be one of ${spec.enum.map((e) => `"${e}"`).join(', ')}, not "${v}"`);
          return undefined;
        }
        if (spec.pattern && !new RegExp(spec.pattern).test(v)) {
          report('invalid-value', range, `${where} "${v}" does not match ${spec.pattern}`);
          return undefined;
        }
        return { kind: 'string', value: v, range };
      }
    }
  };

  const root = check(doc.contents as Node, MANIFEST_SPEC, 'haconf.yaml');
  if (!root || root.kind !== 'object') return { manifest, diagnostics };

  const str = (o: Val | undefined, k: string): string | undefined => {
    const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
    return v?.kind === 'string' ? v.value : undefined;
  };
  const num = (o: Val | undefined, k: string): number | undefined => {
    const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
    return v?.kind === 'number' ? v.value : undefined;
  };
  const obj = (o: Val | undefined, k: string): Val | undefined => {
    const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
    return v?.kind === 'object' ? v : undefined;
  };
  const arr = (o: Val | undefined, k: string): Val[] => {
    const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
    return v?.kind === 'array' ? v.items : [];
  };
  const fieldRange = (o: Val, k: string): Range => (o.kind === 'object' ? o.fields.get(k)?.range ?? o.range : o.range);

  manifest.cluster = str(root, 'cluster');
  if (root.kind === 'object' && root.fields.has('cluster')) manifest.clusterRange = fieldRange(root, 'cluster');

  const sshOf = (v: Val | undefined): Partial<SshSettings> => {
    if (!v) return {};
    const out: Partial<SshSettings> = {};
    for (const k of ['host', 'user', 'identityFile', 'knownHostsFile'] as const) {
      const s = str(v, k);
      if (s !== undefined) out[k] = s;
    }
    const kh = out.knownHostsFile;
    const khProblem = kh !== undefined ? knownHostsPathProblem(dir, kh) : undefined;
    if (khProblem) report('unsafe-path', fieldRange(v, 'knownHostsFile'), `knownHostsFile ${kh} ${khProblem}`);
    const shk = str(v, 'strictHostKeyChecking');
    if (shk === 'yes' || shk === 'accept-new') out.strictHostKeyChecking = shk;
    const port = num(v, 'port');
    if (port !== undefined) out.port = port;
    const ct = num(v, 'connectTimeout');
    if (ct !== undefined) out.connectTimeout = ct;
    return out;
  };
  const servicesOf = (v: Val | undefined): Partial<Record<Language, ServiceCommands>> => {
    const out: Partial<Record<Language, ServiceCommands>> = {};
    for (const lang of ['haproxy', 'keepalived', 'corosync'] as const) {
      const s = obj(v, lang);
      if (!s) continue;
      const cmds: ServiceCommands = {};
      for (const k of ['validate', 'reload', 'status'] as const) {
        const c = str(s, k);
        if (c === undefined) continue;
        if (k === 'validate' && !c.includes('{file}')) {
          report('invalid-value', fieldRange(s, k), `services.${lang}.validate must contain {file}, the candidate path, or it would validate the live file instead`);
          continue;
        }
        cmds[k] = c;
      }
      out[lang] = cmds;
    }
    return out;
  };
  const filesOf = (list: Val[]): ManifestFile[] => {
    const out: ManifestFile[] = [];
    for (const f of list) {
      const source = str(f, 'source');
      const target = str(f, 'target');
      if (source === undefined || target === undefined) continue;
      const sourceAbs = path.resolve(dir, source);
      const targetRange = fieldRange(f, 'target');
      const sourceRange = fieldRange(f, 'source');
      const unsafe = unsafeTargetReason(target);
      if (unsafe) {
        report('unsafe-path', targetRange, `target "${target}" ${unsafe}; haconf refuses to build remote commands from it`);
        continue;
      }
      if (!fileExists(sourceAbs)) {
        report('missing-source', sourceRange, `source file ${source} does not exist (looked in ${dir}); create it or fix the path`);
      }
      const kind = str(f, 'kind') as Language | undefined;
      out.push({ source, sourceAbs, target, kind, mode: str(f, 'mode'), range: f.range, sourceRange, targetRange });
    }
    return out;
  };

  const defaults = obj(root, 'defaults');
  const defSsh = sshOf(obj(defaults, 'ssh'));
  const defFiles = filesOf(arr(defaults, 'files'));
  const defServices = servicesOf(obj(defaults, 'services'));

  const byName = new Map<string, ManifestHost>();
  const byAddress = new Map<string, ManifestHost>();
  for (const h of arr(root, 'hosts')) {
    const name = str(h, 'name');
    const address = str(h, 'address');
    if (name === undefined || address === undefined) continue;
    const nameRange = fieldRange(h, 'name');
    const addressRange = fieldRange(h, 'address');
    const cidr = parseCidr(address);
    if (!cidr) {
      report('invalid-address', addressRange, `host ${name}: "${address}" is not an IP address with an optional /prefix, e.g. 172.16.10.100/24`);
    } else if (cidr.prefix === undefined) {
      report('invalid-address', addressRange, `host ${name}: add the prefix length (e.g. ${address}/24) so VIP subnet checks can run`, 'information');
    }
    const files = [...defFiles, ...filesOf(arr(h, 'files'))];
    const hostServices = servicesOf(obj(h, 'services'));
    const services: Partial<Record<Language, ServiceCommands>> = {};
    for (const lang of ['haproxy', 'keepalived', 'corosync'] as const) {
      services[lang] = { ...DEFAULT_SERVICES[lang], ...defServices[lang], ...hostServices[lang] };
    }
    const host: ManifestHost = {
      name,
      nameRange,
      address,
      addressRange,
      cidr,
      ssh: { strictHostKeyChecking: 'yes', ...defSsh, ...sshOf(obj(h, 'ssh')) },
      files,
      services,
      range: h.range,
    };
    const dupName = byName.get(name);
    if (dupName) {
      diagnostics.push({
        file: abs, range: nameRange, severity: 'error', code: 'manifest/duplicate-host',
        message: `host name ${name} is used twice; host names must be unique`,
        related: [{ file: abs, range: dupName.nameRange, message: `first ${name}` }],
      });
    } else byName.set(name, host);
    const key = cidr ? `${cidr.ip.family}:${cidr.ip.value}` : address;
    const dupAddr = byAddress.get(key);
    if (dupAddr) {
      diagnostics.push({
        file: abs, range: addressRange, severity: 'error', code: 'manifest/duplicate-host',
        message: `hosts ${dupAddr.name} and ${name} share the address ${address}; each node needs its own`,
        related: [{ file: abs, range: dupAddr.addressRange, message: `${dupAddr.name} uses it` }],
      });
    } else byAddress.set(key, host);
    const targets = new Map<string, ManifestFile>();
    for (const f of files) {
      const prev = targets.get(f.target);
      if (prev) {
        diagnostics.push({
          file: abs, range: f.targetRange, severity: 'error', code: 'manifest/invalid-value',
          message: `host ${name}: two files go to ${f.target} (${prev.source} and ${f.source}); keep one`,
          related: [{ file: abs, range: prev.targetRange, message: `${prev.source} also goes there` }],
        });
      } else targets.set(f.target, f);
    }
    manifest.hosts.push(host);
  }

  const k8s = obj(root, 'kubernetes');
  if (k8s) {
    manifest.kubernetes = { workers: [], nodePorts: [], manifests: [] };
    for (const w of arr(k8s, 'workers')) {
      if (w.kind !== 'string') continue;
      if (!parseCidr(w.value) || w.value.includes('/')) {
        report('invalid-address', w.range, `kubernetes.workers: "${w.value}" is not an IP address`);
        continue;
      }
      manifest.kubernetes.workers.push({ address: w.value, range: w.range });
    }
    for (const p of arr(k8s, 'nodePorts')) if (p.kind === 'number') manifest.kubernetes.nodePorts.push({ port: p.value, range: p.range });
    for (const m of arr(k8s, 'manifests')) if (m.kind === 'string') manifest.kubernetes.manifests.push({ glob: m.value, range: m.range });
  }

  const inv = obj(root, 'inventory');
  const invPath = str(inv, 'path');
  if (inv && invPath) manifest.inventory = { path: path.resolve(dir, invPath), group: str(inv, 'group'), range: fieldRange(root, 'inventory') };

  const dep = obj(root, 'deploy');
  manifest.deploy = {
    settleSeconds: num(dep, 'settleSeconds') ?? manifest.deploy.settleSeconds,
    keepBackups: num(dep, 'keepBackups') ?? manifest.deploy.keepBackups,
    auditLog: str(dep, 'auditLog') ?? manifest.deploy.auditLog,
  };
  return { manifest, diagnostics };
}


