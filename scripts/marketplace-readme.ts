// The user README (README.marketplace.md, the extension's page; README.md is the developers' one): its
// commands and settings tables are generated from package.json's `contributes`, so the page cannot drift from
// what the extension declares. `npm run gen:readme` rewrites them in place;
// test/unit/marketplace-readme.test.ts fails when the committed page is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MARKETPLACE_README = path.resolve(__dirname, '..', 'README.marketplace.md');

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
  enablement?: string;
}

interface SettingContribution {
  type?: string | string[];
  default?: unknown;
  enum?: string[];
  scope?: string;
  description?: string;
  markdownDescription?: string;
  additionalProperties?: { enum?: string[] };
}

export interface Manifest {
  contributes: {
    commands: CommandContribution[];
    configuration: { properties: Record<string, SettingContribution> };
    menus?: { commandPalette?: { command: string; when?: string }[]; 'view/title'?: { command: string }[]; 'view/item/context'?: { command: string }[] };
  };
}

/**
 * What each command does, for the user. A command added to package.json without a line here fails the
 * generator (and so the test): the page lists every command.
 */
const COMMAND_NOTES: Record<string, string> = {
  'haconf.checkWorkspace': 'Checks every config of the workspace again (also unopened files) and says how many clusters and errors it found.',
  'haconf.showCluster': "Opens the failover table of the active file's cluster: per scenario, each node's effective priority and who holds the VIP.",
  'haconf.newCluster': 'Asks a few questions (kind, VIP, nodes, ports, HAProxy version), shows the failover it will produce, then writes haconf.yaml and every config.',
  'haconf.openRuleDocs': "Opens a rule's page (bundled, offline); clicking a finding's code does the same.",
  'haconf.deploy': 'Picks a cluster and hosts, stages the files over ssh, shows the plan as masked diffs, and deploys host by host with rollback.',
  'haconf.deployDryRun': 'Everything a deploy does up to the plan, nothing changed on the hosts.',
  'haconf.checkUpgrade': 'Picks a newer HAProxy version and lists, per file and cluster, what it removes, deprecates or changes; applies every mechanical rewrite in one edit you review.',
  'haconf.checkDrift': 'Compares what each host runs with the workspace and marks the hosts and files in the Clusters view.',
  'haconf.driftAdopt': "On a drifted file in the Clusters view: takes the host's version into the workspace.",
  'haconf.driftDeploy': 'On a drifted file in the Clusters view: deploys the workspace version to that host.',
  'haconf.driftOpenDiff': "Opens a drifted file's masked diff (secrets hidden); run from the Clusters view.",
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

function hiddenFromPalette(m: Manifest, command: string): boolean {
  return (m.contributes.menus?.commandPalette ?? []).some((e) => e.command === command && e.when === 'false');
}

function inClustersView(m: Manifest, command: string): boolean {
  return [...(m.contributes.menus?.['view/title'] ?? []), ...(m.contributes.menus?.['view/item/context'] ?? [])].some((e) => e.command === command);
}

export function renderCommands(m: Manifest): string {
  const rows = m.contributes.commands.map((c) => {
    const note = COMMAND_NOTES[c.command];
    if (!note) throw new Error(`${c.command} has no line in COMMAND_NOTES (scripts/marketplace-readme.ts): say what it does for the user`);
    // A command in neither the palette nor a menu is run by clicking an item of the Clusters view.
    const where = [hiddenFromPalette(m, c.command) ? '' : 'Command Palette', inClustersView(m, c.command) ? 'Clusters view' : ''].filter(Boolean).join(', ') || 'Clusters view items';
    const trust = c.enablement?.includes('isWorkspaceTrusted') ? ' Not in Restricted Mode.' : '';
    return `| **${cell(`${c.category ? `${c.category}: ` : ''}${c.title}`)}** | ${where} | ${cell(note)}${trust} |`;
  });
  return ['| command | where | what it does |', '|---|---|---|', ...rows].join('\n');
}

function typeOf(s: SettingContribution): string {
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (s.type === 'object' && s.additionalProperties?.enum) return `object of ${s.additionalProperties.enum.map((v) => `\`${v}\``).join(' \\| ')}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? '');
}

export function renderSettings(m: Manifest): string {
  const rows = Object.entries(m.contributes.configuration.properties).map(([key, s]) => {
    const text = s.markdownDescription ?? s.description ?? '';
    if (!text) throw new Error(`setting ${key} has no description in package.json`);
    const scope = s.scope === 'machine' ? ' *(user or machine settings only)*' : '';
    return `| \`${key}\` | ${typeOf(s)} | \`${JSON.stringify(s.default ?? null)}\` | ${cell(text)}${scope} |`;
  });
  return ['| setting | type | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

const BLOCKS: Record<string, (m: Manifest) => string> = { commands: renderCommands, settings: renderSettings };

/** `text` with every `<!-- generated:NAME -->…<!-- /generated:NAME -->` block rewritten from the manifest. */
export function syncGenerated(text: string, m: Manifest): string {
  let out = text;
  for (const [name, render] of Object.entries(BLOCKS)) {
    const open = `<!-- generated:${name} (npm run gen:readme) -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README.marketplace.md lacks the ${open} … ${close} block`);
    out = `${out.slice(0, start + open.length)}\n${render(m)}\n${out.slice(end)}`;
  }
  return out;
}

export function readManifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as Manifest;
}

if (require.main === module) {
  const text = fs.readFileSync(MARKETPLACE_README, 'utf8');
  fs.writeFileSync(MARKETPLACE_README, syncGenerated(text, readManifest()));
  console.log(`wrote ${path.relative(process.cwd(), MARKETPLACE_README)}`);
}
