import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DEPLOY,
  DEPLOY_CONFIRM,
  DEPLOY_EVENT,
  DEPLOY_INTERRUPTED,
  DEPLOY_RECOVER,
  DEPLOY_TARGETS,
  type DeployEvent,
  type DeployPlan,
  type DeployResult,
  type FilePlan,
  type InterruptedDeploy,
} from '../../server/src/protocol';
import { orderTargets } from './deployTargets';
import { plural } from '../../server/src/core/plural';
import { onNotification, onRequest, sendRequest } from './requests';
const SCHEME = 'haconf-plan';

/** Read-only documents holding the staged plan's two sides (remote current, local), secrets masked. */
class PlanDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  set(plan: DeployPlan): FilePlan[] {
    this.docs.clear();
    const changed = plan.hosts.flatMap((h) => h.files.filter((f) => f.changed));
    for (const f of changed) {
      this.docs.set(this.key(f, 'remote'), f.remoteText ?? '');
      this.docs.set(this.key(f, 'local'), f.localText ?? '');
    }
    return changed;
  }
  key(f: FilePlan, side: 'remote' | 'local'): string {
    return `/${f.host}${f.target}.${side}`;
  }
  uri(f: FilePlan, side: 'remote' | 'local'): vscode.Uri {
    return vscode.Uri.from({ scheme: SCHEME, path: this.key(f, side) });
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? '';
  }
}

export interface DeployUi {
  /** Offers Finish / Roll back for every deploy a killed run left unfinished (its journal). */
  checkInterrupted(): Promise<boolean>;
  /** A deploy or recovery is running: stopping the server must give it time to roll back. */
  busy(): boolean;
  /** Deploys one manifest to the given hosts, skipping the pickers (the drift view's "Deploy ours"). */
  deployTo(manifest: string, hosts: string[]): Promise<void>;
}

/** `afterDeploy` runs when a real (not dry) deploy may have changed hosts (or found them in sync): the drift marks refresh. */
export function registerDeploy(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, afterDeploy?: (manifest: string, cluster: string) => Promise<unknown>): DeployUi {
  let running = 0;
  const log = vscode.window.createOutputChannel('haconf deploy', { log: true });
  const planDocs = new PlanDocuments();
  let lastPlanFiles: FilePlan[] = [];
  let progress: vscode.Progress<{ message?: string }> | undefined;

  const openDiffs = async (files: FilePlan[]): Promise<void> => {
    for (const f of files.slice(0, 8)) {
      await vscode.commands.executeCommand(
        'vscode.diff',
        planDocs.uri(f, 'remote'),
        planDocs.uri(f, 'local'),
        `${f.host}:${f.target} ↔ ${f.source}${f.renderedFor ? ` (rendered for ${f.renderedFor})` : ''}`,
        { preview: false },
      );
    }
  };

  const onEvent = (e: DeployEvent): void => {
    if (e.type === 'phase') {
      log.info(`[${e.phase}] ${e.message}`);
      progress?.report({ message: e.message });
    } else if (e.type === 'host') {
      const line = `${e.host}: ${e.step} ${e.status}${e.detail ? ` — ${e.detail}` : ''}`;
      if (e.status === 'fail') log.error(line);
      else log.info(line);
      progress?.report({ message: `${e.host}: ${e.step}${e.status === 'start' ? '…' : ` ${e.status}`}` });
    } else if (e.level === 'error') log.error(e.message);
    else if (e.level === 'warn') log.warn(e.message);
    else log.info(e.message);
  };

  const confirm = async (plan: DeployPlan): Promise<boolean> => {
    lastPlanFiles = planDocs.set(plan);
    await openDiffs(lastPlanFiles);
    const changing = plan.hosts.filter((h) => h.changed);
    const order = changing
      .map(
        (h) =>
          `${h.name}${h.vipHolder ? ' (VIP holder, last)' : ''}: ${h.files
            .filter((f) => f.changed)
            .map((f) => f.target)
            .join(', ')}`,
      )
      .join('\n');
    const answer = await vscode.window.showWarningMessage(
      `Deploy ${plan.cluster} to ${plural(changing.length, 'host')}?`,
      { modal: true, detail: `Every host validated the new files. Order:\n${order}\n\nA failed reload or health check rolls every changed host back.` },
      'Deploy',
    );
    return answer === 'Deploy';
  };

  let listening = false;
  const ensureListeners = (client: LanguageClient): void => {
    if (listening) return;
    listening = true;
    context.subscriptions.push(onNotification(client, DEPLOY_EVENT, onEvent), onRequest(client, DEPLOY_CONFIRM, confirm));
  };

  /** The server does the work (server/src/deploy/recover.ts); this only asks and shows the answer. */
  const checkInterrupted = async (): Promise<boolean> => {
    const client = getClient();
    if (!client || !vscode.workspace.isTrusted) return false;
    ensureListeners(client);
    const found = await sendRequest(client, DEPLOY_INTERRUPTED, {}).catch((): InterruptedDeploy[] => []);
    for (const d of found) {
      const pick = await vscode.window.showWarningMessage(`haconf: a deploy of ${d.cluster} did not finish (${d.run}); its hosts may be on different configs.`, 'Show state', 'Finish', 'Roll back');
      if (!pick) continue;
      const action = pick === 'Finish' ? 'finish' : pick === 'Roll back' ? 'rollback' : 'report';
      running++;
      try {
        const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `haconf: recovering ${d.cluster}` }, () =>
          sendRequest(client, DEPLOY_RECOVER, { manifest: d.manifest, action }),
        );
        log.info(r.message);
        const show = r.exitCode === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
        void show(`haconf: ${r.outcome}: ${r.message}`, 'Show log').then((a) => a && log.show());
      } catch (e) {
        void vscode.window.showErrorMessage(`haconf: ${(e as Error).message}`);
      } finally {
        running--;
      }
    }
    return found.length > 0;
  };

  const run = async (dryRun: boolean, preset?: { manifest: string; hosts: string[] }): Promise<void> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('haconf: deploy is refused in Restricted Mode. Trust this workspace to deploy.');
      return;
    }
    const client = getClient();
    if (!client) return;
    ensureListeners(client);
    if (await checkInterrupted()) return;
    const targets = await sendRequest(client, DEPLOY_TARGETS, {});
    if (!targets.length) {
      void vscode.window.showInformationMessage('haconf: no cluster has a haconf.yaml with hosts; deploy needs one (see docs/manifest.md).');
      return;
    }
    // The active file's cluster comes first, so the picker preselects it (unless a drift action names one).
    const ordered = orderTargets(targets, vscode.window.activeTextEditor?.document.uri.fsPath);
    const items = ordered.targets.map((t) => ({ label: t.cluster, description: `${vscode.workspace.asRelativePath(t.manifest)}${t === ordered.own ? ' · the active file' : ''}`, t }));
    const target = preset
      ? targets.find((t) => t.manifest === preset.manifest)
      : targets.length === 1
        ? targets[0]
        : (await vscode.window.showQuickPick(items, { placeHolder: 'Deploy which cluster?' }))?.t;
    if (!target) return;
    const picked = await vscode.window.showQuickPick(
      target.hosts.map((h) => ({ label: h, picked: preset ? preset.hosts.includes(h) : true })),
      { canPickMany: true, placeHolder: 'Hosts to deploy to' },
    );
    if (!picked || picked.length === 0) return;
    const hosts = picked.length === target.hosts.length ? undefined : picked.map((p) => p.label);
    log.info(`${dryRun ? 'dry run' : 'deploy'} of ${target.cluster} (${target.manifest})${hosts ? ` to ${hosts.join(', ')}` : ''}`);
    let result: DeployResult | undefined;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `haconf: ${dryRun ? 'dry run of' : 'deploying'} ${target.cluster}`, cancellable: true },
      async (p, token) => {
        progress = p;
        running++;
        try {
          result = await sendRequest(client, DEPLOY, { manifest: target.manifest, hosts, dryRun }, token);
        } catch (e) {
          log.error(`deploy failed: ${(e as Error).message}`);
          void vscode.window.showErrorMessage(`haconf: ${(e as Error).message}`, 'Show log').then((a) => a && log.show());
        } finally {
          running--;
          progress = undefined;
        }
      },
    );
    if (!result) return;
    log.info(result.message);
    // The hosts may now differ from what the drift marks say: check again (the user just contacted them).
    // Not after outcomes that replaced nothing (refused, unreachable, rejected, declined): the marks still hold.
    const replacedSomething = ['success', 'nothing-to-do', 'rolled-back', 'cancelled', 'rollback-failed'].includes(result.outcome);
    if (!dryRun && afterDeploy && replacedSomething) void afterDeploy(target.manifest, target.cluster);
    if (dryRun && result.plan) lastPlanFiles = planDocs.set(result.plan);
    const actions = ['Show log', ...(lastPlanFiles.length ? ['Open diff'] : [])];
    const show = result.exitCode === 0 ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    const a = await show(`haconf: ${result.outcome}: ${result.message}`, ...actions);
    if (a === 'Show log') log.show();
    if (a === 'Open diff') await openDiffs(lastPlanFiles);
  };

  context.subscriptions.push(
    log,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, planDocs),
    vscode.commands.registerCommand('haconf.deploy', () => run(false)),
    vscode.commands.registerCommand('haconf.deployDryRun', () => run(true)),
  );
  return { checkInterrupted, busy: () => running > 0, deployTo: (manifest, hosts) => run(false, { manifest, hosts }) };
}
