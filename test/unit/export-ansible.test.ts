// The Ansible exporter as a pure function: what it writes for a manifest, and that nothing from a manifest
// can become Jinja or shell syntax. The playbooks themselves run for real in test/deploy/ansible.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { defaultCheckOptions } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { exportAnsible, validateScript, ExportError, type ExportInput } from '../../server/src/export/ansible';
import { runExport } from '../../server/src/cli/export';
import { makeWorkspace } from '../deploy/fixture';

function inputsFor(manifests: string[]): ExportInput[] {
  const ws = checkWorkspace({ files: [], manifests }, defaultCheckOptions(), new NodeSourceHost());
  return manifests.map((file) => ({
    manifest: ws.manifests.find((m) => m.manifest.file === file)!.manifest,
    cluster: ws.clusters.find((c) => c.manifest?.file === file),
    manifestSha256: 'ab'.repeat(32),
  }));
}

/** The inventory as data; `!unsafe` scalars come back as plain strings. */
function inventory(text: string): Record<string, unknown> {
  const doc = parseDocument(text, { customTags: [{ tag: '!unsafe', resolve: (s: string) => s }] });
  assert.deepEqual(doc.errors, []);
  return doc.toJS() as Record<string, unknown>;
}

describe('haconf export ansible (pure)', () => {
  it('the validate command gets the candidate as one argument, whatever quotes the manifest put around {file}', () => {
    const candidate = '/etc/haproxy/.haproxy.cfg.haconf-new-0123abcd';
    for (const [template, expect] of [
      ['printf "<%s>" {file}', `<${candidate}>`],
      ['printf "<%s>" "{file}"', `<${candidate}>`],
      ["printf '<%s>' '{file}'", `<${candidate}>`],
      ['printf "<%s>" "x{file}y"', `<x${candidate}y>`],
    ]) {
      const r = spawnSync('sh', ['-c', validateScript(template), 'haconf', candidate], { encoding: 'utf8' });
      assert.equal(r.stdout, expect, template);
    }
  });

  it('writes one group per cluster, unique host names, the rollout facts and haconf scripts', () => {
    const a = makeWorkspace({ hosts: 3 });
    const b = makeWorkspace({ hosts: 2 });
    try {
      // The fixture's cluster name is "unit" in both: the second group gets a suffix.
      const res = exportAnsible(inputsFor([a.manifest, b.manifest]), { haconfCommand: ['haconf'] });
      assert.deepEqual(res.files.map((f) => f.name).sort(), ['cluster.yml', 'haconf-scripts.yml', 'haconf-vipcheck.yml', 'inventory.yml', 'site.yml']);
      assert.deepEqual(
        res.groups.map((g) => g.group),
        ['haconf_unit', 'haconf_unit_2'],
      );
      assert.deepEqual(
        res.groups.map((g) => g.hosts),
        [
          ['unit__lb1', 'unit__lb2', 'unit__lb3'],
          ['unit__lb1_2', 'unit__lb2_2'],
        ],
      );
      const inv = inventory(res.files.find((f) => f.name === 'inventory.yml')!.content) as {
        all: { vars: Record<string, unknown>; children: Record<string, { vars: Record<string, unknown>; hosts: Record<string, Record<string, unknown>> }> };
      };
      const g = inv.all.children.haconf_unit;
      assert.equal(g.vars.haconf_manifest, a.manifest);
      assert.deepEqual(g.vars.haconf_vips, ['10.99.0.10']);
      assert.equal(g.vars.haconf_settle_seconds, 0);
      assert.equal(g.vars.haconf_keep_backups, 2);
      // Effective priorities from the cluster model: 100/90/80 plus the passing track script's weight 20.
      const lb = (n: number) => g.hosts[`unit__lb${n}`];
      assert.deepEqual(
        [1, 2, 3].map((n) => lb(n).haconf_priority),
        [120, 110, 100],
      );
      assert.deepEqual(
        [1, 2, 3].map((n) => lb(n).haconf_static_holder),
        [true, false, false],
      );
      assert.equal(lb(1).ansible_host, '10.99.0.11');
      assert.equal(lb(1).ansible_user, 'root');
      const files = lb(1).haconf_files as { target: string; kind: string; mode: string; validate: string }[];
      assert.deepEqual(
        files.map((f) => [path.basename(f.target), f.kind, f.mode]),
        [
          ['haproxy.cfg', 'haproxy', '0600'],
          ['keepalived.conf', 'keepalived', '0600'],
        ],
      );
      assert.match(files[0].validate, /grep -q '\^# BROKEN' "\$1"/);
      const services = lb(1).haconf_services as { kind: string; reload: string }[];
      assert.deepEqual(
        services.map((s) => s.kind),
        ['haproxy', 'keepalived'],
        'haproxy reloads before keepalived',
      );
      const scripts = inventory(res.files.find((f) => f.name === 'haconf-scripts.yml')!.content);
      assert.deepEqual(Object.keys(scripts).sort(), [
        'haconf_script_haproxy_alive',
        'haconf_script_install',
        'haconf_script_lock',
        'haconf_script_refresh',
        'haconf_script_remove',
        'haconf_script_restore',
        'haconf_script_unlock',
      ]);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('values from the manifest are !unsafe: a {{ in a command or a name is never templated by Ansible', () => {
    const ws = makeWorkspace({ hosts: 2 });
    try {
      const text = fs.readFileSync(ws.manifest, 'utf8').replace('reload: "echo haproxy >>', "reload: \"echo {{ lookup('pipe', 'id') }} >>");
      fs.writeFileSync(ws.manifest, text);
      const res = exportAnsible(inputsFor([ws.manifest]), { haconfCommand: ['haconf'] });
      const inv = res.files.find((f) => f.name === 'inventory.yml')!.content;
      const line = inv.split('\n').find((l) => l.includes("lookup('pipe'"));
      assert.ok(line, 'the command is exported');
      assert.match(line, /reload: !unsafe "cd \/ \|\| exit 1\\necho \{\{ lookup\('pipe', 'id'\) \}\} >>/);
      // Every value line that carries manifest text is tagged (host names, paths, commands).
      for (const l of inv.split('\n').filter((x) => /ansible_host|ansible_user|haconf_name|haconf_manifest:|source:/.test(x))) assert.match(l, /!unsafe "/, l);
    } finally {
      ws.cleanup();
    }
  });

  it('refuses what it cannot export faithfully, saying what to fix', () => {
    const ws = makeWorkspace({ hosts: 1 });
    try {
      assert.throws(
        () => exportAnsible([], { haconfCommand: ['haconf'] }),
        (e: Error) => e instanceof ExportError && /no manifest/.test(e.message),
      );
      assert.throws(
        () => exportAnsible(inputsFor([ws.manifest]), { haconfCommand: [] }),
        (e: Error) => e instanceof ExportError && /haconf command is empty/.test(e.message),
      );
      // An ssh option value with a space would be split by ssh into two options.
      const text = fs.readFileSync(ws.manifest, 'utf8').replace('ssh: { user: root }', 'ssh: { user: root, knownHostsFile: "known hosts" }');
      fs.writeFileSync(ws.manifest, text);
      assert.throws(
        () => exportAnsible(inputsFor([ws.manifest]), { haconfCommand: ['haconf'] }),
        (e: Error) => e instanceof ExportError && /lb1: ssh setting .*known hosts.* must be a plain value/.test(e.message),
      );
      // A Jinja2 template source: the playbook would copy it raw onto the host.
      fs.writeFileSync(ws.manifest, text.replace(', knownHostsFile: "known hosts"', '').replace('source: lb1/keepalived.conf,', 'source: lb1/keepalived.conf.j2,'));
      fs.copyFileSync(path.join(ws.dir, 'lb1/keepalived.conf'), path.join(ws.dir, 'lb1/keepalived.conf.j2'));
      assert.throws(
        () => exportAnsible(inputsFor([ws.manifest]), { haconfCommand: ['haconf'] }),
        (e: Error) =>
          e instanceof ExportError && /haconf\.yaml:\d+: source lb1\/keepalived\.conf\.j2 is a Jinja2 template; the exported playbook copies files as they are .*'haconf deploy'/.test(e.message),
      );
    } finally {
      ws.cleanup();
    }
  });

  it('the CLI refuses manifests with errors (exit 1, nothing written) and writes the files otherwise', () => {
    const ws = makeWorkspace({ hosts: 2 });
    try {
      const out = path.join(ws.dir, 'ansible');
      let stdout = '';
      let stderr = '';
      const io = { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s), cwd: ws.dir };
      assert.equal(runExport(['ansible', '--out', out], io), 0, stderr);
      assert.match(stdout, /wrote inventory\.yml, haconf-scripts\.yml, cluster\.yml, site\.yml, haconf-vipcheck\.yml to ansible/);
      assert.match(stdout, /ansible-playbook -i ansible\/inventory\.yml ansible\/cluster\.yml -e haconf_group=haconf_unit/);
      assert.equal(fs.statSync(path.join(out, 'inventory.yml')).mode & 0o777, 0o600);
      const ka = path.join(ws.dir, 'lb1', 'keepalived.conf');
      fs.writeFileSync(ka, fs.readFileSync(ka, 'utf8').replace(/virtual_router_id \d+/, 'virtual_router_id 300'));
      fs.rmSync(out, { recursive: true });
      stderr = '';
      assert.equal(runExport(['ansible', '--out', out], io), 1);
      assert.match(stderr, /lb1\/keepalived\.conf:\d+:\d+: error: .*virtual_router_id/);
      assert.match(stderr, /nothing exported/);
      assert.equal(fs.existsSync(out), false);
      assert.equal(runExport(['ansible', '--out', out, '--force'], io), 0);
      assert.match(stderr, /FORCED/);
      assert.throws(() => runExport(['yaml'], io), /unknown export target 'yaml'/);
    } finally {
      ws.cleanup();
    }
  });
});
