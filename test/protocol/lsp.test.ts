// Protocol tests: the real `haconf lsp --stdio` process, spoken to over JSON-RPC on a temp workspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, applyTextEdits, type TestServer, type LspDiagnostic } from './client';

const ka = (vrid: number, state: string, priority: number) => `global_defs {
    router_id lb
    enable_script_security
    script_user nobody
}

vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"
    interval 2
    weight -60
}

vrrp_instance VI_1 {
    state ${state}
    interface eth0
    virtual_router_id ${vrid}
    priority ${priority}
    advert_int 1
    virtual_ipaddress {
        10.0.0.100/24
    }
    track_script {
        chk_haproxy
    }
}
`;

const HAPROXY = `global
    log stdout format raw local0

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend www
    bind 10.0.0.100:80
    acl is_api path_beg /api
    use_backend api if is_api
    default_backend web

backend web
    balance roundrobin
    server w1 10.0.1.1:8080 check

backend api
    server a1 10.0.1.2:8080 check
`;

let root: string;
let srv: TestServer;
const file = (rel: string) => path.join(root, rel);

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-lsp-')));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
    fs.writeFileSync(file(rel), text);
  };
  write('lb/node1/keepalived.conf', ka(51, 'MASTER', 150));
  write('lb/node2/keepalived.conf', ka(52, 'BACKUP', 100));
  write('lb/node3/keepalived.conf', ka(51, 'BACKUP', 90));
  write('lb/haproxy.cfg', HAPROXY);
  write('other/haproxy.cfg', 'frontend f\n    bindd :80\n');
  write('corosync/corosync.conf', 'totem {\n    version: 2\n    cluster_name: c\n    transport: knet\n}\n\nnodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        nodeid: 1\n    }\n}\n');
  srv = await startServer(root);
});

after(async () => {
  await srv?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const byCode = (code: string) => (ds: LspDiagnostic[]) => ds.some((d) => d.code === code);

test('diagnostics for an unopened file, per file and across the cluster', async () => {
  const peer = await srv.waitForDiagnostics(uri(file('lb/node2/keepalived.conf')), byCode('cluster/vrid-mismatch'));
  const d = peer.find((x) => x.code === 'cluster/vrid-mismatch')!;
  assert.equal(d.range.start.line, 15, 'on the virtual_router_id line of the odd node');
  assert.ok(d.relatedInformation?.length, 'points at the peers');
  const other = await srv.waitForDiagnostics(uri(file('other/haproxy.cfg')), byCode('haproxy/unknown-keyword'));
  assert.equal(other.find((x) => x.code === 'haproxy/unknown-keyword')!.range.start.line, 1);
});

test('diagnostics for an open file follow its edits', async () => {
  const f = file('lb/haproxy.cfg');
  srv.open(f, 'haproxy', HAPROXY);
  srv.change(f, 2, HAPROXY.replace('    balance roundrobin', '    balanse roundrobin'));
  const ds = await srv.waitForDiagnostics(uri(f), byCode('haproxy/unknown-keyword'));
  assert.equal(ds.find((x) => x.code === 'haproxy/unknown-keyword')!.range.start.line, 16);
  srv.change(f, 3, HAPROXY);
  await srv.waitForDiagnostics(uri(f), (x) => !x.some((d) => d.code === 'haproxy/unknown-keyword'));
});

test('incremental edits (ranges, as VS Code sends them) give the same diagnostics as the whole text', async () => {
  const f = file('lb/haproxy.cfg');
  const line = HAPROXY.split('\n').indexOf('    balance roundrobin');
  assert.ok(line > 0);
  // "balance" -> "balanse": one character replaced inside the line.
  srv.edit(f, 10, { start: { line, character: 9 }, end: { line, character: 10 } }, 's');
  const ds = await srv.waitForDiagnostics(uri(f), byCode('haproxy/unknown-keyword'));
  const d = ds.find((x) => x.code === 'haproxy/unknown-keyword')!;
  assert.equal(d.range.start.line, line);
  assert.match(d.message, /balanse/);
  // A new line inserted above moves the finding down by one; then both edits are undone.
  srv.edit(f, 11, { start: { line, character: 0 }, end: { line, character: 0 } }, '    # note\n');
  await srv.waitForDiagnostics(uri(f), (x) => x.some((y) => y.code === 'haproxy/unknown-keyword' && y.range.start.line === line + 1));
  srv.edit(f, 12, { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, '');
  srv.edit(f, 13, { start: { line, character: 9 }, end: { line, character: 10 } }, 'c');
  await srv.waitForDiagnostics(uri(f), (x) => !x.some((y) => y.code === 'haproxy/unknown-keyword'));
  srv.change(f, 14, HAPROXY);
});

interface Item {
  label: string;
  textEdit?: { newText: string };
  data?: unknown;
  documentation?: { value: string };
}
const labels = (r: Item[] | { items: Item[] }) => (Array.isArray(r) ? r : r.items).map((i) => i.label);

test('completion: keywords in a backend, backends after use_backend, scripts in track_script', async () => {
  const f = file('lb/haproxy.cfg');
  const text = HAPROXY.replace('    balance roundrobin\n', '    balance roundrobin\n    \n');
  srv.change(f, 4, text);
  const inBackend = labels(await srv.request('textDocument/completion', { textDocument: { uri: uri(f) }, position: { line: 17, character: 4 } }));
  assert.ok(inBackend.includes('server') && inBackend.includes('timeout connect'));
  assert.ok(!inBackend.includes('balance'), 'balance is already set in this backend (one value only)');
  assert.ok(!inBackend.includes('bind'), 'bind is not a backend keyword');

  const withUse = text.replace('    default_backend web\n', '    default_backend web\n    use_backend \n');
  srv.change(f, 5, withUse);
  const after = labels(await srv.request('textDocument/completion', { textDocument: { uri: uri(f) }, position: { line: 14, character: 16 } }));
  assert.deepEqual(after.sort(), ['api', 'web']);

  const k = file('lb/node1/keepalived.conf');
  const kt = ka(51, 'MASTER', 150).replace('        chk_haproxy\n', '        chk_haproxy\n        \n');
  srv.open(k, 'keepalived', kt);
  const scripts = labels(await srv.request('textDocument/completion', { textDocument: { uri: uri(k) }, position: { line: 23, character: 8 } }));
  assert.deepEqual(scripts, ['chk_haproxy']);
  srv.change(f, 6, HAPROXY);
});

test('completion knows the grammar, and signature help answers on server, actions and fetches', async () => {
  const caps = srv.capabilities as { signatureHelpProvider?: { triggerCharacters?: string[] } };
  assert.deepEqual(caps.signatureHelpProvider?.triggerCharacters, [' ', '(', ',']);
  const f = file('lb/haproxy.cfg');
  const text = HAPROXY.replace('    default_backend web\n', '    default_backend web\n    http-request \n    acl a req.hdr(\n');
  srv.change(f, 7, text);
  const line = text.split('\n').indexOf('    http-request ');
  // A typed space pops up the actions (kind Event), with their argument placeholders as snippets.
  const actions = (await srv.request('textDocument/completion', {
    textDocument: { uri: uri(f) },
    position: { line, character: 17 },
    context: { triggerKind: 2, triggerCharacter: ' ' },
  })) as Array<Item & { insertTextFormat?: number }>;
  const setHeader = actions.find((i) => i.label === 'set-header');
  assert.equal(setHeader?.textEdit?.newText, 'set-header ${1:name} ${2:fmt}');
  assert.equal(setHeader?.insertTextFormat, 2, 'a snippet');
  assert.ok(!labels(actions).includes('accept'), 'accept is a tcp-request action');
  type Sig = { signatures: Array<{ label: string; parameters: Array<{ label: [number, number] }> }>; activeParameter: number };
  const active = (h: Sig) => h.signatures[0].label.slice(...h.signatures[0].parameters[h.activeParameter].label);
  const server = text.split('\n').indexOf('    server w1 10.0.1.1:8080 check');
  const onServer = (await srv.request('textDocument/signatureHelp', { textDocument: { uri: uri(f) }, position: { line: server, character: 14 } })) as Sig;
  assert.equal(onServer.signatures[0].label, 'server <name> <address>[:[port]] [param*]');
  assert.equal(active(onServer), '<address>[:[port]]');
  const onFetch = (await srv.request('textDocument/signatureHelp', { textDocument: { uri: uri(f) }, position: { line: line + 1, character: 18 } })) as Sig;
  assert.equal(onFetch.signatures[0].label, 'req.hdr([string],[integer])');
  assert.equal(active(onFetch), '[string]');
  srv.change(f, 8, HAPROXY);
});

test('completion item documentation on resolve', async () => {
  const f = file('lb/haproxy.cfg');
  const items = (await srv.request('textDocument/completion', { textDocument: { uri: uri(f) }, position: { line: 16, character: 4 } })) as Item[];
  const balance = items.find((i) => i.label === 'balance')!;
  const resolved = (await srv.request('completionItem/resolve', balance)) as Item;
  assert.match(resolved.documentation!.value, /roundrobin/);
  assert.match(resolved.documentation!.value, /https:\/\/docs\.haproxy\.org\//);
});

test('hover: a keyword, and the failover table on a VRID', async () => {
  const f = file('lb/haproxy.cfg');
  const h = (await srv.request('textDocument/hover', { textDocument: { uri: uri(f) }, position: { line: 16, character: 6 } })) as { contents: { value: string } };
  assert.match(h.contents.value, /balance/);
  assert.match(h.contents.value, /spread over the servers of a backend/, 'the description in our own words');
  assert.match(h.contents.value, /docs\.haproxy\.org\/2\.6\/configuration\.html#4\.2-balance/);
  const k = file('lb/node1/keepalived.conf');
  const v = (await srv.request('textDocument/hover', { textDocument: { uri: uri(k) }, position: { line: 15, character: 6 } })) as { contents: { value: string } };
  assert.match(v.contents.value, /\| node1 \| MASTER \| 150/);
  assert.match(v.contents.value, /\| node2 \| BACKUP \| 100/);
  assert.match(v.contents.value, /chk_haproxy fails on node1/);
});

test('rename a backend renames its references', async () => {
  const f = file('lb/haproxy.cfg');
  const prep = (await srv.request('textDocument/prepareRename', { textDocument: { uri: uri(f) }, position: { line: 13, character: 21 } })) as { placeholder: string };
  assert.equal(prep.placeholder, 'web');
  const edit = (await srv.request('textDocument/rename', { textDocument: { uri: uri(f) }, position: { line: 13, character: 21 }, newName: 'site' })) as {
    changes: Record<string, { range: LspDiagnostic['range']; newText: string }[]>;
  };
  const renamed = applyTextEdits(HAPROXY, edit.changes[uri(f)]);
  assert.match(renamed, /default_backend site\n/);
  assert.match(renamed, /backend site\n/);
  assert.ok(!/\bweb\b/.test(renamed));
  await assert.rejects(srv.request('textDocument/rename', { textDocument: { uri: uri(f) }, position: { line: 13, character: 21 }, newName: 'two words' }));
});

test('formatting indents bodies and is idempotent', async () => {
  const f = file('lb/fmt-haproxy.cfg');
  const messy = 'global\nlog stdout format raw local0   \n  defaults\n\tmode http\n        timeout connect "5s"  \n';
  srv.open(f, 'haproxy', messy);
  const edits = (await srv.request('textDocument/formatting', { textDocument: { uri: uri(f) }, options: { tabSize: 4, insertSpaces: true } })) as { range: LspDiagnostic['range']; newText: string }[];
  const formatted = applyTextEdits(messy, edits);
  assert.equal(formatted, 'global\n    log stdout format raw local0\ndefaults\n    mode http\n    timeout connect "5s"\n');
  srv.change(f, 2, formatted);
  const again = (await srv.request('textDocument/formatting', { textDocument: { uri: uri(f) }, options: { tabSize: 4, insertSpaces: true } })) as unknown[];
  assert.equal(again.length, 0);
});

test('a quick fix from a cross-file finding clears it', async () => {
  const k2 = file('lb/node2/keepalived.conf');
  const text = ka(52, 'BACKUP', 100);
  srv.open(k2, 'keepalived', text);
  const ds = await srv.waitForDiagnostics(uri(k2), byCode('cluster/vrid-mismatch'));
  const d = ds.find((x) => x.code === 'cluster/vrid-mismatch')!;
  const actions = (await srv.request('textDocument/codeAction', { textDocument: { uri: uri(k2) }, range: d.range, context: { diagnostics: [d] } })) as {
    title: string;
    edit: { changes: Record<string, { range: LspDiagnostic['range']; newText: string }[]> };
  }[];
  const fix = actions.find((a) => /51/.test(a.title));
  assert.ok(fix, `a fix to the majority VRID among ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(actions.some((a) => a.title === 'Disable cluster/vrid-mismatch for this line'));
  const fixed = applyTextEdits(text, fix.edit.changes[uri(k2)]);
  assert.match(fixed, /virtual_router_id 51/);
  srv.change(k2, 2, fixed);
  await srv.waitForDiagnostics(uri(k2), (x) => !x.some((y) => y.code === 'cluster/vrid-mismatch'));
});

test('symbols, folding and workspace symbols', async () => {
  const f = file('lb/haproxy.cfg');
  const syms = (await srv.request('textDocument/documentSymbol', { textDocument: { uri: uri(f) } })) as { name: string; children: { name: string }[] }[];
  assert.deepEqual(
    syms.map((s) => s.name),
    ['global', 'defaults', 'frontend www', 'backend web', 'backend api'],
  );
  assert.deepEqual(
    syms[3].children.map((c) => c.name),
    ['w1'],
  );
  const folds = (await srv.request('textDocument/foldingRange', { textDocument: { uri: uri(f) } })) as { startLine: number; endLine: number }[];
  assert.ok(folds.some((r) => r.startLine === 9 && r.endLine === 13));
  const ws = (await srv.request('workspace/symbol', { query: 'VI_' })) as { name: string }[];
  assert.equal(ws.filter((s) => s.name === 'VI_1').length, 3);
});

test('survives a 2 MB single-line document and binary junk, and still answers', async () => {
  const big = file('lb/big-haproxy.cfg');
  srv.open(big, 'haproxy', 'frontend ' + 'x'.repeat(2 * 1024 * 1024));
  const bigDs = await srv.waitForDiagnostics(uri(big), (ds) => ds.length > 0);
  assert.ok(bigDs.length <= 5, `a few clear findings, not a flood: ${bigDs.length}`);
  const junk = file('lb/junk-haproxy.cfg');
  let bytes = '';
  for (let i = 0; i < 50000; i++) bytes += String.fromCharCode((i * 7919) % 256);
  srv.open(junk, 'haproxy', bytes);
  const junkDs = await srv.waitForDiagnostics(uri(junk), (ds) => ds.length > 0);
  assert.equal(junkDs.length, 1);
  assert.match(junkDs[0].message, /binary/);
  await srv.request('textDocument/hover', { textDocument: { uri: uri(big) }, position: { line: 0, character: 100 } });
  await srv.request('textDocument/completion', { textDocument: { uri: uri(junk) }, position: { line: 0, character: 3 } });
  const f = file('lb/haproxy.cfg');
  const items = labels(await srv.request('textDocument/completion', { textDocument: { uri: uri(f) }, position: { line: 16, character: 4 } }));
  assert.ok(items.includes('balance'));
  assert.equal(srv.proc.exitCode, null, 'server still running');
});

test('a flood of findings reaches the editor capped at 500 with one line counting the rest (the model keeps them all)', async () => {
  const flood = file('lb/flood-haproxy.cfg');
  srv.open(flood, 'haproxy', 'frontend f\n' + Array.from({ length: 650 }, (_, i) => `    nosuchkeyword${i} x\n`).join(''));
  const ds = await srv.waitForDiagnostics(uri(flood), (d) => d.length > 0);
  assert.equal(ds.length, 501);
  assert.match(ds[ds.length - 1].message, /^\d+ more findings in this file are not shown \(limit 500\)/);
});

test('settings are honoured live: a rule turned off disappears from an unopened file', async () => {
  const other = uri(file('other/haproxy.cfg'));
  await srv.waitForDiagnostics(other, byCode('haproxy/unknown-keyword'));
  srv.conn.sendNotification('workspace/didChangeConfiguration', { settings: { haconf: { haproxy: { version: '2.6' }, rules: { 'haproxy/unknown-keyword': 'off' } } } });
  await srv.waitForDiagnostics(other, (ds) => !ds.some((d) => d.code === 'haproxy/unknown-keyword'));
  srv.conn.sendNotification('workspace/didChangeConfiguration', { settings: { haconf: { haproxy: { version: '2.6' }, rules: { 'haproxy/unknown-keyword': 'warning' } } } });
  const back = await srv.waitForDiagnostics(other, byCode('haproxy/unknown-keyword'));
  assert.equal(back.find((d) => d.code === 'haproxy/unknown-keyword')!.severity, 2);
});
