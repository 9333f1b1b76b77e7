// Property-based fuzzing of the three parsers, the check pipeline, the formatter and the incremental
// workspace model. The unit suite runs a bounded number of cases; `npm run fuzz` runs many more
// (FUZZ_RUNS per property; FUZZ_SEED replays a failure fast-check printed).
import { test, after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Language } from '../../server/src/core/types';
import { anyInput, applyChange, fraction, mutatedConfig, validConfig, textChange, keepalivedConfig, haproxyConfig, corosyncConfig } from './generators';
import assert from 'node:assert/strict';
import { checkFormatting, checkInput, MemHost, parseShape } from './properties';
import { checkIncremental } from './incremental';
import { parseHaproxy, reparseHaproxy } from '../../server/src/haproxy/parser';
import type { SyntaxIssue, Word } from '../../server/src/haproxy/types';
import { lexWords } from '../../server/src/haproxy/lexer';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
const LANGS: Language[] = ['haproxy', 'keepalived', 'corosync'];

let cases = 0;
function params(scale = 1): fc.Parameters<unknown> {
  return { numRuns: Math.max(1, Math.round(RUNS * scale)), ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true, includeErrorInReport: true };
}
/** Counts cases; on failure saves the input to a temp file, since counterexamples can be megabytes. */
function counted<T extends unknown[]>(fn: (...args: T) => void): (...args: T) => void {
  return (...args: T) => {
    cases++;
    try {
      fn(...args);
    } catch (e) {
      const file = path.join(os.tmpdir(), `haconf-fuzz-failure-${process.pid}-${cases}.json`);
      fs.writeFileSync(file, JSON.stringify(args));
      throw new Error(`${(e as Error).message}\n(input saved to ${file})`);
    }
  };
}

after(() => {
  process.stdout.write(`# fuzz: ${cases} generated cases run (FUZZ_RUNS=${RUNS}${SEED !== undefined ? `, FUZZ_SEED=${SEED}` : ''})\n`);
});

for (const lang of LANGS) {
  test(`${lang}: valid generated configs parse, check and stay in range`, () => {
    fc.assert(
      fc.property(
        validConfig[lang],
        counted((t) => checkInput(lang, t)),
      ),
      params(),
    );
  });
  test(`${lang}: mutated and hostile inputs never throw, finish in time, ranges inside the text`, () => {
    fc.assert(
      fc.property(
        anyInput(lang),
        counted((t) => checkInput(lang, t)),
      ),
      params(3),
    );
  });
  test(`${lang}: formatting is idempotent, keeps every word and comment, changes no finding`, () => {
    fc.assert(
      fc.property(
        fc.oneof(validConfig[lang], mutatedConfig(lang)),
        counted((t) => checkFormatting(lang, t)),
      ),
      params(2),
    );
  });
}

test('keepalived: random include graphs (self, cycles, globs matching themselves) end and stay in range', () => {
  const names = ['/fuzz/keepalived.conf', '/fuzz/a.conf', '/fuzz/b.conf', '/fuzz/inc/c.conf'];
  const target = fc.constantFrom('keepalived.conf', 'a.conf', 'b.conf', 'inc/c.conf', '*.conf', '/fuzz/*.conf', 'inc/*', '/dev/zero', 'missing.conf', '{a,b}.conf', '[ab].conf');
  const kw = fc.constantFrom('include', 'includer', 'includem', 'includew', 'includeb', 'includea');
  const includeLine = fc.tuple(kw, target).map(([k, t]) => `${k} ${t}`);
  const fileText = fc
    .tuple(fc.oneof(keepalivedConfig, fc.constant('')), fc.array(includeLine, { maxLength: 4 }), fc.boolean())
    .map(([body, incs, first]) => (first ? [...incs, body] : [body, ...incs]).join('\n'));
  fc.assert(
    fc.property(
      fc.array(fileText, { minLength: names.length, maxLength: names.length }),
      counted((texts) => {
        const host = new MemHost(new Map(names.map((n, i) => [n, texts[i]])));
        checkInput('keepalived', texts[0], host, names[0]);
      }),
    ),
    params(),
  );
});

test('workspace model: random edit sequences give the same findings as a fresh parse', () => {
  const edit = fc.record({ file: fc.nat({ max: 5 }), change: textChange, flush: fc.boolean() });
  fc.assert(
    fc.property(
      fc.tuple(keepalivedConfig, keepalivedConfig, haproxyConfig, corosyncConfig),
      fc.array(edit, { minLength: 1, maxLength: 8 }),
      counted(([k1, k2, h, c], edits) => {
        checkIncremental(
          {
            'n1/keepalived.conf': `${k1}include vips.conf\n`,
            'n1/vips.conf': 'vrrp_script chk_extra {\n    script "/bin/true"\n}\n',
            'n2/keepalived.conf': k2,
            'haproxy.cfg': h,
            'corosync.conf': c,
          },
          edits,
        );
      }),
    ),
    params(0.5),
  );
});

test('haproxy reparse: lexing only the changed lines gives the same tree as a fresh parse', () => {
  const crlf = fc.oneof(
    haproxyConfig,
    haproxyConfig.map((t) => t.replace(/\n/g, '\r\n')),
    mutatedConfig('haproxy'),
  );
  // Edits that change how a line splits: quotes, comments, escapes, line breaks, modifiers, directives.
  const pos = fraction;
  const sharp = fc.record({ a: pos, b: pos, text: fc.constantFrom('\r', '\r\n', '"', "'", '#', '\\', 'no ', '.if 1\n', '.endif\n', '\n\n', 'x') });
  fc.assert(
    fc.property(
      crlf,
      fc.array(fc.oneof(textChange, sharp), { minLength: 1, maxLength: 6 }),
      counted((text, changes) => {
        let doc = parseHaproxy('/fuzz/haproxy.cfg', text);
        let cur = text;
        for (const c of changes) {
          cur = applyChange(cur, c);
          doc = reparseHaproxy(doc, cur);
          assert.deepEqual(parseShape(doc), parseShape(parseHaproxy('/fuzz/haproxy.cfg', cur)));
        }
      }),
    ),
    params(2),
  );
});

test('haproxy lexer: the plain-word fast path splits every line like the full reader', () => {
  // Lines rich in what ends or complicates a word: blanks of every kind, quotes, escapes, '$', '#', CR.
  const piece = fc.constantFrom(
    'a',
    'server',
    'b1',
    '10.0.0.1:80',
    ' ',
    '  ',
    '\t',
    '\v',
    '\f',
    '"',
    "'",
    '\\',
    '\\x4',
    '\\x41',
    '$',
    '${A}',
    '"${A-d}"',
    '#',
    '\r',
    '!',
    '%[src]',
    '(',
    ',',
    '-',
    '\u00e9',
    '\u0000',
  );
  const line = fc.array(piece, { maxLength: 24 }).map((ps) => ps.join(''));
  fc.assert(
    fc.property(
      fc.oneof(line, fc.string({ maxLength: 40 })),
      counted((text) => {
        const run = (fast: boolean) => {
          const words: Word[] = [];
          const issues: SyntaxIssue[] = [];
          const code = lexWords(text, 0, text.length, 0, issues, words, fast);
          return { code, words, issues };
        };
        assert.deepEqual(run(true), run(false));
      }),
    ),
    params(4),
  );
});

test('haproxy reparse: line edits inside sections (the section tree is patched, not rebuilt) match a fresh parse', () => {
  // Mostly lines that keep the section tree (bodies, comments, blanks, modifiers), with a few that change it.
  const plain = fc.constantFrom(
    '    server s9 10.0.0.9:80 check',
    '    no option httplog',
    '    default option redispatch',
    '    acl a path /x',
    '    # a comment',
    '',
    '   ',
    'timeout client 5s',
    '    no backend',
    '    option "quoted # word"',
    '\t\tretries 2',
  );
  const structural = fc.constantFrom('backend zz', 'frontend f2', '.if 0', '.endif', '.else', 'no frontend x', 'listen', '.if defined(X)');
  const lineEdit = fc.record({
    at: fc.nat({ max: 10000 }),
    remove: fc.nat({ max: 2 }),
    insert: fc.array(fc.oneof({ weight: 9, arbitrary: plain }, { weight: 1, arbitrary: structural }), { maxLength: 3 }),
  });
  // Inactive and undecidable regions, several lines each, so edits land inside them too.
  const block = (cond: string) => `\n.if ${cond}\n    server c1 10.0.0.1:1\n    server c2 10.0.0.2:1\n    server c3 10.0.0.3:1\n    server c4 10.0.0.4:1\n.endif\nbackend `;
  const withIf = haproxyConfig.map((t) =>
    t.replace('\nbackend ', block('0')).replace(/\n(frontend|listen) (\S+)\n/, (m) => `${m}.if defined(HACONF_X)\n    acl u1 path /1\n    acl u2 path /2\n    acl u3 path /3\n.endif\n`),
  );
  fc.assert(
    fc.property(
      fc.oneof(haproxyConfig, withIf),
      fc.array(lineEdit, { minLength: 1, maxLength: 8 }),
      counted((text, edits) => {
        let doc = parseHaproxy('/fuzz/haproxy.cfg', text);
        let lines = text.split('\n');
        for (const e of edits) {
          const at = e.at % lines.length;
          lines = [...lines.slice(0, at), ...e.insert, ...lines.slice(at + e.remove)];
          const cur = lines.join('\n');
          doc = reparseHaproxy(doc, cur);
          assert.deepEqual(parseShape(doc), parseShape(parseHaproxy('/fuzz/haproxy.cfg', cur)));
        }
      }),
    ),
    params(3),
  );
});

test('workspace model: line edits in a big haproxy.cfg (sections remembered as clean) give the findings of a fresh parse', () => {
  // Lines with findings (bad argument, unknown keyword, weak password, duplicate server) and without, so
  // sections go from clean to dirty and back while the others keep what they remembered.
  const line = fc.constantFrom(
    '    retries x',
    '    retries 3',
    '    balanse roundrobin',
    '    server s1 10.0.0.1:80',
    '    server s1 10.0.0.2:80',
    '    stats auth admin:admin',
    '    # note',
    '',
    '    timeout server 5s',
    '    no option httplog',
    '    maxconn nope',
    // references, cookies, check ports, modes, defaults that other proxies inherit
    '    use_backend nope',
    '    use_backend b1',
    '    default_backend b9',
    '    server c1 10.0.0.7:80 cookie A',
    '    server c2 10.0.0.8:80 cookie A',
    '    server np 10.0.0.9 check',
    '    default-server port 9000',
    '    default-server check',
    '    tcp-check connect port 81',
    '    mode tcp',
    '    mode http',
    '    http-request deny if { http_auth(nobody) }',
    '    timeout connect 1s',
    '    timeout client 9s',
    '    bind :8443',
    // server and bind lines with findings of their own; a portless server without check (clean until a defaults section adds check)
    '    server bad 10.0.0.11:99999',
    '    server opt 10.0.0.12:80 chek',
    '    bind :99999',
    '    server nc 10.0.0.10',
  );
  // A line index, not a fraction: fast-check's doubles crowd near 0, which would edit only the first line.
  const edit = fc
    .record({
      at: fc.nat({ max: 10000 }),
      remove: fc.nat({ max: 1 }),
      insert: fc.array(line, { maxLength: 2 }),
      flush: fc.boolean(),
    })
    .map(({ at, remove, insert, flush }) => ({
      file: 0,
      flush,
      change: (text: string) => {
        const lines = text.split('\n');
        const i = at % lines.length;
        return [...lines.slice(0, i), ...insert, ...lines.slice(i + remove)].join('\n');
      },
    }));
  const backends = Array.from({ length: 6 }, (_, k) => `backend b${k}\n    balance roundrobin\n    server s1 10.0.${k}.1:80 check\n    server s2 10.0.${k}.2:80 check\n`).join('\n');
  const cfg = `global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend web\n    bind :80\n    default_backend b0\n\n${backends}`;
  fc.assert(
    fc.property(
      fc.array(edit, { minLength: 1, maxLength: 10 }),
      counted((edits) => checkIncremental({ 'haproxy.cfg': cfg }, edits)),
    ),
    params(1),
  );
});
