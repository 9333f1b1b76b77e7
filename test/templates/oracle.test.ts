// The real Ansible as oracle: ansible-playbook renders each test project for every host (connection local,
// into a temp folder); haconf's rendering must be byte-identical, and the rendered files must pass the real
// `haproxy -c`, `keepalived -t` and `corosync -t`. Needs ansible-core, haproxy, keepalived and corosync
// (test/setup.sh installs them); a missing tool fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInventory } from '../../server/src/templates/inventory';
import { hostContext } from '../../server/src/templates/context';
import { renderTemplate } from '../../server/src/templates/render';

interface Project {
  name: string;
  dir: string;
  inventory: string;
  playbook: string;
  roleDefaults?: string;
  templates: string;
  hosts: string[];
  files: string[];
  /** This host's own ring address, which becomes 127.0.0.1 for `corosync -t` (this machine plays the host). */
  ownAddress: (host: string) => string;
}

const FIX = path.resolve(__dirname, '../fixtures/templates');
const PROJECTS: Project[] = [
  {
    name: 'role + INI inventory',
    dir: path.join(FIX, 'ansible'),
    inventory: 'inventory/hosts.ini',
    playbook: 'site.yml',
    roleDefaults: 'roles/lb/defaults/main.yml',
    templates: 'roles/lb/templates',
    hosts: ['lb1', 'lb2', 'lb3'],
    files: ['haproxy.cfg', 'keepalived.conf', 'corosync.conf'],
    ownAddress: (h) => `10.0.0.${10 + Number(h.slice(2))}`,
  },
  {
    name: 'playbook templates + YAML inventory',
    dir: path.join(FIX, 'ansible-yaml'),
    inventory: 'inventory.yml',
    playbook: 'playbook.yml',
    templates: 'templates',
    hosts: ['edge-a.example.net', 'edge-b.example.net'],
    files: ['haproxy.cfg', 'keepalived.conf'],
    ownAddress: () => '',
  },
];

function run(cmd: string, args: string[], cwd?: string): { rc: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180000, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' } });
  if (r.error) assert.fail(`${cmd} is not runnable (${r.error.message}); test/setup.sh installs it (apt-get install ansible-core haproxy keepalived corosync)`);
  return { rc: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ansible-render-'));
const played = new Map<string, string>();
/** Runs the project's playbook once; returns the folder holding `<host>/<file>`. */
function ansibleRender(p: Project): string {
  let dir = played.get(p.name);
  if (dir) return dir;
  dir = fs.mkdtempSync(path.join(outRoot, 'p-'));
  const r = run('ansible-playbook', ['-i', p.inventory, p.playbook, '-c', 'local', '-e', `render_dir=${dir}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'], p.dir);
  assert.equal(r.rc, 0, `ansible-playbook failed in ${p.dir}:\n${r.out}`);
  played.set(p.name, dir);
  return dir;
}

test('ansible-core is installed', () => {
  const v = run('ansible-playbook', ['--version']);
  assert.match(v.out, /ansible-playbook \[core 2\./);
});

for (const p of PROJECTS) {
  for (const host of p.hosts) {
    for (const file of p.files) {
      test(`${p.name}: ${host} ${file}: haconf renders byte for byte what ansible renders`, () => {
        const dir = ansibleRender(p);
        const inv = loadInventory(path.join(p.dir, p.inventory), p.dir, p.roleDefaults && path.join(p.dir, p.roleDefaults));
        const ours = renderTemplate(fs.readFileSync(path.join(p.dir, p.templates, `${file}.j2`), 'utf8'), hostContext(inv, host));
        assert.ok(ours.ok, `haconf could not render: ${JSON.stringify(!ours.ok && ours.failure)}`);
        assert.equal(ours.rendered.text, fs.readFileSync(path.join(dir, host, file), 'utf8'));
      });
    }
    test(`${p.name}: ${host}: the rendered files pass the real tools`, () => {
      const dir = path.join(ansibleRender(p), host);
      if (p.files.includes('haproxy.cfg')) {
        const h = run('haproxy', ['-c', '-f', path.join(dir, 'haproxy.cfg')]);
        assert.equal(h.rc, 0, `haproxy -c refused ${host}'s haproxy.cfg:\n${h.out}`);
      }
      if (p.files.includes('keepalived.conf')) {
        const k = run('keepalived', ['-t', '-f', path.join(dir, 'keepalived.conf')]);
        assert.equal(k.rc, 0, `keepalived -t refused ${host}'s keepalived.conf:\n${k.out}`);
      }
      if (p.files.includes('corosync.conf')) {
        const copy = path.join(dir, 'corosync.local.conf');
        fs.writeFileSync(copy, fs.readFileSync(path.join(dir, 'corosync.conf'), 'utf8').replace(`ring0_addr: ${p.ownAddress(host)}\n`, 'ring0_addr: 127.0.0.1\n'));
        const c = run('corosync', ['-t', '-c', copy]);
        assert.equal(c.rc, 0, `corosync -t refused ${host}'s corosync.conf:\n${c.out}`);
      }
    });
  }
}

test.after(() => fs.rmSync(outRoot, { recursive: true, force: true }));
