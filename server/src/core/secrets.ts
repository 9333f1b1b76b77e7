// The one place that knows which config values are secrets, for all three languages. Everything haconf
// shows or writes (findings in text/JSON/SARIF and the editor, deploy diffs, progress events, results,
// the audit log, error messages, host tool output) passes through `maskSecrets` (config-shaped text) or a
// `Redactor` (any text, scrubbed of the secret values seen in the files of a run).
//
// Secrets: keepalived `auth_pass`; HAProxy `stats auth user:PASS`, userlist `password`/`insecure-password`,
// `Authorization`/`Proxy-Authorization` header values (http-check send hdr, set-header, raw
// `option httpchk … \r\nAuthorization: …`), `tcp-check send*` data (AUTH/PASS lines of redis, smtp…);
// corosync `key:`. Values are whole words as the configs read them: "double quoted", 'single quoted',
// and backslash-escaped (`a\ b`), so a multi-word password is masked entirely, not its first word.
import type { Diagnostic } from './types';

export const MASK = '********';

/** One word of a config line: its raw span and its value with quotes and escapes removed. */
interface Word {
  start: number;
  end: number;
  value: string;
}

/** Splits a line the way HAProxy does (keepalived's double quotes are a subset): quotes, backslashes. */
function words(line: string): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t' || line[i] === '\r')) i++;
    if (i >= line.length) break;
    const start = i;
    let value = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t' && line[i] !== '\r') {
      const c = line[i];
      if (c === '\\' && i + 1 < line.length) {
        value += line[i + 1];
        i += 2;
      } else if (c === '"' || c === "'") {
        const close = line.indexOf(c, i + 1);
        // An unterminated quote runs to the end of the line: mask too much rather than too little.
        const stop = close < 0 ? line.length : close;
        value += line.slice(i + 1, stop);
        i = close < 0 ? line.length : close + 1;
      } else {
        value += c;
        i++;
      }
    }
    out.push({ start, end: i, value });
  }
  return out;
}

interface Hit {
  start: number;
  end: number;
  /** Kept before the mask (the user of `stats auth user:pass`). */
  keep?: string;
  /** The secret values, for scrubbing free text. */
  values: string[];
}

const PASSWORD_WORDS = new Set(['auth_pass', 'password', 'insecure-password']);
const TCP_SEND = new Set(['send', 'send-lf', 'send-binary', 'send-binary-lf']);
const AUTH_HEADER = /^(?:proxy-)?authorization:?$/i;
/** `Authorization: <value>` inside a raw request string; the value ends at an escaped CR/LF or the word's end. */
const AUTH_IN_WORD = /(?:proxy-)?authorization:(?:\\?[ \t])*/gi;
const COROSYNC_KEY = /^([-+ ]?\s*key\s*:\s*)(\S.*?)\s*$/;

/** The header value's secret parts: the whole value and its credential (the part after `Basic `). */
function headerValues(v: string): string[] {
  const parts = v.trim().split(/\s+/);
  return [v.trim(), ...(parts.length > 1 ? [parts.slice(1).join(' ')] : [])];
}

function hitsOf(line: string): Hit[] {
  const key = COROSYNC_KEY.exec(line);
  if (key) return [{ start: key[1].length, end: key[1].length + key[2].length, values: [key[2]] }];
  const ws = words(line);
  const hits: Hit[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i].value;
    const next = ws[i + 1];
    if (PASSWORD_WORDS.has(w) && next) {
      // keepalived reads no escapes and uses only the first 8 characters: its own view of the value is a
      // secret too, since a message may quote what keepalived sees.
      const raw = line.slice(next.start, next.end).split(/[ \t]/)[0];
      const values = w === 'auth_pass' ? [next.value, next.value.slice(0, 8), raw, raw.slice(0, 8)] : [next.value];
      hits.push({ start: next.start, end: next.end, values: [...new Set(values)] });
      i++;
    } else if (w === 'stats' && ws[i + 1]?.value === 'auth' && ws[i + 2]) {
      const cred = ws[i + 2];
      const colon = cred.value.indexOf(':');
      hits.push(
        colon < 0 ? { start: cred.start, end: cred.end, values: [cred.value] } : { start: cred.start, end: cred.end, keep: `${cred.value.slice(0, colon)}:`, values: [cred.value.slice(colon + 1)] },
      );
      i += 2;
    } else if (w === 'tcp-check' && next && TCP_SEND.has(next.value) && ws[i + 2]) {
      hits.push({ start: ws[i + 2].start, end: ws[i + 2].end, values: [ws[i + 2].value] });
      i += 2;
    } else if (AUTH_HEADER.test(w) && next) {
      hits.push({ start: next.start, end: next.end, values: headerValues(next.value) });
      i++;
    } else {
      // A raw request inside one word: mask from after `Authorization:` to the next \r or \n escape.
      const raw = line.slice(ws[i].start, ws[i].end);
      for (const m of raw.matchAll(AUTH_IN_WORD)) {
        const from = m.index! + m[0].length;
        const rest = raw.slice(from);
        const stop = rest.search(/\\[rn]|["']|$/);
        if (stop <= 0) continue;
        const secret = rest.slice(0, stop).replace(/\\(.)/g, '$1');
        hits.push({ start: ws[i].start + from, end: ws[i].start + from + stop, values: headerValues(secret) });
      }
    }
  }
  return hits;
}

/** Masks the secret values on one line of config, keeping the rest of the line as it was. */
export function maskLine(line: string): string {
  const hits = hitsOf(line);
  if (!hits.length) return line;
  let out = '';
  let at = 0;
  for (const h of hits.sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    out += line.slice(at, h.start) + (h.keep ?? '') + MASK;
    at = h.end;
  }
  return out + line.slice(at);
}

/** Cheap pre-test: a line without any of these words holds no secret this module knows. */
const SECRET_HINT = /auth|password|tcp-check|key/i;
const SECRET_HINT_G = new RegExp(SECRET_HINT.source, 'gi');

/** The lines of `text` that may hold a secret, as [start, end) offsets; each line once. */
function candidateLines(text: string): [number, number][] {
  const out: [number, number][] = [];
  let lastEnd = -1;
  for (const m of text.matchAll(SECRET_HINT_G)) {
    if (m.index! < lastEnd) continue;
    const start = text.lastIndexOf('\n', m.index!) + 1;
    const nl = text.indexOf('\n', m.index!);
    const end = nl < 0 ? text.length : nl;
    out.push([start, end]);
    lastEnd = end;
  }
  return out;
}

/** Masks secrets in config-shaped text (any number of lines); only lines that may hold one are parsed. */
export function maskSecrets(text: string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of candidateLines(text)) {
    const line = text.slice(start, end);
    const masked = maskLine(line);
    if (masked === line) continue;
    out += text.slice(at, start) + masked;
    at = end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** Secret values in a config text, quotes and escapes removed. */
export function findSecrets(text: string): string[] {
  const out: string[] = [];
  for (const [start, end] of candidateLines(text)) for (const h of hitsOf(text.slice(start, end))) for (const v of h.values) if (v) out.push(v);
  return out;
}

/** A copy of each finding with secret values scrubbed from its message, notes and fix titles. */
export function scrubDiagnostic(d: Diagnostic, redactor: Redactor): Diagnostic {
  const message = redactor.scrubValues(d.message);
  const related = d.related?.map((r) => ({ ...r, message: redactor.scrubValues(r.message) }));
  const fixes = d.fixes?.map((f) => ({ ...f, title: redactor.scrubValues(f.title) }));
  const same = message === d.message && (related ?? []).every((r, i) => r.message === d.related![i].message) && (fixes ?? []).every((f, i) => f.title === d.fixes![i].title);
  return same ? d : { ...d, message, ...(related ? { related } : {}), ...(fixes ? { fixes } : {}) };
}

/** Secrets shorter than this are not scrubbed from free text: a one-letter password would blank every word. */
const MIN_SCRUB = 3;

/** Collects secrets from every file seen in a run and scrubs any text before it is shown or logged. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private sorted: string[] | undefined;

  addText(text: string): void {
    for (const s of findSecrets(text)) this.addValue(s);
  }

  addValue(value: string): void {
    if (value.length < MIN_SCRUB || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.sorted = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  /** For config-shaped text (tool output, diffs, deploy messages): masks secret lines, then any remaining
   *  occurrence of a known secret value (longest first). */
  scrub(text: string): string {
    return this.scrubValues(maskSecrets(text));
  }

  /** For prose (finding messages): only the known values, so "auth_pass is 15 characters" stays readable. */
  scrubValues(text: string): string {
    this.sorted ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of this.sorted) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }
}
