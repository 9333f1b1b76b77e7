// Reading the lab hosts in the deploy suites (lab, faults, signals): one shell helper and the state of the
// two deploy targets, so each suite asserts "every host on its old or new files" the same way.
import assert from 'node:assert/strict';
import type { Lab, LabPlan } from '../lab/lab';
import { LAB_HAPROXY_TARGET, LAB_KEEPALIVED_TARGET } from '../lab/configs';

/** Runs `cmd` on a lab host; a non-zero exit fails the test with the host's stderr. */
export async function labSh(lab: Lab, host: string, cmd: string): Promise<string> {
  const r = await lab.exec(host, cmd);
  assert.equal(r.code, 0, `${host}: ${cmd}: ${r.stderr}`);
  return r.stdout;
}

/** sha256 (16 hex) of both deploy targets on every lab host. */
export async function labTargetState(lab: Lab, plan: LabPlan): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of plan.hosts) out[h.name] = (await labSh(lab, h.name, `sha256sum ${LAB_HAPROXY_TARGET} ${LAB_KEEPALIVED_TARGET} | cut -c1-16 | tr '\\n' ' '`)).trim();
  return out;
}

/** What a deploy may leave behind on a host: candidates and the lock (a suite adds its own checks). */
export const DEBRIS_CHECK = 'ls -a /etc/haproxy /etc/keepalived | grep -e haconf-new; test -e /run/haconf-deploy.lock && echo LOCK; true';

/** Every line `check` prints on any lab host, prefixed with the host: empty when nothing was left. */
export async function labDebris(lab: Lab, plan: LabPlan, check = DEBRIS_CHECK): Promise<string[]> {
  const out: string[] = [];
  for (const h of plan.hosts) {
    const r = await lab.exec(h.name, check);
    out.push(
      ...r.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => `${h.name}: ${line}`),
    );
  }
  return out;
}
