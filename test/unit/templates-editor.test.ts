import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceModel } from '../../server/src/engine/model';
import { hover } from '../../server/src/services';
import { defaultCheckOptions } from '../../server/src/core/types';

const EXAMPLE = path.resolve(__dirname, '../../examples/ansible-role');

function copyExample(): { root: string; model: WorkspaceModel; cleanup: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-tpl-ed-')));
  fs.cpSync(EXAMPLE, path.join(root, 'ansible-role'), { recursive: true });
  const model = new WorkspaceModel(undefined, defaultCheckOptions());
  model.scan([root]);
  return { root, model, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

test('editor model: the VRID mismatch of one host_vars file is on the template line, with a quick fix that edits the variable file', () => {
  const w = copyExample();
  try {
    const tpl = path.join(w.root, 'ansible-role/roles/lb/templates/keepalived.conf.j2');
    const ds = w.model.diagnostics(tpl);
    const d = ds.find((x) => x.code === 'cluster/vrid-mismatch');
    assert.ok(d, JSON.stringify(ds.map((x) => x.code)));
    assert.equal(d.range.start.line, 16);
    assert.match(d.message, /^lb2: virtual_router_id 52/);
    const vars = path.join(w.root, 'ansible-role/inventory/host_vars/lb2.yml');
    assert.equal(d.fixes?.[0].file, vars);
    // No finding is left on a rendered (virtual) file.
    assert.ok(
      w.model.knownFiles().every((f) => !f.includes('.haconf-rendered')),
      w.model.knownFiles().join('\n'),
    );
    // Applying the fix makes the example clean.
    const edit = d.fixes![0].edits[0];
    const lines = fs.readFileSync(vars, 'utf8').split('\n');
    const l = lines[edit.range.start.line];
    lines[edit.range.start.line] = l.slice(0, edit.range.start.character) + edit.newText + l.slice(edit.range.end.character);
    fs.writeFileSync(vars, lines.join('\n'));
    // What the server does when the watcher reports the saved variable file: the template is re-published.
    const touched = w.model.refresh(w.model.diskChanged(vars));
    assert.ok(touched.includes(tpl), touched.join('\n'));
    assert.deepEqual(
      w.model
        .diagnostics(tpl)
        .filter((x) => x.severity === 'error')
        .map((x) => x.message),
      [],
    );
  } finally {
    w.cleanup();
  }
});

test('editor model: hover on {{ keepalived_vrid }} shows its value per host and where it is set', () => {
  const w = copyExample();
  try {
    const tpl = path.join(w.root, 'ansible-role/roles/lb/templates/keepalived.conf.j2');
    const h = hover(w.model, tpl, { line: 16, character: 26 });
    assert.ok(h);
    assert.match(h.markdown, /\| lb1 \| `51` \| group_vars\/lb\.yml:2 \|/);
    assert.match(h.markdown, /\| lb2 \| `52` \| host_vars\/lb2\.yml:3 \|/);
    const secret = hover(w.model, tpl, { line: 31, character: 22 });
    assert.ok(secret && /\(hidden\)/.test(secret.markdown) && !secret.markdown.includes('s3cretpw'), secret?.markdown);
  } finally {
    w.cleanup();
  }
});
