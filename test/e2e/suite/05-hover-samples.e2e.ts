// Hover on sample fetches and ACL keywords in real VS Code (issue 16): `path_beg` in `acl x path_beg /api`
// shows our description of the match method and of the fetch, the signature, the version status for the
// target and the manual anchor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { hoverText, openEditor, positionOf } from './helpers';

describe('hover on sample fetches', () => {
  it('describes path_beg in an ACL with its match method and the fetch it reads', async () => {
    const editor = await openEditor('haproxy.cfg');
    const pos = positionOf(editor.document, 'acl is_api path_beg /api', 'acl is_api path_'.length);
    const text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? []);
    assert.match(text, /\*\*`path_beg`\*\* — ACL keyword: `path` matched with `-m beg`/, text.slice(0, 400));
    assert.match(text, /Prefix match: the sample starts with a pattern/, 'the match method in our own words');
    assert.match(text, /`path`: Returns the path of the request URI/, 'the fetch it reads');
    assert.match(text, /Usable in: request rules/);
    assert.match(text, /Versions: .*\(your target\)/);
    assert.match(text, /docs\.haproxy\.org\/\d\.\d+\/configuration\.html#7\.3\.6-path\)/, 'the manual anchor of the fetch');
  });
});
