import * as path from 'node:path';
import { ResponseError, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { adoptFromHost, drift } from '../deploy/drift';
import { DeployUsageError } from '../deploy/plan';
import { UnsafeValueError } from '../deploy/quote';
import { SshTransport } from '../deploy/ssh';
import type { WorkspaceModel } from '../engine/model';

import { DRIFT, DRIFT_ADOPT } from '../protocol';
import { onRequest } from './customMethods';

/**
 * Drift over LSP, so the VS Code command needs no engine of its own. Both requests contact hosts over ssh
 * and the second writes a workspace file: refused in Restricted Mode, and only for a manifest the server
 * knows (a haconf.yaml of the open folders), never an arbitrary path a client names. The server never
 * checks drift by itself: only when asked.
 */
export function registerDriftRequests(connection: Connection, model: () => WorkspaceModel, isTrusted: () => boolean): void {
  const knownManifest = (what: string, manifest: unknown): string => {
    if (!isTrusted()) throw new ResponseError(ErrorCodes.InvalidRequest, `haconf: ${what} is refused in Restricted Mode; trust this workspace first.`);
    if (typeof manifest !== 'string' || !path.isAbsolute(manifest)) throw new ResponseError(ErrorCodes.InvalidParams, `haconf: ${what} needs the absolute path of a haconf.yaml`);
    const known = model().clusters.some((c) => c.manifest?.file === manifest);
    if (!known) throw new ResponseError(ErrorCodes.InvalidParams, `haconf: ${manifest} is not a haconf.yaml of this workspace (or has no hosts); open its folder first`);
    return manifest;
  };
  /** Usage problems (manifest errors, unknown host, unsafe path) are answers for the user, not crashes. */
  const asResponse = (e: unknown): never => {
    if (e instanceof DeployUsageError || e instanceof UnsafeValueError) throw new ResponseError(ErrorCodes.InvalidParams, `haconf: ${e.message}`);
    throw e;
  };

  onRequest(connection, DRIFT, async (p) => {
    const manifest = knownManifest('checking drift', p?.manifest);
    if (p.hosts !== undefined && !(Array.isArray(p.hosts) && p.hosts.every((h) => typeof h === 'string')))
      throw new ResponseError(ErrorCodes.InvalidParams, 'haconf: hosts must be a list of host names');
    const transport = new SshTransport({ baseDir: path.dirname(manifest) });
    try {
      return await drift({ manifestPath: manifest, hosts: p.hosts, transport });
    } catch (e) {
      return asResponse(e);
    } finally {
      await transport.close();
    }
  });

  onRequest(connection, DRIFT_ADOPT, async (p) => {
    const manifest = knownManifest("adopting a host's file", p?.manifest);
    if (typeof p.host !== 'string' || typeof p.source !== 'string' || (p.expectedSha256 !== undefined && typeof p.expectedSha256 !== 'string')) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'haconf: driftAdopt needs host, source and (optionally) expectedSha256 as strings');
    }
    const transport = new SshTransport({ baseDir: path.dirname(manifest) });
    try {
      return await adoptFromHost({ manifestPath: manifest, host: p.host, source: p.source, expectedSha256: p.expectedSha256, transport });
    } catch (e) {
      return asResponse(e);
    } finally {
      await transport.close();
    }
  });
}
