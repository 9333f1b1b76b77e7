// `haconf deploy` of Jinja2 template sources: each host gets the pre-flight's rendering of the template for
// it (the same renderer and pipeline as `haconf check`), and everything a deploy guarantees holds for the
// rendered files. Hosts are local folders (test/deploy/fixture.ts: the real remote scripts under the local
// sh); the same against real sshd/haproxy/keepalived is test/deploy/templates.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deploy } from '../../server/src/deploy/deploy';
import { pull } from '../../server/src/deploy/pull';
import { adoptFromHost, drift } from '../../server/src/deploy/drift';
import { localKey, preflight } from '../../server/src/deploy/plan';
import { DeployUsageError } from '../../server/src/deploy/plan';
import { journalPath, readJournal, writeJournal, type Journal } from '../../server/src/deploy/journal';
import { recover } from '../../server/src/deploy/recover';
import { spawnSync } from 'node:child_process';
import { defaultCheckOptions } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { loadInventory } from '../../server/src/templates/inventory';
import { hostContext } from '../../server/src/templates/context';
import { renderTemplate } from '../../server/src/templates/render';
import { collect, fakePlan, vipOnLb1, type LocalShellTransport } from '../deploy/fixture';
import { writeRoleWorkspace, type RoleWorkspace } from '../deploy/roleWorkspace';

const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');

interface Fixture {
  ws: RoleWorkspace;
  remote: (host: string, file: 'haproxy.cfg' | 'keepalived.conf') => string;
  lockDir: (host: string) => string;
  reloads: (host: string) => string[];
}

/** The role workspace with three local "hosts"; `validate` overrides the services' validate commands. */
function roleFixture(validate?: { haproxy?: string; keepalived?: string }): Fixture {
  const plan = fakePlan(3);
  const remoteIn = (dir: string, h: string, f: string): string => path.join(dir, 'remote', h, f);
  const ws = writeRoleWorkspace({
    hosts: plan.hosts,
    vip: plan.vip,
    worker: plan.worker,
    targets: (h, dir) => ({ haproxy: remoteIn(dir, h, 'haproxy.cfg'), keepalived: remoteIn(dir, h, 'keepalived.conf') }),
    defaults: '',
    hostExtra: (h, dir) => `    services:
      haproxy: { validate: "${validate?.haproxy ?? 'test -s {file}'}", reload: "echo haproxy >> ${remoteIn(dir, h, 'reloads.log')}" }
      keepalived: { validate: "${validate?.keepalived ?? 'test -s {file}'}", reload: "echo keepalived >> ${remoteIn(dir, h, 'reloads.log')}" }
`,
  });
  for (const h of plan.hosts) fs.mkdirSync(path.join(ws.dir, 'remote', h.name), { recursive: true });
  const remote = (h: string, f: string): string => remoteIn(ws.dir, h, f);
  return {
    ws,
    remote,
    lockDir: (h) => path.join(ws.dir, 'remote', h, 'deploy.lock'),
    reloads: (h) => (fs.existsSync(remote(h, 'reloads.log')) ? fs.readFileSync(remote(h, 'reloads.log'), 'utf8').trim().split('\n') : []),
  };
}

/** Our renderer, called directly: the text a host must receive. */
function ourRender(ws: RoleWorkspace, template: string, host: string): string {
  const inv = loadInventory(path.join(ws.dir, 'inventory/hosts.ini'), ws.dir, path.join(ws.dir, 'roles/lb/defaults/main.yml'));
  const r = renderTemplate(fs.readFileSync(template, 'utf8'), hostContext(inv, host));
  assert.ok(r.ok, `renders for ${host}`);
  return r.rendered.text;
}

function opts(f: Fixture, t: LocalShellTransport, extra: object = {}) {
  return { manifestPath: f.ws.manifest, transport: t, lockDir: f.lockDir, vrrpGraceMs: 0, ...extra };
}

test('deploy ships each host its own rendering of every template source; journal, audit and plan name the rendered hashes', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  const t = vipOnLb1();
  const journalNew: string[] = [];
  t.override = (host, call) => {
    if (call.op === 'install') {
      const j = readJournal(journalPath(f.ws.manifest))!;
      const jf = j.hosts.find((x) => x.name === host.name)!.files.find((x) => x.target === call.args[0])!;
      journalNew.push(`${host.name}:${path.basename(jf.target)}:${jf.new}`);
    }
    return undefined;
  };
  const r = await deploy(opts(f, t));
  assert.equal(r.outcome, 'success', r.message);
  const expected: string[] = [];
  const texts = new Set<string>();
  for (const h of ['lb1', 'lb2', 'lb3']) {
    for (const [file, tpl] of [
      ['haproxy.cfg', f.ws.templates.haproxy],
      ['keepalived.conf', f.ws.templates.keepalived],
    ] as const) {
      const want = ourRender(f.ws, tpl, h);
      const got = fs.readFileSync(f.remote(h, file), 'utf8');
      assert.equal(sha(got), sha(want), `${h}:${file} is our rendering for ${h}`);
      assert.doesNotMatch(got, /\{\{|\{%/, 'no Jinja reached the host');
      expected.push(`${h}:${file}:${sha(want)}`);
      if (file === 'keepalived.conf') texts.add(got);
      const fp = r.plan!.hosts.find((x) => x.name === h)!.files.find((x) => x.target === f.remote(h, file))!;
      assert.equal(fp.localSha256, sha(want));
      assert.equal(fp.renderedFor, h);
    }
    assert.deepEqual(f.reloads(h), ['haproxy', 'keepalived']);
  }
  assert.equal(texts.size, 3, 'each host received different keepalived bytes');
  assert.match(fs.readFileSync(f.remote('lb2', 'keepalived.conf'), 'utf8'), /priority 90\n[\s\S]*unicast_src_ip 10\.99\.0\.12\n[\s\S]*unicast_peer \{\n {8}10\.99\.0\.11\n {8}10\.99\.0\.13\n/);
  assert.deepEqual(journalNew.sort(), expected.sort(), 'the journal records the rendered hashes before each swap');
  const audit = JSON.parse(fs.readFileSync(path.join(f.ws.dir, '.haconf/audit.jsonl'), 'utf8').trim().split('\n').pop()!) as { files: { host: string; target: string; after: string }[] };
  assert.deepEqual(audit.files.map((x) => `${x.host}:${path.basename(x.target)}:${x.after}`).sort(), expected.sort());

  // Deployed again: every host already runs its rendering.
  const again = await deploy(opts(f, vipOnLb1()));
  assert.equal(again.outcome, 'nothing-to-do', again.message);
});

test('the rendering shipped is the one the pre-flight checked (same pass, same bytes)', () => {
  const f = roleFixture();
  try {
    const pf = preflight(f.ws.manifest, defaultCheckOptions(), new NodeSourceHost());
    assert.deepEqual(pf.unrendered, []);
    for (const h of ['lb1', 'lb2', 'lb3']) {
      const r = pf.rendered.get(localKey(h, f.ws.templates.keepalived));
      assert.ok(r, `rendered for ${h}`);
      assert.equal(r.rendered.text, ourRender(f.ws, f.ws.templates.keepalived, h));
    }
  } finally {
    f.ws.cleanup();
  }
});

test('dry run with --diff: per-host rendered diffs, labelled as renderings, with no inventory secret anywhere', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  for (const h of ['lb1', 'lb2', 'lb3']) fs.writeFileSync(f.remote(h, 'keepalived.conf'), ourRender(f.ws, f.ws.templates.keepalived, h).replace('advert_int 1', 'advert_int 2'));
  const { events, onEvent } = collect();
  const r = await deploy(opts(f, vipOnLb1(), { dryRun: true, onEvent }));
  assert.equal(r.outcome, 'dry-run', r.message);
  const ka = r.plan!.hosts.map((h) => h.files.find((x) => x.target.endsWith('keepalived.conf'))!);
  for (const fp of ka) {
    assert.match(fp.diff, new RegExp(`\\+\\+\\+ roles/lb/templates/keepalived\\.conf\\.j2 \\(rendered for ${fp.host}\\)`));
    assert.match(fp.diff, /- {4}advert_int 2\n\+ {4}advert_int 1/);
  }
  // Each diff is that host's: lb2's shows no change of lb3's lines.
  const out = JSON.stringify({ r, events });
  for (const s of f.ws.secrets) assert.ok(!out.includes(s), `the secret ${s.slice(0, 3)}… never reaches the result or the events`);
  const ha = r.plan!.hosts[0].files.find((x) => x.target.endsWith('haproxy.cfg'))!;
  assert.match(ha.localText ?? '', /X-Backend-Key \*\*\*/, 'the header value from the vars file is masked in the side-by-side text');
  for (const h of ['lb1', 'lb2', 'lb3']) assert.match(fs.readFileSync(f.remote(h, 'keepalived.conf'), 'utf8'), /advert_int 2/, 'dry run changed nothing');
});

test("a host's validator output that echoes the rendered file shows no inventory secret", async (tt) => {
  // keepalived's validator prints the candidate and fails: the message must be scrubbed of the rendered secrets.
  const f = roleFixture({ haproxy: 'cat {file} >&2; exit 1' });
  tt.after(f.ws.cleanup);
  const r = await deploy(opts(f, vipOnLb1()));
  assert.equal(r.outcome, 'rejected', r.message);
  assert.match(r.message, /X-Backend-Key/, 'the validator output is shown');
  for (const s of f.ws.secrets) assert.ok(!r.message.includes(s), `the secret ${s.slice(0, 3)}… is masked`);
  for (const h of ['lb1', 'lb2', 'lb3']) assert.ok(!fs.existsSync(f.remote(h, 'haproxy.cfg')), 'nothing replaced');
});

test('a host the template cannot be rendered for stops the deploy before any host is contacted, naming template, line and host', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  // lb3 uses a filter haconf does not evaluate (only for lb3, through its host_vars).
  const tpl = fs
    .readFileSync(f.ws.templates.keepalived, 'utf8')
    .replace('    advert_int 1\n', "    advert_int 1\n{% if inventory_hostname == 'lb3' %}\n    # {{ keepalived_auth_pass | password_hash('sha512') }}\n{% endif %}\n");
  fs.writeFileSync(f.ws.templates.keepalived, tpl);
  const t = vipOnLb1();
  const r = await deploy(opts(f, t, { force: true }));
  assert.equal(r.outcome, 'refused');
  assert.match(r.message, /roles\/lb\/templates\/keepalived\.conf\.j2:23: lb3: template not rendered: the filter 'password_hash' is not supported by haconf/);
  assert.match(r.message, /No host was contacted; nothing was changed/);
  assert.doesNotMatch(r.message, /lb1: template not rendered|lb2: template not rendered/);
  assert.deepEqual(t.calls, [], 'no host contacted, even with --force');
  for (const h of ['lb1', 'lb2', 'lb3']) assert.ok(!fs.existsSync(f.remote(h, 'keepalived.conf')));

  // An undefined variable: lb2 loses its priority source and the template has no default.
  fs.writeFileSync(
    f.ws.templates.keepalived,
    fs
      .readFileSync(f.ws.templates.keepalived, 'utf8')
      .replace("{% if inventory_hostname == 'lb3' %}\n    # {{ keepalived_auth_pass | password_hash('sha512') }}\n{% endif %}\n", '')
      .replace('priority {{ keepalived_priority | default(100) }}', 'priority {{ keepalived_priority }}'),
  );
  fs.rmSync(path.join(f.ws.dir, 'inventory/host_vars/lb2.yml'));
  const t2 = vipOnLb1();
  const r2 = await deploy(opts(f, t2));
  assert.equal(r2.outcome, 'refused');
  assert.match(r2.message, /keepalived\.conf\.j2:20: lb2: template not rendered: undefined variable 'keepalived_priority'/);
  assert.match(r2.message, /host_vars\/<host>\.yml/);
  assert.deepEqual(t2.calls, []);

  // A variable whose value is a lookup: Ansible evaluates it, haconf cannot. Before, its raw text
  // `{{ lookup(…) }}` was printed into lb1's rendering (and would have been shipped).
  fs.writeFileSync(f.ws.templates.keepalived, fs.readFileSync(f.ws.templates.keepalived, 'utf8').replace('priority {{ keepalived_priority }}', 'priority {{ keepalived_priority | default(100) }}'));
  fs.writeFileSync(path.join(f.ws.dir, 'inventory/host_vars/lb1.yml'), `---\nkeepalived_priority: "{{ lookup('env', 'LB1_PRIORITY') }}"\n`);
  const t3 = vipOnLb1();
  const r3 = await deploy(opts(f, t3));
  assert.equal(r3.outcome, 'refused', r3.message);
  assert.match(r3.message, /keepalived\.conf\.j2:20: lb1: template not rendered: the variable 'keepalived_priority' holds Jinja haconf cannot evaluate \(lookup/);
  assert.deepEqual(t3.calls, []);
  for (const h of ['lb1', 'lb2', 'lb3']) assert.ok(!fs.existsSync(f.remote(h, 'keepalived.conf')));
});

test('a manifest host that is not in the inventory, or a template with no inventory, is refused before contact', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  fs.writeFileSync(f.ws.manifest, fs.readFileSync(f.ws.manifest, 'utf8').replace('- name: lb3', '- name: lb9'));
  const t = vipOnLb1();
  const r = await deploy(opts(f, t));
  assert.equal(r.outcome, 'refused');
  assert.match(
    r.message,
    /haproxy\.cfg\.j2:1: lb9: template not rendered: the host lb9 of haconf\.yaml is not in the inventory .*; name the manifest host as the inventory does, or add it to the inventory\n/,
  );
  assert.deepEqual(t.calls, []);

  fs.rmSync(path.join(f.ws.dir, 'ansible.cfg'));
  fs.renameSync(path.join(f.ws.dir, 'inventory'), path.join(f.ws.dir, 'inv'));
  fs.renameSync(path.join(f.ws.dir, 'inv/hosts.ini'), path.join(f.ws.dir, 'inv/lbs.ini'));
  const t2 = vipOnLb1();
  const r2 = await deploy(opts(f, t2));
  assert.equal(r2.outcome, 'refused');
  assert.match(r2.message, /keepalived\.conf\.j2:1: lb1: template not rendered: no Ansible inventory found for this template.*add 'inventory: \{ path: …, group: … \}' to haconf\.yaml/);
  assert.deepEqual(t2.calls, []);

  // Named in haconf.yaml, the inventory renders again.
  fs.writeFileSync(f.ws.manifest, fs.readFileSync(f.ws.manifest, 'utf8').replace('- name: lb9', '- name: lb3').replace('hosts:\n', 'inventory: { path: inv/lbs.ini, group: lb }\nhosts:\n'));
  const r3 = await deploy(opts(f, vipOnLb1()));
  assert.equal(r3.outcome, 'success', r3.message);
});

test("an error finding on a host's rendering (a VRID from one host_vars file) blocks the deploy, on the manifest's cluster", async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  fs.appendFileSync(path.join(f.ws.dir, 'inventory/host_vars/lb2.yml'), 'keepalived_vrid: 62\n');
  const ws = checkWorkspace({ files: [], manifests: [f.ws.manifest] }, defaultCheckOptions(), new NodeSourceHost());
  const clusters = ws.clusters.filter((c) => c.nodes.some((n) => n.keepalived));
  assert.deepEqual(
    clusters.map((c) => `${c.origin}:${c.name}:${c.nodes.map((n) => `${n.name}=${n.keepalived?.instances[0]?.vrid?.value}`).join(',')}`),
    ['manifest:role-lab:lb1=61,lb2=62,lb3=61'],
    "the templates' renderings are the manifest hosts' files (no second, inferred cluster)",
  );
  const t = vipOnLb1();
  const r = await deploy(opts(f, t));
  assert.equal(r.outcome, 'refused');
  assert.match(r.message, /roles\/lb\/templates\/keepalived\.conf\.j2:19:\d+: cluster\/vrid-mismatch: lb2: /);
  assert.deepEqual(t.calls, []);
});

test('haconf pull refuses a template source (with or without --check) before any host is contacted', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  for (const check of [false, true]) {
    const t = vipOnLb1();
    await assert.rejects(
      pull({ manifestPath: f.ws.manifest, transport: t, check }),
      (e: Error) =>
        e instanceof DeployUsageError &&
        /haconf\.yaml:\d+: source roles\/lb\/templates\/haproxy\.cfg\.j2 is a Jinja2 template; a host's file is its rendering and cannot be pulled back into the template\. Run 'haconf drift'/.test(
          e.message,
        ),
    );
    assert.deepEqual(t.calls, []);
  }
  assert.equal(fs.readFileSync(f.ws.templates.haproxy, 'utf8').includes('{{ inventory_hostname }}'), true, 'the template is untouched');
});

test("haconf drift compares each host with its rendering; adopting a host's file into a template is refused", async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  const r = await deploy(opts(f, vipOnLb1()));
  assert.equal(r.outcome, 'success', r.message);
  const same = await drift({ manifestPath: f.ws.manifest, transport: vipOnLb1() });
  assert.deepEqual(same.summary, { hosts: 3, inSync: 3, drifted: 0, unreachable: 0, filesDiffering: 0 });
  // Someone edits lb2's file by hand.
  fs.writeFileSync(f.remote('lb2', 'haproxy.cfg'), fs.readFileSync(f.remote('lb2', 'haproxy.cfg'), 'utf8').replace('timeout client 30s', 'timeout client 99s'));
  const d = await drift({ manifestPath: f.ws.manifest, transport: vipOnLb1() });
  assert.equal(d.exitCode, 1);
  const lb2 = d.hosts.find((h) => h.host === 'lb2')!.files.find((x) => x.target.endsWith('haproxy.cfg'))!;
  assert.equal(lb2.state, 'differs');
  assert.match(lb2.message, /differs from roles\/lb\/templates\/haproxy\.cfg\.j2 \(rendered for lb2\)/);
  assert.match(lb2.diff, /^- {4}timeout client 30s\n\+ {4}timeout client 99s$/m);
  assert.deepEqual(
    d.hosts.filter((h) => h.drifted).map((h) => h.host),
    ['lb2'],
  );
  for (const s of f.ws.secrets) assert.ok(!JSON.stringify(d).includes(s), `the secret ${s.slice(0, 3)}… is masked in drift`);
  await assert.rejects(
    adoptFromHost({ manifestPath: f.ws.manifest, host: 'lb2', source: 'roles/lb/templates/haproxy.cfg.j2', transport: vipOnLb1() }),
    /is a Jinja2 template; a host's file is its rendering and cannot be pulled back into the template/,
  );
  // A host the template cannot be rendered for is "not compared", with the reason.
  fs.writeFileSync(path.join(f.ws.dir, 'inventory/host_vars/lb3.yml'), '---\nkeepalived_priority: "{{ 80 | password_hash }}"\n');
  const u = await drift({ manifestPath: f.ws.manifest, transport: vipOnLb1() });
  const lb3 = u.hosts.find((h) => h.host === 'lb3')!.files.find((x) => x.target.endsWith('keepalived.conf'))!;
  assert.equal(lb3.state, 'unknown');
  assert.match(
    lb3.message,
    /not compared: roles\/lb\/templates\/keepalived\.conf\.j2 could not be rendered for lb3 \(the variable 'keepalived_priority' holds Jinja haconf cannot evaluate \(the filter 'password_hash' is not supported by haconf\)\)/,
  );
});

test('--recover --finish of a killed deploy compares the journal with each host rendering: finishes when unchanged, refuses after a variable changed', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  // The world a run killed right before lb2's swap leaves: lb3 new, the journal naming a dead process.
  const saved = path.join(f.ws.dir, 'saved');
  const t = vipOnLb1();
  t.override = (host, call) => {
    if (call.op === 'install' && host.name === 'lb2' && !fs.existsSync(saved)) {
      fs.cpSync(path.join(f.ws.dir, 'remote'), path.join(saved, 'remote'), { recursive: true });
      fs.copyFileSync(journalPath(f.ws.manifest), path.join(saved, 'journal'));
    }
    return undefined;
  };
  const r = await deploy(opts(f, t));
  assert.equal(r.outcome, 'success', r.message);
  const restore = (): void => {
    fs.rmSync(path.join(f.ws.dir, 'remote'), { recursive: true });
    fs.cpSync(path.join(saved, 'remote'), path.join(f.ws.dir, 'remote'), { recursive: true });
    const j = JSON.parse(fs.readFileSync(path.join(saved, 'journal'), 'utf8')) as Journal;
    writeJournal(journalPath(f.ws.manifest), { ...j, pid: spawnSync('true').pid! });
    for (const h of ['lb1', 'lb2', 'lb3']) fs.rmSync(f.lockDir(h), { recursive: true, force: true });
  };
  restore();
  // lb1's priority changed since: its rendering is no longer what the dead run was deploying.
  const hv = path.join(f.ws.dir, 'inventory/host_vars/lb1.yml');
  const good = fs.readFileSync(hv, 'utf8');
  fs.writeFileSync(hv, '---\nkeepalived_priority: 110\n');
  const refused = await recover({ manifestPath: f.ws.manifest, transport: vipOnLb1(), action: 'finish', lockDir: f.lockDir, vrrpGraceMs: 0 });
  assert.equal(refused.outcome, 'refused', refused.message);
  assert.match(refused.message, /no longer holds the files the interrupted run was deploying:\nlb1: roles\/lb\/templates\/keepalived\.conf\.j2 → /);
  assert.doesNotMatch(refused.message, /lb[23]: roles|haproxy\.cfg\.j2 →/);
  fs.writeFileSync(hv, good);
  const finished = await recover({ manifestPath: f.ws.manifest, transport: vipOnLb1(), action: 'finish', lockDir: f.lockDir, vrrpGraceMs: 0 });
  assert.equal(finished.outcome, 'finished', finished.message);
  for (const h of ['lb1', 'lb2', 'lb3']) assert.equal(sha(fs.readFileSync(f.remote(h, 'keepalived.conf'))), sha(ourRender(f.ws, f.ws.templates.keepalived, h)));
  assert.ok(!fs.existsSync(journalPath(f.ws.manifest)));
});

test('a plain config in a templates/ folder (no Jinja syntax) ships as it is without an inventory; with Jinja it needs one', async (tt) => {
  const f = roleFixture();
  tt.after(f.ws.cleanup);
  // No inventory anywhere; lb1..lb3 get templates/haproxy.cfg, which is plain text.
  fs.rmSync(path.join(f.ws.dir, 'ansible.cfg'));
  fs.rmSync(path.join(f.ws.dir, 'inventory'), { recursive: true });
  const plainCfg = ourRenderFixed();
  fs.mkdirSync(path.join(f.ws.dir, 'templates'));
  fs.writeFileSync(path.join(f.ws.dir, 'templates/haproxy.cfg'), plainCfg);
  const m = fs
    .readFileSync(f.ws.manifest, 'utf8')
    .replaceAll('source: roles/lb/templates/haproxy.cfg.j2', 'source: templates/haproxy.cfg')
    .replace(/ {6}- \{ source: roles\/lb\/templates\/keepalived\.conf\.j2[^\n]*\n/g, '');
  fs.writeFileSync(f.ws.manifest, m);
  const r = await deploy(opts(f, vipOnLb1()));
  assert.equal(r.outcome, 'success', r.message);
  for (const h of ['lb1', 'lb2', 'lb3']) assert.equal(fs.readFileSync(f.remote(h, 'haproxy.cfg'), 'utf8'), plainCfg);
  assert.equal(r.plan!.hosts[0].files[0].renderedFor, undefined);
  // The same file with one Jinja expression cannot be shipped without an inventory.
  fs.writeFileSync(path.join(f.ws.dir, 'templates/haproxy.cfg'), `# {{ inventory_hostname }}\n${plainCfg}`);
  const t = vipOnLb1();
  const r2 = await deploy(opts(f, t));
  assert.equal(r2.outcome, 'refused');
  assert.match(r2.message, /templates\/haproxy\.cfg:1: lb1: template not rendered: no Ansible inventory found for this template/);
  assert.deepEqual(t.calls, []);
});

/** A plain haproxy.cfg (no Jinja). */
function ourRenderFixed(): string {
  return 'global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\n\nfrontend f\n    bind 127.0.0.1:18080\n    default_backend b\n\nbackend b\n    server s1 127.0.0.1:8081\n';
}
