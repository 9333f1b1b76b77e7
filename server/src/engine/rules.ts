import type { RuleMeta } from '../core/types';
import { LANGUAGE_MODULES } from './languages';
import { CLUSTER_RULES, clusterRules } from '../cluster/rules';
import { MANIFEST_RULES } from '../manifest/rules';
import { LOCAL_TOOL_RULES } from '../localtools/rules';
import { TEMPLATE_RULES } from '../templates/rules';
import { haproxyRules } from '../haproxy/rules';
import { keepalivedRules } from '../keepalived/rules';
import { corosyncRules } from '../corosync/rules';

/**
 * Every rule the engine knows, in catalogue order: the one list docs/rules.md, SARIF and the editor's code
 * links read. Each layer's codes come from its registry (core/rule.ts), followed by the text rules every
 * language shares (engine/languages.ts) and the layer's internal-error code; the manifest, template and
 * local-tool codes are reported by their loaders (manifest/load.ts, templates/workspace.ts, localtools/), not by rules.
 */
export function allRules(): RuleMeta[] {
  return [
    ...LANGUAGE_MODULES.haproxy.rules,
    haproxyRules.internalError,
    ...LANGUAGE_MODULES.keepalived.rules,
    keepalivedRules.internalError,
    ...LANGUAGE_MODULES.corosync.rules,
    corosyncRules.internalError,
    ...CLUSTER_RULES,
    clusterRules.internalError,
    ...MANIFEST_RULES,
    ...TEMPLATE_RULES,
    ...LOCAL_TOOL_RULES,
  ];
}

export function ruleDocUrl(code: string): string {
  return `https://github.com/haconf/haconf/blob/main/docs/rules.md#${code.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}
