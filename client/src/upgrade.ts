import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { UPGRADE_PLAN, UPGRADE_VERSIONS, type UpgradePlan } from '../../server/src/protocol';
import { plural } from '../../server/src/core/plural';
import { sendRequest } from './requests';

// "haconf: Check Upgrade to HAProxy X": the server plans (server/src/engine/upgrade.ts, through
// haconf/upgradePlan); this lists the plan per cluster and file in the "haconf upgrade" output, and applies
// every mechanical rewrite as one workspace edit that VS Code shows in its refactor preview first
// (needsConfirmation): nothing changes until the user applies it there.

/** What the command returns (read by the end-to-end test). */
export interface UpgradeOutcome {
  to: string;
  items: number;
  rewrites: number;
  /** Whether the reviewed edit was applied (false when there was none or it was discarded). */
  applied: boolean;
}

export function registerUpgrade(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const log = vscode.window.createOutputChannel('haconf upgrade');

  const run = async (toArg?: unknown): Promise<UpgradeOutcome | undefined> => {
    const client = getClient();
    if (!client) return undefined;
    let to = typeof toArg === 'string' ? toArg : undefined;
    if (!to) {
      const v = await sendRequest(client, UPGRADE_VERSIONS, {});
      if (!v.newer.length) {
        void vscode.window.showInformationMessage(`haconf: the checks target HAProxy ${v.inForce}, the newest branch haconf knows.`);
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        [...v.newer].reverse().map((label, i) => ({ label, description: i === 0 ? 'newest' : undefined })),
        { placeHolder: `Check the upgrade from HAProxy ${v.inForce} to…` },
      );
      if (!picked) return undefined;
      to = picked.label;
    }
    const plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `haconf: checking the upgrade to HAProxy ${to}` }, () =>
      sendRequest(client, UPGRADE_PLAN, { to }),
    );
    report(log, plan);
    const items = plan.files.reduce((n, f) => n + f.items.length, 0);
    const rewrites = plan.files.reduce((n, f) => n + f.items.filter((i) => i.rewrite).length, 0);
    const manual = items - rewrites;
    if (rewrites === 0) {
      const text = items
        ? `haconf: HAProxy ${plan.to}: ${plural(manual, 'item')} to change by hand, nothing mechanical. See the "haconf upgrade" output.`
        : `haconf: nothing to change for HAProxy ${plan.to}.`;
      void vscode.window.showInformationMessage(text, ...(items ? ['Show'] : [])).then((a) => a === 'Show' && log.show(true));
      return { to: plan.to, items, rewrites, applied: false };
    }
    const edit = new vscode.WorkspaceEdit();
    for (const f of plan.files) {
      const uri = vscode.Uri.file(f.file);
      for (const e of f.edits) {
        const range = new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character);
        edit.replace(uri, range, e.newText, { label: `Upgrade to HAProxy ${plan.to}`, description: vscode.workspace.asRelativePath(uri), needsConfirmation: true });
      }
    }
    // With needsConfirmation VS Code opens the refactor preview with every change unticked: the user ticks
    // the files (or single changes) to take and applies them; the promise settles on Apply or Discard. The
    // plan is in the "haconf upgrade" output meanwhile (shown afterwards: it shares the panel).
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
    log.show(true);
    const left = manual ? `; ${plural(manual, 'item')} still need a hand edit (see the "haconf upgrade" output)` : '';
    void vscode.window.showInformationMessage(applied ? `haconf: applied ${plural(rewrites, 'rewrite')} for HAProxy ${plan.to}${left}.` : `haconf: the upgrade rewrites were not applied${left}.`);
    return { to: plan.to, items, rewrites, applied };
  };

  context.subscriptions.push(log, vscode.commands.registerCommand('haconf.checkUpgrade', run));
}

/** The plan as text: per cluster its files, per file each item and what happens to it. */
function report(log: vscode.OutputChannel, plan: UpgradePlan): void {
  log.clear();
  log.appendLine(`Upgrade from HAProxy ${plan.from} to ${plan.to}`);
  if (!plan.files.length) {
    log.appendLine(`Nothing to change: every file means the same to HAProxy ${plan.to}.`);
    return;
  }
  for (const c of plan.clusters) log.appendLine(`cluster ${c.name}: ${c.files.map((f) => vscode.workspace.asRelativePath(f)).join(', ')}`);
  for (const f of plan.files) {
    log.appendLine('');
    log.appendLine(vscode.workspace.asRelativePath(f.file));
    for (const i of f.items) {
      const since = i.already ? ` (already at ${plan.from})` : '';
      log.appendLine(`  ${i.range.start.line + 1}:${i.range.start.character + 1} ${i.kind}${since}: ${i.message} [${i.code}] → ${i.rewrite ? `rewrite: ${i.rewrite}` : 'needs a hand edit'}`);
    }
  }
}
