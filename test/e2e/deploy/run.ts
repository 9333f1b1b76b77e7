// The VS Code deploy command end to end, driven the way a user drives it. A real lab (test/lab: three
// namespaced hosts with sshd, haproxy and keepalived holding a VIP), a workspace whose haconf.yaml points
// at those hosts (fixture.ts), real VS Code (code-server + headless Chromium, pieces of test/e2e/run.ts)
// with this repository as the development extension. Through the command palette it runs
// "haconf: Deploy Cluster (Dry Run)…" and "haconf: Deploy Cluster…", accepts the hosts picker, clicks
// "Deploy" in the modal confirmation, and checks the progress and result notifications and, over ssh,
// the files on every host; then a CLI deploy SIGKILLed mid-rollout, and the notification that offers to
// finish or roll it back (its Roll back button clicked). Then drift: the marks a deploy leaves in the
// Clusters view, a file edited by hand on lb2 found by "haconf: Check Drift…" (marks, masked diff), and
// "Deploy Ours" from the drifted file's context menu. Screenshots: docs/screenshots/deploy-*.png, drift-*.png.
//
// Why not a mocha suite inside VS Code like test/e2e/suite: a window started with extensionTestsPath
// refuses every modal dialog ("DialogService: refused to show dialog in tests"), so the confirmation a
// deploy needs can only be answered in a normal window, by the browser harness.
//
// Needs root (the lab) and the e2e tools (test/e2e/setup-tools.sh); fails, never skips, without them.
// Usage: node --import tsx test/e2e/deploy/run.ts [--keep]
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, buildExtension } from '../build';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS, freePort, locateTools, makeProfile, startCodeServer, stopTree } from '../run';
import { checkPrerequisites, planLab, startLab, type Lab, type LabPlan } from '../../lab/lab';
import { haproxyCfg, keepalivedConf } from '../../lab/configs';
import { HAPROXY, KEEPALIVED, PARAMS, SETTLE_S, edit, writeWorkspace } from './fixture';
import { Workbench, sel, type Page } from './workbench';

const CLUSTER = 'lab-edge'; // also the folder name, which the window title shows

const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];

async function step(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: (e as Error).message });
    console.log(`  FAIL ${name} (${Date.now() - t0} ms)\n       ${(e as Error).message.split('\n').join('\n       ')}`);
    return false;
  }
}

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

const sha = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');

/** host → "sha(haproxy.cfg) sha(keepalived.conf)" as the host has them, read over ssh. */
async function remoteState(lab: Lab, plan: LabPlan): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of plan.hosts) {
    const r = await lab.ssh(h.name, `sha256sum ${HAPROXY} ${KEEPALIVED} | cut -d' ' -f1 | tr '\\n' ' '`);
    assert(r.code === 0, `${h.name}: ${r.stderr}`);
    out[h.name] = r.stdout.trim();
  }
  return out;
}

function localState(ws: string, plan: LabPlan): Record<string, string> {
  const hap = sha(fs.readFileSync(path.join(ws, 'haproxy.cfg')));
  return Object.fromEntries(plan.hosts.map((h) => [h.name, `${hap} ${sha(fs.readFileSync(path.join(ws, h.name, 'keepalived.conf')))}`]));
}

const same = (a: Record<string, string>, b: Record<string, string>): boolean => JSON.stringify(a) === JSON.stringify(b);

async function scenario(wb: Workbench, lab: Lab, plan: LabPlan, ws: string): Promise<void> {
  await step('the workbench opens the workspace and haconf shows the lab cluster in the status bar', async () => {
    await wb.visible('.monaco-workbench', 60000);
    await wb.click(sel.explorerRow('haproxy.cfg'), 30000);
    await wb.visible(sel.statusItem(CLUSTER), 30000);
    assert(same(await remoteState(lab, plan), localState(ws, plan)), 'the hosts start on the workspace files');
  });

  // Both files change: haproxy.cfg everywhere, each host's keepalived.conf.
  edit(ws, 'haproxy.cfg', 'timeout client 30s', 'timeout client 45s');
  for (const h of plan.hosts) edit(ws, `${h.name}/keepalived.conf`, 'fall 2', 'fall 3');
  const before = await remoteState(lab, plan);

  await step('Dry Run: every host validates the change, nothing changes', async () => {
    await wb.command('haconf: Deploy Cluster (Dry Run)…');
    // All hosts are pre-selected in the picker: Enter accepts.
    await wb.visible(sel.row('lb3'));
    await wb.press('Enter');
    const text = await wb.text(sel.toast('haconf: dry-run'));
    assert(/3 hosts would change and every host accepted the candidates/.test(text), `dry-run result: ${text}`);
    assert(same(await remoteState(lab, plan), before), 'a dry run changed a host');
    await wb.command('Notifications: Clear All Notifications');
    await wb.gone(sel.toast('haconf: dry-run'));
  });

  await step("Deploy: modal confirmation (clicked), progress with each host's step, result notification; files on every host", async () => {
    const t0 = Date.now();
    await wb.command('haconf: Deploy Cluster…');
    await wb.visible(sel.row('lb3'));
    await wb.press('Enter');
    // Staged and validated on every host; the side-by-side diffs are open and the modal asks.
    const dialog = await wb.text(sel.dialog, 30000);
    assert(/Deploy lab-edge to 3 hosts\?/.test(dialog), `confirmation: ${dialog}`);
    assert(/lb1 \(VIP holder, last\)/.test(dialog), `the confirmation names the VIP holder: ${dialog}`);
    assert(same(await remoteState(lab, plan), before), 'a host changed before the confirmation');
    await wb.screenshot('deploy-confirm');
    await wb.click(sel.dialogButton('Deploy'));
    // lb3 (lowest priority) goes first, lb1 (the VIP holder) last; each host waits SETTLE_S seconds.
    await wb.visible(sel.toast('lb3: settle'), 30000);
    await wb.screenshot('deploy-progress');
    const result = await wb.text(sel.toast('haconf: success'), 60000);
    const wall = Date.now() - t0;
    assert(/deployed to lb3, lb2, lb1/.test(result), `result: ${result}`);
    await wb.screenshot('deploy-result');
    assert(same(await remoteState(lab, plan), localState(ws, plan)), 'every host runs the new files');
    const vip = await lab.vipHolders();
    assert(vip.length === 1 && vip[0] === 'lb1', `VIP on ${vip.join(', ') || 'nobody'}`);
    const curl = await lab.curlVip();
    assert(curl.code === 0 && /hello from w1/.test(curl.stdout), `the VIP does not answer: ${curl.stderr}`);
    const audit = fs
      .readFileSync(path.join(ws, '.haconf', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { result: string; hosts: string[] });
    assert(audit.length === 1 && audit[0].result === 'success', `audit log: ${JSON.stringify(audit)}`);
    console.log(`       command → result notification: ${(wall / 1000).toFixed(1)} s (settle ${SETTLE_S} s × 3 hosts)`);
  });

  await step("Show log: the output channel has each host's steps", async () => {
    await wb.click(`${sel.toast('haconf: success')} .monaco-button:has-text("Show log")`);
    // The output view renders only the lines in sight, and it follows the end: the last lines are the
    // hosts' unlock steps and the result.
    const log = await wb.text('.panel .monaco-editor .view-lines:has-text("deployed to lb3, lb2, lb1")', 20000);
    assert(/lb\d: unlock ok/.test(log), `the log shows host steps: ${log.slice(-400)}`);
    await wb.screenshot('deploy-log');
  });

  await step('a CLI deploy SIGKILLed after lb3: the Deploy command offers Finish / Roll back; Roll back puts lb3 back and cleans up', async () => {
    const deployed = await remoteState(lab, plan);
    edit(ws, 'haproxy.cfg', 'timeout client 45s', 'timeout client 50s');
    await killDeployAfterLb3(ws);
    const mixed = await remoteState(lab, plan);
    assert(mixed.lb3 !== deployed.lb3 && mixed.lb2 === deployed.lb2 && mixed.lb1 === deployed.lb1, `lb3 alone on the new file: ${JSON.stringify(mixed)}`);
    await wb.command('Notifications: Clear All Notifications');
    await wb.command('haconf: Deploy Cluster…');
    const note = await wb.text(sel.toast('did not finish'), 30000);
    assert(/a deploy of lab-edge did not finish \(run [0-9a-f]+ by .* stopped during rollout\)/.test(note), `notification: ${note}`);
    await wb.screenshot('deploy-interrupted');
    await wb.click(`${sel.toast('did not finish')} .monaco-button:has-text("Roll back")`);
    const result = await wb.text(sel.toast('haconf: rolled-back'), 60000);
    assert(/lb3: old — on its previous files/.test(result), `result: ${result}`);
    assert(same(await remoteState(lab, plan), deployed), 'every host back on the files of the last good deploy');
    assert(!fs.existsSync(path.join(ws, '.haconf', 'haconf.yaml.journal.json')), 'the journal is removed');
    for (const h of plan.hosts) {
      const left = await lab.exec(h.name, 'ls -a /etc/haproxy /etc/keepalived | grep -c haconf-new; test -e /run/haconf-deploy.lock && echo LOCK; true');
      assert(left.stdout.trim() === '0', `${h.name}: left ${left.stdout.trim()}`);
    }
    edit(ws, 'haproxy.cfg', 'timeout client 50s', 'timeout client 45s');
  });

  await driftScenario(wb, lab, plan, ws);
}

/** The Clusters view's pane, expanded (it shares the explorer with the file tree). */
async function showClusters(wb: Workbench): Promise<void> {
  await wb.visible(sel.clustersPane, 30000);
  if (!(await wb.isVisible(sel.clusterRow(CLUSTER)))) await wb.click(`${sel.clustersPane} .pane-header`);
  await wb.visible(sel.clusterRow(CLUSTER), 20000);
}

/** Room for the Clusters view in the screenshot: no editors, no panel, the file tree folded. Best effort. */
async function tidyForScreenshot(wb: Workbench): Promise<void> {
  for (const c of ['View: Close All Editors', 'View: Hide Panel', 'Notifications: Clear All Notifications']) {
    await wb.command(c).catch(() => wb.press('Escape'));
  }
  await wb.click('.pane-header:has-text("lab-edge")', 2000).catch(() => undefined);
}

async function driftScenario(wb: Workbench, lab: Lab, plan: LabPlan, ws: string): Promise<void> {
  const secret = 'E2eDr1ftSecret';
  await step('drift: the deploys left marks in the Clusters view (checked after each deploy): every host in sync', async () => {
    await wb.command('Notifications: Clear All Notifications');
    await showClusters(wb);
    // The roll back above was a recovery, not a deploy: the marks are the first deploy's check.
    for (const h of plan.hosts) await wb.visible(`${sel.clusterRow(h.name)}:has-text("in sync (checked")`, 30000);
  });

  await step('drift: a file edited by hand on lb2 → "haconf: Check Drift…" marks lb2 and its haproxy.cfg; the diff is masked', async () => {
    const r = await lab.exec('lb2', `sed -i 's/timeout client 45s/timeout client 46s\\n    stats auth admin:${secret}/' ${HAPROXY}`);
    assert(r.code === 0, r.stderr);
    await wb.command('haconf: Check Drift…');
    const note = await wb.text(sel.toast('haconf: lab-edge:'), 30000);
    assert(/2 of 3 hosts in sync, 1 drifted \(1 file\), 0 unreachable/.test(note), `notification: ${note}`);
    await wb.visible(`${sel.clusterRow('lb2')}:has-text("drifted (checked")`);
    await wb.visible(`${sel.clusterRow('lb1')}:has-text("in sync (checked")`);
    await wb.visible(`${sel.clusterRow(CLUSTER)}:has-text("drift: 1 host drifted, 0 unreachable")`);
    await wb.click(sel.clusterRow('lb2'));
    const file = `${sel.clusterRow('haproxy.cfg')}:has-text("drifted (checked")`;
    await wb.visible(file);
    await tidyForScreenshot(wb);
    await wb.screenshot('drift-marks');
    // Clicking the drifted file opens the side-by-side diff: workspace left, lb2 right, secrets masked.
    await wb.click(file);
    await wb.visible(sel.editorTab('(drift)'));
    const right = await wb.text('.monaco-diff-editor .editor.modified .view-lines', 20000);
    assert(/timeout client 46s/.test(right), `the host side: ${right.slice(0, 400)}`);
    assert(/stats auth admin:\*{8}/.test(right) && !right.includes(secret), `the secret is masked: ${right.slice(0, 400)}`);
    await wb.screenshot('drift-diff');
  });

  await step('drift: "Deploy Ours" from the drifted file puts the workspace\'s file back on lb2; the marks are checked again', async () => {
    await wb.command('Notifications: Clear All Notifications');
    await wb.command('View: Close All Editors');
    await wb.rightClick(`${sel.clusterRow('haproxy.cfg')}:has-text("drifted (checked")`);
    await wb.chooseMenuItem(sel.menuItem('Deploy Ours'));
    // The hosts picker comes pre-set to lb2 alone.
    await wb.visible(sel.row('lb3'));
    await wb.press('Enter');
    const dialog = await wb.text(sel.dialog, 30000);
    assert(/Deploy lab-edge to 1 host\?/.test(dialog), `confirmation: ${dialog}`);
    await wb.click(sel.dialogButton('Deploy'));
    await wb.text(sel.toast('haconf: success'), 60000);
    assert(same(await remoteState(lab, plan), localState(ws, plan)), 'lb2 is back on the workspace files');
    await wb.visible(`${sel.clusterRow('lb2')}:has-text("in sync (checked")`, 30000);
  });

  await step('drift: "Adopt the Host\'s Version" writes lb2\'s file into the workspace; lb1 and lb3 then show as drifted', async () => {
    const r = await lab.exec('lb2', `sed -i 's/timeout client 45s/timeout client 47s/' ${HAPROXY}`);
    assert(r.code === 0, r.stderr);
    await wb.command('Notifications: Clear All Notifications');
    await wb.command('haconf: Check Drift…');
    await wb.text(sel.toast('haconf: lab-edge: 2 of 3'), 30000);
    await wb.rightClick(`${sel.clusterRow('haproxy.cfg')}:has-text("drifted (checked")`);
    await wb.chooseMenuItem(sel.menuItem("Adopt the Host's Version"));
    const dialog = await wb.text(sel.dialog, 20000);
    assert(/Replace haproxy\.cfg in the workspace with lb2's \/etc\/haproxy\/haproxy\.cfg\?/.test(dialog) && /lb1, lb3 also receive haproxy\.cfg/.test(dialog), `confirmation: ${dialog}`);
    await wb.click(sel.dialogButton('Adopt'));
    await wb.text(sel.toast("haconf: haproxy.cfg now holds lb2's /etc/haproxy/haproxy.cfg"), 30000);
    const host = await lab.ssh('lb2', `cat ${HAPROXY}`);
    assert(fs.readFileSync(path.join(ws, 'haproxy.cfg'), 'utf8') === host.stdout, "the workspace file is lb2's");
    // Checked again after the adopt: the other hosts now differ from the workspace.
    await wb.visible(`${sel.clusterRow('lb1')}:has-text("drifted (checked")`, 30000);
    await wb.visible(`${sel.clusterRow('lb2')}:has-text("in sync (checked")`);
  });
}

/** `haconf deploy --yes` from source in the workspace, SIGKILLed once lb3 runs the new files. */
async function killDeployAfterLb3(ws: string): Promise<void> {
  const tsx = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).toString();
  const child = spawn(process.execPath, ['--import', tsx, path.join(REPO, 'server/src/cli/main.ts'), 'deploy', '--manifest', path.join(ws, 'haconf.yaml'), '--yes'], {
    cwd: ws,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const closed = new Promise((r) => child.on('close', r));
  const end = Date.now() + 60000;
  while (!/lb3\s+install\s+ok/.test(out)) {
    if (Date.now() > end) throw new Error(`the CLI deploy never swapped lb3:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.kill(-child.pid!, 'SIGKILL');
  await closed;
}

async function main(): Promise<number> {
  const keep = process.argv.includes('--keep');
  const tools = locateTools();
  checkPrerequisites();
  const t0 = Date.now();
  buildExtension();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-e2e-deploy-'));
  let lab: Lab | undefined;
  let cleanLab = true;
  try {
    const plan = planLab({ hosts: 3 });
    lab = await startLab({ hosts: 3, plan, haproxy: () => haproxyCfg(plan), keepalived: (h, p) => keepalivedConf(h, p, PARAMS) });
    const ws = path.join(tmp, 'dev', CLUSTER);
    writeWorkspace(ws, CLUSTER, lab, plan);
    await lab.waitForVip('lb1', 15000);
    console.log(`lab ${plan.prefix}: ${plan.hosts.map((h) => `${h.name} ${h.ip}`).join(', ')}; VIP ${plan.vip} on lb1`);
    const port = await freePort();
    const profile = makeProfile(path.join(tmp, 'code-server'), port);
    const cs = await startCodeServer(tools, profile, port);
    const browser = await tools.playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = (await browser.newPage({ viewport: { width: 1440, height: 900 } })) as unknown as Page;
      page.on('pageerror', (e) => console.log(`  [page error] ${e.message}`));
      // A development window WITHOUT extensionTestsPath: that is what lets VS Code show the modal.
      const host = `127.0.0.1:${port}`;
      const payload = [['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`]];
      await page.goto(`http://${host}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: 'load', timeout: 60000 });
      console.log('\n== haconf deploy from VS Code (code-server) against the lab ==');
      await scenario(new Workbench(page, SHOTS, tmp), lab, plan, ws);
    } finally {
      await browser.close();
      await stopTree(cs);
    }
  } finally {
    if (lab) {
      await lab.stop();
      const left = lab.leftovers();
      if (left.length) {
        cleanLab = false;
        console.log(`lab leftovers: ${left.join(', ')}`);
      }
    }
  }
  const ok = cleanLab && results.length > 0 && results.every((r) => r.ok);
  if (keep || !ok) console.log(`\nstate kept in ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\ne2e deploy ${ok ? 'PASSED' : 'FAILED'} (${results.filter((r) => r.ok).length}/${results.length} steps) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`e2e deploy harness error: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
