// The layering rules of docs/architecture.md ("Boundaries"), checked on the import statements of every
// module: the engine never imports an editor library, core/ imports nothing above it, the client reaches
// the server only through the protocol module and core/, and server/src has no import cycle (type-only
// imports count: a cycle of types still ties two modules together).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'server/src');
const CLIENT = path.join(ROOT, 'client/src');
const PROTOCOL = path.join(SERVER, 'protocol.ts');

interface Import {
  spec: string;
  /** Absolute path of the imported module when the specifier is relative. */
  target?: string;
  typeOnly: boolean;
  line: number;
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

// `import … from '…'`, `export … from '…'` (possibly over several lines), side-effect `import '…'`,
// `import('…')` and `require('…')`.
const STATIC = /^[ \t]*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts'), base]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** `{ type A, type B }`: every name is a type, so the import is erased like `import type`. */
function allNamesAreTypes(clause: string): boolean {
  const m = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!m) return false;
  const names = m[1]
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  const out: Import[] = [];
  for (const m of text.matchAll(STATIC)) {
    const spec = m[4];
    out.push({ spec, target: resolveRelative(file, spec), typeOnly: Boolean(m[2]) || allNamesAreTypes(m[3]), line: lineAt(m.index) });
  }
  for (const m of text.matchAll(BARE)) out.push({ spec: m[1], target: resolveRelative(file, m[1]), typeOnly: false, line: lineAt(m.index) });
  for (const m of text.matchAll(DYNAMIC)) out.push({ spec: m[1], target: resolveRelative(file, m[1]), typeOnly: false, line: lineAt(m.index) });
  return out;
}

const rel = (p: string) => path.relative(ROOT, p);
const inside = (dir: string, p: string) => p === dir || p.startsWith(dir + path.sep);
const EDITOR_LIBRARY = /^(vscode|vscode-languageserver(-[a-z-]+)?|vscode-languageclient|vscode-jsonrpc)(\/|$)/;

const serverFiles = tsFiles(SERVER);
const clientFiles = tsFiles(CLIENT);
const imports = new Map<string, Import[]>([...serverFiles, ...clientFiles].map((f) => [f, importsOf(f)]));

test('the import scan sees the imports it should (sanity check of the parser above)', () => {
  const server = imports.get(path.join(SERVER, 'lsp/server.ts'))!;
  assert.ok(
    server.some((i) => i.spec === 'vscode-languageserver/node' && !i.typeOnly),
    'multi-line import of vscode-languageserver/node not seen',
  );
  const view = imports.get(path.join(SERVER, 'cluster/view.ts'))!;
  assert.ok(view.some((i) => i.spec === '../core/types' && i.typeOnly));
  const cli = imports.get(path.join(SERVER, 'cli/main.ts'))!;
  assert.ok(
    cli.some((i) => i.spec === '../lsp/stdio'),
    'the dynamic import of the LSP bundle not seen',
  );
  for (const [file, list] of imports) for (const i of list) if (i.spec.startsWith('.')) assert.ok(i.target, `${rel(file)}:${i.line}: '${i.spec}' does not resolve to a file`);
});

test('the engine (server/src except lsp/ and cli/) imports no editor library', () => {
  const bad: string[] = [];
  for (const file of serverFiles) {
    if (inside(path.join(SERVER, 'lsp'), file) || inside(path.join(SERVER, 'cli'), file)) continue;
    for (const i of imports.get(file)!) if (EDITOR_LIBRARY.test(i.spec)) bad.push(`${rel(file)}:${i.line} imports '${i.spec}'`);
  }
  assert.deepEqual(bad, [], 'move the code that needs the editor library into server/src/lsp (or the CLI into server/src/cli)');
});

test('core/ imports only core/ and node: modules', () => {
  const core = path.join(SERVER, 'core');
  const bad: string[] = [];
  for (const file of serverFiles.filter((f) => inside(core, f))) {
    for (const i of imports.get(file)!) {
      const ok = i.spec.startsWith('node:') || (i.target !== undefined && inside(core, i.target));
      if (!ok) bad.push(`${rel(file)}:${i.line} imports '${i.spec}'`);
    }
  }
  assert.deepEqual(bad, [], 'core/ is the bottom layer: move the shared contract into core/, or the code out of it');
});

test('the protocol module is shared by both bundles: no editor library, nothing from the engine at run time', () => {
  const bad: string[] = [];
  for (const i of imports.get(PROTOCOL)!) {
    if (EDITOR_LIBRARY.test(i.spec)) bad.push(`line ${i.line}: '${i.spec}' is an editor library`);
    else if (!i.typeOnly) bad.push(`line ${i.line}: '${i.spec}' is imported for its values; the client bundle would carry it`);
  }
  assert.deepEqual(bad, []);
});

test('client/ reaches the server only through server/src/protocol.ts and core/', () => {
  const bad: string[] = [];
  for (const file of clientFiles) {
    for (const i of imports.get(file)!) {
      if (i.target === undefined || !inside(SERVER, i.target)) continue;
      if (i.target === PROTOCOL || inside(path.join(SERVER, 'core'), i.target)) continue;
      bad.push(`${rel(file)}:${i.line} imports '${i.spec}'`);
    }
  }
  assert.deepEqual(bad, [], 'wire types and method names belong in server/src/protocol.ts; pure helpers in server/src/core/');
});

test('no method name of the protocol is written outside server/src/protocol.ts', () => {
  const methods = [...fs.readFileSync(PROTOCOL, 'utf8').matchAll(/(?:request|notification)<[^>]*>\('(haconf\/[A-Za-z]+)'\)/g)].map((m) => m[1]);
  assert.ok(methods.length >= 14, `found only ${methods.length} methods in protocol.ts`);
  const bad: string[] = [];
  for (const file of [...serverFiles, ...clientFiles]) {
    if (file === PROTOCOL) continue;
    const text = fs.readFileSync(file, 'utf8');
    // Quoted strings only: comments name methods in backquotes.
    for (const m of methods) if (text.includes(`'${m}'`) || text.includes(`"${m}"`)) bad.push(`${rel(file)} names '${m}'`);
  }
  assert.deepEqual(bad, [], 'use the descriptor from server/src/protocol.ts');
});

/** Every cycle's strongly connected component (Tarjan), each reported as one concrete path a → … → a. */
function importCycles(files: string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const f of files) edges.set(f, [...new Set(imports.get(f)!.flatMap((i) => (i.target && files.includes(i.target) ? [i.target] : [])))]);
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || edges.get(v)!.includes(v)) components.push(component);
  };
  for (const f of files) if (!index.has(f)) visit(f);
  // A shortest way round from the component's first module back to itself, inside the component.
  return components.map((component) => {
    const members = new Set(component);
    const start = component[component.length - 1];
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of edges.get(v)!) {
        if (!members.has(w)) continue;
        if (w === start) {
          const back: string[] = [];
          for (let at = v; at !== start; at = cameFrom.get(at)!) back.push(at);
          return [start, ...back.reverse(), start];
        }
        if (!cameFrom.has(w) && w !== start) {
          cameFrom.set(w, v);
          queue.push(w);
        }
      }
    }
    return component;
  });
}

test('server/src has no import cycle (type-only imports included)', () => {
  const cycles = importCycles(serverFiles).map((c) => c.map((f) => path.relative(SERVER, f)).join(' → '));
  assert.deepEqual(cycles, [], 'break the cycle: move the shared type to the lower module (see docs/architecture.md, Boundaries)');
});

test('the cycle finder reports a cycle it is given, as a path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-cycle-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B[];\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import { c } from './c';\nexport type B = string;\nexport const b = c;\n");
    fs.writeFileSync(path.join(dir, 'c.ts'), "import type { A } from './a';\nexport const c: A = [];\n");
    fs.writeFileSync(path.join(dir, 'd.ts'), "import { b } from './b';\nexport const d = b;\n");
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'].map((f) => path.join(dir, f));
    for (const f of files) imports.set(f, importsOf(f));
    const cycles = importCycles(files).map((c) => c.map((f) => path.basename(f)));
    assert.equal(cycles.length, 1);
    const [cycle] = cycles;
    assert.equal(cycle[0], cycle[cycle.length - 1], `not a closed path: ${cycle.join(' → ')}`);
    assert.deepEqual(new Set(cycle), new Set(['a.ts', 'b.ts', 'c.ts']));
    assert.equal(cycle.length, 4);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const f of ['a.ts', 'b.ts', 'c.ts', 'd.ts']) imports.delete(path.join(dir, f));
  }
});
