import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentSymbols, workspaceSymbols, foldingRanges, documentLinks, codeActions } from '../../server/src/services';
import { applyEdits } from '../../server/src/services/format';
import { workspace, keepalivedPeer, HAPROXY } from './services-helpers';

test('haproxy: hierarchical symbols and folding of sections and .if blocks', () => {
  const text = HAPROXY.replace('backend api\n', 'backend api\n.if defined(X)\n    balance first\n    balance leastconn\n.endif\n');
  const w = workspace({ 'haproxy.cfg': text });
  try {
    const f = w.file('haproxy.cfg');
    const syms = documentSymbols(w.model, f);
    assert.deepEqual(
      syms.map((s) => s.name),
      ['global', 'defaults', 'frontend www', 'frontend admin', 'backend web', 'backend api', 'userlist ops'],
    );
    assert.deepEqual(
      syms[2].children.map((c) => `${c.kind}:${c.name}`),
      ['bind:bind :80', 'acl:is_api', 'acl:is_api'],
    );
    assert.deepEqual(
      syms[4].children.map((c) => c.name),
      ['w1', 'w2'],
    );
    assert.deepEqual(syms[4].range, { start: { line: 22, character: 0 }, end: { line: 25, character: 46 } });
    const folds = foldingRanges(w.model, f);
    assert.ok(
      folds.some((r) => r.startLine === 9 && r.endLine === 14),
      JSON.stringify(folds),
    );
    assert.ok(
      folds.some((r) => r.startLine === 28 && r.endLine === 30),
      '.if block',
    );
    const ws = workspaceSymbols(w.model, 'w');
    assert.deepEqual(ws.map((s) => s.name).sort(), ['w1', 'w2', 'web', 'www']);
  } finally {
    w.cleanup();
  }
});

test('keepalived: block symbols, folding, include and script links', () => {
  const w = workspace({ 'keepalived/extra.conf': 'vrrp_script other {\n    script "/bin/true"\n}\n', 'keepalived/keepalived.conf': 'x' });
  try {
    const f = w.file('keepalived/keepalived.conf');
    const text = `include ${w.file('keepalived/extra.conf')}\n` + keepalivedPeer(51, 'MASTER', 100).replace('/usr/bin/killall -0 haproxy', `${f} -0 haproxy`);
    w.model.setBuffer(f, text, 'keepalived');
    w.model.refresh([f]);
    const syms = documentSymbols(w.model, f);
    assert.deepEqual(
      syms.map((s) => s.name),
      ['global_defs', 'vrrp_script chk_haproxy', 'vrrp_instance VI_1'],
    );
    const inst = syms[2];
    assert.ok(inst.children.some((c) => c.name === 'virtual_ipaddress' && c.kind === 'block'));
    assert.ok(inst.children.some((c) => c.name === 'priority' && c.detail === '100'));
    const folds = foldingRanges(w.model, f);
    assert.ok(
      folds.some((r) => r.startLine === 10 && r.endLine === 21),
      JSON.stringify(folds),
    );
    const links = documentLinks(w.model, f);
    assert.ok(links.some((l) => l.target === w.file('keepalived/extra.conf') && l.range.start.line === 0));
    assert.ok(
      links.some((l) => l.target === f && l.range.start.line === 6 && l.range.start.character === 12),
      JSON.stringify(links),
    );
  } finally {
    w.cleanup();
  }
});

test('corosync: sections with keys as children; node names in workspace symbols', () => {
  const w = workspace({ 'corosync/corosync.conf': 'totem {\n    version: 2\n}\nnodelist {\n    node {\n        name: alpha\n        ring0_addr: 10.0.0.1\n    }\n}\n' });
  try {
    const f = w.file('corosync/corosync.conf');
    const syms = documentSymbols(w.model, f);
    assert.deepEqual(
      syms.map((s) => s.name),
      ['totem', 'nodelist'],
    );
    assert.equal(syms[1].children[0].detail, 'alpha');
    assert.deepEqual(foldingRanges(w.model, f), [
      { startLine: 0, endLine: 1 },
      { startLine: 3, endLine: 7 },
      { startLine: 4, endLine: 6 },
    ]);
    assert.deepEqual(
      workspaceSymbols(w.model, 'alp').map((s) => s.name),
      ['alpha'],
    );
  } finally {
    w.cleanup();
  }
});

test("code actions: a finding's own fix, and disabling the rule for one line", () => {
  const text = 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nbackend b\n    balanse roundrobin\n    server s 10.0.0.1:80\n';
  const w = workspace({ 'haproxy.cfg': text });
  try {
    const f = w.file('haproxy.cfg');
    const d = w.model.diagnostics(f).find((x) => x.code === 'haproxy/unknown-keyword')!;
    const actions = codeActions(w.model, f, d.range);
    const fix = actions.find((a) => /balance/.test(a.title))!;
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const fixed = applyEdits(text, fix.edit[f]);
    assert.match(fixed, /\n {4}balance roundrobin\n/);
    w.model.setBuffer(f, fixed);
    w.model.refresh([f]);
    assert.ok(!w.model.diagnostics(f).some((x) => x.code === 'haproxy/unknown-keyword'));

    w.model.setBuffer(f, text);
    w.model.refresh([f]);
    const disable = codeActions(w.model, f, d.range).find((a) => a.title === 'Disable haproxy/unknown-keyword for this line')!;
    const silenced = applyEdits(text, disable.edit[f]);
    assert.match(silenced, /\n {4}# haconf-disable-next-line haproxy\/unknown-keyword\n {4}balanse roundrobin\n/);
    w.model.setBuffer(f, silenced);
    w.model.refresh([f]);
    assert.ok(!w.model.diagnostics(f).some((x) => x.code === 'haproxy/unknown-keyword'));
    assert.equal(codeActions(w.model, f, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }).length, 0);
  } finally {
    w.cleanup();
  }
});
