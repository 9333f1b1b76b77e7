// The text of every file `haconf init` writes, rendered from one ScaffoldPlan (plan.ts). Each file says in
// its header comment where its numbers come from, so a reader can see why the cluster fails over.
import type { ScaffoldPlan } from './plan';

/** Relative path → file text, in the order they are written and listed. */
export type ScaffoldFiles = Map<string, string>;

const KEEPALIVED_TARGET = '/etc/keepalived/keepalived.conf';

/** keepalived's track script: asks HAProxy's own monitor-uri, so a live process that no longer serves counts as failed. */
export function healthCommand(plan: ScaffoldPlan): string {
  return `/usr/bin/curl -fsS --max-time 2 -o /dev/null http://127.0.0.1:${plan.healthPort}/healthz`;
}

/** vrrp_instance name shared by every node: VI_ and the cluster name, keepalived-safe. */
export function instanceName(plan: ScaffoldPlan): string {
  return `VI_${plan.cluster.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function arithmetic(plan: ScaffoldPlan, comment: string): string {
  const bases = plan.nodes.map((n) => n.priority);
  const healthy = bases.map((p) => p + plan.weight);
  const lowestHealthy = Math.min(...healthy);
  return [
    `${comment} Failover: base priorities ${bases.join('/')}, +${plan.weight} while HAProxy answers on 127.0.0.1:${plan.healthPort},`,
    `${comment} so healthy nodes run at ${healthy.join('/')}. A node whose HAProxy stops falls back to its base (at most`,
    `${comment} ${Math.max(...bases)}), below every healthy node (at least ${lowestHealthy}), and the best healthy node takes the VIP.`,
    `${comment} No nopreempt anywhere: it would pin the VIP to a failed node. See the table with \`haconf cluster\`.`,
  ].join('\n');
}

export function renderKeepalived(plan: ScaffoldPlan, index: number): string {
  const node = plan.nodes[index];
  const peers = plan.nodes.filter((_, i) => i !== index);
  return `! ${plan.cluster}: keepalived.conf on ${node.name} (${node.ip}), written by \`haconf init\`.
${arithmetic(plan, '!')}
global_defs {
    router_id ${node.name}
    ! keepalived refuses a script that anyone but root could modify. The check runs as root: with any
    ! other script_user, keepalived 2.2.7's own config test (keepalived -t, which haconf deploy runs on
    ! every host) kills itself with SIGTERM. The check only reads 127.0.0.1.
    enable_script_security
    script_user root
}

! Asks HAProxy itself (its monitor-uri) rather than looking for a process.
vrrp_script chk_haproxy {
    script "${healthCommand(plan)}"
    interval 2
    timeout 3
    fall 2
    rise 2
    weight ${plan.weight}
}

vrrp_instance ${instanceName(plan)} {
    state ${index === 0 ? 'MASTER' : 'BACKUP'}
    interface ${plan.iface}
    virtual_router_id ${plan.vrid}
    priority ${node.priority}
    advert_int 1
    ! Adverts go only to the other nodes (unicast), not to the whole segment.
    unicast_src_ip ${node.ip}
    unicast_peer {
${peers.map((p) => `        ${p.ip}`).join('\n')}
    }
    ! The same 8-character password on every node (VRRPv2 PASS: a guard against stray routers, not security).
    authentication {
        auth_type PASS
        auth_pass ${plan.authPass}
    }
    virtual_ipaddress {
        ${plan.vip}/${plan.prefix} dev ${plan.iface}
    }
    track_script {
        chk_haproxy
    }
}
`;
}

function serverName(plan: ScaffoldPlan, ip: string, i: number): string {
  const node = plan.nodes.find((n) => n.ip === ip);
  if (node) return node.name;
  return plan.kind === 'apiserver' ? `apiserver${i + 1}` : `worker${i + 1}`;
}

export function renderHaproxy(plan: ScaffoldPlan): string {
  const apiserver = plan.kind === 'apiserver';
  const who = plan.nodes.map((n) => n.name).join(', ');
  const vipNote =
    plan.kind === 'pacemaker'
      ? `# Pacemaker moves the VIP ${plan.vip}; HAProxy binds the wildcard address, so a standby needs no ip_nonlocal_bind.`
      : `# keepalived moves the VIP ${plan.vip}; HAProxy binds the wildcard address, so a backup needs no ip_nonlocal_bind.`;
  const out: string[] = [
    `# ${plan.cluster}: the haproxy.cfg of every node (${who}), written by \`haconf init\` for HAProxy ${plan.haproxyVersion}.`,
    vipNote,
    'global',
    '    log /dev/log local0',
    '    chroot /var/lib/haproxy',
    '    pidfile /run/haproxy.pid',
    '    maxconn 4000',
    '    user haproxy',
    '    group haproxy',
    '    daemon',
    '    # Runtime API on a root-only unix socket; expose-fd listeners lets a reload hand the sockets over.',
    '    stats socket /run/haproxy/admin.sock mode 600 level admin expose-fd listeners',
    '',
    apiserver
      ? '# The Kubernetes API is TLS end to end: HAProxy only forwards TCP. Watches stay open for a long time,\n# so the idle timeouts are long too.'
      : '# TCP forwarding to the NodePorts: TLS and HTTP stay with the ingress controller in Kubernetes.',
    'defaults',
    '    mode tcp',
    '    log global',
    '    option tcplog',
    '    option dontlognull',
    '    option redispatch',
    '    retries 3',
    '    timeout queue 30s',
    '    timeout connect 5s',
    `    timeout client ${apiserver ? '1h' : '10m'}`,
    `    timeout server ${apiserver ? '1h' : '10m'}`,
    '    timeout check 5s',
    '    maxconn 3000',
    '',
    "# What keepalived's chk_haproxy asks: answers 200 while this HAProxy accepts connections.",
    'frontend health',
    `    bind 127.0.0.1:${plan.healthPort}`,
    '    mode http',
    '    option httplog',
    '    monitor-uri /healthz',
    '',
    `# Statistics on the loopback address only: ssh -L ${plan.statsPort}:127.0.0.1:${plan.statsPort} NODE, then http://127.0.0.1:${plan.statsPort}/stats`,
    'listen stats',
    `    bind 127.0.0.1:${plan.statsPort}`,
    '    mode http',
    '    option httplog',
    '    stats enable',
    '    stats uri /stats',
    '    stats refresh 10s',
  ];
  if (apiserver) {
    out.push(
      '',
      'frontend kubernetes-apiserver',
      `    bind *:${plan.frontendPort}`,
      '    default_backend kubernetes-apiserver',
      '',
      "# Health is the apiserver's own /readyz over TLS (its certificate is not checked: only readiness is).",
      'backend kubernetes-apiserver',
      '    balance roundrobin',
      '    option httpchk',
      '    http-check send meth GET uri /readyz',
      '    http-check expect status 200',
      '    default-server check check-ssl verify none inter 5s fall 3 rise 2',
      ...plan.backends.map((b, i) => `    server ${serverName(plan, b, i)} ${b}:6443`),
    );
  } else {
    for (const p of plan.ports) {
      const name = `nodeport_${p.nodePort}`;
      out.push(
        '',
        `frontend ${name}`,
        `    bind *:${p.listen}`,
        `    default_backend ${name}`,
        '',
        `backend ${name}`,
        '    balance roundrobin',
        '    default-server check inter 2s fall 3 rise 2',
        ...plan.backends.map((b, i) => `    server ${serverName(plan, b, i)} ${b}:${p.nodePort}`),
      );
    }
  }
  return out.join('\n') + '\n';
}

export function renderCorosync(plan: ScaffoldPlan): string {
  const two = plan.nodes.length === 2;
  return `# ${plan.cluster}: the corosync.conf of every node (${plan.nodes.map((n) => n.name).join(', ')}), written by \`haconf init\` (corosync 3).
# The same file on every node. /etc/corosync/authkey must be the same on every node too: make it once with
# corosync-keygen (mode 0400) and copy it to the others.
totem {
    version: 2
    cluster_name: ${plan.cluster}
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
}

logging {
    to_stderr: no
    to_logfile: no
    to_syslog: yes
    timestamp: on
}

nodelist {
${plan.nodes
  .map(
    (n, i) => `    node {
        ring0_addr: ${n.ip}
        name: ${n.name}
        nodeid: ${i + 1}
    }`,
  )
  .join('\n')}
}

${
  two
    ? `# Two nodes: two_node keeps the survivor quorate when its peer dies (and implies wait_for_all at start-up).
quorum {
    provider: corosync_votequorum
    two_node: 1
}`
    : `# ${plan.nodes.length} nodes, one vote each: a partition keeps quorum only with a majority.
quorum {
    provider: corosync_votequorum
}`
}
`;
}

/** The Pacemaker side, which is not a file on the hosts: pcs commands to run once on one node. */
export function renderPcs(plan: ScaffoldPlan): string {
  return `#!/bin/sh
# ${plan.cluster}: Pacemaker resources for the VIP, written by \`haconf init\`. Run once, on one node, after
# corosync runs on every node with the deployed corosync.conf. haconf does not run this file.
set -eu
# HAProxy runs on every node; the VIP runs where a healthy HAProxy runs.
pcs resource create haproxy systemd:haproxy op monitor interval=5s clone
pcs resource create vip ocf:heartbeat:IPaddr2 ip=${plan.vip} cidr_netmask=${plan.prefix} op monitor interval=5s
pcs constraint colocation add vip with haproxy-clone INFINITY
pcs constraint order haproxy-clone then vip
# Configure fencing (stonith) for your hardware before production; without it Pacemaker cannot recover
# safely from a node that stops answering.
`;
}

export function renderManifest(plan: ScaffoldPlan): string {
  const kindLine = {
    nodeport: 'keepalived + HAProxy in front of Kubernetes NodePorts',
    apiserver: `keepalived + HAProxy on ${plan.frontendPort} in front of the Kubernetes apiservers (6443)`,
    pacemaker: 'Pacemaker/corosync VIP + HAProxy in front of Kubernetes NodePorts',
  }[plan.kind];
  const out: string[] = [
    `# ${plan.cluster}: ${kindLine}; VIP ${plan.vip}/${plan.prefix}. Written by \`haconf init\`.`,
    '# Check it with `haconf check`, see who holds the VIP when a check fails with `haconf cluster`,',
    '# roll it out with `haconf deploy --dry-run`, then `haconf deploy`.',
    `cluster: ${plan.cluster}`,
    'defaults:',
    `  ssh: { user: ${plan.sshUser} }`,
    '  files:',
    '    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }',
  ];
  if (plan.kind === 'pacemaker') out.push('    - { source: corosync.conf, target: /etc/corosync/corosync.conf }');
  out.push('hosts:');
  for (const n of plan.nodes) {
    out.push(`  - name: ${n.name}`, `    address: ${n.ip}/${plan.prefix}`);
    if (plan.kind !== 'pacemaker') out.push('    files:', `      - { source: ${n.name}/keepalived.conf, target: ${KEEPALIVED_TARGET}, mode: "0600" }`);
  }
  if (plan.kind !== 'apiserver') {
    out.push('kubernetes:', `  workers: [${plan.backends.join(', ')}]`);
    if (plan.listedNodePorts.length) {
      if (plan.portsNote) out.push(`  # ${plan.portsNote}`);
      out.push(`  nodePorts: [${plan.listedNodePorts.join(', ')}]`);
    }
    if (plan.serviceManifests.length) out.push(`  manifests: [${plan.serviceManifests.map((m) => JSON.stringify(m)).join(', ')}]`);
  }
  return out.join('\n') + '\n';
}

export function renderScaffold(plan: ScaffoldPlan): ScaffoldFiles {
  const files: ScaffoldFiles = new Map();
  files.set('haconf.yaml', renderManifest(plan));
  files.set('haproxy.cfg', renderHaproxy(plan));
  if (plan.kind === 'pacemaker') {
    files.set('corosync.conf', renderCorosync(plan));
    files.set('pcs-resources.sh', renderPcs(plan));
  } else {
    for (const [i, n] of plan.nodes.entries()) files.set(`${n.name}/keepalived.conf`, renderKeepalived(plan, i));
  }
  return files;
}
