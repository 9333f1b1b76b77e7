// Characters that make text show differently from what a daemon reads: bidirectional controls (Trojan
// Source: a `track_script` name that displays as the real script's name while naming another), invisible
// characters (zero-width space, soft hyphen) and control characters (ESC starts an ANSI sequence that can
// recolour, hide or rewrite what a terminal shows). Two uses:
// - `hiddenCharFindings`: the `<lang>/hidden-characters` finding for config text, all three languages;
// - `escapeForTerminal`: every text haconf prints (findings, failover tables, deploy
//   progress, host output, errors) shows these characters as visible escapes, e.g. `\u202e`, `\u001b`.
import type { Diagnostic, Language, RuleMeta, Severity } from './types';
import { severityOf } from './rule';

/** Bidirectional embedding, override and isolate controls, plus the marks (LRM, RLM, ALM). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Invisible or zero-width characters that change a name without showing. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/;
/** C0 controls except tab and newline, DEL and C1 controls. A CR is allowed only before a newline. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** Everything escapeForTerminal rewrites. */
const UNSAFE_G = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `\u001b`, `\u202e`: the same spelling JSON uses, so escaped JSON output still parses to the same value. */
function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text for a terminal: control characters (ESC, CR, backspace…), bidirectional controls and invisible
 * characters become visible escapes such as `\u001b` and `\u202e`; tab and newline stay. JSON output
 * stays valid JSON with the same parsed value (JSON.stringify never leaves C0 controls raw, and the rest
 * are written as JSON's own \uXXXX escapes). Applied to everything the CLI prints (cli/main.ts);
 * idempotent.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE_G, escapeChar);
}

const NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x00ad: 'SOFT HYPHEN',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x1b: 'ESCAPE',
};

function describe(c: string): string {
  const code = c.charCodeAt(0);
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return NAMES[code] ? `${u} ${NAMES[code]}` : `${u} (a control character)`;
}

type Kind = 'bidi' | 'invisible' | 'control';

function kindOf(c: string): Kind | undefined {
  if (BIDI.test(c)) return 'bidi';
  if (INVISIBLE.test(c)) return 'invisible';
  if (CONTROL.test(c)) return 'control';
  return undefined;
}

// CR is not reported here (Windows line ends, old Mac files); escapeForTerminal still escapes a lone CR
// when printed.
const ANY = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const ANY_G = new RegExp(ANY.source, 'g');

/** The C0 controls ANY holds (tab, newline and CR aside) and DEL, one string each for indexOf. */
const ASCII_CONTROLS: string[] = [];
for (let code = 0; code < 0x20; code++) if (code !== 9 && code !== 10 && code !== 13) ASCII_CONTROLS.push(String.fromCharCode(code));
ASCII_CONTROLS.push('\x7f');

/**
 * Whether `text` holds a character of ANY, a leading byte-order mark aside. Almost every config holds
 * none and is pure ASCII, so this asks V8's native searches first: one indexOf per ASCII control
 * character and a UTF-8 length that equals the text's length only when every character is ASCII
 * (together under 1 ms for a 1 MB text, where a character loop runs cold for 10–20 ms and ANY.test,
 * interpreted on its first calls, for ~80 ms). Only a text with non-ASCII characters is walked.
 */
function hasHidden(text: string): boolean {
  for (const control of ASCII_CONTROLS) if (text.indexOf(control) !== -1) return true;
  if (Buffer.byteLength(text, 'utf8') === text.length) return false;
  for (let i = text.length && text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x7f && ANY.test(text[i])) return true;
  }
  return false;
}

export const HIDDEN_CHARACTERS_CODE = 'hidden-characters';

export function hiddenCharactersRule(language: Language): RuleMeta {
  return {
    code: `${language}/${HIDDEN_CHARACTERS_CODE}`,
    defaultSeverity: 'error',
    summary: 'A bidirectional control, an invisible character or a control character in the config text.',
    rationale: `Editors, terminals and diff views show such text in another order or without the hidden character, while ${language} reads every byte: a name can look exactly like another (a track_script that displays as chk_haproxy but names a different script, so the failover you review is not the one that runs), and an ESC can rewrite what a terminal shows. Bidirectional and control characters are errors; invisible ones (zero-width space, soft hyphen) are warnings.`,
    example: 'vrrp_instance VI_1 {\n    track_script {\n        chk_\u202eyxorpah\u202c\n    }\n}',
    fix: 'Remove the character; haconf shows it as an escape such as \\u202e in its messages and output.',
    variants: {
      invisible: { severity: 'warning', when: 'the line holds only invisible characters (zero-width space, soft hyphen…), no bidirectional or control character' },
    },
  };
}

/**
 * One finding per line holding such characters, at the first one, naming each kind found and showing the
 * line's words escaped. A byte-order mark at the very start of a file is allowed. Never throws.
 */
export function hiddenCharFindings(language: Language, sources: Map<string, string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  let meta: RuleMeta | undefined;
  for (const [file, text] of sources) {
    if (!hasHidden(text)) continue;
    // Line starts as the engine counts them (core/range.ts splitLines): \n ends a line; a \r is part of the
    // line it is on (one before the \n, or at the end of the text, is left out of it).
    const starts = [0];
    for (const m of text.matchAll(/\n/g)) starts.push(m.index! + 1);
    let lastLine = -1;
    for (const m of text.matchAll(ANY_G)) {
      const at = m.index!;
      if (at === 0 && m[0] === '\ufeff') continue;
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      const lineNo = lo;
      meta ??= hiddenCharactersRule(language);
      if (lineNo === lastLine) continue;
      lastLine = lineNo;
      const lineStart = starts[lineNo];
      const next = lineNo + 1 < starts.length ? starts[lineNo + 1] : text.length;
      const line = text.slice(lineStart, next).replace(/\n$/, '').replace(/\r$/, '');
      const found = new Map<string, Kind>();
      for (const c of line.match(ANY_G) ?? []) found.set(c, kindOf(c) ?? 'control');
      const kinds = new Set(found.values());
      const severity: Severity = severityOf(meta!, kinds.has('bidi') || kinds.has('control') ? undefined : 'invisible');
      const what = [...found.keys()].slice(0, 4).map(describe).join(', ');
      const why = kinds.has('bidi')
        ? 'a bidirectional control makes editors and terminals show this line in another order than it is read, so a name can look like another (Trojan Source)'
        : kinds.has('control')
          ? 'a control character can make a terminal hide or rewrite what it shows'
          : 'an invisible character makes a name differ from the one it looks like';
      const col = at - lineStart;
      out.push({
        file,
        // A \r ending the last line is outside it, as in splitLines: clamp to the line.
        range: { start: { line: lineNo, character: Math.min(col, line.length) }, end: { line: lineNo, character: Math.min(col + 1, line.length) } },
        severity,
        code: `${language}/${HIDDEN_CHARACTERS_CODE}`,
        message: `this line contains ${what}: ${why}. ${language} reads \`${escapeForTerminal(line.trim()).slice(0, 120)}\`; remove the character.`,
      });
    }
  }
  return out;
}
