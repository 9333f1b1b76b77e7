import * as path from 'node:path';
import { isMap, isScalar, isSeq, type LineCounter, newLineCounter, parseDocument, type Node } from './lazyYaml';
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

/** Where findings go while one haconf.yaml is read, and how positions become ranges. */
interface ManifestReader {
  /** Absolute path of the haconf.yaml. */
  file: string;
  dir: string;
  diagnostics: Diagnostic[];
  fileExists: (abs: string) => boolean;
  report(code: string, range: Range, message: string, severity?: Severity): void;
  nodeRange(n: Node | null | undefined): Range;
}

/** Parses and validates haconf.yaml text. Never throws; every problem is a `manifest/…` finding. */
export function parseManifest(file: string, text: string, fileExists: (abs: string) => boolean = isRegularFile): ManifestResult {
  const abs = path.resolve(file);
  const lc = newLineCounter();
  const r = manifestReader(abs, lc, fileExists);
  const manifest: Manifest = { file: abs, dir: r.dir, hosts: [], deploy: { settleSeconds: 3, keepBackups: 5, auditLog: '.haconf/audit.jsonl' } };
  const diagnostics = r.diagnostics;

  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) r.report('syntax', toRange(lc, e.pos[0], e.pos[1]), `YAML error in ${path.basename(abs)}: ${e.message.split('\n')[0]}`);
  if (doc.errors.length && !doc.contents) return { manifest, diagnostics };

  const root = validate(r, doc.contents as Node, MANIFEST_SPEC, 'haconf.yaml');
  if (root?.kind !== 'object') return { manifest, diagnostics };

  manifest.cluster = str(root, 'cluster');
  if (root.fields.has('cluster')) manifest.clusterRange = fieldRange(root, 'cluster');
  const clusterVersion = readHaproxyVersion(root);
  if (clusterVersion) manifest.haproxyVersion = clusterVersion;
  const clusterKeepalived = readHaproxyVersion(root, 'keepalived');
  if (clusterKeepalived) manifest.keepalivedVersion = clusterKeepalived;

  const defaultsVal = obj(root, 'defaults');
  const defaults: HostDefaults = {
    ssh: readSsh(r, obj(defaultsVal, 'ssh')),
    files: readFiles(r, arr(defaultsVal, 'files')),
    services: readServices(r, obj(defaultsVal, 'services')),
  };
  const seen: SeenHosts = { byName: new Map(), byAddress: new Map() };
  for (const h of arr(root, 'hosts')) {
    const host = readHost(r, h, defaults, seen);
    if (host) manifest.hosts.push(host);
  }

  const k8s = obj(root, 'kubernetes');
  if (k8s) manifest.kubernetes = readKubernetes(r, k8s);

  const inv = obj(root, 'inventory');
  const invPath = str(inv, 'path');
  if (inv && invPath) manifest.inventory = { path: path.resolve(r.dir, invPath), group: str(inv, 'group'), range: fieldRange(root, 'inventory') };

  const dep = obj(root, 'deploy');
  manifest.deploy = {
    settleSeconds: num(dep, 'settleSeconds') ?? manifest.deploy.settleSeconds,
    keepBackups: num(dep, 'keepBackups') ?? manifest.deploy.keepBackups,
    auditLog: str(dep, 'auditLog') ?? manifest.deploy.auditLog,
  };
  return { manifest, diagnostics };
}

function toRange(lc: LineCounter, start: number, end: number): Range {
  const a = lc.linePos(start);
  const b = lc.linePos(Math.max(start, end));
  return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
}

function manifestReader(abs: string, lc: LineCounter, fileExists: (abs: string) => boolean): ManifestReader {
  const diagnostics: Diagnostic[] = [];
  return {
    file: abs,
    dir: path.dirname(abs),
    diagnostics,
    fileExists,
    report: (code, range, message, severity = 'error') => {
      diagnostics.push({ file: abs, range, severity, code: `manifest/${code}`, message });
    },
    nodeRange: (n) => {
      const range = n?.range;
      return range ? toRange(lc, range[0], range[1]) : toRange(lc, 0, 0);
    },
  };
}

/** Checks one YAML node against its field declaration (fields.ts); reports what does not fit. */
function validate(r: ManifestReader, node: Node | null | undefined, spec: FieldSpec, where: string): Val | undefined {
  const range = r.nodeRange(node);
  switch (spec.type) {
    case 'object': {
      if (!isMap(node)) {
        r.report('invalid-value', range, `${where} must be a mapping of fields`);
        return undefined;
      }
      const fields = new Map<string, Val>();
      const keyRanges = new Map<string, Range>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const kr = r.nodeRange(pair.key as Node);
        if (key === undefined) {
          r.report('invalid-value', kr, `${where}: keys must be plain names`);
          continue;
        }
        const sub = spec.properties[key] ?? spec.additional;
        if (!sub) {
          const known = Object.keys(spec.properties);
          r.report('unknown-field', kr, `${where}: unknown field '${key}'; expected one of ${known.join(', ')}`);
          continue;
        }
        keyRanges.set(key, kr);
        const v = validate(r, pair.value as Node, sub, `${where}.${key}`);
        if (v) fields.set(key, v);
      }
      for (const req of spec.required ?? []) {
        if (!keyRanges.has(req)) r.report('missing-field', range, `${where} needs '${req}'`);
      }
      return { kind: 'object', fields, keyRanges, range };
    }
    case 'array': {
      if (!isSeq(node)) {
        r.report('invalid-value', range, `${where} must be a list`);
        return undefined;
      }
      if (spec.minItems && node.items.length < spec.minItems) r.report('missing-field', range, `${where} needs at least ${spec.minItems} entr${spec.minItems === 1 ? 'y' : 'ies'}`);
      const items: Val[] = [];
      node.items.forEach((it, i) => {
        const v = validate(r, it as Node, spec.items, `${where}[${i}]`);
        if (v) items.push(v);
      });
      return { kind: 'array', items, range };
    }
    case 'integer': {
      const v = isScalar(node) ? node.value : undefined;
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        r.report('invalid-value', range, `${where} must be an integer`);
        return undefined;
      }
      if ((spec.minimum !== undefined && v < spec.minimum) || (spec.maximum !== undefined && v > spec.maximum)) {
        r.report('invalid-value', range, `${where} must be between ${spec.minimum} and ${spec.maximum}, not ${v}`);
        return undefined;
      }
      return { kind: 'number', value: v, range };
    }
    case 'boolean': {
      const v = isScalar(node) ? node.value : undefined;
      if (typeof v !== 'boolean') {
        r.report('invalid-value', range, `${where} must be true or false`);
        return undefined;
      }
      return { kind: 'boolean', value: v, range };
    }
    case 'string': {
      const raw = isScalar(node) ? node.value : undefined;
      if (raw === null || raw === undefined || typeof raw === 'object') {
        r.report('invalid-value', range, `${where} must be a string`);
        return undefined;
      }
      const v = String(raw);
      if (spec.enum && !spec.enum.includes(v)) {
        r.report('invalid-value', range, `${where} must be one of ${spec.enum.map((e) => `"${e}"`).join(', ')}, not "${v}"`);
        return undefined;
      }
      if (spec.pattern && !new RegExp(spec.pattern).test(v)) {
        r.report('invalid-value', range, `${where} "${v}" does not match ${spec.pattern}`);
        return undefined;
      }
      return { kind: 'string', value: v, range };
    }
  }
}

// Typed reads of validated values: undefined (or []) when the field is absent or was rejected.
function str(o: Val | undefined, k: string): string | undefined {
  const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
  return v?.kind === 'string' ? v.value : undefined;
}
function num(o: Val | undefined, k: string): number | undefined {
  const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
  return v?.kind === 'number' ? v.value : undefined;
}
function obj(o: Val | undefined, k: string): Val | undefined {
  const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
  return v?.kind === 'object' ? v : undefined;
}
function arr(o: Val | undefined, k: string): Val[] {
  const v = o?.kind === 'object' ? o.fields.get(k) : undefined;
  return v?.kind === 'array' ? v.items : [];
}
function fieldRange(o: Val, k: string): Range {
  return o.kind === 'object' ? (o.fields.get(k)?.range ?? o.range) : o.range;
}

/** `haproxy: { version: "3.0" }` (or `keepalived:`); an unquoted 3.0 reads as a number, taken as written to one decimal. */
function readHaproxyVersion(o: Val | undefined, daemon: 'haproxy' | 'keepalived' = 'haproxy'): { value: string; range: Range } | undefined {
  const h = obj(o, daemon);
  const v = h?.kind === 'object' ? h.fields.get('version') : undefined;
  if (v?.kind === 'string') return { value: v.value, range: v.range };
  if (v?.kind === 'number') return { value: Number.isInteger(v.value) ? `${v.value}.0` : String(v.value), range: v.range };
  return undefined;
}

function readSsh(r: ManifestReader, v: Val | undefined): Partial<SshSettings> {
  if (!v) return {};
  const out: Partial<SshSettings> = {};
  for (const k of ['host', 'user', 'identityFile', 'knownHostsFile'] as const) {
    const s = str(v, k);
    if (s !== undefined) out[k] = s;
  }
  const kh = out.knownHostsFile;
  const khProblem = kh !== undefined ? knownHostsPathProblem(r.dir, kh) : undefined;
  if (khProblem) r.report('unsafe-path', fieldRange(v, 'knownHostsFile'), `knownHostsFile ${kh} ${khProblem}`);
  const shk = str(v, 'strictHostKeyChecking');
  if (shk === 'yes' || shk === 'accept-new') out.strictHostKeyChecking = shk;
  const port = num(v, 'port');
  if (port !== undefined) out.port = port;
  const ct = num(v, 'connectTimeout');
  if (ct !== undefined) out.connectTimeout = ct;
  return out;
}

function readServices(r: ManifestReader, v: Val | undefined): Partial<Record<Language, ServiceCommands>> {
  const out: Partial<Record<Language, ServiceCommands>> = {};
  for (const lang of ['haproxy', 'keepalived', 'corosync'] as const) {
    const s = obj(v, lang);
    if (!s) continue;
    const cmds: ServiceCommands = {};
    for (const k of ['validate', 'reload', 'status'] as const) {
      const c = str(s, k);
      if (c === undefined) continue;
      if (k === 'validate' && !c.includes('{file}')) {
        r.report('invalid-value', fieldRange(s, k), `services.${lang}.validate must contain {file}, the candidate path, or it would validate the live file instead`);
        continue;
      }
      cmds[k] = c;
    }
    out[lang] = cmds;
  }
  return out;
}

function readFiles(r: ManifestReader, list: Val[]): ManifestFile[] {
  const out: ManifestFile[] = [];
  for (const f of list) {
    const source = str(f, 'source');
    const target = str(f, 'target');
    if (source === undefined || target === undefined) continue;
    const sourceAbs = path.resolve(r.dir, source);
    const targetRange = fieldRange(f, 'target');
    const sourceRange = fieldRange(f, 'source');
    const unsafe = unsafeTargetReason(target);
    if (unsafe) {
      r.report('unsafe-path', targetRange, `target "${target}" ${unsafe}; haconf refuses to build remote commands from it`);
      continue;
    }
    if (!r.fileExists(sourceAbs)) {
      r.report('missing-source', sourceRange, `source file ${source} does not exist (looked in ${r.dir}); create it or fix the path`);
    }
    const kind = str(f, 'kind') as Language | undefined;
    out.push({ source, sourceAbs, target, kind, mode: str(f, 'mode'), range: f.range, sourceRange, targetRange });
  }
  return out;
}

/** What `defaults:` gives every host. */
interface HostDefaults {
  ssh: Partial<SshSettings>;
  files: ManifestFile[];
  services: Partial<Record<Language, ServiceCommands>>;
}

/** Hosts read so far, to report a name or address used twice. */
interface SeenHosts {
  byName: Map<string, ManifestHost>;
  byAddress: Map<string, ManifestHost>;
}

/** One `hosts:` entry with the defaults applied; undefined when it has no name or address. */
function readHost(r: ManifestReader, h: Val, defaults: HostDefaults, seen: SeenHosts): ManifestHost | undefined {
  const name = str(h, 'name');
  const address = str(h, 'address');
  if (name === undefined || address === undefined) return undefined;
  const nameRange = fieldRange(h, 'name');
  const addressRange = fieldRange(h, 'address');
  const cidr = parseCidr(address);
  if (!cidr) {
    r.report('invalid-address', addressRange, `host ${name}: "${address}" is not an IP address with an optional /prefix, e.g. 172.16.10.100/24`);
  } else if (cidr.prefix === undefined) {
    r.report('invalid-address', addressRange, `host ${name}: add the prefix length (e.g. ${address}/24) so VIP subnet checks can run`, 'information');
  }
  const files = [...defaults.files, ...readFiles(r, arr(h, 'files'))];
  const hostServices = readServices(r, obj(h, 'services'));
  const services: Partial<Record<Language, ServiceCommands>> = {};
  for (const lang of ['haproxy', 'keepalived', 'corosync'] as const) {
    services[lang] = { ...DEFAULT_SERVICES[lang], ...defaults.services[lang], ...hostServices[lang] };
  }
  const host: ManifestHost = {
    name,
    nameRange,
    address,
    addressRange,
    cidr,
    ssh: { strictHostKeyChecking: 'yes', ...defaults.ssh, ...readSsh(r, obj(h, 'ssh')) },
    files,
    services,
    ...(readHaproxyVersion(h) ? { haproxyVersion: readHaproxyVersion(h) } : {}),
    ...(readHaproxyVersion(h, 'keepalived') ? { keepalivedVersion: readHaproxyVersion(h, 'keepalived') } : {}),
    range: h.range,
  };
  reportDuplicates(r, host, seen);
  return host;
}

function readKubernetes(r: ManifestReader, k8s: Val): NonNullable<Manifest['kubernetes']> {
  const out: NonNullable<Manifest['kubernetes']> = { workers: [], nodePorts: [], manifests: [] };
  for (const w of arr(k8s, 'workers')) {
    if (w.kind !== 'string') continue;
    if (!parseCidr(w.value) || w.value.includes('/')) {
      r.report('invalid-address', w.range, `kubernetes.workers: "${w.value}" is not an IP address`);
      continue;
    }
    out.workers.push({ address: w.value, range: w.range });
  }
  for (const p of arr(k8s, 'nodePorts')) if (p.kind === 'number') out.nodePorts.push({ port: p.value, range: p.range });
  for (const m of arr(k8s, 'manifests')) if (m.kind === 'string') out.manifests.push({ glob: m.value, range: m.range });
  return out;
}

/** A host name or address used twice, and two files of one host aimed at the same target. */
function reportDuplicates(r: ManifestReader, host: ManifestHost, seen: SeenHosts): void {
  const dupName = seen.byName.get(host.name);
  if (dupName) {
    r.diagnostics.push({
      file: r.file,
      range: host.nameRange,
      severity: 'error',
      code: 'manifest/duplicate-host',
      message: `host name ${host.name} is used twice; host names must be unique`,
      related: [{ file: r.file, range: dupName.nameRange, message: `first ${host.name}` }],
    });
  } else seen.byName.set(host.name, host);
  const key = host.cidr ? `${host.cidr.ip.family}:${host.cidr.ip.value}` : host.address;
  const dupAddr = seen.byAddress.get(key);
  if (dupAddr) {
    r.diagnostics.push({
      file: r.file,
      range: host.addressRange,
      severity: 'error',
      code: 'manifest/duplicate-host',
      message: `hosts ${dupAddr.name} and ${host.name} share the address ${host.address}; each node needs its own`,
      related: [{ file: r.file, range: dupAddr.addressRange, message: `${dupAddr.name} uses it` }],
    });
  } else seen.byAddress.set(key, host);
  const targets = new Map<string, ManifestFile>();
  for (const f of host.files) {
    const prev = targets.get(f.target);
    if (prev) {
      r.diagnostics.push({
        file: r.file,
        range: f.targetRange,
        severity: 'error',
        code: 'manifest/invalid-value',
        message: `host ${host.name}: two files go to ${f.target} (${prev.source} and ${f.source}); keep one`,
        related: [{ file: r.file, range: prev.targetRange, message: `${prev.source} also goes there` }],
      });
    } else targets.set(f.target, f);
  }
}
