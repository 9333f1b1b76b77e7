import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines, unifiedDiff } from '../../server/src/deploy/diff';

/** Length of a longest common subsequence, by dynamic programming: the reference for minimality. */
function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  return dp[a.length][b.length];
}

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

test('diffLines is a correct and minimal edit script (random cases against an LCS reference)', () => {
  const r = rng(42);
  for (let n = 0; n < 300; n++) {
    const mk = (): string[] => Array.from({ length: Math.floor(r() * 12) }, () => 'abcd'[Math.floor(r() * 4)]);
    const a = mk();
    const b = mk();
    const e = diffLines(a, b);
    assert.deepEqual(
      e.filter((x) => x.kind !== '+').map((x) => x.line),
      a,
      'old side rebuilt',
    );
    assert.deepEqual(
      e.filter((x) => x.kind !== '-').map((x) => x.line),
      b,
      'new side rebuilt',
    );
    assert.equal(e.filter((x) => x.kind === ' ').length, lcs(a, b), `minimal for ${a.join('')} → ${b.join('')}`);
  }
});

test('unifiedDiff: hunk headers and context like diff -u', () => {
  const old = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10'].join('\n') + '\n';
  const neu = old.replace('l5\n', 'L5\n');
  assert.equal(unifiedDiff(old, neu, 'a', 'b'), '--- a\n+++ b\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n');
  assert.equal(unifiedDiff(old, old, 'a', 'b'), '');
  assert.equal(unifiedDiff('', 'x\n', 'a', 'b'), '--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
  // Two changes far apart make two hunks.
  const far = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n';
  const far2 = far.replace('l2\n', 'X\n').replace('l25\n', 'Y\n');
  assert.equal(unifiedDiff(far, far2, 'a', 'b').match(/^@@/gm)?.length, 2);
  assert.match(
    unifiedDiff('auth_pass s3cret\n', 'auth_pass n3w\n', 'a', 'b', 3, (l) => l.replace(/pass \S+/, 'pass ***')),
    /^-auth_pass \*\*\*\n\+auth_pass \*\*\*$/m,
  );
});
