import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSuppressions, isSuppressed } from '../../server/src/core/suppress';
import { applyPolicy } from '../../server/src/core/policy';
import { lineRange } from '../../server/src/core/range';
import type { Diagnostic } from '../../server/src/core/types';

const diag = (line: number, code: string): Diagnostic => ({
  file: '/x',
  range: lineRange(line, 0, 1),
  severity: 'warning',
  code,
  message: 'm',
});

test('disable-next-line silences the next statement only, for the named codes', () => {
  const text = 'a\n# haconf-disable-next-line haproxy/foo\n\nb\nc\n';
  const s = findSuppressions(text);
  assert.equal(isSuppressed(s, diag(3, 'haproxy/foo')), true);
  assert.equal(isSuppressed(s, diag(3, 'haproxy/bar')), false);
  assert.equal(isSuppressed(s, diag(4, 'haproxy/foo')), false);
  assert.equal(isSuppressed(s, diag(0, 'haproxy/foo')), false);
});

test('keepalived ! comments and several codes work; no code means all', () => {
  const s = findSuppressions('! haconf-disable-next-line keepalived/a keepalived/b\nx\n# haconf-disable-next-line\ny\n');
  assert.equal(isSuppressed(s, diag(1, 'keepalived/a')), true);
  assert.equal(isSuppressed(s, diag(1, 'keepalived/b')), true);
  assert.equal(isSuppressed(s, diag(1, 'keepalived/c')), false);
  assert.equal(isSuppressed(s, diag(3, 'anything/at-all')), true);
});

test('haconf-disable applies to the whole file; families with /*', () => {
  const s = findSuppressions('x\ny\n# haconf-disable corosync/*\n');
  assert.equal(isSuppressed(s, diag(0, 'corosync/syntax')), true);
  assert.equal(isSuppressed(s, diag(0, 'haproxy/syntax')), false);
});

test('a trailing marker on a statement silences the next line, not itself', () => {
  const s = findSuppressions('a # haconf-disable-next-line x/y\nb\n');
  assert.equal(isSuppressed(s, diag(1, 'x/y')), true);
  assert.equal(isSuppressed(s, diag(0, 'x/y')), false);
});

test('policy applies severity overrides and off', () => {
  const ds = [diag(0, 'a/x'), diag(0, 'a/y'), diag(0, 'a/z')];
  const out = applyPolicy(ds, () => '', { haproxyVersion: '2.6', severities: { 'a/x': 'error', 'a/y': 'off' } });
  assert.deepEqual(
    out.map((d) => [d.code, d.severity]),
    [
      ['a/x', 'error'],
      ['a/z', 'warning'],
    ],
  );
});
