import * as path from 'node:path';
import { defaultCheckOptions, type Diagnostic } from '../core/types';
import { NodeSourceHost } from '../core/sourceHost';
import { checkWorkspace } from '../engine/workspace';
import { collectFiles } from '../engine/collect';
import { clusterViews, type FailoverView } from '../cluster/view';
import { ArgCursor, UsageError } from './args';
import type { CliIO } from './check';
import { escapeForTerminal } from '../core/hiddenText';

/** The failover table as aligned text; the blocked scenarios are flagged. */
export function formatFailoverTable(f: FailoverView): string {
  const head = ['scenario', ...f.nodes, 'VIP on'].map(escapeForTerminal);
  // Names come from config text: escaped before the widths are measured, so columns stay aligned and a
  // bidirectional control cannot make one script's name pass for another's (core/hiddenText.ts).
  const rows = f.rows.map((r) => [r.label, ...r.states, r.holder ?? '(nobody)'].map(escapeForTerminal));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const flag = (i: number) => (f.rows[i].blocked ? '   <- VIP stays on the failed node' : '');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r, i) => line(r) + flag(i))].join('\n');
}

/** `haconf cluster [PATH...] [--format text|json]`: the cluster model and its failover table. */
export function runCluster(argv: string[], io: CliIO): number {
  let format: 'text' | 'json' = 'text';
  const paths: string[] = [];
  const args = new ArgCursor(argv);
  while (args.next()) {
    const a = args.name;
    if (a === '--format') {
      const v = args.value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not '${v}'`);
      format = v;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else paths.push(a);
  }
  const collected = collectFiles(paths.length ? paths : ['.'], io.cwd);
  for (const u of collected.unreadable) io.stderr(`haconf: ${u.reason}\n`);
  if (collected.unreadable.length) return 2;
  const ws = checkWorkspace({ files: collected.files, manifests: collected.manifests }, defaultCheckOptions(), new NodeSourceHost());
  const rel = (f: string) => path.relative(io.cwd, f) || f;
  // The same summaries the editor's cluster view shows.
  const byFile = new Map<string, Diagnostic[]>();
  // Appended in place: copying the list for every finding made this quadratic in findings per file
  // (100,000 findings in one file took minutes).
  for (const d of ws.diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const reports = clusterViews(ws.clusters, (f) => byFile.get(f) ?? []);
  // Split HAProxy configurations: which files haconf reads together, in which order, and why.
  const sets = ws.haproxySets.map((s) => ({ files: s.files.map(rel), reason: s.reason }));
  if (format === 'json') {
    io.stdout(JSON.stringify({ clusters: reports, haproxySets: sets }, null, 2) + '\n');
    return 0;
  }
  const setLines = sets.map((s) => `haproxy set (${s.reason}): ${s.files.join(', ')}`);
  if (!reports.length) {
    io.stdout(['no cluster found: add a haconf.yaml, or keep the keepalived.conf files of peers that share a VIP under one folder', ...setLines].join('\n') + '\n');
    return 0;
  }
  const out: string[] = [];
  for (const r of reports) {
    out.push(`cluster ${r.name} (${r.origin}: ${r.reason})`);
    for (const n of r.nodes) out.push(`  ${n.name}${n.address ? ' ' + n.address : ''}: ${n.files.map(rel).join(', ') || 'no files'}`);
    for (const f of r.failover) {
      out.push('', `  VRRP ${f.instance} VRID ${f.vrid ?? '?'} VIP ${f.vips.join(' ')}`);
      out.push(formatFailoverTable(f).replace(/^/gm, '    '));
    }
    out.push('');
  }
  if (setLines.length) out.push(...setLines, '');
  io.stdout(out.join('\n') + '\n');
  return 0;
}
