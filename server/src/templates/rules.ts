// The codes the template layer reports itself (templates/workspace.ts). Findings on a rendered host keep
// the code of the language or cluster rule that found them; only what stopped a rendering has its own code.
import type { RuleMeta } from '../core/types';
import { severityOf } from '../core/rule';

export const TEMPLATE_NOT_RENDERED: RuleMeta = {
  code: 'template/not-rendered',
  defaultSeverity: 'information',
  summary:
    'A Jinja2 template could not be rendered for a host of its Ansible inventory (an undefined variable, a filter, lookup or test haconf does not evaluate, an unreadable inventory or vars file, an inventory named in haconf.yaml that does not exist, a haconf.yaml host the template is deployed to that is not in the inventory or has no inventory at all, the render budget exceeded); only the un-rendered check ran for that host, and `haconf deploy` refuses to ship the template to it.',
  rationale:
    'The per-host rendering is what lets haconf check a template against each node (VRIDs, priorities, peers from host_vars); when it is skipped the cross-node findings for that host are missing, and the note says so on the template line instead of silently showing a clean file.',
  example: '# roles/lb/templates/keepalived.conf.j2, with no vrid in host_vars/lb3.yml\nvirtual_router_id {{ vrid }}',
};

export const TEMPLATE_RULES: RuleMeta[] = [TEMPLATE_NOT_RENDERED];

/** Severity of a template note, from the metadata (a severity is never chosen at the call site). */
export const templateNoteSeverity = severityOf(TEMPLATE_NOT_RENDERED);
