// Which files and folders Ansible reads as inventory sources, decided as ansible-core 2.14 decides it, so a
// folder that merely has an inventory-like name (`hosts/lb1/keepalived.conf`, a common layout for per-host
// configs) is not taken for an inventory:
// - A folder source is every entry of it, sorted, recursively, except hidden names, `group_vars`,
//   `host_vars`, `vars_plugins` and the default `inventory_ignore_extensions` (which include `.ini` and
//   `.cfg`: `ansible-inventory -i inventory/` does not read `inventory/hosts.ini`).
// - A file is tried by the `yaml` plugin when it has no extension or `.yml`/`.yaml`/`.json` (a mapping of
//   groups with `hosts:`/`children:`/`vars:`, not a plugin configuration), then by the `ini` plugin (host
//   lines of `name key=value…`, `[group]`, `[group:vars]`, `[group:children]` sections).
// Dynamic sources (inventory scripts, `plugin:` configurations, TOML) are not read by haconf.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newLineCounter, parseDocument } from '../manifest/lazyYaml';
import { noteInput, readVarText } from './inputs';

/** What Ansible's `ini` or `yaml` plugin makes of one file, or why neither parses it. */
export type SourceVerdict = { kind: 'ini' | 'yaml'; hosts: number } | { kind: 'none'; line: number; reason: string };

// ansible-core 2.14's INVENTORY_IGNORE_EXTS default (`ansible-config dump | grep INVENTORY_IGNORE_EXTS`).
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const IGNORED_ALWAYS = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const YAML_EXTS = ['', '.yml', '.yaml', '.json'];
// A folder found by its name is read no deeper or wider than this (a symlink loop or a huge tree is not an inventory).
const MAX_DEPTH = 8;
const MAX_FILES = 2000;

/** The files Ansible reads when `dir` is the inventory source, in its order. */
export function inventoryFolderFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    noteInput(d);
    let names: string[];
    try {
      names = fs.readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= MAX_FILES) return;
      if (IGNORED_ALWAYS.test(name) || IGNORED_EXTS.some((ext) => name.endsWith(ext))) continue;
      const p = path.join(d, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH) walk(p, depth + 1);
      } else out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

/**
 * True when Ansible reads `p` (a file or a folder) as an inventory cleanly: every source parses (no "Failed
 * to parse" / "Unable to parse" warning) and they define at least one host. This is how haconf decides
 * whether a file or folder it finds by name (`hosts`, `inventory`, …) is an inventory.
 */
export function isInventorySource(p: string): boolean {
  noteInput(p);
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return false;
  }
  const files = st.isDirectory() ? inventoryFolderFiles(p) : [p];
  let hosts = 0;
  for (const f of files) {
    const v = classifyInventoryFile(f);
    if (v.kind === 'none') return false;
    hosts += v.hosts;
  }
  return hosts > 0;
}

/** Which plugin parses this file as an inventory (and how many host entries it has), or why none does. */
export function classifyInventoryFile(file: string): SourceVerdict {
  const text = readVarText(file);
  if (text === undefined) return { kind: 'none', line: 0, reason: 'not a regular readable file within the size limit' };
  return classifyInventoryText(file, text);
}

export function classifyInventoryText(file: string, text: string): SourceVerdict {
  if (text.startsWith('#!')) return { kind: 'none', line: 0, reason: 'an inventory script, which haconf does not run' };
  let yamlFailure: SourceVerdict | undefined;
  if (YAML_EXTS.includes(path.extname(file).toLowerCase())) {
    const y = yamlInventory(text);
    if (y.kind !== 'none') return y;
    yamlFailure = y;
  }
  const ini = iniInventory(text);
  // A YAML-named file that neither plugin reads is explained by the YAML plugin's reason.
  return ini.kind === 'none' && yamlFailure && /\.(ya?ml|json)$/i.test(file) ? yamlFailure : ini;
}

/** Ansible's `yaml` inventory plugin: a mapping of groups; `hosts`/`children`/`vars` must be mappings. */
function yamlInventory(text: string): SourceVerdict {
  const lc = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1', uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { kind: 'none', line: Math.max(0, lc.linePos(e.pos[0]).line - 1), reason: `not YAML: ${e.message.split('\n')[0]}` };
  }
  let data: unknown;
  try {
    // Plain values, as PyYAML gives them to the plugin (aliases and merge keys resolved).
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { kind: 'none', line: 0, reason: `not YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMapping(data) || Object.keys(data).length === 0) return { kind: 'none', line: 0, reason: 'the YAML is not a mapping of groups' };
  if (data.plugin) return { kind: 'none', line: 0, reason: 'an inventory plugin configuration (a dynamic inventory), which haconf does not read' };
  let hosts = 0;
  const group = (g: unknown, seen: Set<unknown>): string | undefined => {
    if (!isMapping(g) || seen.has(g)) return undefined;
    seen.add(g);
    for (const section of ['vars', 'children', 'hosts']) {
      const v = g[section];
      if (v !== undefined && v !== null && typeof v !== 'string' && !isMapping(v)) return `'${section}' of a group must be a mapping`;
    }
    if (isMapping(g.hosts)) hosts += Object.keys(g.hosts).length;
    else if (typeof g.hosts === 'string') hosts += 1;
    if (isMapping(g.children))
      for (const child of Object.values(g.children)) {
        const bad = group(child, seen);
        if (bad) return bad;
      }
    return undefined;
  };
  for (const g of Object.values(data)) {
    const bad = group(g, new Set());
    if (bad) return { kind: 'none', line: 0, reason: bad };
  }
  return { kind: 'yaml', hosts };
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** Ansible's `ini` inventory plugin's syntax checks (ansible/plugins/inventory/ini.py `_parse`). */
function iniInventory(text: string): SourceVerdict {
  const groups = new Set(['all', 'ungrouped']);
  // Groups referenced before they are declared (`[g:vars]`, a child), as the plugin's pending declarations.
  const pending = new Map<string, { line: number; state: 'vars' | 'children' }>();
  const hostNames = new Set<string>();
  let state = 'hosts';
  const lines = text.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const fail = (reason: string): SourceVerdict => ({ kind: 'none', line: i, reason });
    if (!line || line[0] === '#' || line[0] === ';') continue;
    const section = SECTION.exec(line);
    if (section) {
      const name = section[1];
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) return fail(`section [${name}:${state}] has an unknown type`);
      if (!groups.has(name)) {
        if (state === 'vars' && !pending.has(name)) pending.set(name, { line: i, state: 'vars' });
        groups.add(name);
      }
      if (state !== 'vars') pending.delete(name);
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) return fail(`invalid section entry '${line}'`);
    if (state === 'hosts') {
      const tokens = shlexSplit(line);
      if (tokens === undefined) return fail('no closing quotation');
      if (!tokens.length) continue;
      if (tokens[0].endsWith(':')) return fail(`invalid host pattern '${tokens[0]}' (ending in ':')`);
      if (tokens[0] === '---') return fail("'---' is normally a sign this is a YAML file");
      const notAssignment = tokens.slice(1).find((t) => !t.includes('='));
      if (notAssignment !== undefined) return fail(`expected key=value host variable assignment, got: ${notAssignment}`);
      hostNames.add(tokens[0]);
    } else if (state === 'vars') {
      if (!line.includes('=')) return fail(`expected key=value, got: ${line}`);
    } else {
      const child = GROUP_NAME.exec(line);
      if (!child) return fail(`expected group name, got: ${line}`);
      if (!groups.has(child[1]) && !pending.has(child[1])) pending.set(child[1], { line: i, state: 'children' });
    }
  }
  for (const [name, p] of pending)
    return { kind: 'none', line: p.line, reason: p.state === 'vars' ? `section [${name}:vars] is not valid for undefined group ${name}` : `a [:children] section includes undefined group ${name}` };
  return { kind: 'ini', hosts: hostNames.size };
}

/** Python's `shlex.split(line, comments=True)` (POSIX mode); undefined on an unclosed quote or a trailing escape. */
function shlexSplit(line: string): string[] | undefined {
  const out: string[] = [];
  let token = '';
  let inToken = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      else token += c;
    } else if (quote === '"') {
      if (c === '"') quote = '';
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) token += line[++i];
      else token += c;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return undefined;
      token += line[++i];
      inToken = true;
    } else if (c === "'" || c === '"') {
      quote = c;
      inToken = true;
    } else if (c === '#') break;
    else if (/\s/.test(c)) {
      if (inToken) out.push(token);
      token = '';
      inToken = false;
    } else {
      token += c;
      inToken = true;
    }
  }
  if (quote) return undefined;
  if (inToken) out.push(token);
  return out;
}
