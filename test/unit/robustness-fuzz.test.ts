// The bounded fuzz run in the unit suite (FUZZ_RUNS, default 40 per property) and the regression tests
// for what fuzzing found. `npm run fuzz` runs the same properties with many more cases.
import '../fuzz/fuzz.test';
import '../fuzz/regressions.test';
