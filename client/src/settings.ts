// haconf.validateWithLocalTools makes the server run programs (haproxy -c, keepalived -t, corosync -t).
// A cloned repository's .vscode/settings.json must not be able to switch that on: the setting is declared
// with "scope": "machine" in package.json (VS Code then ignores workspace and folder values), and, in case
// an editor build or a future scope change lets one through, the client answers the server's
// workspace/configuration requests with the user-level value only. No `vscode` import: unit-tested.

export const LOCAL_TOOLS_KEY = 'validateWithLocalTools';

/** What `WorkspaceConfiguration.inspect()` reports for one key (only the fields used here). */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** True only when the user (or machine) settings turn local tools on; workspace and folder values are ignored. */
export function userLevelLocalTools(inspected: InspectedSetting | undefined): boolean {
  return inspected?.globalValue === true;
}

/**
 * Rewrites the answer to a workspace/configuration request so `haconf.validateWithLocalTools` (asked for
 * as part of the `haconf` section, or on its own) carries `userValue`, whatever the merged value was.
 */
export function pinLocalTools(items: { section?: string }[], answers: unknown[], userValue: boolean): unknown[] {
  return answers.map((answer, i) => {
    const section = items[i]?.section;
    if (section === `haconf.${LOCAL_TOOLS_KEY}`) return userValue;
    if (section === 'haconf' && answer && typeof answer === 'object') return { ...(answer as Record<string, unknown>), [LOCAL_TOOLS_KEY]: userValue };
    if ((section === undefined || section === '') && answer && typeof answer === 'object') {
      const all = answer as Record<string, unknown>;
      const haconf = all.haconf;
      if (haconf && typeof haconf === 'object') return { ...all, haconf: { ...(haconf as Record<string, unknown>), [LOCAL_TOOLS_KEY]: userValue } };
    }
    return answer;
  });
}
