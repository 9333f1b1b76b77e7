// Generates server/data/corosync.json: corosync 3.1.7 sections and keys with their value shapes.
//
//   node --import tsx scripts/gen-corosync-schema.ts [--man DIR] [--out FILE]
//
// Inputs
// - corosync.conf(5) and votequorum(5) from DIR (default /usr/share/man/man5, Debian package `corosync`).
//   Key names and the section each belongs to are read from the roff: `.TP` entries, the
//   "Within the .B <section> directive" paragraphs that switch sections, and the example blocks of
//   votequorum(5) (`quorum { two_node: 1 }`).
// - Value shapes come from the table below, written from the parser in corosync's exec/coroparse.c,
//   exec/totemconfig.c and exec/logconfig.c at tag v3.1.7 (which integer width each key is stored as,
//   which words each enum compares against) and checked with `corosync -t`.
// - Keys the daemon reads but the two man pages do not list (quorum.device, uidgid, resources
//   sub-sections, leaving_timeout…) and keys of corosync 1.x/2.x that 3.1.7 still parses but ignores
//   are added from the tables below, marked with where they come from.
//
// Only names, shapes and versions are kept; the summaries are our own words. The man pages are not copied.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { ArgSpec, KeywordSchema, KeywordSpec } from '../server/src/core/schema';

const SOURCE_VERSION = '3.1.7';
const MANUAL = 'https://manpages.debian.org/bookworm/corosync/corosync.conf.5.en.html';
const VQ_MANUAL = 'https://manpages.debian.org/bookworm/corosync/votequorum.5.en.html';

const U8 = { min: 0, max: 255 };
const U16 = { min: 0, max: 65535 };
const U32 = { min: 0, max: 4294967295 };
const I32 = { min: -2147483648, max: 2147483647 };
// 2^64 - 1 does not survive JSON; any bound above 2^53 is read back as the unsigned 64-bit maximum.
// biome-ignore lint/correctness/noPrecisionLoss: written as corosync's bound; the lost digits are the point of the comment above
const U64 = { min: 0, max: 18446744073709551615 };

type Shape = { args: ArgSpec[]; summary: string };

const int = (range: { min: number; max: number }, summary: string): Shape => ({ args: [{ name: 'value', type: 'int', ...range }], summary });
const en = (values: string[], summary: string): Shape => ({ args: [{ name: 'value', type: 'enum', values }], summary });
/** Switches the daemon compares against fixed words (yes/no, on/off). */
const bool = (values: string[], summary: string): Shape => ({ args: [{ name: 'value', type: 'bool', values }], summary });
/** votequorum flags: stored as an unsigned 8-bit integer, any non-zero value switches the feature on. */
const flag = (summary: string): Shape => ({ args: [{ name: 'value', type: 'bool', values: ['0', '1'], ...U8 }], summary });
const str = (summary: string, type: ArgSpec['type'] = 'string'): Shape => ({ args: [{ name: 'value', type }], summary });

const PRIORITIES = ['alert', 'crit', 'debug', 'emerg', 'err', 'error', 'info', 'notice', 'warning'];
const FACILITIES = [
  'auth',
  'authpriv',
  'cron',
  'daemon',
  'ftp',
  'kern',
  'lpr',
  'mail',
  'news',
  'syslog',
  'user',
  'uucp',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const LOG_DEST = ['yes', 'no', 'on', 'off'];

/** Value shapes by section path and key. */
const SHAPES: Record<string, Record<string, Shape>> = {
  'totem.interface': {
    linknumber: int({ min: 0, max: 7 }, 'Which knet link (0-7) this interface block configures; udp allows only 0.'),
    knet_link_priority: int(U8, 'Link priority used when link_mode is passive; higher wins.'),
    knet_ping_interval: int(U32, 'Milliseconds between knet heartbeat pings on this link.'),
    knet_ping_timeout: int(U32, 'Milliseconds without a pong before the link is declared down.'),
    knet_ping_precision: int(U32, 'Number of latency samples averaged per link.'),
    knet_pong_count: int(U32, 'Pongs needed before a link counts as up again.'),
    knet_transport: en(['udp', 'sctp'], 'IP protocol knet uses on this link.'),
    bindnetaddr: str('udp only: local address or network to bind; ignored when a nodelist exists.', 'ip'),
    broadcast: bool(['yes', 'no'], 'udp only: use broadcast instead of multicast.'),
    mcastaddr: str('udp only: multicast group address.', 'ip'),
    mcastport: int(U16, 'udp only: UDP port (the daemon also uses the port below it).'),
    ttl: int(U8, 'udp only: multicast TTL.'),
  },
  totem: {
    version: int(U32, 'Configuration format version; corosync 3 only accepts 2.'),
    clear_node_high_bit: bool(['yes', 'no'], 'Clear the top bit of generated nodeids so they stay positive 32-bit values.'),
    crypto_model: en(['nss', 'openssl'], 'Crypto library knet uses.'),
    crypto_hash: en(['none', 'md5', 'sha1', 'sha256', 'sha384', 'sha512'], 'HMAC used to authenticate packets (knet only).'),
    crypto_cipher: en(['none', 'aes256', 'aes192', 'aes128'], 'Cipher used to encrypt packets (knet only); needs a crypto_hash.'),
    secauth: en(['on', 'off'], 'Shorthand for crypto_cipher aes256 plus crypto_hash sha256 when those are unset (knet only).'),
    keyfile: str('Path of the shared authentication key (default /etc/corosync/authkey).', 'path'),
    key: str('Inline shared key, used instead of keyfile.'),
    link_mode: en(['active', 'passive', 'rr'], 'How knet spreads traffic over several links.'),
    netmtu: int(U32, 'Network MTU corosync assumes (udp/udpu).'),
    transport: en(['knet', 'udp', 'udpu'], 'Transport protocol; knet is the corosync 3 default.'),
    cluster_name: str('Cluster name; also seeds the multicast address for udp.'),
    config_version: int(U64, 'Version counter of this file; bump it on every change.'),
    ip_version: en(['ipv4', 'ipv6', 'ipv4-6', 'ipv6-4'], 'Address families used to resolve node names, in order.'),
    token: int(U32, 'Milliseconds without the token before a node is declared lost.'),
    token_warning: int({ min: 0, max: 100 }, 'Percentage of the token timeout after which a warning is logged (0 disables).'),
    token_coefficient: int(U32, 'Milliseconds added to token per node beyond two when a nodelist exists.'),
    token_retransmit: int(U32, 'Milliseconds before the token is retransmitted.'),
    knet_compression_model: en(['none', 'zlib', 'lz4', 'lz4hc', 'lzo2', 'lzma', 'bzip2', 'zstd'], 'Compression knet applies to packets.'),
    knet_compression_threshold: int(U32, 'Smallest packet, in bytes, that knet compresses.'),
    knet_compression_level: int(I32, 'Compression level passed to the compression library.'),
    hold: int(U32, 'Milliseconds the token is held when the ring is idle.'),
    token_retransmits_before_loss_const: int(U32, 'Token retransmits tried before a node is considered lost.'),
    join: int(U32, 'Milliseconds to wait for join messages.'),
    send_join: int(U32, 'Upper bound, in milliseconds, of the random delay before sending a join.'),
    consensus: int(U32, 'Milliseconds to reach consensus before starting a new membership round.'),
    merge: int(U32, 'Milliseconds between checks for a partitioned ring to merge.'),
    downcheck: int(U32, 'Milliseconds between checks for a failed interface.'),
    fail_recv_const: int(U32, 'Token rotations without expected messages before a failure is assumed.'),
    seqno_unchanged_const: int(U32, 'Token rotations without new messages before the token may be held.'),
    heartbeat_failures_allowed: int(U32, 'Heartbeat failures tolerated before declaring a failure (0 disables heartbeats).'),
    max_network_delay: int(U32, 'Expected worst-case network round trip in milliseconds.'),
    window_size: int(U32, 'Messages that may be sent per token rotation.'),
    max_messages: int(U32, 'Messages one processor may send per token.'),
    miss_count_const: int(U32, 'Token rotations a message may be missed before it is retransmitted.'),
    knet_pmtud_interval: int(U32, 'Seconds between knet path-MTU discoveries.'),
    knet_mtu: int(U32, 'Fixed knet MTU; 0 means discover it.'),
    block_unlisted_ips: bool(['yes', 'no'], 'Drop knet packets from addresses outside the nodelist.'),
    cancel_token_hold_on_retransmit: bool(['yes', 'no'], 'Never hold the token while retransmitting.'),
  },
  logging: {
    timestamp: en(['on', 'off', 'hires'], 'Prefix log lines with a timestamp.'),
    fileline: bool(['on', 'off'], 'Add source file and line to log lines.'),
    function_name: bool(['on', 'off'], 'Add the function name to log lines.'),
    blackbox: bool(['on', 'off'], 'Keep the in-memory flight recorder.'),
  },
  // Keys valid at the top of logging and, to override it, in each logger_subsys.
  'logging.*': {
    to_stderr: bool(LOG_DEST, 'Log to standard error.'),
    to_logfile: bool(LOG_DEST, 'Log to the file named by logfile.'),
    to_syslog: bool(LOG_DEST, 'Log to syslog.'),
    logfile: str('Log file path; it must be writable when to_logfile is on.', 'path'),
    logfile_priority: en(PRIORITIES, 'Lowest priority written to the log file.'),
    syslog_facility: en(FACILITIES, 'Syslog facility of the messages.'),
    syslog_priority: en(PRIORITIES, 'Lowest priority sent to syslog.'),
    debug: en(['on', 'off', 'trace'], 'Debug logging level.'),
  },
  'logging.logger_subsys': {
    subsys: str('Name of the subsystem (e.g. QUORUM, CPG) this block overrides.'),
  },
  quorum: {
    provider: en(['corosync_votequorum'], 'Quorum algorithm; corosync 3 ships only votequorum.'),
    expected_votes: int(U32, 'Total votes of the whole cluster; overrides the sum from the nodelist.'),
    votes: int(U32, 'Votes of this node when there is no nodelist.'),
    two_node: flag('Two-node mode: either node alone stays quorate (implies wait_for_all).'),
    wait_for_all: flag('After a cold start, wait until every node has been seen once.'),
    last_man_standing: flag('Recalculate expected votes downwards as nodes leave.'),
    last_man_standing_window: int(U32, 'Milliseconds to wait before recalculating expected votes.'),
    auto_tie_breaker: flag('On an even split, the partition holding the tie-breaker node keeps quorum.'),
    auto_tie_breaker_node: str('lowest, highest, or the list of nodeids that break ties.'),
    allow_downscale: flag('Lower expected votes when nodes leave cleanly.'),
    expected_votes_tracking: flag('Remember the highest expected votes seen, on disk.'),
  },
  'nodelist.node': {
    nodeid: int(U32, 'Unique node number; required by knet.'),
    name: str('Node name, matched against the host name to find the local node.'),
    quorum_votes: int(U32, 'Votes this node carries (default 1).'),
    // ring0_addr … ring7_addr are added below.
  },
  system: {
    qb_ipc_type: en(['native', 'shm', 'socket'], 'IPC mechanism libqb uses.'),
    sched_rr: bool(['yes', 'no'], 'Run with round-robin real-time scheduling.'),
    priority: str('Scheduling priority: max, min, or a nice value (-20..19).'),
    move_to_root_cgroup: en(['yes', 'no', 'auto'], 'Move the daemon to the root cgroup so it can use real-time scheduling.'),
    allow_knet_handle_fallback: bool(['yes', 'no'], 'Fall back to a knet handle without privileges if the first fails.'),
    state_dir: str('Directory for state files.', 'path'),
  },
  resources: {
    watchdog_device: str('Watchdog device path, or off.', 'path'),
  },
  nozzle: {
    name: str('Name of the nozzle network device.'),
    ipaddr: str('Base address of the nozzle device; the nodeid fills the host part.', 'ip'),
    ipprefix: int({ min: 0, max: 128 }, 'Prefix length for ipaddr.'),
    macaddr: str('MAC address prefix; the nodeid fills the last two bytes.'),
  },
};

for (let i = 0; i < 8; i++) {
  SHAPES['nodelist.node'][`ring${i}_addr`] = str(`Address or host name of this node on knet link ${i}.`, 'address');
}

/** Keys and sections the daemon parses that neither man page lists (source: exec/coroparse.c, corosync-qdevice(8)). */
const EXTRA_SECTIONS: Array<{ path: string; summary: string }> = [
  { path: 'quorum.device', summary: 'Quorum device (qdevice) settings.' },
  { path: 'quorum.device.net', summary: 'Settings of the corosync-qnetd network arbiter.' },
  { path: 'quorum.device.heuristics', summary: 'Extra checks a qdevice runs before voting.' },
  { path: 'pload', summary: 'Built-in load generator used for testing.' },
  { path: 'uidgid', summary: 'Users and groups allowed to connect to the IPC.' },
  { path: 'resources.system', summary: 'System-wide resource monitors.' },
  { path: 'resources.process', summary: 'Per-process resource monitors.' },
  { path: 'resources.system.memory_used', summary: 'System memory monitor.' },
  { path: 'resources.process.memory_used', summary: 'Process memory monitor.' },
];
const EXTRA_KEYS: Record<string, Record<string, Shape>> = {
  quorum: {
    leaving_timeout: int(U32, 'Milliseconds to wait for a leaving node before recalculating quorum.'),
  },
  totem: {
    cluster_uuid: str('Cluster identifier written by pcs; corosync itself does not read it.'),
  },
  'quorum.device': {
    model: str('Qdevice model; net is the one shipped.'),
    timeout: int(U32, 'Milliseconds between qdevice polls.'),
    sync_timeout: int(U32, 'Qdevice poll interval during membership changes.'),
    votes: int(U32, 'Votes the quorum device carries.'),
    master_wins: flag('Let the device decide which partition wins.'),
  },
  'quorum.device.net': {
    host: str('Address of the qnetd server.', 'address'),
    port: int({ min: 1, max: 65535 }, 'TCP port of the qnetd server.'),
    algorithm: en(['ffsplit', 'lms'], 'Algorithm qnetd uses to choose the surviving partition.'),
    tls: en(['on', 'off', 'required'], 'Whether the connection to qnetd uses TLS.'),
    tie_breaker: str('lowest, highest, or a nodeid that wins a tie.'),
    connect_timeout: int(U32, 'Milliseconds to wait when connecting to qnetd.'),
    force_ip_version: en(['0', '4', '6'], 'Address family used to reach qnetd.'),
    keep_active_partition_tie_breaker: en(['on', 'off'], 'Prefer the partition that already had quorum on ties.'),
  },
  'quorum.device.heuristics': {
    mode: en(['on', 'sync', 'off'], 'When the heuristics run.'),
    timeout: int(U32, 'Milliseconds a heuristics run may take.'),
    sync_timeout: int(U32, 'Milliseconds a heuristics run may take during a membership change.'),
    interval: int(U32, 'Milliseconds between regular heuristics runs.'),
  },
  uidgid: {
    uid: str('User (name or number) allowed to use the IPC.'),
    gid: str('Group (name or number) allowed to use the IPC.'),
  },
  resources: {
    watchdog_timeout: int(U32, 'Seconds before the watchdog fires.'),
  },
  pload: {
    count: int(U32, 'Messages the load generator sends.'),
    size: int(U32, 'Size in bytes of each generated message.'),
  },
  'resources.system.memory_used': { poll_period: int(U64, 'Milliseconds between memory checks.') },
  'resources.process.memory_used': { poll_period: int(U64, 'Milliseconds between memory checks.') },
};

/**
 * corosync 1.x/2.x settings that 3.1.7 still reads without complaint but ignores (or, for the deprecated
 * ones, still honours). Verified: a file holding all of them passes `corosync -t`.
 */
const LEGACY_SECTIONS: Array<KeywordSpec> = [
  { name: 'service', sections: [''], removed: '3.0', summary: 'Plugin loading (e.g. pacemaker ver: 0/1) from corosync 1.x/2.x; pacemaker now starts on its own.' },
  { name: 'aisexec', sections: [''], removed: '2.0', summary: 'corosync 1.x (openais) user and group settings.' },
  { name: 'amf', sections: [''], removed: '2.0', summary: 'openais availability-management settings.' },
  { name: 'event', sections: [''], removed: '2.0', summary: 'openais event service settings.' },
  { name: 'member', sections: ['totem.interface'], removed: '3.0', replacement: 'nodelist { node { ring0_addr: … } }', summary: 'udpu member list from corosync 1.x.' },
  { name: 'logging_daemon', sections: ['logging'], deprecated: '2.0', replacement: 'logger_subsys', summary: 'Old per-daemon logging block.' },
];
const LEGACY_KEYS: Array<KeywordSpec> = [
  { name: 'compatibility', sections: [''], removed: '2.0', summary: 'openais compatibility switch from corosync 1.x.' },
  { name: 'threads', sections: ['totem'], removed: '3.0', summary: 'Encryption threads; no effect since corosync 2.', args: [{ name: 'value', type: 'int', ...U32 }] },
  {
    name: 'nodeid',
    sections: ['totem'],
    deprecated: '2.0',
    replacement: 'nodeid in each nodelist node',
    summary: 'Node id in the totem section; ignored when a nodelist exists.',
    args: [{ name: 'value', type: 'int', ...U32 }],
  },
  { name: 'rrp_mode', sections: ['totem'], removed: '3.0', replacement: 'link_mode', summary: 'Redundant-ring mode of corosync 2.' },
  { name: 'rrp_problem_count_timeout', sections: ['totem'], removed: '3.0', summary: 'Redundant-ring tuning of corosync 2.', args: [{ name: 'value', type: 'int', ...U32 }] },
  { name: 'rrp_problem_count_threshold', sections: ['totem'], removed: '3.0', summary: 'Redundant-ring tuning of corosync 2.', args: [{ name: 'value', type: 'int', ...U32 }] },
  { name: 'rrp_problem_count_mcast_threshold', sections: ['totem'], removed: '3.0', summary: 'Redundant-ring tuning of corosync 2.', args: [{ name: 'value', type: 'int', ...U32 }] },
  { name: 'rrp_autorecovery_check_timeout', sections: ['totem'], removed: '3.0', summary: 'Redundant-ring tuning of corosync 2.', args: [{ name: 'value', type: 'int', ...U32 }] },
  { name: 'rrp_token_expired_timeout', sections: ['totem'], removed: '3.0', summary: 'Redundant-ring tuning of corosync 2.', args: [{ name: 'value', type: 'int', ...U32 }] },
  { name: 'vsftype', sections: ['totem'], removed: '2.0', summary: 'Virtual-synchrony filter of corosync 1.x.' },
  { name: 'crypto_accept', sections: ['totem'], removed: '2.0', summary: 'Crypto negotiation of corosync 1.x.' },
  { name: 'crypto_type', sections: ['totem'], removed: '2.0', replacement: 'crypto_cipher', summary: 'Cipher setting of early corosync 2 releases.' },
  { name: 'ringnumber', sections: ['totem.interface'], removed: '3.0', replacement: 'linknumber', summary: 'Ring number of corosync 2; renamed linknumber.' },
  {
    name: 'to_file',
    sections: ['logging', 'logging.logger_subsys'],
    deprecated: '2.0',
    replacement: 'to_logfile',
    summary: 'Old name of to_logfile.',
    args: [{ name: 'value', type: 'bool', values: LOG_DEST }],
  },
  {
    name: 'syslog_level',
    sections: ['logging', 'logging.logger_subsys'],
    deprecated: '2.0',
    replacement: 'syslog_priority',
    summary: 'Old name of syslog_priority.',
    args: [{ name: 'value', type: 'enum', values: PRIORITIES }],
  },
  { name: 'tags', sections: ['logging', 'logging.logger_subsys'], removed: '2.0', summary: 'Trace tags of corosync 1.x logging.' },
  { name: 'memberaddr', sections: ['totem.interface.member'], removed: '3.0', replacement: 'nodelist { node { ring0_addr: … } }', summary: 'udpu member address from corosync 1.x.' },
];

// ---------------------------------------------------------------------------------------------------------
// Man page reading

/** Where each "Within the .B X directive" paragraph sends the keys that follow. */
const SECTION_OF_WITHIN: Record<string, string> = {
  totem: 'totem',
  logging: 'logging',
  logger_subsys: 'logging.logger_subsys',
  quorum: 'quorum',
  nodelist: 'nodelist.node',
  system: 'system',
  resources: 'resources',
  nozzle: 'nozzle',
};
const LOGGING_TOP_ONLY = new Set(['timestamp', 'fileline', 'function_name', 'blackbox']);

interface Found {
  sections: Set<string>;
  /** path → key names in manual order. */
  keys: Map<string, string[]>;
}

function addKey(found: Found, sectionPath: string, key: string): void {
  let list = found.keys.get(sectionPath);
  if (!list) found.keys.set(sectionPath, (list = []));
  if (!list.includes(key)) list.push(key);
}

function readMan(file: string): string[] {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
}

export function extractCorosyncConf(lines: string[], found: Found): void {
  let section: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\.SH\s+"?TO ADD/.test(line)) break;
    if (/^\.B\s+interface\s+sub-directive of totem/.test(line)) {
      found.sections.add('totem.interface');
      section = 'totem.interface';
      continue;
    }
    if (/^Within the\s*$/.test(line) && /^\.B\s+\S+/.test(lines[i + 1] ?? '')) {
      const name = lines[i + 1].replace(/^\.B\s+/, '').trim();
      const target = SECTION_OF_WITHIN[name];
      if (!target) throw new Error(`corosync.conf(5): unexpected section "${name}" at line ${i + 2}`);
      section = target;
      found.sections.add(target);
      if (target === 'nodelist.node') found.sections.add('nodelist');
      continue;
    }
    if (line !== '.TP') continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const entry = lines[j] ?? '';
    const top = /^([a-z_]+) \{ \}$/.exec(entry);
    if (top) {
      found.sections.add(top[1]);
      continue;
    }
    const m = /^([a-zA-Z_]+)(\s+\(udp only\))?$/.exec(entry.trim());
    if (!m || !section) continue;
    const key = m[1];
    if (key === 'ringX_addr') {
      for (let n = 0; n < 8; n++) addKey(found, section, `ring${n}_addr`);
    } else if (section === 'logging') {
      addKey(found, 'logging', key);
      if (!LOGGING_TOP_ONLY.has(key)) addKey(found, 'logging.logger_subsys', key);
    } else addKey(found, section, key);
  }
}

/** votequorum(5) names its keys in `.B key: value` headings and in `quorum { … }` example blocks. */
export function extractVotequorum(lines: string[], found: Found): void {
  const stack: string[] = [];
  let inExample = false;
  for (const raw of lines) {
    if (raw === '.nf') inExample = true;
    else if (raw === '.fi') {
      inExample = false;
      stack.length = 0;
    }
    const heading = /^\.B\s+([a-z_]+):\s/.exec(raw);
    if (heading) {
      addKey(found, 'quorum', heading[1]);
      continue;
    }
    if (!inExample) continue;
    const line = raw.trim();
    const open = /^([a-z_]+)\s*\{\s*$/.exec(line);
    if (open) {
      stack.push(open[1]);
      found.sections.add(stack.join('.'));
      continue;
    }
    if (line === '}') {
      stack.pop();
      continue;
    }
    const kv = /^([a-z_0-9]+):\s*\S/.exec(line);
    if (kv && stack.length) addKey(found, stack.join('.'), kv[1]);
  }
}

function parentOf(p: string): string {
  const dot = p.lastIndexOf('.');
  return dot < 0 ? '' : p.slice(0, dot);
}

function leafOf(p: string): string {
  return p.slice(p.lastIndexOf('.') + 1);
}

function shapeFor(sectionPath: string, key: string): Shape | undefined {
  return SHAPES[sectionPath]?.[key] ?? (sectionPath.startsWith('logging') ? SHAPES['logging.*'][key] : undefined);
}

export function buildSchema(manDir: string): KeywordSchema {
  const found: Found = { sections: new Set(), keys: new Map() };
  extractCorosyncConf(readMan(path.join(manDir, 'corosync.conf.5.gz')), found);
  extractVotequorum(readMan(path.join(manDir, 'votequorum.5.gz')), found);

  const sections: KeywordSpec[] = [];
  const sectionPaths = [...found.sections];
  for (const extra of EXTRA_SECTIONS) if (!found.sections.has(extra.path)) sectionPaths.push(extra.path);
  for (const p of sectionPaths) {
    const extra = EXTRA_SECTIONS.find((e) => e.path === p);
    sections.push({
      name: leafOf(p),
      sections: [parentOf(p)],
      manual: extra ? undefined : p.startsWith('quorum') ? VQ_MANUAL : MANUAL,
      summary: extra?.summary ?? SECTION_SUMMARIES[p] ?? `The ${p} block.`,
    });
  }
  sections.push(...LEGACY_SECTIONS);

  const keywords: KeywordSpec[] = [];
  const missing: string[] = [];
  for (const [sectionPath, keys] of found.keys) {
    for (const key of keys) {
      const shape = shapeFor(sectionPath, key);
      if (!shape) missing.push(`${sectionPath}.${key}`);
      keywords.push({
        name: key,
        sections: [sectionPath],
        args: shape?.args ?? [{ name: 'value', type: 'string' }],
        manual: sectionPath.startsWith('quorum') && key !== 'provider' ? VQ_MANUAL : MANUAL,
        summary: shape?.summary,
      });
    }
  }
  for (const [sectionPath, keys] of Object.entries(EXTRA_KEYS)) {
    for (const [key, shape] of Object.entries(keys)) {
      if (found.keys.get(sectionPath)?.includes(key)) continue;
      keywords.push({ name: key, sections: [sectionPath], args: shape.args, summary: shape.summary });
    }
  }
  keywords.push(...LEGACY_KEYS);
  if (missing.length) throw new Error(`no value shape for ${missing.join(', ')}: add them to SHAPES`);
  // A shape without a manual entry means the table went stale against the man page.
  for (const [sectionPath, keys] of Object.entries(SHAPES)) {
    if (sectionPath === 'logging.*') continue;
    for (const key of Object.keys(keys)) {
      if (!found.keys.get(sectionPath)?.includes(key)) throw new Error(`${sectionPath}.${key} has a shape but is not in the man pages`);
    }
  }

  return {
    language: 'corosync',
    sourceVersion: SOURCE_VERSION,
    generatedFrom: 'scripts/gen-corosync-schema.ts from corosync.conf(5) and votequorum(5) of corosync 3.1.7 (Debian), shapes from exec/coroparse.c v3.1.7',
    sections,
    keywords,
  };
}

const SECTION_SUMMARIES: Record<string, string> = {
  totem: 'Membership protocol and transport settings.',
  'totem.interface': 'Per-link (knet) or per-ring (udp) network settings.',
  logging: 'Where and how much the daemon logs.',
  'logging.logger_subsys': 'Logging overrides for one subsystem.',
  quorum: 'Quorum provider and votequorum options.',
  nodelist: 'The cluster members.',
  'nodelist.node': 'One cluster member.',
  system: 'Process-level settings of the daemon.',
  resources: 'Watchdog and resource monitoring.',
  nozzle: 'A virtual network device tunnelled over knet.',
};

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const manDir = opt('--man') ?? '/usr/share/man/man5';
  const out = opt('--out') ?? path.join(__dirname, '..', 'server', 'data', 'corosync.json');
  const schema = buildSchema(manDir);
  fs.writeFileSync(out, JSON.stringify(schema, null, 2) + '\n');
  const manKeys = schema.keywords.filter((k) => k.manual).length;
  console.log(`gen-corosync-schema: ${schema.sections.length} sections, ${schema.keywords.length} keys (${manKeys} from the man pages) -> ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) main();
