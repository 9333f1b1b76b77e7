import * as path from 'node:path';
import { ResponseError, ErrorCodes, type Connection, type CancellationToken } from 'vscode-languageserver/node';
import { deploy } from '../deploy/deploy';
import { SshTransport } from '../deploy/ssh';
import type { DeployEvent, DeployPlan, DeployResult } from '../deploy/events';
import type { WorkspaceModel } from '../services/workspace';

export const DEPLOY_REQUEST = 'haconf/deploy';
export const DEPLOY_EVENT = 'haconf/deployEvent';
export const DEPLOY_CONFIRM = 'haconf/deployConfirm';
export const DEPLOY_TARGETS = 'haconf/deployTargets';

export interface DeployParams {
  manifest: string;
  hosts?: string[];
  dryRun: boolean;
  force?: boolean;
}

export interface DeployTarget {
  manifest: string;
  cluster: string;
  hosts: string[];
  /** The cluster's config files, so the editor can offer the active file's cluster first. */
  files: string[];
}

/**
 * Deploy over LSP so the VS Code command needs no engine of its own: the server runs the deploy, streams
 * progress as notifications, asks the client to confirm the staged plan, and maps request cancellation
 * to the engine's abort signal (stop before the next host, roll back what this run changed).
 */
export function registerDeployRequests(connection: Connection, model: () => WorkspaceModel, isTrusted: () => boolean): void {
  connection.onRequest(DEPLOY_TARGETS, (): DeployTarget[] =>
    model()
      .clusters.filter((c) => c.manifest)
      .map((c) => ({ manifest: c.manifest!.file, cluster: c.name, hosts: c.manifest!.hosts.map((h) => h.name), files: [...c.files] })),
  );

  connection.onRequest(DEPLOY_REQUEST, async (p: DeployParams, token: CancellationToken): Promise<DeployResult> => {
    if (!isTrusted()) {
      throw new ResponseError(ErrorCodes.InvalidRequest, 'haconf: deploy is refused in Restricted Mode; trust this workspace first.');
    }
    if (typeof p?.manifest !== 'string' || !path.isAbsolute(p.manifest)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'haconf: deploy needs the absolute path of a haconf.yaml');
    }
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    const transport = new SshTransport({ baseDir: path.dirname(p.manifest) });
    try {
      return await deploy({
        manifestPath: p.manifest,
        hosts: p.hosts,
        dryRun: p.dryRun,
        force: p.force,
        transport,
        signal: ac.signal,
        onEvent: (event: DeployEvent) => void connection.sendNotification(DEPLOY_EVENT, event),
        confirm: async (plan: DeployPlan) => (p.dryRun ? true : Boolean(await connection.sendRequest<boolean>(DEPLOY_CONFIRM, plan))),
      });
    } finally {
      sub.dispose();
      await transport.close();
    }
  });
}
