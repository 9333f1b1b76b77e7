import type { Language, Range } from '../core/types';
import type { Cidr } from '../core/net';

export interface SshSettings {
  host?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  knownHostsFile?: string;
  strictHostKeyChecking: 'yes' | 'accept-new';
  connectTimeout?: number;
}

export interface ServiceCommands {
  validate?: string;
  reload?: string;
  status?: string;
}

export interface ManifestFile {
  source: string;
  /** Absolute local path. */
  sourceAbs: string;
  target: string;
  kind?: Language;
  mode?: string;
  range: Range;
  sourceRange: Range;
  targetRange: Range;
}

export interface ManifestHost {
  name: string;
  nameRange: Range;
  /** As written, e.g. 172.16.10.100/24. */
  address: string;
  addressRange: Range;
  /** Parsed address; undefined when it is a host name or invalid. */
  cidr?: Cidr;
  ssh: SshSettings;
  files: ManifestFile[];
  services: Partial<Record<Language, ServiceCommands>>;
  /** `haproxy: { version }` of this host, as written. */
  haproxyVersion?: { value: string; range: Range };
  /** `keepalived: { version }` of this host, as written. */
  keepalivedVersion?: { value: string; range: Range };
  range: Range;
}

export interface KubernetesSpec {
  workers: { address: string; range: Range }[];
  /** `file` is set when the port comes from a Kubernetes Service manifest rather than haconf.yaml. */
  nodePorts: { port: number; range: Range; file?: string }[];
  manifests: { glob: string; range: Range }[];
}

export interface Manifest {
  /** Absolute path of haconf.yaml. */
  file: string;
  dir: string;
  cluster?: string;
  clusterRange?: Range;
  /** `haproxy: { version }` of the cluster, as written. */
  haproxyVersion?: { value: string; range: Range };
  /** `keepalived: { version }` of the cluster, as written. */
  keepalivedVersion?: { value: string; range: Range };
  hosts: ManifestHost[];
  kubernetes?: KubernetesSpec;
  /** `inventory:`: the Ansible inventory (absolute) and group the templates under `dir` render with. */
  inventory?: { path: string; group?: string; range: Range };
  deploy: { settleSeconds: number; keepBackups: number; auditLog: string };
}

export const DEFAULT_SERVICES: Record<Language, ServiceCommands> = {
  haproxy: { validate: 'haproxy -c -f {file}', reload: 'systemctl reload haproxy' },
  keepalived: { validate: 'keepalived -t -f {file}', reload: 'systemctl reload keepalived' },
  corosync: { validate: 'corosync -t -c {file}', reload: 'corosync-cfgtool -R' },
};
