// The language server lives as long as the editor and re-checks on every edit, so most of what it
// allocates is garbage within milliseconds. V8's default lets the old generation grow to several times
// the live data between full collections (a 30,000-line haproxy.cfg: ~45 MB live, 230 MB resident).
// A smaller growing factor keeps the resident size near the live data for a few more full collections.
// Measured in docs/benchmarks.md; set before the first large allocation, it applies to every later GC.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

export function tuneHeapForServer(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
