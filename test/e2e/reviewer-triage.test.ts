// The Reviewer as a triaging user meets it (found in QA passes): a Learn-mode
// session's denies read as "would deny" (the calls ran), a command's control
// characters are spelled out, the search finds an agent, a row labelled under
// the Unlabelled filter leaves the list and the selection moves on, training
// from the Reviewer's own button shows the new predictions at once, the table
// fits a side bar down to VS Code's narrowest, Restore Dismissed Suggestions is
// in the palette, and the note's code stays readable in a high contrast theme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureHost, startWorkbench, makeScriptedWorkspace, notification, openReviewer, reportFailures, reviewerFrame, runCommand, screenshot, shutdown, startScriptedAgent, tempDir, waitFor, widenSideBar, type Host } from './harness';

const missing = ensureHost();

let host: Host;
let browser: Browser;
let page: Page;
let tmp: string;
let ws: string;

before(async () => {
  if (missing) return;
  tmp = tempDir('rampart-e2e-triage-');
  ws = join(tmp, 'workspace');
  makeScriptedWorkspace(ws, { agentFlags: '--control-chars', settings: { 'rampartLearn.model.minLabels': 10, 'rampartLearn.model.trees': 20 } });
  ({ host, browser, page } = await startWorkbench(tmp, ws));
});

after(() => shutdown(browser, host, tmp));

test('Reviewer triage: Learn-mode wording, the Unlabelled filter, training refreshes predictions', { skip: missing && `code-server host unavailable: ${missing}`, timeout: 300_000 }, async (t) => {
  const reviewer = reviewerFrame(page);
  reportFailures(t, () => page, () => host, 'triage');

  await t.test('a Learn session: nothing was blocked, and the counts and badges say "would"', async () => {
    await openReviewer(page);
    await widenSideBar(page, 760);
    await startScriptedAgent(page, 'Learn', '');
    await waitFor('the scripted agent to finish', () => existsSync(join(ws, 'agent-done.txt')), 120_000);
    assert.equal(existsSync(join(ws, 'denied-ran.txt')), true, 'Learn mode blocked a call');
    await page.locator('.statusbar-item', { hasText: /Learn · 2\d calls · 1 would be denied · 1 would be asked/ }).waitFor({ timeout: 15_000 });
    const denied = reviewer.locator('tr.row.decision-deny', { hasText: 'rm -rf ./scratch' }).first();
    await denied.waitFor({ timeout: 20_000 });
    assert.equal(await denied.locator('.col-decision .badge').innerText(), 'would deny');
    assert.match((await denied.getAttribute('aria-label'))!, /, would deny, /);
    assert.equal(await reviewer.locator('tr.row.decision-ask .badge').first().innerText(), 'would ask');
    await screenshot(page, 'triage-1-learn-would-deny');
  });

  await t.test('control characters are spelled out in the command, its tooltip and its accessible name', async () => {
    const escaped = 'echo "\\x1b[31mred\\x1b[0m"';
    const row = reviewer.locator('tr.row', { hasText: 'red' }).first();
    await row.waitFor({ timeout: 20_000 });
    assert.equal(await row.locator('.cmd').innerText(), escaped);
    assert.equal(await row.locator('.cmd').getAttribute('title'), escaped);
    assert.ok((await row.getAttribute('aria-label'))!.startsWith(`${escaped}, watch,`));
    await screenshot(page, 'triage-2-control-chars');
  });

  await t.test('the search finds the agent, not only commands', async () => {
    const range = reviewer.locator('#range');
    await reviewer.locator('#search').fill('no-such-call');
    await range.filter({ hasText: /^0 of 0$/ }).waitFor({ timeout: 10_000 });
    // No command holds the agent's name: before, this found nothing.
    await reviewer.locator('#search').fill('SCRIPTED');
    await range.filter({ hasText: /^1–2\d of 2\d$/ }).waitFor({ timeout: 10_000 });
    await reviewer.locator('#search').fill('');
    await range.filter({ hasText: /^1–2\d of 2\d$/ }).waitFor({ timeout: 10_000 });
  });

  await t.test('labelled under "Unlabelled", a row leaves the list and the next one is selected', async () => {
    await reviewer.locator('#label').selectOption('unlabelled');
    const range = reviewer.locator('#range');
    await range.filter({ hasText: /^1–2\d of 2\d$/ }).waitFor({ timeout: 10_000 });
    const before = Number((await range.innerText()).split(' of ')[1]);
    const rows = reviewer.locator('tr.row');
    const [first, second] = [await rows.nth(0).locator('.cmd').innerText(), await rows.nth(1).locator('.cmd').innerText()];
    await rows.nth(0).click();
    await rows.nth(0).press('s');
    await range.filter({ hasText: ` of ${before - 1}` }).waitFor({ timeout: 10_000 });
    assert.equal(await reviewer.locator('tr.row', { hasText: first }).count(), 0, 'the labelled row is still listed as unlabelled');
    const selected = reviewer.locator('tr.row[aria-selected="true"]');
    assert.equal(await selected.locator('.cmd').innerText(), second);
    // The keyboard flow goes on from there: the focus stayed on the (new) selected row.
    await page.keyboard.press('u');
    await range.filter({ hasText: ` of ${before - 2}` }).waitFor({ timeout: 10_000 });
    await reviewer.locator('#label').selectOption('all');
  });

  await t.test('Run Trainer in the Reviewer shows the new predictions without a refresh', async () => {
    const rows = reviewer.locator('tr.row');
    await rows.first().waitFor();
    const n = await rows.count();
    await rows.first().click();
    for (let i = 0; i < n; i++) {
      const text = await reviewer.locator('tr.row[aria-selected="true"] .cmd').innerText();
      await page.keyboard.press(/rm -rf|git add|mkdir|echo/.test(text) ? 'u' : 's');
      await page.waitForTimeout(150);
      await page.keyboard.press('ArrowDown');
    }
    await reviewer.locator('#model', { hasText: 'are enough: press Run Trainer' }).waitFor({ timeout: 20_000 });
    assert.ok((await reviewer.locator('tr.row .col-prediction').allInnerTexts()).every((p) => p === '–'));
    await reviewer.locator('#train').click();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Train' }).click();
    await reviewer.locator('#model caption', { hasText: 'Confusion matrix' }).waitFor({ timeout: 120_000 });
    await reviewer.locator('tr.row .col-prediction', { hasText: /^(safe|unsafe) \d+%$/ }).first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'triage-3-predictions');
  });

  await t.test('a side bar down to 170 px: no sideways scroll, the decision moves under the command', async () => {
    const fits = () => reviewer.locator('body').evaluate(() => {
      const wrap = document.querySelector('.table-wrap') as HTMLElement;
      const doc = document.documentElement;
      return { table: wrap.scrollWidth - wrap.clientWidth, page: doc.scrollWidth - doc.clientWidth, width: doc.clientWidth };
    });
    for (const width of [250, 170]) {
      await widenSideBar(page, width);
      await page.waitForTimeout(500);
      const m = await fits();
      assert.ok(m.width < 280, `the side bar did not narrow (${m.width} px)`);
      assert.deepEqual([m.table, m.page], [0, 0], `sideways scroll at ${m.width} px`);
      const denied = reviewer.locator('tr.row.decision-deny').first();
      assert.equal(await denied.locator('.col-decision').isVisible(), false);
      assert.equal(await denied.locator('.decision-line .badge').innerText(), 'would deny');
      for (const key of ['S', 'U', '?']) assert.ok(await denied.locator('.lab', { hasText: key }).isVisible(), `${key} hidden at ${m.width} px`);
      await screenshot(page, `triage-5-narrow-${width}`);
    }
    await widenSideBar(page, 760);
  });

  await t.test('Restore Dismissed Suggestions is in the palette, and says when there is nothing to restore', async () => {
    await page.mouse.click(1100, 500); // out of the webview, so the workbench takes the keys
    await runCommand(page, 'Rampart: Restore Dismissed Suggestions');
    await notification(page, 'no learned suggestion is dismissed on rampart.yaml', 15_000);
  });

  await t.test('in a high contrast theme the note keeps its command readable', async () => {
    await reviewer.locator('#reason').fill('checked by hand');
    await reviewer.locator('tr.row').first().locator('.lab', { hasText: 'S' }).click();
    const code = reviewer.locator('#note code');
    await code.waitFor({ timeout: 10_000 });
    await page.mouse.click(1100, 500); // out of the webview, so the workbench takes the keys
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+t');
    await page.locator('.quick-input-widget input').fill('Dark High Contrast');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark High Contrast' }).first().waitFor({ timeout: 10_000 });
    await page.locator('.quick-input-widget input').press('Enter');
    await reviewer.locator('body.vscode-high-contrast').waitFor({ timeout: 15_000 });
    const { color, background } = await code.evaluate((e) => ({ color: getComputedStyle(e).color, background: getComputedStyle(e).backgroundColor }));
    assert.notEqual(color, background, `the note's code is ${color} on ${background}`);
    await screenshot(page, 'triage-4-high-contrast-note');
  });
});
