// `haconf deploy` of an Ansible-role workspace (Jinja2 templates + INI inventory + group_vars/host_vars,
// test/deploy/roleWorkspace.ts) to three network-namespace hosts (test/lab: sshd, haproxy, keepalived with
// unicast VRRP peers, a VIP), through the system OpenSSH client. Each host must run its own rendering:
// sha256 equal to haconf's renderer for that host and to the real ansible-playbook's; the VIP must answer
// during and after the rolling deploy; a host the template cannot be rendered for stops the deploy before
// any host is contacted. Needs root, the lab's daemons and ansible-core (test/setup.sh); fails, never skips,
// without them. Run: node --import tsx --test test/deploy/templates.test.ts
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPrerequisites, planLab, startLab, waitFor, type Lab, type LabPlan } from '../lab/lab';
import { startVipClient } from '../lab/vipClient';
import { LAB_HAPROXY_TARGET, LAB_KEEPALIVED_TARGET } from '../lab/configs';
import { tearDown } from './teardown';
import { labDebris, labSh } from './labState';
import { deploy } from '../../server/src/deploy/deploy';
import { SshTransport } from '../../server/src/deploy/ssh';
import type { DeployEvent } from '../../server/src/deploy/events';
import type { Transport } from '../../server/src/deploy/transport';
import { runDeploy } from '../../server/src/cli/deploy';
import { loadInventory } from '../../server/src/templates/inventory';
import { hostContext } from '../../server/src/templates/context';
import { renderTemplate } from '../../server/src/templates/render';
import { ansibleRenderings, writeRoleWorkspace, type RoleWorkspace } from './roleWorkspace';

const report: string[] = [];
const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');

let lab: Lab;
let plan: LabPlan;
let ws: RoleWorkspace;

/** haconf's renderer called directly on the workspace as it is now. */
function ourRender(file: 'haproxy.cfg' | 'keepalived.conf', host: string): string {
  const inv = loadInventory(path.join(ws.dir, 'inventory/hosts.ini'), ws.dir, path.join(ws.dir, 'roles/lb/defaults/main.yml'));
  const r = renderTemplate(fs.readFileSync(file === 'haproxy.cfg' ? ws.templates.haproxy : ws.templates.keepalived, 'utf8'), hostContext(inv, host));
  if (!r.ok) throw new Error(`${host} ${file}: ${r.failure.message}`);
  return r.rendered.text;
}

/** Full sha256 of both targets per host. */
async function hostShas(): Promise<Record<string, { haproxy: string; keepalived: string }>> {
  const out: Record<string, { haproxy: string; keepalived: string }> = {};
  for (const h of plan.hosts) {
    const [a, b] = (await labSh(lab, h.name, `sha256sum ${LAB_HAPROXY_TARGET} ${LAB_KEEPALIVED_TARGET} | cut -d' ' -f1`)).trim().split('\n');
    out[h.name] = { haproxy: a, keepalived: b };
  }
  return out;
}

const debris = (): Promise<string[]> => labDebris(lab, plan);

/** A transport that counts what it is asked to do (to prove a refusal contacted no host). */
function counting(inner: Transport): Transport & { calls: number } {
  const t = {
    calls: 0,
    run: (...a: Parameters<Transport['run']>) => {
      t.calls++;
      return inner.run(...a);
    },
    runBatch: inner.runBatch
      ? (...a: Parameters<NonNullable<Transport['runBatch']>>) => {
          t.calls++;
          return inner.runBatch!(...a);
        }
      : undefined,
    close: () => inner.close(),
  };
  return t;
}

describe('haconf deploy of an Ansible-role workspace (templates rendered per host) against the lab', { concurrency: false }, () => {
  before(async () => {
    checkPrerequisites();
    plan = planLab({ hosts: 3 });
    ws = writeRoleWorkspace({
      hosts: plan.hosts,
      vip: plan.vip,
      worker: plan.worker,
      targets: () => ({ haproxy: LAB_HAPROXY_TARGET, keepalived: LAB_KEEPALIVED_TARGET }),
      ssh: '{ user: root, identityFile: LAB_KEY, knownHostsFile: LAB_KNOWN_HOSTS, strictHostKeyChecking: "yes", connectTimeout: 3 }',
      // No systemd in the lab: haproxy reloads with a socket handover, keepalived with SIGHUP (test/lab/configs.ts).
      defaults: `  services:
    haproxy: { validate: "haproxy -c -f {file}", reload: "haproxy -D -f ${LAB_HAPROXY_TARGET} -p /run/haproxy.pid -x /run/haproxy/admin.sock -sf $(cat /run/haproxy.pid)" }
    keepalived: { validate: "keepalived -t -f {file}", reload: "kill -HUP $(cat /run/keepalived.pid)" }
`,
      settleSeconds: 2,
    });
    // The hosts start on the role's rendering with the check weight 20 and client timeout 30s; the test
    // then changes the inventory and deploys.
    lab = await startLab({ hosts: 3, plan, haproxy: (h) => ourRender('haproxy.cfg', h.name), keepalived: (h) => ourRender('keepalived.conf', h.name) });
    fs.writeFileSync(ws.manifest, fs.readFileSync(ws.manifest, 'utf8').replace('LAB_KEY', lab.keyPath).replace('LAB_KNOWN_HOSTS', lab.knownHostsPath));
    await lab.waitForVip('lb1', 15000);
    report.push(`lab up in ${(lab.timings.setupMs / 1000).toFixed(1)} s; VIP on lb1 with unicast peers rendered from the template`);
  });

  after(() => tearDown('deploy templates lab report', report, [lab], [ws?.dir]));

  it('--dry-run (CLI) shows per-host rendered diffs, validates on the hosts, changes nothing, shows no secret', async () => {
    fs.writeFileSync(path.join(ws.dir, 'roles/lb/defaults/main.yml'), '---\nhaproxy_timeout_client: 45s\nkeepalived_check_weight: 30\n');
    const before = await hostShas();
    let stdout = '';
    const code = await runDeploy(['--manifest', ws.manifest, '--dry-run'], { stdout: (s) => (stdout += s), stderr: (s) => (stdout += s), cwd: ws.dir, isTTY: false });
    assert.equal(code, 0, stdout);
    for (const h of plan.hosts) {
      assert.match(stdout, new RegExp(`M ${LAB_KEEPALIVED_TARGET.replace(/\//g, '\\/')} ← roles/lb/templates/keepalived\\.conf\\.j2 \\(rendered for ${h.name}\\)`));
      assert.match(stdout, new RegExp(`\\+\\+\\+ roles/lb/templates/haproxy\\.cfg\\.j2 \\(rendered for ${h.name}\\)`));
    }
    assert.match(stdout, /^ {7}\+ {4}timeout client 45s$/m);
    assert.match(stdout, /^ {7}\+ {4}weight 30$/m);
    assert.match(stdout, /lb1\s+validate\s+ok/);
    assert.match(stdout, /result: dry-run/);
    for (const s of ws.secrets) assert.ok(!stdout.includes(s), `secret ${s.slice(0, 3)}… not shown`);
    assert.deepEqual(await hostShas(), before);
    assert.deepEqual(await debris(), []);
  });

  it("deploys: each host runs its own rendering (haconf's and ansible-playbook's bytes), the VIP answers throughout", async () => {
    const client = startVipClient(plan);
    const events: DeployEvent[] = [];
    const transport = new SshTransport({ baseDir: ws.dir });
    const t0 = Date.now();
    const r = await deploy({ manifestPath: ws.manifest, transport, onEvent: (e) => events.push(e) }).finally(() => transport.close());
    const took = Date.now() - t0;
    const traffic = await client.stop();
    assert.equal(r.outcome, 'success', r.message);
    assert.deepEqual(
      r.plan!.hosts.map((h) => h.name),
      ['lb3', 'lb2', 'lb1'],
      'VIP holder last',
    );
    const oracle = ansibleRenderings(ws);
    const got = await hostShas();
    const keepalivedShas = new Set<string>();
    for (const h of plan.hosts) {
      for (const [file, key] of [
        ['haproxy.cfg', 'haproxy'],
        ['keepalived.conf', 'keepalived'],
      ] as const) {
        const ours = sha(ourRender(file, h.name));
        assert.equal(got[h.name][key], ours, `${h.name} ${file}: haconf's rendering for ${h.name}`);
        assert.equal(oracle.get(`${h.name}/${file}`), ours, `${h.name} ${file}: ansible-playbook renders the same bytes`);
      }
      keepalivedShas.add(got[h.name].keepalived);
    }
    assert.equal(keepalivedShas.size, 3, 'three different keepalived.conf files');
    const lb2 = await labSh(lab, 'lb2', `cat ${LAB_KEEPALIVED_TARGET}`);
    assert.match(
      lb2,
      new RegExp(
        `router_id LB2\\n[\\s\\S]*weight 30\\n[\\s\\S]*priority 90\\n[\\s\\S]*unicast_src_ip ${plan.hosts[1].ip}\\n {4}unicast_peer \\{\\n {8}${plan.hosts[0].ip}\\n {8}${plan.hosts[2].ip}\\n {4}\\}`,
      ),
    );
    // The VRRP cluster on the rendered files: one holder (lb1, the highest priority), the VIP serving.
    await waitFor('VIP on lb1 only', 10000, async () => ((await lab.vipHolders()).join(',') === 'lb1' ? true : undefined));
    const answer = await lab.exec('client', `curl -sS --max-time 2 http://${plan.vip}/`);
    assert.equal(answer.code, 0, answer.stderr);
    assert.equal(traffic.failed, 0, `failed requests during the deploy: ${traffic.errors.join('; ')}`);
    assert.ok(traffic.ok > 10, `requests answered: ${traffic.ok}`);
    // The running keepalived took the rendered file: lb1 stopped → the unicast peers elect lb2.
    await labSh(lab, 'lb1', 'kill "$(cat /run/keepalived.pid)"');
    await waitFor('VIP moves to lb2 over the rendered unicast peers', 15000, async () => ((await lab.vipHolders()).join(',') === 'lb2' ? true : undefined));
    // A keepalived started while the old one still exits finds its pid file and quits.
    await waitFor("lb1's keepalived to exit", 10000, async () => ((await lab.exec('lb1', 'killall -0 keepalived')).code !== 0 ? true : undefined));
    lab.startKeepalived('lb1');
    await waitFor('VIP back on lb1', 15000, async () => ((await lab.vipHolders()).join(',') === 'lb1' ? true : undefined));
    assert.deepEqual(await debris(), []);
    const audit = JSON.parse(fs.readFileSync(path.join(ws.dir, '.haconf/audit.jsonl'), 'utf8').trim().split('\n').pop()!) as {
      result: string;
      files: { host: string; target: string; after: string }[];
    };
    assert.equal(audit.result, 'success');
    for (const f of audit.files) assert.equal(f.after, f.target === LAB_HAPROXY_TARGET ? got[f.host].haproxy : got[f.host].keepalived, `audit names ${f.host}'s rendered hash`);
    const auditText = fs.readFileSync(path.join(ws.dir, '.haconf/audit.jsonl'), 'utf8');
    for (const s of ws.secrets) assert.ok(!auditText.includes(s) && !JSON.stringify(events).includes(s), 'no secret in the audit log or events');
    report.push(
      `deploy of 3 rendered hosts × 2 templates: ${(took / 1000).toFixed(1)} s, ${traffic.ok} requests to the VIP, ${traffic.failed} failed; sha256 = haconf render = ansible-playbook render on all 6 files`,
    );
  });

  it('a host the template cannot be rendered for stops the deploy before any host is contacted; nothing changes', async () => {
    // lb3's router id is missing from its host_vars: the template has no default for it.
    const tpl = fs.readFileSync(ws.templates.keepalived, 'utf8');
    fs.writeFileSync(ws.templates.keepalived, tpl.replace('router_id {{ inventory_hostname | upper }}', 'router_id {{ keepalived_router_id }}'));
    for (const h of ['lb1', 'lb2']) fs.appendFileSync(path.join(ws.dir, `inventory/host_vars/${h}.yml`), `keepalived_router_id: ${h.toUpperCase()}-EDGE\n`);
    const before = await hostShas();
    const transport = counting(new SshTransport({ baseDir: ws.dir }));
    const r = await deploy({ manifestPath: ws.manifest, transport }).finally(() => transport.close());
    assert.equal(r.outcome, 'refused');
    assert.equal(r.exitCode, 1);
    assert.match(r.message, /roles\/lb\/templates\/keepalived\.conf\.j2:3: lb3: template not rendered: undefined variable 'keepalived_router_id'/);
    assert.match(r.message, /No host was contacted; nothing was changed/);
    assert.equal(transport.calls, 0, 'no ssh session was opened');
    assert.deepEqual(await hostShas(), before, 'every host on its files');
    assert.deepEqual(await debris(), []);
    assert.deepEqual(await lab.vipHolders(), ['lb1']);
    fs.writeFileSync(ws.templates.keepalived, tpl);
  });
});
