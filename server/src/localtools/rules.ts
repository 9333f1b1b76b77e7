import type { RuleMeta } from '../core/types';

const meta = (lang: string, tool: string): RuleMeta => ({
  code: `${lang}/local-tool`,
  defaultSeverity: 'error',
  summary: `What the local \`${tool}\` said about the saved file (opt-in: haconf.validateWithLocalTools).`,
  rationale: `The daemon's own checker is the final word on what it will load; running it on save catches what depends on this machine's build and files (certificates, interfaces, users). Only in trusted workspaces, only when turned on in user (not workspace) settings, only with a program from an absolute PATH folder outside the workspace; \`haproxy -c\` is not run on a file with \`lua-load\` or other directives that load code (an information finding says so). Where it flags a line haconf already flags, its words join haconf's finding (as related information, at the more severe level) instead of a second squiggle.`,
  example: `# a certificate the host does not have\nbind :443 ssl crt /etc/haproxy/missing.pem`,
});

export const LOCAL_TOOL_RULES: RuleMeta[] = [meta('haproxy', 'haproxy -c'), meta('keepalived', 'keepalived -t'), meta('corosync', 'corosync -t')];
