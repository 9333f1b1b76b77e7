import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DEPLOY_TARGETS, DRIFT, DRIFT_ADOPT, type DriftFile, type DriftHost, type DriftResult } from '../../server/src/protocol';
import { plural } from '../../server/src/core/plural';
import { sendRequest } from './requests';

// "haconf: Check Drift…": the server does the work (server/src/lsp/driftRequests.ts); this keeps the last
// answer per manifest for the Clusters view's marks and offers adopt / deploy on a drifted file. Nothing
// here contacts a host on its own: only the command, the file actions and a finished deploy ask.

const SCHEME = 'haconf-drift';

/** What the Clusters view shows about one host or file, from the last check of its manifest. */
export interface DriftMark {
  state: 'in-sync' | 'drifted' | 'unreachable' | 'not-checked';
  checkedAt: string;
  host: DriftHost;
  file?: DriftFile;
}

/** A drifted file as the tree passes it to the file actions. */
export interface DriftFileRef {
  manifest: string;
  host: string;
  file: DriftFile;
}

export class DriftMarks {
  private readonly results = new Map<string, DriftResult>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(r: DriftResult): void {
    this.results.set(r.manifest, r);
    this.changed.fire();
  }

  result(manifest: string | undefined): DriftResult | undefined {
    return manifest ? this.results.get(manifest) : undefined;
  }

  all(): DriftResult[] {
    return [...this.results.values()];
  }

  host(manifest: string | undefined, host: string): DriftMark | undefined {
    const r = this.result(manifest);
    const h = r?.hosts.find((x) => x.host === host);
    if (!r || !h) return undefined;
    const unreadable = h.files.some((f) => f.state === 'unreadable');
    return { state: !h.reachable ? 'unreachable' : h.drifted ? 'drifted' : unreadable ? 'not-checked' : 'in-sync', checkedAt: r.checkedAt, host: h };
  }

  file(manifest: string | undefined, host: string, sourceAbs: string): DriftMark | undefined {
    const m = this.host(manifest, host);
    const f = m?.host.files.find((x) => x.sourceAbs === sourceAbs);
    if (!m || !f) return undefined;
    const state = f.state === 'same' ? 'in-sync' : f.state === 'unknown' ? 'unreachable' : f.state === 'unreadable' ? 'not-checked' : 'drifted';
    return { ...m, state, file: f };
  }
}

/** Read-only documents with the two masked sides of a drifted file. */
class DriftDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  uri(ref: DriftFileRef, side: 'workspace' | 'host'): vscode.Uri {
    const key = `/${ref.host}${ref.file.target}.${side}`;
    this.docs.set(key, (side === 'host' ? ref.file.remoteText : ref.file.localText) ?? '');
    return vscode.Uri.from({ scheme: SCHEME, path: key });
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? '';
  }
}

export interface DriftUi {
  /** Checks one manifest's hosts (after a deploy, or from the command). */
  check(manifest: string, cluster: string): Promise<DriftResult | undefined>;
}

export function registerDrift(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, marks: DriftMarks, deploy: (manifest: string, hosts: string[]) => Promise<void>): DriftUi {
  const log = vscode.window.createOutputChannel('haconf drift', { log: true });
  const docs = new DriftDocuments();

  const describe = (r: DriftResult): void => {
    log.info(`drift of ${r.cluster} (${r.manifest}), checked ${r.checkedAt}`);
    for (const h of r.hosts) {
      const versions = h.versions
        .filter((v) => v.installed)
        .map((v) => `${v.daemon} ${v.version ?? v.line}`)
        .join(', ');
      const line = `${h.host}: ${!h.reachable ? 'unreachable' : h.drifted ? 'drifted' : 'in sync'}${versions ? ` (${versions})` : ''}`;
      if (h.reachable && !h.drifted) log.info(line);
      else log.warn(line);
      if (h.error) log.warn(`  ${h.error}`);
      for (const f of h.files) if (f.state !== 'same' && f.state !== 'unknown') log.warn(`  ${f.target} ← ${f.source}: ${f.message}${f.diff ? `\n${f.diff}` : ''}`);
    }
    for (const n of r.notes) log.warn(`note: ${n}`);
  };

  const check = async (manifest: string, cluster: string): Promise<DriftResult | undefined> => {
    const client = getClient();
    if (!client || !vscode.workspace.isTrusted) return undefined;
    try {
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `haconf: checking drift of ${cluster}` }, () => sendRequest(client, DRIFT, { manifest }));
      marks.set(r);
      describe(r);
      return r;
    } catch (e) {
      log.error(`drift check of ${cluster} failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`haconf: ${(e as Error).message}`);
      return undefined;
    }
  };

  const openDiff = async (ref: DriftFileRef): Promise<void> => {
    await vscode.commands.executeCommand('vscode.diff', docs.uri(ref, 'workspace'), docs.uri(ref, 'host'), `${ref.file.source} ↔ ${ref.host}:${ref.file.target} (drift)`, { preview: true });
  };

  const checkCommand = async (): Promise<void> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('haconf: checking drift contacts the hosts and is refused in Restricted Mode. Trust this workspace first.');
      return;
    }
    const client = getClient();
    if (!client) return;
    const targets = await sendRequest(client, DEPLOY_TARGETS, {});
    if (!targets.length) {
      void vscode.window.showInformationMessage('haconf: no cluster has a haconf.yaml with hosts; drift needs one (see docs/manifest.md).');
      return;
    }
    const target =
      targets.length === 1
        ? targets[0]
        : (
            await vscode.window.showQuickPick(
              targets.map((t) => ({ label: t.cluster, description: vscode.workspace.asRelativePath(t.manifest), t })),
              { placeHolder: 'Check drift of which cluster?' },
            )
          )?.t;
    if (!target) return;
    const r = await check(target.manifest, target.cluster);
    if (!r) return;
    const s = r.summary;
    const text = `haconf: ${r.cluster}: ${s.inSync} of ${plural(s.hosts, 'host')} in sync, ${s.drifted} drifted (${plural(s.filesDiffering, 'file')}), ${s.unreachable} unreachable.${r.notes.length ? ` Note: ${r.notes.join('; ')}.` : ''}`;
    const firstDrift = r.hosts.flatMap((h) => h.files.filter((f) => f.diff).map((file) => ({ manifest: r.manifest, host: h.host, file })))[0];
    const show = r.exitCode === 0 ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const a = await show(text, 'Show report', ...(firstDrift ? ['Open diff'] : []));
    if (a === 'Show report') log.show();
    if (a === 'Open diff' && firstDrift) await openDiff(firstDrift);
  };

  const adopt = async (ref?: DriftFileRef): Promise<void> => {
    const client = getClient();
    if (!ref?.file || !client || !vscode.workspace.isTrusted) return;
    const r = marks.result(ref.manifest);
    const shared = r ? r.hosts.filter((h) => h.host !== ref.host && h.files.some((f) => f.sourceAbs === ref.file.sourceAbs)).map((h) => h.host) : [];
    const answer = await vscode.window.showWarningMessage(
      `Replace ${ref.file.source} in the workspace with ${ref.host}'s ${ref.file.target}?`,
      {
        modal: true,
        detail: shared.length
          ? `${shared.join(', ')} also receive${shared.length === 1 ? 's' : ''} ${ref.file.source}: they will differ from the workspace until the next deploy.`
          : 'The host is read again; if its file changed since the check, nothing is written.',
      },
      'Adopt',
    );
    if (answer !== 'Adopt') return;
    try {
      const res = await sendRequest(client, DRIFT_ADOPT, { manifest: ref.manifest, host: ref.host, source: ref.file.sourceAbs, expectedSha256: ref.file.remoteSha256 ?? undefined });
      log.info(res.message);
      void vscode.window.showInformationMessage(`haconf: ${res.message}`);
      if (r) await check(r.manifest, r.cluster);
    } catch (e) {
      void vscode.window.showErrorMessage(`haconf: ${(e as Error).message}`);
    }
  };

  const deployOurs = async (ref?: DriftFileRef): Promise<void> => {
    if (!ref?.file) return;
    await deploy(ref.manifest, [ref.host]);
  };

  context.subscriptions.push(
    log,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.commands.registerCommand('haconf.checkDrift', checkCommand),
    vscode.commands.registerCommand('haconf.driftOpenDiff', (ref?: DriftFileRef) => (ref?.file ? openDiff(ref) : undefined)),
    vscode.commands.registerCommand('haconf.driftAdopt', (item?: { drift?: DriftFileRef }) => adopt(item?.drift)),
    vscode.commands.registerCommand('haconf.driftDeploy', (item?: { drift?: DriftFileRef }) => deployOurs(item?.drift)),
  );
  return { check };
}
