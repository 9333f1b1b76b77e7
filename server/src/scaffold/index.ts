// The scaffold engine behind `haconf init` and the VS Code command "haconf: New HA Cluster…": plan the
// numbers, render every file, prove failover and a clean check in memory, then (only then) write.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomicConfined } from '../core/safeWrite';
import type { Diagnostic } from '../core/types';
import type { FailoverTable } from '../cluster/failover';
import { planScaffold, ScaffoldError, type RandomInt, type ScaffoldInput, type ScaffoldPlan } from './plan';
import { renderScaffold, type ScaffoldFiles } from './render';
import { checkRendered, failoverProblems } from './verify';
import { plural } from '../core/plural';
import { makeDirs } from '../core/makeDirs';

export { ScaffoldError, KINDS, isClusterKind, type ClusterKind, type ScaffoldInput, type ScaffoldPlan } from './plan';

export interface ScaffoldResult {
  plan: ScaffoldPlan;
  files: ScaffoldFiles;
  /** The VRRP failover table (keepalived kinds). */
  failover?: FailoverTable;
}

export const cryptoRandom: RandomInt = (max) => crypto.randomInt(max);

function located(d: Diagnostic, root: string): string {
  return `${path.relative(root, d.file) || d.file}:${d.range.start.line + 1}: ${d.severity} ${d.code}: ${d.message}`;
}

/**
 * Plans and renders the cluster for the folder `root` and proves it before anything is written. Throws
 * ScaffoldError naming what is wrong when the answers are inconsistent, when the simulation shows a failed
 * check would not move the VIP, or when `haconf check` would report anything on the files.
 */
export function buildScaffold(root: string, input: ScaffoldInput, random: RandomInt = cryptoRandom): ScaffoldResult {
  const plan = planScaffold(input, random);
  const { table, problems } = failoverProblems(plan);
  if (problems.length) {
    throw new ScaffoldError(
      `these priorities and weight would not fail over: ${problems.join('; ')}. Leave --weight out (haconf picks ${plan.nodes.length > 1 ? 'one that works' : 'it'}) or raise it`,
    );
  }
  const files = renderScaffold(plan);
  const services = new Map<string, string>();
  for (const f of input.serviceFiles ?? []) if (f.relative) services.set(path.join(root, f.relative), f.text);
  const findings = checkRendered(root, files, plan.haproxyVersion, services);
  if (findings.length) {
    // A bug of ours, not the user's: say so rather than write files the checker rejects.
    throw new ScaffoldError(`the generated files are not clean (please report this):\n  ${findings.map((d) => located(d, root)).join('\n  ')}`);
  }
  return { plan, files, failover: table };
}

/** Files of `files` that already exist under `root`. */
export function existingFiles(root: string, files: ScaffoldFiles): string[] {
  return [...files.keys()].filter((rel) => {
    try {
      fs.lstatSync(path.join(root, rel));
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Writes the files under `root` (created when missing). Refuses, before writing any, when one exists and
 * `force` is not set. keepalived.conf holds auth_pass: 0600; the others 0644; the pcs script 0755.
 */
export function writeScaffold(root: string, files: ScaffoldFiles, force: boolean): string[] {
  const existing = existingFiles(root, files);
  if (existing.length && !force) {
    throw new ScaffoldError(
      `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}; haconf init does not overwrite files (use --force to replace them, or pick another folder)`,
    );
  }
  makeDirs(root);
  const written: string[] = [];
  for (const [rel, text] of files) {
    const mode = rel.endsWith('keepalived.conf') ? 0o600 : rel.endsWith('.sh') ? 0o755 : 0o644;
    writeAtomicConfined(root, rel, text, mode);
    written.push(rel);
  }
  return written;
}

/** A few lines saying what the cluster is and how it fails over, for the CLI and the editor. */
export function summarizeScaffold(r: ScaffoldResult): string[] {
  const p = r.plan;
  const lines = [`cluster ${p.cluster} (${p.kind}): VIP ${p.vip}/${p.prefix} on ${p.nodes.map((n) => `${n.name} ${n.ip}`).join(', ')}`];
  if (p.kind === 'pacemaker') {
    lines.push(`corosync: ${plural(p.nodes.length, 'node')} (knet, encrypted${p.nodes.length === 2 ? ', two_node' : ''}); Pacemaker moves the VIP (pcs-resources.sh)`);
  } else {
    lines.push(`VRRP: VRID ${p.vrid}, the same auth_pass on every node, priorities ${p.nodes.map((n) => n.priority).join('/')}, check weight +${p.weight}`);
    const t = r.failover;
    const holder = t?.initialHolder;
    const fails = t?.scenarios.find((s) => s.kind === 'script-fails' && s.node === holder);
    if (holder && fails) lines.push(`failover: ${holder} holds the VIP; if its HAProxy stops answering, the VIP moves to ${fails.holder ?? 'nobody'}`);
  }
  if (p.kind === 'apiserver') lines.push(`HAProxy: *:${p.frontendPort} -> ${p.backends.map((b) => `${b}:6443`).join(', ')}`);
  else lines.push(`HAProxy: ${p.ports.map((x) => (x.listen === x.nodePort ? `${x.listen}` : `${x.listen}->${x.nodePort}`)).join(', ')} on ${p.backends.join(', ')}`);
  return lines;
}
