// Property: the workspace model under file-system events agrees with a fresh scan (diskEvents.ts).
import { test } from 'node:test';
import fc from 'fast-check';
import { op, run } from './diskEvents';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;

test('workspace model: includes created, rewritten, made binary and deleted on disk agree with a fresh scan', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (ops, flushes) => run(ops, flushes)),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true, includeErrorInReport: true },
  );
});
