import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { collectFiles } from '../../server/src/engine/collect';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';
import { tempTree } from '../helpers/tmp';

// Fixture builders: each cluster scenario is a folder of real config files, checked end to end.
interface Ka {
  prio: number;
  state?: string;
  vrid?: number;
  advert?: number;
  authPass?: string;
  authType?: string;
  vip?: string;
  weight?: number;
  nopreempt?: boolean;
  script?: string;
  src?: string;
  peers?: string[];
}

function ka(o: Ka): string {
  return `global_defs {
    enable_script_security
    script_user root
}
vrrp_script chk_haproxy {
    script "${o.script ?? '/usr/bin/killall -0 haproxy'}"
    interval 2
    weight ${o.weight ?? -20}
}
vrrp_instance VI_1 {
    state ${o.state ?? 'BACKUP'}
    interface eth0
    virtual_router_id ${o.vrid ?? 51}
    priority ${o.prio}
    advert_int ${o.advert ?? 1}
${o.nopreempt ? '    nopreempt\n' : ''}${o.src ? `    unicast_src_ip ${o.src}\n` : ''}${o.peers ? `    unicast_peer {\n${o.peers.map((p) => `        ${p}\n`).join('')}    }\n` : ''}    authentication {
        auth_type ${o.authType ?? 'PASS'}
        auth_pass ${o.authPass ?? 'secret12'}
    }
    virtual_ipaddress {
        ${o.vip ?? '10.0.0.10/24'}
    }
    track_script {
        chk_haproxy
    }
}
`;
}

const HAPROXY = (bind = '*:80', servers = ['10.0.0.21:30080', '10.0.0.22:30080', '10.0.0.23:30080']) => `global
    daemon
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind ${bind}
    default_backend be
backend be
${servers.map((s, i) => `    server w${i + 1} ${s} check`).join('\n')}
`;

const MANIFEST = (extra = '', addrs = ['10.0.0.11/24', '10.0.0.12/24', '10.0.0.13/24']) => `cluster: lab
defaults:
  files:
    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }
hosts:
${addrs.map((a, i) => `  - name: n${i + 1}\n    address: ${a}\n    files:\n      - { source: n${i + 1}/keepalived.conf, target: /etc/keepalived/keepalived.conf }\n`).join('')}${extra}`;

function run(files: Record<string, string>): { diags: Diagnostic[]; dir: string } {
  const dir = tempTree(files);
  const c = collectFiles([dir]);
  const ws = checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions(), new NodeSourceHost());
  return { diags: ws.diagnostics.filter((d) => d.code.startsWith('cluster/') || d.code.startsWith('manifest/')), dir };
}

function only(diags: Diagnostic[], code: string): Diagnostic[] {
  return diags.filter((d) => d.code === code);
}

const three = (a: Ka, b: Ka, c: Ka, extra: Record<string, string> = {}) => ({
  'n1/keepalived.conf': ka(a),
  'n2/keepalived.conf': ka(b),
  'n3/keepalived.conf': ka(c),
  ...extra,
});

test('a consistent cluster has no cluster findings', () => {
  const { diags } = run(three({ prio: 100 }, { prio: 90 }, { prio: 80 }, { 'haproxy.cfg': HAPROXY() }));
  assert.deepEqual(
    diags.map((d) => d.code),
    [],
  );
});

test('cluster/vrid-mismatch on the odd one out, fix = majority, related = peers', () => {
  const { diags, dir } = run(three({ prio: 100 }, { prio: 90, vrid: 62 }, { prio: 80 }));
  const d = only(diags, 'cluster/vrid-mismatch');
  assert.equal(d.length, 1);
  assert.equal(d[0].file, path.join(dir, 'n2/keepalived.conf'));
  assert.equal(d[0].range.start.line, 12);
  assert.match(d[0].message, /62 differs from its peers' 51/);
  assert.deepEqual(d[0].related?.map((r) => path.relative(dir, r.file)).sort(), ['n1/keepalived.conf', 'n3/keepalived.conf']);
  assert.equal(d[0].fixes?.[0].edits[0].newText, '51');
});

test('cluster/vip-mismatch (peers named by the manifest; inference needs a shared VIP)', () => {
  const files = three({ prio: 100 }, { prio: 90 }, { prio: 80, vip: '10.0.0.11/24' }, { 'haproxy.cfg': HAPROXY() });
  assert.equal(only(run(files).diags, 'cluster/vip-mismatch').length, 0, 'without a manifest n3 shares no VIP, so it is not a peer');
  const d = only(run({ ...files, 'haconf.yaml': MANIFEST() }).diags, 'cluster/vip-mismatch');
  assert.equal(d.length, 1);
  assert.match(d[0].file, /n3/);
  assert.equal(d[0].related?.length, 2);
});

test('cluster/advert-int-mismatch', () => {
  const d = only(run(three({ prio: 100, advert: 2 }, { prio: 90 }, { prio: 80 })).diags, 'cluster/advert-int-mismatch');
  assert.equal(d.length, 1);
  assert.match(d[0].file, /n1/);
});

test('cluster/auth-mismatch compares only the first 8 characters of auth_pass', () => {
  assert.equal(only(run(three({ prio: 100, authPass: 'abcdefghXX' }, { prio: 90, authPass: 'abcdefghYY' }, { prio: 80, authPass: 'abcdefgh' })).diags, 'cluster/auth-mismatch').length, 0);
  const d = only(run(three({ prio: 100, authPass: 'other123' }, { prio: 90 }, { prio: 80 })).diags, 'cluster/auth-mismatch');
  assert.equal(d.length, 1);
  assert.match(d[0].file, /n1/);
  const t = only(run(three({ prio: 100 }, { prio: 90, authType: 'AH' }, { prio: 80 })).diags, 'cluster/auth-mismatch');
  assert.equal(t.length, 1);
});

test('cluster/priority-conflict: equal priorities, two MASTERs, MASTER below BACKUP', () => {
  const eq = only(run(three({ prio: 100 }, { prio: 90 }, { prio: 90 })).diags, 'cluster/priority-conflict');
  assert.equal(eq.length, 1);
  assert.equal(eq[0].related?.length, 1);
  const masters = only(run(three({ prio: 100, state: 'MASTER' }, { prio: 90, state: 'MASTER' }, { prio: 80 })).diags, 'cluster/priority-conflict');
  assert.ok(masters.some((d) => /also declared state MASTER/.test(d.message)));
  const below = only(run(three({ prio: 80, state: 'MASTER' }, { prio: 90 }, { prio: 70 })).diags, 'cluster/priority-conflict');
  assert.ok(below.some((d) => /below BACKUP/.test(d.message)));
});

test('cluster/failover-blocked gives the numbers', () => {
  const d = only(run(three({ prio: 100, weight: -5 }, { prio: 90, weight: -5 }, { prio: 80, weight: -5 })).diags, 'cluster/failover-blocked');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /n1 falls to 95, n2 stays at 90/);
  assert.equal(d[0].related?.length, 2);
  assert.equal(only(run(three({ prio: 100, weight: -20 }, { prio: 90, weight: -20 }, { prio: 80, weight: -20 })).diags, 'cluster/failover-blocked').length, 0);
});

test('cluster/vip-outside-subnet needs manifest addresses with a prefix', () => {
  const files = three({ prio: 100, vip: '192.168.1.10' }, { prio: 90, vip: '192.168.1.10' }, { prio: 80, vip: '192.168.1.10' }, { 'haproxy.cfg': HAPROXY() });
  assert.equal(only(run(files).diags, 'cluster/vip-outside-subnet').length, 0, 'no manifest: cannot judge');
  const d = only(run({ ...files, 'haconf.yaml': MANIFEST() }).diags, 'cluster/vip-outside-subnet');
  assert.equal(d.length, 3);
  assert.match(d[0].related?.[0].file ?? '', /haconf\.yaml$/);
});

test('cluster/unicast-peer-mismatch: missing peer and own address', () => {
  const d = only(
    run(
      three(
        { prio: 100, src: '10.0.0.11', peers: ['10.0.0.12', '10.0.0.13'] },
        { prio: 90, src: '10.0.0.12', peers: ['10.0.0.11'] },
        { prio: 80, src: '10.0.0.13', peers: ['10.0.0.11', '10.0.0.12', '10.0.0.13'] },
      ),
    ).diags,
    'cluster/unicast-peer-mismatch',
  );
  assert.ok(d.some((x) => /n2/.test(x.file) && /missing 10\.0\.0\.13/.test(x.message) && (x.related?.length ?? 0) === 2));
  assert.ok(d.some((x) => /n3/.test(x.file) && /its own address/.test(x.message)));
  assert.ok(!d.some((x) => /n1/.test(x.file)));
});

test('cluster/track-port-unbound: the check probes the apiserver, not haproxy', () => {
  const script = '/usr/bin/curl -sfk https://localhost:6443/healthz';
  const d = only(run(three({ prio: 100, script }, { prio: 90, script }, { prio: 80, script }, { 'haproxy.cfg': HAPROXY('*:9443') })).diags, 'cluster/track-port-unbound');
  assert.equal(d.length, 3);
  assert.match(d[0].message, /6443.*apiserver/);
  assert.ok((d[0].related?.length ?? 0) >= 1);
  const ok = '/usr/bin/curl -sfk https://localhost:9443/healthz';
  assert.equal(only(run(three({ prio: 100, script: ok }, { prio: 90, script: ok }, { prio: 80, script: ok }, { 'haproxy.cfg': HAPROXY('*:9443') })).diags, 'cluster/track-port-unbound').length, 0);
});

test('cluster/track-port-unbound: seed 003 `netstat -nlp | grep 9443` is a port probe (issue 15)', () => {
  const seed = "/bin/bash -c 'if [[ $(netstat -nlp | grep 9443) ]]; then exit 0; else exit 1; fi'";
  const tree = (script: string, bind: string) => three({ prio: 100, script }, { prio: 90, script }, { prio: 80, script }, { 'haproxy.cfg': HAPROXY(bind) });
  assert.equal(only(run(tree(seed, '*:9443')).diags, 'cluster/track-port-unbound').length, 0);
  const wrong = only(run(tree(seed.replace('9443', '6443'), '*:9443')).diags, 'cluster/track-port-unbound');
  assert.equal(wrong.length, 3);
  assert.match(wrong[0].message, /probes port 6443/);
  // A process check probes no port: nothing to compare.
  assert.equal(only(run(tree('/usr/bin/killall -0 haproxy', '*:9443')).diags, 'cluster/track-port-unbound').length, 0);
});

const K8S = 'kubernetes:\n  workers: [10.0.0.21, 10.0.0.22, 10.0.0.23]\n  manifests: [k8s/*.yaml]\n';
const SERVICE = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: ingress }\nspec:\n  type: NodePort\n  ports:\n    - { port: 80, nodePort: 30081 }\n`;

test('cluster/nodeport-mismatch against Kubernetes Service manifests', () => {
  const base = three({ prio: 100 }, { prio: 90 }, { prio: 80 });
  const d = only(run({ ...base, 'haproxy.cfg': HAPROXY(), 'haconf.yaml': MANIFEST(K8S), 'k8s/svc.yaml': SERVICE }).diags, 'cluster/nodeport-mismatch');
  assert.equal(d.length, 3);
  assert.match(d[0].message, /30080.*30081/);
  assert.match(d[0].related?.[0].file ?? '', /svc\.yaml$/);
  const range = only(
    run({ ...base, 'haproxy.cfg': HAPROXY('*:80', ['10.0.0.21:8080', '10.0.0.22:30081', '10.0.0.23:30081']), 'haconf.yaml': MANIFEST(K8S), 'k8s/svc.yaml': SERVICE }).diags,
    'cluster/nodeport-mismatch',
  );
  assert.equal(range.length, 1);
  assert.match(range[0].message, /outside the NodePort range/);
});

test('cluster/backend-missing-worker', () => {
  const base = three({ prio: 100 }, { prio: 90 }, { prio: 80 });
  const d = only(
    run({ ...base, 'haproxy.cfg': HAPROXY('*:80', ['10.0.0.21:30081', '10.0.0.22:30081']), 'haconf.yaml': MANIFEST(K8S), 'k8s/svc.yaml': SERVICE }).diags,
    'cluster/backend-missing-worker',
  );
  assert.equal(d.length, 1);
  assert.match(d[0].message, /10\.0\.0\.23/);
  assert.match(d[0].related?.[0].file ?? '', /haconf\.yaml$/);
});

test('cluster/corosync-membership against the manifest hosts', () => {
  const corosync = (addrs: string[]) =>
    `totem {\n    version: 2\n    cluster_name: lab\n    transport: knet\n}\nnodelist {\n${addrs.map((a, i) => `    node {\n        ring0_addr: ${a}\n        nodeid: ${i + 1}\n        name: n${i + 1}\n    }\n`).join('')}}\nquorum {\n    provider: corosync_votequorum\n}\n`;
  const manifest = MANIFEST().replace('    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }', '    - { source: corosync.conf, target: /etc/corosync/corosync.conf }');
  const base = three({ prio: 100 }, { prio: 90 }, { prio: 80 });
  const d = only(run({ ...base, 'haconf.yaml': manifest, 'corosync.conf': corosync(['10.0.0.11', '10.0.0.12', '10.0.0.14']) }).diags, 'cluster/corosync-membership');
  assert.equal(d.length, 2);
  assert.ok(d.some((x) => /10\.0\.0\.14 is not one of/.test(x.message)));
  assert.ok(d.some((x) => /leaves out n3/.test(x.message) && (x.related?.length ?? 0) === 1));
  assert.equal(only(run({ ...base, 'haconf.yaml': manifest, 'corosync.conf': corosync(['10.0.0.11', '10.0.0.12', '10.0.0.13']) }).diags, 'cluster/corosync-membership').length, 0);
});

test('cluster/haproxy-divergent on the odd node', () => {
  const d = only(
    run(
      three(
        { prio: 100 },
        { prio: 90 },
        { prio: 80 },
        {
          'n1/haproxy.cfg': HAPROXY(),
          'n2/haproxy.cfg': HAPROXY() + '# only a comment differs\n',
          'n3/haproxy.cfg': HAPROXY('*:81'),
        },
      ),
    ).diags,
    'cluster/haproxy-divergent',
  );
  assert.equal(d.length, 1);
  assert.match(d[0].file, /n3/);
  assert.equal(d[0].related?.length, 1);
});

test('cluster/vrid-collision between two clusters on one segment', () => {
  const a = (p: number) => ka({ prio: p, vip: '10.0.0.10/24' });
  const b = (p: number) => ka({ prio: p, vip: '10.0.0.20/24' });
  const d = only(run({ 'a/n1/keepalived.conf': a(100), 'a/n2/keepalived.conf': a(90), 'b/n1/keepalived.conf': b(100), 'b/n2/keepalived.conf': b(90) }).diags, 'cluster/vrid-collision');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /00:00:5e:00:01:33/);
  assert.equal(d[0].related?.length, 1);
  const other = ka({ prio: 100, vip: '10.9.0.20/24' });
  assert.equal(
    only(
      run({ 'a/n1/keepalived.conf': a(100), 'a/n2/keepalived.conf': a(90), 'b/n1/keepalived.conf': other, 'b/n2/keepalived.conf': other.replace('priority 100', 'priority 90') }).diags,
      'cluster/vrid-collision',
    ).length,
    0,
  );
});

test('cluster/nonlocal-bind when haproxy binds the VIP', () => {
  const d = only(run(three({ prio: 100 }, { prio: 90 }, { prio: 80 }, { 'haproxy.cfg': HAPROXY('10.0.0.10:80') })).diags, 'cluster/nonlocal-bind');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'information');
});

test('2,000 unrelated keepalived files that all use VI_1 stay linear and unclustered', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 2000; i++) files[`site${i}/keepalived.conf`] = ka({ prio: 100, vip: `10.${(i >> 8) & 255}.${i & 255}.10/24`, vrid: (i % 250) + 1 });
  const t0 = process.hrtime.bigint();
  const { diags } = run(files);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(diags.length, 0);
  // Not a timing assertion: a generous bound only to catch quadratic grouping (2000² pairs would be far slower).
  assert.ok(ms < 30000, `${ms} ms`);
});
