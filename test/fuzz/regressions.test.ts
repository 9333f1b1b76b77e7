// One test per bug the fuzzing, hostile-input and differential runs found, on the smallest input that
// showed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCorosync } from '../../server/src/corosync/parser';
import { checkCorosync } from '../../server/src/corosync';
import { corosyncSymbols, corosyncFolding } from '../../server/src/services/corosync';
import { formatEdits } from '../../server/src/services/format';
import { WorkspaceModel } from '../../server/src/engine/model';
import { defaultCheckOptions } from '../../server/src/core/types';
import { checkInput, assertDiagnosticsWithin, runModule, MemHost } from './properties';
import { checkIncremental, writeWorkspace } from './incremental';
import { run as runDiskEvents, type Op } from './diskEvents';

test('corosync: the "add the missing }" fix stays inside a file without a final newline', () => {
  const text = 'totem {\n    version: 2';
  const ds = checkCorosync(parseCorosync('/x/corosync.conf', text));
  const fix = ds.flatMap((d) => d.fixes ?? []).find((f) => /missing/.test(f.title));
  assert.ok(fix, 'the unclosed section has a fix');
  assert.deepEqual(fix.edits[0].range, { start: { line: 1, character: 14 }, end: { line: 1, character: 14 } });
  assertDiagnosticsWithin(ds, new Map([['/x/corosync.conf', text]]));
});

test('corosync: the "delete the extra }" fix on the last line stays inside the file', () => {
  const text = 'totem {\n}\n}';
  const ds = checkCorosync(parseCorosync('/x/corosync.conf', text));
  const fix = ds.flatMap((d) => d.fixes ?? []).find((f) => /extra/.test(f.title));
  assert.ok(fix);
  assert.deepEqual(fix.edits[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } });
  checkInput('corosync', text);
});

test('haproxy: missing-final-newline stops before a trailing \\r', () => {
  const r = runModule('haproxy', '/x/haproxy.cfg', 'global\r', new MemHost());
  const d = r.diagnostics.find((x) => x.code === 'haproxy/missing-final-newline');
  assert.ok(d);
  assert.equal(d.range.end.character, 6);
  checkInput('haproxy', '\r');
});

test('workspace model: editing a keepalived include re-checks its includer and returns (it looped forever)', () => {
  const { dir, paths } = writeWorkspace({
    'n1/keepalived.conf': 'vrrp_instance VI_1 {\n    virtual_router_id 51\n}\ninclude vips.conf\n',
    'n1/vips.conf': 'vrrp_script chk {\n    script "/bin/true"\n}\n',
  });
  try {
    const m = new WorkspaceModel();
    m.scan([dir]);
    const inc = paths[1];
    m.setBuffer(inc, ' vrrp_script chk {\n    script "/bin/true"\n}\n');
    const t0 = performance.now();
    const touched = m.refresh([inc]);
    assert.ok(performance.now() - t0 < 5000);
    assert.ok(touched.includes(paths[0]), 'the includer is re-checked');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('corosync symbols and folding on 100,000 nested unclosed sections: no stack overflow, linear time', () => {
  const doc = parseCorosync('/x/corosync.conf', 'a {\n'.repeat(100000));
  const t0 = performance.now();
  const symbols = corosyncSymbols(doc);
  const folds = corosyncFolding(doc);
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(symbols.length, 1);
  let depth = 0;
  for (let s = symbols[0]; s; s = s.children[0]) depth++;
  assert.ok(depth <= 32, `symbol tree is ${depth} deep`);
  assert.equal(folds.length, 99999);
  assert.equal(symbols[0].range.end.line, 99999);
});

test('formatting 100,000 unclosed keepalived / corosync blocks does not build gigabytes of indentation', () => {
  for (const lang of ['keepalived', 'corosync'] as const) {
    const text = 'x {\n'.repeat(100000);
    const t0 = performance.now();
    const edits = formatEdits(lang, text);
    assert.ok(performance.now() - t0 < 5000, `${lang} took ${performance.now() - t0} ms`);
    const longest = Math.max(0, ...edits.map((e) => e.newText.length));
    assert.ok(longest <= 33 * 4, `${lang}: an indentation of ${longest} spaces`);
  }
});

test('keepalived: files that all include *.conf read each file once, with bounded findings', () => {
  // Used to read files along millions of include paths until the read budget stopped it; now a file the
  // parse already read at the top level is not read again (one finding says so).
  const files = new Map<string, string>();
  for (let i = 0; i < 13; i++) files.set(`/ka/f${i}.conf`, `include *.conf\nvrrp_script s${i} {\n    script "/bin/true"\n}\n`);
  const t0 = performance.now();
  const r = runModule('keepalived', '/ka/f0.conf', files.get('/ka/f0.conf')!, new MemHost(files));
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(r.sources.size, 13);
  assert.equal(path.basename([...r.sources.keys()][0]), 'f0.conf');
  assert.ok(r.diagnostics.some((d) => /already read at the top level/.test(d.message)));
  assert.ok(r.diagnostics.length < 40, `${r.diagnostics.length} findings`);
});

test('split configuration: a rule added to a defaults section re-checks the listen section of another file that inherits it', () => {
  // FUZZ_SEED=130718862 of split.test.ts, reduced: the set's signature left out the rules a defaults
  // section carries, so the listen section in 30-more.cfg kept its old findings.
  const files = {
    'etc/haproxy/haproxy.cfg': 'global\n    maxconn 100\n\ndefaults d1\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n',
    'etc/haproxy/conf.d/30-more.cfg': 'listen l1\n    bind 127.0.0.1:9090\n    server s3 127.0.0.1:9003\n',
  };
  const addRule = (text: string) => text.replace('    mode http\n', '    mode http\n    http-request deny if { path_beg /x }\n');
  // A first edit anywhere, so the model has the set's signature from a check with the same options.
  const addComment = (text: string) => `${text}# comment\n`;
  checkIncremental(files, [
    { file: 1, change: addComment, flush: true },
    { file: 0, change: addRule, flush: true },
  ]);
});

test('workspace model: a keepalived include that was binary is read once it holds text again', () => {
  // FUZZ_SEED=-12732303 of fuzz.test.ts (FUZZ_RUNS=200), reduced: an include the parse refused (binary)
  // was not one of the includer's sources, so changing it did not re-check the includer.
  const files = {
    'n1/keepalived.conf': 'vrrp_instance VI_1 {\n    virtual_router_id 51\n}\ninclude vips.conf\n',
    'n1/vips.conf': 'vrrp_script chk {\u0000\n',
  };
  checkIncremental(files, [{ file: 1, change: () => 'vrrp_script chk {\n    script "/bin/true"\n}\n', flush: true }]);
});

test('workspace model: creating a missing keepalived include re-checks its includer', () => {
  const { dir, paths } = writeWorkspace({ 'n1/keepalived.conf': 'vrrp_instance VI_1 {\n    virtual_router_id 51\n}\ninclude vips.conf\n' });
  try {
    const m = new WorkspaceModel();
    m.scan([dir]);
    const missing = (ds: { code?: string }[]) => ds.filter((d) => d.code === 'keepalived/include-missing').length;
    assert.equal(missing(m.diagnostics(paths[0])), 1, 'the include is reported missing at first');
    const inc = path.join(dir, 'n1/vips.conf');
    fs.writeFileSync(inc, 'vrrp_script chk {\n    script "/bin/true"\n}\n');
    const touched = m.refresh(m.diskChanged(inc));
    assert.ok(touched.includes(paths[0]), 'the includer is re-checked');
    assert.equal(missing(m.diagnostics(paths[0])), 0, 'no finding says the created include is missing');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('split configuration: a backend that changes its mode re-checks the tcp frontend of another file that uses it', () => {
  // From 3.0 a tcp frontend whose backend runs in mode http is upgraded to HTTP, so its HTTP-only lines
  // work: the frontend's findings depend on the mode of a backend in another file, set on the backend's
  // own line or taken `from` a defaults section.
  const timeouts = '    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n';
  const front = 'frontend f1\n    bind 127.0.0.1:8080\n    http-request deny if { path_beg /x }\n    default_backend b1\n';
  const touch = { file: 1, change: (text: string) => `${text}# comment\n`, flush: true };
  checkIncremental({ 'etc/haproxy/haproxy.cfg': `defaults\n    mode tcp\n${timeouts}\n${front}`, 'etc/haproxy/conf.d/20-back.cfg': 'backend b1\n    mode http\n    server s1 127.0.0.1:9001\n' }, [
    touch,
    { file: 1, change: (text) => text.replace('mode http', 'mode tcp'), flush: true },
  ]);
  checkIncremental(
    {
      'etc/haproxy/haproxy.cfg': `defaults httpd\n    mode http\n${timeouts}\ndefaults tcpd\n    mode tcp\n${timeouts}\n${front}`,
      'etc/haproxy/conf.d/20-back.cfg': 'backend b1 from httpd\n    server s1 127.0.0.1:9001\n',
    },
    [touch, { file: 1, change: (text) => text.replace('from httpd', 'from tcpd'), flush: true }],
  );
});

test('split configuration: the frontend of one file and the backend of another sharing a defaults section with rules', () => {
  // haproxy -c 2.6/3.0/3.2 refuse the backend ("frontends and backends cannot inherit from the same defaults
  // section if it defines TCP/HTTP rules"); an edit of the frontend's `from` in the first file changes the
  // second file's findings.
  const dir = path.resolve(__dirname, '../fixtures/haproxy-split/valid-rules-defaults.d');
  const files = {
    'etc/haproxy/conf.d/a.cfg': fs.readFileSync(path.join(dir, 'a.cfg'), 'utf8'),
    'etc/haproxy/conf.d/b.cfg': fs.readFileSync(path.join(dir, 'b.cfg'), 'utf8').replace('from plain', 'from web'),
  };
  const touch = { file: 1, change: (text: string) => `${text}# comment\n`, flush: true };
  checkIncremental(files, [touch, { file: 0, change: (text) => text.replace('frontend www from web', 'frontend www from plain'), flush: true }]);
  checkIncremental(files, [touch, { file: 1, change: (text) => text.replace('from web', 'from plain'), flush: true }]);
});

test('split configuration: the proxies of other files take their defaults in the set, whatever the order of past edits', () => {
  // FUZZ_SEED=1499511783 and -839867292 of split.test.ts: the proxies of the other files came from each
  // file's last analysis, made alone or in an older set, so a frontend in 10-front.cfg did or did not take
  // the defaults section of haproxy.cfg depending on which file was edited first.
  const files = {
    'etc/haproxy/haproxy.cfg': 'global\n    maxconn 100\n\ndefaults d1\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n',
    'etc/haproxy/conf.d/10-front.cfg': 'frontend f1\n    bind 127.0.0.1:8080\n    default_backend b1\n',
    'etc/haproxy/conf.d/20-back.cfg': 'backend b1\n    server s1 127.0.0.1:9001 check\n',
  };
  const addRule = (text: string) => text.replace('    timeout connect 5s\n', '    http-request deny if { path_beg /x }\n');
  checkIncremental(files, [{ file: 0, change: addRule, flush: true }], defaultCheckOptions({ haproxyVersion: '3.0' }));
  const chained = { ...files, 'etc/haproxy/conf.d/05-more.cfg': 'defaults d2 from d1\n    mode http\n' };
  checkIncremental(chained, [{ file: 0, change: (text) => text.replace('    timeout server 30s\n', ''), flush: true }], defaultCheckOptions({ haproxyVersion: '2.6' }));
});

test('workspace model: a file created where a keepalived include pattern points is read by the includer', () => {
  const { dir, paths } = writeWorkspace({
    'n1/keepalived.conf': 'vrrp_instance VI_1 {\n    virtual_router_id 51\n}\ninclude conf.d/*.conf\n',
    'n1/conf.d/a.conf': 'vrrp_script chk_a {\n    script "/bin/true"\n}\n',
  });
  try {
    const m = new WorkspaceModel();
    m.scan([dir]);
    const created = path.join(dir, 'n1/conf.d/b.conf');
    fs.writeFileSync(created, 'vrrp_script chk_b {\n    script "/bin/true"\n    bogus_keyword 1\n}\n');
    const touched = m.refresh(m.diskChanged(created));
    assert.ok(touched.includes(paths[0]), 'the includer is re-checked');
    const fresh = new WorkspaceModel();
    fresh.scan([dir]);
    for (const f of [...paths, created]) {
      const codes = (model: WorkspaceModel) => model.diagnostics(f).map((d) => `${d.range.start.line} ${d.code} ${d.message}`);
      assert.deepEqual(codes(m), codes(fresh), `findings of ${path.basename(f)} after the file was created`);
    }
    assert.ok(
      m.diagnostics(created).some((d) => d.code === 'keepalived/unknown-keyword'),
      'the created file is checked where it is included',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('workspace model under file-system events: the cases test/fuzz/disk.test.ts found', () => {
  // PLACES and BODIES of diskEvents.ts, by index.
  const cases: [Op[], boolean[]][] = [
    // vips.conf rewritten on disk into a text no scan would take for keepalived (it stayed in the model).
    [
      [
        { kind: 'open', place: 0, body: 6 },
        { kind: 'delete', place: 2 },
        { kind: 'write', place: 1, body: 3 },
      ],
      [true],
    ],
    // An open include deleted on disk: its includer's pattern no longer matches it.
    [
      [
        { kind: 'open', place: 1, body: 5 },
        { kind: 'delete', place: 1 },
      ],
      [true],
    ],
    // An open config deleted on disk, then closed: it leaves the model.
    [
      [
        { kind: 'open', place: 0, body: 5 },
        { kind: 'delete', place: 0 },
        { kind: 'close', place: 0 },
      ],
      [true],
    ],
    // haproxy.cfg turned binary, leaving its split set with one readable file: that file's own check shows.
    [
      [
        { kind: 'delete', place: 8 },
        { kind: 'write', place: 6, body: 5 },
      ],
      [true],
    ],
    // A split set that comes back (a file added, then deleted) was judged by the signature of its first time.
    [
      [
        { kind: 'delete', place: 6 },
        { kind: 'write', place: 9, body: 9 },
        { kind: 'delete', place: 9 },
      ],
      [true],
    ],
    // A deleted folder with an open buffer in it: the includer's pattern matches nothing now.
    [
      [
        { kind: 'open', place: 2, body: 5 },
        { kind: 'deleteFolder', folder: 0 },
      ],
      [true],
    ],
    // A deleted folder holding an include no scan would take for a config: its includer reads it no more.
    [
      [
        { kind: 'deleteFolder', folder: 0 },
        { kind: 'write', place: 3, body: 6 },
        { kind: 'deleteFolder', folder: 0 },
      ],
      [true],
    ],
    // A buffer opened with a language, closed over a disk text no scan would take for a config: it leaves.
    [
      [
        { kind: 'open', place: 7, body: 4 },
        { kind: 'write', place: 7, body: 4 },
        { kind: 'close', place: 7 },
      ],
      [true],
    ],
  ];
  for (const [ops, flushes] of cases) runDiskEvents(ops, flushes);
});

test('workspace model: a file whose kind a manifest declares keeps it when the disk gives it a text no scan would recognise', () => {
  const { dir } = writeWorkspace({
    'haconf.yaml': 'cluster: c\ndefaults:\n  files:\n    - { source: lb.inc, target: /etc/keepalived/keepalived.conf, kind: keepalived }\nhosts:\n  - { name: lb1, address: 10.0.0.1/24 }\n',
    'lb.inc': 'vrrp_instance VI_1 {\n    virtual_router_id 51\n}\n',
  });
  try {
    const m = new WorkspaceModel();
    m.scan([dir]);
    const inc = path.join(dir, 'lb.inc');
    assert.equal(m.languageOf(inc), 'keepalived');
    fs.writeFileSync(inc, '}\n');
    m.refresh(m.diskChanged(inc));
    assert.equal(m.languageOf(inc), 'keepalived', 'the declared kind stays');
    assert.ok(
      m.diagnostics(inc).some((d) => d.code === 'keepalived/syntax'),
      'the new text is checked as keepalived',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
