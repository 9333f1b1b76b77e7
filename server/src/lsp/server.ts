import { registerClusterRequests } from './clusterRequests';
import { registerDeployRequests } from './deployRequests';
import { registerDriftRequests } from './driftRequests';
import { registerUpgradeRequests } from './upgradeRequests';
import { registerScaffoldRequests } from './scaffoldRequests';
import { runLocalTool } from '../localtools/run';
import { mergeLocalFindings } from '../localtools/merge';
import { applyPolicy } from '../core/policy';
import type { Diagnostic } from '../core/types';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MarkupKind,
  ResponseError,
  ErrorCodes,
  TextDocumentSyncKind,
  TextDocuments,
  CompletionTriggerKind,
  WatchKind,
  ShowMessageNotification,
  MessageType,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSkippedFolderName } from '../engine/collect';
import { URI_TO_PATH, PATH_TO_URI } from './uri';
import { compileAssociations, isLanguage } from '../engine/detect';
import { isVirtualDocument } from '../engine/virtualDocs';
import { capPerFile } from '../engine/analyse';
import { scanInBackground, scanStopMessage } from '../services/scan';
import { DiskPoller } from './diskPoll';
import { exitWhenParentDies } from './parentWatch';
import { registerDocumentLanguageRequest } from './documentLanguage';
import * as svc from '../services';
import { RenameError, type CompletionDocRef } from '../services';
import { FIX_ALL_KIND } from '../services/types';
import { WorkspaceModel } from '../engine/model';
import { toCodeAction, toDocumentSymbol, toLspCompletion, toLspDiagnostic, toLspSymbolKind, toWorkspaceEdit } from './convert';
import { defaultSettings, isEmptySettings, readSettings, toCheckOptions, type ServerSettings } from './settings';
import { lspKeepalivedVersion, lspTargetVersion } from './targetVersion';
import { CheckScheduler } from './checkScheduler';
import { TARGET_VERSION, TRUST } from '../protocol';
import { onNotification, sendNotification } from './customMethods';
import { plural } from '../core/plural';

export { toLspDiagnostic } from './convert';

/** Wires the services to an LSP connection. Only protocol adaptation lives here. */
export function startServer(connection: Connection): void {
  const server = new ServerState(connection);
  registerLifecycle(server);
  registerCustomRequests(server);
  registerDocumentSync(server);
  registerFeatures(server);
  server.documents.listen(connection);
  connection.listen();
}

/** The server's state and the steps every handler shares: guard, publish, scan, local tools. */
class ServerState {
  readonly documents = new TextDocuments(TextDocument);
  readonly model = new WorkspaceModel();
  settings: ServerSettings = defaultSettings();
  folders: string[] = [];
  canPullConfig = false;
  canRegisterConfig = false;
  canWatch = false;
  canFolders = false;
  ready = false;
  trusted = false;
  private readonly published = new Map<string, string>();
  /** Findings of the local daemons' checkers, by file (opt-in, trusted workspaces only). */
  private readonly localFindings = new Map<string, Diagnostic[]>();
  // Edits are checked after a wait that follows the measured check cost (checkScheduler.ts).
  readonly scheduler = new CheckScheduler((files) => this.guard('diagnostics', undefined, () => this.publish(this.model.refresh(files))));
  private scanning: Promise<void> = Promise.resolve();
  private toldAboutScanLimit = false;
  readonly poller: DiskPoller;

  constructor(readonly connection: Connection) {
    this.poller = new DiskPoller(
      () => {
        const open = new Set(
          this.model
            .allFiles()
            .filter((f) => f.open)
            .map((f) => f.file),
        );
        return this.model.knownFiles().filter((f) => !open.has(f) && !isVirtualDocument(f));
      },
      (changes) =>
        this.guard('polled files', undefined, () => {
          for (const c of changes) this.diskChange(c.file, c.deleted ? FileChangeType.Deleted : FileChangeType.Changed);
        }),
    );
  }

  log(msg: string): void {
    if (this.settings.trace !== 'off') this.connection.console.log(msg);
  }

  /** Runs a handler; a bug answers `fallback` and is logged instead of killing the server. */
  guard<T>(name: string, fallback: T, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      this.connection.console.error(`haconf: ${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    } finally {
      if (this.settings.trace === 'verbose') this.connection.console.log(`haconf: ${name} took ${(performance.now() - t0).toFixed(1)} ms`);
    }
  }

  /** A handler that reads parsed documents or diagnostics: runs the pending check first instead of parsing on its own. */
  withDoc<T>(name: string, fallback: T, fn: () => T): T {
    return this.guard(name, fallback, () => {
      this.scheduler.flushNow();
      return fn();
    });
  }

  publish(files: Iterable<string>): void {
    const { model } = this;
    for (const file of files) {
      const local = this.localFindings.get(file);
      // A tool finding on a line we already flag joins our finding (localtools/merge.ts).
      // The model keeps every finding; an editor is shown at most MAX_DIAGNOSTICS_PER_FILE per file.
      const own = capPerFile(model.diagnostics(file));
      const diags = local?.length
        ? mergeLocalFindings(
            own,
            applyPolicy(local, (f) => model.textOf(f), model.checkOptions),
          )
        : own;
      const key = JSON.stringify(diags);
      if (this.published.get(file) === key) continue;
      if (diags.length === 0 && !this.published.has(file)) continue;
      this.published.set(file, key);
      const uri = PATH_TO_URI(file);
      this.connection.sendDiagnostics({ uri, version: this.documents.get(uri)?.version, diagnostics: diags.map(toLspDiagnostic) });
    }
  }

  /** The file left the model: its diagnostics are cleared in the editor. */
  unpublish(file: string, uri: string): void {
    this.published.delete(file);
    this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  schedule(file: string): void {
    this.scheduler.add(file);
  }

  /** Fills in the target version when the setting leaves it open, and tells the client (its status bar). */
  withTarget(s: ServerSettings): ServerSettings {
    const target = lspTargetVersion(s.haproxyVersionSetting, this.folders);
    s.haproxyVersion = target.version;
    s.haproxyVersionFromHosts = target.origin === 'hosts';
    const keepalived = lspKeepalivedVersion(s.keepalivedVersionSetting, this.folders);
    s.keepalivedVersion = keepalived.version;
    s.keepalivedVersionFromHosts = keepalived.origin === 'hosts';
    void sendNotification(this.connection, TARGET_VERSION, target);
    return s;
  }

  applySettings(raw: unknown): void {
    const { model } = this;
    const next = this.withTarget(readSettings(raw));
    const changed = JSON.stringify(toCheckOptions(next)) !== JSON.stringify(toCheckOptions(this.settings));
    const localChanged = next.validateWithLocalTools !== this.settings.validateWithLocalTools;
    const associationsChanged = JSON.stringify(next.associations) !== JSON.stringify(this.settings.associations);
    this.settings = next;
    if (localChanged && this.ready) for (const d of this.documents.all()) this.runLocal(fileOf(d.uri));
    if (associationsChanged) {
      // Files may change language or leave; files the new globs name are found by a rescan.
      const moved = model.setAssociations(compileAssociations(this.settings.associations));
      if (this.ready) {
        this.publish([...moved, ...model.refresh(moved)]);
        void this.runScan(this.folders);
      }
    }
    if (changed && this.ready) {
      model.setOptions(toCheckOptions(this.settings));
      this.publish(model.knownFiles());
    }
  }

  async pullSettings(): Promise<void> {
    if (!this.canPullConfig) return;
    try {
      const pulled: unknown = await this.connection.workspace.getConfiguration('haconf');
      // A client that knows no `haconf` section answers null: keep what initializationOptions or
      // didChangeConfiguration gave instead of falling back to the defaults.
      if (!isEmptySettings(pulled)) this.applySettings(pulled);
    } catch (e) {
      this.connection.console.error(`haconf: cannot read settings: ${(e as Error).message}`);
    }
  }

  /** Scans folders in the background, one scan after the other; the promise settles when this one is done. */
  runScan(dirs: string[]): Promise<void> {
    this.scanning = this.scanning.then(async () => {
      if (!dirs.length) return;
      try {
        const report = await scanInBackground(this.model, dirs, (touched) => this.guard('workspace scan', undefined, () => this.publish(touched)));
        this.log(
          `haconf: scanned ${dirs.join(', ')}: ${plural(report.files, 'config file')}, ${plural(report.entries, 'entry', 'entries')} in ${report.ms} ms${report.unlistable ? `, ${plural(report.unlistable, 'folder')} not readable` : ''}`,
        );
        const stop = scanStopMessage(report);
        // Once per server: a second scan of the same huge root would only repeat it.
        if (stop && !this.toldAboutScanLimit) {
          this.toldAboutScanLimit = true;
          // A notification, not window/showMessageRequest: an editor that does not implement the request
          // would answer with an error, which must not reach an unhandled rejection.
          void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: stop });
        }
      } catch (e) {
        this.connection.console.error(`haconf: workspace scan failed: ${(e as Error).stack ?? e}`);
      }
    });
    return this.scanning;
  }

  /** A path changed on disk (watcher or poll): a new folder is scanned, anything else re-checked. */
  diskChange(file: string, type: FileChangeType): void {
    if (type === FileChangeType.Created && isDirectory(file)) {
      // A folder the scan would not enter (node_modules, .git/…) is not scanned when it appears either.
      const base = this.folders.find((f) => file.startsWith(f + path.sep));
      const inside = base ? path.relative(base, file).split(path.sep) : [path.basename(file)];
      if (!inside.some(isSkippedFolderName)) void this.runScan([file]);
      return;
    }
    for (const f of this.model.diskChanged(file, type === FileChangeType.Deleted)) this.schedule(f);
  }

  /** The local daemon's checker on `file` (opt-in, trusted only); its findings join ours when it answers. */
  runLocal(file: string): void {
    const language = this.model.languageOf(file);
    if (!this.trusted || !this.settings.validateWithLocalTools || !language) {
      if (this.localFindings.delete(file)) this.publish([file]);
      return;
    }
    void runLocalTool(language, file, { workspaceFolders: this.folders }).then((r) => {
      if (!r.ran) this.log(`haconf: ${r.message}`);
      this.localFindings.set(file, r.diagnostics);
      this.publish([file]);
    });
  }
}

const fileOf = (uri: string): string => URI_TO_PATH(uri);

/** initialize, initialized (registrations, settings, first check, scan), configuration and watched files. */
function registerLifecycle(s: ServerState): void {
  const { connection, model } = s;
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    s.canPullConfig = Boolean(caps.workspace?.configuration);
    s.canRegisterConfig = Boolean(caps.workspace?.didChangeConfiguration?.dynamicRegistration);
    s.canWatch = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    s.canFolders = Boolean(caps.workspace?.workspaceFolders);
    s.folders = (params.workspaceFolders ?? []).map((f) => URI_TO_PATH(f.uri));
    if (!s.folders.length && params.rootUri) s.folders = [URI_TO_PATH(params.rootUri)];
    const init = params.initializationOptions as { settings?: unknown; trusted?: boolean } | undefined;
    // Editors other than VS Code have no Restricted Mode; they pass nothing and are trusted.
    s.trusted = init?.trusted !== false;
    if (init?.settings) s.settings = readSettings(init.settings);
    model.setAssociations(compileAssociations(s.settings.associations));
    exitWhenParentDies(params.processId, () => {
      connection.console.error(`haconf: the editor (process ${params.processId}) is gone; exiting`);
      process.exit(1);
    });
    return { capabilities: CAPABILITIES, serverInfo: { name: 'haconf' } };
  });

  connection.onInitialized(async () => {
    if (s.canRegisterConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'haconf' });
    if (s.canWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        // Folders too (created, deleted, renamed): one event names the folder, not the files in it.
        watchers: [{ globPattern: '**/*.{cfg,conf,haproxy,yaml,yml}' }, { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete }],
      });
    } else {
      s.poller.start();
    }
    if (s.canFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        s.guard('workspace folders', undefined, () => {
          const removed = e.removed.map((r) => URI_TO_PATH(r.uri));
          const added = e.added.map((a) => URI_TO_PATH(a.uri));
          s.folders = [...s.folders.filter((f) => !removed.includes(f)), ...added];
          const gone = removed.flatMap((f) => model.removeUnder(f));
          if (gone.length) s.publish([...gone, ...model.refresh(gone)]);
          void s.runScan(added);
        });
      });
    }
    await s.pullSettings();
    // Open documents first: the workspace scan runs afterwards, in the background.
    s.guard('open documents', undefined, () => {
      s.settings = s.withTarget(s.settings);
      model.setOptions(toCheckOptions(s.settings));
      s.publish(model.knownFiles());
    });
    s.ready = true;
    for (const d of s.documents.all()) s.runLocal(fileOf(d.uri));
    // Edits that arrived before start-up are checked now; the workspace scan follows in the background.
    s.scheduler.start();
    void s.runScan(s.folders);
  });

  connection.onDidChangeConfiguration((p) => {
    const settings = (p.settings as { haconf?: unknown } | undefined)?.haconf;
    if (settings) s.applySettings(settings);
    else void s.pullSettings();
  });

  connection.onDidChangeWatchedFiles((p) => {
    s.guard('watched files', undefined, () => {
      for (const c of p.changes) if (c.uri.startsWith('file:')) s.diskChange(URI_TO_PATH(c.uri), c.type);
    });
  });
}

/** Completion kinds shown when the completion was triggered by a typed character (a space, `(`, `,`). */
const ON_TRIGGER: ReadonlySet<svc.CompletionItem['kind']> = new Set(['reference', 'value', 'unit', 'action', 'fetch', 'converter']);

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
  completionProvider: { resolveProvider: true, triggerCharacters: [' ', '(', '!', ',', '['] },
  signatureHelpProvider: { triggerCharacters: [' ', '(', ','], retriggerCharacters: [')'] },
  hoverProvider: true,
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentLinkProvider: { resolveProvider: false },
  foldingRangeProvider: true,
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
};

/** The `haconf/…` methods (protocol.ts) and workspace trust. */
function registerCustomRequests(s: ServerState): void {
  const { connection, model } = s;
  registerClusterRequests(
    connection,
    () => model,
    async () => {
      // Files deleted since (without a watcher event) go first, so the answer matches the disk.
      s.guard('workspace rescan', undefined, () => {
        const gone = model.dropMissing((f) => fs.existsSync(f));
        if (gone.length) s.publish([...gone, ...model.refresh(gone)]);
      });
      await s.runScan(s.folders);
    },
  );
  registerDocumentLanguageRequest(connection, () => model);

  registerDeployRequests(
    connection,
    () => model,
    () => s.trusted,
  );
  registerDriftRequests(
    connection,
    () => model,
    () => s.trusted,
  );
  registerUpgradeRequests(connection, () => model);

  // A new cluster's files join the model at once (the file watcher would see them later).
  registerScaffoldRequests(
    connection,
    () => s.folders,
    () => s.trusted,
    () => model.clusters,
    (files) =>
      s.guard('workspace rescan', undefined, () => {
        // Replaced files are read again (the scan keeps what it knows); new ones are found by the scan.
        for (const f of files) model.diskChanged(f, false);
        model.scan(s.folders);
        s.publish(model.knownFiles());
      }),
  );

  // Trust granted after start-up takes effect at once: local tools for the open files, deploys allowed.
  onNotification(connection, TRUST, (p) =>
    s.guard('trust', undefined, () => {
      const next = p?.trusted === true;
      if (next === s.trusted) return;
      s.trusted = next;
      if (s.ready) for (const d of s.documents.all()) s.runLocal(fileOf(d.uri));
    }),
  );
}

/** Open, change, save and close of the editor's buffers. */
function registerDocumentSync(s: ServerState): void {
  const { documents, model } = s;
  documents.onDidOpen((e) => {
    s.guard('open', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const lang = isLanguage(e.document.languageId) ? e.document.languageId : undefined;
      if (!model.setBuffer(file, e.document.getText(), lang)) return;
      if (s.ready) s.publish(model.refresh([file]));
      else s.schedule(file);
    });
  });
  documents.onDidChangeContent((e) => {
    s.guard('change', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const lang = isLanguage(e.document.languageId) ? e.document.languageId : undefined;
      if (model.setBuffer(file, e.document.getText(), lang)) s.schedule(file);
    });
  });
  documents.onDidSave((e) => s.guard('local tools', undefined, () => s.runLocal(fileOf(e.document.uri))));
  documents.onDidClose((e) => {
    s.guard('close', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const known = model.has(file);
      model.closeBuffer(file);
      if (known && !model.has(file)) s.unpublish(file, e.document.uri);
      s.schedule(file);
    });
  });
}

/** The editor features: each request converted to a services/ call and back. */
function registerFeatures(s: ServerState): void {
  const { connection, model } = s;
  connection.onCompletion((p) =>
    s.guard('completion', [], () => {
      // HAProxy completion reads the live text and the last parse; keepalived and corosync completion need
      // the current parse, so the pending check runs first rather than a parse of their own.
      if (model.languageOf(fileOf(p.textDocument.uri)) !== 'haproxy') s.scheduler.flushNow();
      let items = svc.completion(model, fileOf(p.textDocument.uri), p.position);
      // A space typed on its own should only pop up what the grammar expects there (names, values, actions,
      // fetches), never the whole keyword or option list.
      if (p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter) items = items.filter((i) => ON_TRIGGER.has(i.kind));
      return items.map(toLspCompletion);
    }),
  );

  connection.onSignatureHelp((p) =>
    s.guard('signatureHelp', null, () => {
      // Like completion: HAProxy reads the live text; keepalived and corosync need the current parse.
      if (model.languageOf(fileOf(p.textDocument.uri)) !== 'haproxy') s.scheduler.flushNow();
      return svc.signatureHelp(model, fileOf(p.textDocument.uri), p.position) ?? null;
    }),
  );

  connection.onCompletionResolve((item) =>
    s.guard('completionResolve', item, () => {
      const ref = item.data as CompletionDocRef | undefined;
      if (ref && typeof ref === 'object' && typeof ref.name === 'string') {
        const md = svc.completionDoc(ref, s.settings.haproxyVersion);
        if (md) item.documentation = { kind: MarkupKind.Markdown, value: md };
      }
      return item;
    }),
  );

  connection.onHover((p) =>
    s.withDoc('hover', null, () => {
      const h = svc.hover(model, fileOf(p.textDocument.uri), p.position);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
    }),
  );

  connection.onDocumentSymbol((p) => s.withDoc('documentSymbol', [], () => svc.documentSymbols(model, fileOf(p.textDocument.uri)).map(toDocumentSymbol)));

  connection.onWorkspaceSymbol((p) =>
    s.withDoc('workspaceSymbol', [], () =>
      svc
        .workspaceSymbols(model, p.query)
        .map((sym) => ({ name: sym.name, kind: toLspSymbolKind(sym.kind), containerName: sym.container, location: { uri: PATH_TO_URI(sym.file), range: sym.range } })),
    ),
  );

  const locations = (ls: svc.Location[]) => ls.map((l) => ({ uri: PATH_TO_URI(l.file), range: l.range }));
  connection.onDefinition((p) => s.withDoc('definition', [], () => locations(svc.definition(model, fileOf(p.textDocument.uri), p.position))));
  connection.onReferences((p) => s.withDoc('references', [], () => locations(svc.references(model, fileOf(p.textDocument.uri), p.position, p.context.includeDeclaration))));
  connection.onPrepareRename((p) => s.withDoc('prepareRename', null, () => svc.prepareRename(model, fileOf(p.textDocument.uri), p.position) ?? null));
  connection.onRenameRequest((p) =>
    s.withDoc('rename', null, () => {
      try {
        const e = svc.rename(model, fileOf(p.textDocument.uri), p.position, p.newName);
        return e ? toWorkspaceEdit(e) : null;
      } catch (err) {
        if (err instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidParams, err.message);
        throw err;
      }
    }),
  );

  connection.onDocumentLinks((p) =>
    s.withDoc('documentLinks', [], () => svc.documentLinks(model, fileOf(p.textDocument.uri)).map((l) => ({ range: l.range, target: PATH_TO_URI(l.target), tooltip: l.tooltip }))),
  );
  connection.onFoldingRanges((p) => s.withDoc('foldingRanges', [], () => svc.foldingRanges(model, fileOf(p.textDocument.uri))));
  // The client's tabSize and insertSpaces (FormattingOptions) decide the indentation unit.
  const indentOf = (o: { tabSize: number; insertSpaces: boolean }) => ({ indent: o.tabSize > 0 ? o.tabSize : 4, insertSpaces: o.insertSpaces !== false });
  connection.onDocumentFormatting((p) => s.guard('formatting', [], () => svc.formatting(model, fileOf(p.textDocument.uri), undefined, indentOf(p.options))));
  connection.onDocumentRangeFormatting((p) => s.guard('rangeFormatting', [], () => svc.formatting(model, fileOf(p.textDocument.uri), p.range, indentOf(p.options))));
  connection.onCodeAction((p) =>
    s.withDoc('codeAction', [], () => {
      // A requested kind covers its sub-kinds: `source.fixAll` (VS Code's "Fix All") and `source` include ours.
      const wants = (kind: string) => !p.context.only || p.context.only.some((k) => k === kind || kind.startsWith(`${k}.`));
      const file = fileOf(p.textDocument.uri);
      const out = wants('quickfix') ? svc.codeActions(model, file, p.range) : [];
      const all = wants(FIX_ALL_KIND) ? svc.fixAll(model, file) : undefined;
      if (all) out.push(all);
      return out.map(toCodeAction);
    }),
  );
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
