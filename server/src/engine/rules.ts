import type { RuleMeta } from '../core/types';
import { LANGUAGE_MODULES } from './languages';
import { CLUSTER_RULES } from '../cluster/rules';
import { MANIFEST_RULES } from '../manifest/rules';
import { LOCAL_TOOL_RULES } from '../localtools/rules';

/** Every rule the engine knows, in catalogue order. */
export function allRules(): RuleMeta[] {
  return [
    ...LANGUAGE_MODULES.haproxy.rules,
    ...LANGUAGE_MODULES.keepalived.rules,
    ...LANGUAGE_MODULES.corosync.rules,
    ...CLUSTER_RULES,
    ...MANIFEST_RULES,
    ...LOCAL_TOOL_RULES,
  ];
}

export function ruleDocUrl(code: string): string {
  return `https://github.com/haconf/haconf/blob/main/docs/rules.md#${code.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}
