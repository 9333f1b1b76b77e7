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
    assert.match(removed.markdown, /\*\*removed in 3\.0\*\* \(your target\)/, "the default target is Debian 13's 3.0");
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

test('hover descriptions: balance, the server option check, virtual_router_id and corosync token', () => {
  const corosync = 'totem {\n    version: 2\n    cluster_name: lb\n    token: 3000\n}\nnodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        nodeid: 1\n    }\n}\n';
  const w = workspace({ 'haproxy.cfg': HAPROXY, 'lb/n1/keepalived.conf': keepalivedPeer(51, 'MASTER', 150), 'corosync.conf': corosync });
  try {
    const hap = w.file('haproxy.cfg');
    const balance = hover(w.model, hap, { line: 23, character: 6 })!.markdown;
    assert.match(balance, /spread over the servers of a backend/, 'our own description');
    // The algorithm is optional: a bare `balance` means roundrobin.
    assert.match(balance, /Syntax: `balance \[<algorithm>\] \[<arguments> …\]`/);
    assert.match(balance, /- `algorithm` \(one of `roundrobin`.*\): The algorithm name/);
    assert.match(balance, /Default: `roundrobin`/);
    assert.match(balance, /Versions: in every version haconf knows \(1\.8–/);
    assert.match(balance, /Allowed in: `defaults`, `listen`, `backend` \(accepted but ignored with a warning in `frontend`\)/);
    // The target version's manual (the default target, 3.0) at the keyword's own anchor.
    assert.match(balance, /\[HAProxy 3\.0 manual\]\(https:\/\/docs\.haproxy\.org\/3\.0\/configuration\.html#4\.2-balance\)/);

    const check = hover(w.model, hap, { line: 24, character: 31 })!.markdown;
    assert.match(check, /\*\*`check`\*\* — server option/);
    assert.match(check, /periodic health checks/);
    assert.match(check, /Allowed in: `server` \/ `default-server` lines/);
    assert.match(check, /docs\.haproxy\.org\/3\.0\/configuration\.html#5\.2-check\)/);

    const ka = w.file('lb/n1/keepalived.conf');
    const vrid = hover(w.model, ka, { line: 12, character: 8 })!.markdown;
    assert.match(vrid, /VRRP router ID shared by all peers/);
    assert.match(vrid, /Syntax: `virtual_router_id <vrid>`/, 'a real argument name, not arg1');
    assert.match(vrid, /- `vrid` \(int, 1–255\): Integer 1–255/);
    assert.match(vrid, /\[keepalived\.conf\(5\), VRRP instance\(s\)\]\(https:\/\/manpages\.debian\.org\/bookworm\/keepalived\/keepalived\.conf\.5\.en\.html#VRRP_instance\(s\)\)/);
    assert.doesNotMatch(vrid, /arg1|line \d+/);

    const token = hover(w.model, w.file('corosync.conf'), { line: 3, character: 6 })!.markdown;
    assert.match(token, /\*\*`token`\*\* — in `totem`/);
    assert.match(token, /declared lost/);
    assert.match(token, /Default: 3000/);
    assert.match(token, /\[corosync\.conf\(5\)\]\(https:\/\/manpages\.debian\.org\/bookworm\/corosync\/corosync\.conf\.5\.en\.html\)/);
  } finally {
    w.cleanup();
  }
});

test('hover links the manual of the target HAProxy version, or the closest one whose chapters are known', () => {
  const w = workspace({ 'haproxy.cfg': HAPROXY });
  try {
    const f = w.file('haproxy.cfg');
    w.model.checkOptions.haproxyVersion = '3.2';
    const userlist = hover(w.model, f, { line: 30, character: 2 })!.markdown;
    // userlist moved from chapter 3.4 (2.6, 3.0) to 12.2 (3.2).
    assert.match(userlist, /docs\.haproxy\.org\/3\.2\/configuration\.html#12\.2-userlist/);
    assert.match(userlist, /Syntax: `userlist <name>`/);
    // 3.3 and 3.4 (upstream manuals, npm run gen:anchors) link their own manual.
    w.model.checkOptions.haproxyVersion = '3.4';
    assert.match(hover(w.model, f, { line: 30, character: 2 })!.markdown, /\[HAProxy 3\.4 manual\]\(https:\/\/docs\.haproxy\.org\/3\.4\/configuration\.html#12\.2-userlist\)/);
    w.model.checkOptions.haproxyVersion = '2.8';
    assert.match(hover(w.model, f, { line: 23, character: 6 })!.markdown, /\[HAProxy 2\.8 manual\]\(https:\/\/docs\.haproxy\.org\/2\.8\/configuration\.html#4\.2-balance\)/);
    // The development branch (3.5) has no /3.5/ pages on docs.haproxy.org: the closest release's chapters, labelled so.
    w.model.checkOptions.haproxyVersion = '3.5';
    const balance = hover(w.model, f, { line: 23, character: 6 })!.markdown;
    assert.match(balance, /\[HAProxy 3\.4 manual\]\(https:\/\/docs\.haproxy\.org\/3\.4\/configuration\.html#4\.2-balance\)/);
  } finally {
    w.cleanup();
  }
});

test('a keepalived keyword allowed in several blocks reads the text of the block it is used in', () => {
  const w = workspace({ 'lb/n1/keepalived.conf': keepalivedPeer(51, 'MASTER', 150) });
  try {
    const weight = hover(w.model, w.file('lb/n1/keepalived.conf'), { line: 7, character: 5 })!.markdown;
    assert.match(weight, /\*\*`weight`\*\* — in `vrrp_script`/);
    assert.match(weight, /added while the script succeeds/, 'the vrrp_script text, not the bfd_instance one');
    assert.match(weight, /#VRRP_script\(s\)\)/);
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
