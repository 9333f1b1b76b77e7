// A whole cluster under random edits: the corrected apiserver-lb example (haconf.yaml, haproxy.cfg and
// three keepalived.conf) edited line by line with the lines the cross-file rules read (VRIDs, priorities,
// states, weights, auth_pass, VIPs, ports, manifest hosts and files). The workspace model, re-checking
// only what each edit touches, must report exactly what a fresh model reports for the final texts.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { defaultCheckOptions } from '../../server/src/core/types';
import { checkIncremental, lineChange, type WorkspaceEdit } from './incremental';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

const EXAMPLE = path.resolve(__dirname, '../../examples/corrected/apiserver-lb');
const NAMES = ['haconf.yaml', 'haproxy.cfg', 'master1/keepalived.conf', 'master2/keepalived.conf', 'master3/keepalived.conf'];
const FILES: Record<string, string> = Object.fromEntries(NAMES.map((n) => [`lb/${n}`, fs.readFileSync(path.join(EXAMPLE, n), 'utf8')]));

/** Lines for each file, by index in NAMES. */
const LINES: string[][] = [
  [
    '  - name: master4',
    '    address: 10.53.61.44/24',
    '      - { source: master1/keepalived.conf, target: /etc/keepalived/keepalived.conf }',
    '      - { source: master3/keepalived.conf, target: /etc/keepalived/keepalived.conf, kind: keepalived }',
    '    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }',
    'kubernetes:',
    '  apiserverPort: 9443',
    'keepalived:',
    '  version: "2.2"',
    '',
  ],
  ['    bind *:6443', '    bind *:9443', '    server master-x 10.53.61.200:6443', '    mode http', 'listen stats', '    bind *:8404', ''],
  ['    virtual_router_id 52', '    priority 120', '    state BACKUP', '    weight 2', '    auth_pass longer-than-eight', '        10.53.61.201/32 dev eth0', '    nopreempt', '}', ''],
];
const linesFor = (file: number) => LINES[Math.min(file, 2)];

const edit: fc.Arbitrary<WorkspaceEdit> = fc
  .record({ file: fc.nat(NAMES.length - 1), op: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), pick: fc.nat(), flush: fc.boolean() })
  .map(({ file, op, at, pick, flush }) => ({ file, change: lineChange(op, at, linesFor(file)[pick % linesFor(file).length]), flush }));

// A split HAProxy configuration named by a manifest: haproxy.cfg then extra.cfg on every host, in the
// manifest's order; the manifest's lines reorder, drop and add them.
const SPLIT: Record<string, string> = {
  'lb/haconf.yaml':
    'cluster: split\ndefaults:\n  files:\n    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }\n    - { source: extra.cfg, target: /etc/haproxy/conf.d/extra.cfg }\nhosts:\n  - { name: lb1, address: 10.0.0.1/24 }\n  - { name: lb2, address: 10.0.0.2/24 }\n',
  'lb/haproxy.cfg':
    'global\n    maxconn 100\n\ndefaults d1\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend f1\n    bind :8080\n    default_backend b1\n',
  'lb/extra.cfg': 'backend b1\n    server s1 10.0.0.11:30080 check\n',
};
const SPLIT_LINES: string[][] = [
  [
    '    - { source: extra.cfg, target: /etc/haproxy/conf.d/extra.cfg }',
    '    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }',
    '    - { source: extra.cfg, target: /etc/haproxy/extra.cfg, kind: haproxy }',
    '  - { name: lb3, address: 10.0.0.3/24 }',
    '',
  ],
  ['backend b1', 'defaults d1', '    mode tcp', '    http-request deny', 'frontend f2 from d1', '    use_backend b2', '    timeout client 5s', ''],
  ['backend b2 from d1', 'backend b1', '    server s2 10.0.0.12:30080 track b1/s1', 'defaults d2', '    mode tcp', 'global', ''],
];

const splitEdit: fc.Arbitrary<WorkspaceEdit> = fc
  .record({ file: fc.nat(2), op: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), pick: fc.nat(), flush: fc.boolean() })
  .map(({ file, op, at, pick, flush }) => ({ file, change: lineChange(op, at, SPLIT_LINES[file][pick % SPLIT_LINES[file].length]), flush }));

test('a split HAProxy configuration named by a manifest, edited line by line, agrees with a fresh workspace', () => {
  fc.assert(
    fc.property(fc.array(splitEdit, { minLength: 1, maxLength: 8 }), fc.constantFrom('2.6', '3.0', '3.2'), (edits, version) =>
      checkIncremental(SPLIT, edits, defaultCheckOptions({ haproxyVersion: version })),
    ),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true, includeErrorInReport: true },
  );
});

test('a cluster (manifest, haproxy.cfg, three keepalived.conf) edited line by line agrees with a fresh workspace', () => {
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => checkIncremental(FILES, edits)),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true, includeErrorInReport: true },
  );
});

// Jinja2 templates rendered per host from an Ansible inventory (examples/ansible-role): the inventory,
// the group and host variables and the templates edited line by line; the renderings (and the cluster
// they form) must follow every edit as a fresh workspace sees the final files.
const ROLE = path.resolve(__dirname, '../../examples/ansible-role');
const ROLE_NAMES = [
  'inventory/host_vars/lb2.yml',
  'inventory/group_vars/lb.yml',
  'inventory/hosts.ini',
  'roles/lb/templates/keepalived.conf.j2',
  'roles/lb/templates/haproxy.cfg.j2',
  'inventory/host_vars/lb1.yml',
  'inventory/host_vars/lb3.yml',
  'inventory/group_vars/all.yml',
  'roles/lb/templates/corosync.conf.j2',
  'roles/lb/defaults/main.yml',
  'roles/lb/tasks/main.yml',
  'site.yml',
  'ansible.cfg',
];
const ROLE_FILES: Record<string, string> = Object.fromEntries(ROLE_NAMES.map((n) => [`role/${n}`, fs.readFileSync(path.join(ROLE, n), 'utf8')]));
const ROLE_LINES: string[][] = [
  ['keepalived_vrid: 51', 'keepalived_vrid: 53', 'keepalived_priority: 200', 'keepalived_vip: 10.0.0.101', ''],
  ['keepalived_vrid: 52', 'keepalived_auth_pass: a-very-long-password', 'keepalived_unicast: false', 'haproxy_port: 8080', ''],
  ['lb4 ansible_host=10.0.0.14', 'lb2 ansible_host=10.0.0.12 keepalived_priority=150', '[lb]', ''],
  ['    virtual_router_id 60', '    priority {{ keepalived_priority | default(90) }}', '    nopreempt', '{% if false %}', '{% endif %}', ''],
  ['    bind *:{{ haproxy_port + 1 }}', '    timeout client 5s', '    mode tcp', ''],
];
const roleEdit: fc.Arbitrary<WorkspaceEdit> = fc
  .record({ file: fc.nat(ROLE_LINES.length - 1), op: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), pick: fc.nat(), flush: fc.boolean() })
  .map(({ file, op, at, pick, flush }) => ({ file, change: lineChange(op, at, ROLE_LINES[file][pick % ROLE_LINES[file].length]), flush }));

test('an Ansible role (inventory, variables, templates) edited line by line agrees with a fresh workspace', () => {
  fc.assert(
    fc.property(fc.array(roleEdit, { minLength: 1, maxLength: 6 }), (edits) => checkIncremental(ROLE_FILES, edits)),
    { numRuns: Math.max(1, Math.round(RUNS / 2)), ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true, includeErrorInReport: true },
  );
});
