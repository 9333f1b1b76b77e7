// Config files for lab hosts: the shapes people run in front of Kubernetes NodePorts, parametrised by
// the numbers the failover tests vary (priorities, check weight, timers).
import type { LabHost, LabPlan } from './lab';

export interface VrrpParams {
  /** Base priority per host index (1-based); hosts without an entry get 100 - 10 × (index - 1). */
  priorities: Record<number, number>;
  /** Weight of the haproxy check; 0 puts the instance in FAULT when the check fails. */
  weight: number;
  vrid?: number;
  /** Seconds between checks. */
  interval?: number;
  fall?: number;
  rise?: number;
  /** Seconds between VRRP adverts. */
  advertInt?: number;
}

export const VRRP_DEFAULTS = { vrid: 61, interval: 1, fall: 2, rise: 2, advertInt: 1 } as const;

export function keepalivedConf(h: LabHost, plan: LabPlan, p: VrrpParams): string {
  const o = { ...VRRP_DEFAULTS, ...p };
  const prio = p.priorities[h.index] ?? 100 - 10 * (h.index - 1);
  return `global_defs {
    router_id ${h.name}
    enable_script_security
    script_user root
}

vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"
    interval ${o.interval}
    fall ${o.fall}
    rise ${o.rise}
    weight ${o.weight}
}

vrrp_instance VI_K8S {
    state BACKUP
    interface ${h.iface}
    virtual_router_id ${o.vrid}
    priority ${prio}
    advert_int ${o.advertInt}
    authentication {
        auth_type PASS
        auth_pass lab${o.vrid}
    }
    virtual_ipaddress {
        ${plan.vip}/${h.prefixLen} dev ${h.iface}
    }
    track_script {
        chk_haproxy
    }
}
`;
}

/** One haproxy.cfg for every LB host: the VIP on :80 in front of the worker's NodePort. */
export function haproxyCfg(plan: LabPlan): string {
  return `global
    chroot /var/lib/haproxy
    stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners
    user haproxy
    group haproxy
    daemon

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s

frontend fe_k8s_http
    bind ${plan.vip}:80
    default_backend be_k8s_nodeport

backend be_k8s_nodeport
    server w1 ${plan.worker.ip}:${plan.worker.port} check inter 1s
`;
}

export const LAB_HAPROXY_TARGET = '/etc/haproxy/haproxy.cfg';
export const LAB_KEEPALIVED_TARGET = '/etc/keepalived/keepalived.conf';

/**
 * The haconf.yaml of a workspace that deploys to the lab: the shared haproxy.cfg and one keepalived.conf per
 * host (`<host>/keepalived.conf`), host keys checked strictly against the lab's known_hosts. There is no
 * systemd in the lab: haproxy reloads with a socket handover, keepalived with SIGHUP.
 */
export function labManifest(o: {
  cluster: string;
  plan: LabPlan;
  user: string;
  keyPath: string;
  knownHostsPath: string;
  connectTimeout: number;
  settleSeconds: number;
  /** The address a host is written with (default: its lab IP). */
  addressOf?: (host: string, ip: string) => string;
}): string {
  const hosts = o.plan.hosts
    .map((h) => `  - name: ${h.name}\n    address: ${o.addressOf ? o.addressOf(h.name, h.ip) : h.ip}/24\n    files:\n      - { source: ${h.name}/keepalived.conf, target: ${LAB_KEEPALIVED_TARGET} }\n`)
    .join('');
  return `cluster: ${o.cluster}
defaults:
  ssh: { user: ${o.user}, identityFile: ${o.keyPath}, knownHostsFile: ${o.knownHostsPath}, strictHostKeyChecking: "yes", connectTimeout: ${o.connectTimeout} }
  files:
    - { source: haproxy.cfg, target: ${LAB_HAPROXY_TARGET} }
  services:
    haproxy: { validate: "haproxy -c -f {file}", reload: "haproxy -D -f ${LAB_HAPROXY_TARGET} -p /run/haproxy.pid -x /run/haproxy/admin.sock -sf $(cat /run/haproxy.pid)" }
    keepalived: { validate: "keepalived -t -f {file}", reload: "kill -HUP $(cat /run/keepalived.pid)" }
hosts:
${hosts}deploy:
  settleSeconds: ${o.settleSeconds}
  keepBackups: 3
  auditLog: .haconf/audit.jsonl
`;
}
