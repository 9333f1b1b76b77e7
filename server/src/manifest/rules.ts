import type { RuleMeta } from '../core/types';

export const MANIFEST_RULES: RuleMeta[] = [
  {
    code: 'manifest/syntax',
    defaultSeverity: 'error',
    summary: 'haconf.yaml is not valid YAML.',
    rationale: 'Nothing in the manifest can be trusted until it parses; cross-node checks and deploys are off for this cluster until it does.',
    example: 'hosts:\n  - name: master1\n   address: 10.0.0.11/24   # wrong indentation',
  },
  {
    code: 'manifest/unknown-field',
    defaultSeverity: 'error',
    summary: 'A field the manifest format does not define, usually a typo.',
    rationale: 'A misspelt field is silently ignored by most YAML tools; here it would mean, for example, a host without its ssh settings or files.',
    example: 'hosts:\n  - name: master1\n    adress: 10.0.0.11/24',
  },
  {
    code: 'manifest/missing-field',
    defaultSeverity: 'error',
    summary: 'A required field is absent (cluster, hosts, a host name or address, a file source or target).',
    rationale: 'Without them haconf cannot tell which files belong to which node, so it cannot check the cluster or deploy it.',
    example: 'hosts:\n  - name: master1',
  },
  {
    code: 'manifest/invalid-value',
    defaultSeverity: 'error',
    summary: 'A value of the wrong type, outside its range, not in its list, or two files aimed at one target.',
    rationale: 'Bad values would surface mid-deploy (an ssh port of 70000, a validate command without {file} that checks the live file instead of the candidate).',
    example: 'defaults:\n  ssh: { port: 70000 }',
  },
  {
    code: 'manifest/missing-source',
    defaultSeverity: 'error',
    summary: 'A file mapping names a local source that does not exist.',
    rationale: 'A deploy would fail halfway, or a node would silently keep an old file.',
    example: 'files:\n  - { source: master1/keepalived.conf, target: /etc/keepalived/keepalived.conf }   # no such file',
  },
  {
    code: 'manifest/duplicate-host',
    defaultSeverity: 'error',
    summary: 'Two hosts share a name or an address.',
    rationale: 'Peers are matched by address: a copy-pasted host makes unicast peer lists, corosync membership and the deploy order wrong.',
    example: 'hosts:\n  - { name: master1, address: 10.0.0.11/24 }\n  - { name: master2, address: 10.0.0.11/24 }',
  },
  {
    code: 'manifest/invalid-address',
    defaultSeverity: 'error',
    summary: 'A host or worker address is not an IP address (hosts should also carry a /prefix).',
    rationale: 'Addresses drive the VIP subnet, unicast peer and NodePort backend checks; without a prefix the subnet check cannot run.',
    example: 'hosts:\n  - { name: master1, address: master1.local }',
  },
  {
    code: 'manifest/unsafe-path',
    defaultSeverity: 'error',
    summary: 'A target path that is relative, has .. segments, or holds characters outside the allow-list.',
    rationale: 'Target paths become arguments of commands run as root on the hosts; a path like `/etc/x; rm -rf /` must never reach a shell.',
    example: 'files:\n  - { source: haproxy.cfg, target: "/etc/haproxy/haproxy.cfg; rm -rf /" }',
  },
];
