// With no folder open (an empty VS Code window), every Rampart command either
// works without one or explains what it needs, and nothing fails: no error
// notification, no error in the extension's log. Screenshots go to
// test-artifacts/no-folder-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  answerFileDialog, clearNotifications, ensureHost, startWorkbench, extensionLog, notification, pick, shutdown, reportFailures, reviewerFrame, runCommand, screenshot, tempDir, waitFor, type Host,
} from './harness';

const missing = ensureHost();

let host: Host;
let browser: Browser;
let page: Page;
let tmp: string;
let home: string;

before(async () => {
  if (missing) return;
  tmp = tempDir('rampart-e2e-nofolder-');
  // A HOME of its own: the save dialog starts there, and nothing touches the real ~/.claude.
  home = join(tmp, 'home');
  mkdirSync(home);
  ({ host, browser, page } = await startWorkbench(tmp, undefined, { HOME: home }));
});

after(() => shutdown(browser, host, tmp));

/** Commands that need a folder, and what they say instead. */
const NEEDS_FOLDER: [command: string, message: RegExp][] = [
  ['Rampart: Run Agent Task', /Run Agent Task needs a workspace folder: it works on the folder's rampart\.yaml\. Open a folder first/],
  ['Rampart: Open Policy', /Open Policy needs a workspace folder/],
  ['Rampart: Analyze Claude Code History', /Analyze Claude Code History needs a workspace folder/],
  ['Rampart: Apply Learned Rules', /Apply Learned Rules needs a workspace folder/],
];

/** Commands that work without a folder but have nothing to act on yet. */
const NOTHING_YET: [command: string, message: RegExp][] = [
  ['Rampart: Learn From Session', /no agent session in this window yet\. Run Agent Task first/],
  ['Rampart: Train Model', /training needs at least \d+ labelled commands, both safe and unsafe ones .* Label more in the Reviewer/],
  ['Rampart: Verify Audit Log', /no audit log yet\. Run an agent task first/],
  ['Rampart: Stop Agent', /no agent is running/],
];

/** A command that throws shows "Rampart: <message>" as an error notification. */
async function assertNoErrorShown(): Promise<void> {
  const errors = page.locator('.notification-toast', { has: page.locator('.codicon-error') });
  assert.deepEqual(await errors.allInnerTexts(), [], 'an error notification is shown');
}

test('no folder open: the commands explain what they need', { skip: missing && `code-server host unavailable: ${missing}`, timeout: 400_000 }, async (t) => {
  reportFailures(t, () => page, () => host, 'no-folder');

  await t.test('commands that need a folder say so and offer to open one', async () => {
    for (const [command, message] of NEEDS_FOLDER) {
      await clearNotifications(page);
      await runCommand(page, command);
      const toast = await notification(page, message, 60_000);
      await toast.locator('.monaco-button', { hasText: 'Open Folder…' }).waitFor({ timeout: 5_000 });
      await assertNoErrorShown();
    }
    await screenshot(page, 'no-folder-1-needs-folder');
  });

  await t.test('"Open Folder…" on the notification opens the folder dialog', async () => {
    const toast = await notification(page, /Apply Learned Rules needs a workspace folder/);
    await toast.locator('.monaco-button', { hasText: 'Open Folder…' }).click();
    // code-server's own (simple) file dialog: a quick input holding a path.
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open Folder' });
    await title.waitFor({ timeout: 30_000 });
    await screenshot(page, 'no-folder-2-open-folder-dialog');
    await page.keyboard.press('Escape');
    await title.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  await t.test('Install Claude Code Hooks for "this project" needs a folder too', async () => {
    await clearNotifications(page);
    await runCommand(page, 'Rampart: Install Claude Code Hooks');
    await pick(page, 'This project');
    await notification(page, /Install Claude Code Hooks for this project needs a workspace folder/);
    assert.equal(existsSync(join(home, '.claude')), false, 'nothing was installed');
  });

  await t.test('commands with nothing to act on yet say what to do first', async () => {
    for (const [command, message] of NOTHING_YET) {
      await clearNotifications(page);
      await runCommand(page, command);
      await notification(page, message, 60_000);
      await assertNoErrorShown();
    }
    await screenshot(page, 'no-folder-3-nothing-yet');
  });

  await t.test('Export Telemetry CSV works from the window\'s own store', async () => {
    await clearNotifications(page);
    await runCommand(page, 'Rampart: Export Telemetry CSV');
    // The dialog offers a dated file name in the home folder (with no name, Enter would only say "The folder already exists").
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 30_000 });
    assert.match(await input.inputValue(), new RegExp(`^${home}/rampart-telemetry-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const target = join(home, 'telemetry.csv');
    await answerFileDialog(page, 'Export telemetry as CSV', target);
    await notification(page, `exported 0 telemetry rows to ${target}`, 60_000);
    await waitFor('the CSV file', () => existsSync(target), 10_000);
    const header = readFileSync(target, 'utf8').split('\n')[0];
    assert.match(header, /command/);
    assert.match(header, /safety_label/);
  });

  await t.test('the Reviewer opens, with an empty store', async () => {
    await clearNotifications(page);
    await runCommand(page, 'View: Show Rampart');
    const reviewer = reviewerFrame(page);
    await reviewer.locator('#events').waitFor({ timeout: 90_000 });
    await reviewer.locator('#range', { hasText: 'of 0' }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await reviewer.locator('#note').innerText(), /unavailable/i);
    await screenshot(page, 'no-folder-4-reviewer');
  });

  await t.test('nothing failed along the way', async () => {
    const log = extensionLog(host);
    assert.match(log, /Rampart Learn activated in/);
    assert.doesNotMatch(log, /\[error\]/);
  });
});
