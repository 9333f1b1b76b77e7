// An Ansible-role workspace for deploy tests (our own templates, in the style of examples/ansible-role):
// roles/lb/templates/{haproxy.cfg,keepalived.conf}.j2, an INI inventory named by ansible.cfg, group_vars and
// host_vars, a site.yml whose role task renders into `render_dir` (so the real ansible-playbook can render
// the same files as an oracle), and a haconf.yaml that ships both templates to every host. The rendered
// keepalived.conf differs per host (router_id, priority from host_vars, unicast source and peers); the
// haproxy.cfg carries a secret that no config keyword announces (an API key header).
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RoleHost {
  name: string;
  ip: string;
  iface: string;
  prefixLen: number;
}

export interface RoleWorkspaceOptions {
  hosts: RoleHost[];
  vip: string;
  worker: { ip: string; port: number };
  /** Target paths on a host (`dir`: the workspace folder). */
  targets: (host: string, dir: string) => { haproxy: string; keepalived: string };
  /** YAML lines under `defaults:` after `ssh:` (indented 2), e.g. services. */
  defaults: string;
  /** Extra lines per host in haconf.yaml (indented 4). */
  hostExtra?: (host: string, dir: string) => string;
  /** Base priority per host name (default 100, 90, 80, …). */
  priorities?: Record<string, number>;
  /** `ssh:` flow mapping under defaults (default `{ user: root }`). */
  ssh?: string;
  settleSeconds?: number;
}

export interface RoleWorkspace {
  dir: string;
  manifest: string;
  templates: { haproxy: string; keepalived: string };
  /** Secrets the inventory holds; they must never reach output. */
  secrets: string[];
  cleanup: () => void;
}

export const AUTH_PASS = 'Lb5ecr3t';
export const BACKEND_KEY = 'k3y-' + 'f00dfeedcafe0123';

const KEEPALIVED_J2 = `# keepalived for {{ inventory_hostname }} (rendered by haconf deploy or ansible)
global_defs {
    router_id {{ inventory_hostname | upper }}
    enable_script_security
    script_user root
}

vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"
    interval 1
    fall 2
    rise 2
    weight {{ keepalived_check_weight }}
}

vrrp_instance VI_LB {
    state BACKUP
    interface {{ keepalived_interface }}
    virtual_router_id {{ keepalived_vrid }}
    priority {{ keepalived_priority | default(100) }}
    advert_int 1
    unicast_src_ip {{ ansible_host }}
    unicast_peer {
{% for peer in groups['lb'] if peer != inventory_hostname %}
        {{ hostvars[peer].ansible_host }}
{% endfor %}
    }
    authentication {
        auth_type PASS
        auth_pass {{ keepalived_auth_pass }}
    }
    virtual_ipaddress {
        {{ keepalived_vip }}/{{ keepalived_prefix }} dev {{ keepalived_interface }}
    }
    track_script {
        chk_haproxy
    }
}
`;

const HAPROXY_J2 = `# haproxy for {{ inventory_hostname }}, one of {{ groups['lb'] | length }} load balancers
global
    chroot /var/lib/haproxy
    stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners
    user haproxy
    group haproxy
    daemon

defaults
    mode http
    timeout connect 2s
    timeout client {{ haproxy_timeout_client }}
    timeout server 30s

frontend fe_k8s_http
    bind {{ keepalived_vip }}:80
    http-request set-header X-Backend-Key {{ haproxy_backend_key }}
    default_backend be_k8s_nodeport

backend be_k8s_nodeport
{% for w in haproxy_workers %}
    server {{ w.name }} {{ w.ip }}:{{ w.port }} check inter 1s
{% endfor %}
`;

const TASKS = `---
- name: Folder for this host's rendered files
  ansible.builtin.file:
    path: "{{ render_dir }}/{{ inventory_hostname }}"
    state: directory
    mode: "0755"

- name: Render the load balancer configs
  ansible.builtin.template:
    src: "{{ item }}.j2"
    dest: "{{ render_dir }}/{{ inventory_hostname }}/{{ item }}"
    mode: "0644"
  loop:
    - haproxy.cfg
    - keepalived.conf
`;

function write(dir: string, rel: string, text: string): void {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

export function writeRoleWorkspace(o: RoleWorkspaceOptions): RoleWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-role-'));
  write(dir, 'ansible.cfg', '[defaults]\ninventory = inventory/hosts.ini\n');
  write(dir, 'site.yml', '---\n- name: Load balancers\n  hosts: lb\n  gather_facts: false\n  roles:\n    - lb\n');
  write(dir, 'roles/lb/tasks/main.yml', TASKS);
  write(dir, 'roles/lb/defaults/main.yml', '---\nhaproxy_timeout_client: 30s\nkeepalived_check_weight: 20\n');
  write(dir, 'roles/lb/templates/keepalived.conf.j2', KEEPALIVED_J2);
  write(dir, 'roles/lb/templates/haproxy.cfg.j2', HAPROXY_J2);
  write(dir, 'inventory/hosts.ini', `[lb]\n${o.hosts.map((h) => `${h.name} ansible_host=${h.ip} keepalived_interface=${h.iface}`).join('\n')}\n`);
  write(
    dir,
    'inventory/group_vars/lb.yml',
    `---
keepalived_vrid: 61
keepalived_vip: ${o.vip}
keepalived_prefix: ${o.hosts[0].prefixLen}
keepalived_auth_pass: ${AUTH_PASS}
haproxy_backend_key: ${BACKEND_KEY}
haproxy_workers:
  - { name: w1, ip: ${o.worker.ip}, port: ${o.worker.port} }
`,
  );
  for (const [i, h] of o.hosts.entries()) write(dir, `inventory/host_vars/${h.name}.yml`, `---\nkeepalived_priority: ${o.priorities?.[h.name] ?? 100 - 10 * i}\n`);
  const hostsYaml = o.hosts
    .map((h) => {
      const t = o.targets(h.name, dir);
      return `  - name: ${h.name}
    address: ${h.ip}/${h.prefixLen}
    files:
      - { source: roles/lb/templates/haproxy.cfg.j2, target: ${t.haproxy} }
      - { source: roles/lb/templates/keepalived.conf.j2, target: ${t.keepalived} }
${o.hostExtra?.(h.name, dir) ?? ''}`;
    })
    .join('');
  const manifest = path.join(dir, 'haconf.yaml');
  fs.writeFileSync(
    manifest,
    `cluster: role-lab
defaults:
  ssh: ${o.ssh ?? '{ user: root }'}
${o.defaults}hosts:
${hostsYaml}deploy:
  settleSeconds: ${o.settleSeconds ?? 0}
  keepBackups: 3
  auditLog: .haconf/audit.jsonl
`,
  );
  return {
    dir,
    manifest,
    templates: { haproxy: path.join(dir, 'roles/lb/templates/haproxy.cfg.j2'), keepalived: path.join(dir, 'roles/lb/templates/keepalived.conf.j2') },
    secrets: [AUTH_PASS, BACKEND_KEY],
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The real ansible-playbook's rendering of the workspace (connection local, into a temp folder): sha256 of
 * `<host>/<file>`. Fails loudly when ansible-playbook is missing (test/setup.sh installs ansible-core).
 */
export function ansibleRenderings(ws: RoleWorkspace): Map<string, string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-role-ansible-'));
  try {
    const r = spawnSync('ansible-playbook', ['site.yml', '-c', 'local', '-e', `render_dir=${out}`, '-e', 'ansible_python_interpreter=/usr/bin/python3'], {
      cwd: ws.dir,
      encoding: 'utf8',
      timeout: 180000,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' },
    });
    if (r.error) throw new Error(`ansible-playbook is not runnable (${r.error.message}); test/setup.sh installs it (apt-get install ansible-core)`);
    if (r.status !== 0) throw new Error(`ansible-playbook failed in ${ws.dir}:\n${r.stdout}${r.stderr}`);
    const shas = new Map<string, string>();
    for (const host of fs.readdirSync(out))
      for (const file of fs.readdirSync(path.join(out, host)))
        shas.set(
          `${host}/${file}`,
          crypto
            .createHash('sha256')
            .update(fs.readFileSync(path.join(out, host, file)))
            .digest('hex'),
        );
    return shas;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
