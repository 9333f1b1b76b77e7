import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { plural } from '../../server/src/core/plural';
import { SCAFFOLD, SCAFFOLD_KINDS } from '../../server/src/protocol';
import { sendRequest } from './requests';

// "haconf: New HA Cluster…": a few questions, then the server's engine (the same as `haconf init`) proves the
// files and writes them. The client only asks; every check and every write happens in the server.

type Answers = Record<string, string>;

interface Question {
  key: string;
  prompt: string;
  placeHolder?: string;
  value?: string;
  /** Shape check only; the server says what is wrong with the values. */
  pattern?: RegExp;
  optional?: boolean;
  when?: (a: Answers) => boolean;
}

const keepalivedKind = (a: Answers) => a.kind !== 'pacemaker';
const nodePortKind = (a: Answers) => a.kind !== 'apiserver';

function questions(version: string): Question[] {
  return [
    { key: 'name', prompt: 'Cluster name (also the new folder)', value: 'k8s-lb', pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/ },
    { key: 'vip', prompt: 'VIP with prefix', placeHolder: '192.168.10.10/24', pattern: /^\d+\.\d+\.\d+\.\d+\/\d+$/ },
    { key: 'nodes', prompt: 'Nodes as NAME=IP, comma-separated', placeHolder: 'lb1=192.168.10.11,lb2=192.168.10.12,lb3=192.168.10.13', pattern: /\S/ },
    { key: 'apiservers', prompt: 'apiserver addresses (port 6443); empty: the nodes themselves', optional: true, when: (a) => a.kind === 'apiserver' },
    { key: 'frontendPort', prompt: 'Port HAProxy listens on (the apiservers keep 6443)', value: '9443', pattern: /^\d+$/, when: (a) => a.kind === 'apiserver' },
    { key: 'nodePorts', prompt: 'NodePorts as [LISTEN:]NODEPORT; empty: read them from Service files', placeHolder: '80:30080,443:30443', optional: true, when: nodePortKind },
    {
      key: 'services',
      prompt: 'Kubernetes Service files to read the NodePorts from (globs, relative to the workspace folder)',
      placeHolder: 'k8s/*.yaml',
      pattern: /\S/,
      when: (a) => nodePortKind(a) && !a.nodePorts,
    },
    { key: 'workers', prompt: 'Kubernetes worker addresses, comma-separated', placeHolder: '192.168.10.21,192.168.10.22', pattern: /\S/, when: nodePortKind },
    { key: 'iface', prompt: 'Network interface that carries the VIP', value: 'eth0', pattern: /^\S+$/, when: keepalivedKind },
    { key: 'haproxyVersion', prompt: 'HAProxy version on the nodes', value: version, pattern: /^\d+\.\d+$/ },
  ];
}

export function registerNewCluster(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined, afterWrite: () => Promise<void>): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('haconf.newCluster', async (prefill?: Answers) => {
      const client = getClient();
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!client || !folder) {
        void vscode.window.showErrorMessage('haconf: open a folder first; the new cluster is written into it.');
        return;
      }
      const base = folder.uri.fsPath;
      const answers: Answers = { ...(typeof prefill === 'object' && prefill ? prefill : {}) };
      if (!answers.kind) {
        const kinds = await sendRequest(client, SCAFFOLD_KINDS, {});
        const pick = await vscode.window.showQuickPick(
          kinds.map((k) => ({ label: k.label, detail: k.detail, value: k.kind })),
          { title: 'haconf: New HA Cluster (1/2)', placeHolder: 'What kind of cluster?', ignoreFocusOut: true },
        );
        if (!pick) return;
        answers.kind = pick.value;
      }
      const version = vscode.workspace.getConfiguration('haconf').get<string>('haproxy.version') || '3.0';
      for (const q of questions(version)) {
        if (answers[q.key] !== undefined || (q.when && !q.when(answers))) continue;
        const value = await vscode.window.showInputBox({
          title: 'haconf: New HA Cluster (2/2)',
          prompt: q.prompt,
          placeHolder: q.placeHolder,
          value: q.value,
          ignoreFocusOut: true,
          validateInput: (v) => ((q.optional && !v.trim()) || !q.pattern || q.pattern.test(v.trim()) ? undefined : `expected e.g. ${q.placeHolder ?? q.value ?? ''}`),
        });
        if (value === undefined) return; // Escape: stop, nothing written
        answers[q.key] = value.trim();
      }
      const target = path.join(base, answers.name || 'k8s-lb');
      const ask = (write: boolean, force = false) => sendRequest(client, SCAFFOLD, { folder: target, answers, write, force });
      const preview = await ask(false);
      if (!preview.ok) {
        void vscode.window.showErrorMessage(`haconf: ${preview.message}`);
        return;
      }
      // A quick pick rather than a modal: it shows the failover summary and keeps the flow in one widget.
      const overwrite = preview.existing.length > 0;
      const action = overwrite ? 'Overwrite' : 'Write';
      const where = path.relative(base, target) || '.';
      const choice = await vscode.window.showQuickPick(
        [
          {
            label: action,
            description: `${plural(preview.files.length, 'file')} in ${where}${overwrite ? `, replacing ${preview.existing.join(', ')}` : ''}`,
            detail: [...preview.summary.slice(1)].sort((a, b) => Number(b.startsWith('failover')) - Number(a.startsWith('failover'))).join(' · '),
          },
          { label: 'Cancel', description: 'write nothing' },
        ],
        { title: `haconf: create cluster ${preview.cluster}?`, placeHolder: preview.summary[0], ignoreFocusOut: true },
      );
      if (choice?.label !== action) return;
      const done = await ask(true, overwrite);
      if (!done.ok) {
        void vscode.window.showErrorMessage(`haconf: ${done.message}`);
        return;
      }
      await afterWrite();
      const doc = await vscode.workspace.openTextDocument(path.join(target, 'haconf.yaml'));
      await vscode.window.showTextDocument(doc);
      void vscode.window.showInformationMessage(
        `haconf: wrote ${plural(done.files.length, 'file')} for ${done.cluster}; see it in the Clusters view. Deploy with "haconf: Deploy Cluster (Dry Run)…" first.`,
      );
    }),
  );
}
