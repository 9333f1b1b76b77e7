// Templates rendered per host inside a workspace check. For each template the check found, the Ansible
// project around it gives an inventory (ansible.cfg or the usual names), the plays that use the template
// give the group, and each host of the group gets a rendered text checked as a virtual file
// `<project>/.haconf-rendered/<project name>/<host>/<config name>`. Those files join the cluster layer like real ones (the
// folder name is the node name), and every finding on them is mapped back to the template line that
// produced the output line, prefixed with the host, with the variable file that gave the value as related
// information. A host that cannot be rendered gets one information finding and keeps the un-rendered check.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Fix, Language, Range, RelatedLocation, TextEdit } from '../core/types';
import type { FileFacts } from '../core/language';
import type { WorkspaceEntry } from '../cluster/model';
import type { Manifest } from '../manifest/model';
import { lineRange } from '../core/range';
import { isTemplatePath, stripTemplateSuffix } from './names';
import { findInventory, loadInventory, projectDirFor, roleDirFor, type Inventory, type InventoryHost } from './inventory';
import { hostsForPattern, playPatternsFor } from './plays';
import { hostContext } from './context';
import { renderTemplate, type Rendered } from './render';
import { hasJinja, scanJinja } from './jinja';
import { pyStr } from './pyjinja';
import { inputsSignature, readVarText, recording } from './inputs';
import { TEMPLATE_NOT_RENDERED, templateNoteSeverity } from './rules';

/** One rendered output, checked as a virtual file. */
export interface RenderedFile {
  template: string;
  templateText: string;
  host: InventoryHost;
  virtualFile: string;
  language: Language;
  rendered: Rendered;
}

/** A host a template was to be rendered for and was not (the deploy refuses to ship such a host). */
export interface UnrenderedHost {
  template: string;
  host: string;
  /** 0-based template line the failure points at (0 when it concerns the whole template). */
  line: number;
  message: string;
}

export interface TemplateRendering {
  rendered: RenderedFile[];
  /** Information findings about what could not be rendered (already on template lines). */
  notes: Diagnostic[];
  /** Per host, why a template a haconf.yaml names for that host was not rendered. */
  unrendered: UnrenderedHost[];
}

/** Renders each template for each host its plays target. */
export function renderWorkspaceTemplates(templates: { file: string; language: Language; text: string }[], manifests: readonly Manifest[] = []): TemplateRendering {
  const out: TemplateRendering = { rendered: [], notes: [], unrendered: [] };
  const inventories = new Map<string, Inventory | undefined>();
  for (const t of templates) {
    if (!isTemplatePath(t.file)) continue;
    // A fault here must not take the workspace check down: one finding, and the un-rendered check stays.
    try {
      renderOne(t, manifests, inventories, out);
    } catch (e) {
      out.rendered = out.rendered.filter((r) => r.template !== t.file);
      const message = `internal error while rendering this template per host: ${(e as Error).message}; only the un-rendered check ran. Please report this with the template and inventory attached.`;
      out.notes.push(note(t.file, 0, message));
      for (const h of manifestHostsFor(t.file, manifests)) out.unrendered.push({ template: t.file, host: h, line: 0, message });
    }
  }
  return out;
}

/** The hosts of every haconf.yaml that names this template as a source (the hosts a deploy ships it to). */
export function manifestHostsFor(templateFile: string, manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests) for (const h of m.hosts) if (h.files.some((f) => f.sourceAbs === templateFile) && !out.includes(h.name)) out.push(h.name);
  return out;
}

function renderOne(t: { file: string; language: Language; text: string }, manifests: readonly Manifest[], inventories: Map<string, Inventory | undefined>, out: TemplateRendering): void {
  // The manifests' hosts that ship this template must each get a rendering (or a reason): deploy needs them.
  const shippedTo = manifestHostsFor(t.file, manifests);
  const cannot = (line: number, message: string, hosts: readonly string[] = shippedTo): void => {
    for (const h of hosts) out.unrendered.push({ template: t.file, host: h, line, message });
  };
  // The haconf.yaml with `inventory:` that names the template as a source, else the nearest one above it,
  // names the inventory (and maybe the group).
  const withInventory = manifests.filter((m) => m.inventory);
  const owner =
    withInventory.find((m) => m.hosts.some((h) => h.files.some((f) => f.sourceAbs === t.file))) ??
    withInventory.filter((m) => t.file.startsWith(m.dir + path.sep)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const named = owner?.inventory;
  // The playbook folder (its group_vars/host_vars count too) is the role's project, else the manifest's folder.
  const project = owner ? (roleDirFor(t.file) ? projectDirFor(t.file) : owner.dir) : projectDirFor(t.file);
  const invPath = project ? (named?.path ?? findInventory(project)) : undefined;
  if (!project || !invPath) {
    // A file without Jinja syntax (a plain config in a `templates/` folder) needs no inventory: it is itself.
    if (shippedTo.length && hasJinja(t.text)) {
      const message = `no Ansible inventory found for this template (none named by ansible.cfg or the usual names near it), so it cannot be rendered per host; add 'inventory: { path: …, group: … }' to haconf.yaml`;
      out.notes.push(note(t.file, 0, message));
      cannot(0, message);
    }
    return;
  }
  if (named && !fs.existsSync(invPath)) {
    const message = `the inventory ${invPath} named in haconf.yaml does not exist; only the un-rendered check ran`;
    out.notes.push(note(t.file, 0, message));
    cannot(0, message);
    return;
  }
  const role = roleDirFor(t.file);
  const key = `${invPath}\0${role ?? ''}`;
  if (!inventories.has(key)) {
    const inv = loadInventory(invPath, project, role ? path.join(role, 'defaults', 'main.yml') : undefined);
    inventories.set(key, inv);
    for (const p of inv.problems) out.notes.push(note(p.file, p.line, `${p.message}`));
  }
  const inv = inventories.get(key)!;
  const patterns = named?.group ? [named.group] : playPatternsFor(project, t.file, role ? path.basename(role) : undefined);
  if (!patterns.length && !shippedTo.length) {
    out.notes.push(
      note(
        t.file,
        0,
        `no playbook in ${project} applies ${role ? `role '${path.basename(role)}'` : path.basename(t.file)}, so haconf does not know which hosts it is rendered for; only the un-rendered check ran`,
      ),
    );
    return;
  }
  const hosts: string[] = [];
  for (const p of patterns) {
    const selected = hostsForPattern(inv, p);
    if (!selected) {
      out.notes.push(note(t.file, 0, `the play pattern '${p}' uses intersections, exclusions or wildcards, which haconf does not evaluate; hosts it selects are not rendered`));
      continue;
    }
    for (const h of selected) if (!hosts.includes(h)) hosts.push(h);
  }
  for (const h of shippedTo) {
    if (inv.hosts.has(h)) {
      if (!hosts.includes(h)) hosts.push(h);
      continue;
    }
    const message = `the host ${h} of haconf.yaml is not in the inventory ${inv.source}; name the manifest host as the inventory does, or add it to the inventory`;
    out.notes.push(note(t.file, 0, `${h}: not rendered (${message})`));
    cannot(0, message, [h]);
  }
  for (const h of hosts) {
    const host = inv.hosts.get(h);
    if (!host) continue;
    const result = renderTemplate(t.text, hostContext(inv, h));
    if (!result.ok) {
      const f = result.failure;
      const message = `${h}: not rendered (${f.message}); ${f.unsupported ? 'haconf does not evaluate this, so' : ''} only the un-rendered check ran for this host`.replace(';  only', '; only');
      out.notes.push(note(t.file, f.line ?? 0, message));
      if (shippedTo.includes(h)) out.unrendered.push({ template: t.file, host: h, line: f.line ?? 0, message: f.message });
      continue;
    }
    out.rendered.push({
      template: t.file,
      templateText: t.text,
      host,
      // The project's name is the folder above the hosts' folders: it names the inferred cluster.
      virtualFile: path.join(project, '.haconf-rendered', path.basename(project), h, path.basename(stripTemplateSuffix(t.file))),
      language: t.language,
      rendered: result.rendered,
    });
  }
}

function note(file: string, line: number, message: string): Diagnostic {
  return { file, range: lineRange(line, 0, 0), severity: templateNoteSeverity, code: TEMPLATE_NOT_RENDERED.code, message };
}

export interface RenderedCheck {
  rendering: TemplateRendering;
  /** The rendered hosts' facts, for the cluster layer. */
  entries: WorkspaceEntry[];
  /** Per-file findings of the rendered files, moved to the templates, plus the notes on what was not rendered. */
  findings: Diagnostic[];
  virtualFiles: Set<string>;
}

/**
 * Renders the templates per host and checks each rendering with `analyse` (the caller's per-file check:
 * engine/analyse.ts through the WorkspaceModel, which the CLI and the editor share, so they cannot disagree).
 */
export function checkTemplatesPerHost(
  templates: { file: string; language: Language; text: string }[],
  analyse: (file: string, text: string, language: Language) => { diagnostics: Diagnostic[]; facts: FileFacts },
  manifests: readonly Manifest[] = [],
): RenderedCheck {
  const rendering = renderWorkspaceTemplates(templates, manifests);
  const entries: WorkspaceEntry[] = [];
  const raw: Diagnostic[] = [];
  for (const rf of rendering.rendered) {
    const r = analyse(rf.virtualFile, rf.rendered.text, rf.language);
    raw.push(...r.diagnostics);
    entries.push({ file: rf.virtualFile, ...r.facts });
  }
  return { rendering, entries, findings: [...rendering.notes, ...mapToTemplates(raw, rendering)], virtualFiles: new Set(rendering.rendered.map((f) => f.virtualFile)) };
}

/** The template a rendered virtual file came from (the file itself otherwise). */
export function templateOf(file: string, r: TemplateRendering): string {
  return r.rendered.find((f) => f.virtualFile === file)?.template ?? file;
}

/**
 * Moves findings on rendered files to the template lines that produced them. Identical findings of several
 * hosts become one, naming the hosts.
 */
export function mapToTemplates(diagnostics: Diagnostic[], r: TemplateRendering): Diagnostic[] {
  const byVirtual = new Map(r.rendered.map((f) => [f.virtualFile, f]));
  if (!byVirtual.size) return diagnostics;
  const merged = new Map<string, { d: Diagnostic; hosts: string[] }>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const f = byVirtual.get(d.file);
    if (!f) {
      out.push({ ...d, related: d.related?.map((rel) => mapRelated(rel, byVirtual)) });
      continue;
    }
    const range = mapRange(f, d.range);
    // A finding about the whole file (an empty range at its start) names no value: no variable origins.
    const wholeFile = d.range.start.line === 0 && d.range.start.character === 0 && d.range.end.line === 0 && d.range.end.character === 0;
    const related = [...(d.related ?? []).map((rel) => mapRelated(rel, byVirtual)), ...(wholeFile ? [] : variableOrigins(f, range))];
    // Rules often start with the node name already; the host list is put in front once.
    const message = d.message.startsWith(`${f.host.name}: `) ? d.message.slice(f.host.name.length + 2) : d.message;
    const fixes = (d.fixes ?? []).flatMap((fix) => variableFix(fix, d.file, f));
    const mapped: Diagnostic = { ...d, file: f.template, range, message, related: related.length ? related : undefined, fixes: fixes.length ? fixes : undefined };
    const key = `${mapped.file}\0${range.start.line}\0${range.start.character}\0${range.end.line}\0${range.end.character}\0${d.code}\0${message}`;
    const seen = merged.get(key);
    if (seen) {
      seen.hosts.push(f.host.name);
      for (const rel of mapped.related ?? []) if (!seen.d.related?.some((x) => x.file === rel.file && x.range.start.line === rel.range.start.line)) (seen.d.related ??= []).push(rel);
    } else merged.set(key, { d: mapped, hosts: [f.host.name] });
  }
  for (const { d, hosts } of merged.values()) out.push({ ...d, message: `${hosts.join(', ')}: ${d.message}` });
  return out;
}

/**
 * A rule's fix on a rendered file, moved to the variable file: possible when each edit replaces exactly the
 * output of one `{{ name }}` (a plain variable) whose value comes from a `name: value` line of a YAML vars
 * file or a `name=value` word of an INI host line. Any other fix is dropped (an edit of rendered text would
 * be lost at the next render).
 */
function variableFix(fix: Fix, diagFile: string, f: RenderedFile): Fix[] {
  if ((fix.file ?? diagFile) !== f.virtualFile) return [];
  const edits: { file: string; edit: TextEdit }[] = [];
  const outLines = f.rendered.text.split('\n');
  const tplLines = f.templateText.split('\n');
  for (const e of fix.edits) {
    if (e.range.start.line !== e.range.end.line) return [];
    const tLine = f.rendered.lineMap[e.range.start.line] ?? -1;
    const tText = tplLines[tLine] ?? '';
    const cols = alignColumns(tText, outLines[e.range.start.line] ?? '');
    if (!cols || e.range.end.character <= e.range.start.character) return [];
    const first = cols[e.range.start.character];
    const last = cols[e.range.end.character - 1];
    const before = cols[e.range.start.character - 1];
    const after = cols[e.range.end.character];
    // The edit must cover the whole output of one expression, nothing else.
    if (!first || !last || first.start !== last.start || first.end - first.start < 2) return [];
    if ((before && before.start === first.start) || (after && after.start === first.start)) return [];
    const expr = /^\{\{-?\s*([A-Za-z_]\w*)\s*-?\}\}$/.exec(tText.slice(first.start, first.end));
    const origin = expr && f.host.origins[expr[1]];
    if (!expr || !origin) return [];
    const line = safeLine(origin.file, origin.line);
    const name = expr[1];
    const yaml = new RegExp(`^(\\s*${name}\\s*:\\s*)(?:"[^"]*"|'[^']*'|[^#\\s][^#]*?)?(\\s*(#.*)?)$`).exec(line);
    const ini = new RegExp(`(^|\\s)${name}=("[^"]*"|'[^']*'|\\S*)`).exec(line);
    if (yaml && /\.(ya?ml)$/i.test(origin.file)) {
      const start = yaml[1].length;
      const end = line.length - yaml[2].length;
      edits.push({ file: origin.file, edit: { range: { start: { line: origin.line, character: start }, end: { line: origin.line, character: end } }, newText: e.newText } });
    } else if (ini) {
      const start = ini.index + ini[1].length + name.length + 1;
      edits.push({ file: origin.file, edit: { range: { start: { line: origin.line, character: start }, end: { line: origin.line, character: start + ini[2].length } }, newText: e.newText } });
    } else return [];
  }
  if (!edits.length || edits.some((x) => x.file !== edits[0].file)) return [];
  return [{ title: `${fix.title} (set it in ${path.basename(edits[0].file)})`, file: edits[0].file, edits: edits.map((x) => x.edit) }];
}

function mapRelated(rel: RelatedLocation, byVirtual: Map<string, RenderedFile>): RelatedLocation {
  const f = byVirtual.get(rel.file);
  return f ? { file: f.template, range: mapRange(f, rel.range), message: rel.message.startsWith(f.host.name) ? rel.message : `${f.host.name}: ${rel.message}` } : rel;
}

/** The template range of an output range: exact columns where the line aligns, else the whole template line. */
function mapRange(f: RenderedFile, range: Range): Range {
  const outLines = f.rendered.text.split('\n');
  const tplLines = f.templateText.split('\n');
  const tLine = f.rendered.lineMap[range.start.line] ?? 0;
  const endLine = range.end.line === range.start.line ? tLine : (f.rendered.lineMap[range.end.line] ?? tLine);
  const tText = tplLines[tLine] ?? '';
  if (endLine === tLine) {
    const cols = alignColumns(tText, outLines[range.start.line] ?? '');
    if (cols) {
      const s = cols[Math.min(range.start.character, cols.length - 1)];
      const e = cols[Math.min(Math.max(range.end.character - 1, range.start.character), cols.length - 1)];
      if (s && e) return { start: { line: tLine, character: s.start }, end: { line: tLine, character: Math.max(e.end, s.start) } };
    }
  }
  const first = tText.length - tText.trimStart().length;
  return { start: { line: tLine, character: first }, end: { line: endLine, character: (tplLines[endLine] ?? '').length } };
}

/**
 * For each output column, the template columns it came from: a literal character maps to itself, a
 * character produced by `{{ … }}` maps to the whole expression. Undefined when the line does not align
 * (an inline `{% if %}` that dropped text, say).
 */
function alignColumns(tpl: string, out: string): { start: number; end: number }[] | undefined {
  const spans = scanJinja(tpl);
  const pieces: { kind: 'text' | 'expr' | 'other'; start: number; end: number }[] = [];
  let pos = 0;
  for (const s of spans) {
    if (s.start > pos) pieces.push({ kind: 'text', start: pos, end: s.start });
    pieces.push({ kind: s.kind === 'expr' ? 'expr' : 'other', start: s.start, end: s.end });
    pos = s.end;
  }
  if (pos < tpl.length) pieces.push({ kind: 'text', start: pos, end: tpl.length });
  const cols: { start: number; end: number }[] = [];
  let o = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (p.kind === 'text') {
      const lit = tpl.slice(p.start, p.end);
      if (out.slice(o, o + lit.length) !== lit) return undefined;
      for (let k = 0; k < lit.length; k++) cols.push({ start: p.start + k, end: p.start + k + 1 });
      o += lit.length;
    } else if (p.kind === 'expr') {
      const next = pieces.slice(i + 1).find((x) => x.kind === 'text');
      const nextLit = next ? tpl.slice(next.start, next.end) : '';
      const stop = next ? out.indexOf(nextLit, o) : out.length;
      if (stop < 0) return undefined;
      for (let k = o; k < stop; k++) cols.push({ start: p.start, end: p.end });
      o = stop;
    } else return undefined;
  }
  if (o !== out.length) return undefined;
  cols.push({ start: tpl.length, end: tpl.length });
  return cols;
}

/** The variable files that gave the values of the variables the finding's template range uses. */
function variableOrigins(f: RenderedFile, range: Range): RelatedLocation[] {
  const line = f.templateText.split('\n')[range.start.line] ?? '';
  const out: RelatedLocation[] = [];
  for (const s of scanJinja(line)) {
    if (s.kind !== 'expr') continue;
    if (range.start.character !== range.end.character && (s.end <= range.start.character || s.start >= range.end.character) && !(range.start.character === 0)) continue;
    for (const name of new Set(s.inner.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
      const origin = f.host.origins[name];
      if (!origin) continue;
      // A password or key never reaches a message.
      const value = /pass|secret|key|token/i.test(name) ? '(hidden)' : f.host.vars[name];
      const text = safeLine(origin.file, origin.line);
      out.push({
        file: origin.file,
        range: { start: { line: origin.line, character: 0 }, end: { line: origin.line, character: text.length } },
        message: `${f.host.name}: ${name} = ${pyStr(value)} comes from here`,
      });
    }
  }
  return out;
}

function safeLine(file: string, line: number): string {
  try {
    return (readVarText(file) ?? '').split('\n')[line] ?? '';
  } catch {
    return '';
  }
}

/**
 * The editor's per-host check, kept per template while nothing it depends on changed: the template's text,
 * the check options, the manifests' `inventory:`, and every inventory, variable and playbook file (or
 * folder) its last rendering read (size and mtime). An edit re-renders only the edited template; an edit
 * of another file re-renders nothing.
 */
export class TemplateCheckCache {
  private byTemplate = new Map<string, { key: string; inputs: string[]; signature: string; result: RenderedCheck }>();

  run(
    templates: { file: string; language: Language; text: string }[],
    analyse: (file: string, text: string, language: Language) => { diagnostics: Diagnostic[]; facts: FileFacts },
    manifests: readonly Manifest[],
    optionsKey: string,
  ): { result: RenderedCheck; fresh: boolean } {
    // The hosts a manifest ships a template to are rendered too, so its sources count.
    const manifestKey = JSON.stringify(manifests.map((m) => [m.dir, m.inventory?.path, m.inventory?.group, m.hosts.map((h) => [h.name, h.files.map((f) => f.sourceAbs)])]));
    const next = new Map<string, { key: string; inputs: string[]; signature: string; result: RenderedCheck }>();
    let fresh = templates.length !== this.byTemplate.size;
    for (const t of templates) {
      const key = JSON.stringify([t.language, t.text, manifestKey, optionsKey]);
      const prev = this.byTemplate.get(t.file);
      if (prev && prev.key === key && inputsSignature(prev.inputs) === prev.signature) {
        next.set(t.file, prev);
        continue;
      }
      fresh = true;
      const { value, inputs } = recording(() => checkTemplatesPerHost([t], analyse, manifests));
      next.set(t.file, { key, inputs, signature: inputsSignature(inputs), result: value });
    }
    this.byTemplate = next;
    const parts = [...next.values()].map((x) => x.result);
    // An inventory problem is noted by each template that read the inventory: once is enough.
    const seen = new Set<string>();
    const findings = parts
      .flatMap((p) => p.findings)
      .filter((d) => {
        const k = `${d.file}\0${d.range.start.line}\0${d.code}\0${d.message}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    return {
      result: {
        rendering: { rendered: parts.flatMap((p) => p.rendering.rendered), notes: parts.flatMap((p) => p.rendering.notes), unrendered: parts.flatMap((p) => p.rendering.unrendered) },
        entries: parts.flatMap((p) => p.entries),
        findings,
        virtualFiles: new Set(parts.flatMap((p) => [...p.virtualFiles])),
      },
      fresh,
    };
  }
}
