import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CHECK_WORKSPACE, CLUSTERS, DOCUMENT_LANGUAGE, TARGET_VERSION, TRUST, type ClusterView } from '../../server/src/protocol';
import { onNotification, sendNotification, sendRequest } from './requests';
import { ClusterTree } from './clusterTree';
import { FailoverPanel } from './failoverPanel';
import { ClusterStatus, TargetVersionStatus } from './statusBar';
import { registerDeploy, type DeployUi } from './deploy';
import { DriftMarks, registerDrift, type DriftUi } from './drift';
import { registerUpgrade } from './upgrade';
import { registerNewCluster } from './newCluster';
import { LOCAL_TOOLS_KEY, pinLocalTools, userLevelLocalTools } from './settings';
import { plural } from '../../server/src/core/plural';
import { OPEN_RULE_DOCS, cachedRulePages, ruleCatalogue, ruleDocsCommandUri, rulePage } from './ruleDocs';

// The client only starts the server and carries UI; every check runs in the server's engine.

const LANGUAGES = ['haproxy', 'keepalived', 'corosync'];
const RULES_URL = 'https://github.com/haconf/haconf/blob/main/docs/rules.md';

let client: LanguageClient | undefined;
let deployUi: DeployUi | undefined;

export interface TestState {
  /** From entering activate() to the language client running. */
  activationMs?: number;
  statusText: string;
  statusVisible: boolean;
  clusters: { name: string; nodes: string[]; vips: string[]; errors: number }[];
  failoverShown?: string;
  serverRunning: boolean;
  /** Per manifest, per host: the drift marks the Clusters view shows. */
  drift: { manifest: string; checkedAt: string; hosts: { host: string; state: string; files: { source: string; state: string; diff: string }[]; versions: string[] }[] }[];
}

export async function activate(context: vscode.ExtensionContext): Promise<{ testState: () => TestState }> {
  const t0 = Date.now();
  let activationMs: number | undefined;
  const output = vscode.window.createOutputChannel('haconf', { log: true });
  const driftMarks = new DriftMarks();
  const tree = new ClusterTree(driftMarks);
  const status = new ClusterStatus();
  const targetStatus = new TargetVersionStatus();
  context.subscriptions.push(targetStatus);
  const panel = new FailoverPanel();
  let restarts = 0;
  let toldAboutCrash = false;

  const localRulePage = cachedRulePages(context.extensionPath);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        // Unsaved buffers (File > New, language HAProxy): checked alone, never part of a cluster.
        { scheme: 'untitled', language },
      ]),
      { scheme: 'file', pattern: '**/haconf.{yaml,yml}' },
    ],
    outputChannel: output,
    // Restricted Mode: the server only reads files; it never runs local tools. A function, so a server
    // restarted after a crash gets the trust of that moment, not the one at activation.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
    middleware: {
      // The code link of a finding opens the rule's page bundled with the extension (offline, the text of
      // this version) instead of the web catalogue the server names for every other editor.
      handleDiagnostics: (uri, diagnostics, next) => {
        for (const d of diagnostics) {
          if (typeof d.code !== 'object' || !localRulePage(String(d.code.value))) continue;
          d.code = { value: d.code.value, target: vscode.Uri.parse(ruleDocsCommandUri(String(d.code.value))) };
        }
        next(uri, diagnostics);
      },
      workspace: {
        // Local tools run programs: only the user's own settings may turn them on, never the workspace's.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          const user = userLevelLocalTools(vscode.workspace.getConfiguration('haconf').inspect(LOCAL_TOOLS_KEY));
          return pinLocalTools(params.items, answers, user);
        },
      },
    },
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{cfg,conf,haproxy,yaml,yml}'),
        // A deleted or renamed folder is one event for the folder, which the pattern above never matches;
        // created and deleted paths of any name reach the server (it ignores what it does not know).
        vscode.workspace.createFileSystemWatcher('**/*', false, true, false),
      ],
    },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        restarts++;
        if (!toldAboutCrash) {
          toldAboutCrash = true;
          void vscode.window.showWarningMessage('The haconf language server stopped unexpectedly and was restarted. Details are in the haconf output.');
        }
        return restarts <= 5 ? { action: CloseAction.Restart } : { action: CloseAction.DoNotRestart, message: 'The haconf language server crashed 5 times; reload the window to try again.' };
      },
    },
  };
  client = new LanguageClient('haconf', 'haconf', serverOptions, clientOptions);
  onNotification(client, TARGET_VERSION, (t) => targetStatus.update(t));

  let refreshTimer: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<void> => {
    if (!client || client.state !== State.Running) return;
    try {
      const clusters: ClusterView[] = await sendRequest(client, CLUSTERS, {});
      tree.set(clusters);
      status.update(clusters, vscode.window.activeTextEditor);
      panel.refresh(clusters);
    } catch (e) {
      output.warn(`could not read the cluster model: ${(e as Error).message}`);
    }
  };
  const scheduleRefresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh(), 200);
  };

  const pickCluster = async (name?: string): Promise<ClusterView | undefined> => {
    await refresh();
    const clusters = tree.current;
    if (name) return clusters.find((c) => c.name === name);
    const file = vscode.window.activeTextEditor?.document.uri.fsPath;
    const own = file ? clusters.find((c) => c.files.includes(file)) : undefined;
    if (own) return own;
    if (clusters.length === 1) return clusters[0];
    const pick = await vscode.window.showQuickPick(
      clusters.map((c) => ({ label: c.name, description: `${plural(c.nodes.length, 'node')} · VIP ${c.vips.join(', ')}`, detail: c.reason, c })),
      { placeHolder: 'Which cluster?' },
    );
    return pick?.c;
  };

  context.subscriptions.push(
    output,
    status,
    vscode.window.registerTreeDataProvider('haconf.clusters', tree),
    vscode.languages.onDidChangeDiagnostics(scheduleRefresh),
    vscode.window.onDidChangeActiveTextEditor((e) => status.update(tree.current, e)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // Trust changes what the server may do; it takes effect without a restart.
      // A client still starting sends it once running; a stopped one reads the trust when it starts.
      if (client && client.state !== State.Stopped)
        sendNotification(client, TRUST, { trusted: true }).catch((e: Error) => output.warn(`could not tell the server about workspace trust: ${e.message}`));
    }),
    vscode.commands.registerCommand('haconf.checkWorkspace', async () => {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'haconf: checking workspace' }, async () => {
        if (client) await sendRequest(client, CHECK_WORKSPACE, {}).catch(() => undefined);
        await refresh();
      });
      const total = tree.current.reduce((n, c) => n + c.errors, 0);
      void vscode.window.showInformationMessage(`haconf: ${plural(tree.current.length, 'cluster')}, ${plural(total, 'error')}. See the Problems panel.`);
    }),
    vscode.commands.registerCommand('haconf.showCluster', async (name?: string) => {
      const c = await pickCluster(typeof name === 'string' ? name : undefined);
      if (!c) {
        void vscode.window.showInformationMessage('haconf: no cluster here. Add a haconf.yaml, or keep the keepalived.conf files of peers that share a VIP under one folder.');
        return;
      }
      panel.show(c);
    }),
    vscode.commands.registerCommand(OPEN_RULE_DOCS, async (code?: string) => {
      if (typeof code !== 'string') {
        const codes = new Set<string>();
        for (const [, ds] of vscode.languages.getDiagnostics()) for (const d of ds) if (d.source === 'haconf' && typeof d.code === 'object') codes.add(String(d.code.value));
        code = await vscode.window.showQuickPick([...codes].sort(), { placeHolder: 'Rule code (or Escape for the whole catalogue)' });
      }
      // The bundled page of the rule, else the bundled catalogue; the web only when the package lacks both.
      const local = (code && rulePage(context.extensionPath, code)) ?? ruleCatalogue(context.extensionPath);
      if (fs.existsSync(local)) {
        const uri = vscode.Uri.file(local);
        try {
          await vscode.commands.executeCommand('markdown.showPreview', uri);
        } catch {
          // The built-in Markdown extension is disabled: the page is plain Markdown, readable as text.
          await vscode.window.showTextDocument(uri, { preview: true });
        }
      } else {
        await vscode.env.openExternal(vscode.Uri.parse(code ? `${RULES_URL}#${code.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}` : RULES_URL));
      }
    }),
    // Read by the end-to-end tests; harmless for users.
    vscode.commands.registerCommand('haconf._testState', (): TestState => testState()),
  );

  const testState = (): TestState => ({
    activationMs,
    statusText: status.text,
    statusVisible: status.text !== '' && tree.current.length > 0,
    clusters: tree.current.map((c) => ({ name: c.name, nodes: c.nodes.map((n) => n.name), vips: c.vips, errors: c.errors })),
    failoverShown: panel.visibleCluster,
    serverRunning: client?.state === State.Running,
    drift: driftMarks.all().map((r) => ({
      manifest: r.manifest,
      checkedAt: r.checkedAt,
      hosts: r.hosts.map((h) => ({
        host: h.host,
        state: driftMarks.host(r.manifest, h.host)?.state ?? 'unknown',
        files: h.files.map((f) => ({ source: f.source, state: f.state, diff: f.diff })),
        versions: h.versions.filter((v) => v.installed).map((v) => `${v.daemon} ${v.version ?? v.line}`),
      })),
    })),
  });

  /**
   * A document VS Code opened under another language (a `lb.cfg` outside a haproxy/ folder is
   * "Properties") that the server recognises as one of ours (detect.ts, haconf.files.associations) is
   * switched, once per document and session, so that highlighting, snippets and quick fixes follow the
   * diagnostics. A user who switches it back keeps their choice.
   */
  const switched = new Set<string>();
  const adoptLanguage = async (doc: vscode.TextDocument): Promise<void> => {
    if (doc.uri.scheme !== 'file' || LANGUAGES.includes(doc.languageId) || switched.has(doc.uri.toString())) return;
    if (!client || client.state !== State.Running) return;
    try {
      const answer = await sendRequest(client, DOCUMENT_LANGUAGE, { uri: doc.uri.toString() });
      if (!answer.language || switched.has(doc.uri.toString()) || doc.isClosed) return;
      switched.add(doc.uri.toString());
      await vscode.languages.setTextDocumentLanguage(doc, answer.language);
    } catch (e) {
      output.warn(`could not ask which language ${doc.uri.fsPath} is: ${(e as Error).message}`);
    }
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((doc) => void adoptLanguage(doc)));

  let driftUi: DriftUi | undefined;
  deployUi = registerDeploy(
    context,
    () => client,
    (manifest, cluster) => driftUi!.check(manifest, cluster),
  );
  driftUi = registerDrift(
    context,
    () => client,
    driftMarks,
    (manifest, hosts) => deployUi!.deployTo(manifest, hosts),
  );
  registerNewCluster(context, () => client, refresh);
  registerUpgrade(context, () => client);
  await client.start();
  for (const doc of vscode.workspace.textDocuments) void adoptLanguage(doc);
  // A deploy killed with the last window (or by SIGKILL) left a journal: offer to finish or roll it back
  // once the server has scanned the workspace's manifests.
  setTimeout(() => void deployUi?.checkInterrupted(), 3000);
  activationMs = Date.now() - t0;
  output.info(`haconf activated in ${activationMs} ms`);
  scheduleRefresh();
  return { testState };
}

export async function deactivate(): Promise<void> {
  // A running deploy rolls back before the server answers the shutdown request: give it the time.
  await client?.stop(deployUi?.busy() ? 120000 : undefined);
}
