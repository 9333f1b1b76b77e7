import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { workspace, keepalivedPeer } from './services-helpers';
import type { Diagnostic } from '../../server/src/core/types';
import type { WorkspaceModel } from '../../server/src/engine/model';
import { checkWorkspace } from '../../server/src/engine/workspace';
import { NodeSourceHost } from '../../server/src/core/sourceHost';
import { defaultCheckOptions } from '../../server/src/core/types';

/** What an editor shows: the model's findings of the files `refresh` returned, as the language server publishes them. */
class Editor {
  readonly shown = new Map<string, string>();
  constructor(private readonly model: WorkspaceModel) {
    this.publish(model.knownFiles());
  }
  publish(files: Iterable<string>): void {
    for (const f of files) this.shown.set(f, JSON.stringify(this.model.diagnostics(f)));
  }
  /** Files whose shown findings differ from the model's. */
  stale(): string[] {
    return this.model.knownFiles().filter((f) => (this.shown.get(f) ?? '[]') !== JSON.stringify(this.model.diagnostics(f)));
  }
}

const collisions = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'cluster/vrid-collision');

test("a vrid-collision that moves to another line is published again on the other cluster's file (per-file keys, not counts)", () => {
  // Two clusters on 10.0.0.0/24 (their VIPs differ) that both use VRID 51.
  const a = (state: string, prio: number) => keepalivedPeer(51, state, prio).replace('10.0.0.100/24', '10.0.0.10/24');
  const b = (state: string, prio: number) => keepalivedPeer(51, state, prio).replace('10.0.0.100/24', '10.0.0.20/24');
  const w = workspace({ 'a/n1/keepalived.conf': a('MASTER', 150), 'a/n2/keepalived.conf': a('BACKUP', 100), 'b/n1/keepalived.conf': b('MASTER', 150), 'b/n2/keepalived.conf': b('BACKUP', 100) });
  try {
    assert.equal(w.model.clusters.length, 2);
    const all = w.model.knownFiles().flatMap((f) => collisions(w.model.diagnostics(f)));
    assert.equal(all.length, 1, JSON.stringify(all));
    const finding = all[0];
    assert.ok(finding.related?.length, 'the collision points at the other cluster');
    // Edit the file the finding points at (not the file it is reported on).
    const moved = finding.related![0].file;
    const reported = finding.file;
    assert.notEqual(moved, reported);
    const editor = new Editor(w.model);
    const before = finding.related![0].range.start.line;
    w.model.setBuffer(moved, '# one\n# two\n# three\n' + w.model.textOf(moved)!);
    editor.publish(w.model.refresh([moved]));
    const now = collisions(w.model.diagnostics(reported));
    assert.equal(now.length, 1);
    assert.equal(now[0].related![0].range.start.line, before + 3, 'the model has the new location');
    assert.deepEqual(editor.stale(), [], 'every file shows what the model holds');
    // And back: the location moves up again.
    w.model.setBuffer(moved, w.model.textOf(moved)!.replace('# one\n# two\n# three\n', ''));
    editor.publish(w.model.refresh([moved]));
    assert.equal(collisions(w.model.diagnostics(reported))[0].related![0].range.start.line, before);
    assert.deepEqual(editor.stale(), []);
  } finally {
    w.cleanup();
  }
});

test('a manifest that cannot be read groups no cluster (as haconf check did), and its finding says why', () => {
  const w = workspace({ 'lb/n1/keepalived.conf': keepalivedPeer(51, 'MASTER', 150), 'lb/n2/keepalived.conf': keepalivedPeer(51, 'BACKUP', 100) });
  try {
    // A manifest the SourceHost refuses (a link into /proc).
    fs.symlinkSync('/proc/self/environ', w.file('lb/haconf.yaml'));
    w.model.scan([w.root]);
    assert.deepEqual(
      w.model.clusters.map((c) => c.origin),
      ['inferred'],
    );
    assert.ok(w.model.diagnostics(w.file('lb/haconf.yaml')).some((d) => d.code === 'manifest/syntax' && /not read/.test(d.message)));
    const ws = checkWorkspace(
      { files: [{ file: w.file('lb/n1/keepalived.conf') }, { file: w.file('lb/n2/keepalived.conf') }], manifests: [w.file('lb/haconf.yaml')] },
      defaultCheckOptions(),
      new NodeSourceHost(),
    );
    assert.deepEqual(
      ws.clusters.map((c) => c.origin),
      ['inferred'],
    );
    assert.equal(ws.manifests.length, 0);
  } finally {
    w.cleanup();
  }
});
