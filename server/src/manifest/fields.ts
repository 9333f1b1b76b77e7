// The manifest's shape, declared once. The validator (validate.ts) walks it, and
// scripts/gen-manifest-schema.ts turns it into schemas/haconf.schema.json for YAML editors, so the
// two can never disagree.

export type FieldSpec =
  | { type: 'string'; description: string; enum?: string[]; pattern?: string; format?: 'address' | 'ip' | 'path' | 'command' }
  | { type: 'integer'; description: string; minimum?: number; maximum?: number }
  | { type: 'boolean'; description: string }
  | { type: 'array'; description: string; items: FieldSpec; minItems?: number }
  | { type: 'object'; description: string; properties: Record<string, FieldSpec>; required?: string[]; additional?: FieldSpec };

const ssh: FieldSpec = {
  type: 'object',
  description: 'How to reach the host with the system OpenSSH client (your ~/.ssh/config, agent and known_hosts apply).',
  properties: {
    host: { type: 'string', description: 'Host name or address to connect to, when it differs from the host address (e.g. an ~/.ssh/config alias).' },
    user: { type: 'string', description: 'Remote user.', pattern: '^[a-z_][a-z0-9_.-]*$' },
    port: { type: 'integer', description: 'SSH port.', minimum: 1, maximum: 65535 },
    identityFile: { type: 'string', description: 'Private key file (~ expands to your home).', format: 'path' },
    knownHostsFile: { type: 'string', description: 'known_hosts file to check host keys against.', format: 'path' },
    strictHostKeyChecking: { type: 'string', description: 'Host key policy: "yes" (default) or "accept-new" (trust on first use).', enum: ['yes', 'accept-new'] },
    connectTimeout: { type: 'integer', description: 'Seconds to wait for a connection.', minimum: 1, maximum: 300 },
  },
};

const service: FieldSpec = {
  type: 'object',
  description: 'Commands run on the host for one kind of file. {file} is replaced with the (quoted) candidate path.',
  properties: {
    validate: { type: 'string', description: 'Checks a candidate file before anything is replaced; must contain {file}.', format: 'command' },
    reload: { type: 'string', description: 'Applies the new file.', format: 'command' },
    status: { type: 'string', description: 'Optional health check after the reload; non-zero exit means unhealthy.', format: 'command' },
  },
};

const services: FieldSpec = {
  type: 'object',
  description: 'Service commands per file kind.',
  properties: { haproxy: service, keepalived: service, corosync: service },
};

const file: FieldSpec = {
  type: 'object',
  description: 'A local file and where it goes on the host.',
  properties: {
    source: { type: 'string', description: 'Path of the local file, relative to haconf.yaml.', format: 'path' },
    target: { type: 'string', description: 'Absolute path on the host.', format: 'path' },
    kind: { type: 'string', description: 'File kind when the name does not tell.', enum: ['haproxy', 'keepalived', 'corosync'] },
    mode: { type: 'string', description: 'Octal mode for a new target, e.g. "0600". Existing targets keep theirs.', pattern: '^0?[0-7]{3}$' },
  },
  required: ['source', 'target'],
};

const files: FieldSpec = { type: 'array', description: 'Files deployed to the host.', items: file };

const haproxy: FieldSpec = {
  type: 'object',
  description: 'HAProxy on the nodes.',
  properties: {
    version: { type: 'string', description: 'HAProxy version the checks target, e.g. "3.0" (quoted). Beats the versions recorded from the hosts and the local binary.', pattern: '^v?\\d+\\.\\d+' },
  },
};

const keepalived: FieldSpec = {
  type: 'object',
  description: 'keepalived on the nodes.',
  properties: {
    version: { type: 'string', description: 'keepalived version the checks target, e.g. "2.2" (quoted). Beats the versions recorded from the hosts and the local binary.', pattern: '^v?\\d+\\.\\d+' },
  },
};

export const MANIFEST_SPEC: FieldSpec = {
  type: 'object',
  description: 'haconf cluster manifest: the hosts of one HA cluster, which file goes where, and how to reach them.',
  properties: {
    cluster: { type: 'string', description: 'Cluster name.', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
    haproxy,
    keepalived,
    defaults: {
      type: 'object',
      description: 'Merged into every host (host values win; file lists are concatenated).',
      properties: { ssh, files, services },
    },
    hosts: {
      type: 'array',
      description: 'The cluster nodes.',
      minItems: 1,
      items: {
        type: 'object',
        description: 'One node.',
        properties: {
          name: { type: 'string', description: 'Node name, unique in the cluster.', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
          address: { type: 'string', description: 'Address with prefix, e.g. 172.16.10.100/24: used for ssh and subnet checks.', format: 'address' },
          ssh,
          files,
          services,
          haproxy,
          keepalived,
        },
        required: ['name', 'address'],
      },
    },
    kubernetes: {
      type: 'object',
      description: 'What sits behind the load balancers (optional).',
      properties: {
        workers: { type: 'array', description: 'Worker node addresses the backends should cover.', items: { type: 'string', description: 'Worker address.', format: 'ip' } },
        nodePorts: { type: 'array', description: 'NodePorts the Services expose.', items: { type: 'integer', description: 'A NodePort.', minimum: 1, maximum: 65535 } },
        manifests: {
          type: 'array',
          description: 'Globs of Kubernetes YAML files whose Service nodePorts count.',
          items: { type: 'string', description: 'Glob relative to haconf.yaml.', format: 'path' },
        },
      },
    },
    inventory: {
      type: 'object',
      description: 'The Ansible inventory the Jinja2 templates under this folder are rendered with (instead of the one found from ansible.cfg or the usual names). See docs/templates.md.',
      properties: {
        path: { type: 'string', description: 'Inventory file or folder, relative to haconf.yaml.', format: 'path' },
        group: {
          type: 'string',
          description: 'The inventory group (or host) whose hosts each template is rendered for, instead of the hosts of the plays that use the template.',
          pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$',
        },
      },
      required: ['path'],
    },
    deploy: {
      type: 'object',
      description: 'Deploy behaviour.',
      properties: {
        settleSeconds: { type: 'integer', description: 'Seconds to wait for VRRP to settle after each host.', minimum: 0, maximum: 600 },
        keepBackups: { type: 'integer', description: 'Timestamped backups kept per target.', minimum: 1, maximum: 100 },
        auditLog: { type: 'string', description: 'Local JSONL audit log, relative to haconf.yaml.', format: 'path' },
      },
    },
  },
  required: ['cluster', 'hosts'],
};
