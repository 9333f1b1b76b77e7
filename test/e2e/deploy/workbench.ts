// Driving the VS Code workbench in the browser the way a user does: the command palette, pickers,
// notifications and the modal dialog. Only the few playwright-core calls used here are typed.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Locator {
  first(): Locator;
  waitFor(o: { state: 'visible' | 'attached' | 'hidden'; timeout: number }): Promise<void>;
  isVisible(): Promise<boolean>;
  click(o?: { timeout?: number; button?: 'left' | 'right' }): Promise<void>;
  hover(o?: { timeout?: number }): Promise<void>;
  innerText(o?: { timeout: number }): Promise<string>;
  count(): Promise<number>;
}

export interface Page {
  goto(url: string, o: { waitUntil: 'load'; timeout: number }): Promise<unknown>;
  locator(selector: string): Locator;
  screenshot(o: { path: string }): Promise<unknown>;
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay: number }): Promise<void> };
  waitForTimeout(ms: number): Promise<void>;
  on(event: 'pageerror', fn: (e: Error) => void): void;
}

export const sel = {
  palette: '.quick-input-widget',
  focusedRow: '.quick-input-widget .monaco-list-row.focused',
  row: (text: string): string => `.quick-input-widget .monaco-list-row:has-text("${text}")`,
  toast: (text: string): string => `.notifications-toasts .notification-toast:has-text("${text}")`,
  dialog: '.monaco-dialog-box',
  dialogButton: (text: string): string => `.monaco-dialog-box .monaco-button:has-text("${text}")`,
  statusItem: (text: string): string => `.statusbar-item:has-text("${text}")`,
  explorerRow: (text: string): string => `.explorer-folders-view .monaco-list-row:has-text("${text}")`,
  clustersPane: '.pane:has(.pane-header:has-text("haconf: Clusters"))',
  clusterRow: (text: string): string => `.pane:has(.pane-header:has-text("haconf: Clusters")) .monaco-list-row:has-text("${text}")`,
  menuItem: (text: string): string => `.monaco-menu .action-item:has-text("${text}")`,
  editorTab: (text: string): string => `.tabs-container .tab:has-text("${text}")`,
};

export class Workbench {
  constructor(
    private readonly page: Page,
    private readonly shots: string,
    private readonly failDir: string,
  ) {}

  async visible(selector: string, timeoutMs = 20000): Promise<Locator> {
    const l = this.page.locator(selector).first();
    try {
      await l.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const shot = path.join(this.failDir, `failed-${Date.now()}.png`);
      await this.page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`not visible within ${timeoutMs} ms: ${selector} (screenshot: ${shot})`);
    }
    return l;
  }

  /** Lets animations settle, then writes docs/screenshots/<name>.png. */
  async screenshot(name: string): Promise<string> {
    await this.page.waitForTimeout(400);
    fs.mkdirSync(this.shots, { recursive: true });
    const file = path.join(this.shots, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command from the palette (F1), checking that the highlighted entry is exactly `label`. */
  async command(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.visible(sel.palette);
    await this.page.keyboard.type(label, { delay: 5 });
    for (let i = 0; i < 8; i++) {
      const row = await this.visible(sel.focusedRow);
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees (rendered text), on purpose
      const text = (await row.innerText())
        .replace(/\u00a0/g, ' ')
        .split('\n')[0]
        .trim();
      if (text === label) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`the command palette never highlighted '${label}'`);
  }

  press(key: string): Promise<void> {
    return this.page.keyboard.press(key);
  }

  async text(selector: string, timeoutMs = 20000): Promise<string> {
    // Editors render spaces as U+00A0.
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees (rendered text), on purpose
    return (await (await this.visible(selector, timeoutMs)).innerText()).replace(/\u00a0/g, ' ');
  }

  async click(selector: string, timeoutMs = 20000): Promise<void> {
    await (await this.visible(selector, timeoutMs)).click({ timeout: timeoutMs });
  }

  isVisible(selector: string): Promise<boolean> {
    return this.page.locator(selector).first().isVisible();
  }

  async rightClick(selector: string, timeoutMs = 20000): Promise<void> {
    await (await this.visible(selector, timeoutMs)).click({ timeout: timeoutMs, button: 'right' });
  }

  /**
   * Chooses an entry of the open context menu. A click right after the menu opens is sometimes swallowed
   * (the entry is highlighted, the menu stays open), so a menu still open afterwards gets Enter on the
   * highlighted entry.
   */
  async chooseMenuItem(selector: string, timeoutMs = 20000): Promise<void> {
    const item = await this.visible(selector, timeoutMs);
    await item.hover({ timeout: timeoutMs });
    await item.click({ timeout: timeoutMs });
    await new Promise((r) => setTimeout(r, 500));
    if (await this.isVisible(selector)) {
      await item.hover({ timeout: timeoutMs });
      await this.page.keyboard.press('Enter');
    }
  }

  async gone(selector: string, timeoutMs = 10000): Promise<void> {
    await this.page.locator(selector).first().waitFor({ state: 'hidden', timeout: timeoutMs });
  }
}
