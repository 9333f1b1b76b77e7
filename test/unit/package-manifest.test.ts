// The extension manifest (package.json contributes): what VS Code shows without running our code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Contributes {
  commands: { command: string; icon?: string }[];
  menus: Record<string, { command: string; group?: string }[]>;
}

const contributes = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: Contributes }).contributes;

test('every view title button has an icon (else VS Code shows its title as a wide text button)', () => {
  const buttons = contributes.menus['view/title'].filter((m) => m.group === 'navigation');
  assert.ok(buttons.length >= 2);
  for (const b of buttons) {
    const cmd = contributes.commands.find((c) => c.command === b.command);
    assert.ok(cmd, `${b.command} is a contributed command`);
    assert.match(cmd.icon ?? '', /^\$\([a-z-]+\)$/, `${b.command} has a codicon`);
  }
});
