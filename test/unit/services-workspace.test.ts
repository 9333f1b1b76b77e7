import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, keepalivedPeer, HAPROXY } from './services-helpers';
import { analyseFile, capPerFile, looksLikeJunk, MAX_DIAGNOSTICS_PER_FILE } from '../../server/src/engine/analyse';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';
import { checkIncremental } from '../fuzz/incremental';

test('scan: cross-file findings land on unopened peers', () => {
  const w = workspace({
    'lb/n1/keepalived.conf': keepalivedPeer(51, 'MASTER', 150),
    'lb/n2/keepalived.conf': keepalivedPeer(52, 'BACKUP', 100),
    'lb/n3/keepalived.conf': keepalivedPeer(51, 'BACKUP', 90),
  });
  try {
    const n2 = w.model.diagnostics(w.file('lb/n2/keepalived.conf'));
    const d = n2.find((x) => x.code === 'cluster/vrid-mismatch');
    assert.ok(d, JSON.stringify(n2.map((x) => x.code)));
    assert.equal(d.range.start.line, 12);
    assert.ok(!w.model.diagnostics(w.file('lb/n1/keepalived.conf')).some((x) => x.code === 'cluster/vrid-mismatch'));
    assert.equal(w.model.clusters.length, 1);
  } finally {
    w.cleanup();
  }
});

test('an edit re-checks that file and its cluster, and reports the peers as touched', () => {
  const w = workspace({
    'lb/n1/keepalived.conf': keepalivedPeer(51, 'MASTER', 150),
    'lb/n2/keepalived.conf': keepalivedPeer(52, 'BACKUP', 100),
    'lb/n3/keepalived.conf': keepalivedPeer(51, 'BACKUP', 90),
    'other/haproxy.cfg': HAPROXY,
  });
  try {
    const n2 = w.file('lb/n2/keepalived.conf');
    assert.ok(w.model.setBuffer(n2, keepalivedPeer(51, 'BACKUP', 100), 'keepalived'));
    const touched = w.model.refresh([n2]);
    assert.ok(touched.includes(n2));
    assert.ok(touched.includes(w.file('lb/n1/keepalived.conf')), 'peers are re-published');
    assert.ok(!touched.includes(w.file('other/haproxy.cfg')), 'files outside the cluster are left alone');
    assert.ok(!w.model.diagnostics(n2).some((x) => x.code === 'cluster/vrid-mismatch'));
    // Back to the odd value: the finding returns.
    w.model.setBuffer(n2, keepalivedPeer(52, 'BACKUP', 100));
    w.model.refresh([n2]);
    assert.ok(w.model.diagnostics(n2).some((x) => x.code === 'cluster/vrid-mismatch'));
    // Closing the buffer falls back to the disk (also 52).
    w.model.closeBuffer(n2);
    w.model.refresh([n2]);
    assert.ok(w.model.diagnostics(n2).some((x) => x.code === 'cluster/vrid-mismatch'));
  } finally {
    w.cleanup();
  }
});

test('per-file diagnostics, settings and severity overrides', () => {
  const w = workspace({ 'haproxy.cfg': 'frontend f\n    bindd :80\n    timeout client 5s\n' });
  try {
    const f = w.file('haproxy.cfg');
    assert.ok(w.model.diagnostics(f).some((d) => d.code === 'haproxy/unknown-keyword' && d.severity === 'error'));
    w.model.setOptions(defaultCheckOptions({ severities: { 'haproxy/unknown-keyword': 'warning' } }));
    assert.equal(w.model.diagnostics(f).find((d) => d.code === 'haproxy/unknown-keyword')?.severity, 'warning');
    w.model.setOptions(defaultCheckOptions({ severities: { 'haproxy/unknown-keyword': 'off' } }));
    assert.ok(!w.model.diagnostics(f).some((d) => d.code === 'haproxy/unknown-keyword'));
  } finally {
    w.cleanup();
  }
});

test('an open buffer outside the scanned files joins the model and leaves on close', () => {
  const w = workspace({});
  try {
    const f = w.file('scratch.conf');
    assert.equal(w.model.setBuffer(f, 'hello world'), false, 'unknown text is not ours');
    assert.ok(w.model.setBuffer(f, 'frontend f\n    bindd :80\n', 'haproxy'));
    w.model.refresh([f]);
    assert.ok(w.model.diagnostics(f).length > 0);
    w.model.closeBuffer(f);
    assert.equal(w.model.has(f), false);
  } finally {
    w.cleanup();
  }
});

test('docFor parses the current text on demand; lastDoc may lag', () => {
  const w = workspace({ 'haproxy.cfg': HAPROXY });
  try {
    const f = w.file('haproxy.cfg');
    const before = w.model.docFor(f)!.doc;
    w.model.setBuffer(f, HAPROXY + 'backend extra\n');
    assert.equal(w.model.lastDoc(f)!.doc, before);
    const fresh = w.model.docFor(f)!.doc as { sections: { name?: { value: string } }[] };
    assert.ok(fresh.sections.some((s) => s.name?.value === 'extra'));
  } finally {
    w.cleanup();
  }
});

test('binary junk and oversized text give one finding, no parse', () => {
  let junk = '';
  for (let i = 0; i < 4000; i++) junk += String.fromCharCode((i * 7919) % 256);
  assert.ok(looksLikeJunk(junk));
  assert.ok(!looksLikeJunk(HAPROXY));
  const r = analyseFile('/t/haproxy.cfg', junk, 'haproxy', defaultCheckOptions(), new NodeSourceHost());
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.doc, undefined);
  assert.match(r.diagnostics[0].message, /binary/);
});

test('a flood of findings is capped with one summary line', () => {
  const text = 'frontend f\n' + Array.from({ length: MAX_DIAGNOSTICS_PER_FILE + 50 }, (_, i) => `    nosuchkeyword${i} x\n`).join('');
  const all = analyseFile('/t/haproxy.cfg', text, 'haproxy', defaultCheckOptions(), new NodeSourceHost()).diagnostics;
  assert.ok(all.length >= MAX_DIAGNOSTICS_PER_FILE + 50, 'the analysis keeps every finding');
  const r = { diagnostics: capPerFile(all) };
  assert.equal(r.diagnostics.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.match(r.diagnostics[r.diagnostics.length - 1].message, /more findings/);
});

test('an edit of a defaults section re-checks the clean backends that inherit it (their results are remembered per section)', () => {
  const backends = [0, 1, 2].map((k) => `backend b${k}\n    server s1 10.0.${k}.1:80 check\n    server nc 10.0.${k}.10\n`).join('\n');
  const cfg = `global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend web\n    bind :80\n    default_backend b0\n\n${backends}`;
  const insertAfter = (anchor: string, line: string) => (t: string) => t.replace(`${anchor}\n`, `${anchor}\n${line}\n`);
  const drop = (line: string) => (t: string) => t.replace(`${line}\n`, '');
  const steps = [
    // b1 edited (checked afresh) while b0 and b2 stay remembered as clean
    insertAfter('backend b1', '    balance first'),
    // every backend's portless `nc` now has a health check with nowhere to connect
    insertAfter('    mode http', '    default-server check'),
    insertAfter('    mode http', '    default-server port 9000'),
    drop('    default-server port 9000'),
    insertAfter('    mode http', '    tcp-check connect port 81'),
    drop('    tcp-check connect port 81'),
    drop('    default-server check'),
  ];
  // After every step the live model (edited step by step) must report what a fresh model reports.
  for (let n = 1; n <= steps.length; n++) {
    checkIncremental(
      { 'haproxy.cfg': cfg },
      steps.slice(0, n).map((change) => ({ file: 0, flush: true, change })),
    );
  }
  // And the rule really fires in the middle of the sequence (the test would be empty otherwise).
  const mid = steps.slice(0, 2).reduce((t, f) => f(t), cfg);
  const ds = analyseFile('/x/haproxy.cfg', mid, 'haproxy', defaultCheckOptions(), new NodeSourceHost()).diagnostics;
  assert.equal(ds.filter((d) => d.code === 'haproxy/missing-check-port').length, 3);
});
