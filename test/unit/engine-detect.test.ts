import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage, languageFromContent, languageFromPath } from '../../server/src/engine/detect';

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
  assert.equal(detectLanguage('x.txt', 'frontend a\n bind :80\n'), 'haproxy');
});
