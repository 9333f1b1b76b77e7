// `haconf init`: every kind produces a cluster `haconf check` and `haconf cluster` find clean, whose failover
// table moves the VIP off a node whose check fails; answers come from flags, Service files or questions;
// nothing is overwritten without --force and nothing is written when the numbers would not fail over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { main } from '../../server/src/cli/main';
import { buildScaffold, ScaffoldError, type ScaffoldInput } from '../../server/src/scaffold';
import { checkRendered } from '../../server/src/scaffold/verify';
import type { ClusterView } from '../../server/src/cluster/view';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-init-'));

const NODES = 'lb1=192.168.10.11,lb2=192.168.10.12,lb3=192.168.10.13';
const FLAGS: Record<string, string[]> = {
  nodeport: [
    '--kind',
    'nodeport',
    '--name',
    'ingress',
    '--vip',
    '192.168.10.10/24',
    '--nodes',
    NODES,
    '--nodeports',
    '80:30080,443:30443',
    '--workers',
    '192.168.10.21,192.168.10.22',
    '--interface',
    'ens18',
  ],
  apiserver: ['--kind', 'apiserver', '--name', 'api-lb', '--vip', '10.53.61.200/24', '--nodes', 'master1=10.53.61.159,master2=10.53.61.195,master3=10.53.61.43', '--frontend-port', '8443'],
  pacemaker: [
    '--kind',
    'pacemaker',
    '--name',
    'haproxy-lb',
    '--vip',
    '10.44.194.88/24',
    '--nodes',
    'haproxy1=10.44.194.86,haproxy2=10.44.194.87',
    '--nodeports',
    '30080',
    '--workers',
    '10.44.194.62,10.44.194.85',
  ],
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI with scripted answers instead of a terminal. */
async function initWithAnswers(argv: string[], answers: (string | undefined)[], cwd: string): Promise<Run & { asked: string[] }> {
  let stdout = '';
  let stderr = '';
  const asked: string[] = [];
  const code = await main(['init', ...argv], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd,
    isTTY: true,
    ask: async (q: string) => {
      asked.push(q);
      return answers.shift();
    },
  } as Parameters<typeof main>[1]);
  return { code, stdout, stderr, asked };
}

async function assertClean(dir: string): Promise<ClusterView> {
  const check = await runCli(['check', dir]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /0 errors, 0 warnings/);
  const cluster = await runCli(['cluster', dir, '--format', 'json']);
  assert.equal(cluster.code, 0, cluster.stderr);
  const views = (JSON.parse(cluster.stdout) as { clusters: ClusterView[] }).clusters;
  assert.equal(views.length, 1, cluster.stdout);
  assert.equal(views[0].errors, 0);
  assert.equal(views[0].warnings, 0);
  return views[0];
}

for (const kind of Object.keys(FLAGS)) {
  test(`init ${kind}: flags only, written files clean under haconf check and haconf cluster`, async () => {
    const dir = tmp();
    const r = await runCli(['init', dir, ...FLAGS[kind]]);
    assert.equal(r.code, 0, r.stderr);
    const view = await assertClean(dir);
    assert.equal(view.origin, 'manifest');
    if (kind === 'pacemaker') {
      assert.deepEqual(fs.readdirSync(dir).sort(), ['corosync.conf', 'haconf.yaml', 'haproxy.cfg', 'pcs-resources.sh']);
      assert.equal(view.failover.length, 0);
      assert.match(fs.readFileSync(path.join(dir, 'corosync.conf'), 'utf8'), /two_node: 1/);
      return;
    }
    // One virtual router; the first node holds the VIP, and loses it to a healthy node when its check fails.
    assert.equal(view.failover.length, 1);
    const f = view.failover[0];
    assert.equal(f.holder, view.nodes[0].name);
    for (const row of f.rows) {
      assert.equal(row.blocked, false, row.label);
      if (row.kind === 'script-fails' && row.label.endsWith(`on ${f.holder}`)) assert.notEqual(row.holder, f.holder, row.label);
    }
    // Same VRID and auth on every node, auth_pass at most 8 characters, unicast peers are the others.
    const confs = view.nodes.map((n) => fs.readFileSync(path.join(dir, n.name, 'keepalived.conf'), 'utf8'));
    const vrids = new Set(confs.map((c) => /virtual_router_id (\d+)/.exec(c)![1]));
    const passes = new Set(confs.map((c) => /auth_pass (\S+)/.exec(c)![1]));
    assert.equal(vrids.size, 1);
    assert.equal(passes.size, 1);
    assert.ok([...passes][0].length <= 8);
    assert.match(confs[0], /script "\/usr\/bin\/curl [^"]*http:\/\/127\.0\.0\.1:8404\/healthz"/);
    assert.match(confs[0], /enable_script_security/);
    assert.match(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), /bind 127\.0\.0\.1:8404\n {4}mode http\n {4}option httplog\n {4}monitor-uri \/healthz/);
    // keepalived.conf holds auth_pass: not readable by others.
    assert.equal(fs.statSync(path.join(dir, view.nodes[0].name, 'keepalived.conf')).mode & 0o777, 0o600);
  });
}

test('init nodeport: backends on the NodePorts of every worker, frontends on the listen ports', async () => {
  const dir = tmp();
  assert.equal((await runCli(['init', dir, ...FLAGS.nodeport])).code, 0);
  const cfg = fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8');
  assert.match(cfg, /frontend nodeport_30080\n {4}bind \*:80\n/);
  assert.match(cfg, /frontend nodeport_30443\n {4}bind \*:443\n/);
  for (const w of ['192.168.10.21', '192.168.10.22']) for (const p of [30080, 30443]) assert.ok(cfg.includes(`${w}:${p}\n`), `${w}:${p} missing`);
  assert.match(fs.readFileSync(path.join(dir, 'haconf.yaml'), 'utf8'), /nodePorts: \[30080, 30443\]/);
});

test('init apiserver: HAProxy on the chosen port in front of the apiservers on 6443, checked by /readyz', async () => {
  const dir = tmp();
  assert.equal((await runCli(['init', dir, ...FLAGS.apiserver])).code, 0);
  const cfg = fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8');
  assert.match(cfg, /bind \*:8443\n/);
  assert.match(cfg, /http-check send meth GET uri \/readyz/);
  for (const ip of ['10.53.61.159', '10.53.61.195', '10.53.61.43']) assert.ok(cfg.includes(`${ip}:6443`));
  const r = await runCli(['init', tmp(), ...FLAGS.apiserver.filter((x) => x !== '8443' && x !== '--frontend-port'), '--frontend-port', '6443']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot listen on 6443 on nodes where the apiserver itself listens/);
});

test('init reads the NodePorts from Service files: inside the folder they are listed as manifests, outside as numbers', async () => {
  const svc = `apiVersion: v1
kind: Service
metadata: { name: ingress-nginx-controller }
spec:
  type: NodePort
  ports:
    - { name: http, port: 80, nodePort: 30080 }
    - { name: https, port: 443, nodePort: 30443 }
`;
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(path.join(dir, 'k8s', 'ingress.yaml'), svc);
  const args = FLAGS.nodeport.filter((x, i, all) => x !== '--nodeports' && all[i - 1] !== '--nodeports');
  const inside = await runCli(['init', dir, ...args, '--services', 'k8s/*.yaml'], dir);
  assert.equal(inside.code, 0, inside.stderr);
  const manifest = fs.readFileSync(path.join(dir, 'haconf.yaml'), 'utf8');
  assert.match(manifest, /manifests: \["k8s\/ingress\.yaml"\]/);
  assert.doesNotMatch(manifest, /nodePorts:/);
  assert.match(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), /bind \*:30443\n/);
  await assertClean(dir);

  const other = tmp();
  const outside = await runCli(['init', other, ...args, '--services', path.join(dir, 'k8s', 'ingress.yaml')]);
  assert.equal(outside.code, 0, outside.stderr);
  assert.match(fs.readFileSync(path.join(other, 'haconf.yaml'), 'utf8'), /# NodePorts read from .*ingress\.yaml.*\n {2}nodePorts: \[30080, 30443\]/);
  await assertClean(other);

  fs.writeFileSync(path.join(dir, 'k8s', 'bad.yaml'), 'kind: Service\nspec: [\n');
  const bad = await runCli(['init', tmp(), ...args, '--services', path.join(dir, 'k8s', 'bad.yaml')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.yaml line \d+: .*YAML/);
});

test('init refuses to overwrite existing files unless --force, and writes nothing when it refuses', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), 'mine\n');
  const r = await runCli(['init', dir, ...FLAGS.nodeport]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /haproxy\.cfg already exists .*--force/);
  assert.deepEqual(fs.readdirSync(dir), ['haproxy.cfg']);
  assert.equal(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), 'mine\n');
  const forced = await runCli(['init', dir, ...FLAGS.nodeport, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  await assertClean(dir);
});

test('init refuses a check weight that would not fail over, and writes nothing', async () => {
  const dir = path.join(tmp(), 'new');
  // Priorities 100/99/98: weight 1 leaves the failed holder (100) level with the best backup (99 + 1).
  const r = await runCli(['init', dir, ...FLAGS.nodeport, '--weight', '1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /would not fail over: when chk_haproxy fails on lb1 the VIP stays there/);
  assert.equal(fs.existsSync(dir), false);
  // Weight 2 moves the VIP once (lb2 at 101), but failed lb1 (100) ties healthy lb3 (98 + 2): should lb2 fail next, the VIP may go back to lb1.
  const two = await runCli(['init', dir, ...FLAGS.nodeport, '--weight', '2']);
  assert.equal(two.code, 1);
  assert.match(two.stderr, /failed on lb1, failed lb1 \(100\) is not below healthy lb3 \(100\).*the weight must exceed 2/);
  assert.equal((await runCli(['init', dir, ...FLAGS.nodeport, '--weight', '3'])).code, 0);
});

test("init explains wrong answers: VIP outside the nodes' subnet, duplicate address, missing flags without a terminal", async () => {
  const outside = await runCli(['init', tmp(), ...FLAGS.nodeport.map((x) => (x === '192.168.10.10/24' ? '192.168.20.10/24' : x))]);
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /lb1 192\.168\.10\.11 is outside the VIP's subnet 192\.168\.20\.10\/24/);
  const dup = await runCli(['init', tmp(), ...FLAGS.nodeport.map((x) => (x === NODES ? 'lb1=192.168.10.11,lb2=192.168.10.11' : x))]);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /192\.168\.10\.11 \(lb2\) is used twice/);
  const partial = await runCli(['init', tmp(), '--kind', 'nodeport', '--vip', '10.0.0.10/24']);
  assert.equal(partial.code, 2);
  assert.match(partial.stderr, /needs --nodes, --nodeports or --services, --workers \(or run it in a terminal/);
  const yes = await runCli(['init', tmp(), '--kind', 'apiserver', '--yes']);
  assert.equal(yes.code, 2);
  assert.match(yes.stderr, /needs --vip, --nodes/);
});

test('init in a terminal asks for what the flags left out, shows the failover table, and writes on yes', async () => {
  const dir = path.join(tmp(), 'edge');
  const r = await initWithAnswers([dir], ['1', '', '172.16.0.10/24', 'edge1=172.16.0.11,edge2=172.16.0.12', '30080', '172.16.0.21', 'ens3', '', 'y'], process.cwd());
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.asked.length, 9, r.asked.join('\n'));
  assert.match(r.asked[1], /Cluster name \[edge\]/);
  assert.match(r.stdout, /chk_haproxy fails on edge1 +100 +109 +edge2/);
  const view = await assertClean(dir);
  assert.equal(view.name, 'edge');
  assert.match(fs.readFileSync(path.join(dir, 'edge1', 'keepalived.conf'), 'utf8'), /interface ens3\n/);
});

test('init in a terminal: end of input or "n" at the last question writes nothing', async () => {
  const dir = path.join(tmp(), 'x');
  const eof = await initWithAnswers([dir, '--kind', 'apiserver'], ['', undefined], process.cwd());
  assert.equal(eof.code, 1);
  assert.match(eof.stderr, /init stopped; nothing was written/);
  // Only what is missing is asked: name, nodes, apiservers, port, interface, version; then the confirmation.
  const no = await initWithAnswers([dir, '--kind', 'apiserver', '--vip', '10.53.61.200/24'], ['', 'm1=10.53.61.11,m2=10.53.61.12', '', '', '', '', 'n'], process.cwd());
  assert.equal(no.asked.length, 7, no.asked.join('\n'));
  assert.equal(no.code, 1, no.stderr);
  assert.match(no.stderr, /nothing was written/);
  assert.equal(fs.existsSync(dir), false);
});

test('the in-memory check before writing catches files that disagree (it is not a formality)', () => {
  const input: ScaffoldInput = {
    kind: 'nodeport',
    cluster: 'c',
    vip: '10.0.0.10',
    prefix: 24,
    nodes: [
      { name: 'a', address: '10.0.0.11' },
      { name: 'b', address: '10.0.0.12' },
    ],
    haproxyVersion: '2.6',
    ports: ['30080'],
    backends: ['10.0.0.21'],
  };
  const root = '/nonexistent/haconf-init';
  const r = buildScaffold(root, input, (n) => n - 1);
  assert.equal(r.plan.vrid, 255);
  assert.deepEqual(checkRendered(root, r.files, '2.6'), []);
  const broken = new Map(r.files);
  broken.set('b/keepalived.conf', broken.get('b/keepalived.conf')!.replace('virtual_router_id 255', 'virtual_router_id 254'));
  assert.ok(checkRendered(root, broken, '2.6').some((d) => d.code === 'cluster/vrid-mismatch'));
  assert.throws(() => buildScaffold(root, { ...input, prefix: 33 }), ScaffoldError);
  assert.throws(() => buildScaffold(root, { ...input, ports: ['8404:30080'] }), /taken by HAProxy's own health/);
  assert.throws(() => buildScaffold(root, { ...input, ports: ['80'] }), /outside Kubernetes' default NodePort range/);
});

test('init in a real terminal (a pty from script(1)): answers pasted ahead are all used; Ctrl-D at a question writes nothing', async () => {
  const { spawnSync } = await import('node:child_process');
  const root = path.resolve(__dirname, '../..');
  const tsx = path.join(root, 'node_modules/tsx/dist/loader.mjs');
  const cli = (dir: string) => `'${process.execPath}' --import '${tsx}' '${path.join(root, 'server/src/cli/main.ts')}' init '${dir}'; echo "rc=$?"`;
  const inTerminal = (dir: string, input: string) => {
    // The input arrives all at once, before the first prompt; the trailing sleep keeps the pty open until the CLI is done.
    const r = spawnSync('sh', ['-c', `(printf '${input}'; sleep 6) | script -qec "${cli(dir).replace(/["$]/g, '\\$&')}" /dev/null`], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.error, undefined, `script(1) from util-linux is needed: ${r.error?.message}`);
    return r.stdout;
  };
  const dir = path.join(tmp(), 'pasted');
  const out = inTerminal(dir, '2\\n\\n10.5.0.10/24\\nm1=10.5.0.11,m2=10.5.0.12\\n\\n8443\\nens5\\n\\ny\\n');
  assert.match(out, /rc=0/, out);
  assert.match(out, /HAProxy: \*:8443 -> 10\.5\.0\.11:6443, 10\.5\.0\.12:6443/);
  assert.match(fs.readFileSync(path.join(dir, 'm2', 'keepalived.conf'), 'utf8'), /interface ens5\n/);
  const stopped = path.join(tmp(), 'stopped');
  const eof = inTerminal(stopped, '1\\n\\004');
  assert.match(eof, /init stopped; nothing was written/);
  assert.match(eof, /rc=1/);
  assert.equal(fs.existsSync(stopped), false);
});

test('init: terminal control characters in answers are refused and never echoed raw', async () => {
  const evil = 'lb\u001b]0;owned\u0007';
  const r = await runCli(['init', tmp(), ...FLAGS.nodeport.map((x) => (x === NODES ? `${evil}=192.168.10.11,lb2=192.168.10.12` : x))]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /node name .* may hold only letters, digits/);
  assert.doesNotMatch(r.stderr, /\u001b|\u0007/);
  const svcDir = tmp();
  const fifo = path.join(svcDir, 'svc.yaml');
  const { spawnSync } = await import('node:child_process');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // A FIFO as a Service file would block a plain read forever: refused at once.
  const args = FLAGS.nodeport.filter((x, i, all) => x !== '--nodeports' && all[i - 1] !== '--nodeports');
  const blocked = await runCli(['init', tmp(), ...args, '--services', fifo]);
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, /cannot read the Service file/);
});
