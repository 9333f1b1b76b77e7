import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion, completionDoc } from '../../server/src/services';
import { workspace, cursor, keepalivedPeer, HAPROXY } from './services-helpers';

/** Completion labels with the cursor at `|` in `text` (written over `rel` as an open buffer). */
function labelsAt(files: Record<string, string>, rel: string, text: string, lang?: 'haproxy' | 'keepalived' | 'corosync'): { labels: string[]; items: ReturnType<typeof completion> } {
  const c = cursor(text);
  const w = workspace({ ...files, [rel]: c.text });
  try {
    const f = w.file(rel);
    w.model.setBuffer(f, c.text, lang);
    const items = completion(w.model, f, c.pos);
    return { labels: items.map((i) => i.label), items };
  } finally {
    w.cleanup();
  }
}

const hap = (marked: string) => labelsAt({}, 'haproxy.cfg', marked);

test('haproxy: keywords allowed in the section, for the target version', () => {
  const be = hap(HAPROXY.replace('    balance roundrobin\n', '    bal|\n'));
  assert.ok(be.labels.includes('balance') && be.labels.includes('server') && be.labels.includes('timeout connect'));
  assert.ok(!be.labels.includes('bind'), 'bind is a frontend keyword');
  assert.ok(!be.labels.includes('daemon'), 'daemon is a global keyword');
  const item = be.items.find((i) => i.label === 'balance')!;
  assert.deepEqual(item.range, { start: { line: 23, character: 4 }, end: { line: 23, character: 7 } });
  const gl = hap('global\n    |\n');
  assert.ok(gl.labels.includes('daemon') && !gl.labels.includes('server'));
});

test('haproxy: nothing on a comment line', () => {
  assert.deepEqual(hap(HAPROXY.replace('    balance roundrobin\n', '    # bal|\n')).labels, []);
  assert.deepEqual(hap(HAPROXY.replace('    balance roundrobin\n', '    balance roundrobin # rr |\n')).labels, []);
});

test('haproxy: references after use_backend / default_backend and ACLs after if', () => {
  assert.deepEqual(hap(HAPROXY.replace('    default_backend web\n', '    default_backend |\n')).labels.sort(), ['api', 'web']);
  const acl = hap(HAPROXY.replace('    use_backend api if is_api\n', '    use_backend api if |\n'));
  assert.equal(acl.labels[0], 'is_api', "the section's own ACLs first");
  assert.ok(acl.labels.includes('TRUE') && acl.labels.includes('LOCALHOST') && acl.labels.includes('HTTP'), 'predefined ACLs too');
  assert.equal(acl.labels.includes('is_static'), false);
  const neg = hap(HAPROXY.replace('    use_backend api if is_api\n', '    use_backend api if !is|\n'));
  assert.ok(neg.labels.includes('!is_api') && neg.labels.includes('!TRUE'), neg.labels.join(', '));
  const userlist = hap(HAPROXY.replace('{ http_auth(ops) }', '{ http_auth(|) }'));
  assert.deepEqual(userlist.labels, ['ops']);
});

test('haproxy: bind and server options, enum values and time units', () => {
  const bind = hap(HAPROXY.replace('    bind :80\n', '    bind :80 |\n')).labels;
  assert.ok(bind.includes('ssl') && bind.includes('crt') && !bind.includes('check'));
  const server = hap(HAPROXY.replace('server a1 10.0.1.3:8080 check', 'server a1 10.0.1.3:8080 |')).labels;
  assert.ok(server.includes('check') && server.includes('inter') && !server.includes('crt-list'));
  assert.deepEqual(hap(HAPROXY.replace('    server a1 10.0.1.3:8080 check\n', '    server a1 10.0.1.3:8080 check\n    balance |\n')).labels.slice(0, 3), ['roundrobin', 'static-rr', 'leastconn']);
  // The default target is 3.0: `mode log` (2.9+) is offered, `mode health` (gone in 2.3) and `mode spop` (3.1+) are not.
  assert.deepEqual(hap(HAPROXY.replace('    mode http\n', '    mode |\n')).labels, ['tcp', 'http', 'log']);
  assert.deepEqual(hap(HAPROXY.replace('    timeout connect 5s\n', '    timeout connect 5|\n')).labels, ['5us', '5ms', '5s', '5m', '5h', '5d']);
  assert.ok(hap(HAPROXY.replace('    timeout connect 5s\n', '    timeout |\n')).labels.includes('connect'));
});

test('haproxy: resolve gives documentation with versions and the manual link', () => {
  const md = completionDoc({ language: 'haproxy', scope: 'backend', name: 'balance' }, '2.6')!;
  assert.match(md, /roundrobin/);
  assert.match(md, /\(https:\/\/docs\.haproxy\.org\/[^)]+balance\)/);
  const removed = completionDoc({ language: 'haproxy', scope: 'backend', name: 'reqadd' }, '2.6');
  assert.match(removed ?? '', /removed in 2\.1/);
});

test('haproxy: fetch, converter and ACL keyword items resolve to their sample descriptions', () => {
  const acl = inFrontend('    acl a |');
  const pathBeg = acl.find((i) => i.label === 'path_beg')!;
  assert.deepEqual(pathBeg.docRef, { language: 'haproxy', scope: '', name: 'path_beg', what: 'acl' });
  assert.match(completionDoc(pathBeg.docRef!, '3.0') ?? '', /beg/);
  const hdr = acl.find((i) => i.label === 'req.hdr')!;
  assert.ok((completionDoc(hdr.docRef!, '3.0') ?? '').length > 40, 'req.hdr has a description');
  const lower = inFrontend('    acl a req.hdr(host),|').find((i) => i.label === 'lower')!;
  assert.equal(lower.docRef?.what, 'converter');
  assert.match(completionDoc(lower.docRef!, '3.0') ?? '', /lower/i);
});

test('keepalived: vrrp_script names in track_script, keywords and values per block', () => {
  const base = keepalivedPeer(51, 'MASTER', 150);
  const ka = (marked: string) => labelsAt({}, 'keepalived/keepalived.conf', marked, 'keepalived').labels;
  assert.deepEqual(ka(base.replace('        chk_haproxy\n', '        chk_haproxy\n        |\n')), ['chk_haproxy']);
  const inInstance = ka(base.replace('    advert_int 1\n', '    adv|\n'));
  assert.ok(inInstance.includes('advert_int') && inInstance.includes('virtual_router_id') && inInstance.includes('track_script'));
  assert.ok(!inInstance.includes('router_id'), 'router_id belongs to global_defs');
  assert.deepEqual(ka(base.replace('    state MASTER\n', '    state |\n')), ['MASTER', 'BACKUP']);
  assert.deepEqual(ka(base.replace('    state MASTER\n', '    ! state |\n')), []);
});

test('corosync: keys and sections per section, values after the colon', () => {
  const conf = 'totem {\n    version: 2\n    |\n}\n\nquorum {\n    provider: corosync_votequorum\n}\n';
  const c = labelsAt({}, 'corosync/corosync.conf', conf, 'corosync');
  assert.ok(c.labels.includes('cluster_name') && c.labels.includes('transport') && c.labels.includes('interface'));
  assert.ok(!c.labels.includes('two_node'), 'two_node belongs to quorum');
  const q = labelsAt({}, 'corosync/corosync.conf', conf.replace('    |\n', '').replace('provider: corosync_votequorum\n', 'provider: corosync_votequorum\n    |\n'), 'corosync').labels;
  assert.ok(q.includes('two_node') && !q.includes('cluster_name'));
  const v = labelsAt({}, 'corosync/corosync.conf', conf.replace('    |\n', '    transport: |\n'), 'corosync').labels;
  assert.ok(v.includes('knet') && v.includes('udpu'));
  assert.deepEqual(labelsAt({}, 'corosync/corosync.conf', conf.replace('    |\n', '    # tra|\n'), 'corosync').labels, []);
});

test('no item only repeats the word already typed (Enter would accept it instead of a newline)', () => {
  const sec = hap('defaults|\n');
  assert.ok(!sec.labels.includes('defaults'), sec.labels.join(', '));
  assert.ok(sec.labels.includes('global'), 'other sections are still offered');
  const opt = hap('defaults\n    option redispatch|\n');
  assert.ok(!opt.labels.includes('redispatch'), opt.labels.join(', '));
  const part = hap('defaults\n    option redisp|\n');
  assert.ok(part.labels.includes('redispatch'), 'offered while the word is incomplete');
  const ka = labelsAt({}, 'keepalived/keepalived.conf', 'vrrp_instance VI_1 {\n    priority|\n}\n', 'keepalived');
  assert.ok(!ka.labels.includes('priority'), ka.labels.join(', '));
  assert.ok(ka.labels.includes('preempt_delay'), 'other keywords of the block are still offered');
});

test('a setting the section already holds (one value only) is not offered again', () => {
  const be = hap('backend b\n    balance roundrobin\n    timeout connect 5s\n    |\n    server s1 10.0.0.1:80\n');
  assert.ok(!be.labels.includes('balance'), 'balance is set');
  assert.ok(!be.labels.includes('timeout connect'), 'timeout connect is set');
  assert.ok(be.labels.includes('timeout server') && be.labels.includes('server') && be.labels.includes('http-request'), 'repeatable and unset keywords stay');
  const t = hap('backend b\n    timeout connect 5s\n    timeout |\n');
  assert.ok(!t.labels.includes('connect') && t.labels.includes('server'), t.labels.join(', '));
  const other = hap('backend a\n    balance roundrobin\n\nbackend b\n    |\n');
  assert.ok(other.labels.includes('balance'), 'set in another section only');
});

/** Completion in a `frontend f` section (and its backend `b`) of a small file, at target `version`. */
function inFrontend(line: string, version = '2.6'): ReturnType<typeof completion> {
  const c = cursor(
    `global\n    log stdout format raw local0\n\nfrontend f\n    bind 10.0.0.5:443\n    acl is_api path_beg /api\n${line}\n    default_backend b\n\nbackend b\n    server s1 10.0.1.1:8080 check\n\npeers mesh\n    peer lb1 10.0.9.1:10000\n`,
  );
  const w = workspace({ 'haproxy.cfg': c.text });
  try {
    w.model.setOptions({ ...w.model.checkOptions, haproxyVersion: version });
    const f = w.file('haproxy.cfg');
    w.model.setBuffer(f, c.text);
    return completion(w.model, f, c.pos);
  } finally {
    w.cleanup();
  }
}
const labelsIn = (line: string, version?: string) => inFrontend(line, version).map((i) => i.label);

test('haproxy: the actions of each rule set, with argument placeholders, for the target version', () => {
  const http = inFrontend('    http-request |');
  const setHeader = http.find((i) => i.label === 'set-header')!;
  assert.equal(setHeader.insertText, 'set-header ${1:name} ${2:fmt}');
  assert.equal(setHeader.snippet, true);
  assert.equal(http.find((i) => i.label === 'set-var')!.insertText, 'set-var(${1:var-name}) ${2:expr}');
  assert.ok(http.some((i) => i.label === 'deny' && i.kind === 'action'));
  assert.ok(!http.some((i) => i.label === 'accept'), 'accept is a tcp-request action');
  const conn = labelsIn('    tcp-request connection |');
  assert.ok(conn.includes('accept') && conn.includes('expect-proxy') && !conn.includes('set-header'), conn.join(', '));
  assert.ok(labelsIn('    tcp-request content |').includes('use-service'));
  assert.ok(labelsIn('    tcp-response content |').includes('close') || labelsIn('    tcp-response content |').includes('accept'));
  assert.ok(labelsIn('    http-after-response |').includes('set-header'));
  assert.ok(labelsIn('    http-response |').includes('set-status'));
  // Not offered at a version that does not have it: sc-add-gpc and do-log are newer than 2.6.
  assert.ok(!labelsIn('    http-request |', '2.6').includes('sc-add-gpc'), 'sc-add-gpc is not in 2.6');
  assert.ok(labelsIn('    http-request |', '3.0').includes('sc-add-gpc'), 'sc-add-gpc is in 3.0');
  assert.ok(!labelsIn('    http-request |', '3.0').includes('do-log') && labelsIn('    http-request |', '3.2').includes('do-log'));
  // Older branches from their own manuals: normalize-uri came in 2.4, return in 2.2; 1.8 lists set-header.
  assert.ok(!labelsIn('    http-request |', '2.3').includes('normalize-uri') && labelsIn('    http-request |', '2.4').includes('normalize-uri'));
  assert.ok(!labelsIn('    http-request |', '2.1').includes('return') && labelsIn('    http-request |', '2.2').includes('return'));
  assert.ok(labelsIn('    http-request |', '1.8').includes('set-header'));
  assert.ok(labelsIn('    tcp-request connection |', '1.8').includes('expect-proxy'));
});

test('haproxy: the arguments of an action: header names, values, fetches, optional groups, the condition', () => {
  const names = labelsIn('    http-request set-header |');
  assert.ok(names.includes('X-Forwarded-Proto') && names.includes('Strict-Transport-Security'));
  assert.ok(!names.includes('if'), 'the header name is required');
  const fmt = inFrontend('    http-request set-header X-Client-IP |');
  const src = fmt.find((i) => i.label === '%[src]')!;
  assert.equal(src.insertText, '%[src]');
  assert.deepEqual(labelsIn('    http-request strict-mode |'), ['on', 'off']);
  // The arguments as the target's manual documents them: `client` came to set-timeout in 2.9.
  assert.deepEqual(labelsIn('    http-request set-timeout |', '2.6'), ['server', 'tunnel']);
  assert.deepEqual(labelsIn('    http-request set-timeout |', '3.0'), ['client', 'server', 'tunnel']);
  assert.ok(labelsIn('    http-request set-log-level |').includes('silent'));
  assert.deepEqual(labelsIn('    http-request deny |').slice(0, 2), ['status', 'deny_status']);
  assert.ok(labelsIn('    http-request deny status |').includes('403'));
  const track = labelsIn('    tcp-request content track-sc0 src |');
  assert.ok(track.includes('table') && track.includes('if') && track.includes('unless'), track.join(', '));
  assert.ok(labelsIn('    http-request set-src |').includes('hdr_ip') || labelsIn('    http-request set-src |').includes('req.hdr_ip'));
});

test('haproxy: fetches and converters after acl NAME, in anonymous ACLs and inside %[…]', () => {
  const acl = inFrontend('    acl a |');
  assert.ok(
    acl.some((i) => i.label === 'path_beg' && i.kind === 'fetch'),
    'ACL keywords',
  );
  assert.ok(acl.some((i) => i.label === 'req.hdr' && i.kind === 'fetch'));
  assert.ok(!acl.some((i) => i.label === 'lower'), 'converters only after a comma');
  const conv = inFrontend('    acl a req.hdr(host),|');
  assert.ok(conv.some((i) => i.label === 'lower' && i.kind === 'converter'));
  assert.deepEqual(conv[0].range.start.character, '    acl a req.hdr(host),'.length);
  assert.ok(labelsIn('    acl a path -m |').includes('beg'));
  const fmt = inFrontend('    http-request set-header X %[req.hdr(host),|');
  assert.ok(fmt.some((i) => i.label === 'lower'));
  const fetch = inFrontend('    http-request set-header X %[sr|');
  assert.ok(fetch.some((i) => i.label === 'src'));
  assert.equal(fetch[0].range.start.character, '    http-request set-header X %['.length);
  const anon = labelsIn('    http-request deny if { |');
  assert.ok(anon.includes('src') && anon.includes('path_beg'));
  // Required arguments become placeholders.
  assert.equal(inFrontend('    acl a |').find((i) => i.label === 'table_http_req_rate')?.insertText, undefined);
  assert.equal(inFrontend('    acl a src,|').find((i) => i.label === 'table_http_req_rate')?.insertText, 'table_http_req_rate(${1:table})');
  // Versions: a fetch added in 3.0 is not offered for 2.6.
  const newer = 'quic_enabled';
  assert.ok(!labelsIn('    acl a |', '2.6').includes(newer) && labelsIn('    acl a |', '3.0').includes(newer), newer);
  // A target older than the fetch data (2.6 on) is judged as 2.6: nothing newer is offered.
  assert.ok(!labelsIn('    acl a |', '2.4').includes(newer), `${newer} at 2.4`);
  assert.ok(labelsIn('    acl a |', '2.4').includes('path_beg'));
});

test('haproxy: conditions offer the section ACLs, then predefined ACLs of the version', () => {
  const cond = labelsIn('    http-request deny if |');
  assert.equal(cond[0], 'is_api');
  assert.ok(cond.includes('TRUE') && cond.includes('LOCALHOST') && cond.includes('METH_POST'));
  assert.ok(!labelsIn('    http-request deny if |', '2.6').includes('HTTP_3.0') && labelsIn('    http-request deny if |', '3.0').includes('HTTP_3.0'));
  assert.ok(labelsIn('    use_backend b |').includes('if'));
});

test('haproxy: values: log, times, counts, sizes, addresses used in the file', () => {
  assert.ok(labelsIn('    log |').includes('global'));
  assert.ok(labelsIn('    log 127.0.0.1:514 |').includes('local0'));
  assert.ok(labelsIn('    log 127.0.0.1:514 local0 |').includes('notice'));
  assert.ok(labelsIn('    log 127.0.0.1:514 format |').includes('rfc5424'));
  assert.ok(labelsIn('    timeout client |').includes('30s'));
  assert.ok(labelsIn('    bind |').includes('10.0.0.5:443'));
  const srv = (line: string) => labelsIn(`    default_backend b\nbackend c\n${line}`);
  assert.ok(srv('    server s2 |').includes('10.0.1.1:8080') && srv('    server s2 |').includes('10.0.9.1:10000'), 'servers and peers');
  assert.ok(srv('    server s2 10.0.1.2:80 inter |').includes('2s') || srv('    server s2 10.0.1.2:80 inter |').includes('5s'));
  assert.deepEqual(srv('    server s2 10.0.1.2:80 fall |'), ['1', '2', '3', '5']);
  assert.deepEqual(srv('    server s2 10.0.1.2:80 inter 3|'), ['3us', '3ms', '3s', '3m', '3h', '3d']);
  const opts = inFrontend('    default_backend b\nbackend c\n    server s2 10.0.1.2:80 |');
  assert.equal(opts.find((i) => i.label === 'inter')!.insertText, 'inter ${1:time}');
  assert.equal(opts.find((i) => i.label === 'check')!.insertText, 'check');
  assert.ok(labelsIn('    default_backend b\nbackend c\n    balance |').includes('leastconn'));
  // Enum values carry version ranges: log-hash and sticky arrived in 2.9.
  assert.ok(!labelsIn('    default_backend b\nbackend c\n    balance |', '2.6').includes('log-hash'), 'no log-hash at 2.6');
  assert.ok(labelsIn('    default_backend b\nbackend c\n    balance |', '3.0').includes('log-hash'), 'log-hash at 3.0');
});

test('haproxy: keywords insert their argument placeholders', () => {
  const kws = inFrontend('    |');
  assert.equal(kws.find((i) => i.label === 'timeout client')!.insertText, 'timeout client ${1:time}');
  assert.equal(kws.find((i) => i.label === 'mode')!.insertText, 'mode ${1|tcp,http|}');
  assert.equal(kws.find((i) => i.label === 'bind')!.insertText, 'bind ${1:address}:${2:port_range}');
  assert.equal(kws.find((i) => i.label === 'option httplog')!.insertText, 'option httplog');
});

test('keepalived: arguments as placeholders, addresses the configuration names, values', () => {
  const base = keepalivedPeer(51, 'MASTER', 150).replace('    advert_int 1\n', '    advert_int 1\n    unicast_src_ip 10.0.0.11\n    unicast_peer {\n        10.0.0.12\n    }\n');
  const run = (marked: string) => labelsAt({}, 'keepalived/keepalived.conf', marked, 'keepalived');
  const kws = run(base.replace('    advert_int 1\n', '    |\n'));
  assert.equal(kws.items.find((i) => i.label === 'state')!.insertText, 'state ${1|MASTER,BACKUP|}');
  assert.equal(kws.items.find((i) => i.label === 'priority')!.insertText, 'priority ${1:int}');
  const peers = run(base.replace('        10.0.0.12\n', '        10.0.0.12\n        |\n')).labels;
  assert.ok(peers.includes('10.0.0.11') && peers.includes('10.0.0.100/24'), peers.join(', '));
  assert.ok(run(base.replace('    unicast_src_ip 10.0.0.11\n', '    unicast_src_ip |\n')).labels.includes('10.0.0.12'));
  const auth = run(base.replace('    advert_int 1\n', '    advert_int 1\n    authentication {\n        auth_type |\n    }\n')).labels;
  assert.deepEqual(auth, ['PASS', 'AH']);
});

test('corosync: link numbers, addresses used in the file, transports', () => {
  const conf =
    'totem {\n    version: 2\n    transport: knet\n    interface {\n        linknumber: |\n    }\n}\nnodelist {\n    node {\n        ring0_addr: 10.0.0.11\n        nodeid: 1\n    }\n    node {\n        ring0_addr: \n    }\n}\n';
  const c = (t: string) => labelsAt({}, 'corosync/corosync.conf', t, 'corosync').labels;
  assert.deepEqual(c(conf), ['0', '1', '2', '3', '4', '5', '6', '7']);
  assert.deepEqual(c(conf.replace('linknumber: |', 'linknumber: 0').replace('        ring0_addr: \n', '        ring0_addr: |\n')), ['10.0.0.11']);
  assert.deepEqual(c(conf.replace('linknumber: |', 'linknumber: 0').replace('transport: knet', 'transport: |')), ['knet', 'udp', 'udpu']);
});
