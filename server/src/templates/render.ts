// Renders a template for one host and remembers which template line produced each output line.
// Before rendering, an invisible marker (Unicode private-use characters) is put at the start of the literal
// text of each template line; after rendering, the markers are stripped and each output line takes the
// last marker seen before its first character. This works with any engine because markers are plain text.
// A line gets no marker where one would change the output: a blank line, a line that starts inside a Jinja
// span, a line whose first tag strips whitespace before it (`{%-`), and a line after one whose last tag
// strips whitespace after it (`-%}`).
import { nunjucks, type Nunjucks } from './lazyNunjucks';
import { scanJinja } from './jinja';
import { addAnsibleExtensions, patchRuntime, resetBudget, Unsupported } from './pyjinja';
import { MAX_FILE_BYTES } from '../core/limits';

export interface Rendered {
  text: string;
  /** Output line (0-based) → template line (0-based). */
  lineMap: number[];
}

export interface RenderFailure {
  /** 0-based template line the engine names, when it names one. */
  line?: number;
  message: string;
  /** True when the template uses something haconf does not evaluate (a filter, a lookup, a fact). */
  unsupported: boolean;
}

const OPEN = '\uE000';
const CLOSE = '\uE001';
const DIGIT0 = 0xe010;

function marker(line: number): string {
  return OPEN + [...String(line)].map((d) => String.fromCharCode(DIGIT0 + Number(d))).join('') + CLOSE;
}

/** The template with a marker at the start of every line whose output it can tell. */
export function markTemplate(template: string): string {
  const spans = scanJinja(template);
  const lines = template.split('\n');
  const starts: number[] = [];
  let off = 0;
  for (const l of lines) {
    starts.push(off);
    off += l.length + 1;
  }
  const insideSpan = new Set<number>();
  for (const s of spans) {
    for (let ln = 0; ln < lines.length; ln++) if (starts[ln] > s.start && starts[ln] < s.end) insideSpan.add(ln);
  }
  const out: string[] = [];
  let prevStripsAfter = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    const trimmed = line.trim();
    const stripsBefore = /^\{[{%#]-/.test(trimmed);
    const mark = trimmed !== '' && !insideSpan.has(ln) && !stripsBefore && !prevStripsAfter;
    out.push(mark ? marker(ln) + line : line);
    if (trimmed !== '') prevStripsAfter = /-[}%#]\}$/.test(trimmed);
  }
  return trimAfterComments(out.join('\n'));
}

/** Jinja2's trim_blocks also drops the newline after a comment; nunjucks' trimBlocks does not. */
function trimAfterComments(text: string): string {
  let out = '';
  let from = 0;
  for (const s of scanJinja(text)) {
    if (s.kind !== 'comment') continue;
    out += text.slice(from, s.end);
    from = s.end;
    if (text.startsWith('\r\n', from)) from += 2;
    else if (text[from] === '\n') from += 1;
  }
  return out + text.slice(from);
}

/**
 * Rewrites the Jinja2 constructs nunjucks reads differently, keeping their output:
 *   - `{% raw %}…{% endraw %}`: Jinja keeps the newline after `{% raw %}` and trims the one after
 *     `{% endraw %}`; nunjucks does the opposite. The body becomes one string expression.
 *   - `{% for x in items if cond %}`: nunjucks parses `items if cond` as an inline if (silently wrong);
 *     the condition becomes the `__loop_if` filter, which filters before the loop counts, as Jinja does.
 */
export function jinjaCompat(text: string): string {
  let out = '';
  let from = 0;
  const spans = scanJinja(text);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    if (s.kind !== 'block') continue;
    if (s.tag === 'raw' && spans[i + 1]?.tag === 'endraw' && !/^\{%-|-%\}$/.test(text.slice(s.start, s.end))) {
      const close = spans[i + 1];
      const body = text.slice(s.end, close.start);
      out += text.slice(from, s.start) + `{{ "${body.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}" }}`;
      from = close.end;
      if (text.startsWith('\r\n', from)) from += 2;
      else if (text[from] === '\n') from += 1;
      i++;
      continue;
    }
    if (s.tag === 'for') {
      const m = /^for\s+(.+?)\s+in\s+(.+?)\s+if\s+(.+?)\s*(recursive)?$/s.exec(s.inner);
      if (!m || /\selse\s/.test(` ${m[3]} `)) continue;
      const raw = text.slice(s.start, s.end);
      const open = raw.startsWith('{%-') ? '{%-' : '{%';
      const close = raw.endsWith('-%}') ? '-%}' : '%}';
      const target = m[1].trim();
      const quoted = (x: string) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      out += text.slice(from, s.start) + `${open} for ${target} in (${m[2]}) | __loop_if(${quoted(target)}, ${quoted(m[3])}) ${close}`;
      from = s.end;
    }
  }
  return out + text.slice(from);
}

/** Strips the markers and maps each output line to the template line it came from. */
export function unmark(output: string): Rendered {
  const lines = output.split('\n');
  const map: number[] = [];
  const text: string[] = [];
  let current = 0;
  const re = new RegExp(`${OPEN}([\\uE010-\\uE019]+)${CLOSE}`, 'g');
  for (const line of lines) {
    let origin: number | undefined;
    let firstReal = line.replace(re, '').length > 0 ? indexOfFirstReal(line) : line.length;
    for (const m of line.matchAll(re)) {
      const n = Number([...m[1]].map((c) => c.charCodeAt(0) - DIGIT0).join(''));
      if (m.index! <= firstReal) origin = n;
      current = n;
    }
    if (origin !== undefined) map.push(origin);
    else map.push(current);
    text.push(line.replace(re, ''));
    firstReal = 0;
  }
  // An output line with markers after its first character still belongs to its first origin; the next
  // line without a marker continues from the last marker seen (a multi-line value).
  return { text: text.join('\n'), lineMap: map };
}

function indexOfFirstReal(line: string): number {
  let i = 0;
  while (i < line.length) {
    if (line[i] === OPEN) {
      const end = line.indexOf(CLOSE, i);
      if (end < 0) return i;
      i = end + 1;
    } else return i;
  }
  return i;
}

let env: Nunjucks.Environment | undefined;

/** Ansible's template module: trim_blocks on, lstrip_blocks off, no autoescape, undefined variables fail. */
function environment(): Nunjucks.Environment {
  if (env) return env;
  patchRuntime();
  env = new (nunjucks().Environment)([], { autoescape: false, trimBlocks: true, lstripBlocks: false, throwOnUndefined: true });
  addAnsibleExtensions(env);
  const e = env;
  // The loop filter of `{% for x in items if cond %}` (see jinjaCompat): `cond` is evaluated per item with
  // the template's variables and the loop target. Variables of enclosing loops are not visible here: a
  // condition that needs one fails the render (reported), never guesses.
  e.addFilter('__loop_if', function (this: { ctx: Record<string, unknown> }, items: unknown, target: string, cond: string) {
    if (!/^[A-Za-z_]\w*$/.test(target)) throw new Unsupported(`a loop filter over '${target}' (several targets) is not supported by haconf`);
    const list = Array.isArray(items) ? items : items && typeof items === 'object' ? Object.keys(items) : [];
    return list.filter((item) => e.renderString(`{% if ${cond} %}1{% endif %}`, { ...this.ctx, [target]: item }) === '1');
  });
  return e;
}

/** Renders the template with these variables; a failure says which line and why, never a partial text. */
export function renderTemplate(template: string, vars: Record<string, unknown>): { ok: true; rendered: Rendered } | { ok: false; failure: RenderFailure } {
  try {
    const env = environment();
    resetBudget();
    const out = env.renderString(jinjaCompat(markTemplate(template)), vars);
    if (out.length > MAX_FILE_BYTES) throw new Unsupported(`the rendered text is over ${MAX_FILE_BYTES} bytes`);
    return { ok: true, rendered: unmark(out) };
  } catch (e) {
    return { ok: false, failure: locate(describeFailure(e as Error), template, vars) };
  }
}

/**
 * nunjucks names no line for a missing filter and the line before for a failed call: find the construct
 * in the template instead; for an undefined value, name the variables of that line that are not defined.
 */
function locate(f: RenderFailure, template: string, vars: Record<string, unknown>): RenderFailure {
  const lines = template.split('\n');
  const find = (re: RegExp) => {
    const i = lines.findIndex((l) => re.test(l));
    return i >= 0 ? i : f.line;
  };
  const filter = /filter not found: (\S+)/.exec(f.message);
  if (filter) return { ...f, line: find(new RegExp(`\\|\\s*${filter[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`)), message: `the filter '${filter[1]}' is not supported by haconf` };
  // A variable whose own value haconf could not evaluate: the first template line that uses it.
  const held = /^the variable '(\w+)' holds Jinja/.exec(f.message);
  if (held && f.line === undefined) return { ...f, line: find(new RegExp(`\\{[{%].*\\b${held[1]}\\b`)) };
  const call = /^(lookup|query)\(/.exec(f.message);
  if (call) return { ...f, line: find(new RegExp(`\\b${call[1]}\\s*\\(`)) };
  if (/undefined/.test(f.message) && f.line !== undefined) {
    const missing = new Set<string>();
    for (const s of scanJinja(lines[f.line] ?? '')) {
      if (s.kind === 'comment') continue;
      for (const m of s.inner.matchAll(/(?<![.\w'"|])([A-Za-z_]\w*)/g)) {
        const name = m[1];
        if (!(name in vars) && !JINJA_WORDS.has(name)) missing.add(name);
      }
    }
    if (missing.size) {
      const names = [...missing];
      const facts = names.filter((n) => n.startsWith('ansible_'));
      return {
        ...f,
        message: `undefined variable ${names.map((n) => `'${n}'`).join(', ')}${facts.length ? ' (a gathered fact: haconf does not gather facts; set it in host_vars to render this host)' : ''}`,
      };
    }
  }
  return f;
}

const JINJA_WORDS = new Set([
  'if',
  'else',
  'elif',
  'endif',
  'for',
  'in',
  'endfor',
  'not',
  'and',
  'or',
  'is',
  'true',
  'false',
  'True',
  'False',
  'none',
  'None',
  'loop',
  'set',
  'defined',
  'undefined',
  'default',
  'd',
  'int',
  'join',
  'length',
  'upper',
  'lower',
  'string',
]);

function describeFailure(e: Error): RenderFailure {
  const text = String(e.message ?? e);
  const at = /\[Line (\d+), Column (\d+)\]/.exec(text);
  const detail = text
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\[Line \d+, Column \d+\]\s*/, '')
    .replace(/^\s*(Template render error:\s*)?/, '')
    .replace(/\n\s*/g, ' ')
    .replace(/^Error:\s*/, '')
    .replace(/[\uE000-\uE01F]/g, '')
    .trim();
  const unsupported = e instanceof Unsupported || /filter not found|Unsupported|haconf|lookups|unknown block tag|is undefined|undefined or falsey/i.test(text);
  return { line: at ? Number(at[1]) - 1 : undefined, message: detail, unsupported };
}
