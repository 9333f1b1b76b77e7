// `haconf init`: from a few answers (kind, VIP, nodes, NodePorts) to one plan every generated file is
// rendered from, so the files agree by construction: one VRID and one auth_pass for all nodes, each node's
// unicast peers are exactly the others, priorities and the check weight chosen so that a failed check
// on any node puts it below every healthy node. This module only validates and decides numbers; it reads
// nothing and writes nothing (the CLI and the language server read the Service files and pass their text).
import { inSubnet, parseIpv4, type IpAddress } from '../core/net';
import { serviceNodePorts } from '../manifest/kubernetes';

export type ClusterKind = 'nodeport' | 'apiserver' | 'pacemaker';

export const KINDS: { kind: ClusterKind; label: string; detail: string }[] = [
  { kind: 'nodeport', label: 'keepalived + HAProxy in front of Kubernetes NodePorts', detail: "a VIP moved by keepalived (VRRP, unicast); HAProxy on every node forwards to the workers' NodePorts" },
  { kind: 'apiserver', label: 'Kubernetes apiserver load balancer', detail: 'keepalived VIP; HAProxy on 9443 (or 8443) forwards to the apiservers on 6443' },
  {
    kind: 'pacemaker',
    label: 'Pacemaker/corosync VIP in front of NodePorts',
    detail: 'corosync.conf for the nodes; Pacemaker moves the VIP (pcs commands written beside); HAProxy forwards to the NodePorts',
  },
];

export function isClusterKind(s: string): s is ClusterKind {
  return KINDS.some((k) => k.kind === s);
}

/** A Kubernetes Service file handed over by the caller, already read. */
export interface ServiceFile {
  /** Path as the user gave it (messages name it), and where it sits relative to the output folder, if inside. */
  path: string;
  relative?: string;
  text: string;
}

/** One frontend: HAProxy listens on `listen` and forwards to `nodePort` on every worker. */
export interface PortMap {
  listen: number;
  nodePort: number;
}

export interface ScaffoldInput {
  kind: ClusterKind;
  /** Cluster name: letters, digits, `_ . -`. */
  cluster: string;
  vip: string;
  prefix: number;
  nodes: { name: string; address: string }[];
  /** Network interface carrying the VIP (keepalived kinds). */
  iface?: string;
  haproxyVersion: string;
  /** NodePorts (nodeport and pacemaker kinds): `30080` or `80:30080` (listen:nodePort). */
  ports?: string[];
  serviceFiles?: ServiceFile[];
  /** Workers behind the NodePorts; apiservers behind the apiserver LB (default: the nodes). */
  backends?: string[];
  /** apiserver kind: port HAProxy listens on (default 9443; the apiserver itself holds 6443). */
  frontendPort?: number;
  vrid?: number;
  /** VRIDs other clusters of the workspace use (cluster name by VRID): a random VRID avoids them, a given one must not be one of them. */
  usedVrids?: Map<number, string>;
  authPass?: string;
  /** Weight of the HAProxy check (default: enough to fail over from any node). */
  weight?: number;
  sshUser?: string;
}

export interface PlannedNode {
  name: string;
  ip: string;
  priority: number;
}

export interface ScaffoldPlan {
  kind: ClusterKind;
  cluster: string;
  vip: string;
  prefix: number;
  iface: string;
  haproxyVersion: string;
  nodes: PlannedNode[];
  backends: string[];
  ports: PortMap[];
  /** Service files inside the output folder, listed in haconf.yaml's kubernetes.manifests. */
  serviceManifests: string[];
  /** NodePorts haconf.yaml lists as numbers: given as flags, or read from Service files outside the folder. */
  listedNodePorts: number[];
  /** Service files outside it: their ports are written as kubernetes.nodePorts, with this note. */
  portsNote?: string;
  frontendPort: number;
  vrid: number;
  authPass: string;
  weight: number;
  sshUser: string;
  /** HAProxy's own health endpoint, probed by keepalived's check (127.0.0.1 only). */
  healthPort: number;
  statsPort: number;
}

export class ScaffoldError extends Error {}

/** Priorities go down by this much from node to node; the weight must exceed (nodes - 1) × step. */
export const PRIORITY_STEP = 1;
export const BASE_PRIORITY = 100;
export const MAX_NODES = 32;
export const HEALTH_PORT = 8404;
export const STATS_PORT = 8405;
const APISERVER_PORT = 6443;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const IFACE_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}$/;
/** auth_pass alphabet: no `!`/`#` (keepalived comments) and no quotes. */
const PASS_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

export type RandomInt = (maxExclusive: number) => number;

function port(s: string, what: string): number {
  if (!/^\d{1,5}$/.test(s) || Number(s) < 1 || Number(s) > 65535) throw new ScaffoldError(`${what} must be a port number 1..65535, not '${s}'`);
  return Number(s);
}

function ipv4(s: string, what: string): IpAddress {
  const ip = parseIpv4(s.trim());
  if (!ip) throw new ScaffoldError(`${what} must be an IPv4 address such as 192.168.10.11, not '${s}' (haconf init writes IPv4 clusters; IPv6 VRRP needs version 3 and no authentication)`);
  return ip;
}

/** The weight that makes any node whose check failed fall below every healthy node. */
export function minimumWeight(nodes: number): number {
  return (nodes - 1) * PRIORITY_STEP + 1;
}

function parsePorts(input: ScaffoldInput): { ports: PortMap[]; manifests: string[]; listed: number[]; note?: string } {
  const ports: PortMap[] = [];
  for (const spec of input.ports ?? []) {
    const m = /^(?:(\d+):)?(\d+)$/.exec(spec.trim());
    if (!m) throw new ScaffoldError(`NodePort '${spec}' must be NODEPORT or LISTEN:NODEPORT, e.g. 30080 or 80:30080`);
    const nodePort = port(m[2], `NodePort in '${spec}'`);
    ports.push({ listen: m[1] ? port(m[1], `listen port in '${spec}'`) : nodePort, nodePort });
  }
  const manifests: string[] = [];
  const outside: string[] = [];
  const listed = ports.map((p) => p.nodePort);
  for (const f of input.serviceFiles ?? []) {
    const read = serviceNodePorts(f.path, f.text);
    if (read.diagnostics.length) {
      const d = read.diagnostics[0];
      throw new ScaffoldError(`${f.path} line ${d.range.start.line + 1}: ${d.message}; fix the file or give the NodePorts with --nodeports`);
    }
    if (!read.nodePorts.length) throw new ScaffoldError(`${f.path} holds no Service of type NodePort or LoadBalancer with a nodePort value; give the NodePorts with --nodeports instead`);
    for (const p of read.nodePorts) if (!ports.some((x) => x.nodePort === p.value)) ports.push({ listen: p.value, nodePort: p.value });
    if (f.relative) manifests.push(f.relative);
    else {
      outside.push(f.path);
      listed.push(...read.nodePorts.map((p) => p.value));
    }
  }
  for (const p of ports) {
    if (p.nodePort < 30000 || p.nodePort > 32767)
      throw new ScaffoldError(
        `NodePort ${p.nodePort} lies outside Kubernetes' default NodePort range 30000-32767; a Service cannot expose it (use LISTEN:NODEPORT to listen on ${p.nodePort} and forward to a NodePort)`,
      );
  }
  const listens = new Set<number>();
  for (const p of ports) {
    if (listens.has(p.listen)) throw new ScaffoldError(`port ${p.listen} is listed twice; each frontend needs its own listen port`);
    if (p.listen === HEALTH_PORT || p.listen === STATS_PORT)
      throw new ScaffoldError(`port ${p.listen} is taken by HAProxy's own health/stats endpoint (127.0.0.1:${HEALTH_PORT}/${STATS_PORT}); pick another listen port`);
    listens.add(p.listen);
  }
  return { ports, manifests, listed: [...new Set(listed)], note: outside.length ? `NodePorts read from ${outside.join(', ')} (outside this folder, so copied here as numbers)` : undefined };
}

/** Validates the answers and fixes every number the files share. Throws ScaffoldError with what to do. */
export function planScaffold(input: ScaffoldInput, random: RandomInt): ScaffoldPlan {
  if (!NAME_RE.test(input.cluster)) throw new ScaffoldError(`cluster name '${input.cluster}' may hold only letters, digits and _ . - (at most 63, starting with a letter or digit)`);
  const vip = ipv4(input.vip, 'the VIP');
  if (!Number.isInteger(input.prefix) || input.prefix < 8 || input.prefix > 30) throw new ScaffoldError(`the prefix must be 8..30 (the nodes and the VIP share that subnet), not ${input.prefix}`);
  if (!/^\d+\.\d+$/.test(input.haproxyVersion)) throw new ScaffoldError(`HAProxy version must be major.minor such as 2.6, not '${input.haproxyVersion}'`);
  const [major, minor] = input.haproxyVersion.split('.').map(Number);
  if (major < 2 || (major === 2 && minor < 2)) throw new ScaffoldError(`HAProxy ${input.haproxyVersion} is too old for the generated config (http-check send needs 2.2 or later)`);
  const n = input.nodes.length;
  if (n < 2 || n > MAX_NODES) throw new ScaffoldError(`a cluster needs 2..${MAX_NODES} nodes, got ${n}`);
  const subnet = { ip: vip, prefix: input.prefix };
  const names = new Set<string>();
  const ips = new Set<string>([vip.text]);
  const nodes: PlannedNode[] = input.nodes.map((node, i) => {
    if (!NAME_RE.test(node.name)) throw new ScaffoldError(`node name '${node.name}' may hold only letters, digits and _ . - (it becomes a folder name)`);
    if (names.has(node.name)) throw new ScaffoldError(`node name ${node.name} is given twice`);
    names.add(node.name);
    const ip = ipv4(node.address.replace(/\/\d+$/, ''), `the address of ${node.name}`);
    if (ips.has(ip.text)) throw new ScaffoldError(`${ip.text} (${node.name}) is used twice among the VIP and the nodes; every node needs its own address and the VIP must be free`);
    ips.add(ip.text);
    if (!inSubnet(ip, subnet)) throw new ScaffoldError(`${node.name} ${ip.text} is outside the VIP's subnet ${vip.text}/${input.prefix}; the VIP can only move between nodes of one subnet`);
    return { name: node.name, ip: ip.text, priority: BASE_PRIORITY - i * PRIORITY_STEP };
  });
  const keepalived = input.kind !== 'pacemaker';
  const iface = input.iface ?? 'eth0';
  if (keepalived && !IFACE_RE.test(iface)) throw new ScaffoldError(`interface name '${iface}' is not a Linux interface name (letters, digits, _ . @ -, at most 15)`);

  const { ports, manifests, listed, note } = input.kind === 'apiserver' ? { ports: [], manifests: [], listed: [], note: undefined } : parsePorts(input);
  if (input.kind !== 'apiserver' && !ports.length) throw new ScaffoldError('no NodePorts: give them with --nodeports 30080,80:30080 or read them from Service files with --services k8s/*.yaml');
  const backends = (input.backends?.length ? input.backends : input.kind === 'apiserver' ? nodes.map((x) => x.ip) : []).map((b) => ipv4(b, 'a backend address').text);
  if (!backends.length) throw new ScaffoldError("no workers: give the Kubernetes workers' addresses with --workers 192.168.10.21,192.168.10.22");
  if (new Set(backends).size !== backends.length) throw new ScaffoldError('a backend address is given twice');
  if (backends.includes(vip.text)) throw new ScaffoldError(`the VIP ${vip.text} is also given as a backend; HAProxy would forward to itself`);

  const frontendPort = input.kind === 'apiserver' ? (input.frontendPort ?? 9443) : 0;
  if (input.kind === 'apiserver') {
    if (!Number.isInteger(frontendPort) || frontendPort < 1 || frontendPort > 65535) throw new ScaffoldError(`the apiserver frontend port must be 1..65535, not ${frontendPort}`);
    // The apiservers usually run on the same hosts and hold 6443 there.
    if (frontendPort === APISERVER_PORT && backends.some((b) => nodes.some((x) => x.ip === b))) {
      throw new ScaffoldError(`HAProxy cannot listen on ${APISERVER_PORT} on nodes where the apiserver itself listens on ${APISERVER_PORT}; use 9443 or 8443`);
    }
    if (frontendPort === HEALTH_PORT || frontendPort === STATS_PORT) throw new ScaffoldError(`port ${frontendPort} is taken by HAProxy's own health/stats endpoint`);
  }

  const used = input.usedVrids ?? new Map<number, string>();
  const free = Array.from({ length: 255 }, (_, i) => i + 1).filter((v) => !used.has(v));
  if (input.vrid === undefined && !free.length) throw new ScaffoldError('every VRID 1..255 is used by a cluster of this workspace; give one with --vrid');
  const vrid = input.vrid ?? free[random(free.length)];
  if (!Number.isInteger(vrid) || vrid < 1 || vrid > 255) throw new ScaffoldError(`the VRID must be 1..255, not ${input.vrid}`);
  if (keepalived && used.has(vrid)) {
    throw new ScaffoldError(
      `VRID ${vrid} is already used by cluster ${used.get(vrid)} in this workspace; two virtual routers with one VRID on a segment share a virtual MAC and fight over it. Pick another, or leave the VRID out`,
    );
  }
  let authPass = input.authPass;
  if (authPass === undefined) {
    authPass = '';
    for (let i = 0; i < 8; i++) authPass += PASS_CHARS[random(PASS_CHARS.length)];
  }
  if (!/^[A-Za-z0-9._+-]{1,8}$/.test(authPass)) throw new ScaffoldError('auth_pass must be 1..8 letters, digits or . _ + - (keepalived keeps only 8 characters and cuts at ! or #)');
  const weight = input.weight ?? Math.max(10, minimumWeight(n));
  if (!Number.isInteger(weight) || weight < 1 || weight > 253) throw new ScaffoldError(`the check weight must be 1..253, not ${input.weight}`);
  if (BASE_PRIORITY + weight > 254)
    throw new ScaffoldError(`weight ${weight} would push priority ${BASE_PRIORITY} past 254, where keepalived clamps it and the failover order is lost; use at most ${254 - BASE_PRIORITY}`);
  return {
    kind: input.kind,
    cluster: input.cluster,
    vip: vip.text,
    prefix: input.prefix,
    iface,
    haproxyVersion: input.haproxyVersion,
    nodes,
    backends,
    ports,
    serviceManifests: manifests,
    listedNodePorts: listed,
    portsNote: note,
    frontendPort,
    vrid,
    authPass,
    weight,
    sshUser: input.sshUser ?? 'root',
    healthPort: HEALTH_PORT,
    statsPort: STATS_PORT,
  };
}
