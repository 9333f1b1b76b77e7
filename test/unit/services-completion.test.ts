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
  assert.deepEqual(acl.labels, ['is_api']);
  const neg = hap(HAPROXY.replace('    use_backend api if is_api\n', '    use_backend api if !is|\n'));
  assert.deepEqual(neg.labels, ['!is_api']);
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
