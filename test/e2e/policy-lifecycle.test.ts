// The policy's life while agents run, in a real VS Code (code-server +
// Chromium): a policy with an error stops Run Agent Task with a located
// message; an ask answered "Always allow" runs the command and gives the
// asking rule an exception (comments kept), so the next session is not asked;
// a broken save while an agent runs is reported, the agent keeping the
// previous policy; the Claude Code hook it installs decides by the policy; and
// editing the policy offers completions and hovers that count the recorded calls,
// and its outline lists the policies and rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { answerInput, clearNotifications, ensureHost, startWorkbench, notification, pick, reportFailures, runCommand, screenshot, shutdown, tempDir, waitFor, type Host } from './harness';

const FIXTURES = join(__dirname, 'fixtures');
const missing = ensureHost();
const STAGE = 'git add -A';

let host: Host;
let browser: Browser;
let page: Page;
let tmp: string;
let ws: string;

before(async () => {
  if (missing) return;
  tmp = tempDir('rampart-e2e-policy-');
  ws = join(tmp, 'workspace');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  writeFileSync(join(ws, '.vscode/settings.json'), JSON.stringify({
    'rampartLearn.agents': [{ name: 'stager', command: `node ${JSON.stringify(join(FIXTURES, 'waiting-agent.js'))}` }],
    'rampartLearn.defaultMode': 'enforce',
  }));
  execFileSync('git', ['init', '-q'], { cwd: ws });
  ({ host, browser, page } = await startWorkbench(tmp, ws));
});

after(() => shutdown(browser, host, tmp));

const file = (name: string) => join(ws, name);
const staged = () => execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: ws, encoding: 'utf8' }).trim();

/**
 * Starts the waiting agent in Enforce mode: it runs `before`, waits for agent-go.txt (created now unless
 * `hold`), runs `after`. Returns once it waits (or is done, when not held).
 */
async function startStager(commands: { before: string[]; after: string[] }, hold = false): Promise<void> {
  for (const marker of ['agent-waiting.txt', 'agent-go.txt', 'agent-done.txt']) rmSync(file(marker), { force: true });
  writeFileSync(file('agent-commands.json'), JSON.stringify(commands));
  if (!hold) writeFileSync(file('agent-go.txt'), '');
  await runCommand(page, 'Rampart: Run Agent Task');
  await pick(page, 'stager');
  await pick(page, 'Enforce');
}

test('policy lifecycle: a broken policy, Always allow, a broken save while an agent runs', { skip: missing && `code-server host unavailable: ${missing}`, timeout: 400_000 }, async (t) => {
  reportFailures(t, () => page, () => host, 'policy');
  const policy = readFileSync(join(FIXTURES, 'rampart.yaml'), 'utf8');

  await t.test('1. a policy with an error: no agent is started, before any question, and the message names the file', async () => {
    writeFileSync(file('rampart.yaml'), policy.replace('action: ask', 'action: maybe'));
    await runCommand(page, 'Rampart: Run Agent Task');
    await notification(page, /no agent was started: rampart\.yaml has 1 error/);
    assert.equal(await page.locator('.quick-input-widget').isVisible(), false, 'a picker was opened first');
    assert.equal(existsSync(file('agent-waiting.txt')), false, 'the agent started');
    await clearNotifications(page);
  });

  await t.test('2. the ask answered Always allow: the command runs, and the asking rule gets an exception', async () => {
    writeFileSync(file('rampart.yaml'), policy);
    writeFileSync(file('notes.txt'), 'first\n');
    await startStager({ before: [STAGE, 'git status --short'], after: [] });
    await answerInput(page, 'stage the notes');
    const dialog = page.locator('.monaco-dialog-box', { hasText: `wants to run: ${STAGE}` });
    await dialog.waitFor({ timeout: 90_000 });
    await screenshot(page, 'policy-always-allow');
    await dialog.getByRole('button', { name: 'Always allow' }).click();
    await waitFor('the agent to finish', () => existsSync(file('agent-done.txt')), 90_000);
    assert.match(staged(), /notes\.txt/, `${STAGE} did not run`);
    await waitFor('the policy to be saved with the exception', () => readFileSync(file('rampart.yaml'), 'utf8').includes('command_not_matches'));
    const after = readFileSync(file('rampart.yaml'), 'utf8');
    // Lines are only added, the comments among them kept; the exception sits in the asking rule.
    assert.deepEqual(policy.split('\n').filter((line) => !after.split('\n').includes(line)), []);
    const rule = after.slice(after.indexOf('name: ask-before-staging'));
    assert.match(rule.slice(0, rule.indexOf('- name:')), /command_not_matches:\n\s+- git add -A\n/);
  });

  await t.test('3. the next session runs the same command without asking', async () => {
    execFileSync('git', ['reset', '-q'], { cwd: ws });
    await startStager({ before: [STAGE], after: [] });
    await answerInput(page, 'stage again');
    await waitFor('the agent to finish', () => existsSync(file('agent-done.txt')), 90_000);
    assert.match(staged(), /notes\.txt/, `${STAGE} did not run the second time`);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'asked again');
    await page.locator('.statusbar-item', { hasText: /Enforce · \d+ calls? · 0 denied · 0 asked/ }).waitFor({ timeout: 15_000 });
    await clearNotifications(page);
  });

  await t.test('4. a broken save while an agent runs is reported; the agent keeps the previous policy', async () => {
    execFileSync('git', ['reset', '-q'], { cwd: ws });
    await startStager({ before: ['git status --short'], after: [STAGE] }, true);
    await answerInput(page, 'wait, then stage');
    await waitFor('the agent to wait', () => existsSync(file('agent-waiting.txt')), 90_000);
    const good = readFileSync(file('rampart.yaml'), 'utf8');
    writeFileSync(file('rampart.yaml'), `${good}\n  - name: [broken\n`);
    await notification(page, /rampart\.yaml has \d+ errors?, so the change was not loaded: running agents keep the previous policy/);
    await screenshot(page, 'policy-broken-save');
    writeFileSync(file('agent-go.txt'), '');
    await waitFor('the agent to finish', () => existsSync(file('agent-done.txt')), 90_000);
    // Under the previous policy (with the exception), staging runs without a dialog.
    assert.match(staged(), /notes\.txt/, `${STAGE} did not run under the previous policy`);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'asked: the broken policy was loaded');
    writeFileSync(file('rampart.yaml'), good);
  });

  await t.test('5. Install Claude Code Hooks: the installed hook runs this CLI and decides by the project policy', async () => {
    await clearNotifications(page);
    await runCommand(page, 'Rampart: Install Claude Code Hooks');
    await pick(page, 'This project');
    await notification(page, /Rampart: Installed the Rampart hook in .*settings\.local\.json/, 60_000);
    const settings = JSON.parse(readFileSync(file('.claude/settings.local.json'), 'utf8')) as { hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
    const commands = settings.hooks.PreToolUse.flatMap((m) => m.hooks.map((h) => h.command)).filter((c) => c.endsWith(' hook claude-code'));
    assert.equal(commands.length, 1, JSON.stringify(settings));
    // The hook names the launcher in the extension's storage, not a versioned extension folder.
    assert.match(commands[0], /bin\/rampart-learn' hook claude-code$/);
    const decide = (command: string) => {
      const payload = { session_id: 'e2e-hook', hook_event_name: 'PreToolUse', cwd: ws, tool_name: 'Bash', tool_input: { command } };
      const out = execFileSync('/bin/sh', ['-c', commands[0]], { cwd: ws, input: JSON.stringify(payload), encoding: 'utf8', env: { ...process.env, RAMPART_AUDIT_DIR: join(tmp, 'hook-audit') } });
      return JSON.parse(out).hookSpecificOutput as { permissionDecision: string; permissionDecisionReason: string };
    };
    const denied = decide('rm -rf build');
    assert.equal(denied.permissionDecision, 'deny');
    assert.match(denied.permissionDecisionReason, /destructive command blocked by the team policy/);
    assert.equal(decide('ls').permissionDecision, 'allow');
    // Installing again changes nothing.
    const before = readFileSync(file('.claude/settings.local.json'), 'utf8');
    await clearNotifications(page);
    await runCommand(page, 'Rampart: Install Claude Code Hooks');
    await pick(page, 'This project');
    await notification(page, /Rampart: The Rampart hook is already installed/, 60_000);
    assert.equal(readFileSync(file('.claude/settings.local.json'), 'utf8'), before);
  });

  await t.test('6. editing the policy: completion offers the keys a rule lacks; a pattern\'s hover counts the recorded calls', async () => {
    await clearNotifications(page);
    const current = readFileSync(file('rampart.yaml'), 'utf8');
    // A new policy whose rule has only its action: the cursor goes at the end, on the rule's indentation.
    writeFileSync(file('rampart.yaml'), `${current.trimEnd()}\n\n  - name: typed-in-the-editor\n    rules:\n      - action: allow\n        `);
    await runCommand(page, 'Rampart: Open Policy');
    // The editor shows only the lines on screen, and takes the file's new text from disk a moment later.
    const added = page.locator('.monaco-editor .view-line', { hasText: 'typed-in-the-editor' });
    // Keys go to the editor, not to the agent's terminal that had the focus.
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'policies:' }).first().click();
    for (let attempt = 1; !(await added.count()); attempt++) {
      if (attempt > 30) throw new Error('the new policy did not show in the editor');
      await page.keyboard.press('Control+End');
      await page.waitForTimeout(500);
    }
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row');
    await rows.filter({ hasText: /^when/ }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'policy-completion');
    const offered = await rows.allInnerTexts();
    assert.ok(offered.some((l) => /^message\b/.test(l)), `no message among: ${offered.join(' | ')}`);
    assert.ok(!offered.some((l) => /^action\b/.test(l)), `the rule's own key was offered again: ${offered.join(' | ')}`);
    await page.keyboard.type('wh');
    await rows.first().filter({ hasText: /^when/ }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    // `when:` is inserted with the cursor indented under it: the conditions come next.
    await page.keyboard.type('command_m');
    await page.keyboard.press('Control+Space');
    await rows.filter({ hasText: /^command_matches/ }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.keyboard.type('git *');
    await page.keyboard.press('Control+S');
    await waitFor('the typed rule to be saved', () => /\n {8}when:\n {10}command_matches: \["git \*"\]/.test(readFileSync(file('rampart.yaml'), 'utf8')), 30_000);
    // Hover the pattern: what it means, and how many of the calls the agents ran it matches.
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /distinct commands/ });
    const pattern = page.locator('.monaco-editor .view-line', { hasText: 'command_matches: ["git *"]' }).locator('span', { hasText: 'git *' }).last();
    await pattern.hover();
    if (!(await hover.first().waitFor({ timeout: 10_000 }).then(() => true, () => false))) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
    }
    await hover.first().waitFor({ timeout: 20_000 });
    const shown = await hover.first().innerText();
    await page.waitForTimeout(600); // the hover fades in
    await screenshot(page, 'policy-hover');
    assert.match(shown, /Matches the whole command/);
    assert.match(shown, /Matches [1-9]\d* of \d+ distinct commands?/);
    assert.match(shown, /git add -A|git status --short/);
    await page.keyboard.press('Escape');
  });

  await t.test('7. the outline: Go to Symbol lists the policies and their rules, and goes to the one picked', async () => {
    const input = page.locator('.quick-input-widget input');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('@');
    await rows.filter({ hasText: 'typed-in-the-editor' }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'policy-outline');
    // The list shows the rows around the cursor's symbol: each policy is looked up by its name.
    for (const name of ['block-destructive', 'ask-before-staging', 'allow-basics']) {
      await input.fill(`@${name}`);
      await rows.filter({ hasText: name }).first().waitFor({ timeout: 10_000 });
    }
    // A rule is listed by its action, inside its policy.
    await input.fill('@deny');
    await rows.filter({ hasText: /deny.*block-destructive/ }).first().waitFor({ timeout: 10_000 });
    await input.fill('@typed-in');
    await pick(page, 'typed-in-the-editor');
    // The cursor goes to the policy's name.
    const lines = readFileSync(file('rampart.yaml'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('- name: typed-in-the-editor'));
    const at = `Ln ${line + 1}, Col ${lines[line]!.indexOf('typed-in') + 1}`;
    await page.locator('#status\\.editor\\.selection', { hasText: at }).waitFor({ timeout: 10_000 });
  });
});
