// Secrets in the deployed files: keepalived `auth_pass`, HAProxy `stats auth user:PASS` and userlist
// passwords. They are masked in every diff and message haconf shows or logs; tool output from the hosts
// is scrubbed of the secret values found in the local and remote files.
const MASK = '********';

const LINE_PATTERNS: RegExp[] = [
  /(\bauth_pass\s+)("[^"]*"|\S+)/g,
  /(\bstats\s+auth\s+[^:\s]+:)("[^"]*"|\S+)/g,
  /(\b(?:insecure-)?password\s+)("[^"]*"|\S+)/g,
];

/** Masks secret values on one line of config (for diffs). */
export function maskLine(line: string): string {
  let out = line;
  for (const re of LINE_PATTERNS) out = out.replace(re, (_m, head: string) => head + MASK);
  return out;
}

export function maskText(text: string): string {
  return text.split('\n').map(maskLine).join('\n');
}

/** Secret values in a config text, quotes removed. */
export function findSecrets(text: string): string[] {
  const out: string[] = [];
  for (const re of LINE_PATTERNS) {
    for (const m of text.matchAll(new RegExp(re.source, 'g'))) {
      const v = m[2].startsWith('"') && m[2].endsWith('"') && m[2].length >= 2 ? m[2].slice(1, -1) : m[2];
      if (v) out.push(v);
    }
  }
  return out;
}

/** Collects secrets from every file seen in a run and scrubs any text before it is shown or logged. */
export class Redactor {
  private readonly secrets = new Set<string>();

  addText(text: string): void {
    for (const s of findSecrets(text)) this.secrets.add(s);
  }

  /** Masks secret lines, then any remaining occurrence of a known secret value (3+ characters, so
   *  that a one-letter password does not blank out every word). */
  scrub(text: string): string {
    let out = maskText(text);
    const values = [...this.secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
    for (const v of values) out = out.split(v).join(MASK);
    return out;
  }
}
