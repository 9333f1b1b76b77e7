import type { Diagnostic } from '../../core/types';
import type { KeepalivedDoc } from '../types';
import { RuleContext } from './context';
import { checkUnknownKeywords } from './keywords';
import { checkValues } from './values';
import { checkVrrp } from './vrrp';
import { checkScripts } from './scripts';

export { rules } from './meta';

/** Runs every per-file rule over a parsed document; parse findings come first. */
export function runRules(doc: KeepalivedDoc): Diagnostic[] {
  const ctx = new RuleContext(doc);
  checkUnknownKeywords(ctx);
  checkValues(ctx);
  checkVrrp(ctx);
  checkScripts(ctx);
  return [...doc.diagnostics, ...ctx.out];
}
