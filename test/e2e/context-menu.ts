/**
 * Context menus chosen with the keyboard, and the sandbox a session's extension started (for the
 * e2e tests; re-exported by harness.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** The context menu that is open, if any. */
export function contextMenuView(page: Page): Locator {
  return page.locator('.context-view .monaco-menu');
}

/** The labels of the open context menu's actions, in order (separators left out). */
export async function contextMenuLabels(page: Page): Promise<string[]> {
  const labels = await contextMenuView(page).locator('.action-item:not(.disabled) .action-menu-item .action-label').allInnerTexts();
  return labels.map((l) => l.trim());
}

export interface ContextMenuOptions {
  timeout?: number;
  /** Called once the menu is open, before an action is chosen. */
  onOpen?: () => Promise<void>;
  /** How to open the menu: a right-click (default) or, on the focused row, Shift+F10. */
  open?: 'right-click' | 'keyboard';
}

/**
 * Opens `target`'s context menu and runs the action labelled `action` WITH THE KEYBOARD: reads the
 * labels, presses ArrowDown (index + 1) times and Enter. (In headless Chromium a mouse click on a
 * menu item right after the menu opens is often ignored: the menu stays open and nothing runs.)
 * Returns the labels the menu showed. Throws, with the menu closed, when the action is not in it.
 */
export async function contextMenu(page: Page, target: Locator, action: string | RegExp, opts: ContextMenuOptions | number = {}): Promise<string[]> {
  const { timeout = 10_000, open = 'right-click', onOpen } = typeof opts === 'number' ? { timeout: opts } : opts;
  if (open === 'keyboard') {
    await target.focus();
    await page.keyboard.press('Shift+F10');
  } else {
    await target.click({ button: 'right', timeout });
  }
  const menu = contextMenuView(page);
  await menu.locator('.action-menu-item .action-label').first().waitFor({ state: 'visible', timeout });
  await onOpen?.();
  const labels = await contextMenuLabels(page);
  const index = labels.findIndex((l) => (typeof action === 'string' ? l === action : action.test(l)));
  if (index < 0) {
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', timeout: 2000 }).catch(() => undefined);
    throw new ContextMenuActionMissing(action, labels);
  }
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  // The focused item is the one asked for (what Enter runs).
  const focused = (await menu.locator('.action-item.focused .action-label').first().innerText().catch(() => '')).trim();
  if (focused !== labels[index]) {
    await page.keyboard.press('Escape');
    throw new Error(`context menu: "${labels[index]}" should have the focus after ${index + 1} ArrowDown, "${focused}" has it (labels: ${labels.join(' | ')})`);
  }
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'detached', timeout }).catch(() => undefined);
  return labels;
}

/** The context menu did not offer the action (e.g. the row changed state meanwhile). */
export class ContextMenuActionMissing extends Error {
  constructor(
    readonly action: string | RegExp,
    readonly labels: string[],
  ) {
    super(`context menu has no "${String(action)}": ${labels.join(' | ')}`);
  }
}

/** The sandbox the extension started for a session, as a CLI user finds it (its lock and state files). */
export interface ExtensionSandbox {
  endpoint: string;
  region: string;
  pid: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  adminToken: string;
  stateFile: string;
}

/** Waits until the extension of `session` has started its sandbox; its endpoint, keys and admin token. */
export async function extensionSandbox(session: { server: { userDataDir: string } }, timeout = 60_000): Promise<ExtensionSandbox> {
  const stateFile = path.join(session.server.userDataDir, 'User/globalStorage/ecs-handson.ecs-handson/sandbox/state.json');
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const lock = JSON.parse(fs.readFileSync(`${stateFile}.lock`, 'utf8')) as { pid: number; endpoint?: string; region?: string };
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { credentials?: { accessKeyId: string; secretAccessKey: string; adminToken?: string } };
      const c = state.credentials;
      if (lock.endpoint && c?.adminToken) {
        return {
          endpoint: lock.endpoint, region: lock.region ?? 'ap-northeast-1', pid: lock.pid, stateFile,
          credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, adminToken: c.adminToken,
        };
      }
    } catch {
      // not started yet
    }
    if (Date.now() > deadline) throw new Error(`the extension started no sandbox within ${timeout} ms (no lock/state at ${stateFile})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The extension's own log ("ECS Hands-on" output channel) of a session, as code-server wrote it
 * under the profile's logs folder: '' before the first line. Each command logs what it was invoked
 * with and how long it took (src/ui/commands/index.ts).
 */
export function extensionLog(session: { server: { userDataDir: string } }): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('ECS Hands-on.log')) found.push(p);
    }
  };
  walk(path.join(session.server.userDataDir, 'logs'));
  return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
