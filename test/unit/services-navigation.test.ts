import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definition, references, rename, prepareRename, RenameError } from '../../server/src/services';
import { applyEdits } from '../../server/src/services/format';
import { workspace, HAPROXY } from './services-helpers';

test('haproxy: backend definition, references and rename', () => {
  const w = workspace({ 'haproxy.cfg': HAPROXY });
  try {
    const f = w.file('haproxy.cfg');
    const use = { line: 14, character: 21 }; // default_backend web
    assert.deepEqual(definition(w.model, f, use), [{ file: f, range: { start: { line: 22, character: 8 }, end: { line: 22, character: 11 } } }]);
    const refs = references(w.model, f, use, true).map((l) => l.range.start.line);
    assert.deepEqual(
      refs.sort((a, b) => a - b),
      [14, 22, 25],
      'default_backend, the header and the track target',
    );
    assert.deepEqual(prepareRename(w.model, f, use)?.placeholder, 'web');
    const edit = rename(w.model, f, use, 'site')!;
    const out = applyEdits(HAPROXY, edit[f]);
    assert.match(out, /default_backend site\n/);
    assert.match(out, /backend site\n/);
    assert.match(out, /track site\/w1\n/);
    assert.throws(() => rename(w.model, f, use, 'a b'), RenameError);
  } finally {
    w.cleanup();
  }
});

test('haproxy: ACLs are scoped to their section; servers and userlists', () => {
  const w = workspace({ 'haproxy.cfg': HAPROXY });
  try {
    const f = w.file('haproxy.cfg');
    const inWww = references(w.model, f, { line: 13, character: 25 }, true).map((l) => l.range.start.line);
    assert.deepEqual(
      inWww.sort((a, b) => a - b),
      [11, 12, 13],
      'two definitions and the use, not the admin frontend',
    );
    const inAdmin = references(w.model, f, { line: 20, character: 24 }, true).map((l) => l.range.start.line);
    assert.deepEqual(
      inAdmin.sort((a, b) => a - b),
      [18, 20],
      '`!is_api` refers to the admin ACL',
    );
    const negated = rename(w.model, f, { line: 20, character: 24 }, 'is_admin')!;
    assert.match(applyEdits(HAPROXY, negated[f]), /use_backend api if !is_admin\n/);
    const srv = references(w.model, f, { line: 24, character: 12 }, true).map((l) => `${l.range.start.line}:${l.range.start.character}`);
    assert.deepEqual(srv.sort(), ['24:11', '25:44'], 'server w1 and `track web/w1`');
    const ul = definition(w.model, f, { line: 19, character: 50 });
    assert.equal(ul[0]?.range.start.line, 30, 'http_auth(ops) goes to userlist ops');
  } finally {
    w.cleanup();
  }
});

test('keepalived: a vrrp_script renamed across an include', () => {
  const main =
    'include /INC\nvrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    virtual_ipaddress {\n        10.0.0.1\n    }\n    track_script {\n        chk\n    }\n}\n';
  const inc = 'vrrp_script chk {\n    script "/bin/true"\n}\n';
  const w = workspace({ 'keepalived/scripts.inc': inc, 'keepalived/keepalived.conf': 'x' });
  try {
    const f = w.file('keepalived/keepalived.conf');
    const incFile = w.file('keepalived/scripts.inc');
    w.model.setBuffer(f, main.replace('/INC', incFile), 'keepalived');
    w.model.refresh([f]);
    const defs = definition(w.model, f, { line: 10, character: 9 });
    assert.deepEqual(defs, [{ file: incFile, range: { start: { line: 0, character: 12 }, end: { line: 0, character: 15 } } }]);
    const edit = rename(w.model, f, { line: 10, character: 9 }, 'chk_haproxy')!;
    assert.deepEqual(Object.keys(edit).sort(), [f, incFile].sort());
    assert.equal(applyEdits(inc, edit[incFile]).split('\n')[0], 'vrrp_script chk_haproxy {');
    // From the include's side too.
    assert.equal(references(w.model, incFile, { line: 0, character: 13 }, false).length, 1);
  } finally {
    w.cleanup();
  }
});
