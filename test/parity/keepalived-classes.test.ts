// Parity of the issue-15 keepalived classes with every real keepalived we test against (2.2.7 on the host,
// 2.3.3 and 2.3.4 from the Debian roots, run by test/versions.ts): for each case, the real `keepalived -t`
// must print the line that shows it saw the fault (or accept the file), and our severity must follow its
// exit status: an error exactly where keepalived -t exits non-zero, a warning or nothing where it accepts.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keepalivedModule } from '../../server/src/keepalived';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions, type Diagnostic } from '../../server/src/core/types';
import { accepts, cleanupVersions, label, requireVersions, runKeepalived, toolVersions } from '../versions';

const GLOBAL = 'global_defs {\n    enable_script_security\n    script_user root\n}\n';
const inst = (body: string, state = 'BACKUP', priority = '100') =>
  `vrrp_instance VI_1 {\n    state ${state}\n    interface eth0\n    virtual_router_id 51\n    priority ${priority}\n    virtual_ipaddress {\n        192.0.2.10/24\n    }\n${body}}\n`;
const SCRIPT = 'vrrp_script chk {\n    script "/usr/bin/true"\n    weight -20\n}\n';
const TRACK = '    track_script {\n        chk\n    }\n';

interface Case {
  name: string;
  text: string;
  /** What keepalived -t prints about the fault; undefined when it accepts the file silently. */
  tool?: RegExp;
  /** The finding we must make, with the severity keepalived's exit status calls for. */
  ours?: { code: string; severity: 'error' | 'warning' };
  /**
   * keepalived -t's verdict depends on the host's files (a script that exists there), which a workspace
   * check cannot see: we warn, and the case also runs with a script path that does not exist, which
   * keepalived must accept.
   */
  hostDependent?: { missingScript: string };
}

/** Included by the include cases; `@DIR@` in a case's text becomes the scratch folder. */
const INCLUDED = 'vrrp_script chk {\n    script "/usr/bin/true"\n}\n';
const TRACK_ONLY = '    track_script {\n        chk\n    }\n';

const CASES: Case[] = [
  { name: 'clean control file', text: GLOBAL + inst('') },
  {
    name: 'interface # set me',
    text: GLOBAL + inst('').replace('interface eth0', 'interface # set me'),
    tool: /missing a parameter after keyword `interface`/,
    ours: { code: 'keepalived/missing-value', severity: 'error' },
  },
  {
    name: 'advert_int with only a comment',
    text: GLOBAL + inst('    advert_int ! later\n'),
    tool: /missing a parameter after keyword `advert_int`/,
    ours: { code: 'keepalived/missing-value', severity: 'error' },
  },
  { name: 'nopreempt alone (a flag, no value needed)', text: GLOBAL + inst('    nopreempt # flag\n') },
  { name: 'track_script before its vrrp_script', text: GLOBAL + inst(TRACK) + SCRIPT, tool: /track script chk not found, ignoring/, ours: { code: 'keepalived/defined-later', severity: 'error' } },
  {
    name: 'track_process before its vrrp_track_process',
    text: GLOBAL + inst('    track_process {\n        p\n    }\n') + 'vrrp_track_process p {\n    process haproxy\n}\n',
    tool: /track process p not found, ignoring/,
    ours: { code: 'keepalived/defined-later', severity: 'error' },
  },
  { name: 'vrrp_script from an include read before the instance', text: GLOBAL + 'include @DIR@/scripts.inc\n' + inst(TRACK_ONLY) },
  {
    name: 'vrrp_script from an include read after the instance',
    text: GLOBAL + inst(TRACK_ONLY) + 'include @DIR@/scripts.inc\n',
    tool: /track script chk not found, ignoring/,
    ours: { code: 'keepalived/defined-later', severity: 'error' },
  },
  {
    name: 'vrrp_garp_interval 0',
    text: 'global_defs {\n    enable_script_security\n    vrrp_garp_interval 0\n}\n' + inst(''),
    tool: /vrrp_garp_interval '0' is invalid/,
    ours: { code: 'keepalived/invalid-value', severity: 'error' },
  },
  {
    name: 'vrrp_gna_interval 0',
    text: 'global_defs {\n    enable_script_security\n    vrrp_gna_interval 0\n}\n' + inst(''),
    tool: /vrrp_gna_interval '0' is invalid/,
    ours: { code: 'keepalived/invalid-value', severity: 'error' },
  },
  { name: 'garp_group garp_interval 0 (accepted)', text: GLOBAL + 'garp_group {\n    garp_interval 0\n    interface eth0\n}\n' + inst('') },
  {
    name: 'virtual_routes destination out of range',
    text: GLOBAL + inst('    virtual_routes {\n        192.0.2.0/24 via 192.0.2.300 dev eth0\n    }\n'),
    tool: /invalid IP 192\.0\.2\.300/,
    ours: { code: 'keepalived/invalid-route', severity: 'error' },
  },
  {
    name: 'virtual_rules from address invalid',
    text: GLOBAL + inst('    virtual_rules {\n        from 192.0.2.999 table 100 priority 100\n    }\n'),
    tool: /Invalid rule from address/,
    ours: { code: 'keepalived/invalid-route', severity: 'error' },
  },
  {
    name: 'static_routes prefix /33',
    text: GLOBAL + inst('') + 'static_routes {\n    10.1.0.0/33 via 192.0.2.1 dev eth0\n}\n',
    tool: /Invalid address prefix len 33/,
    ours: { code: 'keepalived/invalid-route', severity: 'error' },
  },
  {
    name: 'notify_master twice',
    text: GLOBAL + inst('    notify_master "/usr/bin/true a"\n    notify_master "/usr/bin/true b"\n'),
    tool: /notify_master script already specified/,
    ours: { code: 'keepalived/duplicate-notify', severity: 'error' },
  },
  {
    name: 'lvs_sync_daemon_interface in vrrp_instance',
    text: GLOBAL + inst('    lvs_sync_daemon_interface eth0\n'),
    tool: /lvs_sync_daemon_interface against a vrrp is deprecated/,
    ours: { code: 'keepalived/deprecated-keyword', severity: 'error' },
  },
  { name: 'lvs_flush_onstop (deprecated, accepted silently)', text: 'global_defs {\n    enable_script_security\n    lvs_flush_onstop\n}\n' + inst('') },
  {
    name: 'priority 255 with weighted tracking',
    text: GLOBAL + SCRIPT + inst(TRACK, 'MASTER', '255'),
    tool: /ignoring tracked script chk with weights due to address_owner/,
    ours: { code: 'keepalived/address-owner-weight', severity: 'error' },
  },
  {
    name: 'nopreempt with state MASTER',
    text: GLOBAL + inst('    nopreempt\n', 'MASTER'),
    tool: /nopreempt will not work with initial state MASTER/,
    ours: { code: 'keepalived/nopreempt-master', severity: 'error' },
  },
  {
    name: 'AH with state MASTER',
    text: GLOBAL + inst('    authentication {\n        auth_type AH\n        auth_pass secret\n    }\n', 'MASTER'),
    tool: /incompatible with AH authentication/,
    ours: { code: 'keepalived/auth-type-ah', severity: 'error' },
  },
  {
    name: 'AH with state BACKUP (accepted)',
    text: GLOBAL + inst('    authentication {\n        auth_type AH\n        auth_pass secret\n    }\n'),
    ours: { code: 'keepalived/auth-type-ah', severity: 'warning' },
  },
  {
    name: 'auth_pass over 8 characters',
    text: GLOBAL + inst('    authentication {\n        auth_type PASS\n        auth_pass 123456789\n    }\n'),
    tool: /Truncating auth_pass to 8 characters/,
    ours: { code: 'keepalived/auth-pass-truncated', severity: 'error' },
  },
  {
    name: 'auth_pass cut by a comment (accepted)',
    text: GLOBAL + inst('    authentication {\n        auth_type PASS\n        auth_pass abc#defghijkl\n    }\n'),
    ours: { code: 'keepalived/auth-pass-truncated', severity: 'warning' },
  },
  {
    name: 'authentication with vrrp_strict',
    text: 'global_defs {\n    vrrp_strict\n}\n' + inst('    authentication {\n        auth_type PASS\n        auth_pass 1234\n    }\n'),
    tool: /Strict mode does not support authentication/,
    ours: { code: 'keepalived/auth-unsupported', severity: 'error' },
  },
  {
    name: 'authentication with VRRP version 3',
    text: 'global_defs {\n    vrrp_version 3\n}\n' + inst('    authentication {\n        auth_type PASS\n        auth_pass 1234\n    }\n'),
    tool: /VRRP version 3 does not support authentication/,
    ours: { code: 'keepalived/auth-unsupported', severity: 'error' },
  },
  {
    name: 'untracked vrrp_script without enable_script_security',
    text: 'vrrp_script chk {\n    script "/usr/bin/true"\n}\n' + inst(''),
    tool: /SECURITY VIOLATION/,
    // An error: with its script missing keepalived -t fails too ("Disabling track script chk since not found").
    ours: { code: 'keepalived/script-security', severity: 'error' },
  },
  {
    name: 'notify script without enable_script_security',
    text: inst('    notify_master "/usr/bin/true"\n'),
    tool: /SECURITY VIOLATION/,
    ours: { code: 'keepalived/script-security', severity: 'warning' },
    hostDependent: { missingScript: '/usr/local/bin/haconf-absent-script.sh' },
  },
  { name: 'nopreempt with weighted tracking (accepted)', text: GLOBAL + SCRIPT + inst('    nopreempt\n' + TRACK), ours: { code: 'keepalived/nopreempt-with-weight', severity: 'warning' } },
  {
    name: 'relative script path (accepted)',
    text: GLOBAL + 'vrrp_script chk {\n    script "killall -0 haproxy"\n}\n' + inst(TRACK),
    ours: { code: 'keepalived/script-not-absolute', severity: 'warning' },
  },
  {
    name: '</dev/tcp script (accepted; shell syntax)',
    text: GLOBAL + 'vrrp_script chk {\n    script "</dev/tcp/127.0.0.1/80"\n}\n' + inst(TRACK),
    ours: { code: 'keepalived/script-shell-syntax', severity: 'warning' },
  },
];

let dir: string;
before(() => {
  requireVersions(['keepalived']);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-ka-classes-'));
  fs.writeFileSync(path.join(dir, 'scripts.inc'), INCLUDED);
});
after(() => {
  cleanupVersions();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function ours(file: string, text: string): Diagnostic[] {
  return keepalivedModule.check(keepalivedModule.parse(file, text, new NodeSourceHost()), defaultCheckOptions());
}

CASES.forEach((c, index) => {
  test(`keepalived classes: ${c.name}`, () => {
    const file = path.join(dir, `case-${index}.conf`);
    const text = c.text.replaceAll('@DIR@', dir);
    fs.writeFileSync(file, text);
    const findings = ours(file, text);
    const errors = findings.filter((d) => d.severity === 'error');
    if (c.ours) {
      const mine = findings.find((d) => d.code === c.ours!.code);
      assert.ok(mine, `we report ${c.ours.code}; got ${findings.map((d) => d.code).join(', ') || 'nothing'}`);
      assert.equal(mine.severity, c.ours.severity, c.ours.code);
    }
    for (const v of toolVersions('keepalived')) {
      const r = runKeepalived(v, file);
      if (c.tool) assert.match(r.output, c.tool, `${label(v)} prints what this case is about:\n${r.output}`);
      if (c.hostDependent) {
        // The script exists here, so keepalived refuses; with a path that exists nowhere it accepts the
        // same file, which is why we only warn (no error on a file the tool may accept).
        assert.equal(accepts(v, r), false, `${label(v)} exit ${r.status}: expected a refusal with an existing script\n${r.output}`);
        const absent = path.join(dir, `case-${index}-absent.conf`);
        fs.writeFileSync(absent, text.replaceAll('/usr/bin/true', c.hostDependent.missingScript));
        const missing = runKeepalived(v, absent);
        assert.ok(accepts(v, missing), `${label(v)} exit ${missing.status} with a script that does not exist:\n${missing.output}`);
        assert.equal(errors.length, 0, 'no error for a host-dependent verdict');
        continue;
      }
      // Our errors exactly where this version's keepalived -t fails.
      assert.equal(accepts(v, r), errors.length === 0, `${label(v)} exit ${r.status}; our errors: ${errors.map((d) => `${d.code}: ${d.message}`).join(' | ') || 'none'}\n${r.output}`);
    }
  });
});
