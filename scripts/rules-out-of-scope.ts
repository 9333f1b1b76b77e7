// Classes of findings haconf deliberately does not report, with the reason; docs/rules.md lists them
// after the catalogue (scripts/rule-catalogue.ts). Add an entry when a class is looked at and left out.
export interface OutOfScope {
  /** The layer (`keepalived`, `corosync`, `cluster`, `haproxy`). */
  layer: string;
  what: string;
  reason: string;
}

export const OUT_OF_SCOPE: readonly OutOfScope[] = [
  {
    layer: 'keepalived',
    what: 'A track_file or track_bfd entry naming a definition further down the file; a track_script inside a vrrp_sync_group defined later.',
    reason:
      'Only track_script and track_process in a vrrp_instance were shown to be resolved while reading (keepalived 2.2.7, 2.3.3, 2.3.4 print "not found, ignoring"); vrrp_sync_group members are resolved after reading. The others are not reported until a real binary shows the same behaviour.',
  },
  {
    layer: 'keepalived',
    what: 'Deprecated keywords keepalived accepts silently (`lvs_flush_onstop`, `enable_snmp_keepalived`, `vrrp_track_file`, `lb_algo`, `lb_kind`).',
    reason:
      '`keepalived -t` exits 0 on them and they still work, so a finding would be noise; only the deprecated keywords that make `keepalived -t` fail are reported (keepalived/deprecated-keyword).',
  },
  {
    layer: 'keepalived',
    what: 'virtual_routes without a `dev` ("cannot track route … with no interface specified", 2.2.7 only) and virtual_rules without a `priority` ("Rule has no preference specified").',
    reason:
      'keepalived -t exits non-zero on them, but both are common, work at run time, and differ between versions (the route warning is gone in 2.3); reporting them needs a per-version keepalived target first.',
  },
  {
    layer: 'corosync',
    what: 'knet link options of the totem section (`knet_pmtud_interval`, `link_mode`, other `knet_*`) are not errors under udp/udpu.',
    reason:
      '`corosync -t` accepts them (3.1.7, 3.1.9, 3.1.10); they are reported as warnings (corosync/knet-only). Only the interface-block knet options, which make corosync refuse to start, are errors.',
  },
  {
    layer: 'corosync',
    what: 'Addresses given as host names in link-family and ip_version checks.',
    reason: 'corosync resolves them when it starts, on the node; haconf does not resolve names (no network during a check), so a mixed-family link through a host name is not detected.',
  },
  {
    layer: 'cluster',
    what: 'Track scripts that check a process or unit (`pidof`, `pgrep`, `killall -0`, `systemctl is-active`) in cluster/track-port-unbound.',
    reason:
      "They probe no port, so there is nothing to compare with haproxy's binds. Recognised port idioms: `ss`/`netstat`/`lsof` filtered by `:PORT` or a bare `grep PORT`, `nc`/`ncat`/`telnet HOST PORT` (with `-w N`-style options), curl/wget URLs with a port (80/443 implied for localhost/127.x/[::1]), `/dev/tcp/HOST/PORT`, and check scripts given a bare port argument.",
  },
];
