// The code link on the wire: every diagnostic the real `haconf lsp --stdio` publishes carries a
// codeDescription.href whose anchor exists in docs/rules.md, and the page VS Code's client opens instead
// (docs/rules/<code>.md, client/src/ruleDocs.ts) exists for that code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, startServer, uri, type LspDiagnostic, type TestServer } from './client';
import { rulePage } from '../../client/src/ruleDocs';

let root: string;
let srv: TestServer;

const keepalived = (vrid: number) =>
  `vrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id ${vrid}\n    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        10.0.0.100/24\n    }\n}\n`;

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-links-')));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  // One file per layer, each with findings: a removed keyword and a typo, a cross-node VRID mismatch,
  // corosync without a nodelist.
  write('haproxy/haproxy.cfg', 'defaults\n    contimeout 5000\n\nfrontend f\n    bindd :80\n');
  write('lb1/keepalived.conf', keepalived(51));
  write('lb2/keepalived.conf', keepalived(51));
  write('lb3/keepalived.conf', keepalived(52));
  write('corosync/corosync.conf', 'totem {\n    version: 2\n    cluster_name: c\n}\n');
  srv = await startServer(root);
});

after(async () => {
  await srv?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test("every published diagnostic's code link names an anchor of docs/rules.md, and its bundled page exists", async () => {
  const catalogue = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
  const wanted: [string, string][] = [
    ['haproxy/haproxy.cfg', 'haproxy/removed-keyword'],
    ['lb3/keepalived.conf', 'cluster/vrid-mismatch'],
    ['corosync/corosync.conf', 'corosync/missing-nodelist'],
  ];
  const seen = new Set<string>();
  for (const [rel, code] of wanted) {
    const ds = (await srv.waitForDiagnostics(uri(path.join(root, rel)), (x) => x.some((d) => d.code === code))) as (LspDiagnostic & { codeDescription?: { href: string } })[];
    for (const d of ds) {
      const href = d.codeDescription?.href;
      assert.ok(href, `${rel}: ${String(d.code)} has no codeDescription`);
      const anchor = new URL(href).hash.slice(1);
      assert.ok(catalogue.includes(`<a id="${anchor}"></a>`), `${String(d.code)}: ${href} names no anchor of docs/rules.md`);
      assert.ok(rulePage(ROOT, String(d.code)), `${String(d.code)}: no bundled page`);
      seen.add(String(d.code));
    }
  }
  assert.ok(seen.size >= 4, [...seen].join(', '));
});
