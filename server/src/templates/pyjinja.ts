// The Jinja engine Ansible renders with is Python's Jinja2; haconf renders with nunjucks (see
// docs/templates.md for why). This module closes the gaps that change output for the templates HA roles
// use: values print as Python prints them (`True`, `None`, `['a', 'b']`), a None value prints instead of
// failing, strings and dicts have the Python methods templates call (`split`, `strip`, `items()`…), and the
// Ansible filters and tests these templates use. A filter or lookup not defined here fails the render of
// that host, which the caller reports as one information finding: never a guess.
import { nunjucks, type Nunjucks } from './lazyNunjucks';

/**
 * The value of an inventory variable that holds Jinja haconf cannot evaluate (a lookup, a filter it lacks).
 * Ansible evaluates it where it is used; haconf cannot, so printing or serialising it fails the render of
 * that host (one information finding) instead of writing the raw `{{ … }}` text into the output.
 */
export class Unevaluated {
  constructor(
    readonly name: string,
    readonly reason: string,
  ) {}
  fail(): never {
    throw new Unsupported(`the variable '${this.name}' holds Jinja haconf cannot evaluate (${this.reason})`);
  }
  toString(): string {
    return this.fail();
  }
  [Symbol.toPrimitive](): string {
    return this.fail();
  }
}

/** Python's repr for the values a variable can hold (used when a list or dict is printed). */
export function pyRepr(v: unknown): string {
  if (v instanceof Unevaluated) return v.fail();
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** Python's str() for a printed value. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof nunjucks().runtime.SafeString) return v.toString();
  if (v === null || v === undefined || typeof v === 'boolean' || Array.isArray(v) || (typeof v === 'object' && v.constructor === Object)) return pyRepr(v);
  return String(v);
}

/** Python's json.dumps with its default separators (Ansible's to_json). */
export function pyJson(v: unknown): string {
  if (v instanceof Unevaluated) return v.fail();
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const STR_METHODS: Record<string, (s: string, ...a: unknown[]) => unknown> = {
  strip: (s, chars) => (typeof chars === 'string' ? trimChars(s, chars, true, true) : s.trim()),
  lstrip: (s, chars) => (typeof chars === 'string' ? trimChars(s, chars, true, false) : s.replace(/^\s+/, '')),
  rstrip: (s, chars) => (typeof chars === 'string' ? trimChars(s, chars, false, true) : s.replace(/\s+$/, '')),
  startswith: (s, p) => s.startsWith(String(p)),
  endswith: (s, p) => s.endsWith(String(p)),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  split: (s, sep, max) => pySplit(s, sep === undefined || sep === null ? undefined : String(sep), typeof max === 'number' ? max : -1),
  replace: (s, a, b) => s.split(String(a)).join(String(b)),
  format: () => {
    throw new Error("the Python method 'format' is not supported by haconf");
  },
};

const DICT_METHODS: Record<string, (d: Record<string, unknown>, ...a: unknown[]) => unknown> = {
  items: (d) => Object.entries(d),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, k, dflt) => (Object.hasOwn(d, String(k)) ? d[String(k)] : (dflt ?? null)),
};

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  while (left && a < b && chars.includes(s[a])) a++;
  while (right && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function pySplit(s: string, sep: string | undefined, max: number): string[] {
  if (sep === undefined) {
    const parts = s.trim().split(/\s+/).filter(Boolean);
    return max < 0 || parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(' ')];
  }
  const parts = s.split(sep);
  return max < 0 || parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(sep)];
}

let patched = false;

/**
 * A render may only assign so many loop and template variables: a template that loops over `range(10**9)`
 * (or nests big loops) must not hang the language server. Ansible would run it; haconf reports it instead.
 */
export const MAX_ASSIGNMENTS = 2_000_000;
let assignments = 0;

/** Called before each render. */
export function resetBudget(): void {
  assignments = 0;
}

/** Makes nunjucks print and look up values as Jinja2 does (once per process; nunjucks is haconf's alone). */
export function patchRuntime(): void {
  if (patched) return;
  patched = true;
  const lib = nunjucks();
  const rt = lib.runtime as unknown as Record<string, unknown>;
  const frame = (rt.Frame as { prototype: { set: (...a: unknown[]) => unknown } }).prototype;
  const set = frame.set;
  frame.set = function (this: unknown, ...a: unknown[]) {
    if (++assignments > MAX_ASSIGNMENTS) throw new Unsupported(`the template loops more than haconf renders (over ${MAX_ASSIGNMENTS} variable assignments)`);
    return set.apply(this, a);
  };
  rt.suppressValue = (val: unknown) => (val instanceof lib.runtime.SafeString ? val : pyStr(val));
  rt.ensureDefined = (val: unknown, lineno: number, colno: number) => {
    if (val === undefined) throw new lib.lib.TemplateError('a variable used here is undefined', lineno + 1, colno + 1);
    return val;
  };
  const lookup = rt.memberLookup as (obj: unknown, key: unknown) => unknown;
  rt.memberLookup = (obj: unknown, key: unknown) => {
    if (typeof obj === 'string' && typeof key === 'string' && STR_METHODS[key]) return (...a: unknown[]) => STR_METHODS[key](obj, ...a);
    if (obj && typeof obj === 'object' && !Array.isArray(obj) && typeof key === 'string' && DICT_METHODS[key] && !(key in obj)) {
      return (...a: unknown[]) => DICT_METHODS[key](obj as Record<string, unknown>, ...a);
    }
    return lookup(obj, key);
  };
}

/** A filter haconf cannot evaluate fails the render with this error (the caller reports it, never guesses). */
export class Unsupported extends Error {}

/** Registers the Ansible filters, tests and globals haconf supports. */
export function addAnsibleExtensions(env: Nunjucks.Environment): void {
  const dflt = (v: unknown, d: unknown = '', boolean = false) => (v === undefined || (boolean && !v) ? d : v);
  env.addFilter('default', dflt);
  env.addFilter('d', dflt);
  env.addFilter('to_json', (v: unknown) => pyJson(v));
  env.addFilter('to_nice_json', () => {
    throw new Unsupported("the filter 'to_nice_json' is not supported by haconf");
  });
  env.addFilter('int', (v: unknown, d = 0) => {
    const n = typeof v === 'number' ? Math.trunc(v) : parseInt(String(v), 10);
    return Number.isNaN(n) ? d : n;
  });
  env.addFilter('string', (v: unknown) => pyStr(v));
  env.addFilter('bool', (v: unknown) => (typeof v === 'boolean' ? v : ['yes', 'on', '1', 'true', 'y', 't'].includes(String(v).toLowerCase())));
  env.addFilter('regex_replace', (v: unknown, pattern: string, repl = '', ignorecase = false) => {
    const re = new RegExp(pythonRegex(pattern), ignorecase ? 'gi' : 'g');
    return pyStr(v).replace(
      re,
      String(repl)
        .replace(/\$/g, '$$$$')
        .replace(/\\(\d)/g, '$$$1')
        .replace(/\\g<(\d+)>/g, '$$$1'),
    );
  });
  env.addFilter('ipaddr', ipaddr);
  env.addFilter('ansible.utils.ipaddr', ipaddr);
  env.addFilter('ipv4', (v: unknown, q?: string) => (typeof v === 'string' && v.includes(':') ? false : ipaddr(v, q)));
  env.addFilter('unique', (v: unknown[]) => [...new Set(v)]);
  env.addFilter('mandatory', (v: unknown) => {
    if (v === undefined) throw new Error('a mandatory variable is undefined');
    return v;
  });
  env.addGlobal('lookup', (name: string) => {
    throw new Unsupported(`lookup('${name}') reads the controller at run time; haconf does not evaluate lookups`);
  });
  env.addGlobal('query', (name: string) => {
    throw new Unsupported(`query('${name}') reads the controller at run time; haconf does not evaluate lookups`);
  });
  // nunjucks has addTest; its type declarations lack it.
  const tests = env as unknown as { addTest(name: string, fn: (v: unknown) => boolean): void };
  tests.addTest('defined', (v: unknown) => v !== undefined);
  tests.addTest('undefined', (v: unknown) => v === undefined);
  tests.addTest('none', (v: unknown) => v === null);
  tests.addTest('string', (v: unknown) => typeof v === 'string');
  tests.addTest('number', (v: unknown) => typeof v === 'number');
  tests.addTest('mapping', (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v));
  tests.addTest('iterable', (v: unknown) => typeof v === 'string' || Array.isArray(v) || (!!v && typeof v === 'object'));
}

/** Python `re` syntax that JavaScript reads differently: named groups. */
function pythonRegex(p: string): string {
  return p.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
}

/**
 * `ipaddr` basics for IPv4: no query returns the value when it is an address or network, else False;
 * `address`, `prefix`, `netmask`, `network` and `host` return those parts. Anything else is unsupported.
 */
function ipaddr(v: unknown, query?: string): unknown {
  const s = String(v);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const valid = !!m && octets.every((o) => o <= 255) && (m[5] === undefined || Number(m[5]) <= 32);
  if (query === undefined || query === '') return valid ? s : false;
  if (!valid) return false;
  const prefix = m![5] === undefined ? 32 : Number(m![5]);
  const value = octets.reduce((a, o) => a * 256 + o, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const dotted = (n: number) => [24, 16, 8, 0].map((sh) => (n >>> sh) & 255).join('.');
  const address = dotted(value);
  switch (query) {
    case 'address':
      return address;
    case 'prefix':
      return prefix;
    case 'netmask':
      return dotted(mask);
    case 'network':
      return dotted((value & mask) >>> 0);
    case 'host':
      return `${address}/${prefix}`;
    default:
      throw new Unsupported(`ipaddr('${query}') is not supported by haconf (supported: address, prefix, netmask, network, host)`);
  }
}
