// Evaluates `.if` / `.elif` conditions (HAProxy src/cfgcond.c) as far as a static checker can: numbers,
// version_atleast/version_before against the target version, streq/strneq on literal strings, and
// ! && || ( ). defined(), feature() and the TLS-library predicates depend on the host: they yield
// undefined, and so does any expression whose result hinges on them.
import { compareVersions } from '../core/schema';

export type Tri = boolean | undefined;

export interface CondResult {
  value: Tri;
  /** Set when HAProxy would refuse the expression. */
  error?: string;
}

const PREDICATES = new Set(['defined', 'feature', 'streq', 'strneq', 'version_atleast', 'version_before', 'openssl_version_atleast', 'openssl_version_before', 'ssllib_name_startswith']);

class CondParser {
  private i = 0;
  error?: string;
  constructor(
    private readonly s: string,
    private readonly version: string,
  ) {}

  parse(): Tri {
    const v = this.expr(0);
    this.skip();
    if (!this.error && this.i < this.s.length) this.error = `unexpected text '${this.s.slice(this.i)}' after the condition`;
    return v;
  }

  private skip(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  private expr(depth: number): Tri {
    let v = this.and(depth);
    for (;;) {
      this.skip();
      if (this.error || !this.s.startsWith('||', this.i)) return v;
      this.i += 2;
      const r = this.and(depth);
      v = v === true || r === true ? true : v === false && r === false ? false : undefined;
    }
  }

  private and(depth: number): Tri {
    let v = this.term(depth);
    for (;;) {
      this.skip();
      if (this.error || !this.s.startsWith('&&', this.i)) return v;
      this.i += 2;
      const r = this.term(depth);
      v = v === false || r === false ? false : v === true && r === true ? true : undefined;
    }
  }

  private term(depth: number): Tri {
    this.skip();
    if (depth > 32) {
      this.error = 'condition nested too deeply';
      return undefined;
    }
    let neg = false;
    while (this.s[this.i] === '!') {
      neg = !neg;
      this.i++;
      this.skip();
    }
    const v = this.atom(depth);
    return v === undefined ? undefined : neg ? !v : v;
  }

  private atom(depth: number): Tri {
    const s = this.s;
    const num = /^[-+]?(0x[0-9a-fA-F]+|\d+)/.exec(s.slice(this.i, this.i + 24));
    if (num) {
      this.i += num[0].length;
      return Number(num[0]) !== 0;
    }
    if (s[this.i] === '(') {
      this.i++;
      const v = this.expr(depth + 1);
      this.skip();
      if (s[this.i] !== ')') {
        if (!this.error) this.error = "missing ')' in the condition";
        return undefined;
      }
      this.i++;
      return v;
    }
    let j = this.i;
    while (j < s.length && /[a-z_]/.test(s[j])) j++;
    const name = s.slice(this.i, j);
    if (!PREDICATES.has(name)) {
      if (!this.error) this.error = `unparsable condition '${s.slice(this.i)}': expected a number, '(' or a predicate such as version_atleast()`;
      return undefined;
    }
    this.i = j;
    const args = this.args();
    if (args === undefined) return undefined;
    switch (name) {
      case 'version_atleast':
        return atLeast(this.version, args[0] ?? '');
      case 'version_before': {
        const v = atLeast(this.version, args[0] ?? '');
        return v === undefined ? undefined : !v;
      }
      case 'streq':
        return literal(args[0]) && literal(args[1]) ? args[0] === args[1] : undefined;
      case 'strneq':
        return literal(args[0]) && literal(args[1]) ? args[0] !== args[1] : undefined;
      default:
        return undefined;
    }
  }

  private args(): string[] | undefined {
    const s = this.s;
    if (s[this.i] !== '(') return [];
    const close = s.indexOf(')', this.i);
    if (close < 0) {
      this.error = "missing ')' after the predicate arguments";
      return undefined;
    }
    const inner = s.slice(this.i + 1, close);
    this.i = close + 1;
    return inner === '' ? [] : inner.split(',').map((a) => a.trim());
  }
}

/** Args were already unquoted by the line parser; one that still holds a variable is not known. */
function literal(a: string | undefined): boolean {
  return a !== undefined && !a.includes('$');
}

/**
 * Whether HAProxy `target` (major.minor, e.g. "2.6") is at least `wanted` ("2.4", "2.6-dev3", "2.6.1").
 * Undefined when the answer depends on the patch level or the text is not a version.
 */
export function atLeast(target: string, wanted: string): Tri {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(-.*)?$/.exec(wanted);
  if (!m) return undefined;
  const c = compareVersions(target, `${m[1]}.${m[2]}`);
  if (c !== 0) return c > 0;
  // Same branch: any release of it is >= "X.Y" and >= "X.Y-devN"; a patch level we cannot know.
  if (m[3] !== undefined && m[3] !== '0') return undefined;
  return true;
}

export function evalCondition(expr: string, version: string): CondResult {
  if (expr.trim() === '') return { value: undefined, error: 'empty condition: write an expression after .if' };
  const p = new CondParser(expr, version);
  const value = p.parse();
  return p.error ? { value: undefined, error: p.error } : { value };
}
