import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileAssociations, detectLanguage, languageFromContent, languageFromPath } from '../../server/src/engine/detect';
import { collectFiles, walkConfigs } from '../../server/src/engine/collect';

test('names and folders', () => {
  assert.equal(languageFromPath('/etc/haproxy/haproxy.cfg'), 'haproxy');
  assert.equal(languageFromPath('haproxy-edge.cfg'), 'haproxy');
  assert.equal(languageFromPath('x/site.haproxy'), 'haproxy');
  assert.equal(languageFromPath('conf/haproxy/10-frontends.cfg'), 'haproxy');
  assert.equal(languageFromPath('keepalived.conf'), 'keepalived');
  assert.equal(languageFromPath('/etc/keepalived/conf.d/vip.conf'), 'keepalived');
  assert.equal(languageFromPath('corosync-3node.conf'), 'corosync');
  assert.equal(languageFromPath('/etc/corosync/uidgid.d/x.conf'), 'corosync');
  assert.equal(languageFromPath('nginx.conf'), undefined);
  assert.equal(languageFromPath('haproxy/readme.txt'), undefined);
});

test('content', () => {
  assert.equal(languageFromContent('global\n  daemon\ndefaults\n  mode http\n'), 'haproxy');
  assert.equal(languageFromContent('! Configuration\nvrrp_instance VI_1 {\n state MASTER\n}\n'), 'keepalived');
  assert.equal(languageFromContent('totem {\n version: 2\n}\nquorum {\n provider: corosync_votequorum\n}\n'), 'corosync');
  assert.equal(languageFromContent('server {\n listen 80;\n}\n'), undefined);
  assert.equal(detectLanguage('x.cfg', 'frontend a\n bind :80\n'), 'haproxy');
  // Content decides only for *.cfg / *.conf: a text file that looks like HAProxy is still not a config.
  assert.equal(detectLanguage('x.txt', 'frontend a\n bind :80\n'), undefined);
});

// Issue 12 item 1: YAML files changed on disk were checked as corosync.conf ("totem has no version: 2").
const VALUES_YAML = 'replicaCount: 2\nimage:\n  repository: nginx\n  tag: stable\nservice:\n  type: ClusterIP\n  port: 80\n';
const COMPOSE_YAML = 'version: "3.8"\nservices:\n  lb:\n    image: haproxy:2.8\n    ports:\n      - "80:80"\n    restart: always\n';
const K8S_SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ingress\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n';

test('YAML, JSON and other non-.cfg/.conf files are never recognised by content', () => {
  for (const [name, text] of [
    ['values.yaml', VALUES_YAML],
    ['docker-compose.yml', COMPOSE_YAML],
    ['svc.yaml', K8S_SERVICE],
    ['x.json', '{"totem": {"version": 2}}'],
    ['notes.txt', 'totem {\n version: 2\n}\n'],
  ] as const) {
    assert.equal(detectLanguage(`/w/${name}`, text), undefined, name);
  }
  // A YAML file under a corosync/ folder is still not corosync.conf: folders only name *.conf files.
  assert.equal(detectLanguage('/w/corosync/values.yaml', VALUES_YAML), undefined);
  assert.equal(detectLanguage('/w/totem.conf', 'totem {\n version: 2\n}\n'), 'corosync');
});

test('content needs a structural anchor: ntp.conf, named.conf and YAML-ish .conf files are not configs', () => {
  assert.equal(languageFromContent('server 0.pool.ntp.org iburst\nserver 1.pool.ntp.org iburst\nserver 2.pool.ntp.org iburst\ndriftfile /var/lib/ntp/drift\n'), undefined);
  assert.equal(languageFromContent('logging {\n    channel default_log {\n        file "/var/log/named.log";\n        severity info;\n    };\n};\n'), undefined);
  assert.equal(languageFromContent(VALUES_YAML), undefined);
  assert.equal(languageFromContent('nodelist {\n  node {\n    ring0_addr: 10.0.0.1\n    nodeid: 1\n  }\n}\n'), 'corosync');
});

test('haconf.files.associations: globs per language, name-only or whole-path, last match wins', () => {
  const assoc = compileAssociations({ '**/lb/*.txt': 'keepalived', 'edge.cfg': 'haproxy', 'lb2/*.vrrp': 'keepalived', 'bad.cfg': 'nginx', '': 'haproxy' });
  assert.equal(assoc.length, 3, 'unknown languages and empty globs are dropped');
  assert.equal(languageFromPath('/srv/lb/peer.txt', assoc), 'keepalived');
  assert.equal(languageFromPath('/srv/other/peer.txt', assoc), undefined);
  assert.equal(languageFromPath('/anywhere/edge.cfg', assoc), 'haproxy');
  assert.equal(languageFromPath('/srv/x/lb2/a.vrrp', assoc), 'keepalived', 'a relative whole-path glob matches at any depth');
  // An association wins over the built-in names and over content.
  assert.equal(detectLanguage('/srv/lb/haproxy-notes.txt', 'frontend a\n', assoc), 'keepalived');
  assert.equal(detectLanguage('/srv/keepalived/edge.cfg', 'vrrp_instance V {\n}\n', assoc), 'haproxy');
  assert.equal(compileAssociations(null).length, 0);
});

test('the walk takes configs by name or content and never YAML', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-detect-'));
  try {
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), COMPOSE_YAML);
    fs.writeFileSync(path.join(dir, 'values.yaml'), VALUES_YAML);
    fs.writeFileSync(path.join(dir, 'lb.cfg'), 'frontend a\n    bind :80\n');
    fs.writeFileSync(path.join(dir, 'peer.txt'), 'vrrp_instance V {\n}\n');
    const plain = collectFiles([dir]);
    assert.deepEqual(
      plain.files.map((f) => [path.basename(f.file), f.language]),
      [['lb.cfg', 'haproxy']],
    );
    const associated = collectFiles([dir], dir, { associations: compileAssociations({ '*.txt': 'keepalived' }) });
    assert.deepEqual(associated.files.map((f) => path.basename(f.file)).sort(), ['lb.cfg', 'peer.txt']);
    const events = [...walkConfigs(dir, dir)].filter((e) => e.kind === 'config').map((e) => e.kind === 'config' && path.basename(e.file));
    assert.deepEqual(events, ['lb.cfg']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
