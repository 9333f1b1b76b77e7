// Checks the files of one split HAProxy configuration (`haproxy -f conf.d/`, or several `-f`) together,
// in the order HAProxy reads them. Each file keeps its own parse and its own findings; what it gets from
// the others (section names, the defaults section in force, earlier proxy names) is an OuterScope.
import type { CheckOptions, Diagnostic } from '../core/types';
import type { HaproxyDoc, Section } from './types';
import type { ProxyModel } from './rules/context';
import type { OuterScope } from './rules/scope';
import { analyseHaproxy, lastAnalysis, type Analysis } from './index';

/**
 * Raw findings (before suppression and severities) of every file of a set, by file. `docs` are in load
 * order; a file named twice is read once, at its first place.
 */
export function checkHaproxySet(docs: readonly HaproxyDoc[], options: CheckOptions): Map<string, Diagnostic[]> {
  const ordered = docs.filter((d, i) => docs.findIndex((x) => x.file === d.file) === i);
  // Names resolve after every file is read, so every file sees the backends and userlists of all of them
  // (its own declarations override in checkReferences). What a file declares does not depend on the
  // others, so any analysis of it (alone or within the set) tells.
  const backends = new Map<string, ProxyModel>();
  const userlists = new Set<string>();
  let uncertain = false;
  for (const doc of ordered) {
    const a = lastAnalysis(doc, options);
    for (const p of a.ctx.proxies) {
      if ((p.kind === 'backend' || p.kind === 'listen') && p.section.name && !backends.has(p.section.name.value)) backends.set(p.section.name.value, p);
    }
    for (const s of doc.sections) {
      if (s.kind === 'userlist' && s.name) userlists.add(s.name.value);
      if ((s.name?.dynamic ?? false) || s.header.activity === 'unknown') uncertain = true;
    }
  }
  const out = new Map<string, Diagnostic[]>();
  // What the files read so far leave behind for the next one.
  let lastDefaults: ProxyModel | undefined;
  const namedDefaults = new Map<string, ProxyModel>();
  const defaultServer = new Map<Section, { port?: number; check: boolean }>();
  const earlierFrontends = new Map<string, ProxyModel>();
  const earlierBackends = new Map<string, ProxyModel>();
  for (const doc of ordered) {
    const scope: OuterScope = {
      backends,
      userlists,
      uncertain,
      lastDefaults,
      namedDefaults: new Map(namedDefaults),
      defaultServer: new Map(defaultServer),
      earlierFrontends: new Map(earlierFrontends),
      earlierBackends: new Map(earlierBackends),
    };
    const a = analyseHaproxy(doc, options, scope);
    out.set(doc.file, a.ctx.diagnostics.slice());
    leaveBehind(a, { namedDefaults, defaultServer, earlierFrontends, earlierBackends }, (p) => (lastDefaults = p));
  }
  return out;
}

function leaveBehind(
  a: Analysis,
  into: Pick<OuterScope, 'namedDefaults' | 'defaultServer' | 'earlierFrontends' | 'earlierBackends'>,
  setLastDefaults: (p: ProxyModel) => void,
): void {
  for (const p of a.ctx.proxies) {
    const name = p.section.name;
    if (p.kind === 'defaults') {
      setLastDefaults(p);
      if (name) into.namedDefaults.set(name.value, p);
      const ds = a.servers.defaultServer.get(p.section);
      if (ds) into.defaultServer.set(p.section, ds);
      continue;
    }
    if (!name || name.dynamic) continue;
    if ((p.kind === 'frontend' || p.kind === 'listen') && !into.earlierFrontends.has(name.value)) into.earlierFrontends.set(name.value, p);
    if ((p.kind === 'backend' || p.kind === 'listen') && !into.earlierBackends.has(name.value)) into.earlierBackends.set(name.value, p);
  }
}
