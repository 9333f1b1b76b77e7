// The end of a deploy suite: every lab stopped and checked for leftovers, the temp workspaces removed, and
// the suite's report printed even when a stop or the leftover check fails.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Lab } from '../lab/lab';

export async function tearDown(title: string, report: string[], labs: (Lab | undefined)[], dirs: (string | undefined)[]): Promise<void> {
  try {
    for (const lab of labs) {
      if (!lab) continue;
      await lab.stop();
      assert.deepEqual(lab.leftovers(), []);
    }
  } finally {
    for (const d of dirs) if (d) fs.rmSync(d, { recursive: true, force: true });
    process.stdout.write(`\n# ${title}\n${report.map((l) => `#   ${l}`).join('\n')}\n`);
  }
}
