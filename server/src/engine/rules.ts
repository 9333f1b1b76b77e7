import type { RuleMeta } from '../core/types';
import { LANGUAGE_MODULES } from './languages';

/** Every rule the engine knows, in catalogue order. */
export function allRules(): RuleMeta[] {
  return [
    ...LANGUAGE_MODULES.haproxy.rules,
    ...LANGUAGE_MODULES.keepalived.rules,
    ...LANGUAGE_MODULES.corosync.rules,
  ];
}

export function ruleDocUrl(code: string): string {
  return `https://github.com/haconf/haconf/blob/main/docs/rules.md#${code.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
}
