import type { Connection } from 'vscode-languageserver/node';
import type { WorkspaceModel } from '../engine/model';
import { knownHaproxyRange, knownHaproxyVersion, newerHaproxyVersions, planModelUpgrade } from '../engine/upgrade';
import { UPGRADE_PLAN, UPGRADE_VERSIONS, type UpgradePlan } from '../protocol';
import { onRequest } from './customMethods';

/**
 * The upgrade assistant's requests (engine/upgrade.ts): `haconf/upgradeVersions` says which branches are
 * newer than the version in force, `haconf/upgradePlan` answers the plan for one; the client shows it and
 * applies the edits as one reviewed workspace edit. Nothing is written here.
 */
export function registerUpgradeRequests(connection: Connection, model: () => WorkspaceModel): void {
  onRequest(connection, UPGRADE_VERSIONS, () => {
    const inForce = model().checkOptions.haproxyVersion;
    return { inForce, newer: newerHaproxyVersions(inForce) };
  });
  onRequest(connection, UPGRADE_PLAN, (params): UpgradePlan => {
    const m = model();
    const newest = newerHaproxyVersions('0.0').at(-1)!;
    const to = typeof params?.to === 'string' ? params.to : newest;
    if (!knownHaproxyVersion(to)) throw new Error(`HAProxy ${to} is not a branch haconf knows (${knownHaproxyRange()})`);
    const r = planModelUpgrade(m, to);
    return {
      from: r.from,
      to: r.to,
      clusters: r.clusters,
      files: r.files.map((f) => ({
        file: f.file,
        edits: f.edits,
        items: f.items.map((i) => ({ kind: i.kind, already: i.already, code: i.diagnostic.code, message: i.diagnostic.message, range: i.diagnostic.range, rewrite: i.rewrite ?? null })),
      })),
    };
  });
}
