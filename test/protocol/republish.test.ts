// Which files the language server publishes again after an edit (engine/model.ts compares a digest of each
// file's cross-file findings). A cluster/vrid-collision is reported on one cluster's file and points at
// the other cluster's: moving the colliding line must reach the file that shows the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, uri, type LspDiagnostic, type TestServer } from './client';
import { keepalivedPeer } from '../unit/services-helpers';

type Located = LspDiagnostic & { relatedInformation?: { location: { uri: string; range: { start: { line: number } } }; message: string }[] };

test("moving a colliding VRID line re-publishes the other cluster's file with the new related location", async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-republish-')));
  const a = (state: string, prio: number) => keepalivedPeer(51, state, prio).replace('10.0.0.100/24', '10.0.0.10/24');
  const b = (state: string, prio: number) => keepalivedPeer(51, state, prio).replace('10.0.0.100/24', '10.0.0.20/24');
  const files: Record<string, string> = {
    'a/n1/keepalived.conf': a('MASTER', 150),
    'a/n2/keepalived.conf': a('BACKUP', 100),
    'b/n1/keepalived.conf': b('MASTER', 150),
    'b/n2/keepalived.conf': b('BACKUP', 100),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  let srv: TestServer | undefined;
  try {
    srv = await startServer(root);
    const collision = (ds: LspDiagnostic[]) => ds.find((d) => d.code === 'cluster/vrid-collision') as Located | undefined;
    // The scan publishes the collision on one of the four files.
    const deadline = Date.now() + 15000;
    let reported: string | undefined;
    while (!reported && Date.now() < deadline) {
      reported = Object.keys(files).find((rel) => collision(srv!.diagnostics.get(uri(path.join(root, rel)))?.diagnostics ?? []));
      if (!reported) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(reported, 'a vrid-collision is published');
    const first = collision(srv.diagnostics.get(uri(path.join(root, reported)))!.diagnostics)!;
    const target = first.relatedInformation![0].location;
    const rel = Object.keys(files).find((f) => uri(path.join(root, f)) === target.uri)!;
    assert.ok(rel && rel !== reported, 'the finding points at the other cluster');
    const line = target.range.start.line;
    // The user opens the other cluster's file and inserts three lines at the top.
    const file = path.join(root, rel);
    srv.open(file, 'keepalived', files[rel]);
    srv.change(file, 2, '# one\n# two\n# three\n' + files[rel]);
    const now = await srv.waitForDiagnostics(
      uri(path.join(root, reported)),
      (ds) => collision(ds) !== undefined && (collision(ds) as Located).relatedInformation![0].location.range.start.line === line + 3,
      5000,
    );
    assert.equal((collision(now) as Located).relatedInformation![0].location.range.start.line, line + 3);
  } finally {
    await srv?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
