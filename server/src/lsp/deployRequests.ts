import * as os from 'node:os';
import * as path from 'node:path';
import { ResponseError, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { deploy } from '../deploy/deploy';
import { readJournal, journalPath, describeRun, journalOwnerAlive, JournalError } from '../deploy/journal';
import { recover } from '../deploy/recover';
import { SshTransport } from '../deploy/ssh';
import type { DeployEvent, DeployPlan } from '../deploy/events';
import type { WorkspaceModel } from '../engine/model';

import { DEPLOY, DEPLOY_CONFIRM, DEPLOY_EVENT, DEPLOY_INTERRUPTED, DEPLOY_RECOVER, DEPLOY_TARGETS, type InterruptedDeploy } from '../protocol';
import { onRequest, sendNotification, sendRequest } from './customMethods';

/**
 * Deploy over LSP so the VS Code command needs no engine of its own: the server runs the deploy, streams
 * progress as notifications, asks the client to confirm the staged plan, and maps request cancellation
 * to the engine's abort signal (stop before the next host, roll back what this run changed).
 */
/**
 * Deploys running in this server. While one runs, the server does not die with its client: the shutdown
 * request, the exit notification, a closed stdin or a dead parent process (VS Code closing the window) all
 * end in process.exit inside vscode-languageserver, so that is deferred until every running deploy has
 * stopped at a safe point and rolled back (the same as Ctrl-C in the CLI). A SIGKILL still ends it at once;
 * the deploy journal is there for that.
 */
const running = new Set<{ abort: AbortController; done: Promise<unknown> }>();
let exitHeld = false;

function stopAll(): Promise<unknown> {
  for (const r of running) r.abort.abort();
  return Promise.allSettled([...running].map((r) => r.done));
}

function holdExitWhileDeploying(): void {
  if (exitHeld) return;
  exitHeld = true;
  const realExit = process.exit.bind(process);
  let leaving = false;
  process.exit = ((code?: number) => {
    if (!running.size) return realExit(code);
    if (!leaving) {
      leaving = true;
      void stopAll().then(() => realExit(code));
    }
    return undefined as never;
  }) as typeof process.exit;
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    const code = 128 + (os.constants.signals[sig] ?? 15);
    process.on(sig, () => {
      if (!running.size) return realExit(code);
      void stopAll().then(() => realExit(code));
    });
  }
}

export function registerDeployRequests(connection: Connection, model: () => WorkspaceModel, isTrusted: () => boolean): void {
  holdExitWhileDeploying();
  // The client's shutdown request waits for running deploys to roll back before the answer.
  connection.onShutdown(async () => {
    await stopAll();
  });
  // Sending fails once the client is gone; the deploy must go on rolling back regardless.
  const notify = (event: DeployEvent): void => {
    try {
      void sendNotification(connection, DEPLOY_EVENT, event).catch(() => undefined);
    } catch {
      // connection closed
    }
  };

  onRequest(connection, DEPLOY_INTERRUPTED, () => {
    if (!isTrusted()) return [];
    const out: InterruptedDeploy[] = [];
    for (const c of model().clusters) {
      if (!c.manifest) continue;
      try {
        const j = readJournal(journalPath(c.manifest.file));
        if (j && !journalOwnerAlive(j)) out.push({ manifest: c.manifest.file, cluster: c.name, run: describeRun(j) });
      } catch (e) {
        if (e instanceof JournalError) out.push({ manifest: c.manifest.file, cluster: c.name, run: e.message });
      }
    }
    return out;
  });

  onRequest(connection, DEPLOY_RECOVER, async (p) => {
    if (!isTrusted()) throw new ResponseError(ErrorCodes.InvalidRequest, 'haconf: recovering a deploy is refused in Restricted Mode; trust this workspace first.');
    if (typeof p?.manifest !== 'string' || !path.isAbsolute(p.manifest) || !['report', 'finish', 'rollback'].includes(p.action)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'haconf: deployRecover needs the absolute path of a haconf.yaml and an action (report, finish or rollback)');
    }
    const abort = new AbortController();
    const transport = new SshTransport({ baseDir: path.dirname(p.manifest) });
    const done = recover({ manifestPath: p.manifest, transport, action: p.action, signal: abort.signal, onEvent: notify }).finally(() => transport.close());
    const entry = { abort, done };
    running.add(entry);
    try {
      return await done;
    } finally {
      running.delete(entry);
    }
  });
  onRequest(connection, DEPLOY_TARGETS, () =>
    model()
      .clusters.filter((c) => c.manifest)
      .map((c) => ({ manifest: c.manifest!.file, cluster: c.name, hosts: c.manifest!.hosts.map((h) => h.name), files: [...c.files] })),
  );

  onRequest(connection, DEPLOY, async (p, token) => {
    if (!isTrusted()) {
      throw new ResponseError(ErrorCodes.InvalidRequest, 'haconf: deploy is refused in Restricted Mode; trust this workspace first.');
    }
    if (typeof p?.manifest !== 'string' || !path.isAbsolute(p.manifest)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'haconf: deploy needs the absolute path of a haconf.yaml');
    }
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    const transport = new SshTransport({ baseDir: path.dirname(p.manifest) });
    const done = deploy({
      manifestPath: p.manifest,
      hosts: p.hosts,
      dryRun: p.dryRun,
      force: p.force,
      transport,
      signal: ac.signal,
      onEvent: notify,
      confirm: async (plan: DeployPlan) => (p.dryRun ? true : Boolean(await sendRequest(connection, DEPLOY_CONFIRM, plan))),
    }).finally(() => transport.close());
    const entry = { abort: ac, done };
    running.add(entry);
    try {
      return await done;
    } finally {
      running.delete(entry);
      sub.dispose();
    }
  });
}
