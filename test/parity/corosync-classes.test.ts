// Parity of the issue-15 corosync classes with every real corosync we test against (3.1.7 on the host,
// 3.1.9 and 3.1.10 from the Debian roots, run by test/versions.ts): for each case the real `corosync -t`
// must print what shows it saw the fault (or accept the file), and our severity must follow its exit
// status: an error exactly where corosync -t exits non-zero, a warning (or nothing) where it accepts.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCorosync } from '../../server/src/corosync/parser';
import { checkCorosync } from '../../server/src/corosync';
import { accepts, cleanupVersions, label, requireVersions, runCorosync, toolVersions } from '../versions';

const nd = (id: number, addr: string, extra = '', nodeid = id) => `    node {\n        name: n${id}\n        nodeid: ${nodeid}\n        ring0_addr: ${addr}\n${extra}    }\n`;
function conf(p: { transport?: string; totem?: string; nodes?: string; quorum?: string } = {}): string {
  return (
    `totem {\n    version: 2\n    cluster_name: test\n    transport: ${p.transport ?? 'knet'}\n${p.totem ?? ''}}\n` +
    `nodelist {\n${p.nodes ?? nd(1, '127.0.0.1') + nd(2, '127.0.0.2')}}\n` +
    `quorum {\n    provider: corosync_votequorum\n${p.quorum ?? ''}}\n`
  );
}
const device = (host: string) => `    device {\n        model: net\n        votes: 1\n        net {\n${host}            algorithm: ffsplit\n        }\n    }\n`;
const HOST = '            host: 192.0.2.50\n';

interface Case {
  name: string;
  text: string;
  /** What corosync -t prints about the fault; undefined when it accepts the file. */
  tool?: RegExp;
  ours?: { code: string; severity: 'error' | 'warning' };
}

const CASES: Case[] = [
  { name: 'clean control file', text: conf() },
  {
    name: 'two_node with three nodes (accepted)',
    text: conf({ nodes: nd(1, '127.0.0.1') + nd(2, '127.0.0.2') + nd(3, '127.0.0.3'), quorum: '    two_node: 1\n' }),
    ours: { code: 'corosync/two-node-misuse', severity: 'warning' },
  },
  { name: 'typo key tokn (accepted)', text: conf({ totem: '    tokn: 3000\n' }), ours: { code: 'corosync/unknown-key', severity: 'warning' } },
  {
    name: 'token 1 ms',
    text: conf({ totem: '    token: 1\n' }),
    tool: /token timeout parameter \(1 ms\) may not be less than \(30 ms\)/,
    ours: { code: 'corosync/token-below-minimum', severity: 'error' },
  },
  { name: 'token 0 (default; accepted)', text: conf({ totem: '    token: 0\n' }) },
  {
    name: 'nodes with different numbers of links',
    text: conf({ nodes: nd(1, '127.0.0.1', '        ring1_addr: 127.0.1.1\n') + nd(2, '127.0.0.2') }),
    tool: /Not all nodes have the same number of links/,
    ours: { code: 'corosync/link-mismatch', severity: 'error' },
  },
  {
    name: 'IPv4 and IPv6 in one link',
    text: conf({ nodes: nd(1, '127.0.0.1') + nd(2, '::2') }),
    tool: /Nodes for link 0 have different IP families/,
    ours: { code: 'corosync/link-mismatch', severity: 'error' },
  },
  {
    name: 'ip_version ipv6 with IPv4 addresses',
    text: conf({ totem: '    ip_version: ipv6\n' }),
    tool: /failed to parse bindnet address/,
    ours: { code: 'corosync/link-mismatch', severity: 'error' },
  },
  {
    name: 'interface block for a link no node has',
    text: conf({ totem: '    interface {\n        linknumber: 1\n        knet_link_priority: 5\n    }\n' }),
    tool: /Not all nodes have the same number of links/,
    ours: { code: 'corosync/link-mismatch', severity: 'error' },
  },
  {
    name: 'knet totem options under udpu (accepted)',
    text: conf({ transport: 'udpu', totem: '    knet_pmtud_interval: 30\n    link_mode: passive\n' }),
    ours: { code: 'corosync/knet-only', severity: 'warning' },
  },
  {
    name: 'knet_link_priority in an interface under udpu',
    text: conf({ transport: 'udpu', totem: '    interface {\n        linknumber: 0\n        knet_link_priority: 5\n    }\n' }),
    tool: /Can only set link priority on knet transport/,
    ours: { code: 'corosync/knet-only', severity: 'error' },
  },
  {
    name: 'nodeid 0 under knet',
    text: conf({ nodes: nd(1, '127.0.0.1', '', 0) + nd(2, '127.0.0.2') }),
    tool: /Knet requires an explicit nodeid/,
    ours: { code: 'corosync/nodeid-zero', severity: 'error' },
  },
  { name: 'qdevice with auto_tie_breaker (accepted)', text: conf({ quorum: device(HOST) + '    auto_tie_breaker: 1\n' }), ours: { code: 'corosync/qdevice-conflict', severity: 'warning' } },
  { name: 'qdevice with last_man_standing (accepted)', text: conf({ quorum: device(HOST) + '    last_man_standing: 1\n' }), ours: { code: 'corosync/qdevice-conflict', severity: 'warning' } },
  { name: 'qdevice net without host (accepted)', text: conf({ quorum: device('') }), ours: { code: 'corosync/qdevice-conflict', severity: 'warning' } },
  { name: 'qdevice with host (clean)', text: conf({ quorum: device(HOST) }) },
  // corosync/duplicate-node: only a repeated nodeid stops corosync; a repeated address or name it accepts
  // (and the daemon starts with it: docs/rules.md), so those are warnings.
  {
    name: 'duplicate nodeid',
    text: conf({ nodes: nd(1, '127.0.0.1') + nd(2, '127.0.0.2', '', 1) }),
    tool: /appears twice/,
    ours: { code: 'corosync/duplicate-node', severity: 'error' },
  },
  { name: 'duplicate ring0_addr (accepted)', text: conf({ nodes: nd(1, '127.0.0.1') + nd(2, '127.0.0.2') + nd(3, '127.0.0.2') }), ours: { code: 'corosync/duplicate-node', severity: 'warning' } },
  { name: 'duplicate local ring0_addr (accepted)', text: conf({ nodes: nd(1, '127.0.0.1') + nd(2, '127.0.0.1') }), ours: { code: 'corosync/duplicate-node', severity: 'warning' } },
  {
    name: 'duplicate name (accepted)',
    text: conf({ nodes: nd(1, '127.0.0.1') + nd(2, '127.0.0.2').replace('name: n2', 'name: n1') }),
    ours: { code: 'corosync/duplicate-node', severity: 'warning' },
  },
  {
    name: 'duplicate link numbers (accepted)',
    text: conf({ totem: '    interface {\n        linknumber: 0\n    }\n    interface {\n        linknumber: 0\n    }\n' }),
    ours: { code: 'corosync/duplicate-link', severity: 'warning' },
  },
];

let dir: string;
before(() => {
  requireVersions(['corosync']);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-cs-classes-'));
});
after(() => {
  cleanupVersions();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

CASES.forEach((c, index) => {
  test(`corosync classes: ${c.name}`, () => {
    const file = path.join(dir, `case-${index}.conf`);
    fs.writeFileSync(file, c.text);
    const findings = checkCorosync(parseCorosync(file, c.text));
    const errors = findings.filter((d) => d.severity === 'error');
    if (c.ours) {
      const mine = findings.find((d) => d.code === c.ours!.code);
      assert.ok(mine, `we report ${c.ours.code}; got ${findings.map((d) => d.code).join(', ') || 'nothing'}`);
      assert.equal(mine.severity, c.ours.severity, c.ours.code);
    }
    for (const v of toolVersions('corosync')) {
      const r = runCorosync(v, file);
      if (c.tool) assert.match(r.output, c.tool, `${label(v)} prints what this case is about:\n${r.output}`);
      assert.equal(accepts(v, r), errors.length === 0, `${label(v)} exit ${r.status}; our errors: ${errors.map((d) => `${d.code}: ${d.message}`).join(' | ') || 'none'}\n${r.output}`);
    }
  });
});
