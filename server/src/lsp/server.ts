import { registerClusterRequests } from './clusterRequests';
import { registerDeployRequests } from './deployRequests';
import { registerDriftRequests } from './driftRequests';
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
import { scanInBackground, scanStopMessage } from '../services/scan';
import { DiskPoller } from './diskPoll';
import { exitWhenParentDies } from './parentWatch';
import { registerDocumentLanguageRequest } from './documentLanguage';
import * as svc from '../services';
import { WorkspaceModel, RenameError, type CompletionDocRef } from '../services';
import { toCodeAction, toDocumentSymbol, toLspCompletion, toLspDiagnostic, toLspSymbolKind, toWorkspaceEdit } from './convert';
import { defaultSettings, isEmptySettings, readSettings, toCheckOptions, type ServerSettings } from './settings';
import { CheckScheduler } from './checkScheduler';
import { TRUST } from '../protocol';
import { onNotification } from './customMethods';
import { plural } from '../core/plural';

export { toLspDiagnostic } from './convert';

/** Wires the services to an LSP connection. Only protocol adaptation lives here. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const model = new WorkspaceModel();
  let settings: ServerSettings = defaultSettings();
  let folders: string[] = [];
  let canPullConfig = false;
  let canRegisterConfig = false;
  let canWatch = false;
  let canFolders = false;
  let ready = false;
  const published = new Map<string, string>();
  /** Findings of the local daemons' checkers, by file (opt-in, trusted workspaces only). */
  const localFindings = new Map<string, Diagnostic[]>();
  let trusted = false;

  const log = (msg: string): void => {
    if (settings.trace !== 'off') connection.console.log(msg);
  };

  /** Runs a handler; a bug answers `fallback` and is logged instead of killing the server. */
  const guard = <T>(name: string, fallback: T, fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`haconf: ${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    } finally {
      if (settings.trace === 'verbose') connection.console.log(`haconf: ${name} took ${(performance.now() - t0).toFixed(1)} ms`);
    }
  };

  const publish = (files: Iterable<string>): void => {
    for (const file of files) {
      const local = localFindings.get(file);
      // A tool finding on a line we already flag joins our finding (localtools/merge.ts).
      const diags = local?.length ? mergeLocalFindings(model.diagnostics(file), applyPolicy(local, (f) => model.textOf(f), model.checkOptions)) : model.diagnostics(file);
      const key = JSON.stringify(diags);
      if (published.get(file) === key) continue;
      if (diags.length === 0 && !published.has(file)) continue;
      published.set(file, key);
      const uri = PATH_TO_URI(file);
      connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics: diags.map(toLspDiagnostic) });
    }
  };

  // Edits are checked after a wait that follows the measured check cost (checkScheduler.ts).
  const scheduler = new CheckScheduler((files) => guard('diagnostics', undefined, () => publish(model.refresh(files))));
  const schedule = (file: string): void => scheduler.add(file);
  /** A handler that reads parsed documents or diagnostics: runs the pending check first instead of parsing on its own. */
  const withDoc = <T>(name: string, fallback: T, fn: () => T): T => guard(name, fallback, () => (scheduler.flushNow(), fn()));

  const applySettings = (raw: unknown): void => {
    const next = readSettings(raw);
    const changed = JSON.stringify(toCheckOptions(next)) !== JSON.stringify(toCheckOptions(settings));
    const localChanged = next.validateWithLocalTools !== settings.validateWithLocalTools;
    const associationsChanged = JSON.stringify(next.associations) !== JSON.stringify(settings.associations);
    settings = next;
    if (localChanged && ready) for (const d of documents.all()) runLocal(fileOf(d.uri));
    if (associationsChanged) {
      // Files may change language or leave; files the new globs name are found by a rescan.
      const moved = model.setAssociations(compileAssociations(settings.associations));
      if (ready) {
        publish([...moved, ...model.refresh(moved)]);
        void runScan(folders);
      }
    }
    if (changed && ready) {
      model.setOptions(toCheckOptions(settings));
      publish(model.knownFiles());
    }
  };

  const pullSettings = async (): Promise<void> => {
    if (!canPullConfig) return;
    try {
      const pulled: unknown = await connection.workspace.getConfiguration('haconf');
      // A client that knows no `haconf` section answers null: keep what initializationOptions or
      // didChangeConfiguration gave instead of falling back to the defaults.
      if (!isEmptySettings(pulled)) applySettings(pulled);
    } catch (e) {
      connection.console.error(`haconf: cannot read settings: ${(e as Error).message}`);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPullConfig = Boolean(caps.workspace?.configuration);
    canRegisterConfig = Boolean(caps.workspace?.didChangeConfiguration?.dynamicRegistration);
    canWatch = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    canFolders = Boolean(caps.workspace?.workspaceFolders);
    folders = (params.workspaceFolders ?? []).map((f) => URI_TO_PATH(f.uri));
    if (!folders.length && params.rootUri) folders = [URI_TO_PATH(params.rootUri)];
    const init = params.initializationOptions as { settings?: unknown; trusted?: boolean } | undefined;
    // Editors other than VS Code have no Restricted Mode; they pass nothing and are trusted.
    trusted = init?.trusted !== false;
    if (init?.settings) settings = readSettings(init.settings);
    model.setAssociations(compileAssociations(settings.associations));
    exitWhenParentDies(params.processId, () => {
      connection.console.error(`haconf: the editor (process ${params.processId}) is gone; exiting`);
      process.exit(1);
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { resolveProvider: true, triggerCharacters: [' ', '(', '!'] },
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
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'haconf' },
    };
  });

  connection.onInitialized(async () => {
    if (canRegisterConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'haconf' });
    if (canWatch) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        // Folders too (created, deleted, renamed): one event names the folder, not the files in it.
        watchers: [{ globPattern: '**/*.{cfg,conf,haproxy,yaml,yml}' }, { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete }],
      });
    } else {
      poller.start();
    }
    if (canFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        guard('workspace folders', undefined, () => {
          const removed = e.removed.map((r) => URI_TO_PATH(r.uri));
          const added = e.added.map((a) => URI_TO_PATH(a.uri));
          folders = [...folders.filter((f) => !removed.includes(f)), ...added];
          const gone = removed.flatMap((f) => model.removeUnder(f));
          if (gone.length) publish([...gone, ...model.refresh(gone)]);
          void runScan(added);
        });
      });
    }
    await pullSettings();
    // Open documents first: the workspace scan runs afterwards, in the background.
    guard('open documents', undefined, () => {
      model.setOptions(toCheckOptions(settings));
      publish(model.knownFiles());
    });
    ready = true;
    for (const d of documents.all()) runLocal(fileOf(d.uri));
    // Edits that arrived before start-up are checked now; the workspace scan follows in the background.
    scheduler.start();
    void runScan(folders);
  });

  let scanning: Promise<void> = Promise.resolve();
  let toldAboutScanLimit = false;
  /** Scans folders in the background, one scan after the other; the promise settles when this one is done. */
  const runScan = (dirs: string[]): Promise<void> => {
    scanning = scanning.then(async () => {
      if (!dirs.length) return;
      try {
        const report = await scanInBackground(model, dirs, (touched) => guard('workspace scan', undefined, () => publish(touched)));
        log(`haconf: scanned ${dirs.join(', ')}: ${plural(report.files, 'config file')}, ${plural(report.entries, 'entry', 'entries')} in ${report.ms} ms${report.unlistable ? `, ${plural(report.unlistable, 'folder')} not readable` : ''}`);
        const stop = scanStopMessage(report);
        // Once per server: a second scan of the same huge root would only repeat it.
        if (stop && !toldAboutScanLimit) {
          toldAboutScanLimit = true;
          // A notification, not window/showMessageRequest: an editor that does not implement the request
          // would answer with an error, which must not reach an unhandled rejection.
          void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: stop });
        }
      } catch (e) {
        connection.console.error(`haconf: workspace scan failed: ${(e as Error).stack ?? e}`);
      }
    });
    return scanning;
  };

  /** A path changed on disk (watcher or poll): a new folder is scanned, anything else re-checked. */
  const diskChange = (file: string, type: FileChangeType): void => {
    if (type === FileChangeType.Created && isDirectory(file)) {
      // A folder the scan would not enter (node_modules, .git/…) is not scanned when it appears either.
      const base = folders.find((f) => file.startsWith(f + path.sep));
      const inside = base ? path.relative(base, file).split(path.sep) : [path.basename(file)];
      if (!inside.some(isSkippedFolderName)) void runScan([file]);
      return;
    }
    for (const f of model.diskChanged(file, type === FileChangeType.Deleted)) schedule(f);
  };

  const poller = new DiskPoller(
    () => {
      const open = new Set(model.allFiles().filter((f) => f.open).map((f) => f.file));
      return model.knownFiles().filter((f) => !open.has(f) && !isVirtualDocument(f));
    },
    (changes) => guard('polled files', undefined, () => {
      for (const c of changes) diskChange(c.file, c.deleted ? FileChangeType.Deleted : FileChangeType.Changed);
    }),
  );

  registerClusterRequests(connection, () => model, async () => {
    // Files deleted since (without a watcher event) go first, so the answer matches the disk.
    guard('workspace rescan', undefined, () => {
      const gone = model.dropMissing((f) => fs.existsSync(f));
      if (gone.length) publish([...gone, ...model.refresh(gone)]);
    });
    await runScan(folders);
  });
  registerDocumentLanguageRequest(connection, () => model);

  registerDeployRequests(connection, () => model, () => trusted);
  registerDriftRequests(connection, () => model, () => trusted);

  // A new cluster's files join the model at once (the file watcher would see them later).
  registerScaffoldRequests(connection, () => folders, () => trusted, () => model.clusters, (files) =>
    guard('workspace rescan', undefined, () => {
      // Replaced files are read again (the scan keeps what it knows); new ones are found by the scan.
      for (const f of files) model.diskChanged(f, false);
      model.scan(folders);
      publish(model.knownFiles());
    }),
  );

  connection.onDidChangeConfiguration((p) => {
    const s = (p.settings as { haconf?: unknown } | undefined)?.haconf;
    if (s) applySettings(s);
    else void pullSettings();
  });

  connection.onDidChangeWatchedFiles((p) => {
    guard('watched files', undefined, () => {
      for (const c of p.changes) if (c.uri.startsWith('file:')) diskChange(URI_TO_PATH(c.uri), c.type);
    });
  });

  documents.onDidOpen((e) => {
    guard('open', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const lang = isLanguage(e.document.languageId) ? e.document.languageId : undefined;
      if (!model.setBuffer(file, e.document.getText(), lang)) return;
      if (ready) publish(model.refresh([file]));
      else schedule(file);
    });
  });
  documents.onDidChangeContent((e) => {
    guard('change', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const lang = isLanguage(e.document.languageId) ? e.document.languageId : undefined;
      if (model.setBuffer(file, e.document.getText(), lang)) schedule(file);
    });
  });
  const runLocal = (file: string): void => {
    const language = model.languageOf(file);
    if (!trusted || !settings.validateWithLocalTools || !language) {
      if (localFindings.delete(file)) publish([file]);
      return;
    }
    void runLocalTool(language, file, { workspaceFolders: folders }).then((r) => {
      if (!r.ran) log(`haconf: ${r.message}`);
      localFindings.set(file, r.diagnostics);
      publish([file]);
    });
  };
  documents.onDidSave((e) => guard('local tools', undefined, () => runLocal(fileOf(e.document.uri))));

  // Trust granted after start-up takes effect at once: local tools for the open files, deploys allowed.
  onNotification(connection, TRUST, (p) =>
    guard('trust', undefined, () => {
      const next = p?.trusted === true;
      if (next === trusted) return;
      trusted = next;
      if (ready) for (const d of documents.all()) runLocal(fileOf(d.uri));
    }),
  );

  documents.onDidClose((e) => {
    guard('close', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const known = model.has(file);
      model.closeBuffer(file);
      if (known && !model.has(file)) {
        published.delete(file);
        connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      }
      schedule(file);
    });
  });

  const fileOf = (uri: string): string => URI_TO_PATH(uri);

  connection.onCompletion((p) => guard('completion', [], () => {
    // HAProxy completion reads the live text and the last parse; keepalived and corosync completion need
    // the current parse, so the pending check runs first rather than a parse of their own.
    if (model.languageOf(fileOf(p.textDocument.uri)) !== 'haproxy') scheduler.flushNow();
    let items = svc.completion(model, fileOf(p.textDocument.uri), p.position);
    // A space typed on its own should only pop up names and values, never the whole keyword list.
    if (p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter) items = items.filter((i) => i.kind === 'reference' || i.kind === 'value' || i.kind === 'unit');
    return items.map(toLspCompletion);
  }));

  connection.onCompletionResolve((item) => guard('completionResolve', item, () => {
    const ref = item.data as CompletionDocRef | undefined;
    if (ref && typeof ref === 'object' && typeof ref.name === 'string') {
      const md = svc.completionDoc(ref, settings.haproxyVersion);
      if (md) item.documentation = { kind: MarkupKind.Markdown, value: md };
    }
    return item;
  }));

  connection.onHover((p) => withDoc('hover', null, () => {
    const h = svc.hover(model, fileOf(p.textDocument.uri), p.position);
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
  }));

  connection.onDocumentSymbol((p) => withDoc('documentSymbol', [], () => svc.documentSymbols(model, fileOf(p.textDocument.uri)).map(toDocumentSymbol)));

  connection.onWorkspaceSymbol((p) => withDoc('workspaceSymbol', [], () =>
    svc.workspaceSymbols(model, p.query).map((s) => ({ name: s.name, kind: toLspSymbolKind(s.kind), containerName: s.container, location: { uri: PATH_TO_URI(s.file), range: s.range } })),
  ));

  const locations = (ls: svc.Location[]) => ls.map((l) => ({ uri: PATH_TO_URI(l.file), range: l.range }));
  connection.onDefinition((p) => withDoc('definition', [], () => locations(svc.definition(model, fileOf(p.textDocument.uri), p.position))));
  connection.onReferences((p) => withDoc('references', [], () => locations(svc.references(model, fileOf(p.textDocument.uri), p.position, p.context.includeDeclaration))));
  connection.onPrepareRename((p) => withDoc('prepareRename', null, () => svc.prepareRename(model, fileOf(p.textDocument.uri), p.position) ?? null));
  connection.onRenameRequest((p) => withDoc('rename', null, () => {
    try {
      const e = svc.rename(model, fileOf(p.textDocument.uri), p.position, p.newName);
      return e ? toWorkspaceEdit(e) : null;
    } catch (err) {
      if (err instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidParams, err.message);
      throw err;
    }
  }));

  connection.onDocumentLinks((p) => withDoc('documentLinks', [], () => svc.documentLinks(model, fileOf(p.textDocument.uri)).map((l) => ({ range: l.range, target: PATH_TO_URI(l.target), tooltip: l.tooltip }))));
  connection.onFoldingRanges((p) => withDoc('foldingRanges', [], () => svc.foldingRanges(model, fileOf(p.textDocument.uri))));
  // The client's tabSize and insertSpaces (FormattingOptions) decide the indentation unit.
  const indentOf = (o: { tabSize: number; insertSpaces: boolean }) => ({ indent: o.tabSize > 0 ? o.tabSize : 4, insertSpaces: o.insertSpaces !== false });
  connection.onDocumentFormatting((p) => guard('formatting', [], () => svc.formatting(model, fileOf(p.textDocument.uri), undefined, indentOf(p.options))));
  connection.onDocumentRangeFormatting((p) => guard('rangeFormatting', [], () => svc.formatting(model, fileOf(p.textDocument.uri), p.range, indentOf(p.options))));
  connection.onCodeAction((p) => withDoc('codeAction', [], () => {
    if (p.context.only && !p.context.only.some((k) => k === 'quickfix' || k.startsWith('quickfix'))) return [];
    return svc.codeActions(model, fileOf(p.textDocument.uri), p.range).map(toCodeAction);
  }));

  documents.listen(connection);
  connection.listen();
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
