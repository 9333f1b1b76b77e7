// The user README (README.marketplace.md, the extension's page): its commands and settings tables match
// package.json, its screenshots exist and are real PNGs, its links resolve, and the copy the .vsix carries
// shows the screenshots offline (inlined) with no relative link left.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MARKETPLACE_README, readManifest, renderCommands, renderSettings, syncGenerated } from '../../scripts/marketplace-readme';
import { vsixReadme } from '../../scripts/vsix-readme.mjs';
import { pngSize } from '../helpers/zip';

const REPO = path.join(__dirname, '..', '..');
const text = fs.readFileSync(MARKETPLACE_README, 'utf8');
const manifest = readManifest();

function markdownLinks(md: string): { image: boolean; target: string }[] {
  return [...md.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => ({ image: m[1] === '!', target: m[2] }));
}

test('the commands and settings tables are those of package.json (run npm run gen:readme)', () => {
  assert.equal(text, syncGenerated(text, manifest));
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes: { commands: { title: string; category?: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
  };
  for (const c of pkg.contributes.commands) assert.ok(text.includes(`**${c.category}: ${c.title}**`), `command ${c.title}`);
  for (const [key, s] of Object.entries(pkg.contributes.configuration.properties)) {
    assert.ok(text.includes(`| \`${key}\` |`), `setting ${key}`);
    assert.ok(text.includes(`\`${JSON.stringify(s.default ?? null)}\``), `default of ${key}`);
  }
});

test('a command or setting without a description stops the generator', () => {
  const bare = structuredClone(manifest);
  bare.contributes.commands.push({ command: 'haconf.somethingNew', title: 'Something New', category: 'haconf' });
  assert.throws(() => renderCommands(bare), /haconf\.somethingNew has no line in COMMAND_NOTES/);
  const noText = structuredClone(manifest);
  noText.contributes.configuration.properties['haconf.new'] = { type: 'string', default: '' };
  assert.throws(() => renderSettings(noText), /setting haconf\.new has no description/);
});

test('every screenshot it shows is a real PNG in the repository, and the key ones are there', () => {
  const images = markdownLinks(text).filter((l) => l.image);
  for (const { target } of images) {
    const size = pngSize(fs.readFileSync(path.join(REPO, target)));
    assert.ok(size && size.width >= 800 && size.height >= 500, `${target}: ${JSON.stringify(size)}`);
  }
  const shown = images.map((l) => path.basename(l.target));
  // Diagnostics with a cross-file finding, hover, completion, the failover view, deploy, the local rule page.
  for (const shot of ['problems.png', 'hover.png', 'completion.png', 'cluster-view.png', 'deploy-progress.png', 'rule-doc.png']) assert.ok(shown.includes(shot), shot);
});

test('every relative link points at a file of the repository, every anchor exists', () => {
  for (const { target } of markdownLinks(text).filter((l) => !l.image && !/^[a-z]+:/.test(l.target))) {
    const [file, anchor] = target.split('#');
    const full = path.join(REPO, file);
    assert.ok(fs.existsSync(full), `${target}: no ${file}`);
    if (anchor) assert.ok(fs.readFileSync(full, 'utf8').includes(`id="${anchor}"`), `${target}: no anchor`);
  }
});

test('the packaged copy inlines every screenshot and leaves no relative link', () => {
  const packaged = vsixReadme(text, MARKETPLACE_README, manifest as unknown as Record<string, unknown>);
  const links = markdownLinks(packaged);
  const images = links.filter((l) => l.image);
  assert.equal(images.length, markdownLinks(text).filter((l) => l.image).length);
  for (const { target } of images) {
    assert.match(target, /^data:image\/png;base64,/);
    assert.ok(pngSize(Buffer.from(target.slice(target.indexOf(',') + 1), 'base64')), 'inlined bytes are a PNG');
  }
  for (const { target } of links.filter((l) => !l.image)) assert.match(target, /^(https:\/\/github\.com\/haconf\/haconf\/blob\/main\/|#|https?:|mailto:)/, target);
  assert.throws(() => vsixReadme('![x](docs/screenshots/none.png)\n', MARKETPLACE_README, manifest as unknown as Record<string, unknown>), /image docs\/screenshots\/none\.png not found/);
  assert.throws(() => vsixReadme('![x](media/icon.svg)\n', MARKETPLACE_README, manifest as unknown as Record<string, unknown>), /not a PNG, JPEG or GIF/);
});
