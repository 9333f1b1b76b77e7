// Pre-flight (the full local check) and the plan: what each host runs now, what would change, in which
// order the hosts are rolled out.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckOptions, Diagnostic, Language } from '../core/types';
import { readRegularBytes, readRegularFile, type SourceHost } from '../core/sourceHost';
import { checkWorkspace } from '../engine/workspace';
import { detectLanguage } from '../engine/detect';
import type { Cluster } from '../cluster/model';
import type { Manifest, ManifestFile, ManifestHost } from '../manifest/model';
import { runOn, toolMessage, type StepContext } from './context';
import type { RunResult } from './transport';
import { unifiedDiff } from './diff';
import { maskText } from './secrets';
import type { FilePlan, HostPlan, RemoteState } from './events';
import { maskLine } from './secrets';
import { calls } from './scripts';
import { holdsVip, rolloutOrder, vrrpView } from './order';
import { plural } from '../core/plural';
import { isTemplatePath } from '../templates/names';
import { renderWorkspaceTemplates, type RenderedFile, type UnrenderedHost } from '../templates/workspace';
import { hasJinja } from '../templates/jinja';

export class DeployUsageError extends Error {}

export interface Preflight {
  manifest: Manifest;
  cluster?: Cluster;
  diagnostics: Diagnostic[];
  errors: Diagnostic[];
  /** The renderings the check made of each template, per host (`localKey`): exactly what was checked. */
  rendered: Map<string, RenderedFile>;
  /** Manifest hosts a template source could not be rendered for, and why. */
  unrendered: UnrenderedHost[];
}

/** How a local file is keyed in a plan: a template source renders differently per host. */
export const localKey = (host: string, sourceAbs: string): string => `${host}\0${sourceAbs}`;

export function preflight(manifestPath: string, options: CheckOptions, host: SourceHost): Preflight {
  const abs = path.resolve(manifestPath);
  const ws = checkWorkspace({ files: [], manifests: [abs] }, options, host);
  const res = ws.manifests.find((m) => m.manifest.file === abs);
  if (!res) {
    const why = ws.diagnostics.find((d) => d.file === abs)?.message ?? 'unreadable';
    throw new DeployUsageError(`cannot read the manifest ${abs}: ${why}`);
  }
  const cluster = ws.clusters.find((c) => c.origin === 'manifest' && c.manifest?.file === abs);
  // The same pass rendered each template the manifest names for each of its hosts (templates/workspace.ts)
  // and checked those texts: the deploy ships these renderings, never a second one.
  const rendering = ws.model.templateRendering;
  const rendered = new Map((rendering?.rendered ?? []).map((r) => [localKey(r.host.name, r.template), r]));
  const names = new Set(res.manifest.hosts.map((h) => h.name));
  const unrendered = (rendering?.unrendered ?? []).filter((u) => names.has(u.host));
  return { manifest: res.manifest, cluster, diagnostics: ws.diagnostics, errors: ws.diagnostics.filter((d) => d.severity === 'error'), rendered, unrendered };
}

export function selectHosts(m: Manifest, names: string[] | undefined): ManifestHost[] {
  if (!m.hosts.length) throw new DeployUsageError(`${m.file} lists no hosts`);
  if (!names?.length) return m.hosts;
  const known = new Set(m.hosts.map((h) => h.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new DeployUsageError(`unknown ${unknown.length === 1 ? 'host' : 'hosts'} ${unknown.join(', ')}; the manifest has ${[...known].join(', ')}`);
  return m.hosts.filter((h) => names.includes(h.name));
}

export interface LocalFile {
  content: Buffer;
  sha256: string;
  kind: Language;
  /** Set when the content is a template's rendering for one host. */
  renderedFor?: string;
  /** Values of the inventory variables named like secrets that the rendering used (scrubbed from output). */
  secretValues?: string[];
}

export const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Reads a source the way the engine reads configs: regular files only, within the size limit. */
export function readLocal(f: ManifestFile): LocalFile {
  if (!fs.existsSync(f.sourceAbs)) throw new DeployUsageError(`source ${f.source} does not exist (${f.sourceAbs})`);
  // Never a plain read: /proc and device files look regular (size 0) and can block forever.
  const read = readRegularBytes(f.sourceAbs);
  if (!read.ok) throw new DeployUsageError(`source ${f.source}: ${read.reason}`);
  const content = read.bytes;
  const kind = f.kind ?? detectLanguage(f.sourceAbs, content.toString('utf8'));
  if (!kind) throw new DeployUsageError(`cannot tell which service ${f.source} belongs to; add kind: haproxy|keepalived|corosync to its entry in the manifest`);
  return { content, sha256: sha256(content), kind };
}

/** A source haconf reads as a Jinja2 template (by name or folder): shipped as its rendering per host. */
export function isTemplateSource(f: ManifestFile): boolean {
  return isTemplatePath(f.sourceAbs);
}

/** The pre-flight's rendering of a template source for one host; undefined when there is none. */
export function renderedLocal(pf: Pick<Preflight, 'rendered'>, host: string, f: ManifestFile): LocalFile | undefined {
  const r = pf.rendered.get(localKey(host, f.sourceAbs));
  if (!r) return undefined;
  const content = Buffer.from(r.rendered.text, 'utf8');
  const secretValues = Object.entries(r.host.vars)
    .filter(([name, v]) => /pass|secret|key|token/i.test(name) && (typeof v === 'string' || typeof v === 'number'))
    .map(([, v]) => String(v));
  return { content, sha256: sha256(content), kind: f.kind ?? r.language, renderedFor: host, secretValues };
}

/**
 * What a host is shipped for one source: the file itself; for a template source its rendering for that
 * host, or, when there is none, the file itself only if it holds no Jinja syntax at all (a plain config
 * that sits in a role's `templates/` folder renders to itself). Undefined: a template that cannot be shipped.
 */
export function localFor(pf: Pick<Preflight, 'rendered'>, host: string, f: ManifestFile, plain: Map<string, LocalFile> = new Map()): LocalFile | undefined {
  if (isTemplateSource(f)) {
    const r = renderedLocal(pf, host, f);
    if (r) return r;
  }
  let l = plain.get(f.sourceAbs);
  if (!l) {
    l = readLocal(f);
    plain.set(f.sourceAbs, l);
  }
  return isTemplateSource(f) && hasJinja(l.content.toString('utf8')) ? undefined : l;
}

/**
 * The local content of every file of these hosts, keyed by `localKey` (`localFor`; plain files read once).
 * A template that cannot be shipped is a usage error here; `unrenderedProblems` words it for the refusal
 * before any host is contacted.
 */
export function readLocals(pf: Pick<Preflight, 'rendered'>, hosts: readonly ManifestHost[]): Map<string, LocalFile> {
  const plain = new Map<string, LocalFile>();
  const out = new Map<string, LocalFile>();
  for (const h of hosts)
    for (const f of h.files) {
      const l = localFor(pf, h.name, f, plain);
      if (!l) throw new DeployUsageError(`${f.source} is a template and was not rendered for ${h.name}; nothing was done`);
      out.set(localKey(h.name, f.sourceAbs), l);
    }
  return out;
}

/**
 * The manifest's template sources rendered for these hosts without a workspace check (drift compares
 * them; deploy uses the pre-flight's renderings instead, which are also checked). Same renderer.
 */
export function renderTemplateSources(m: Manifest, hosts: readonly ManifestHost[]): Pick<Preflight, 'rendered' | 'unrendered'> {
  const templates: { file: string; language: Language; text: string }[] = [];
  const unrendered: UnrenderedHost[] = [];
  for (const h of hosts)
    for (const f of h.files) {
      if (!isTemplateSource(f) || templates.some((t) => t.file === f.sourceAbs) || unrendered.some((u) => u.template === f.sourceAbs && u.host === h.name)) continue;
      const r = readRegularFile(f.sourceAbs);
      const language = r.ok ? (f.kind ?? detectLanguage(f.sourceAbs, r.text)) : undefined;
      if (r.ok && language) templates.push({ file: f.sourceAbs, language, text: r.text });
      else unrendered.push({ template: f.sourceAbs, host: h.name, line: 0, message: r.ok ? `cannot tell which service ${f.source} belongs to; add kind: to its manifest entry` : r.reason });
    }
  const rendering = renderWorkspaceTemplates(templates, [m]);
  return { rendered: new Map(rendering.rendered.map((r) => [localKey(r.host.name, r.template), r])), unrendered: [...unrendered, ...rendering.unrendered] };
}

/**
 * Why the selected hosts' template sources cannot be shipped, one line per template, line and host with what
 * to do; empty when every one was rendered.
 */
export function unrenderedProblems(pf: Pick<Preflight, 'rendered' | 'unrendered'>, hosts: readonly ManifestHost[]): string[] {
  const out: string[] = [];
  const plain = new Map<string, LocalFile>();
  for (const h of hosts)
    for (const f of h.files) {
      if (!isTemplateSource(f) || pf.rendered.has(localKey(h.name, f.sourceAbs))) continue;
      try {
        if (localFor(pf, h.name, f, plain)) continue;
      } catch (e) {
        out.push(`${f.source}: ${h.name}: ${(e as Error).message}`);
        continue;
      }
      const why = pf.unrendered.find((u) => u.host === h.name && u.template === f.sourceAbs);
      const where = `${f.source}:${(why?.line ?? 0) + 1}`;
      const reason = why?.message ?? 'no rendering for this host (no inventory or playbook names it)';
      out.push(`${where}: ${h.name}: template not rendered: ${reason}`);
    }
  return out;
}

export type RemoteRead = { ok: true; state: RemoteState; content: Buffer } | { ok: false; message: string; unreachable: boolean };

export async function readRemote(ctx: StepContext, h: ManifestHost, target: string): Promise<RemoteRead> {
  return parseRead(ctx, h, target, await runOn(ctx, h, calls.read(target)));
}

/** The answer of a `read` call (alone or inside a batch). */
export function parseRead(ctx: StepContext, h: ManifestHost, target: string, r: RunResult): RemoteRead {
  if (r.code !== 0) return { ok: false, message: toolMessage(ctx, r), unreachable: r.connectionFailed };
  const nl = r.stdout.indexOf(0x0a);
  const head = r.stdout.subarray(0, nl < 0 ? r.stdout.length : nl).toString('utf8');
  const body = nl < 0 ? Buffer.alloc(0) : r.stdout.subarray(nl + 1);
  if (head === 'HACONF missing') return { ok: true, state: { present: false }, content: Buffer.alloc(0) };
  const m = /^HACONF present ([0-7]+) (\d+) (\d+)$/.exec(head);
  if (!m) return { ok: false, message: `unexpected answer from ${h.name} reading ${target}`, unreachable: false };
  return { ok: true, state: { present: true, sha256: sha256(body), mode: m[1], uid: Number(m[2]), gid: Number(m[3]) }, content: body };
}

/** Kinds reloaded after a host's files change: haproxy before keepalived, so VRRP checks see the new proxy. */
const RELOAD_ORDER: Language[] = ['corosync', 'haproxy', 'keepalived'];

export interface PlannedHost extends HostPlan {
  host: ManifestHost;
  /** Local content per target, for staging. */
  local: Map<string, LocalFile>;
}

export interface PlanInput {
  hosts: ManifestHost[];
  locals: Map<string, LocalFile>; // keyed by localKey(host, sourceAbs)
  remote: Map<string, Map<string, { state: RemoteState; content: Buffer }>>; // host → target → state
  cluster?: Cluster;
  /** Live VIP holders, when probed. */
  liveHolders?: Set<string>;
  /** Text of a file for diffs: decoded as UTF-8. */
  showDiff: boolean;
}

export function buildHostPlans(input: PlanInput): { hosts: PlannedHost[]; vips: string[] } {
  const view = vrrpView(input.cluster);
  const holders = input.liveHolders?.size ? input.liveHolders : view.holders;
  const plans: PlannedHost[] = input.hosts.map((h) => {
    const local = new Map<string, LocalFile>();
    const files: FilePlan[] = h.files.map((f) => {
      const l = input.locals.get(localKey(h.name, f.sourceAbs))!;
      const label = l.renderedFor ? `${f.source} (rendered for ${l.renderedFor})` : f.source;
      local.set(f.target, l);
      const rem = input.remote.get(h.name)?.get(f.target) ?? { state: { present: false }, content: Buffer.alloc(0) };
      const changed = !rem.state.present || rem.state.sha256 !== l.sha256;
      const diff =
        changed && input.showDiff ? unifiedDiff(rem.content.toString('utf8'), l.content.toString('utf8'), `${h.name}:${f.target}${rem.state.present ? '' : ' (missing)'}`, label, 3, maskLine) : '';
      // Both sides masked, for a side-by-side diff view that must not show secrets either.
      const texts = changed && input.showDiff ? { remoteText: maskText(rem.content.toString('utf8')), localText: maskText(l.content.toString('utf8')) } : {};
      return {
        host: h.name,
        source: f.source,
        sourceAbs: f.sourceAbs,
        target: f.target,
        kind: l.kind,
        localSha256: l.sha256,
        remote: rem.state,
        changed,
        diff,
        newMode: normaliseMode(f.mode),
        ...(l.renderedFor ? { renderedFor: l.renderedFor } : {}),
        ...texts,
      };
    });
    const kinds = new Set(files.filter((f) => f.changed).map((f) => f.kind));
    return {
      name: h.name,
      host: h,
      files,
      local,
      changed: kinds.size > 0,
      reloads: RELOAD_ORDER.filter((k) => kinds.has(k)),
      effectivePriority: view.priorities.get(h.name),
      vipHolder: holders.has(h.name),
    };
  });
  const order = rolloutOrder(
    plans.map((p) => p.name),
    view.priorities,
    holders,
  );
  return { hosts: order.map((n) => plans.find((p) => p.name === n)!), vips: view.vips };
}

function normaliseMode(m: string | undefined): string {
  if (!m) return '0600'; // new targets may hold secrets (auth_pass); owners widen it on purpose
  return m.length === 3 ? `0${m}` : m;
}

/**
 * Which hosts carry each VIP, from `ip -o addr` on every host. `known` holds answers already fetched
 * (in the lock batch), so those hosts are not asked twice.
 */
export async function probeVips(
  ctx: StepContext,
  hosts: ManifestHost[],
  vips: string[],
  known?: Map<string, Promise<RunResult>>,
): Promise<{ ok: true; holders: Map<string, string[]> } | { ok: false; message: string }> {
  const res = await Promise.all(hosts.map((h) => known?.get(h.name) ?? runOn(ctx, h, calls.addrs())));
  const bad = res.findIndex((r) => r.code !== 0);
  if (bad >= 0) return { ok: false, message: `cannot read addresses on ${hosts[bad].name}: ${toolMessage(ctx, res[bad])}` };
  const holders = new Map<string, string[]>();
  for (const v of vips)
    holders.set(
      v,
      hosts.filter((_, i) => holdsVip(res[i].stdout.toString('utf8'), v)).map((h) => h.name),
    );
  return { ok: true, holders };
}

/** '' when every VIP sits on exactly one host, else what is wrong. */
export function vrrpProblem(holders: Map<string, string[]>): string {
  const bad = [...holders].filter(([, hs]) => hs.length !== 1);
  return bad.map(([v, hs]) => (hs.length ? `VIP ${v} is held by ${plural(hs.length, 'host')} (${hs.join(', ')}): split brain` : `VIP ${v} is held by no host`)).join('; ');
}
