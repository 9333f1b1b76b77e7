// Regenerates every keyword schema under server/data/ from the upstream manuals installed by
// `apt-get install haproxy keepalived corosync` (plus, for HAProxy's version history and its sample
// fetches, the manuals and keyword dumps scripts/fetch-haproxy-manuals.sh puts in .tmp/manuals/). Each generator is a standalone script; this runs them in turn.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const scripts = ['gen-haproxy-schema.ts', 'gen-haproxy-fetches.ts', 'gen-haproxy-actions.ts', 'gen-keepalived-schema.ts', 'gen-corosync-schema.ts', 'gen-manifest-schema.ts'];
let failed = 0;
for (const s of scripts) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, s), ...process.argv.slice(2).filter(() => s === 'gen-haproxy-schema.ts')], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`gen-schemas: ${s} failed (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
