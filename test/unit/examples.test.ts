// The example clusters under examples/: the corrected set must pass the real daemons' own checks and
// come out of haconf clean; the as-written set must be reported with at least the findings listed in
// examples/expected.json. The real binaries are required: a missing one fails the test, never skips it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFile, type FileCheckOutcome, type FileCheckResult } from '../../server/src/engine/check';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Diagnostic, type Language } from '../../server/src/core/types';
import { languageFromPath } from '../../server/src/engine/detect';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { collectFiles } from '../../server/src/engine/collect';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const AS_WRITTEN = path.join(EXAMPLES, 'as-written');
const CORRECTED = path.join(EXAMPLES, 'corrected');
const LABS = ['ingress-nodeport', 'nodeport-range', 'apiserver-lb', 'minimal-vrrp'];
/** Files in examples/ that are not daemon configs. */
const NOT_CONFIG = new Set(['README.md', 'expected.json', 'haconf.yaml', 'haconf.yml']);

interface ExpectedFinding {
  code: string;
  line: number;
  why: string;
}
interface ExpectedCluster extends ExpectedFinding {
  lab: string;
  file: string;
}
interface Expectations {
  files: Record<string, ExpectedFinding[]>;
  cluster: ExpectedCluster[];
}

function loadExpectations(): Expectations {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'expected.json'), 'utf8'));
  assert.ok(raw && typeof raw === 'object', 'expected.json must hold an object');
  const { files, cluster } = raw as Partial<Expectations>;
  assert.ok(files && typeof files === 'object', 'expected.json: `files` missing');
  assert.ok(Array.isArray(cluster), 'expected.json: `cluster` must be a list');
  const isFinding = (e: unknown): e is ExpectedFinding =>
    !!e && typeof e === 'object' && typeof (e as ExpectedFinding).code === 'string' && Number.isInteger((e as ExpectedFinding).line) && (e as ExpectedFinding).line >= 1;
  for (const [f, list] of Object.entries(files)) {
    assert.ok(Array.isArray(list) && list.every(isFinding), `expected.json: entry for ${f} must be a list of {code, line}`);
  }
  for (const c of cluster) assert.ok(isFinding(c) && c.code.startsWith('cluster/'), `expected.json: bad cluster entry ${JSON.stringify(c)}`);
  return { files, cluster };
}

/** Every file below `root`, as sorted paths relative to it. */
function walk(root: string): string[] {
  const out: string[] = [];
  const rec = (dir: string): void => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, ent.name);
      if (ent.isDirectory()) rec(abs);
      else out.push(path.relative(root, abs).split(path.sep).join('/'));
    }
  };
  rec(root);
  return out.sort();
}

function configFiles(root: string): { rel: string; abs: string; language: Language }[] {
  return walk(root)
    .filter((rel) => !NOT_CONFIG.has(path.basename(rel)) && !rel.endsWith('.yaml'))
    .map((rel) => {
      const abs = path.join(root, rel);
      const language = languageFromPath(abs);
      assert.ok(language, `${abs}: not recognised by name; use haproxy*.cfg, keepalived*.conf or corosync*.conf`);
      return { rel, abs, language };
    });
}

// ---------------------------------------------------------------------------------------------
// Running the real tools. keepalived and corosync validate against the machine they run on (its
// interfaces, its addresses, /etc/corosync/authkey), so each run gets a private network (and for
// corosync a private mount) namespace that looks like the node the file was written for.

function run(cmd: string, args: string[], input?: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000, input });
  if (r.error) {
    throw new Error(`${cmd} is not runnable (${r.error.message}); install it (test/setup.sh installs haproxy, keepalived, corosync and util-linux provides unshare)`);
  }
  return r;
}

const output = (r: SpawnSyncReturns<string>): string => `${r.stdout}${r.stderr}`.trim();
const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a shell script as root of fresh namespaces (mapping our uid to root when not already root). */
function inNamespaces(kinds: ('net' | 'mount')[], script: string): SpawnSyncReturns<string> {
  const args = kinds.map((k) => `--${k}`);
  if (process.getuid?.() !== 0) args.unshift('--map-root-user');
  return run('unshare', [...args, 'sh', '-c', script]);
}

function haproxyCheck(file: string): SpawnSyncReturns<string> {
  // -dW turns warnings into errors: the corrected set must not even draw a warning.
  return run('haproxy', ['-c', '-dW', '-f', file]);
}

/** Interface names a keepalived file expects on its host. */
function keepalivedInterfaces(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s*interface\s+(\S+)/gm)) names.add(m[1]);
  for (const m of text.matchAll(/\bdev\s+([A-Za-z0-9_.:-]+)/g)) names.add(m[1]);
  return [...names];
}

function keepalivedCheckOnce(file: string, interfaces: string[]): SpawnSyncReturns<string> {
  const setup = interfaces.map((name, i) => `ip link add ${shq(name)} type veth peer name hcpeer${i} && ip link set ${shq(name)} up`).join(' && ');
  return inNamespaces(['net'], `set -e; ip link set lo up; ${setup || 'true'}; exec keepalived -t -l -f ${shq(file)}`);
}

/**
 * keepalived 2.2.7 kills itself with SIGTERM in `-t` mode whenever scripts run as a non-root
 * script_user (acassen/keepalived#2617, fixed upstream after 2.2.7): the config test never reaches its
 * verdict. Then the named user must exist, and the rest of the file is validated on a copy that runs
 * scripts as root, the only thing the bug leaves testable.
 */
function keepalivedCheck(file: string): { ok: boolean; output: string } {
  const text = fs.readFileSync(file, 'utf8');
  const interfaces = keepalivedInterfaces(text);
  const first = keepalivedCheckOnce(file, interfaces);
  const killed = first.signal === 'SIGTERM' || first.status === 143;
  if (!killed) return { ok: first.status === 0, output: `rc ${first.status}: ${output(first)}` };
  const user = /^\s*script_user\s+(\S+)/m.exec(text)?.[1];
  if (!user || user === 'root') return { ok: false, output: `keepalived -t was terminated: ${output(first)}` };
  const pw = run('getent', ['passwd', user]);
  if (pw.status !== 0) return { ok: false, output: `script_user ${user} does not exist on this machine` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-examples-'));
  try {
    const copy = path.join(dir, path.basename(file));
    fs.writeFileSync(copy, text.replace(/^(\s*script_user\s+)\S+.*$/m, '$1root'));
    const second = keepalivedCheckOnce(copy, interfaces);
    return { ok: second.status === 0, output: `rc ${second.status} (re-run as root, keepalived#2617): ${output(second)}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** corosync -t as each node of the nodelist in turn: it must find itself, and the authkey must exist. */
function corosyncCheck(file: string): { ok: boolean; output: string } {
  const text = fs.readFileSync(file, 'utf8');
  const addrs = [...text.matchAll(/^\s*ring0_addr\s*:\s*(\S+)/gm)].map((m) => m[1]);
  if (addrs.length === 0) return { ok: false, output: 'no ring0_addr in the nodelist' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-examples-'));
  try {
    const key = run('corosync-keygen', ['-k', path.join(dir, 'authkey')]);
    if (key.status !== 0) return { ok: false, output: `corosync-keygen failed: ${output(key)}` };
    fs.copyFileSync(file, path.join(dir, 'corosync.conf'));
    const outputs: string[] = [];
    for (const addr of addrs) {
      const family = addr.includes(':') ? '-6' : '-4';
      const prefix = addr.includes(':') ? '128' : '32';
      const r = inNamespaces(
        ['net', 'mount'],
        `set -e; ip link set lo up; ip ${family} addr add ${shq(`${addr}/${prefix}`)} dev lo; ` + `mount --bind ${shq(dir)} /etc/corosync; exec corosync -t -c /etc/corosync/corosync.conf`,
      );
      outputs.push(`as ${addr}: rc ${r.status} ${output(r)}`);
      if (r.status !== 0) return { ok: false, output: outputs.join('\n') };
    }
    return { ok: true, output: outputs.join('\n') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function realToolCheck(file: string, language: Language): { ok: boolean; output: string } {
  switch (language) {
    case 'haproxy': {
      const r = haproxyCheck(file);
      return { ok: r.status === 0, output: `rc ${r.status}: ${output(r)}` };
    }
    case 'keepalived':
      return keepalivedCheck(file);
    case 'corosync':
      return corosyncCheck(file);
  }
}

// ---------------------------------------------------------------------------------------------

function checked(abs: string): FileCheckResult {
  const outcome: FileCheckOutcome = checkFile(abs, defaultCheckOptions(), new NodeSourceHost());
  assert.ok(!('error' in outcome), `haconf could not check ${abs}: ${'error' in outcome ? outcome.error : ''}`);
  return outcome;
}

const describe = (d: Diagnostic): string => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`;

test('both sets hold the four labs with the same config files, all recognised by name', () => {
  assert.deepEqual(fs.readdirSync(AS_WRITTEN).sort(), [...LABS].sort());
  assert.deepEqual(fs.readdirSync(CORRECTED).sort(), [...LABS].sort());
  const asWritten = configFiles(AS_WRITTEN);
  const corrected = configFiles(CORRECTED);
  assert.deepEqual(
    corrected.map((f) => f.rel),
    asWritten.map((f) => f.rel),
  );
  for (const lab of LABS)
    assert.ok(
      asWritten.some((f) => f.rel.startsWith(`${lab}/`)),
      `${lab} has no config file`,
    );
  assert.ok(fs.statSync(path.join(EXAMPLES, 'README.md')).isFile(), 'examples/README.md missing');
});

test('expected.json covers exactly the as-written config files, with lines inside them', () => {
  const exp = loadExpectations();
  const files = configFiles(AS_WRITTEN);
  assert.deepEqual(Object.keys(exp.files).sort(), files.map((f) => f.rel).sort());
  for (const f of files) {
    const lineCount = fs.readFileSync(f.abs, 'utf8').split('\n').length;
    for (const e of exp.files[f.rel]) {
      assert.ok(e.code.startsWith(`${f.language}/`), `${f.rel}: ${e.code} is not a ${f.language} code`);
      assert.ok(e.line <= lineCount, `${f.rel}: line ${e.line} is past the end of the file`);
    }
  }
  for (const c of exp.cluster) {
    assert.ok(LABS.includes(c.lab), `cluster entry for unknown lab ${c.lab}`);
    assert.ok(exp.files[c.file] !== undefined, `cluster entry names ${c.file}, which is not an as-written config`);
  }
  assert.ok(Object.values(exp.files).flat().length >= 20, "the as-written set should carry the articles' mistakes");
});

// The harness must be able to fail: the real tools reject what the articles shipped.
test('real tools: the as-written mistakes they can see are rejected', () => {
  const ha = haproxyCheck(path.join(AS_WRITTEN, 'ingress-nodeport/haproxy.cfg'));
  assert.notEqual(ha.status, 0);
  assert.match(output(ha), /reqadd/);
  const ka = keepalivedCheck(path.join(AS_WRITTEN, 'ingress-nodeport/master1/keepalived.conf'));
  assert.equal(ka.ok, false);
  assert.match(ka.output, /SECURITY VIOLATION/);
  const ka3 = keepalivedCheck(path.join(AS_WRITTEN, 'apiserver-lb/master2/keepalived.conf'));
  assert.equal(ka3.ok, false, 'an empty unicast_peer block makes keepalived -t exit 5');
});

// ...and the namespace set-up and the keepalived#2617 work-around do not hide faults in corrected files.
test('real tools: a fault planted in a corrected file is still caught', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-examples-'));
  try {
    const ka = path.join(dir, 'keepalived.conf');
    const kaText = fs.readFileSync(path.join(CORRECTED, 'ingress-nodeport/master1/keepalived.conf'), 'utf8');
    fs.writeFileSync(ka, kaText.replace(/virtual_router_id \d+/, 'virtual_router_id 300'));
    const kv = keepalivedCheck(ka);
    assert.equal(kv.ok, false, `keepalived accepted VRID 300:\n${kv.output}`);
    const cs = path.join(dir, 'corosync.conf');
    const csText = fs.readFileSync(path.join(CORRECTED, 'nodeport-range/corosync.conf'), 'utf8');
    fs.writeFileSync(cs, csText.replace(/^\s*nodeid:.*\n/gm, ''));
    const cv = corosyncCheck(cs);
    assert.equal(cv.ok, false, `corosync accepted knet nodes without nodeid:\n${cv.output}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const f of configFiles(CORRECTED)) {
  test(`real tool accepts corrected/${f.rel}`, () => {
    const verdict = realToolCheck(f.abs, f.language);
    assert.ok(verdict.ok, `${f.language} rejects corrected/${f.rel}:\n${verdict.output}`);
  });
}

for (const f of configFiles(CORRECTED)) {
  test(`haconf finds nothing in corrected/${f.rel}`, () => {
    const result = checked(f.abs);
    assert.equal(result.language, f.language);
    const serious = result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(serious.map(describe), [], `corrected/${f.rel} must come out clean`);
  });
}

for (const f of configFiles(AS_WRITTEN)) {
  test(`haconf reports the article's mistakes in as-written/${f.rel}`, (t: TestContext) => {
    const expected = loadExpectations().files[f.rel] ?? [];
    const result = checked(f.abs);
    assert.equal(result.language, f.language);
    const found = result.diagnostics.filter((d) => d.file === f.abs);
    const missing = expected.filter((e) => !found.some((d) => d.code === e.code && d.range.start.line + 1 === e.line));
    const extra = found.filter((d) => !expected.some((e) => d.code === e.code && d.range.start.line + 1 === e.line));
    for (const d of extra) t.diagnostic(`extra: as-written/${f.rel}:${describe(d)}`);
    assert.deepEqual(
      missing.map((e) => `${e.line}: ${e.code} (${e.why})`),
      [],
      `as-written/${f.rel}: expected findings not reported. haconf said:\n${found.map(describe).join('\n') || '(nothing)'}`,
    );
  });
}

test('as-written labs: the cross-node mistakes are reported by their cluster codes', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'expected.json'), 'utf8')) as {
    cluster: { lab: string; code: string; file: string; line: number }[];
  };
  const root = path.join(EXAMPLES, 'as-written');
  const c = collectFiles([root]);
  const ws = checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions(), new NodeSourceHost());
  const got = ws.diagnostics.filter((d) => d.code.startsWith('cluster/')).map((d) => `${path.relative(root, d.file).split(path.sep).join('/')}:${d.range.start.line + 1} ${d.code}`);
  for (const e of expected.cluster) assert.ok(got.includes(`${e.file}:${e.line} ${e.code}`), `missing ${e.file}:${e.line} ${e.code}; got ${got.join(', ')}`);
});

test('corrected labs: no cluster findings either', () => {
  const root = path.join(EXAMPLES, 'corrected');
  const c = collectFiles([root]);
  const ws = checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions(), new NodeSourceHost());
  assert.deepEqual(
    ws.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.file}:${d.range.start.line + 1} ${d.code}`),
    [],
  );
  assert.equal(ws.clusters.length, 4, ws.clusters.map((x) => x.name).join(', '));
});
