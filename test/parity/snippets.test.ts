// The snippets (snippets/*.json) as VS Code inserts them: placeholders at their defaults, every line after
// the first indented like the line the prefix was typed on, `\t` turned into the editor's indent unit, and
// the file saved with the final newline the extension turns on (`files.insertFinalNewline`, package.json
// configurationDefaults). Whatever the place — an empty file, the end of a file without a final newline,
// an indented line, tabs — the file they make passes the real `haproxy -c`, `keepalived -t` and
// `corosync -t`, and our own check finds no error in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkText } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Language } from '../../server/src/core/types';

const ROOT = path.join(__dirname, '..', '..');

interface Snippet {
  prefix: string;
  body: string[];
}

function snippets(language: Language): [string, Snippet][] {
  return Object.entries(JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', `${language}.json`), 'utf8')) as Record<string, Snippet>);
}

/**
 * VS Code's insertion: `${n:default}` → default, `$n` → nothing, `\$` → `$`, `\t` → `unit`, later lines get
 * `indent`.
 */
function expandSnippet(body: string[], indent: string, unit: string): string {
  const DOLLAR = '\u0000';
  return body
    .map(
      (line, i) =>
        (i === 0 ? '' : indent) +
        line
          .replace(/\\\$/g, DOLLAR)
          .replace(/\t/g, unit)
          .replace(/\$\{\d+:([^}]*)\}/g, '$1')
          .replace(/\$\d+/g, '')
          .replaceAll(DOLLAR, '$'),
    )
    .join('\n');
}

/**
 * Skeletons of one section that the tool cannot accept alone: `haproxy -c` refuses a file without a listener
 * ("will not start (no listener)") and `corosync -t` needs totem plus a nodelist with the local node. Such a
 * snippet is checked with the skeletons it needs (expanded at their defaults) after it, so every part of the
 * checked file comes from the snippets.
 */
const NEEDS: Partial<Record<Language, Record<string, string[]>>> = {
  haproxy: { 'skel-dflt': ['skel-lsn'], 'skel-be': ['skel-lsn'], 'skel-users': ['skel-lsn'], 'skel-peer': ['skel-lsn'], 'skel-dns': ['skel-lsn'] },
  corosync: { 'skel-ring': ['skel-hosts', 'skel-votes'], 'skel-hosts': ['skel-ring', 'skel-votes'], 'skel-votes': ['skel-ring', 'skel-hosts'] },
};

function companions(language: Language, prefix: string): string {
  const needed = NEEDS[language]?.[prefix] ?? [];
  const found = snippets(language).filter(([, s]) => needed.includes(s.prefix));
  assert.equal(found.length, needed.length, `${language} snippets ${needed.join(', ')} exist`);
  return found.map(([, s]) => `\n${expandSnippet(s.body, '', '    ')}`).join('');
}

/** Where the prefix was typed: the text before it (on earlier lines) and the indentation of its line. */
const PLACES: { name: string; before: Record<Language, string>; indent: string; unit: string }[] = [
  { name: 'an empty file', before: { haproxy: '', keepalived: '', corosync: '' }, indent: '', unit: '    ' },
  {
    name: 'the end of a file without a final newline',
    before: { haproxy: 'global\n    maxconn 100\n', keepalived: '! lb1\n', corosync: '# lb cluster\n' },
    indent: '',
    unit: '    ',
  },
  { name: 'an indented line', before: { haproxy: '# lb\n', keepalived: '! lb1\n', corosync: '# lb cluster\n' }, indent: '    ', unit: '    ' },
  { name: 'a file indented with tabs', before: { haproxy: '', keepalived: '', corosync: '' }, indent: '\t', unit: '\t' },
];

let work: string | undefined;
function workDir(): string {
  if (!work) {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-snippets-'));
    // corosync -t reads the crypto key a real node has (corosync-keygen); the snippet enables crypto.
    fs.writeFileSync(path.join(work, 'authkey'), crypto.randomBytes(128), { mode: 0o400 });
  }
  return work;
}

/** What only a real node has: corosync's /etc/corosync/authkey, and its own address among the nodes. */
function asOnANode(language: Language, text: string): string {
  if (language !== 'corosync') return text;
  return text.replace(/^(\s*)totem \{/m, `$1totem {\n$1    keyfile: ${path.join(workDir(), 'authkey')}`).replace(/ring0_addr: \S+/, 'ring0_addr: 127.0.0.1');
}

function runTool(language: Language, text: string, name: string): { ok: boolean; output: string } {
  const file = path.join(workDir(), `${name}.conf`);
  fs.writeFileSync(file, asOnANode(language, text));
  const args = language === 'haproxy' ? ['-c', '-f', file] : language === 'keepalived' ? ['-t', '-l', '-f', file] : ['-t', '-c', file];
  const r = spawnSync(language, args, { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw new Error(`${language} is not runnable (${r.error.message}); install it: apt-get install ${language}`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

test('the extension saves its languages with a final newline (a snippet inserted on an indented line ends on one)', () => {
  const defaults = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configurationDefaults: Record<string, Record<string, unknown>> } }).contributes
    .configurationDefaults;
  for (const language of ['haproxy', 'keepalived', 'corosync']) assert.equal(defaults[`[${language}]`]?.['files.insertFinalNewline'], true, language);
});

test("snippet bodies indent with \\t (the editor's indent setting), never with spaces, and end on a line of their own", () => {
  for (const language of ['haproxy', 'keepalived', 'corosync'] as const) {
    for (const [name, s] of snippets(language)) {
      for (const line of s.body) assert.doesNotMatch(line, /^\t* +/, `${language} snippet '${name}': "${line}" is indented with spaces`);
      assert.equal(s.body[s.body.length - 1], '$0', `${language} snippet '${name}' ends with the cursor on a new line, so the file ends with a newline`);
    }
  }
});

for (const language of ['haproxy', 'keepalived', 'corosync'] as const) {
  for (const [name, s] of snippets(language)) {
    for (const place of PLACES) {
      test(`${language} snippet '${s.prefix}' at ${place.name}: valid for ${language} and for haconf`, () => {
        const inserted = place.before[language] + place.indent + expandSnippet(s.body, place.indent, place.unit);
        // The snippet's own last line is the cursor's: on an indented line it holds only that indentation.
        assert.match(inserted, /\n[ \t]*$/, 'the snippet ends with the cursor on a line of its own');
        const text = (inserted.endsWith('\n') ? inserted : `${inserted}\n`) + companions(language, s.prefix);
        const tool = runTool(language, text, `${s.prefix}-${PLACES.indexOf(place)}`);
        assert.ok(tool.ok, `${language} rejects '${name}' at ${place.name}:\n${text}\n---\n${tool.output}`);
        const ours = checkText(
          path.join(workDir(), `${language === 'haproxy' ? 'haproxy.cfg' : `${language}.conf`}`),
          text,
          language,
          defaultCheckOptions({ haproxyVersion: '2.6' }),
          new NodeSourceHost(),
        );
        const errors = ours.diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(
          errors.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`),
          [],
          `haconf reports errors in '${name}' at ${place.name}:\n${text}`,
        );
      });
    }
  }
}

test('clean up', () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});
