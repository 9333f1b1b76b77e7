// Systematic mutations of valid configs. Each operator makes one fault (or, for the `neutral` ones, a
// change that must not matter) at a position chosen by `pick` in [0, 1), so a run is reproducible.
// `toolBlind` marks faults the real checker does not look at (config-facts.md, "Misses"): there we
// are stricter on purpose, and they are reported apart from the agreement rate.
import type { Language } from '../../server/src/core/types';

export interface Mutation {
  name: string;
  language: Language;
  /** The mutated text, or undefined when the seed has nothing this operator can change. */
  apply(text: string, pick: number): string | undefined;
  /** Meant to be harmless: both sides should keep accepting. */
  neutral?: boolean;
  /** The real tool does not judge this fault (documented); we report it anyway. */
  toolBlind?: string;
}

interface Line {
  index: number;
  text: string;
}

function linesMatching(text: string, re: RegExp): Line[] {
  return text.split('\n').flatMap((t, index) => (re.test(t) ? [{ index, text: t }] : []));
}

function choose<T>(xs: T[], pick: number): T | undefined {
  return xs.length ? xs[Math.floor(pick * xs.length) % xs.length] : undefined;
}

/** Replaces one line (chosen among those matching `re`) by `f(line)`; undefined when none matches. */
function editLine(text: string, re: RegExp, pick: number, f: (line: string) => string | string[]): string | undefined {
  const l = choose(linesMatching(text, re), pick);
  if (!l) return undefined;
  const ls = text.split('\n');
  const r = f(l.text);
  ls.splice(l.index, 1, ...(Array.isArray(r) ? r : [r]));
  return ls.join('\n');
}

/** Doubles one letter of a word: `balance` → `ballance`. Always a different, usually unknown, word. */
function typo(word: string, pick: number): string {
  const i = 1 + (Math.floor(pick * 1000) % Math.max(1, word.length - 1));
  return word.slice(0, i) + word[i - 1] + word.slice(i);
}

const indentOf = (line: string): string => /^\s*/.exec(line)![0];

// ---------------------------------------------------------------- HAProxy

const H = (m: Omit<Mutation, 'language'>): Mutation => ({ ...m, language: 'haproxy' });
const SECTION_RE = /^(global|defaults|frontend|backend|listen|userlist|peers|resolvers|mailers|program|http-errors|ring|log-forward|cache)\b/;

function haproxyBackends(text: string): { name: string; start: number; end: number }[] {
  const ls = text.split('\n');
  const out: { name: string; start: number; end: number }[] = [];
  for (let i = 0; i < ls.length; i++) {
    const m = /^backend\s+(\S+)/.exec(ls[i]);
    if (!m) continue;
    let j = i + 1;
    while (j < ls.length && !SECTION_RE.test(ls[j])) j++;
    out.push({ name: m[1], start: i, end: j });
  }
  return out;
}

const haproxyMutations: Mutation[] = [
  H({
    name: 'typo a keyword',
    apply: (t, p) =>
      editLine(t, /^\s+(balance|mode|timeout|option|maxconn|retries|log|default_backend|http-request)\b/, p, (l) => l.replace(/^(\s+)(\S+)/, (_, s: string, w: string) => s + typo(w, p))),
  }),
  H({ name: 'bind port 70000', apply: (t, p) => editLine(t, /^\s+bind\s+\S*:\d+/, p, (l) => l.replace(/:(\d+)\b/, ':70000')) }),
  H({ name: 'server port 70000', apply: (t, p) => editLine(t, /^\s+server\s+\S+\s+\S+:\d+/, p, (l) => l.replace(/(\s+server\s+\S+\s+[^\s:]*):\d+/, '$1:70000')) }),
  H({ name: 'server port range', apply: (t, p) => editLine(t, /^\s+server\s+\S+\s+\S+:\d+\s/, p, (l) => l.replace(/(\s+server\s+\S+\s+[^\s:]*):(\d+)/, '$1:$2-$2')) }),
  H({
    name: 'drop a referenced backend',
    apply: (t, p) => {
      const used = new Set([...t.matchAll(/^\s+(?:default_backend|use_backend)\s+(\S+)/gm)].map((m) => m[1]));
      const b = choose(
        haproxyBackends(t).filter((x) => used.has(x.name)),
        p,
      );
      if (!b) return undefined;
      const ls = t.split('\n');
      ls.splice(b.start, b.end - b.start);
      return ls.join('\n');
    },
  }),
  H({ name: 'add reqadd', apply: (t, p) => editLine(t, /^(frontend|backend|listen)\s/, p, (l) => [l, '    reqadd X-Haconf:\\ yes']) }),
  H({ name: 'misspell a section', apply: (t, p) => editLine(t, /^(frontend|backend|listen|defaults)\b/, p, (l) => l.replace(/^(\S+)/, (w) => typo(w, p))) }),
  H({ name: 'duplicate a server line', apply: (t, p) => editLine(t, /^\s+server\s+\S+\s/, p, (l) => [l, l]) }),
  H({ name: 'duplicate a backend name', apply: (t, p) => editLine(t, /^backend\s+\S+/, p, (l) => [`${l}\n    server dup 127.0.0.1:1`, l].join('\n')) }),
  H({ name: 'server without address', apply: (t, p) => editLine(t, /^\s+server\s+\S+\s/, p, (l) => l.replace(/^(\s+server\s+\S+).*$/, '$1')) }),
  H({ name: 'proxy keyword in global', apply: (t) => editLine(t, /^global\b/, 0, (l) => [l, '    default_backend nowhere']) }),
  H({ name: 'unterminated quote', apply: (t, p) => editLine(t, /^\s+(log|bind|server|http-request)\s/, p, (l) => `${l} "open`) }),
  H({ name: 'no newline at the end', apply: (t) => (t.endsWith('\n') ? t.replace(/\n+$/, '') : undefined) }),
  H({
    name: '70 words on one line',
    apply: (t) => editLine(t, /^(frontend|backend|listen)\s/, 0, (l) => [l, `    http-request set-var(txn.x) str(${Array.from({ length: 70 }, (_, i) => `w${i}`).join(' ')})`]),
  }),
  H({ name: 'check port 70000', toolBlind: 'haproxy -c does not range-check `check port`', apply: (t, p) => editLine(t, /^\s+server\s.*\bcheck\b/, p, (l) => `${l} port 70000`) }),
  H({ name: 'maxconn not a number', toolBlind: 'haproxy -c reads `maxconn abc` as 0 without complaint', apply: (t) => editLine(t, /^(frontend|listen|defaults)\b/, 0, (l) => [l, '    maxconn abc']) }),
  H({ name: 'add a comment line', neutral: true, apply: (t, p) => editLine(t, /\S/, p, (l) => [`${indentOf(l)}# haconf mutation: a comment`, l]) }),
  H({ name: 'indent with tabs', neutral: true, apply: (t) => (/^ {4}/m.test(t) ? t.replace(/^ {4}/gm, '\t') : undefined) }),
  H({ name: 'add blank lines', neutral: true, apply: (t, p) => editLine(t, /^\s+\S/, p, (l) => ['', l, '']) }),
];

// ---------------------------------------------------------------- keepalived

const K = (m: Omit<Mutation, 'language'>): Mutation => ({ ...m, language: 'keepalived' });

const keepalivedMutations: Mutation[] = [
  K({ name: 'VRID 0', apply: (t, p) => editLine(t, /^\s*virtual_router_id\s+\d+/, p, (l) => l.replace(/\d+/, '0')) }),
  K({ name: 'VRID 256', apply: (t, p) => editLine(t, /^\s*virtual_router_id\s+\d+/, p, (l) => l.replace(/\d+/, '256')) }),
  K({ name: 'priority 300', apply: (t, p) => editLine(t, /^\s*priority\s+\d+/, p, (l) => l.replace(/\d+/, '300')) }),
  K({ name: 'priority 0', apply: (t, p) => editLine(t, /^\s*priority\s+\d+/, p, (l) => l.replace(/\d+/, '0')) }),
  K({ name: 'weight 300', apply: (t, p) => editLine(t, /^\s*weight\s+-?\d+/, p, (l) => l.replace(/-?\d+/, '300')) }),
  K({ name: 'state FOO', apply: (t, p) => editLine(t, /^\s*state\s+(MASTER|BACKUP)/, p, (l) => l.replace(/MASTER|BACKUP/, 'FOO')) }),
  K({
    name: 'typo a keyword',
    apply: (t, p) => editLine(t, /^\s*(advert_int|priority|interface|virtual_router_id|interval|fall|rise)\s/, p, (l) => l.replace(/^(\s*)(\S+)/, (_, s: string, w: string) => s + typo(w, p))),
  }),
  K({ name: 'misspell a block', apply: (t, p) => editLine(t, /^\s*(vrrp_instance|vrrp_script|global_defs)\b/, p, (l) => l.replace(/^(\s*)(\S+)/, (_, s: string, w: string) => s + typo(w, p))) }),
  K({ name: 'delete a closing brace', apply: (t, p) => editLine(t, /^\s*}\s*$/, p, () => []) }),
  K({ name: 'add a closing brace', apply: (t, p) => editLine(t, /^\s*}\s*$/, p, (l) => [l, '}']) }),
  K({ name: 'invalid VIP', apply: (t, p) => editLine(t, /^\s+\d+\.\d+\.\d+\.\d+\/\d+/, p, (l) => l.replace(/\d+\.\d+\.\d+\.\d+/, '300.1.1.1')) }),
  K({ name: 'undefined track_script', apply: (t, p) => editLine(t, /^\s*track_script\s*\{\s*$/, p, (l) => [l, '        chk_haconf_missing']) }),
  K({ name: 'nopreempt with state MASTER', apply: (t, p) => editLine(t, /^\s*state\s+MASTER/, p, (l) => [l, `${indentOf(l)}nopreempt`]) }),
  K({ name: 'auth_pass over 8 characters', apply: (t, p) => editLine(t, /^\s*auth_pass\s+\S+/, p, (l) => l.replace(/auth_pass\s+\S+/, 'auth_pass 0123456789abc')) }),
  K({ name: 'drop enable_script_security', apply: (t) => (/^\s*enable_script_security\s*$/m.test(t) && /^\s*script\s/m.test(t) ? t.replace(/^\s*enable_script_security\s*\n/m, '') : undefined) }),
  K({ name: 'add a comment line', neutral: true, apply: (t, p) => editLine(t, /\S/, p, (l) => [`${indentOf(l)}! haconf mutation: a comment`, l]) }),
  K({ name: 'indent with tabs', neutral: true, apply: (t) => (/^ {4}/m.test(t) ? t.replace(/^ {4}/gm, '\t') : undefined) }),
  K({ name: 'join a block onto one line', neutral: true, apply: (t) => (/\{\n\s*\}/.test(t) ? undefined : t.replace(/virtual_ipaddress\s*\{\n\s*(\S[^\n]*)\n\s*\}/, 'virtual_ipaddress { $1 }')) }),
];

// ---------------------------------------------------------------- corosync

const C = (m: Omit<Mutation, 'language'>): Mutation => ({ ...m, language: 'corosync' });

const corosyncMutations: Mutation[] = [
  C({ name: 'knet node without nodeid', apply: (t, p) => (/transport:\s*udpu?\b/.test(t) ? undefined : editLine(t, /^\s*nodeid\s*:/, p, () => [])) }),
  C({ name: 'duplicate nodeid', apply: (t) => (linesMatching(t, /^\s*nodeid\s*:/).length < 2 ? undefined : t.replace(/(nodeid\s*:\s*)\d+/g, '$11')) }),
  C({
    name: 'crypto with udpu',
    apply: (t) => editLine(t.replace(/^\s*transport\s*:.*\n/m, ''), /^totem\s*\{/, 0, (l) => [l, '    transport: udpu', '    crypto_cipher: aes256', '    crypto_hash: sha256']),
  }),
  C({ name: 'delete a closing brace', apply: (t, p) => editLine(t, /^\s*}\s*$/, p, () => []) }),
  C({ name: 'add a closing brace', apply: (t, p) => editLine(t, /^\s*}\s*$/, p, (l) => [l, '}']) }),
  C({ name: 'text after an opening brace', apply: (t, p) => editLine(t, /\{\s*$/, p, (l) => `${l} x`) }),
  C({ name: 'key without colon', apply: (t, p) => editLine(t, /^\s*(cluster_name|provider|name)\s*:/, p, (l) => l.replace(':', '')) }),
  C({ name: 'trailing comment', apply: (t, p) => editLine(t, /^\s*(two_node|nodeid|version)\s*:\s*\d+\s*$/, p, (l) => `${l} # note`) }),
  C({ name: 'drop totem version', apply: (t) => editLine(t, /^\s*version\s*:/, 0, () => []) }),
  C({ name: 'bad transport', apply: (t) => editLine(t, /^\s*transport\s*:/, 0, (l) => l.replace(/:\s*\S+/, ': tcp')) }),
  C({ name: 'line too long', apply: (t) => editLine(t, /^\s*cluster_name\s*:/, 0, (l) => l.replace(/:\s*\S+/, `: ${'c'.repeat(600)}`)) }),
  // corosync -t accepts the next three and so do we since issue 15 (warnings, test/parity/corosync-classes.test.ts).
  C({ name: 'misspell a section', apply: (t) => editLine(t, /^quorum\s*\{/, 0, (l) => l.replace('quorum', 'quorumx')) }),
  C({ name: 'typo a key', apply: (t, p) => editLine(t, /^\s*(cluster_name|to_syslog|provider|timestamp)\s*:/, p, (l) => l.replace(/^(\s*)(\w+)/, (_, s: string, w: string) => s + typo(w, p))) }),
  C({
    name: 'two_node with three nodes',
    apply: (t) =>
      /two_node\s*:\s*1/.test(t) ? editLine(t, /^nodelist\s*\{/, 0, (l) => [l, '    node {', '        ring0_addr: 10.255.255.3', '        name: extra', '        nodeid: 99', '    }']) : undefined,
  }),
  C({ name: 'add a comment line', neutral: true, apply: (t, p) => editLine(t, /^\s*\w+\s*:/, p, (l) => [`${indentOf(l)}# haconf mutation: a comment`, l]) }),
  C({ name: 'indent with tabs', neutral: true, apply: (t) => (/^ {4}/m.test(t) ? t.replace(/^ {4}/gm, '\t') : undefined) }),
];

export const MUTATIONS: Mutation[] = [...haproxyMutations, ...keepalivedMutations, ...corosyncMutations];
