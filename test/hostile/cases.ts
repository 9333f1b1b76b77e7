// Hostile workspaces. Each case writes files into a fresh folder and names what to check (for the CLI)
// and which file an editor would open (for the language server).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Language } from '../../server/src/core/types';

export interface HostileCase {
  name: string;
  /** Populates `dir`; returns the CLI argument (relative to dir) and the file an editor opens, if any. */
  setup(dir: string): { target: string; open?: { file: string; language: Language } };
}

const FILE: Record<Language, string> = { haproxy: 'haproxy.cfg', keepalived: 'keepalived.conf', corosync: 'corosync.conf' };

const KEEPALIVED_BASE = `vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.100/24
    }
}
`;

function write(dir: string, rel: string, content: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

/** The same content as every language: a file named for it, opened as it. */
function perLanguage(name: string, content: () => string | Buffer): HostileCase[] {
  return (['haproxy', 'keepalived', 'corosync'] as Language[]).map((language) => ({
    name: `${name} (${language})`,
    setup(dir) {
      write(dir, FILE[language], content());
      return { target: FILE[language], open: { file: FILE[language], language } };
    },
  }));
}

/** Random bytes without NUL, so the binary short-cut does not hide the parsers. */
function randomText(bytes: number): Buffer {
  const b = crypto.randomBytes(bytes);
  for (let i = 0; i < b.length; i++) if (b[i] === 0) b[i] = 0x20;
  return b;
}

export const HOSTILE_CASES: HostileCase[] = [
  ...perLanguage('1 MB of random bytes', () => crypto.randomBytes(1 << 20)),
  ...perLanguage('1 MB of random bytes without NUL', () => randomText(1 << 20)),
  ...perLanguage('a 2 MB single line', () => 'a'.repeat(2 << 20)),
  ...perLanguage('100,000 opening braces', () => '{'.repeat(100000)),
  ...perLanguage('100,000 closing braces', () => '}'.repeat(100000)),
  ...perLanguage('100,000 opening braces, one per line', () => '{\n'.repeat(100000)),
  ...perLanguage('unterminated quotes', () => 'global\n    log "/dev/log local0\nvrrp_script x {\n    script "/bin/true\n}\ntotem {\n    cluster_name: "a\n'.repeat(2000)),
  {
    name: 'keepalived include of itself',
    setup(dir) {
      write(dir, 'keepalived.conf', `include keepalived.conf\n${KEEPALIVED_BASE}include ${path.join(dir, 'keepalived.conf')}\n`);
      return { target: 'keepalived.conf', open: { file: 'keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: 'keepalived include of a glob that matches itself',
    setup(dir) {
      write(dir, 'lb/keepalived.conf', `include *.conf\n${KEEPALIVED_BASE}`);
      write(dir, 'lb/other.conf', 'include *\ninclude ../l?/*.conf\ninclude /../{lb,x}/../lb/*\n'.replace('/../', `${dir}/`));
      return { target: 'lb/keepalived.conf', open: { file: 'lb/keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: '13 keepalived files that all include *.conf (millions of include paths)',
    setup(dir) {
      for (let i = 0; i < 13; i++) write(dir, `ka/f${i}.conf`, `include *.conf\nvrrp_script s${i} {\n    script "/bin/true"\n}\n`);
      write(dir, 'ka/keepalived.conf', `include f*.conf\n${KEEPALIVED_BASE}`);
      return { target: 'ka/keepalived.conf', open: { file: 'ka/keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: '300 keepalived files that each include all 300 (include fan-out)',
    setup(dir) {
      for (let i = 0; i < 300; i++) write(dir, `ka/conf.d/f${i}.conf`, `include ${dir}/ka/conf.d/*.conf\nvrrp_script s${i} {\n    script "/bin/true"\n}\n`);
      return { target: 'ka/conf.d', open: { file: 'ka/conf.d/f0.conf', language: 'keepalived' } };
    },
  },
  {
    name: 'keepalived include of /proc/self/environ, /proc/kmsg and /sys files',
    setup(dir) {
      write(dir, 'keepalived.conf', `include /proc/self/environ\ninclude /proc/kmsg\ninclude /sys/kernel/*\n${KEEPALIVED_BASE}`);
      return { target: 'keepalived.conf', open: { file: 'keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: 'keepalived include of /dev/zero, /dev/urandom and /proc/self/fd/0',
    setup(dir) {
      const lines = ['/dev/zero', '/dev/urandom', '/proc/self/fd/0', '/dev/std*', '/proc/self/fd/*', '/dev/zer?'].flatMap((p) => ['include', 'includer', 'includew'].map((k) => `${k} ${p}`));
      write(dir, 'keepalived.conf', `${lines.join('\n')}\n${KEEPALIVED_BASE}`);
      return { target: 'keepalived.conf', open: { file: 'keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: 'a directory named haproxy.cfg',
    setup(dir) {
      fs.mkdirSync(path.join(dir, 'haproxy.cfg', 'keepalived.conf'), { recursive: true });
      write(dir, 'haproxy.cfg/inner/haproxy.cfg', 'frontend f\n    bind :80\n');
      write(dir, 'keepalived.conf', 'include haproxy.cfg\ninclude haproxy.cfg/*\n' + KEEPALIVED_BASE);
      return { target: 'haproxy.cfg', open: { file: 'keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: 'a symlink loop in the workspace',
    setup(dir) {
      write(dir, 'lb/haproxy.cfg', 'frontend f\n    bind :80\n');
      fs.symlinkSync('..', path.join(dir, 'lb', 'up'));
      fs.symlinkSync('.', path.join(dir, 'lb', 'self'));
      fs.symlinkSync('loop-b.conf', path.join(dir, 'lb', 'keepalived.conf'));
      fs.symlinkSync('keepalived.conf', path.join(dir, 'lb', 'loop-b.conf'));
      fs.symlinkSync('corosync.conf', path.join(dir, 'corosync.conf'));
      write(dir, 'k/keepalived.conf', `include ../lb/keepalived.conf\ninclude ../lb/up/lb/self/*.conf\n${KEEPALIVED_BASE}`);
      return { target: '.', open: { file: 'k/keepalived.conf', language: 'keepalived' } };
    },
  },
  {
    name: '2,000 keepalived files that all use VI_1',
    setup(dir) {
      for (let i = 0; i < 2000; i++) {
        write(dir, `n${i}/keepalived.conf`, KEEPALIVED_BASE.replace('priority 100', `priority ${1 + (i % 254)}`));
      }
      return { target: '.', open: { file: 'n0/keepalived.conf', language: 'keepalived' } };
    },
  },
];

export function materialise(c: HostileCase): { dir: string; target: string; open?: { file: string; language: Language } } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-hostile-')));
  const r = c.setup(dir);
  return { dir, target: r.target, open: r.open && { file: path.join(dir, r.open.file), language: r.open.language } };
}
