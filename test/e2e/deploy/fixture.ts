// The deploy e2e fixture: a workspace whose haconf.yaml points at a running lab (test/lab), with exactly
// the files the lab hosts run, so the first deploy starts from a clean, healthy cluster.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Lab, LabPlan } from '../../lab/lab';
import { haproxyCfg, keepalivedConf, type VrrpParams } from '../../lab/configs';

export const PARAMS: VrrpParams = { priorities: { 1: 100, 2: 90, 3: 80 }, weight: 20 };
export const HAPROXY = '/etc/haproxy/haproxy.cfg';
export const KEEPALIVED = '/etc/keepalived/keepalived.conf';
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
  const hosts = plan.hosts.map((h) => `  - name: ${h.name}\n    address: ${h.ip}/24\n    files:\n      - { source: ${h.name}/keepalived.conf, target: ${KEEPALIVED} }\n`).join('');
  fs.writeFileSync(
    path.join(ws, 'haconf.yaml'),
    `cluster: ${cluster}
defaults:
  ssh: { user: ${t.user}, identityFile: ${t.keyPath}, knownHostsFile: ${t.knownHostsPath}, strictHostKeyChecking: "yes", connectTimeout: 5 }
  files:
    - { source: haproxy.cfg, target: ${HAPROXY} }
  # No systemd in the lab: haproxy reloads with a socket handover, keepalived with SIGHUP.
  services:
    haproxy: { validate: "haproxy -c -f {file}", reload: "haproxy -D -f ${HAPROXY} -p /run/haproxy.pid -x /run/haproxy/admin.sock -sf $(cat /run/haproxy.pid)" }
    keepalived: { validate: "keepalived -t -f {file}", reload: "kill -HUP $(cat /run/keepalived.pid)" }
hosts:
${hosts}deploy:
  settleSeconds: ${SETTLE_S}
  keepBackups: 3
  auditLog: .haconf/audit.jsonl
`,
  );
}

/** Edits a workspace file in place (as a user's save would); throws when `from` is not there. */
export function edit(ws: string, file: string, from: string, to: string): void {
  const f = path.join(ws, file);
  const text = fs.readFileSync(f, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain '${from}'`);
  fs.writeFileSync(f, text.replace(from, to));
}
