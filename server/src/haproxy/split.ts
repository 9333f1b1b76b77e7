// Checks the files of one split HAProxy configuration (`haproxy -f conf.d/`, or several `-f`) together,
// in the order HAProxy reads them. Each file keeps its own parse and its own findings; what it gets from
// the others (section names, the defaults section in force, earlier proxy names) is an OuterScope.
import type { CheckOptions, Diagnostic } from '../core/types';
import type { HaproxyDoc } from './types';
import type { ProxyModel } from './rules/context';
import type { OuterScope } from './rules/context';
import { analyseHaproxy, lastAnalysis, type Analysis } from './index';
import { hasWord } from './rules/proxies';
import { rulesOf } from './rules/defaultsRules';

/**
 * Raw findings (before suppression and severities) of every file of a set, by file. `docs` are in load
 * order; a file named twice is read once, at its first place. `only`: re-check just these files (the
 * others' findings are known to be unchanged, see setSignature); their scopes still come from every file.
 */
export function checkHaproxySet(docs: readonly HaproxyDoc[], options: CheckOptions, only?: ReadonlySet<string>): Map<string, Diagnostic[]> {
  const seen = new Set<string>();
  const ordered = docs.filter((d) => !seen.has(d.file) && seen.add(d.file));
  // What every file declares does not depend on the others, so any analysis of it (alone or within the
  // set) tells. The maps below are shared by the scopes of all files (no copy per file): "read before"
  // is decided by load position (scope.ts).
  const shared: Omit<OuterScope, 'lastDefaults' | 'index'> = {
    backends: new Map(),
    userlists: new Set(),
    uncertain: false,
    namedDefaults: new Map(),
    defaultServer: new Map(),
    frontends: new Map(),
    order: new Map(ordered.map((d, i) => [d.file, i])),
  };
  /** The last defaults section of each file, if it has one. */
  const lastOfFile: (ProxyModel | undefined)[] = [];
  const links: SetLinks = { named: new Map() };
  for (const doc of ordered) {
    const a = lastAnalysis(doc, options);
    lastOfFile.push(declare(a, linkInSet(a.ctx.proxies, links), shared));
    for (const s of doc.sections) {
      if (s.kind === 'userlist' && s.name) shared.userlists.add(s.name.value);
      if ((s.name?.dynamic ?? false) || s.header.activity === 'unknown') shared.uncertain = true;
    }
  }
  const out = new Map<string, Diagnostic[]>();
  let lastDefaults: ProxyModel | undefined;
  ordered.forEach((doc, index) => {
    if (!only || only.has(doc.file)) {
      const a = analyseHaproxy(doc, options, { ...shared, lastDefaults, index });
      out.set(doc.file, a.ctx.diagnostics.slice());
    }
    lastDefaults = lastOfFile[index] ?? lastDefaults;
  });
  return out;
}

/**
 * Everything one file of a set can learn from the others (scope.ts), with the positions findings point
 * at: declared names and lines, backends' server names, defaults sections' mode, timeouts, default-server
 * and check port, `.if` uncertainty. When an edit leaves this unchanged, only the edited files need a new
 * check: every other file's findings stay as they were.
 */
export function setSignature(docs: readonly HaproxyDoc[], options: CheckOptions): string {
  const parts: string[] = [];
  for (const doc of docs) {
    const a = lastAnalysis(doc, options);
    parts.push(`@${doc.file}`);
    for (const p of a.ctx.proxies) {
      const name = p.section.name;
      let entry = `${p.kind} ${name?.value ?? ''}${name?.dynamic ? '$' : ''} ${p.section.header.line}:${name?.start ?? 0} ${p.section.header.activity} ${p.uncertain ? '?' : ''}`;
      // Which defaults a proxy takes and its own mode: a tcp frontend of another file is upgraded to HTTP
      // by a backend whose mode is http (3.0 and later).
      entry += ` from=${p.section.from?.value ?? ''} m=${p.mode?.value ?? ''}@${p.mode?.res.st.line ?? ''}`;
      if (p.kind === 'backend' || p.kind === 'listen') entry += ` s=${p.servers.map((x) => x.name?.value ?? '').join(',')}`;
      if (p.kind === 'defaults') {
        const ds = a.servers.defaultServer.get(p.section);
        entry += ` t=${[...p.timeouts].sort().join(',')} ds=${ds?.port ?? ''}/${ds?.check ?? ''}`;
        entry += ` cp=${p.statements.some((r) => (r.name === 'tcp-check connect' || r.name === 'http-check connect') && hasWord(r.st, 'port'))}`;
        // The proxies of other files that inherit this section are judged by the rules it carries.
        const rules = rulesOf(p);
        entry += ` r=${rules.any ? 1 : 0}${rules.tcpResponse ? 1 : 0}${rules.tcpRequestEarly ? 1 : 0}`;
      }
      parts.push(entry);
    }
    for (const sec of doc.sections) {
      if (sec.kind === 'userlist') parts.push(`userlist ${sec.name?.value ?? ''}`);
      if ((sec.name?.dynamic ?? false) || sec.header.activity === 'unknown') parts.push('uncertain');
    }
  }
  return parts.join('\n');
}

/** The defaults sections read so far, while the files of a set are linked in load order. */
interface SetLinks {
  last?: ProxyModel;
  named: Map<string, ProxyModel>;
}

/**
 * Copies of one file's proxies whose `defaults` are the ones they take in the set, read in load order (as
 * buildProxies does with an outer scope). A file's last analysis may have been made alone or in an older
 * set, and the proxies of other files are read through these links (a backend's inherited mode, the users
 * of a defaults section): taken from that analysis as they were, the findings would depend on the order
 * of past edits.
 */
function linkInSet(proxies: readonly ProxyModel[], links: SetLinks): ProxyModel[] {
  const out: ProxyModel[] = [];
  for (const p of proxies) {
    const from = p.section.from;
    const q: ProxyModel = { ...p, defaults: from ? links.named.get(from.value) : p.kind === 'defaults' ? undefined : links.last };
    if (q.kind === 'defaults') {
      links.last = q;
      if (p.section.name) links.named.set(p.section.name.value, q);
    }
    out.push(q);
  }
  return out;
}

/** Adds what one file declares (its proxies linked in the set) to the shared maps; returns its last defaults section. */
function declare(a: Analysis, proxies: readonly ProxyModel[], into: Omit<OuterScope, 'lastDefaults' | 'index'>): ProxyModel | undefined {
  let last: ProxyModel | undefined;
  for (const p of proxies) {
    const name = p.section.name;
    if (p.kind === 'defaults') {
      last = p;
      if (name) {
        const list = into.namedDefaults.get(name.value);
        if (list) list.push(p);
        else into.namedDefaults.set(name.value, [p]);
      }
      const ds = a.servers.defaultServer.get(p.section);
      if (ds) into.defaultServer.set(p.section, ds);
      continue;
    }
    if (!name || name.dynamic) continue;
    if ((p.kind === 'frontend' || p.kind === 'listen') && !into.frontends.has(name.value)) into.frontends.set(name.value, p);
    if ((p.kind === 'backend' || p.kind === 'listen') && !into.backends.has(name.value)) into.backends.set(name.value, p);
  }
  return last;
}
