// The real Ansible as oracle: ansible-playbook renders the test role for every host (connection local,
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

const ROLE_PROJECT = path.resolve(__dirname, '../fixtures/templates/ansible');
const HOSTS = ['lb1', 'lb2', 'lb3'];
const FILES = ['haproxy.cfg', 'keepalived.conf', 'corosync.conf'];

function run(cmd: string, args: string[], cwd?: string): { rc: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180000, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' } });
  if (r.error) assert.fail(`${cmd} is not runnable (${r.error.message}); test/setup.sh installs it (apt-get install ansible-core haproxy keepalived corosync)`);
  return { rc: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ansible-render-'));
let played: { rc: number; out: string } | undefined;
function ansibleRender(): void {
  played ??= run('ansible-playbook', ['site.yml', '-c', 'local', '-e', `render_dir=${outDir}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'], ROLE_PROJECT);
  assert.equal(played.rc, 0, `ansible-playbook failed:\n${played.out}`);
}

test('ansible-core is installed', () => {
  const v = run('ansible-playbook', ['--version']);
  assert.match(v.out, /ansible-playbook \[core 2\./);
});

for (const host of HOSTS) {
  for (const file of FILES) {
    test(`${host} ${file}: haconf renders byte for byte what ansible renders`, () => {
      ansibleRender();
      const inv = loadInventory(path.join(ROLE_PROJECT, 'inventory/hosts.ini'), ROLE_PROJECT, path.join(ROLE_PROJECT, 'roles/lb/defaults/main.yml'));
      const ours = renderTemplate(fs.readFileSync(path.join(ROLE_PROJECT, 'roles/lb/templates', `${file}.j2`), 'utf8'), hostContext(inv, host));
      assert.ok(ours.ok, `haconf could not render: ${JSON.stringify(!ours.ok && ours.failure)}`);
      assert.equal(ours.rendered.text, fs.readFileSync(path.join(outDir, host, file), 'utf8'));
    });
  }
  test(`${host}: the rendered files pass haproxy -c, keepalived -t and corosync -t`, () => {
    ansibleRender();
    const dir = path.join(outDir, host);
    const h = run('haproxy', ['-c', '-f', path.join(dir, 'haproxy.cfg')]);
    assert.equal(h.rc, 0, `haproxy -c refused ${host}'s haproxy.cfg:\n${h.out}`);
    const k = run('keepalived', ['-t', '-f', path.join(dir, 'keepalived.conf')]);
    assert.equal(k.rc, 0, `keepalived -t refused ${host}'s keepalived.conf:\n${k.out}`);
    // corosync -t looks for the local node among the ring addresses: this machine plays the host, so its
    // own address becomes 127.0.0.1 in a copy (the one change made to a rendered file).
    const own = `10.0.0.${10 + Number(host.slice(2))}`;
    const copy = path.join(dir, 'corosync.local.conf');
    fs.writeFileSync(copy, fs.readFileSync(path.join(dir, 'corosync.conf'), 'utf8').replace(`ring0_addr: ${own}\n`, 'ring0_addr: 127.0.0.1\n'));
    const c = run('corosync', ['-t', '-c', copy]);
    assert.equal(c.rc, 0, `corosync -t refused ${host}'s corosync.conf:\n${c.out}`);
  });
}

test.after(() => fs.rmSync(outDir, { recursive: true, force: true }));
