// Shared by the specs that run inside the VS Code extension host (code-server or desktop VS Code).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'haconf.haconf';

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e suite needs the fixture workspace open as the first folder');
  return folder.uri.fsPath;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), rel));
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (!ds.length) return '(none)';
  return ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${codeOf(d)} ${d.message}`).join('\n  ');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `probe` returns a value (not undefined); the error names what was awaited and the last state. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000, state?: () => string): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state ? `; last state:\n  ${state()}` : ''}`);
    await sleep(50);
  }
}

/** Waits until the diagnostics VS Code holds for `uri` satisfy `pick`, and returns what `pick` returned. */
export function waitForDiagnostics<T>(uri: vscode.Uri, what: string, pick: (ds: vscode.Diagnostic[]) => T | undefined, timeoutMs = 15000): Promise<T> {
  return waitFor(
    `${what} on ${path.basename(path.dirname(uri.fsPath))}/${path.basename(uri.fsPath)}`,
    () => pick(vscode.languages.getDiagnostics(uri)),
    timeoutMs,
    () => describeDiagnostics(vscode.languages.getDiagnostics(uri)),
  );
}

export function isOpen(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
}

export async function openEditor(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Puts `text` back as the whole content of the editor's document (the fixture stays the same for later specs). */
export async function restoreText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const ok = await editor.edit((b) => b.replace(all, text));
  if (!ok) throw new Error(`could not restore ${doc.uri.fsPath}`);
}

export function positionOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' not found in ${doc.uri.fsPath}`);
  return doc.positionAt(at + offsetInNeedle);
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export async function completionLabels(uri: vscode.Uri, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
  return (list?.items ?? []).map(labelOf);
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/**
 * The harness (test/e2e/run.ts) drives the browser: a spec asks it to check the rendered workbench and take a
 * screenshot by dropping a request file into HACONF_E2E_IPC and waiting for the answer. Under
 * @vscode/test-electron there is no harness and no browser; the request is skipped and only the API-level
 * assertions run.
 */
export interface UiRequest {
  /** Screenshot file name (without .png) under docs/screenshots/, or omitted for a DOM check only. */
  screenshot?: string;
  /** Playwright selector that must become visible before anything else happens. */
  waitFor: string;
  /** Text that must appear inside a webview (searched in every frame of the page). */
  webviewText?: string;
  /** At least this many images drawn (loaded, non-zero size) in one webview frame, and none broken there. */
  webviewImages?: number;
  /** Playwright selector the harness clicks with the mouse after the screenshot (e.g. a link in a hover). */
  clickAfter?: string;
  /** Keys the harness presses after the screenshot (e.g. Escape to close a menu). */
  pressAfter?: string[];
  /**
   * Lines the harness types key by key into the focused editor, each followed by a pause (so the suggest
   * widget has time to open, as when a person stops to think) and Enter.
   */
  typeLines?: string[];
  /** Time between two keys of `typeLines`, ms. */
  keyDelayMs?: number;
  /** Pause before each Enter of `typeLines`, ms. */
  pauseBeforeEnterMs?: number;
  timeoutMs?: number;
}

let seq = 0;

export function harnessPresent(): boolean {
  return Boolean(process.env.HACONF_E2E_IPC);
}

export async function askHarness(req: UiRequest): Promise<'done' | 'no-harness'> {
  const dir = process.env.HACONF_E2E_IPC;
  if (!dir) return 'no-harness';
  const id = `${String(++seq).padStart(3, '0')}-${req.screenshot ?? 'check'}`;
  const answer = path.join(dir, `${id}.res.json`);
  fs.writeFileSync(path.join(dir, `${id}.tmp`), JSON.stringify(req));
  fs.renameSync(path.join(dir, `${id}.tmp`), path.join(dir, `${id}.req.json`));
  const res = await waitFor(
    `the harness to answer ${id}`,
    () => (fs.existsSync(answer) ? (JSON.parse(fs.readFileSync(answer, 'utf8')) as { ok: boolean; error?: string }) : undefined),
    (req.timeoutMs ?? 20000) + 10000,
  );
  if (!res.ok) throw new Error(`workbench check '${req.waitFor}' failed: ${res.error ?? 'no reason given'}`);
  return 'done';
}

/** Timings the harness prints after the run (written to HACONF_E2E_IPC/timings.json). */
export const timings: Record<string, number> = {};

export function mark(name: string, at = Date.now()): void {
  if (timings[name] === undefined) timings[name] = at;
}
