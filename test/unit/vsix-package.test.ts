// The .vsix scripts/package.mjs writes (offline, with @vscode/vsce): it carries the user README with its
// screenshots inlined, the icon, every rule page and the bundles, and no sources, tests, maps or secrets.
// Needs dist/ (npm run build; `npm test` builds first); without it the test fails naming the step.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../server/src/engine/rules';
import { pngSize, readZip } from '../helpers/zip';

const REPO = path.join(__dirname, '..', '..');

test('the .vsix holds the user README with inlined screenshots, the icon, the rule pages, and nothing private', () => {
  for (const f of ['dist/client.js', 'dist/server.js']) assert.ok(fs.existsSync(path.join(REPO, f)), `${f} is missing: run npm run build first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haconf-vsix-'));
  try {
    const out = path.join(dir, 'haconf.vsix');
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'package.mjs'), '--skip-build', '--out', out], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, `scripts/package.mjs failed:\n${r.stdout}\n${r.stderr}`);
    const zip = readZip(out);
    const names = [...zip.keys()];

    // The extension's page: the user README, not the developers' one, with every screenshot inside it.
    const readme = zip.get('extension/readme.md')?.read().toString('utf8');
    assert.ok(readme, 'no extension/readme.md');
    assert.equal(names.filter((n) => /^extension\/readme\.md$/i.test(n)).length, 1, 'exactly one README');
    assert.match(readme, /^# haconf — HAProxy, keepalived and corosync clusters/);
    assert.doesNotMatch(readme, /bash test\/setup\.sh/, "the developers' README is not the page");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 6, `${images.length} screenshots`);
    for (const src of images) {
      assert.match(src, /^data:image\/png;base64,/, 'every image is inlined (VS Code shows only https:/data: images in the page)');
      assert.ok(pngSize(Buffer.from(src.slice(src.indexOf(',') + 1), 'base64')), 'a PNG');
    }

    // The icon: declared, shipped, a 256×256 PNG, and the gallery manifest names it.
    const pkg = JSON.parse(zip.get('extension/package.json')!.read().toString('utf8')) as { icon: string };
    assert.equal(pkg.icon, 'media/icon.png');
    assert.deepEqual(pngSize(zip.get(`extension/${pkg.icon}`)?.read() ?? Buffer.alloc(0)), { width: 256, height: 256 });
    const vsixManifest = zip.get('extension.vsixmanifest')!.read().toString('utf8');
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default" Path="extension\/media\/icon\.png"/);
    assert.match(vsixManifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.Details" Path="extension\/readme\.md"/);

    // Rule pages: one per code, and the catalogue they link back to.
    assert.ok(zip.has('extension/docs/rules.md'));
    for (const { code } of allRules()) assert.ok(zip.has(`extension/docs/rules/${code}.md`), `no page for ${code}`);

    for (const f of ['dist/client.js', 'dist/server.js', 'syntaxes/haproxy.tmLanguage.json', 'snippets/haproxy.json', 'schemas/haconf.schema.json']) assert.ok(zip.has(`extension/${f}`), f);

    // Nothing that is not the product: sources, tests, fixtures, maps, local state, keys or credentials.
    const forbidden =
      /(^extension\/(server|client|test|scripts|bench|examples|node_modules|\.tmp|\.git|\.ci)\/)|\.(ts|map|pem|key|p12|vsix)$|(^|\/)(\.env|\.npmrc|id_[a-z0-9]+|known_hosts|authorized_keys|haconf\.yaml)$/i;
    assert.deepEqual(
      names.filter((n) => forbidden.test(n)),
      [],
    );
    for (const n of names) {
      if (/\.(md|json|js)$/.test(n)) assert.doesNotMatch(zip.get(n)!.read().toString('utf8'), /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${n} holds a private key`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
