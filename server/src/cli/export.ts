// `haconf export ansible [--manifest FILE ...] [--out DIR] [--haconf-command CMD] [--force]`: checks the
// manifests as `haconf deploy` would, then writes the inventory and playbooks (server/src/export/ansible.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultCheckOptions } from '../core/types';
import { NodeSourceHost, readRegularBytes } from '../core/sourceHost';
import { MANIFEST_NAMES } from '../engine/collect';
import { checkWorkspace } from '../engine/workspace';
import { sha256 } from '../deploy/plan';
import { ExportError, exportAnsible, type ExportInput } from '../export/ansible';
import { ArgCursor, UsageError } from './args';
import type { CliIO } from './check';
import { plural } from '../core/plural';
import { makeDirs } from '../core/makeDirs';

interface ExportArgs {
  manifests: string[];
  out: string;
  haconfCommand: string[];
  force: boolean;
}

function parseArgs(argv: string[], io: CliIO): ExportArgs {
  const [target, ...rest] = argv;
  if (target !== 'ansible') throw new UsageError(target === undefined ? "export needs a target: 'haconf export ansible'" : `unknown export target '${target}'; haconf exports to: ansible`);
  const out: ExportArgs = { manifests: [], out: path.resolve(io.cwd, 'ansible'), haconfCommand: ['haconf'], force: false };
  const args = new ArgCursor(rest);
  while (args.next()) {
    switch (args.name) {
      case '--manifest':
        out.manifests.push(path.resolve(io.cwd, args.value()));
        break;
      case '--out':
        out.out = path.resolve(io.cwd, args.value());
        break;
      case '--haconf-command': {
        const words = args.value().trim().split(/\s+/).filter(Boolean);
        if (!words.length) throw new UsageError('--haconf-command needs a command, e.g. "haconf" or "node /opt/haconf/dist/cli.js"');
        out.haconfCommand = words;
        break;
      }
      case '--force':
        out.force = args.flag();
        break;
      default:
        throw new UsageError(`unknown option ${args.name}; export ansible takes --manifest FILE (repeatable), --out DIR, --haconf-command CMD, --force`);
    }
  }
  if (!out.manifests.length) {
    const found = MANIFEST_NAMES.map((n) => path.join(io.cwd, n)).find((p) => fs.existsSync(p));
    if (!found) throw new UsageError(`no ${MANIFEST_NAMES.join(' or ')} in ${io.cwd}; pass --manifest FILE (once per cluster)`);
    out.manifests.push(found);
  }
  for (const m of out.manifests) if (!fs.existsSync(m)) throw new UsageError(`manifest ${m} does not exist`);
  if (new Set(out.manifests).size !== out.manifests.length) throw new UsageError('a manifest is named twice');
  return out;
}

export function runExport(argv: string[], io: CliIO): number {
  const a = parseArgs(argv, io);
  const ws = checkWorkspace({ files: [], manifests: a.manifests }, defaultCheckOptions(), new NodeSourceHost());
  const errors = ws.diagnostics.filter((d) => d.severity === 'error');
  const rel = (f: string): string => path.relative(io.cwd, f) || f;
  if (errors.length) {
    for (const d of errors) io.stderr(`${rel(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message} [${d.code}]\n`);
    if (!a.force) {
      io.stderr(`haconf: ${plural(errors.length, 'error')}: nothing exported (the playbook would refuse them too); fix them, or pass --force\n`);
      return 1;
    }
    io.stderr(`haconf: FORCED: exporting despite ${plural(errors.length, 'error')}; the playbook still refuses them unless run with -e haconf_force=true\n`);
  }
  const inputs: ExportInput[] = [];
  for (const file of a.manifests) {
    const res = ws.manifests.find((m) => m.manifest.file === file);
    const bytes = readRegularBytes(file);
    if (!res || !bytes.ok) {
      io.stderr(`haconf: cannot read the manifest ${rel(file)}${bytes.ok ? '' : `: ${bytes.reason}`}\n`);
      return 2;
    }
    const cluster = ws.clusters.find((c) => c.origin === 'manifest' && c.manifest?.file === file);
    inputs.push({ manifest: res.manifest, cluster, manifestSha256: sha256(bytes.bytes) });
  }
  let result: ReturnType<typeof exportAnsible>;
  try {
    result = exportAnsible(inputs, { haconfCommand: a.haconfCommand });
  } catch (e) {
    if (e instanceof ExportError) {
      io.stderr(`haconf: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  try {
    makeDirs(a.out, 0o700);
  } catch (e) {
    io.stderr(`haconf: ${(e as Error).message}\n`);
    return 1;
  }
  for (const f of result.files) {
    const dest = path.join(a.out, f.name);
    // Replaced by rename: a reader (or a running ansible-playbook) sees the old file or the new one.
    const tmp = `${dest}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, f.content, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, dest);
  }
  io.stdout(
    [
      `wrote ${result.files.map((f) => f.name).join(', ')} to ${rel(a.out)}`,
      ...result.groups.map((g) => `  ${g.group}: cluster ${g.cluster}, ${plural(g.hosts.length, 'host')} (${rel(g.manifest)})`),
      `run every cluster:  ansible-playbook -i ${rel(path.join(a.out, 'inventory.yml'))} ${rel(path.join(a.out, 'site.yml'))}`,
      `run one cluster:    ansible-playbook -i ${rel(path.join(a.out, 'inventory.yml'))} ${rel(path.join(a.out, 'cluster.yml'))} -e haconf_group=${result.groups[0].group}`,
      '',
    ].join('\n'),
  );
  return 0;
}
