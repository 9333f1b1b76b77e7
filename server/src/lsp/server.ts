import { registerClusterRequests } from './clusterRequests';
import { registerDeployRequests } from './deployRequests';
import { registerScaffoldRequests } from './scaffoldRequests';
import { runLocalTool } from '../localtools/run';
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
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI_TO_PATH, PATH_TO_URI } from './uri';
import { isLanguage } from '../engine/detect';
import * as svc from '../services';
import { WorkspaceModel, RenameError, type CompletionDocRef } from '../services';
import { toCodeAction, toDocumentSymbol, toLspCompletion, toLspDiagnostic, toLspSymbolKind, toWorkspaceEdit } from './convert';
import { defaultSettings, readSettings, toCheckOptions, type ServerSettings } from './settings';

export { toLspDiagnostic } from './convert';

/** Quiet time after a burst of keystrokes before diagnostics are recomputed. */
export const DEBOUNCE_MS = 150;

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
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let lastChange = 0;

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
      const diags = local?.length ? [...model.diagnostics(file), ...applyPolicy(local, (f) => model.textOf(f), model.checkOptions)] : model.diagnostics(file);
      const key = JSON.stringify(diags);
      if (published.get(file) === key) continue;
      if (diags.length === 0 && !published.has(file)) continue;
      published.set(file, key);
      const uri = PATH_TO_URI(file);
      connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics: diags.map(toLspDiagnostic) });
    }
  };

  const flush = (): void => {
    timer = undefined;
    const files = [...pending];
    pending.clear();
    guard('diagnostics', undefined, () => publish(model.refresh(files)));
  };

  /**
   * An isolated edit is checked at once; edits that follow each other within DEBOUNCE_MS (typing) wait
   * until the typing pauses, so a large file is not re-checked on every keystroke.
   */
  const schedule = (file: string): void => {
    pending.add(file);
    const now = Date.now();
    const burst = now - lastChange < DEBOUNCE_MS;
    lastChange = now;
    if (!ready) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, burst ? DEBOUNCE_MS : 0);
  };

  const applySettings = (raw: unknown): void => {
    const next = readSettings(raw);
    const changed = JSON.stringify(toCheckOptions(next)) !== JSON.stringify(toCheckOptions(settings));
    const localChanged = next.validateWithLocalTools !== settings.validateWithLocalTools;
    settings = next;
    if (localChanged && ready) for (const d of documents.all()) runLocal(fileOf(d.uri));
    if (changed && ready) {
      model.setOptions(toCheckOptions(settings));
      publish(model.knownFiles());
    }
  };

  const pullSettings = async (): Promise<void> => {
    if (!canPullConfig) return;
    try {
      applySettings(await connection.workspace.getConfiguration('haconf'));
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
        watchers: [{ globPattern: '**/*.{cfg,conf,haproxy,yaml,yml}' }],
      });
    }
    if (canFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        guard('workspace folders', undefined, () => {
          folders = [...folders.filter((f) => !e.removed.some((r) => URI_TO_PATH(r.uri) === f)), ...e.added.map((a) => URI_TO_PATH(a.uri))];
          model.scan(e.added.map((a) => URI_TO_PATH(a.uri)));
          publish(model.knownFiles());
        });
      });
    }
    await pullSettings();
    guard('workspace scan', undefined, () => {
      model.setOptions(toCheckOptions(settings));
      const t0 = performance.now();
      const notes = model.scan(folders);
      // Limits reached while scanning (e.g. the per-workspace file cap) must not pass silently.
      if (notes.length) void connection.window.showWarningMessage(`haconf: ${notes.join('; ')}`);
      log(`haconf: scanned ${folders.join(', ') || '(no folder)'}: ${model.allFiles().length} files in ${(performance.now() - t0).toFixed(0)} ms`);
    });
    ready = true;
    for (const d of documents.all()) runLocal(fileOf(d.uri));
    publish(model.knownFiles());
    if (pending.size) flush();
  });

  registerClusterRequests(
    connection,
    () => model,
    () =>
      guard('workspace rescan', undefined, () => {
        model.scan(folders);
        publish(model.knownFiles());
      }),
  );

  registerDeployRequests(connection, () => model, () => trusted);

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
      for (const c of p.changes) {
        const file = URI_TO_PATH(c.uri);
        model.diskChanged(file, c.type === FileChangeType.Deleted);
        schedule(file);
      }
    });
  });

  documents.onDidOpen((e) => {
    guard('open', undefined, () => {
      const file = URI_TO_PATH(e.document.uri);
      const lang = isLanguage(e.document.languageId) ? e.document.languageId : undefined;
      if (!model.setBuffer(file, e.document.getText(), lang)) return;
      if (ready) publish(model.refresh([file]));
      else pending.add(file);
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

  connection.onHover((p) => guard('hover', null, () => {
    const h = svc.hover(model, fileOf(p.textDocument.uri), p.position);
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
  }));

  connection.onDocumentSymbol((p) => guard('documentSymbol', [], () => svc.documentSymbols(model, fileOf(p.textDocument.uri)).map(toDocumentSymbol)));

  connection.onWorkspaceSymbol((p) => guard('workspaceSymbol', [], () =>
    svc.workspaceSymbols(model, p.query).map((s) => ({ name: s.name, kind: toLspSymbolKind(s.kind), containerName: s.container, location: { uri: PATH_TO_URI(s.file), range: s.range } })),
  ));

  const locations = (ls: svc.Location[]) => ls.map((l) => ({ uri: PATH_TO_URI(l.file), range: l.range }));
  connection.onDefinition((p) => guard('definition', [], () => locations(svc.definition(model, fileOf(p.textDocument.uri), p.position))));
  connection.onReferences((p) => guard('references', [], () => locations(svc.references(model, fileOf(p.textDocument.uri), p.position, p.context.includeDeclaration))));
  connection.onPrepareRename((p) => guard('prepareRename', null, () => svc.prepareRename(model, fileOf(p.textDocument.uri), p.position) ?? null));
  connection.onRenameRequest((p) => guard('rename', null, () => {
    try {
      const e = svc.rename(model, fileOf(p.textDocument.uri), p.position, p.newName);
      return e ? toWorkspaceEdit(e) : null;
    } catch (err) {
      if (err instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidParams, err.message);
      throw err;
    }
  }));

  connection.onDocumentLinks((p) => guard('documentLinks', [], () => svc.documentLinks(model, fileOf(p.textDocument.uri)).map((l) => ({ range: l.range, target: PATH_TO_URI(l.target), tooltip: l.tooltip }))));
  connection.onFoldingRanges((p) => guard('foldingRanges', [], () => svc.foldingRanges(model, fileOf(p.textDocument.uri))));
  connection.onDocumentFormatting((p) => guard('formatting', [], () => svc.formatting(model, fileOf(p.textDocument.uri), undefined, { indent: p.options.tabSize > 0 ? p.options.tabSize : 4 })));
  connection.onDocumentRangeFormatting((p) => guard('rangeFormatting', [], () => svc.formatting(model, fileOf(p.textDocument.uri), p.range, { indent: p.options.tabSize > 0 ? p.options.tabSize : 4 })));
  connection.onCodeAction((p) => guard('codeAction', [], () => {
    if (p.context.only && !p.context.only.some((k) => k === 'quickfix' || k.startsWith('quickfix'))) return [];
    return svc.codeActions(model, fileOf(p.textDocument.uri), p.range).map(toCodeAction);
  }));

  documents.listen(connection);
  connection.listen();
}
