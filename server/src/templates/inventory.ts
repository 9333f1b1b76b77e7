// Ansible inventories as haconf reads them to render templates per host: the inventory file (INI or YAML),
// `group_vars/` and `host_vars/` beside it and beside the playbook folder, and the role's `defaults/main.yml`.
// Each host's variables are merged with the precedence Ansible uses for these sources (lowest first):
//   role defaults < inventory-file vars of `all` < group_vars/all (inventory, then playbook folder)
//   < inventory-file vars of the host's other groups (by depth, then name) < their group_vars (inventory,
//   then playbook folder) < inventory-file host vars < host_vars (inventory, then playbook folder).
// Dictionaries are replaced, not merged (Ansible's default `hash_behaviour`). Every top-level variable
// remembers the file and line that gave its value, so a finding can point at it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, type LineCounter, newLineCounter, parseDocument, type Document } from '../manifest/lazyYaml';
import { noteInput, readVarText } from './inputs';
import { classifyInventoryText, inventoryFolderFiles, isInventorySource } from './inventorySource';
import { MAX_FILE_BYTES } from '../core/limits';

export interface VarOrigin {
  file: string;
  /** 0-based line of the key (or of the INI host line). */
  line: number;
}

export interface InventoryHost {
  name: string;
  /** Every group the host is in, `all` first, then by depth and name (the merge order). */
  groups: string[];
  vars: Record<string, unknown>;
  origins: Record<string, VarOrigin>;
}

export interface Inventory {
  /** The inventory file or folder. */
  source: string;
  hosts: Map<string, InventoryHost>;
  /** Group → member hosts in inventory order (children's hosts included), as Ansible's `groups`. */
  groups: Map<string, string[]>;
  /** What could not be read, with file and line: reported as information, never guessed. */
  problems: { file: string; line: number; message: string }[];
}

interface GroupDef {
  name: string;
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
  origins: Record<string, VarOrigin>;
}

interface RawInventory {
  groups: Map<string, GroupDef>;
  hostVars: Map<string, { vars: Record<string, unknown>; origins: Record<string, VarOrigin> }>;
  hostOrder: string[];
  problems: Inventory['problems'];
}

const CANDIDATES = ['inventory', 'inventory.ini', 'inventory.yml', 'inventory.yaml', 'hosts', 'hosts.ini', 'hosts.yml', 'hosts.yaml', 'inventories'];
// Ansible skips `.ini` files inside a folder source, so `inventory/hosts.ini` is an inventory only when named
// (`-i inventory/hosts.ini`): these are looked for inside a candidate folder that is not an inventory itself.
const INNER_CANDIDATES = ['hosts.ini', 'inventory.ini'];

/**
 * The inventory of an Ansible project folder: `ansible.cfg`'s `[defaults] inventory`, else the usual names,
 * each only when Ansible reads it cleanly as an inventory with hosts (`isInventorySource`): a `hosts/` folder
 * of per-host configs is not one. Undefined when there is none.
 */
export function findInventory(projectDir: string): string | undefined {
  const cfg = path.join(projectDir, 'ansible.cfg');
  noteInput(projectDir);
  noteInput(cfg);
  if (isFile(cfg)) {
    const text = readVarText(cfg) ?? '';
    let section = '';
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) section = header[1].trim();
      const m = /^(inventory|hostfile)\s*[=:]\s*(.+)$/.exec(line);
      if (section === 'defaults' && m) {
        const first = m[2]
          .split(',')[0]
          .trim()
          .replace(/^~(?=\/)/, process.env.HOME ?? '~');
        const p = path.resolve(projectDir, first);
        if (fs.existsSync(p)) return p;
      }
    }
  }
  for (const c of CANDIDATES) {
    const p = path.join(projectDir, c);
    noteInput(p);
    if (!fs.existsSync(p)) continue;
    if (isInventorySource(p)) return p;
    if (!isDir(p)) continue;
    for (const inner of INNER_CANDIDATES) {
      const q = path.join(p, inner);
      noteInput(q);
      if (isFile(q) && isInventorySource(q)) return q;
    }
  }
  return undefined;
}

/** The Ansible project folder a template belongs to: the folder above `roles/`, else the one holding an inventory. */
export function projectDirFor(templateFile: string): string | undefined {
  const parts = path.resolve(templateFile).split(path.sep);
  const roles = parts.lastIndexOf('roles');
  if (roles > 0) return parts.slice(0, roles).join(path.sep) || path.sep;
  let dir = path.dirname(path.resolve(templateFile));
  for (let i = 0; i < 4; i++) {
    noteInput(dir);
    if (findInventory(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** The role folder of a template under `roles/<name>/templates/`, if any. */
export function roleDirFor(templateFile: string): string | undefined {
  const parts = path.resolve(templateFile).split(path.sep);
  const roles = parts.lastIndexOf('roles');
  return roles > 0 && parts.length > roles + 2 && parts[roles + 2] === 'templates' ? parts.slice(0, roles + 2).join(path.sep) : undefined;
}

type VarLayer = { vars: Record<string, unknown>; origins: Record<string, VarOrigin> };

/** Reads the inventory and the variable files around it; `playbookDir` holds the playbook's group_vars/host_vars. */
export function loadInventory(source: string, playbookDir: string, roleDefaults?: string): Inventory {
  const raw = readInventorySources(source);
  const depth = groupDepths(raw);
  const invDir = !isDir(source) ? path.dirname(source) : source;
  const varDirs = [...new Set([invDir, path.resolve(playbookDir)])];
  const groupFileVars = new Map<string, (VarLayer | undefined)[]>();
  const hostFileVars = new Map<string, (VarLayer | undefined)[]>();
  for (const g of raw.groups.keys())
    groupFileVars.set(
      g,
      varDirs.map((d) => readVarsNamed(raw, path.join(d, 'group_vars'), g)),
    );
  for (const h of raw.hostOrder)
    hostFileVars.set(
      h,
      varDirs.map((d) => readVarsNamed(raw, path.join(d, 'host_vars'), h)),
    );
  const defaults = roleDefaults && isFile(roleDefaults) ? readYamlVars(raw, roleDefaults) : undefined;
  const members = groupMembers(raw);

  const hosts = new Map<string, InventoryHost>();
  for (const h of raw.hostOrder) {
    const groups = [...raw.groups.keys()].filter((g) => members.get(g)!.includes(h));
    groups.sort((a, b) => (depth.get(a) ?? 1) - (depth.get(b) ?? 1) || (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)));
    const others = groups.filter((g) => g !== 'all');
    // Lowest precedence first (see the header of this file).
    const layers: (VarLayer | undefined)[] = [
      defaults,
      raw.groups.get('all'),
      ...(groupFileVars.get('all') ?? []),
      ...others.map((g) => raw.groups.get(g)),
      ...others.flatMap((g) => groupFileVars.get(g) ?? []),
      raw.hostVars.get(h),
      ...(hostFileVars.get(h) ?? []),
    ];
    const vars: Record<string, unknown> = {};
    const origins: Record<string, VarOrigin> = {};
    for (const layer of layers) {
      if (!layer) continue;
      for (const [k, v] of Object.entries(layer.vars)) {
        vars[k] = v;
        if (layer.origins[k]) origins[k] = layer.origins[k];
      }
    }
    hosts.set(h, { name: h, groups, vars, origins });
  }
  return { source, hosts, groups: members, problems: raw.problems };
}

/** The inventory file(s) read into groups and host lines; `ungrouped` and `all`'s children filled in. */
function readInventorySources(source: string): RawInventory {
  const raw: RawInventory = { groups: new Map(), hostVars: new Map(), hostOrder: [], problems: [] };
  group(raw, 'all');
  group(raw, 'ungrouped');
  const folder = isDir(source);
  // A folder holds what Ansible reads from it (its ignored names and extensions skipped, as ansible-inventory does).
  const invFiles = folder ? inventoryFolderFiles(source) : [source];
  noteInput(source);
  for (const f of invFiles) {
    const text = readVarText(f);
    if (text === undefined) {
      raw.problems.push({ file: f, line: 0, message: `cannot read this inventory file (not a regular file, unreadable or over ${MAX_FILE_BYTES} bytes); its hosts are not rendered` });
      continue;
    }
    const verdict = classifyInventoryText(f, text);
    if (verdict.kind === 'none' && folder) {
      // Ansible warns "Unable to parse … as an inventory source" and goes on without it.
      raw.problems.push({ file: f, line: verdict.line, message: `Ansible does not parse this file of the inventory folder as an inventory source (${verdict.reason}); haconf skips it too` });
      continue;
    }
    const yaml = verdict.kind === 'none' ? /\.(ya?ml)$/i.test(f) || /^\s*(---|all\s*:)/m.test(text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#')) ?? '') : verdict.kind === 'yaml';
    if (yaml) readYamlInventory(raw, f, text);
    else readIniInventory(raw, f, text);
  }
  // Hosts in no group but `all` are `ungrouped`, as in Ansible.
  const inSomeGroup = new Set<string>();
  for (const g of raw.groups.values()) if (g.name !== 'all' && g.name !== 'ungrouped') for (const h of g.hosts) inSomeGroup.add(h);
  for (const h of raw.hostOrder) if (!inSomeGroup.has(h) && !raw.groups.get('ungrouped')!.hosts.includes(h)) raw.groups.get('ungrouped')!.hosts.push(h);
  // Top-level groups are children of `all`.
  const isChild = new Set<string>();
  for (const g of raw.groups.values()) for (const c of g.children) isChild.add(c);
  for (const g of raw.groups.values()) if (g.name !== 'all' && !isChild.has(g.name) && !raw.groups.get('all')!.children.includes(g.name)) raw.groups.get('all')!.children.push(g.name);
  return raw;
}

/** Each group's depth below `all` (its deepest path; cycles are cut), which orders the group merge. */
function groupDepths(raw: RawInventory): Map<string, number> {
  const depth = new Map<string, number>([['all', 0]]);
  const visit = (name: string, d: number, seen: Set<string>) => {
    if (seen.has(name)) return;
    seen.add(name);
    depth.set(name, Math.max(depth.get(name) ?? 0, d));
    for (const c of raw.groups.get(name)?.children ?? []) visit(c, d + 1, seen);
    seen.delete(name);
  };
  visit('all', 0, new Set());
  return depth;
}

/** Group → its hosts and its children's hosts, in inventory order (Ansible's `groups`). */
function groupMembers(raw: RawInventory): Map<string, string[]> {
  const collect = (name: string, seen: Set<string>): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const g = raw.groups.get(name);
    if (!g) return [];
    const out = [...g.hosts];
    for (const c of g.children) for (const h of collect(c, seen)) if (!out.includes(h)) out.push(h);
    return out;
  };
  const members = new Map<string, string[]>();
  for (const g of raw.groups.keys()) members.set(g, g === 'all' ? [...raw.hostOrder] : collect(g, new Set()));
  return members;
}

function group(raw: RawInventory, name: string): GroupDef {
  let g = raw.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {}, origins: {} };
    raw.groups.set(name, g);
  }
  return g;
}

function addHost(raw: RawInventory, groupName: string, host: string): void {
  const g = group(raw, groupName);
  if (!g.hosts.includes(host)) g.hosts.push(host);
  if (!raw.hostOrder.includes(host)) raw.hostOrder.push(host);
}

function readIniInventory(raw: RawInventory, file: string, text: string): void {
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  text.split('\n').forEach((rawLine, line) => {
    const trimmed = rawLine.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(trimmed);
    if (header) {
      section = header[1].trim();
      kind = (header[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      group(raw, section);
      return;
    }
    if (kind === 'children') {
      const child = trimmed.split(/\s+/)[0];
      group(raw, child);
      const g = group(raw, section);
      if (!g.children.includes(child)) g.children.push(child);
      return;
    }
    if (kind === 'vars') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
      if (!m) {
        raw.problems.push({ file, line, message: `cannot read '${trimmed}' as name=value in [${section}:vars]` });
        return;
      }
      const g = group(raw, section);
      // Ansible reads `:vars` values as strings.
      g.vars[m[1]] = unquote(m[2].trim());
      g.origins[m[1]] = { file, line };
      return;
    }
    const words = shellWords(trimmed.replace(/\s+#.*$/, ''));
    const name = words[0];
    if (/\[[^\]]*:[^\]]*\]/.test(name)) {
      raw.problems.push({ file, line, message: `host ranges like '${name}' are not expanded by haconf; list the hosts one by one to render templates for them` });
      return;
    }
    addHost(raw, section, name);
    const hv = raw.hostVars.get(name) ?? { vars: {}, origins: {} };
    for (const w of words.slice(1)) {
      const eq = w.indexOf('=');
      if (eq <= 0) continue;
      const key = w.slice(0, eq);
      hv.vars[key] = iniLiteral(w.slice(eq + 1));
      hv.origins[key] = { file, line };
    }
    raw.hostVars.set(name, hv);
  });
}

/** Splits an INI host line like a shell does (quotes group words). */
function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let has = false;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (cur || has) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (cur || has) out.push(cur);
  return out;
}

function unquote(s: string): string {
  return /^(['"]).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/** Host-line values are Python literals when they read as one (numbers, True/False), else strings. */
function iniLiteral(s: string): unknown {
  if (/^[-+]?\d+$/.test(s)) return Number(s);
  if (/^[-+]?\d+\.\d*$/.test(s)) return Number(s);
  if (s === 'True') return true;
  if (s === 'False') return false;
  if (s === 'None') return null;
  return s;
}

function yamlDoc(raw: RawInventory, file: string, text: string): { doc: Document; lc: LineCounter } | undefined {
  const lc = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1', prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    raw.problems.push({ file, line: Math.max(0, lc.linePos(e.pos[0]).line - 1), message: `cannot read YAML: ${e.message.split('\n')[0]}` });
    return undefined;
  }
  return { doc, lc };
}

function mapVars(node: unknown, file: string, lc: LineCounter): { vars: Record<string, unknown>; origins: Record<string, VarOrigin> } {
  const vars: Record<string, unknown> = {};
  const origins: Record<string, VarOrigin> = {};
  if (!isMap(node)) return { vars, origins };
  for (const item of node.items) {
    if (!isScalar(item.key)) continue;
    const key = String(item.key.value);
    vars[key] = item.value && typeof (item.value as { toJSON?: unknown }).toJSON === 'function' ? (item.value as { toJSON(): unknown }).toJSON() : isScalar(item.value) ? item.value.value : null;
    const offset = item.key.range?.[0] ?? 0;
    origins[key] = { file, line: lc.linePos(offset).line - 1 };
  }
  return { vars, origins };
}

function readYamlVars(raw: RawInventory, file: string): { vars: Record<string, unknown>; origins: Record<string, VarOrigin> } | undefined {
  noteInput(file);
  const text = readVarText(file);
  if (text === undefined) {
    raw.problems.push({
      file,
      line: 0,
      message: `cannot read this variable file (not a regular file, unreadable or over ${MAX_FILE_BYTES} bytes); its variables are missing, so templates that use them are not rendered`,
    });
    return undefined;
  }
  const parsed = yamlDoc(raw, file, text);
  return parsed ? mapVars(parsed.doc.contents, file, parsed.lc) : undefined;
}

function readYamlInventory(raw: RawInventory, file: string, text: string): void {
  const parsed = yamlDoc(raw, file, text);
  if (!parsed || !isMap(parsed.doc.contents)) return;
  const walk = (name: string, node: unknown) => {
    const g = group(raw, name);
    if (!isMap(node)) return;
    for (const item of node.items) {
      if (!isScalar(item.key)) continue;
      const key = String(item.key.value);
      if (key === 'hosts' && isMap(item.value)) {
        for (const h of item.value.items) {
          if (!isScalar(h.key)) continue;
          const host = String(h.key.value);
          addHost(raw, name, host);
          const hv = raw.hostVars.get(host) ?? { vars: {}, origins: {} };
          const own = mapVars(h.value, file, parsed.lc);
          Object.assign(hv.vars, own.vars);
          Object.assign(hv.origins, own.origins);
          raw.hostVars.set(host, hv);
        }
      } else if (key === 'vars') {
        const own = mapVars(item.value, file, parsed.lc);
        Object.assign(g.vars, own.vars);
        Object.assign(g.origins, own.origins);
      } else if (key === 'children' && isMap(item.value)) {
        for (const c of item.value.items) {
          if (!isScalar(c.key)) continue;
          const child = String(c.key.value);
          if (!g.children.includes(child)) g.children.push(child);
          walk(child, c.value);
        }
      }
    }
  };
  for (const item of parsed.doc.contents.items) if (isScalar(item.key)) walk(String(item.key.value), item.value);
}

/** `group_vars/<name>`, `<name>.yml|.yaml|.json`, or every file of the folder `<name>/` (sorted). */
function readVarsNamed(raw: RawInventory, dir: string, name: string): { vars: Record<string, unknown>; origins: Record<string, VarOrigin> } | undefined {
  const files: string[] = [];
  noteInput(dir);
  noteInput(path.dirname(dir));
  for (const ext of ['', '.yml', '.yaml', '.json']) if (isFile(path.join(dir, name + ext))) files.push(path.join(dir, name + ext));
  const sub = path.join(dir, name);
  if (isDir(sub)) files.push(...listVarFiles(sub));
  if (!files.length) return undefined;
  const out = { vars: {} as Record<string, unknown>, origins: {} as Record<string, VarOrigin> };
  for (const f of files) {
    const layer = readYamlVars(raw, f);
    if (!layer) continue;
    Object.assign(out.vars, layer.vars);
    Object.assign(out.origins, layer.origins);
  }
  return out;
}

function listVarFiles(dir: string): string[] {
  const out: string[] = [];
  noteInput(dir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (ent.name.startsWith('.')) continue;
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...listVarFiles(p));
    else if (ent.isFile() && !/\.(retry|pyc|md|cfg)$/.test(ent.name)) out.push(p);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
