// Smoke check of the packaged extension: runs in a window where haconf comes from the installed .vsix
// (the extensionDevelopmentPath is the empty probe extension). It proves the .vsix activates and its
// bundled server answers; the feature suite itself runs against the source tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { askHarness } from '../suite/helpers';

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

  const outcomes = [{ title: 'installed .vsix activates and reports', state: 'passed', ms: 0 }];

  // The code link opens the rule page from the installed package (the pages are in the .vsix).
  const reqadd = vscode.languages.getDiagnostics(cfg).find((d) => code(d) === 'haproxy/removed-keyword');
  const target = typeof reqadd?.code === 'object' ? reqadd.code.target : undefined;
  if (target?.scheme !== 'command') throw new Error(`the code link of haproxy/removed-keyword is ${target?.toString()}, not the extension's command`);
  await vscode.commands.executeCommand(target.path, ...(JSON.parse(target.query) as string[]));
  const page = path.join(ext.extensionPath, 'docs', 'rules', 'haproxy', 'removed-keyword.md');
  await waitFor(
    `a Markdown preview of ${page}`,
    () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && /removed-keyword\.md/.test(t.label)),
    20000,
  );
  outcomes.push({ title: 'the code link opens the rule page bundled in the .vsix', state: 'passed', ms: 0 });

  // The extension's page (its README) in VS Code draws every screenshot with no network: they are inlined.
  const readme = fs.readFileSync(path.join(ext.extensionPath, 'readme.md'), 'utf8');
  const shots = (readme.match(/!\[[^\]]*\]\(data:image\/png;base64,/g) ?? []).length;
  if (shots < 6) throw new Error(`the installed readme.md inlines ${shots} screenshots`);
  await vscode.commands.executeCommand('extension.open', ID);
  await askHarness({ screenshot: 'extension-page', waitFor: '.extension-editor .header .name:text("haconf")', webviewText: 'Quick start', webviewImages: shots, timeoutMs: 30000 });
  outcomes.push({ title: `the extension page shows its ${shots} screenshots offline`, state: 'passed', ms: 0 });

  const ipc = process.env.HACONF_E2E_IPC;
  if (ipc) fs.writeFileSync(path.join(ipc, 'results.json'), JSON.stringify({ outcomes, timings, version: ext.packageJSON.version }, null, 2));
  console.log(`haconf ${String(ext.packageJSON.version)} from ${ext.extensionPath}: active, diagnostics published`);
}
