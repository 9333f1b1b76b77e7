// The real ansible-inventory as oracle for which files and folders are inventories: for each layout, haconf's
// decision (`isInventorySource`) must equal whether ansible-core reads the path cleanly as an inventory with
// hosts (exit 0, no "Failed to parse"/"Unable to parse" warning, at least one host), and where it is one,
// haconf's hosts, groups and variables must be Ansible's. Needs ansible-core (test/setup.sh installs it); a
// missing tool fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findInventory, loadInventory } from '../../server/src/templates/inventory';
import { isInventorySource } from '../../server/src/templates/inventorySource';

const KEEPALIVED =
  '! Configuration File for keepalived\nglobal_defs {\n    router_id lb1\n}\nvrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    virtual_ipaddress {\n        10.0.0.10/24\n    }\n}\n';
const HAPROXY = 'global\n    daemon\ndefaults\n    mode http\n    timeout client 30s\nfrontend fe\n    bind :80\n    default_backend be\nbackend be\n    server s1 10.0.0.21:80\n';

interface Layout {
  name: string;
  files: Record<string, string>;
  /** The paths (relative) whose decision is compared, and what both must say. */
  expect: Record<string, boolean>;
  /** The project folder whose found inventory is compared with Ansible's reading of it. */
  project?: string;
}

const LAYOUTS: Layout[] = [
  {
    name: 'hosts/<node>/ of per-host configs (test/deploy/fixture.ts layout, with a reload log)',
    files: {
      'hosts/lb1/keepalived.conf': KEEPALIVED,
      'hosts/lb1/haproxy.cfg': HAPROXY,
      'hosts/lb1/reloads.log': 'haproxy\nkeepalived\n',
      'hosts/lb2/keepalived.conf': KEEPALIVED.replace('lb1', 'lb2'),
      'hosts/lb2/haproxy.cfg': HAPROXY,
    },
    expect: { hosts: false },
  },
  {
    name: 'hosts/<node>/ of configs in conf files only (haproxy.conf: Ansible keeps a partial host "global" but fails the file)',
    files: { 'hosts/lb1/haproxy.conf': HAPROXY, 'hosts/lb2/haproxy.conf': HAPROXY },
    expect: { hosts: false },
  },
  {
    name: 'inventory/ with hosts.ini + group_vars + host_vars',
    files: {
      'inventory/hosts.ini': '[lb]\nlb1 ansible_host=10.0.0.11 prio=150\nlb2 ansible_host=10.0.0.12\n[lb:vars]\nvip=10.0.0.10\n[edge:children]\nlb\n',
      'inventory/group_vars/lb.yml': 'vrid: 51\nauth: s3cret\n',
      'inventory/host_vars/lb2.yml': 'prio: 90\n',
    },
    expect: { inventory: false, 'inventory/hosts.ini': true },
    project: '.',
  },
  {
    name: 'inventory/ with hosts.yml + group_vars',
    files: {
      'inventory/hosts.yml': 'all:\n  vars:\n    vip: 10.0.0.10\n  children:\n    lb:\n      hosts:\n        lb1:\n          prio: 150\n        lb2:\n      vars:\n        vrid: 51\n',
      'inventory/group_vars/all.yml': 'domain: example.net\n',
    },
    expect: { inventory: true },
    project: '.',
  },
  {
    name: 'a plain hosts INI file (no extension)',
    files: { hosts: '# balancers\n[lb]\nlb1 ansible_host=10.0.0.11\nlb2 ansible_host=10.0.0.12 prio=90\n' },
    expect: { hosts: true },
    project: '.',
  },
  {
    name: 'a hosts file that is /etc/hosts',
    files: { hosts: '127.0.0.1 localhost\n10.0.0.11 lb1\n' },
    expect: { hosts: false },
  },
  {
    name: 'an inventory folder with a stray README beside a valid hosts file',
    files: { 'inventory/hosts': '[lb]\nlb1\n', 'inventory/README': 'These are the load balancers.\n', 'inventory/notes.md': '# notes\n' },
    expect: { inventory: false, 'inventory/hosts': true },
  },
  {
    name: 'a folder holding a haconf.yaml-like YAML (groups without hosts)',
    files: { 'hosts/cluster.yml': 'cluster: edge\nhosts:\n  - name: lb1\n    address: 10.0.0.11/24\n' },
    expect: { hosts: false },
  },
  {
    name: 'INI with [g:vars] of an undefined group',
    files: { 'hosts.ini': 'lb1\n[web:vars]\nport=80\n' },
    expect: { 'hosts.ini': false },
  },
];

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ansinv-cwd-'));

/** What ansible-inventory makes of a path: whether it reads it cleanly with hosts, and its --list JSON. */
function ansibleInventory(p: string): { clean: boolean; hosts: string[]; list: AnsibleList } {
  // An empty working folder and HOME: no ansible.cfg but the defaults.
  const r = spawnSync('ansible-inventory', ['-i', p, '--list'], { cwd, encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: cwd, ANSIBLE_NOCOLOR: '1' } });
  if (r.error) assert.fail(`ansible-inventory is not runnable (${r.error.message}); test/setup.sh installs it (apt-get install ansible-core)`);
  const list = JSON.parse(r.stdout || '{}') as AnsibleList;
  const hosts = Object.keys(list._meta?.hostvars ?? {});
  const hostsFromGroups = new Set<string>();
  for (const [g, v] of Object.entries(list)) if (g !== '_meta') for (const h of (v as AnsibleGroup).hosts ?? []) hostsFromGroups.add(h);
  const clean = r.status === 0 && !/Failed to parse|Unable to parse/.test(r.stderr) && hostsFromGroups.size > 0;
  return { clean, hosts: [...new Set([...hosts, ...hostsFromGroups])].sort(), list };
}

interface AnsibleGroup {
  hosts?: string[];
  children?: string[];
}
/** ansible-inventory --list: groups by name, and `_meta.hostvars`. */
type AnsibleList = Record<string, AnsibleGroup> & { _meta?: { hostvars: Record<string, Record<string, unknown>> } };

/** Group → its hosts, children's included (as haconf's `groups`), from ansible-inventory --list. */
function ansibleGroups(list: AnsibleList): Map<string, string[]> {
  const members = (g: string, seen: Set<string>): string[] => {
    if (seen.has(g)) return [];
    seen.add(g);
    const own = list[g]?.hosts ?? [];
    return [...new Set([...own, ...(list[g]?.children ?? []).flatMap((c) => members(c, seen))])].sort();
  };
  const out = new Map<string, string[]>();
  for (const g of Object.keys(list)) if (g !== '_meta' && members(g, new Set()).length) out.set(g, members(g, new Set()));
  return out;
}

for (const layout of LAYOUTS) {
  test(`inventory decision matches ansible-inventory: ${layout.name}`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ansinv-'));
    try {
      for (const [rel, text] of Object.entries(layout.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      for (const [rel, expected] of Object.entries(layout.expect)) {
        const p = path.join(dir, rel);
        const ansible = ansibleInventory(p);
        assert.equal(ansible.clean, expected, `ansible-inventory -i ${rel}: the layout's expectation is wrong`);
        assert.equal(isInventorySource(p), ansible.clean, `haconf's decision on ${rel}`);
      }
      if (layout.project) {
        const found = findInventory(path.join(dir, layout.project));
        assert.ok(found, 'haconf finds the inventory');
        const ansible = ansibleInventory(found);
        assert.ok(ansible.clean, `ansible-inventory reads ${found} cleanly`);
        const inv = loadInventory(found, path.join(dir, layout.project));
        assert.deepEqual(inv.problems, []);
        assert.deepEqual([...inv.hosts.keys()].sort(), ansible.hosts);
        const ours = new Map([...inv.groups].filter(([, hs]) => hs.length).map(([g, hs]) => [g, [...hs].sort()]));
        assert.deepEqual(ours, ansibleGroups(ansible.list));
        for (const h of ansible.hosts) {
          const theirs = ansible.list._meta!.hostvars[h] ?? {};
          const mine = inv.hosts.get(h)!.vars;
          assert.deepEqual(mine, theirs, `variables of ${h}`);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.after(() => fs.rmSync(cwd, { recursive: true, force: true }));
