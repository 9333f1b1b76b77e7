// A workspace's own settings cannot turn on haconf.validateWithLocalTools (it runs programs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pinLocalTools, userLevelLocalTools } from '../../client/src/settings';

test('package.json declares haconf.validateWithLocalTools machine-scoped, so VS Code ignores workspace and folder values', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
  const scope = pkg.contributes.configuration.properties['haconf.validateWithLocalTools'].scope;
  assert.ok(scope === 'machine' || scope === 'application', `scope is ${scope}`);
});

test('only the user-level value turns local tools on; a workspace or folder value is ignored', () => {
  assert.equal(userLevelLocalTools({ defaultValue: false, workspaceValue: true }), false);
  assert.equal(userLevelLocalTools({ defaultValue: false, workspaceFolderValue: true }), false);
  assert.equal(userLevelLocalTools({ defaultValue: false, globalValue: true, workspaceValue: false }), true);
  assert.equal(userLevelLocalTools({ defaultValue: false, globalValue: 'true' }), false);
  assert.equal(userLevelLocalTools(undefined), false);
});

test('the answer to workspace/configuration carries the user-level value, whichever way the server asks', () => {
  const merged = { haproxy: { version: '2.6' }, validateWithLocalTools: true };
  assert.deepEqual(pinLocalTools([{ section: 'haconf' }], [merged], false), [{ haproxy: { version: '2.6' }, validateWithLocalTools: false }]);
  assert.deepEqual(pinLocalTools([{ section: 'haconf.validateWithLocalTools' }], [true], false), [false]);
  assert.deepEqual(pinLocalTools([{}], [{ haconf: merged, editor: { x: 1 } }], false), [{ haconf: { haproxy: { version: '2.6' }, validateWithLocalTools: false }, editor: { x: 1 } }]);
  assert.deepEqual(pinLocalTools([{ section: 'editor' }], [{ tabSize: 2 }], false), [{ tabSize: 2 }]);
  assert.deepEqual(pinLocalTools([{ section: 'haconf' }], [{ validateWithLocalTools: false }], true), [{ validateWithLocalTools: true }]);
});
