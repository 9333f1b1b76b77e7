import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/services';
import { workspace, keepalivedPeer, HAPROXY } from './services-helpers';

test('haproxy: keyword hover with arguments, versions and manual link', () => {
  const w = workspace({ 'haproxy.cfg': HAPROXY.replace('    mode http\n', '    mode http\n    contimeout 5s\n') });
  try {
    const f = w.file('haproxy.cfg');
    const h = hover(w.model, f, { line: 24, character: 6 })!;
    assert.match(h.markdown, /\*\*`balance`\*\*/);
    assert.match(h.markdown, /one of `roundrobin`/);
    assert.match(h.markdown, /docs\.haproxy\.org/);
    assert.deepEqual(h.range, { start: { line: 24, character: 4 }, end: { line: 24, character: 11 } });
    const t = hover(w.model, f, { line: 6, character: 10 })!;
    assert.match(t.markdown, /`timeout connect`/, 'multi-word keywords hover as one');
    const removed = hover(w.model, f, { line: 5, character: 6 })!;
    assert.match(removed.markdown, /removed in 2\.\d/);
    assert.match(removed.markdown, /not available in 2\.6|removed in 2\.6/);
    assert.equal(hover(w.model, f, { line: 2, character: 0 }), undefined, 'nothing on a blank line');
  } finally {
    w.cleanup();
  }
});

test('haproxy: backend references and ACLs in conditions', () => {
  const w = workspace({ 'haproxy.cfg': HAPROXY });
  try {
    const f = w.file('haproxy.cfg');
    const be = hover(w.model, f, { line: 14, character: 21 })!;
    assert.match(be.markdown, /backend `web`\*\* \(line 23\), 2 servers/);
    const acl = hover(w.model, f, { line: 13, character: 25 })!;
    assert.match(acl.markdown, /ACL `is_api`\*\* \(2 lines, ORed\)/);
    const opt = hover(w.model, f, { line: 24 + 1, character: 30 })!;
    assert.match(opt.markdown, /server option/);
  } finally {
    w.cleanup();
  }
});

test('keepalived: VRID hover shows the peers and the failover table', () => {
  const w = workspace({
    'lb/n1/keepalived.conf': keepalivedPeer(51, 'MASTER', 150, -10),
    'lb/n2/keepalived.conf': keepalivedPeer(51, 'BACKUP', 100, -10),
  });
  try {
    const f = w.file('lb/n1/keepalived.conf');
    const h = hover(w.model, f, { line: 12, character: 8 })!;
    assert.match(h.markdown, /`virtual_router_id`/);
    assert.match(h.markdown, /\| n1 \| MASTER \| 150 \| 51 \| 1 \| 10\.0\.0\.100\/24 \|/);
    assert.match(h.markdown, /\| n2 \| BACKUP \| 100 \| 51 \|/);
    // weight -10 is smaller than the 50-point gap: the failed node keeps the VIP.
    assert.match(h.markdown, /\| chk_haproxy fails on n1 \| 140 \| 100 \| n1 ⚠ stays on the failed node \|/);
    const vip = hover(w.model, f, { line: 16, character: 12 })!;
    assert.match(vip.markdown, /VRRP peers/);
    const plain = hover(w.model, f, { line: 11, character: 6 })!;
    assert.ok(!/VRRP peers/.test(plain.markdown), 'interface hover is just the keyword');
  } finally {
    w.cleanup();
  }
});

test('corosync: key and section hover', () => {
  const w = workspace({ 'corosync/corosync.conf': 'totem {\n    version: 2\n    transport: knet\n}\n' });
  try {
    const f = w.file('corosync/corosync.conf');
    const k = hover(w.model, f, { line: 2, character: 6 })!;
    assert.match(k.markdown, /`transport`/);
    assert.match(k.markdown, /knet/);
    const s = hover(w.model, f, { line: 0, character: 2 })!;
    assert.match(s.markdown, /section `totem`/);
  } finally {
    w.cleanup();
  }
});

test('haproxy: hovering a backend name on its own header lists its servers', () => {
  // Section names are word objects made on request (haproxy/statement.ts), not the line's own word objects.
  const w = workspace({ 'haproxy.cfg': HAPROXY });
  try {
    const f = w.file('haproxy.cfg');
    const h = hover(w.model, f, { line: 22, character: 9 })!;
    assert.match(h.markdown, /backend `web`\*\* \(line 23\), 2 servers/);
    assert.deepEqual(h.range, { start: { line: 22, character: 8 }, end: { line: 22, character: 11 } });
  } finally {
    w.cleanup();
  }
});
