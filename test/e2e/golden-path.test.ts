// The golden path in a real VS Code (code-server + Chromium): run a scripted
// agent in Enforce mode, see its calls in the Reviewer, check the denied
// command did not run, label, learn, apply a quick fix, train. Each step leaves
// a screenshot in test-artifacts/golden-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { answerInput, applyQuickFix, ensureHost, startWorkbench, makeScriptedWorkspace, notification, openReviewer, pick, shutdown, reviewerFrame, runCommand, screenshot, reportFailures, startScriptedAgent, tempDir, waitFor, widenSideBar, type Host } from './harness';

const missing = ensureHost();

let host: Host;
let browser: Browser;
let page: Page;
let tmp: string;
let ws: string;

/** An element's text and background colours as rendered now (hover included), in sRGB 0–255. */
function colours(target: Locator): Promise<{ text: number[]; background: number[] }> {
  // No named helpers inside: tsx would wrap them in a `__name` call the page does not have.
  return target.evaluate((e) => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const style = getComputedStyle(e);
    const [text, background] = [style.color, style.backgroundColor].map((css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css; // the canvas resolves any CSS colour, color-mix() results too
      ctx.fillRect(0, 0, 1, 1);
      return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
    });
    return { text, background };
  });
}

/** The WCAG contrast ratio of an element's text against its background. */
async function contrast(target: Locator): Promise<number> {
  const luminance = (c: number[]) => {
    const [r, g, b] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const { text, background } = await colours(target);
  const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

before(async () => {
  if (missing) return;
  tmp = tempDir('rampart-e2e-');
  ws = join(tmp, 'workspace');
  mkdirSync(ws);
  makeScriptedWorkspace(ws, {
    settings: {
      'rampartLearn.defaultMode': 'enforce',
      'rampartLearn.model.minLabels': 10,
      'rampartLearn.model.trees': 30,
      // As in desktop VS Code (in a browser it defaults to afterDelay): the learned edit must stay unsaved for review.
      'files.autoSave': 'off',
    },
  });
  ({ host, browser, page } = await startWorkbench(tmp, ws));
});

after(() => shutdown(browser, host, tmp));

test('golden path: run, review, label, learn, quick fix, train', { skip: missing && `code-server host unavailable: ${missing}`, timeout: 300_000 }, async (t) => {
  const reviewer = reviewerFrame(page);
  reportFailures(t, () => page, () => host, 'golden');

  await t.test('1. the workspace opens with its rampart.yaml', async () => {
    await openReviewer(page);
    // Before any agent ran: an empty state that says what to do, and the model panel gives the real training requirement.
    await reviewer.locator('tr.empty', { hasText: 'No agent calls yet' }).locator('button', { hasText: 'Run Agent Task' }).waitFor({ timeout: 30_000 });
    await reviewer.locator('#model', { hasText: 'training needs at least 10 labelled commands, both safe and unsafe ones (now 0 safe, 0 unsafe; a command labelled again counts once)' }).waitFor({ timeout: 30_000 });
    await widenSideBar(page, 760);
    await runCommand(page, 'Rampart: Show Output');
    const activated = page.locator('.output-view .view-line', { hasText: 'Rampart Learn activated in' });
    await activated.waitFor({ timeout: 30_000 });
    // A measurement for the report, not an assertion: timings vary with the machine.
    process.stderr.write(`e2e: ${(await activated.innerText()).replace(/\u00a0/g, ' ').trim()}\n`);
    await screenshot(page, 'golden-1-workspace');
  });

  await t.test('2. Run Agent Task with the scripted agent in Enforce mode', async () => {
    await startScriptedAgent(page, 'Enforce', 'tidy up the scratch folder');
    // `git add -A` hits an `ask` rule: the modal approval appears and the agent waits for it.
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'wants to run: git add -A' });
    await dialog.waitFor({ timeout: 90_000 });
    assert.match(await dialog.innerText(), /staging files needs approval/);
    await screenshot(page, 'golden-2a-ask-approval');
    // The safe answer is the default: a stray Enter denies.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Deny');
    await page.keyboard.press('Enter');
    await waitFor('the scripted agent to finish', () => existsSync(join(ws, 'agent-done.txt')));
    assert.equal(execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: ws, encoding: 'utf8' }), '', '`git add -A` ran');
    // The status bar follows the gate's events (its text travels from the extension host to the page); the refused ask counts as denied.
    await page.locator('.statusbar-item', { hasText: /Enforce · 2\d calls · 2 denied · 1 asked \(0 approved\)/ }).waitFor({ timeout: 15_000 });
    // The agent exited: its session ended, though its terminal is still open.
    await page.locator('.notification-toast', { hasText: 'scripted session ended after' }).waitFor({ timeout: 30_000 });
    await page.locator('.pane-body .monaco-list-row', { hasText: 'scripted · enforce' }).locator('.codicon-circle-outline').waitFor({ timeout: 10_000 });
    await screenshot(page, 'golden-2-agent-terminal');
  });

  await t.test('3. events appear in the Reviewer; the denied command did not run', async () => {
    assert.equal(existsSync(join(ws, 'denied-ran.txt')), false, 'the denied command ran');
    assert.equal(existsSync(join(ws, 'scratch/out.txt')), true, 'allowed commands did not run');
    await reviewer.locator('tr.row', { hasText: 'rm -rf ./scratch' }).waitFor({ timeout: 20_000 });
    const denied = reviewer.locator('tr.row.decision-deny');
    assert.ok((await denied.count()) >= 1);
    assert.match(await denied.first().innerText(), /rm -rf/);
    const rows = await reviewer.locator('tr.row').count();
    assert.ok(rows >= 20, `expected at least 20 rows, saw ${rows}`);
    await screenshot(page, 'golden-3-reviewer');
  });

  await t.test('3b. at the default side-bar width the command, the decision and the label buttons are in view', async () => {
    await widenSideBar(page, 300);
    const view = (await page.locator('iframe.webview.ready').boundingBox())!;
    assert.ok(view.width <= 320, `the side bar is ${view.width} px wide`);
    await page.waitForTimeout(500); // the webview lays out again at its new width
    const wrap = reviewer.locator('.table-wrap');
    const { scrollWidth, clientWidth } = await wrap.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }));
    assert.ok(scrollWidth <= clientWidth, `the table scrolls sideways (${scrollWidth} > ${clientWidth})`);
    const denied = reviewer.locator('tr.row.decision-deny', { hasText: 'rm -rf ./scratch' }).first();
    const parts: [string, Locator][] = [['command', denied.locator('.cmd')], ['decision', denied.locator('.col-decision')], ...['S', 'U', '?'].map((k): [string, Locator] => [k, denied.locator('.lab', { hasText: k })])];
    for (const [name, part] of parts) {
      const box = (await part.boundingBox())!;
      assert.ok(box && box.x >= view.x && box.x + box.width <= view.x + view.width + 0.5, `${name} is outside the view: ${JSON.stringify(box)} in ${JSON.stringify(view)}`);
    }
    assert.ok((await denied.locator('.cmd').boundingBox())!.width >= 60, 'the command has room');
    // The hidden columns moved to the command's second line; the row itself carries the decision colour.
    assert.match(await denied.locator('.meta').innerText(), /score 100[\s\S]*scripted[\s\S]*exec/);
    assert.notEqual(await denied.evaluate((e) => getComputedStyle(e).boxShadow), 'none');
    await screenshot(page, 'golden-3b-reviewer-side-bar');
    await widenSideBar(page, 760);
  });

  await t.test('4. label an event unsafe with the keyboard', async () => {
    const row = reviewer.locator('tr.row', { hasText: 'rm -rf ./scratch' }).first();
    await row.click();
    await row.press('u');
    const labelled = reviewer.locator('tr.row.label-unsafe', { hasText: 'rm -rf ./scratch' });
    await labelled.waitFor({ timeout: 10_000 });
    assert.equal(await labelled.locator('.deny-rule').count(), 0, 'Deny… on a call the policy already denied');
    // Hover keeps the text readable, and the chosen label keeps its colour.
    const safe = labelled.locator('.lab', { hasText: 'S' });
    await safe.hover();
    assert.ok((await contrast(safe)) >= 4.5, `hovered S: contrast ${await contrast(safe)}`);
    const unsafe = labelled.locator('.lab', { hasText: 'U' });
    await unsafe.hover();
    assert.ok((await contrast(unsafe)) >= 4.5, `hovered U: contrast ${await contrast(unsafe)}`);
    const [r, g, b] = (await colours(unsafe)).background;
    assert.ok(r > g + 60 && r > b + 60, `the hovered U is no longer red: rgb(${r}, ${g}, ${b})`);
    await page.mouse.move(0, 0);
    await screenshot(page, 'golden-4-labelled');
  });

  await t.test('5. Learn From Session puts suggestions on rampart.yaml', async () => {
    await runCommand(page, 'Rampart: Learn From Session');
    await pick(page, 'scripted');
    await page.locator('.tabs-container .tab', { hasText: 'rampart.yaml' }).waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'commands that this policy does not allow' }).first();
    await problem.waitFor({ timeout: 20_000 });
    assert.match(await page.locator('.markers-panel').innerText(), /Agent ran \d+ `git …` commands that this policy does not allow/);
    await screenshot(page, 'golden-5-diagnostics');
  });

  await t.test('6. the ended session offers a review', async () => {
    await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
    // Offered when the agent exited (step 2); the toast may have gone, the notification stays in the centre.
    await runCommand(page, 'Notifications: Show Notifications');
    const toast = page.locator('.notifications-center .notification-list-item', { hasText: 'session ended after' });
    await toast.waitFor({ timeout: 30_000 });
    const review = toast.locator('.monaco-button', { hasText: /Review \d+ learned rules?/ });
    await review.waitFor({ timeout: 5_000 });
    await screenshot(page, 'golden-6-session-ended');
    await review.click();
    await page.locator('.notification-toast', { hasText: /learned rules? to review from scripted session/ }).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 }); // the policy opened and took the focus
  });

  await t.test('7. a quick fix adds the rule, unsaved and shown as a diff, and keeps the comments', async () => {
    const before = readFileSync(join(ws, 'rampart.yaml'), 'utf8');
    await runCommand(page, 'View: Focus Problems');
    // Open the problem in the editor (cursor on its range), then ask for quick fixes there.
    await page.locator('.markers-panel .monaco-list-row', { hasText: '`git …`' }).first().dblclick();
    await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
    const chosen = await applyQuickFix(page, 'Allow `git *`', 'golden-7a-quickfix-menu');
    assert.match(chosen, /^Allow `git \*` \(covers \d+ observed calls\)/);
    // The policy is open in an editor: the edit is in the document, not on disk, and a diff shows it.
    const diffTab = page.locator('.tabs-container .tab', { hasText: /rampart\.yaml: `git \*` with [\d,]+ guards against dangerous forms added/ });
    await diffTab.waitFor({ timeout: 15_000 });
    await notification(page, /added `git \*` with [\d,]+ guards against dangerous forms to rampart\.yaml, not saved/);
    await page.waitForTimeout(2500); // longer than any auto save delay
    assert.equal(readFileSync(join(ws, 'rampart.yaml'), 'utf8'), before, 'the learned rule was saved without the user');
    assert.ok(await diffTab.evaluate((e) => e.classList.contains('dirty')), 'the policy is not shown as unsaved');
    // The inserted rule is selected in the diff's editor.
    assert.match(await page.locator('.monaco-diff-editor .modified .view-line', { hasText: 'learned-exec' }).first().innerText(), /learned-exec/);
    await screenshot(page, 'golden-7-quickfix-diff');
    await page.keyboard.press('Control+s');
    // Saved means written out whole: a read in the middle of the write sees a truncated (even empty) file.
    await waitFor('rampart.yaml to be saved', () => {
      const now = readFileSync(join(ws, 'rampart.yaml'), 'utf8');
      return now !== before && now.includes('learned-exec') && now.endsWith('\n');
    }, 15_000);
    const after = readFileSync(join(ws, 'rampart.yaml'), 'utf8');
    assert.match(after, /learned-exec/);
    assert.match(after, /"?git \*"?/);
    for (const line of before.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(after.includes(line), `comment lost: ${line}`);
    assert.ok(after.startsWith(before.slice(0, before.indexOf('policies:'))), 'the header changed');
    // The applied suggestion's diagnostic goes away; the others stay.
    await page.locator('.markers-panel .monaco-list-row', { hasText: '`git …`' }).waitFor({ state: 'detached', timeout: 10_000 });
    assert.ok((await page.locator('.markers-panel .monaco-list-row', { hasText: 'commands that this policy does not allow' }).count()) > 0);
    // Show the added policy: go to its line (Ctrl+G centres it in the editor).
    const line = after.split('\n').findIndex((l) => l.includes('learned-exec')) + 1;
    await page.keyboard.press('Control+g');
    await answerInput(page, `:${line}`); // the go-to-line input keeps its ":" prefix
    await page.waitForTimeout(500);
    await screenshot(page, 'golden-7b-quickfix-applied');
  });

  await t.test('7b. with files.autoSave on, a quick fix waits in the Refactor Preview, and is saved once applied', async () => {
    const settings = join(ws, '.vscode/settings.json');
    writeFileSync(settings, JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), 'files.autoSave': 'afterDelay' }, null, 2));
    await page.waitForTimeout(1500); // the settings file is watched
    const before = readFileSync(join(ws, 'rampart.yaml'), 'utf8');
    await runCommand(page, 'View: Focus Problems');
    await page.locator('.markers-panel .monaco-list-row', { hasText: '`cat*`' }).first().dblclick();
    await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
    await applyQuickFix(page, 'Allow `cat*`');
    const apply = page.locator('.bulk-edit-panel .monaco-button', { hasText: 'Apply' });
    await apply.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2500); // longer than the auto save delay
    assert.equal(readFileSync(join(ws, 'rampart.yaml'), 'utf8'), before, 'auto save put the rule in force before it was applied');
    await screenshot(page, 'golden-7d-refactor-preview');
    // One entry (the pattern with its guards), unticked until the user ticks it: Apply without it adds nothing, and says so.
    await apply.click();
    await notification(page, /nothing was added to rampart\.yaml: the Refactor Preview was discarded, or applied with its entry unticked/);
    assert.equal(readFileSync(join(ws, 'rampart.yaml'), 'utf8'), before);
    await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 }).catch(() => undefined);
    await runCommand(page, 'View: Focus Problems');
    await page.locator('.markers-panel .monaco-list-row', { hasText: '`cat*`' }).first().dblclick();
    await page.locator('.monaco-editor.focused').waitFor({ timeout: 10_000 });
    await applyQuickFix(page, 'Allow `cat*`');
    await apply.waitFor({ timeout: 15_000 });
    await page.locator('.bulk-edit-panel .monaco-list-row input.edit-checkbox').first().check();
    await apply.click();
    await notification(page, /added `cat\*` with [\d,]+ guards against dangerous forms to rampart\.yaml and saved it \(files\.autoSave is on\)/);
    await waitFor('rampart.yaml to be saved with cat*', () => readFileSync(join(ws, 'rampart.yaml'), 'utf8').includes('"cat*"'), 15_000);
  });

  await t.test('8. label enough events and train: metrics are visible', async () => {
    await runCommand(page, 'View: Show Rampart');
    const unsafe = ['git add -A', 'mkdir -p scratch'];
    for (const text of unsafe) {
      const row = reviewer.locator('tr.row', { hasText: text }).first();
      await row.click();
      await row.press('u');
      await reviewer.locator('tr.row.label-unsafe', { hasText: text }).first().waitFor();
    }
    for (const text of ['git status --short', 'git log --oneline', 'pwd', 'node --version', 'npm --version', 'cat package.json', 'wc -l', 'date +%Y', 'head -n 3', 'git branch']) {
      const row = reviewer.locator('tr.row', { hasText: text }).first();
      await row.click();
      await row.press('s');
      await reviewer.locator('tr.row.label-safe', { hasText: text }).first().waitFor();
    }
    await reviewer.locator('#train').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match(await dialog.innerText(), /10 safe, 3 unsafe/);
    await screenshot(page, 'golden-8a-train-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Train' }).click();
    await reviewer.locator('#model caption', { hasText: 'Confusion matrix' }).waitFor({ timeout: 90_000 });
    // 13 labels leave a test set of a handful of rows: the panel says so, and lists no feature without effect.
    await reviewer.locator('#model .caveat', { hasText: 'Too few labels to judge' }).waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await reviewer.locator('#model').innerText(), /\b0\.0000\b/);
    await reviewer.locator('#metrics').scrollIntoViewIfNeeded();
    await screenshot(page, 'golden-8b-metrics');
  });

  await t.test('9. a reason is confirmed in the note, and the next action clears the note', async () => {
    await reviewer.locator('#reason').fill('only reads the scratch output');
    await reviewer.locator('tr.row', { hasText: 'cat scratch/out.txt' }).first().locator('.lab', { hasText: 'S' }).click();
    const note = reviewer.locator('#note');
    await note.locator('code', { hasText: 'cat scratch/out.txt' }).waitFor({ timeout: 10_000 });
    assert.equal(await note.innerText(), 'Labelled cat scratch/out.txt safe, with the reason “only reads the scratch output”.');
    // Deny… (on a call labelled unsafe that the policy let through) stays readable on hover.
    const deny = reviewer.locator('tr.row.label-unsafe', { hasText: 'mkdir -p scratch' }).first().locator('.deny-rule');
    await deny.hover();
    assert.ok((await contrast(deny)) >= 4.5, `hovered Deny…: contrast ${await contrast(deny)}`);
    await screenshot(page, 'golden-9-reason-noted');
    await reviewer.locator('#refresh').click();
    for (let i = 0; i < 40 && (await note.textContent()); i++) await page.waitForTimeout(250);
    assert.equal(await note.textContent(), '');
  });

});
