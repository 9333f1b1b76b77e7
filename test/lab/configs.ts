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
