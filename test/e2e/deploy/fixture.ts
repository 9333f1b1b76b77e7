// The deploy e2e fixture: a workspace whose haconf.yaml points at a running lab (test/lab), with exactly
// the files the lab hosts run, so the first deploy starts from a clean, healthy cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Lab, LabPlan } from '../../lab/lab';
import { haproxyCfg, keepalivedConf, labManifest, LAB_HAPROXY_TARGET, LAB_KEEPALIVED_TARGET, type VrrpParams } from '../../lab/configs';

export const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
export const HAPROXY = LAB_HAPROXY_TARGET;
export const KEEPALIVED = LAB_KEEPALIVED_TARGET;
/** Settle wait per host: long enough for the progress screenshot to catch a host's "settle" step. */
export const SETTLE_S = 3;

export function writeWorkspace(ws: string, cluster: string, lab: Lab, plan: LabPlan): void {
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(ws, 'haproxy.cfg'), haproxyCfg(plan));
  for (const h of plan.hosts) {
    fs.mkdirSync(path.join(ws, h.name));
    fs.writeFileSync(path.join(ws, h.name, 'keepalived.conf'), keepalivedConf(h, plan, PARAMS));
  }
  // The lab's key and pre-filled known_hosts: host keys are checked strictly, as by default.
  const t = lab.sshTarget(plan.hosts[0].name);
  fs.writeFileSync(path.join(ws, 'haconf.yaml'), labManifest({ cluster, plan, user: t.user, keyPath: t.keyPath, knownHostsPath: t.knownHostsPath, connectTimeout: 5, settleSeconds: SETTLE_S }));
}

/** Edits a workspace file in place (as a user's save would); throws when `from` is not there. */
export function edit(ws: string, file: string, from: string, to: string): void {
  const f = path.join(ws, file);
  const text = fs.readFileSync(f, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain '${from}'`);
  fs.writeFileSync(f, text.replace(from, to));
}
