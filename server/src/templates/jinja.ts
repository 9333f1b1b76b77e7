// A small scanner for Jinja2 delimiters: it finds `{{ … }}`, `{% … %}` and `{# … #}` (with `-`/`+`
// whitespace control), skipping quoted strings inside expressions and tags, and the literal body of
// `{% raw %}…{% endraw %}`. It does not parse expressions: the un-rendered check only needs where the
// template syntax is, and rendering is done by the Jinja engine (templates/render.ts).

export type JinjaKind = 'expr' | 'block' | 'comment';

export interface JinjaSpan {
  kind: JinjaKind;
  /** Offsets into the text, end exclusive, delimiters included. */
  start: number;
  end: number;
  /** For a block: its first word (`if`, `for`, `endif`, `set`, …). */
  tag?: string;
  /** The text between the delimiters, trimmed, without whitespace-control marks. */
  inner: string;
}

const CLOSERS: Record<string, string> = { '{{': '}}', '{%': '%}', '{#': '#}' };
const KINDS: Record<string, JinjaKind> = { '{{': 'expr', '{%': 'block', '{#': 'comment' };

/** Every Jinja span of the text, in order. An unterminated span runs to the end of the text. */
export function scanJinja(text: string): JinjaSpan[] {
  const spans: JinjaSpan[] = [];
  let i = 0;
  while (i < text.length) {
    const open = nextOpener(text, i);
    if (open < 0) break;
    const opener = text.slice(open, open + 2);
    const closer = CLOSERS[opener];
    let j = open + 2;
    let quote = '';
    let end = -1;
    while (j < text.length) {
      const c = text[j];
      if (opener !== '{#') {
        if (quote) {
          if (c === '\\') {
            j += 2;
            continue;
          }
          if (c === quote) quote = '';
          j++;
          continue;
        }
        if (c === '"' || c === "'") {
          quote = c;
          j++;
          continue;
        }
      }
      if (text.startsWith(closer, j)) {
        end = j + 2;
        break;
      }
      j++;
    }
    if (end < 0) end = text.length;
    const inner = text
      .slice(open + 2, Math.max(open + 2, end - 2))
      .replace(/^[-+]/, '')
      .replace(/[-+]$/, '')
      .trim();
    const span: JinjaSpan = { kind: KINDS[opener], start: open, end, inner };
    if (span.kind === 'block') span.tag = /^[A-Za-z_]+/.exec(inner)?.[0];
    spans.push(span);
    i = end;
    if (span.tag === 'raw') {
      // The body of a raw block is literal text; only `{% endraw %}` ends it.
      const close = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
      close.lastIndex = end;
      const m = close.exec(text);
      if (!m) break;
      spans.push({ kind: 'block', start: m.index, end: m.index + m[0].length, tag: 'endraw', inner: 'endraw' });
      i = m.index + m[0].length;
    }
  }
  return spans;
}

function nextOpener(text: string, from: number): number {
  let i = text.indexOf('{', from);
  while (i >= 0 && i + 1 < text.length) {
    const n = text[i + 1];
    if (n === '{' || n === '%' || n === '#') return i;
    i = text.indexOf('{', i + 1);
  }
  return -1;
}

/** True when the text has any Jinja syntax at all. */
export function hasJinja(text: string): boolean {
  return /\{[{%#]/.test(text);
}
