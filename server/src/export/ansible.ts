// `haconf export ansible`: turns checked cluster manifests into an Ansible inventory and playbooks that keep
// haconf deploy's guarantees on Ansible's engine (see docs/ansible.md). Pure: it takes the manifests and
// cluster models the engine already built and returns file contents; the CLI writes them.
//
// Everything that comes from a manifest (names, paths, commands) is written as `!unsafe` YAML scalars, so
// Ansible never templates it: a `{{` in a reload command stays text. The remote steps reuse haconf's own
// remote scripts (lock, install, restore, remove, unlock) with values passed as arguments, never pasted
// into shell text.
import * as path from 'node:path';
import type { Language } from '../core/types';
import type { Cluster } from '../cluster/model';
import type { Manifest, ManifestHost } from '../manifest/model';
import { detectLanguage } from '../engine/detect';
import { isTemplatePath } from '../templates/names';
import { vrrpView } from '../deploy/order';
import { replaceFileToken } from '../deploy/quote';
import { scriptText } from '../deploy/scripts';
import { DEFAULT_LOCK_DIR } from '../deploy/lock';
import { CLUSTER_PLAYBOOK, SITE_PLAYBOOK, VIPCHECK_TASKS } from './ansiblePlaybooks';

export interface ExportInput {
  manifest: Manifest;
  /** The cluster model of this manifest (priorities, VIPs); undefined when it has no VRRP. */
  cluster?: Cluster;
  /** sha256 of the manifest file as read for this export: the playbook refuses a manifest changed since. */
  manifestSha256: string;
}

export interface ExportOptions {
  /** How the playbook runs haconf on the controller (argv prefix), e.g. ['haconf'] or ['node', '/x/cli.js']. */
  haconfCommand: string[];
}

export interface ExportedFile {
  name: string;
  content: string;
}

export class ExportError extends Error {}

/** Kinds reloaded after a host's files change: the same order as haconf deploy (deploy/plan.ts). */
const RELOAD_ORDER: Language[] = ['corosync', 'haproxy', 'keepalived'];

/** A YAML scalar Ansible will not template. JSON strings are valid YAML double-quoted scalars. */
const unsafe = (s: string): string => `!unsafe ${JSON.stringify(s)}`;
const plain = (s: string): string => JSON.stringify(s);

/** Ansible group and host names: letters, digits and underscores (group names must be identifiers). */
function ident(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * The manifest's validate command as a `sh -c` script taking the candidate as `$1`: outside quotes
 * `"$1"`, inside "…" `$1`, inside '…' the quote is closed around it. The command stays the author's shell.
 */
export function validateScript(template: string): string {
  const body = replaceFileToken(template, (state) => (state === 'plain' ? '"$1"' : state === 'double' ? '$1' : `'"$1"'`));
  return `cd / || exit 1\n${body}`;
}

function sshVars(h: ManifestHost, baseDir: string): string[] {
  const s = h.ssh;
  const local = (p: string): string => (p.startsWith('~') || path.isAbsolute(p) ? p : path.resolve(baseDir, p));
  const address = s.host ?? h.address.split('/')[0];
  const common = ['-o BatchMode=yes', `-o StrictHostKeyChecking=${s.strictHostKeyChecking}`];
  if (s.knownHostsFile !== undefined) common.push(`-o UserKnownHostsFile=${local(s.knownHostsFile)}`);
  if (s.identityFile !== undefined) common.push('-o IdentitiesOnly=yes');
  if (s.connectTimeout !== undefined) common.push(`-o ConnectTimeout=${s.connectTimeout}`);
  for (const c of common) if (/[\s"'\\]/.test(c.slice(3))) throw new ExportError(`${h.name}: ssh setting ${JSON.stringify(c.slice(3))} must be a plain value without spaces or quotes`);
  const out = [`ansible_host: ${unsafe(address)}`];
  if (s.user !== undefined) out.push(`ansible_user: ${unsafe(s.user)}`);
  if (s.port !== undefined) out.push(`ansible_port: ${s.port}`);
  if (s.identityFile !== undefined) out.push(`ansible_ssh_private_key_file: ${unsafe(local(s.identityFile))}`);
  out.push(`ansible_ssh_common_args: ${unsafe(common.join(' '))}`);
  return out;
}

function hostBlock(h: ManifestHost, index: number, inv: string, m: Manifest, view: ReturnType<typeof vrrpView>): string {
  const files = h.files.map((f) => {
    // The exported playbook copies sources as they are: a template would reach the host with its `{{ … }}`.
    if (isTemplatePath(f.sourceAbs))
      throw new ExportError(
        `${m.file}:${f.sourceRange.start.line + 1}: source ${f.source} is a Jinja2 template; the exported playbook copies files as they are and would put the raw template on ${h.name}. Deploy this manifest with 'haconf deploy' (it renders the template per host), or export a manifest that names rendered files`,
      );
    const kind = f.kind ?? detectLanguage(f.sourceAbs, '');
    if (!kind) throw new ExportError(`${m.file}: cannot tell which service ${f.source} belongs to; add kind: haproxy|keepalived|corosync to its entry`);
    const validate = h.services[kind]?.validate;
    if (!validate?.includes('{file}')) throw new ExportError(`${m.file}: host ${h.name} has no validate command with {file} for ${kind}`);
    const mode = !f.mode ? '0600' : f.mode.length === 3 ? `0${f.mode}` : f.mode;
    return `{ source: ${unsafe(f.sourceAbs)}, target: ${unsafe(f.target)}, kind: ${kind}, mode: ${plain(mode)}, validate: ${unsafe(validateScript(validate))} }`;
  });
  const kinds = new Set(h.files.map((f) => f.kind ?? detectLanguage(f.sourceAbs, '')));
  const services = RELOAD_ORDER.filter((k) => kinds.has(k)).map((k) => {
    const sc = h.services[k] ?? {};
    const parts = [`kind: ${k}`];
    if (sc.reload) parts.push(`reload: ${unsafe(`cd / || exit 1\n${sc.reload}`)}`);
    if (sc.status) parts.push(`status: ${unsafe(`cd / || exit 1\n${sc.status}`)}`);
    return `{ ${parts.join(', ')} }`;
  });
  const prio = view.priorities.get(h.name);
  return [
    `        ${inv}:`,
    ...sshVars(h, m.dir).map((l) => `          ${l}`),
    `          haconf_name: ${unsafe(h.name)}`,
    `          haconf_index: ${index}`,
    `          haconf_priority: ${prio ?? -1}`,
    `          haconf_static_holder: ${view.holders.has(h.name)}`,
    `          haconf_files:`,
    ...files.map((f) => `            - ${f}`),
    `          haconf_services:`,
    ...(services.length ? services.map((s) => `            - ${s}`) : []),
  ].join('\n');
}

export interface ExportResult {
  files: ExportedFile[];
  /** Ansible group per cluster, in manifest order. */
  groups: { cluster: string; group: string; manifest: string; hosts: string[] }[];
}

/** Builds inventory.yml, site.yml, cluster.yml, haconf-vipcheck.yml and haconf-scripts.yml for the given clusters. */
export function exportAnsible(inputs: ExportInput[], opts: ExportOptions): ExportResult {
  if (!inputs.length) throw new ExportError('no manifest to export');
  if (!opts.haconfCommand.length) throw new ExportError('the haconf command is empty');
  const usedGroups = new Set<string>();
  const usedHosts = new Set<string>();
  const groups: ExportResult['groups'] = [];
  const blocks: string[] = [];
  for (const input of inputs) {
    const m = input.manifest;
    if (!m.hosts.length) throw new ExportError(`${m.file} lists no hosts`);
    const name = m.cluster ?? path.basename(m.dir);
    let group = `haconf_${ident(name)}`;
    for (let i = 2; usedGroups.has(group); i++) group = `haconf_${ident(name)}_${i}`;
    usedGroups.add(group);
    const view = vrrpView(input.cluster);
    const hostNames: string[] = [];
    const hostBlocks = m.hosts.map((h, i) => {
      // Inventory names are global in Ansible; two clusters often both have an "lb1".
      let inv = `${ident(name)}__${ident(h.name)}`;
      for (let n = 2; usedHosts.has(inv); n++) inv = `${ident(name)}__${ident(h.name)}_${n}`;
      usedHosts.add(inv);
      hostNames.push(inv);
      return hostBlock(h, i, inv, m, view);
    });
    groups.push({ cluster: name, group, manifest: m.file, hosts: hostNames });
    blocks.push(
      [
        `    ${group}:`,
        `      vars:`,
        `        haconf_cluster: ${unsafe(name)}`,
        `        haconf_manifest: ${unsafe(m.file)}`,
        `        haconf_manifest_sha256: ${plain(input.manifestSha256)}`,
        `        haconf_vips: [${view.vips.map(plain).join(', ')}]`,
        `        haconf_settle_seconds: ${m.deploy.settleSeconds}`,
        `        haconf_keep_backups: ${m.deploy.keepBackups}`,
        `      hosts:`,
        ...hostBlocks,
      ].join('\n'),
    );
  }
  const inventory = [
    '# Written by `haconf export ansible`; re-export after changing a haconf.yaml (the playbook refuses a',
    '# manifest that changed since). Values from the manifests are !unsafe: Ansible never templates them.',
    'all:',
    '  vars:',
    `    haconf_command: [${opts.haconfCommand.map(unsafe).join(', ')}]`,
    `    haconf_lock_dir: ${plain(DEFAULT_LOCK_DIR)}`,
    // One ssh round trip per module instead of three (upload, run, clean up); needs no `requiretty` in sudoers.
    '    ansible_pipelining: true',
    '    haconf_clusters:',
    ...groups.map((g) => `      - { group: ${g.group}, cluster: ${unsafe(g.cluster)}, manifest: ${unsafe(g.manifest)} }`),
    '  children:',
    ...blocks,
    '',
  ].join('\n');
  const scripts = [
    "# haconf's own remote scripts (server/src/deploy/scripts.ts), run as `sh -c SCRIPT haconf ARGS...`.",
    ...(['lock', 'refresh', 'unlock', 'install', 'restore', 'remove', 'haproxy-alive'] as const).map((op) => `haconf_script_${op.replace('-', '_')}: ${unsafe(scriptText(op))}`),
    '',
  ].join('\n');
  return {
    groups,
    files: [
      { name: 'inventory.yml', content: inventory },
      { name: 'haconf-scripts.yml', content: scripts },
      { name: 'cluster.yml', content: CLUSTER_PLAYBOOK },
      { name: 'site.yml', content: SITE_PLAYBOOK },
      { name: 'haconf-vipcheck.yml', content: VIPCHECK_TASKS },
    ],
  };
}
