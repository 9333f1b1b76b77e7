import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../server/src/engine/rules';
import { renderRuleCatalogue } from '../../scripts/rule-catalogue';

// The codes promised in the engine issue. Changing one is a breaking change for users' suppressions.
const PROMISED = {
  haproxy: [
    'syntax',
    'unknown-keyword',
    'wrong-section',
    'removed-keyword',
    'deprecated-keyword',
    'invalid-argument',
    'undefined-reference',
    'duplicate-name',
    'missing-check-port',
    'mode-mismatch',
    'missing-timeout',
    'duplicate-cookie',
    'weak-credentials',
    'admin-socket-exposed',
    'missing-final-newline',
  ],
  keepalived: [
    'syntax',
    'unknown-keyword',
    'invalid-value',
    'auth-pass-truncated',
    'nopreempt-master',
    'nopreempt-with-weight',
    'undefined-reference',
    'script-security',
    'script-not-absolute',
    'script-shell-syntax',
    'auth-type-ah',
    'auth-unsupported',
    'address-owner-weight',
    'include-missing',
    'missing-value',
    'defined-later',
    'duplicate-notify',
    'deprecated-keyword',
    'invalid-route',
  ],
  corosync: ['syntax', 'unknown-key', 'invalid-value', 'missing-nodelist', 'nodeid-required', 'duplicate-node', 'two-node-misuse', 'expected-votes', 'crypto-requires-knet', 'bindnetaddr-ignored'],
  cluster: [
    'vrid-mismatch',
    'vip-mismatch',
    'advert-int-mismatch',
    'auth-mismatch',
    'priority-conflict',
    'failover-blocked',
    'vip-outside-subnet',
    'unicast-peer-mismatch',
    'track-port-unbound',
    'nodeport-mismatch',
    'backend-missing-worker',
    'corosync-membership',
    'haproxy-divergent',
    'vrid-collision',
    'nonlocal-bind',
  ],
  manifest: ['syntax', 'unknown-field', 'missing-field', 'invalid-value', 'missing-source', 'duplicate-host', 'invalid-address', 'unsafe-path'],
  template: ['not-rendered'],
};

test('every promised rule code exists exactly once', () => {
  const codes = allRules().map((r) => r.code);
  for (const [lang, names] of Object.entries(PROMISED)) {
    for (const n of names) assert.equal(codes.filter((c) => c === `${lang}/${n}`).length, 1, `${lang}/${n}`);
  }
  assert.equal(new Set(codes).size, codes.length, 'duplicate rule codes');
});

test('every rule is documented with a rationale and an example', () => {
  for (const r of allRules()) {
    assert.match(r.code, /^(haproxy|keepalived|corosync|cluster|manifest|template)\/[a-z0-9-]+$/, r.code);
    assert.ok(r.summary.length > 10, `${r.code} summary`);
    assert.ok(r.rationale.length > 20, `${r.code} rationale`);
    assert.ok(r.example.trim().length > 0, `${r.code} example`);
  }
});

test('docs/rules.md is up to date (run npm run gen:docs)', () => {
  const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
  assert.equal(committed, renderRuleCatalogue());
});
