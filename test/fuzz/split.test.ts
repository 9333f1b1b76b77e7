// Split HAProxy configurations under random edits: a workspace model edited line by line (re-checking
// only the files whose set signature says may change, engine/haproxySetState.ts) must report exactly
// what a fresh model reports for the final texts. The lines edited in are the ones files tell each other
// about: defaults and their timeouts/mode/default-server, backend and server names, tracks, userlists,
// `from`, `.if` blocks.
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultCheckOptions } from '../../server/src/core/types';
import { checkIncremental, lineChange, type WorkspaceEdit } from './incremental';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

const FILES: Record<string, string> = {
  'etc/haproxy/haproxy.cfg': 'global\n    maxconn 100\n\ndefaults d1\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n',
  'etc/haproxy/conf.d/10-front.cfg': 'frontend f1\n    bind 127.0.0.1:8080\n    use_backend b2 if { path_beg /api }\n    default_backend b1\n',
  'etc/haproxy/conf.d/20-back.cfg': 'backend b1\n    server s1 127.0.0.1:9001 check\n\nbackend b2\n    server s2 127.0.0.1:9002 track b1/s1\n',
  'etc/haproxy/conf.d/30-more.cfg':
    'userlist u1\n    user a insecure-password secret-words-here\n\nlisten l1\n    bind 127.0.0.1:9090\n    server s3 127.0.0.1:9003 track b1/s1\n    server s5 127.0.0.1:9005 track b2/s2\n',
};

const LINES = [
  'defaults',
  'defaults d1',
  'defaults d2',
  '    timeout client 5s',
  '    timeout connect 5s',
  '    timeout server 5s',
  '    mode tcp',
  '    mode http',
  'backend b1 from d2',
  'frontend f1 from d1',
  'backend b2 from d1',
  '    tcp-request connection accept',
  '    tcp-response content accept',
  '    use_backend b2',
  'frontend f1',
  'frontend f2 from d1',
  'frontend f3 from d2',
  '    bind 127.0.0.1:8081',
  '    default_backend b1',
  '    use_backend b3',
  'backend b1',
  'backend b2',
  'backend b3 from d1',
  'listen l1',
  'listen b1',
  '    server s1 127.0.0.1:80 check',
  '    server s2 127.0.0.1:81 track b1/s1',
  '    server s9 127.0.0.1:82 track b2/s2',
  '    default-server check port 9000',
  '    server s4 127.0.0.1 check',
  '    http-request deny if { path_beg /x }',
  '    tcp-check connect port 80',
  'userlist u1',
  'userlist u2',
  '    acl ok http_auth(u1)',
  '.if defined(HACONF_FUZZ)',
  '.endif',
  '',
  '# comment',
];

/** Replace, insert or delete one line of the file. */
const lineEdit = fc.tuple(fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const), fc.nat(), fc.constantFrom(...LINES)).map(([op, at, line]) => lineChange(op, at, line));

const edit: fc.Arbitrary<WorkspaceEdit> = fc.record({ file: fc.nat(3), change: lineEdit, flush: fc.boolean() });

test('split configuration: incremental re-checks of a set agree with a fresh workspace', () => {
  fc.assert(
    // Rules differ by version (from 3.0 a tcp frontend is upgraded by an http backend of another file).
    fc.property(fc.array(edit, { minLength: 1, maxLength: 10 }), fc.constantFrom('2.6', '3.0', '3.2'), (edits, version) =>
      checkIncremental(FILES, edits, defaultCheckOptions({ haproxyVersion: version })),
    ),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
  );
});
