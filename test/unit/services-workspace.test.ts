import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, keepalivedPeer, HAPROXY } from './services-helpers';
import { analyseText, looksLikeJunk, MAX_DIAGNOSTICS_PER_FILE } from '../../server/src/services/workspace';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';

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
  const r = analyseText('/t/haproxy.cfg', junk, 'haproxy', defaultCheckOptions(), new NodeSourceHost());
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.doc, undefined);
  assert.match(r.diagnostics[0].message, /binary/);
});

test('a flood of findings is capped with one summary line', () => {
  const text = 'frontend f\n' + Array.from({ length: MAX_DIAGNOSTICS_PER_FILE + 50 }, (_, i) => `    nosuchkeyword${i} x\n`).join('');
  const r = analyseText('/t/haproxy.cfg', text, 'haproxy', defaultCheckOptions(), new NodeSourceHost());
  assert.equal(r.diagnostics.length, MAX_DIAGNOSTICS_PER_FILE + 1);
  assert.match(r.diagnostics[r.diagnostics.length - 1].message, /more findings/);
});
