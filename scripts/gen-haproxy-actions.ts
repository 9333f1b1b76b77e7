// Generates server/data/haproxy-actions.json: the actions of every rule set (`http-request set-header`,
// `tcp-request connection accept`, …) with their argument syntax and the versions they exist in, for
// completion and signature help.
//
//   node --import tsx scripts/gen-haproxy-actions.ts [--manuals DIR]
//
// Manuals read (as scripts/gen-haproxy-anchors.ts): /usr/share/doc/haproxy/configuration.txt.gz (the machine's
// haproxy), the same file under /work/roots/*/ (newer Debian roots, docs/parity.md) and
// DIR/configuration-<major.minor>.txt (default .tmp/manuals, filled by scripts/fetch-haproxy-manuals.sh).
// Two layouts: up to 2.7 each rule set documents its actions (`http-request set-header <name> <fmt> [ { if |
// unless } <condition> ]`); from 2.8 on, chapter 4.3 has a matrix of actions × rule sets and 4.4 one entry per
// action (`set-header <name> <fmt>` then "Usable in:"). Only names, placeholders and versions are kept: no
// manual prose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { compareVersions } from '../server/src/core/schema';
import { alternatives } from '../server/src/services/syntax';
import type { ActionData, ActionSpec, RuleSet } from '../server/src/haproxy/actionData';

const ABBREVIATIONS: Record<string, RuleSet> = {
  Ini: 'quic-initial',
  RqCon: 'tcp-request connection',
  RqSes: 'tcp-request session',
  RqCnt: 'tcp-request content',
  RsCnt: 'tcp-response content',
  Req: 'http-request',
  Res: 'http-response',
  Aft: 'http-after-response',
};

/** name → syntax (placeholders after the name), per rule set, of one manual. */
type Facts = Map<RuleSet, Map<string, string>>;

function read(file: string): string {
  const buf = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString('utf8');
}

function manualVersion(text: string): string | undefined {
  return /^\s+version (\d+\.\d+)/m.exec(text.slice(0, 2000))?.[1];
}

/** The syntax without the trailing condition and with blanks collapsed. */
function cleanSyntax(s: string): string {
  return s
    .replace(/\[\s*\{\s*if\s*\|\s*unless\s*\}\s*<condition>\s*\]/g, '')
    .replace(/\{\s*if\s*\|\s*unless\s*\}\s*<condition>/g, '')
    .replace(/\[\s*EXPERIMENTAL\s*\]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*:$/, '')
    .trim();
}

/**
 * Several lines may document one action. Up to 2.7 they are variants (deny with and without a body): the
 * longest shows the most arguments. From 2.8 the first is the general form (`normalize-uri <normalizer>`
 * before `normalize-uri fragment-encode`), so `longest` is off there.
 */
function add(facts: Facts, set: RuleSet, name: string, syntax: string, longest = true): void {
  let m = facts.get(set);
  if (!m) facts.set(set, (m = new Map()));
  const prev = m.get(name);
  // The general form (`normalize-uri <normalizer>`) wins over a variant with a fixed first word.
  const general = (x: string) => (x.startsWith('<') ? 1 : 0);
  if (prev === undefined || (longest && (general(syntax) > general(prev) || (general(syntax) === general(prev) && syntax.length > prev.length)))) m.set(name, syntax);
}

/** `set-var(<var-name>[,<cond>...]) <expr>` → name `set-var`, syntax `(<var-name>[,<cond>...]) <expr>`. */
function split(head: string): { name: string; syntax: string } | undefined {
  const m = /^([a-z][a-z0-9._-]*)(.*)$/.exec(head);
  return m ? { name: m[1], syntax: cleanSyntax(m[2]) } : undefined;
}

/**
 * One documented form, possibly naming several actions: `{ track-sc0 | track-sc1 | track-sc2 } <key> [table
 * <table>]` is three actions with the same arguments.
 */
function forms(text: string): Array<{ name: string; syntax: string }> {
  const m = /^\{([^{}]*)\}(.*)$/.exec(text.trim());
  if (m) {
    const names = m[1].split('|').map((x) => x.trim());
    if (names.every((x) => /^[a-z][a-z0-9-]*$/.test(x))) return names.map((name) => ({ name, syntax: cleanSyntax(m[2]) }));
  }
  const one = split(text.trim());
  return one ? [one] : [];
}

/**
 * Up to 2.4 the tcp rule sets list their actions as bullets (`    - accept : the request is accepted`,
 * `    - set-priority-class <expr> | set-priority-offset <expr>`), and 1.8 lists the http-request and
 * http-response actions as one braced alternative (`http-request { allow | auth [realm <realm>] | … }`).
 */
function listedActions(text: string, facts: Facts): void {
  const lines = text.split('\n');
  let set: RuleSet | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const head = /^(tcp-request connection|tcp-request content|tcp-request session|tcp-response content) <action>/.exec(line);
    if (head) {
      set = head[1] as RuleSet;
      continue;
    }
    if (/^[a-z]/.test(line)) set = undefined;
    if (set) {
      const bullet = /^ {4}- ([a-z{].*?)(?:\s*:(?:\s.*)?)?$/.exec(line);
      if (bullet && !/[A-Z]/.test(bullet[1])) for (const alt of alternatives(bullet[1])) for (const f of forms(alt)) add(facts, set, f.name, f.syntax);
      continue;
    }
    const braced = /^(http-request|http-response) \{(.*)$/.exec(line);
    if (!braced) continue;
    let body = braced[2];
    let depth = 1;
    for (let j = i + 1; depth > 0 && j < lines.length; j++) {
      for (const ch of body) if (ch === '{') depth++;
      if (!/\}\s*$/.test(lines[j - 1]) || depth > 0) body += ` ${lines[j].trim()}`;
      depth = 0;
      for (const ch of body) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      depth += 1;
      if (depth <= 0) break;
    }
    const close = body.lastIndexOf('}');
    for (const alt of alternatives(close >= 0 ? body.slice(0, close) : body)) for (const f of forms(alt)) add(facts, braced[1] as RuleSet, f.name, f.syntax);
  }
}

/** Up to 2.7: `<rule set> <action> <syntax>` lines, one per action (variants on more lines). */
function oldLayout(text: string): Facts {
  const facts: Facts = new Map();
  listedActions(text, facts);
  const re = /^(http-request|http-response|http-after-response|tcp-request connection|tcp-request content|tcp-request session|tcp-response content) ([a-z].*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const s = split(m[2]);
    // Prose that happens to start a line with a rule set's name ("tcp-request content rules, it is …").
    if (s && !/^,|[A-Z/]/.test(s.syntax)) add(facts, m[1] as RuleSet, s.name, s.syntax);
  }
  return facts;
}

/** From 2.8 on: the matrix of chapter 4.3 (rule sets) and the headings of 4.4 (syntax). */
function newLayout(text: string): Facts | undefined {
  const start = text.search(/^4\.3\. Actions keywords matrix/m);
  const ref = text.search(/^4\.4\. Alphabetically sorted actions reference/m);
  const end = text.search(/^5\. Bind and server options/m);
  if (start < 0 || ref < 0 || end < 0) return undefined;
  const matrix = text.slice(start, ref).split('\n');
  const headerAt = matrix.findIndex((l) => /^\s*keyword\s/.test(l));
  if (headerAt < 0) return undefined;
  const columns = matrix[headerAt]
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((w) => !w.endsWith(':'))
    .map((w) => ABBREVIATIONS[w]);
  if (columns.some((c) => !c)) return undefined;
  const sets = new Map<string, RuleSet[]>();
  for (const line of matrix.slice(headerAt + 2)) {
    const words = line.trim().split(/\s+/);
    if (words.length < columns.length + 1 || !/^[a-z]/.test(words[0])) continue;
    const marks = words.slice(words.length - columns.length);
    if (!marks.every((x) => x === 'X' || x === '-')) continue;
    // `expect-proxy layer4`: the action is the first word.
    sets.set(
      words[0],
      columns.filter((_, i) => marks[i] === 'X'),
    );
  }
  const facts: Facts = new Map();
  const lines = text.slice(ref, end).split('\n');
  let heads: string[] = [];
  for (const line of lines) {
    if (/^\s+Usable in:/.test(line)) {
      for (const head of heads) {
        const s = split(head);
        if (!s) continue;
        for (const set of sets.get(s.name) ?? []) add(facts, set, s.name, s.syntax, false);
      }
      heads = [];
    } else if (/^[a-z]/.test(line)) heads.push(line.trim());
    else if (/^\s+\S/.test(line) && heads.length) heads[heads.length - 1] += ` ${line.trim()}`;
    else heads = [];
  }
  return facts;
}

/**
 * What a real binary registers (`haproxy -dKcfg`: `\thttp-request set-mark`), by branch: it keeps aliases the
 * manual no longer documents (set-mark and set-tos, renamed set-fc-mark/set-fc-tos in 3.0, still parse).
 * Built-in actions (accept, reject, expect-proxy, track-sc*, …) are parsed by the rule sets themselves and are
 * not listed, so a binary only adds names, never removes them.
 */
function binaryActions(): Map<string, Array<{ set: RuleSet; name: string }>> {
  const out = new Map<string, Array<{ set: RuleSet; name: string }>>();
  const roots = ['/'];
  if (fs.existsSync('/work/roots')) for (const r of fs.readdirSync('/work/roots')) if (fs.statSync(`/work/roots/${r}`).isDirectory()) roots.push(`/work/roots/${r}`);
  for (const root of roots) {
    const run = (args: string[]) => {
      const cmd = root === '/' ? 'haproxy' : 'chroot';
      const all = root === '/' ? args : [root, 'haproxy', ...args];
      const r = spawnSync(cmd, all, { encoding: 'utf8', cwd: '/tmp' });
      return `${r.stdout ?? ''}${r.stderr ?? ''}`;
    };
    const v = /version (\d+\.\d+)/.exec(run(['-v']))?.[1];
    if (!v) continue;
    const list: Array<{ set: RuleSet; name: string }> = [];
    const re = /^\t(http-request|http-response|http-after-response|tcp-request connection|tcp-request content|tcp-request session|tcp-response content|quic-initial) ([a-z][a-z0-9._-]*)\*?$/gm;
    const dump = run(['-dKcfg', '-q', '-c', '-f', '/dev/null']);
    for (let m = re.exec(dump); m; m = re.exec(dump)) list.push({ set: m[1] as RuleSet, name: m[2] });
    if (list.length) out.set(v, list);
  }
  return out;
}

function main(): void {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--manuals');
  const root = path.resolve(__dirname, '..');
  const dir = path.resolve(i >= 0 ? argv[i + 1] : path.join(root, '.tmp', 'manuals'));
  const candidates = ['/usr/share/doc/haproxy/configuration.txt.gz'];
  if (fs.existsSync('/work/roots')) for (const r of fs.readdirSync('/work/roots')) candidates.push(`/work/roots/${r}/usr/share/doc/haproxy/configuration.txt.gz`);
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) if (/^configuration-\d+\.\d+\.txt$/.test(f)) candidates.push(path.join(dir, f));
  const byVersion = new Map<string, Facts>();
  const sources: string[] = [];
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const text = read(file);
    const v = manualVersion(text);
    if (!v || byVersion.has(v)) continue;
    const facts = newLayout(text) ?? oldLayout(text);
    byVersion.set(v, facts);
    sources.push(`${v}=${file.startsWith('/work/roots/') ? file.split('/')[3] : file.startsWith(dir) ? 'upstream' : 'debian'}`);
  }
  const versions = [...byVersion.keys()].sort(compareVersions);
  for (const [v, list] of binaryActions()) {
    const facts = byVersion.get(v);
    if (!facts) continue;
    sources.push(`${v}=binary`);
    for (const { set, name } of list) {
      if (facts.get(set)?.has(name)) continue;
      // Syntax from the newest manual that documents it in this rule set.
      const older = versions.filter((x) => byVersion.get(x)!.get(set)?.has(name));
      if (older.length)
        add(
          facts,
          set,
          name,
          byVersion
            .get(older[older.length - 1])!
            .get(set)!
            .get(name)!,
        );
    }
  }
  if (!versions.length) {
    console.log('no HAProxy manual found (see the header of this script): server/data/haproxy-actions.json kept');
    return;
  }
  const actions: ActionSpec[] = [];
  const keys = new Set<string>();
  for (const facts of byVersion.values()) for (const [set, m] of facts) for (const name of m.keys()) keys.add(`${set}\u0000${name}`);
  for (const key of [...keys].sort()) {
    const [set, name] = key.split('\u0000') as [RuleSet, string];
    const present = versions.filter((v) => byVersion.get(v)!.get(set)?.has(name));
    const first = versions.indexOf(present[0]);
    const last = versions.indexOf(present[present.length - 1]);
    const newest = byVersion
      .get(present[present.length - 1])!
      .get(set)!
      .get(name)!;
    const spec: ActionSpec = { ruleSet: set, name, syntax: newest };
    if (first > 0) spec.added = versions[first];
    if (last < versions.length - 1) spec.removed = versions[last + 1];
    // Where an older manual documents other arguments (`set-timeout { server | tunnel }` before `client`
    // came), that form from its version on. A form an old manual leaves empty (prose bullets) keeps the next.
    const shape = (x: string) => x.replace(/\s+/g, '');
    const forms: Array<{ from: string; syntax: string }> = [];
    for (const v of present) {
      const syntax = byVersion.get(v)!.get(set)!.get(name)! || newest;
      if (!forms.length || shape(forms[forms.length - 1].syntax) !== shape(syntax)) forms.push({ from: v, syntax });
    }
    if (forms.length > 1) spec.forms = forms;
    actions.push(spec);
  }
  const data: ActionData = {
    language: 'haproxy',
    versions,
    generatedFrom: `scripts/gen-haproxy-actions.ts; manuals ${sources.sort().join(' ')}`,
    actions,
  };
  const out = path.join(root, 'server', 'data', 'haproxy-actions.json');
  fs.writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
  console.log(`${out}: ${actions.length} actions over ${versions.join(', ')}`);
}

if (require.main === module) main();
