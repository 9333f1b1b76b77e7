// A whole cluster under random edits: the corrected apiserver-lb example (haconf.yaml, haproxy.cfg and
// three keepalived.conf) edited line by line with the lines the cross-file rules read (VRIDs, priorities,
// states, weights, auth_pass, VIPs, ports, manifest hosts and files). The workspace model, re-checking
// only what each edit touches, must report exactly what a fresh model reports for the final texts.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkIncremental, type WorkspaceEdit } from './incremental';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

const EXAMPLE = path.resolve(__dirname, '../../examples/corrected/apiserver-lb');
const NAMES = ['haconf.yaml', 'haproxy.cfg', 'master1/keepalived.conf', 'master2/keepalived.conf', 'master3/keepalived.conf'];
const FILES: Record<string, string> = Object.fromEntries(NAMES.map((n) => [`lb/${n}`, fs.readFileSync(path.join(EXAMPLE, n), 'utf8')]));

/** Lines for each file, by index in NAMES. */
const LINES: string[][] = [
  [
    '  - name: master4',
    '    address: 10.53.61.44/24',
    '      - { source: master1/keepalived.conf, target: /etc/keepalived/keepalived.conf }',
    '      - { source: master3/keepalived.conf, target: /etc/keepalived/keepalived.conf, kind: keepalived }',
    '    - { source: haproxy.cfg, target: /etc/haproxy/haproxy.cfg }',
    'kubernetes:',
    '  apiserverPort: 9443',
    'keepalived:',
    '  version: "2.2"',
    '',
  ],
  ['    bind *:6443', '    bind *:9443', '    server master-x 10.53.61.200:6443', '    mode http', 'listen stats', '    bind *:8404', ''],
  ['    virtual_router_id 52', '    priority 120', '    state BACKUP', '    weight 2', '    auth_pass longer-than-eight', '        10.53.61.201/32 dev eth0', '    nopreempt', '}', ''],
];
const linesFor = (file: number) => LINES[Math.min(file, 2)];

const edit: fc.Arbitrary<WorkspaceEdit> = fc
  .record({ file: fc.nat(NAMES.length - 1), op: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), pick: fc.nat(), flush: fc.boolean() })
  .map(({ file, op, at, pick, flush }) => {
    const line = linesFor(file)[pick % linesFor(file).length];
    const change = Object.assign(
      (text: string): string => {
        const lines = text.split('\n');
        const i = at % Math.max(1, lines.length);
        if (op === 'replace') lines[i] = line;
        else if (op === 'insert') lines.splice(i, 0, line);
        else lines.splice(i, 1);
        return lines.join('\n');
      },
      { [fc.toStringMethod]: () => `${op} line ${at} ${JSON.stringify(line)}` },
    );
    return { file, change, flush };
  });

test('a cluster (manifest, haproxy.cfg, three keepalived.conf) edited line by line agrees with a fresh workspace', () => {
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => checkIncremental(FILES, edits)),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true, includeErrorInReport: true },
  );
});
