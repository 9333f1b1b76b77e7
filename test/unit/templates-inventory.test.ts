// Which folders and files count as an Ansible inventory: the way ansible-core decides (see
// server/src/templates/inventorySource.ts). A `hosts/<node>/` folder of per-host configs is not one;
// test/templates/inventory-oracle.test.ts checks the same decisions against the real ansible-inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { collectFiles } from '../../server/src/engine/collect';
import { defaultCheckOptions } from '../../server/src/core/types';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { findInventory, loadInventory } from '../../server/src/templates/inventory';
import { classifyInventoryText, isInventorySource } from '../../server/src/templates/inventorySource';
import { makeWorkspace } from '../deploy/fixture';

const CORRECTED = path.resolve(__dirname, '../../examples/corrected/apiserver-lb');
const TEMPLATE = 'global_defs {\n    router_id {{ inventory_hostname }}\n}\n';

function check(dir: string) {
  const c = collectFiles([dir]);
  return checkWorkspace({ files: c.files, manifests: c.manifests }, defaultCheckOptions(), new NodeSourceHost());
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-inv-'));
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

const shown = (r: ReturnType<typeof check>): string => r.diagnostics.map((d) => `${d.file}:${d.range.start.line + 1} ${d.code} ${d.message}`).join('\n');
const aboutInventory = (r: ReturnType<typeof check>) => r.diagnostics.filter((d) => d.code.startsWith('template/') || /inventory|playbook/i.test(d.message));

test("test/deploy/fixture.ts's layout (hosts/<node>/ configs): hosts/ is no inventory, and a template beside it gets no inventory note", () => {
  const ws = makeWorkspace({ remoteKeepalived: 'same' });
  try {
    // What a deploy leaves in a host folder: the installed configs and the reload log.
    fs.writeFileSync(path.join(ws.dir, 'hosts', 'lb1', 'reloads.log'), 'haproxy\nkeepalived\n');
    assert.equal(findInventory(ws.dir), undefined);
    assert.equal(isInventorySource(path.join(ws.dir, 'hosts')), false);
    write(ws.dir, { 'templates/keepalived.conf.j2': TEMPLATE });
    const r = check(ws.dir);
    assert.deepEqual(aboutInventory(r), [], shown(r));
  } finally {
    ws.cleanup();
  }
});

test('examples/corrected/apiserver-lb laid out as hosts/<node>/keepalived.conf: no inventory note, the same findings as the original layout', () => {
  const dir = tmp();
  try {
    fs.copyFileSync(path.join(CORRECTED, 'haproxy.cfg'), path.join(dir, 'haproxy.cfg'));
    for (const node of ['master1', 'master2', 'master3']) write(dir, { [`hosts/${node}/keepalived.conf`]: fs.readFileSync(path.join(CORRECTED, node, 'keepalived.conf'), 'utf8') });
    write(dir, {
      'haconf.yaml': fs.readFileSync(path.join(CORRECTED, 'haconf.yaml'), 'utf8').replace(/source: (master\d)\//g, 'source: hosts/$1/'),
      'templates/keepalived.conf.j2': TEMPLATE,
    });
    const r = check(dir);
    assert.deepEqual(aboutInventory(r), [], shown(r));
    const codes = (x: ReturnType<typeof check>) => x.diagnostics.map((d) => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.code}`).sort();
    assert.deepEqual(codes(r), codes(check(CORRECTED)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a template shipped by haconf.yaml beside hosts/<node>/ configs: told that there is no inventory, not that its hosts are missing from hosts/', () => {
  const ws = makeWorkspace();
  try {
    write(ws.dir, { 'templates/keepalived.conf.j2': TEMPLATE });
    fs.writeFileSync(ws.manifest, fs.readFileSync(ws.manifest, 'utf8').replace(/source: lb(\d)\/keepalived\.conf/g, 'source: templates/keepalived.conf.j2'));
    const r = check(ws.dir);
    const notes = r.diagnostics.filter((d) => d.code === 'template/not-rendered');
    assert.ok(notes.length > 0, shown(r));
    assert.ok(
      notes.every((d) => /no Ansible inventory found/.test(d.message) && !/not in the inventory/.test(d.message)),
      shown(r),
    );
  } finally {
    ws.cleanup();
  }
});

test('inventory/ with hosts.ini + group_vars: Ansible skips .ini in a folder, so the inventory is inventory/hosts.ini (its group_vars still apply)', () => {
  const dir = tmp();
  try {
    write(dir, { 'inventory/hosts.ini': '[lb]\nlb1 prio=150\nlb2\n', 'inventory/group_vars/lb.yml': 'vrid: 51\n' });
    assert.equal(isInventorySource(path.join(dir, 'inventory')), false);
    const found = findInventory(dir);
    assert.equal(found, path.join(dir, 'inventory', 'hosts.ini'));
    const inv = loadInventory(found!, dir);
    assert.deepEqual([...inv.hosts.keys()], ['lb1', 'lb2']);
    assert.equal(inv.hosts.get('lb2')!.vars.vrid, 51);
    assert.equal(inv.hosts.get('lb1')!.vars.prio, 150);
    assert.deepEqual(inv.problems, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('inventory/ with hosts.yml, a plain hosts INI file: inventories; a hosts file like /etc/hosts, an empty group list: not', () => {
  const dir = tmp();
  try {
    write(dir, {
      'a/inventory/hosts.yml': 'all:\n  children:\n    lb:\n      hosts:\n        lb1:\n        lb2:\n',
      'b/hosts': '# lbs\n[lb]\nlb1 ansible_host=10.0.0.1\n',
      'c/hosts': '127.0.0.1 localhost\n10.0.0.1 lb1\n',
      'd/inventory/lb.yml': 'lb:\n  hosts:\n',
    });
    assert.equal(findInventory(path.join(dir, 'a')), path.join(dir, 'a', 'inventory'));
    assert.equal(findInventory(path.join(dir, 'b')), path.join(dir, 'b', 'hosts'));
    assert.equal(findInventory(path.join(dir, 'c')), undefined);
    assert.equal(findInventory(path.join(dir, 'd')), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an inventory folder named by ansible.cfg reads what Ansible reads: ignored extensions skipped, an unparsable file reported and skipped', () => {
  const dir = tmp();
  try {
    write(dir, {
      'ansible.cfg': '[defaults]\ninventory = inv\n',
      'inv/hosts': '[lb]\nlb1\nlb2\n',
      'inv/old.ini': '[lb]\nlb9\n',
      'inv/notes.cfg': 'whatever goes\n',
      'inv/README': 'These hosts are the load balancers.\n',
    });
    const found = findInventory(dir);
    assert.equal(found, path.join(dir, 'inv'));
    const inv = loadInventory(found!, dir);
    assert.deepEqual([...inv.hosts.keys()], ['lb1', 'lb2']);
    assert.deepEqual(
      inv.problems.map((p) => `${path.basename(p.file)}:${p.line + 1}`),
      ['README:1'],
    );
    assert.match(inv.problems[0].message, /does not parse this file of the inventory folder as an inventory source \(expected key=value host variable assignment, got: hosts\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("inventory file syntax follows Ansible's ini and yaml plugins", () => {
  const v = (name: string, text: string) => {
    const r = classifyInventoryText(name, text);
    return r.kind === 'none' ? `none:${r.line + 1}` : `${r.kind}:${r.hosts}`;
  };
  assert.equal(v('/x/hosts', '[lb]\nlb1 a=1 b="x y" # c\nlb2:2222\n[lb:vars]\nk = v\n[all:children]\nlb\n'), 'ini:2');
  assert.equal(v('/x/hosts', 'lb1\n[web:vars]\nk=v\n'), 'none:2');
  assert.equal(v('/x/hosts', '[g:children]\nmissing\n'), 'none:2');
  assert.equal(v('/x/hosts', '[g:children]\nlater\n[later]\nh1\n'), 'ini:1');
  assert.equal(v('/x/hosts', '[lb:weird]\n'), 'none:1');
  assert.equal(v('/x/hosts', '[ bad ]\n'), 'none:1');
  assert.equal(v('/x/hosts', 'lb1 "unclosed\n'), 'none:1');
  assert.equal(v('/x/hosts.ini', 'lb1:\n'), 'none:1');
  assert.equal(v('/x/hosts', 'lb1:\n'), 'yaml:0'); // a YAML mapping: the yaml plugin reads a group lb1
  assert.equal(v('/x/keepalived.conf', 'global_defs {\n  router_id lb1\n}\n'), 'none:1');
  assert.equal(v('/x/keepalived.conf', '! Configuration File for keepalived\n'), 'none:1');
  assert.equal(v('/x/hosts.yml', 'all:\n  hosts:\n    a:\n    b:\n  children:\n    lb:\n      hosts: c\n'), 'yaml:3');
  assert.equal(v('/x/hosts.yml', 'all:\n  hosts: [a, b]\n'), 'none:1');
  assert.equal(v('/x/ec2.yml', 'plugin: amazon.aws.aws_ec2\n'), 'none:1');
  assert.equal(v('/x/haconf.yaml', 'cluster: c\nhosts:\n  - name: lb1\n'), 'yaml:0');
  assert.equal(v('/x/site.yml', '- hosts: lb\n  roles: [lb]\n'), 'none:1');
  // No extension: YAML first, then INI, as Ansible's plugin order.
  assert.equal(v('/x/hosts', 'lb:\n  hosts:\n    lb1:\n'), 'yaml:1');
  assert.equal(v('/x/hosts', '#!/usr/bin/env python3\nprint("{}")\n'), 'none:1');
  assert.equal(v('/x/hosts', ''), 'ini:0');
});
