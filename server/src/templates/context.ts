// The variables a template sees for one host, as Ansible gives them: the host's merged variables (each
// string that holds Jinja is rendered first, as Ansible does lazily), plus `inventory_hostname`,
// `inventory_hostname_short`, `group_names`, `groups`, `hostvars` and `ansible_managed`.
import { nunjucks, type Nunjucks } from './lazyNunjucks';
import type { Inventory } from './inventory';
import { addAnsibleExtensions, patchRuntime, Unevaluated } from './pyjinja';

const ANSIBLE_MANAGED = 'Ansible managed';

/** Every host's variables with magic variables, templated values resolved; cached per inventory object. */
const cache = new WeakMap<Inventory, Map<string, Record<string, unknown>>>();

export function hostContext(inv: Inventory, host: string): Record<string, unknown> {
  let all = cache.get(inv);
  if (!all) {
    all = buildAll(inv);
    cache.set(inv, all);
  }
  const own = all.get(host) ?? {};
  const hostvars: Record<string, unknown> = {};
  for (const [name, vars] of all) hostvars[name] = vars;
  return { ...own, hostvars };
}

function buildAll(inv: Inventory): Map<string, Record<string, unknown>> {
  const groups: Record<string, string[]> = {};
  for (const [g, members] of inv.groups) groups[g] = [...members];
  const out = new Map<string, Record<string, unknown>>();
  for (const h of inv.hosts.values()) {
    const magic = {
      inventory_hostname: h.name,
      inventory_hostname_short: h.name.split('.')[0],
      group_names: h.groups.filter((g) => g !== 'all').sort(),
      groups,
      ansible_managed: ANSIBLE_MANAGED,
    };
    out.set(h.name, resolveTemplatedVars({ ...h.vars, ...magic }));
  }
  return out;
}

let env: Nunjucks.Environment | undefined;

/** Why a variable's Jinja failed, in words (no engine prefixes, no position of the variable's own text). */
function reasonOf(err: unknown): string {
  const text = String((err as Error)?.message ?? err)
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\[Line \d+, Column \d+\]\s*/, '')
    .replace(/^\s*(Template render error:\s*)?(Error:\s*)?/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const filter = /filter not found: ([\w.]+)/.exec(text);
  return filter ? `the filter '${filter[1]}' is not supported by haconf` : text;
}

/** Ansible renders a variable's value when it holds Jinja; a few passes settle chains of such variables. */
function resolveTemplatedVars(vars: Record<string, unknown>): Record<string, unknown> {
  if (!env) {
    patchRuntime();
    env = new (nunjucks().Environment)([], { autoescape: false, throwOnUndefined: true });
    addAnsibleExtensions(env);
  }
  const e = env;
  let current = vars;
  // A few passes settle chains of such variables; then a value that still fails is one haconf cannot
  // evaluate (a lookup, an unknown filter): it becomes an Unevaluated, which fails the render where it is
  // printed, never printed raw.
  for (let pass = 0; pass <= 5; pass++) {
    const last = pass === 5;
    let changed = false;
    const render = (name: string, v: unknown): unknown => {
      if (typeof v === 'string' && /\{[{%]/.test(v)) {
        try {
          const r = e.renderString(v, current);
          if (r !== v) changed = true;
          return r;
        } catch (err) {
          return last ? new Unevaluated(name, reasonOf(err)) : v;
        }
      }
      if (Array.isArray(v)) return v.map((x) => render(name, x));
      if (v && typeof v === 'object' && !(v instanceof Unevaluated)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(name, x)]));
      return v;
    };
    current = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, render(k, v)]));
    if (!changed && !last) pass = 4; // settled: one last pass marks what still fails
  }
  return current;
}
