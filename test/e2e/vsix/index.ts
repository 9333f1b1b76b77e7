// Smoke check of the packaged extension: runs in a window where haconf comes from the installed .vsix
// (the extensionDevelopmentPath is the empty probe extension). It proves the .vsix activates and its
// bundled server answers; the feature suite itself runs against the source tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const ID = 'haconf.haconf';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function code(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

export async function run(): Promise<void> {
  const timings: Record<string, number> = { suiteStart: Date.now() };
  const ext = vscode.extensions.getExtension(ID);
  if (!ext) throw new Error(`${ID} is not installed in this window`);
  const extDir = process.env.HACONF_E2E_EXTDIR;
  if (extDir && !path.resolve(ext.extensionPath).startsWith(path.resolve(extDir) + path.sep)) {
    throw new Error(`${ID} was loaded from ${ext.extensionPath}, not from the installed .vsix under ${extDir}`);
  }
  await ext.activate();
  timings.activeSeen = Date.now();

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  const cfg = vscode.Uri.file(path.join(folder.uri.fsPath, 'haproxy.cfg'));
  const doc = await vscode.workspace.openTextDocument(cfg);
  await vscode.window.showTextDocument(doc);
  if (doc.languageId !== 'haproxy') throw new Error(`haproxy.cfg opened as '${doc.languageId}'`);
  await waitFor('haproxy/removed-keyword on haproxy.cfg', () => vscode.languages.getDiagnostics(cfg).find((d) => code(d) === 'haproxy/removed-keyword'), 20000);
  timings.firstDiagnostic = Date.now();
  const lb3 = vscode.Uri.file(path.join(folder.uri.fsPath, 'lb3', 'keepalived.conf'));
  await waitFor('cluster/vrid-mismatch on the unopened lb3/keepalived.conf', () => vscode.languages.getDiagnostics(lb3).find((d) => code(d) === 'cluster/vrid-mismatch'), 20000);

  const ipc = process.env.HACONF_E2E_IPC;
  if (ipc)
    fs.writeFileSync(
      path.join(ipc, 'results.json'),
      JSON.stringify({ outcomes: [{ title: 'installed .vsix activates and reports', state: 'passed', ms: 0 }], timings, version: ext.packageJSON.version }, null, 2),
    );
  console.log(`haconf ${String(ext.packageJSON.version)} from ${ext.extensionPath}: active, diagnostics published`);
}
