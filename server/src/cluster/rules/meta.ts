// The metadata of the cluster/* codes (docs/rules.md is generated from it, in this order). Rule objects
// point at their entry (`META['cluster/…']`); a new rule may equally carry its RuleMeta inline.
import type { RuleMeta } from '../../core/types';

const list = ([] = [
  {
    code: 'cluster/vrid-mismatch',
    defaultSeverity: 'error',
    summary: 'VRRP peers disagree on virtual_router_id; reported on the odd one out.',
    rationale: "Peers with different VRIDs ignore each other's adverts, so each believes it is alone and takes the VIP: two nodes answer for one address.",
    example: '# master1: virtual_router_id 61\n# master2: virtual_router_id 62',
    fix: 'Set the majority value.',
  },
  {
    code: 'cluster/vip-mismatch',
    defaultSeverity: 'error',
    summary: 'VRRP peers carry different virtual_ipaddress sets.',
    rationale: 'After a failover some addresses would vanish or appear on two nodes.',
    example: '# master1: 192.168.10.10\n# master2: 192.168.10.11',
  },
  {
    code: 'cluster/advert-int-mismatch',
    defaultSeverity: 'error',
    summary: 'VRRP peers use different advert_int values.',
    rationale: 'VRRPv2 drops adverts whose interval differs from its own, so the peers stop seeing each other.',
    example: '# master1: advert_int 1\n# master2: advert_int 2',
    fix: 'Set the majority value.',
  },
  {
    code: 'cluster/auth-mismatch',
    defaultSeverity: 'error',
    summary: 'auth_type, or the first 8 characters of auth_pass, differ between peers.',
    rationale: 'Adverts failing authentication are dropped: every node becomes MASTER. Only 8 characters count, so longer passwords that differ late still match.',
    example: '# master1: auth_pass secret1\n# master2: auth_pass secret2',
    fix: 'Set the majority value.',
  },
  {
    code: 'cluster/priority-conflict',
    defaultSeverity: 'warning',
    summary: 'Equal base priorities, several `state MASTER` nodes, or a MASTER below a BACKUP.',
    rationale: 'The election then depends on start order and IP order, and the VIP moves when nobody expects it.',
    example: '# master1: state MASTER, priority 100\n# master2: state BACKUP, priority 100',
  },
  {
    code: 'cluster/failover-blocked',
    defaultSeverity: 'error',
    summary: 'The failover simulation shows that a failed check on the VIP holder does not move the VIP.',
    rationale: 'Weights smaller than the priority gap, clamping at 254 or nopreempt leave the VIP on a node whose haproxy is down: the outage the cluster exists to prevent.',
    example: '# master1: priority 100, track weight -5\n# master2: priority 90\n# master1 falls to 95, master2 stays at 90',
  },
  {
    code: 'cluster/vip-outside-subnet',
    defaultSeverity: 'warning',
    summary: "A VIP outside the node's subnet (needs host addresses with a prefix in haconf.yaml).",
    rationale: 'Neighbours cannot resolve the address by ARP; the VIP is unreachable even when it is up.',
    example: '# host 172.16.10.100/24, VIP 192.168.10.10',
  },
  {
    code: 'cluster/unicast-peer-mismatch',
    defaultSeverity: 'error',
    summary: "A node's unicast_peer list is not exactly the other nodes' addresses, or holds its own.",
    rationale: 'In unicast mode a node only hears the peers it lists; a missing peer means two MASTERs.',
    example: '# master1: unicast_peer { 10.0.0.12 }   # forgets 10.0.0.13',
  },
  {
    code: 'cluster/track-port-unbound',
    defaultSeverity: 'error',
    summary: 'A vrrp_script probes a port no haproxy bind on that host listens on.',
    rationale: 'The check watches something else (often the apiserver on 6443), so haproxy can die without the VIP moving.',
    example: 'vrrp_script chk { script "/usr/bin/curl -fk https://localhost:6443/healthz" }\n# haproxy binds :9443',
  },
  {
    code: 'cluster/nodeport-mismatch',
    defaultSeverity: 'error',
    summary: 'A backend server aimed at a Kubernetes worker uses a port outside 30000-32767 or no declared NodePort.',
    rationale: 'Traffic goes to a closed port on every worker; health checks mark all servers down.',
    example: 'server w1 172.16.10.102:30081 check   # the Service says 30080',
  },
  {
    code: 'cluster/backend-missing-worker',
    defaultSeverity: 'warning',
    summary: 'A backend aimed at the workers leaves some declared workers out.',
    rationale: 'Capacity sits unused and a single worker failure removes a larger share of the backend than planned.',
    example: '# workers: w1 w2 w3; backend lists w1 and w2',
  },
  {
    code: 'cluster/corosync-membership',
    defaultSeverity: 'error',
    summary: "The corosync nodelist addresses differ from the cluster's hosts.",
    rationale: 'A host missing from the nodelist cannot join; a stray address skews quorum.',
    example: '# hosts 10.0.0.11-13; nodelist ring0_addr 10.0.0.11, 10.0.0.12, 10.0.0.14',
  },
  {
    code: 'cluster/haproxy-divergent',
    defaultSeverity: 'warning',
    summary: 'Hosts that share a VIP carry different haproxy configs.',
    rationale: 'After a failover clients hit different routing, TLS or limits; usually one node missed a hand-copied edit.',
    example: '# master1/haproxy.cfg and master2/haproxy.cfg differ',
  },
  {
    code: 'cluster/vrid-collision',
    defaultSeverity: 'error',
    summary: 'Two different clusters on one subnet use the same VRID.',
    rationale: 'The VRID is the last byte of the virtual MAC 00:00:5e:00:01:XX: both clusters answer for it and traffic flaps between them.',
    example: '# cluster a and cluster b on 10.0.0.0/24 both use virtual_router_id 51',
  },
  {
    code: 'cluster/nonlocal-bind',
    defaultSeverity: 'information',
    summary: 'haproxy binds the VIP, so the backups need net.ipv4.ip_nonlocal_bind=1.',
    rationale: 'Without it haproxy fails to start on every node that does not hold the VIP, so a failover lands on a node with no haproxy.',
    example: 'bind 192.168.10.10:443   # the VIP',
  },
] as const satisfies readonly RuleMeta[]);

export type ClusterCode = (typeof list)[number]['code'];

/** The order docs/rules.md lists the cluster codes in. */
export const CATALOGUE_ORDER: readonly RuleMeta[] = list;

export const META = Object.fromEntries(list.map((m) => [m.code, m])) as Record<ClusterCode, RuleMeta>;
