// The metadata of the keepalived/* codes (docs/rules.md is generated from it, in this order). Rule objects
// point at their entry (`META['keepalived/…']`); a new rule may equally carry its RuleMeta inline.
import type { RuleMeta } from '../../core/types';

const list = [
  {
    code: 'keepalived/syntax',
    defaultSeverity: 'error',
    summary: 'The file cannot be read the way the author meant: unbalanced braces, an unclosed quote, an over-long line or a malformed `$` definition or generator.',
    rationale: 'keepalived recovers from these silently or with a one-line log, and then reads later keywords inside the wrong block, so whole instances can vanish.',
    example: 'vrrp_instance VI_1 {\n    state MASTER\n# the closing } is missing\nvrrp_instance VI_2 {',
    variants: {
      'generator-limit': { severity: 'warning', when: 'generators (`~SEQ`) would produce more lines than haconf checks; only the first ones are checked' },
    },
  },
  {
    code: 'keepalived/unknown-keyword',
    defaultSeverity: 'error',
    summary: 'A keyword keepalived 2.2.7 does not know in this block (often a typo or a keyword placed in the wrong block).',
    rationale: 'keepalived logs "Unknown keyword" and ignores the line, so the setting silently has no effect.',
    example: 'vrrp_instance VI_1 {\n    virtual_router 51\n}',
    fix: 'Replaces the keyword with the closest known one when there is a likely candidate.',
  },
  {
    code: 'keepalived/invalid-value',
    defaultSeverity: 'error',
    summary:
      'A value keepalived rejects or replaces: VRID or priority outside 1..255, a script weight outside -253..253, an unknown state or auth_type, a bad advert_int, a malformed address, or the same VIP twice in one instance (refused from keepalived 2.3).',
    rationale: 'keepalived falls back to defaults (priority 100, state BACKUP) or drops the address or the whole instance, which changes who holds the VIP.',
    example: 'vrrp_instance VI_1 {\n    virtual_router_id 256\n    priority 300\n}',
    variants: {
      'duplicate-vip-before-2.3': {
        severity: 'warning',
        when: 'an address is a VIP twice in one instance and the target is keepalived 2.2: 2.2.7 accepts it, 2.3 refuses it',
      },
    },
  },
  {
    code: 'keepalived/auth-pass-truncated',
    defaultSeverity: 'warning',
    variants: {
      'too-long': {
        severity: 'error',
        when: 'the password is longer than 8 characters: keepalived prints "Truncating auth_pass to 8 characters" and `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4); a password cut by a comment is accepted, so that stays a warning',
      },
    },
    summary: 'auth_pass is longer than 8 characters, or an unquoted `!`/`#` cuts it short.',
    rationale:
      'Only the first 8 characters are used, and an unquoted `!` or `#` starts a comment, so the password in effect is not the one written. Peers that quote it differently stop talking to each other.',
    example: 'authentication {\n    auth_type PASS\n    auth_pass s3cr3t!2024\n}',
    fix: 'Cuts a too-long auth_pass to the 8 characters keepalived uses, so what the node sends does not change; the title warns that every peer must be cut the same way (cluster/auth-mismatch then offers to align a peer that differs).',
    fixAll: true,
  },
  {
    code: 'keepalived/nopreempt-master',
    defaultSeverity: 'error',
    summary: 'nopreempt together with `state MASTER`.',
    rationale: 'keepalived clears nopreempt when the initial state is MASTER, so the instance preempts after all; `keepalived -t` exits non-zero on it (2.2.7, 2.3.3, 2.3.4).',
    example: 'vrrp_instance VI_1 {\n    state MASTER\n    nopreempt\n}',
    fix: 'Changes the initial state to BACKUP (nopreempt requires it).',
    fixAll: true,
  },
  {
    code: 'keepalived/nopreempt-with-weight',
    defaultSeverity: 'warning',
    summary: 'nopreempt on an instance whose tracked scripts or processes change its priority by weight.',
    rationale: 'A weight only lowers the master below a backup; with nopreempt the backup never takes over, so a failed check never moves the VIP.',
    example: 'vrrp_instance VI_1 {\n    state BACKUP\n    nopreempt\n    track_script {\n        chk_haproxy weight -20\n    }\n}',
  },
  {
    code: 'keepalived/undefined-reference',
    defaultSeverity: 'error',
    summary: 'A track_script, track_process, track_file or track_bfd entry names nothing defined, or a vrrp_sync_group lists a name that is not a vrrp_instance.',
    rationale: 'keepalived ignores the entry with only a log line, so failover tracking (or the sync group) silently disappears.',
    example: 'vrrp_instance VI_1 {\n    track_script {\n        chk_haproxy\n    }\n}\n# no vrrp_script chk_haproxy anywhere',
    variants: {
      'maybe-in-include': { severity: 'warning', when: 'an include of the file matched no file here, so the definition may be in it' },
    },
  },
  {
    code: 'keepalived/script-security',
    defaultSeverity: 'error',
    summary: 'Scripts are configured but global_defs lacks enable_script_security.',
    rationale:
      'keepalived runs such scripts as root without checking who can modify them and reports a SECURITY VIOLATION: `keepalived -t` exits 6 (2.2.7, 2.3.3, 2.3.4) when a configured script exists on the host. A vrrp_script fails the check either way (exit 5 when its script is missing), so that is an error; notify, quorum and MISC_CHECK scripts that do not exist are accepted, and whether they exist on the target is not visible from the workspace.',
    example: 'vrrp_script chk {\n    script "/usr/bin/killall -0 haproxy"\n}',
    fix: 'Adds enable_script_security to global_defs (creating the block when there is none).',
    variants: {
      'no-vrrp-script': { severity: 'warning', when: 'only notify, quorum, MISC_CHECK or global scripts, no vrrp_script: keepalived -t accepts the file when those scripts do not exist on the host' },
    },
  },
  {
    code: 'keepalived/script-not-absolute',
    defaultSeverity: 'warning',
    summary: 'A script command is not an absolute path.',
    rationale:
      'keepalived runs scripts without a shell and with its own PATH; a bare command such as `killall` can fail with "Cannot find script … in path", which makes the check fail on every node.',
    example: 'vrrp_script chk {\n    script "killall -0 haproxy"\n}',
    fix: 'Writes the absolute path for well-known commands (killall, pidof, pgrep, curl…).',
  },
  {
    code: 'keepalived/script-shell-syntax',
    defaultSeverity: 'warning',
    summary: 'A script line uses shell syntax (`</dev/tcp/…`, a pipe, `>`/`2>&1`, `&&`, `;`, `$(…)`) without a shell.',
    rationale:
      'keepalived splits the line into words and executes the first one directly, with no shell: a redirection, pipe or `&&` becomes a literal argument, so the check tests something else (or nothing) and its result does not reflect the service. `keepalived -t` accepts the line (2.2.7, 2.3.3, 2.3.4), so only haconf tells.',
    example: 'vrrp_script chk {\n    script "</dev/tcp/127.0.0.1/443"\n}',
  },
  {
    code: 'keepalived/auth-type-ah',
    defaultSeverity: 'warning',
    summary: 'auth_type AH.',
    rationale: 'IPsec AH authentication is not part of current VRRP, does not work across network segments and interoperates poorly; use PASS (or no authentication) instead.',
    example: 'authentication {\n    auth_type AH\n    auth_pass secret\n}',
    variants: {
      master: { severity: 'error', when: 'the instance starts in `state MASTER`: keepalived clears the MASTER state ("incompatible with AH authentication") and `keepalived -t` exits non-zero' },
    },
  },
  {
    code: 'keepalived/auth-unsupported',
    defaultSeverity: 'error',
    summary: 'An authentication block on a VRRPv3 instance or with vrrp_strict.',
    rationale:
      'keepalived ignores authentication for VRRP version 3 and in strict mode ("does not support authentication. Ignoring.") and `keepalived -t` exits non-zero (2.2.7, 2.3.3, 2.3.4); the block gives a false sense of protection and mismatches between peers go unnoticed.',
    example: 'global_defs {\n    vrrp_version 3\n}\nvrrp_instance VI_1 {\n    authentication {\n        auth_type PASS\n    }\n}',
  },
  {
    code: 'keepalived/address-owner-weight',
    defaultSeverity: 'error',
    summary: 'priority 255 (address owner) on an instance with weighted tracking.',
    rationale: 'An address owner’s priority never changes, so keepalived ignores the weights and a failing check never moves the VIP; `keepalived -t` exits non-zero on it (2.2.7, 2.3.3, 2.3.4).',
    example: 'vrrp_instance VI_1 {\n    priority 255\n    track_script {\n        chk weight -50\n    }\n}',
  },
  {
    code: 'keepalived/include-missing',
    defaultSeverity: 'warning',
    summary: 'An include matches no readable file, names a kernel or binary file, or re-reads a top-level file (warning); includes form a cycle, nest too deep or exceed the read limits (error).',
    rationale:
      'keepalived only logs a missing include, so the configuration in it is silently absent on that host. /proc, /sys and /dev files are never read (they can hold secrets or block forever), and a file read at the top level twice would define everything in it twice.',
    example: 'include /etc/keepalived/conf.d/*.conf   # directory is empty',
    variants: {
      'not-read': { severity: 'error', when: 'includes form a cycle, nest too deep or exceed the read limits, so part of the configuration is not read' },
    },
  },
] as const satisfies readonly RuleMeta[];

/** Every keepalived/* code (the context's `report` takes one of these or a RuleMeta). */
export type KeepalivedCode = (typeof list)[number]['code'];

/** The order docs/rules.md lists the keepalived codes in. */
export const rules: readonly RuleMeta[] = list;

export const META = Object.fromEntries(list.map((m) => [m.code, m])) as Record<KeepalivedCode, RuleMeta>;
