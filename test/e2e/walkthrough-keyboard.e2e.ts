/**
 * Browser end-to-end test of the walkthrough panel with the keyboard only, and of what a screen
 * reader gets: real VS Code (code-server) in headless Chromium, this checkout as a development
 * extension, a fresh profile.
 *
 *   - Every control in the panel (step buttons, inputs, action buttons, reset) has an accessible
 *     name; visuals (probe canvas, chart) are labelled images; live regions announce the check.
 *   - Tab reaches the step list; Enter on a step selects it and moves the focus to its heading
 *     (not lost to the document body when the panel re-renders); Tab from there reaches the step's
 *     action; Enter runs it and the check ticks; the focus stays on the action after the re-render.
 *   - Focus is visible: the focused step button draws an outline (the theme's focus border).
 *   - Japanese, installed from the .vsix in a light theme: the palette entry, a notification and
 *     every step of the panel (no raw markdown).
 *
 *   npm run build && npx tsx test/e2e/walkthrough-keyboard.e2e.ts
 *
 * Screenshots: test/e2e/screenshots/walkthrough-keyboard-*.png. Exits 1 on failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import {
  checkPrerequisites, clearNotifications, ensureTheme, findCommand, launchBrowser, log, makeTempDir, openSession, packageExtension, repoRoot, runCommand, runE2e, screenshot,
  waitForNotification, webviewFrame, type WorkbenchSession, runScript,
} from './harness';

// The functions given to evaluate() run in the page; the project's Node tsconfig has no DOM lib.
declare const document: any;
declare function getComputedStyle(el: unknown): { outlineStyle: string; outlineWidth: string };
type HTMLElement = any;

/**
 * Empties the focused text field with keys the field handles itself. (Ctrl+A in a webview goes
 * through the workbench's select-all command, which lands asynchronously: keys typed right after
 * it would be selected and replaced.)
 */
async function clearField(page: Page): Promise<void> {
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Backspace');
}

/** Presses Tab until `selector` has the focus (at most `max` times); returns the ids passed on the way. */
async function tabTo(page: Page, f: FrameLocator, selector: string, max = 40): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    if (await f.locator(`${selector}:focus`).count()) return passed;
    await page.keyboard.press('Tab');
    passed.push(await focusedId(f));
  }
  throw new Error(`Tab did not reach ${selector} in ${max} presses; it passed: ${passed.join(' → ')}`);
}

async function focusedId(f: FrameLocator): Promise<string> {
  return f.locator('body').evaluate(() => {
    const a = document.activeElement;
    return a ? a.id || `${a.tagName.toLowerCase()}${a.className ? `.${String(a.className).split(' ')[0]}` : ''}` : '(none)';
  });
}

/** Interactive elements or images without an accessible name (aria-label, aria-labelledby, text or a <vscode-label for>). */
async function unnamed(f: FrameLocator): Promise<string[]> {
  return f.locator('body').evaluate(() => {
    const bad: string[] = [];
    const sel = 'button, a[href], input, select, textarea, vscode-button, vscode-textfield, vscode-checkbox, vscode-single-select, canvas, [role="img"], [role="progressbar"], [tabindex]:not([tabindex="-1"])';
    for (const el of Array.from(document.querySelectorAll(sel) as HTMLElement[])) {
      // The children of a labelled image (e.g. the chart library's canvas) are presentational.
      if (el.parentElement?.closest('[role="img"][aria-label]')) continue;
      const name =
        el.getAttribute('aria-label') ||
        (el.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .map((id: string) => document.getElementById(id)?.textContent ?? '')
          .join('') ||
        (el.id ? document.querySelector(`vscode-label[for="${el.id}"], label[for="${el.id}"]`)?.textContent : '') ||
        el.textContent;
      if (!name || !name.trim()) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
  });
}

/** Visits every step and asserts its rendered text shows no markdown syntax (code blocks aside). */
async function noRawMarkdown(f: FrameLocator): Promise<void> {
  const ids = await f.locator('nav .step').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.step ?? ''));
  assert.equal(ids.length, 15);
  for (const step of ids) {
    await f.locator(`#nav-${step}`).click();
    await f.locator(`#nav-${step}[aria-current="step"]`).waitFor({ timeout: 15_000 });
    const raw = await f.locator('main').evaluate((m) => {
      const clone = m.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('pre, code').forEach((c: HTMLElement) => c.remove());
      return (clone.textContent ?? '').match(/.{0,30}(\*\*|`|\]\().{0,30}/g) ?? [];
    });
    assert.deepEqual(raw, [], `raw markdown on ${step}`);
  }
}

async function main(): Promise<void> {
  checkPrerequisites();
  if (!fs.existsSync(path.join(repoRoot, 'dist/webview/walkthrough.js'))) throw new Error('dist/webview/walkthrough.js is missing: run `npm run build` first');
  const scratch = makeTempDir('ecs-handson-e2e-keyboard-');
  const browser: Browser = await launchBrowser();
  let session: WorkbenchSession | undefined;
  const page = () => session!.page;
  /** The English session with the walkthrough open (each test can run alone with ECS_HANDSON_E2E_GREP). */
  const ensure = async (): Promise<void> => {
    if (session) return;
    session = await openSession({ browser });
    await runCommand(page(), 'ECS Hands-on: Open Walkthrough');
    await webviewFrame(page()).locator('#nav-prepare-image[aria-current="step"]').waitFor({ timeout: 60_000 });
  };
  try {
    await runE2e(
      'e2e walkthrough: keyboard and screen reader (code-server 4.99.4 + Chromium)',
      [
        {
          name: 'every step\'s text is rendered (no raw markdown); every control and visual in the panel has an accessible name',
          fn: async () => {
            await ensure();
            const f = webviewFrame(page());
            // Every step's text is rendered: no markdown syntax left over (e.g. **`demo-cluster`**).
            await noRawMarkdown(f);
            // A step with inputs and actions, one with the probe (canvas) and one with the chart.
            for (const step of ['prepare-image', 'create-cluster', 'kill-container', 'autoscaling-run']) {
              await f.locator(`#nav-${step}`).click();
              await f.locator(`#nav-${step}[aria-current="step"]`).waitFor({ timeout: 15_000 });
              await f.locator('#check').waitFor({ timeout: 15_000 });
              const bad = await unnamed(f);
              assert.deepEqual(bad, [], `unnamed controls on ${step}`);
              // The check announces itself politely; the step list is a labelled navigation.
              assert.equal(await f.locator('#check-status').getAttribute('aria-live'), 'polite');
              assert.ok(await f.locator('nav[aria-label]').count());
              if (step === 'kill-container') assert.equal(await f.locator('#probe-canvas[role="img"][aria-label]').count(), 1, 'the probe is a labelled image');
              if (step === 'autoscaling-run') assert.ok((await f.locator('#h-chart').count()) === 1, 'the chart section has a heading');
            }
          },
        },
        {
          name: 'keyboard only: Tab to a step, Enter selects it and focuses its heading; Tab to the action, Enter runs it; the step is done and the next one has the focus',
          fn: async () => {
            await ensure();
            const f = webviewFrame(page());
            await f.locator('#nav-prepare-image').click();
            await f.locator('#nav-prepare-image[aria-current="step"]').waitFor({ timeout: 15_000 });
            // Start from the first step button, then move on with the keyboard only.
            await f.locator('#nav-prepare-image').focus();
            const path1 = await tabTo(page(), f, '#nav-construction-order', 5);
            log(`      Tab: nav-prepare-image → ${path1.join(' → ')}`);
            // The focused step button shows a focus outline (keyboard users see where they are).
            const outline = await f.locator('#nav-construction-order').evaluate((el) => {
              const cs = getComputedStyle(el);
              return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
            });
            assert.ok(outline.style !== 'none' && outline.width > 0, `focus outline: ${JSON.stringify(outline)}`);
            await screenshot(page(), 'walkthrough-keyboard-01-focus-on-step');
            await page().keyboard.press('Enter');
            await f.locator('#nav-construction-order[aria-current="step"]').waitFor({ timeout: 15_000 });
            await f.locator('#step-heading:focus').waitFor({ timeout: 5000 });
            assert.match(await f.locator('#step-heading').innerText(), /\S/);
            // From the heading, Tab reaches the step's action ("Mark as done"); Enter runs it.
            const path2 = await tabTo(page(), f, '#action-acknowledge', 40);
            log(`      Tab: step-heading → ${path2.join(' → ')}`);
            await page().keyboard.press('Enter');
            // "Got it — continue": the step is done and the next one is shown, with the focus on its
            // heading (where a keyboard or screen-reader user starts reading).
            await f.locator('#nav-construction-order.done').waitFor({ timeout: 15_000 });
            await f.locator('#nav-create-cluster[aria-current="step"]').waitFor({ timeout: 15_000 });
            await f.locator('#step-heading:focus').waitFor({ timeout: 5000 });
            const after = await focusedId(f);
            assert.equal(after, 'step-heading', `focus after the action: ${after}`);
            await screenshot(page(), 'walkthrough-keyboard-02-acknowledged');
            // Space works on the step buttons too (native buttons): back to the first step.
            await f.locator('#nav-prepare-image').focus();
            await page().keyboard.press('Space');
            await f.locator('#nav-prepare-image[aria-current="step"]').waitFor({ timeout: 15_000 });
            await f.locator('#step-heading:focus').waitFor({ timeout: 5000 });
          },
        },
        {
          name: 'keyboard only: typing into an input and leaving it keeps the value; an invalid value is announced; the capacity choice is in words',
          fn: async () => {
            await ensure();
            const f = webviewFrame(page());
            await f.locator('#nav-create-cluster').click();
            await f.locator('#nav-create-cluster[aria-current="step"]').waitFor({ timeout: 15_000 });
            await f.locator('#step-heading:focus').waitFor({ timeout: 5000 });
            // The EC2 capacity dropdown offers words, not API values ('autoScalingGroup').
            const capacity = await f.locator('vscode-single-select#in-capacity vscode-option').allInnerTexts();
            assert.deepEqual(capacity.map((x) => x.trim()), ['Instances from a launch template', 'An Auto Scaling group']);
            const field = f.locator('vscode-textfield#in-cluster');
            await tabTo(page(), f, 'vscode-textfield#in-cluster', 30);
            await clearField(page());
            await page().keyboard.type('bad name!');
            await page().keyboard.press('Tab');
            const err = f.locator('#err-cluster[role="alert"]');
            await err.filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
            log(`      error: ${await err.innerText()}`);
            assert.equal(await field.getAttribute('invalid'), '', 'the field is marked invalid');
            await screenshot(page(), 'walkthrough-keyboard-03-invalid-input');
            // Shift+Tab goes back to the field (the error message on the way is not focusable).
            await page().keyboard.press('Shift+Tab');
            await f.locator('vscode-textfield#in-cluster:focus').waitFor({ timeout: 5000 });
            await clearField(page());
            // Typed at a person's pace (3.6 s): the step's check re-renders the panel every 1–2.5 s
            // meanwhile, and no keystroke may be lost or land elsewhere.
            await page().keyboard.type('demo-cluster', { delay: 300 });
            await page().keyboard.press('Tab');
            for (let i = 0; i < 40 && (await err.innerText()).trim(); i++) await new Promise((r) => setTimeout(r, 250));
            assert.equal((await err.innerText()).trim(), '', 'the error is gone');
            assert.equal(await field.getAttribute('invalid'), null, 'the field is valid again');
            assert.equal(await field.evaluate((el) => (el as { value: string }).value), 'demo-cluster', 'the field keeps what was typed');
          },
        },
        {
          name: 'ja, installed from the .vsix, light theme: the palette, a notification and every step of the panel in Japanese (no raw markdown); the capacity choice in Japanese words',
          fn: async () => {
            await session?.close();
            session = undefined;
            // Installed from the .vsix: its package.nls.ja.json and l10n bundle are what a Japanese user gets.
            session = await openSession({ browser, vsix: await packageExtension(scratch), locale: 'ja', settings: { 'workbench.colorTheme': 'Default Light Modern' } });
            await ensureTheme(page(), 'vs');
            // Listed under its category with the Japanese title; its notification in Japanese.
            const listed = await findCommand(page(), 'サンドボックスの情報を表示');
            assert.match((await listed.innerText()).replace(/\s+/g, ' '), /ECS Hands-on: サンドボックスの情報を表示/);
            await page().keyboard.press('Escape');
            await runCommand(page(), 'サンドボックスの情報を表示');
            await waitForNotification(page(), 'ECS Hands-on サンドボックスは http://127.0.0.1:');
            await screenshot(page(), 'smoke-ja-notification');
            await clearNotifications(page());
            await runCommand(page(), 'ECS Hands-on: ウォークスルーを開く');
            const f = webviewFrame(page());
            await f.locator('#nav-prepare-image[aria-current="step"]').waitFor({ timeout: 60_000 });
            assert.equal(await f.locator('html').getAttribute('lang'), 'ja');
            assert.match(await f.locator('#progress-text').innerText(), /15/);
            assert.match(await f.locator('#h-check').innerText(), /チェック/);
            await screenshot(page(), 'walkthrough-ja-00-prepare-image');
            await noRawMarkdown(f);
            await f.locator('#nav-kill-container').click();
            await f.locator('#nav-kill-container[aria-current="step"]').waitFor({ timeout: 15_000 });
            // For the screenshot only (the periodic check may redraw the section meanwhile: not an error).
            await f.locator('#h-probe').scrollIntoViewIfNeeded({ timeout: 5000 }).catch(() => undefined);
            await screenshot(page(), 'walkthrough-ja-light-kill-container');
            await f.locator('#nav-create-cluster').click();
            await f.locator('#nav-create-cluster[aria-current="step"]').waitFor({ timeout: 15_000 });
            const capacity = await f.locator('vscode-single-select#in-capacity vscode-option').allInnerTexts();
            assert.deepEqual(capacity.map((x) => x.trim()), ['起動テンプレートからインスタンスを起動', 'Auto Scaling グループ']);
          },
        },
      ],
      { timeout: 180_000 },
    );
  } finally {
    await session?.close();
    await browser.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runScript(main);
