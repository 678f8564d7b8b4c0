// "Always allow" in a real VS Code (code-server + Chromium): an agent in
// Enforce mode stages files, the policy asks, the user answers Always allow.
// The command runs, the policy gains an exception to the asking rule (its
// comments kept), and the next session runs the same command without asking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { answerInput, ensureHost, launchHost, openBrowser, openWorkbench, pick, reportFailures, ROOT, runCommand, screenshot, shutdown, tempDir, waitFor, type Host } from './harness';

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
  tmp = tempDir('rampart-e2e-allow-');
  ws = join(tmp, 'workspace');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  copyFileSync(join(FIXTURES, 'rampart.yaml'), join(ws, 'rampart.yaml'));
  writeFileSync(join(ws, 'notes.txt'), 'first\n');
  writeFileSync(join(ws, '.vscode/settings.json'), JSON.stringify({
    'rampartLearn.agents': [{ name: 'stager', command: `node ${JSON.stringify(join(FIXTURES, 'scripted-agent.js'))}` }],
    'rampartLearn.defaultMode': 'enforce',
  }));
  execFileSync('git', ['init', '-q'], { cwd: ws });
  host = await launchHost({ tmp, extension: { link: ROOT }, env: { E2E_AGENT_COMMANDS: JSON.stringify([STAGE, 'git status --short']) } });
  browser = await openBrowser();
  page = await openWorkbench(browser, host, ws);
});

after(() => shutdown(browser, host, tmp));

/** Runs the stager agent in Enforce mode and waits until it is done. `answer` clicks a button of the approval dialog, if one is expected. */
async function runStager(answer?: string): Promise<void> {
  rmSync(join(ws, 'agent-done.txt'), { force: true });
  await runCommand(page, 'Rampart: Run Agent Task');
  await pick(page, 'stager');
  await pick(page, 'Enforce');
  await answerInput(page, 'stage the notes');
  if (answer) {
    const dialog = page.locator('.monaco-dialog-box', { hasText: `wants to run: ${STAGE}` });
    await dialog.waitFor({ timeout: 90_000 });
    await screenshot(page, 'always-allow-dialog');
    await dialog.getByRole('button', { name: answer }).click();
  }
  await waitFor('the stager agent to finish', () => existsSync(join(ws, 'agent-done.txt')), 90_000);
}

const staged = () => execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: ws, encoding: 'utf8' }).trim();

test('Always allow stops the policy asking about that command', { skip: missing && `code-server host unavailable: ${missing}`, timeout: 300_000 }, async (t) => {
  reportFailures(t, () => page, () => host, 'always-allow');
  const before = readFileSync(join(ws, 'rampart.yaml'), 'utf8');

  await t.test('1. the ask is answered Always allow: the command runs and the asking rule gets an exception', async () => {
    await runStager('Always allow');
    assert.match(staged(), /notes\.txt/, `${STAGE} did not run`);
    await waitFor('the policy to be saved with the exception', () => readFileSync(join(ws, 'rampart.yaml'), 'utf8').includes('command_not_matches'));
    const after = readFileSync(join(ws, 'rampart.yaml'), 'utf8');
    // Lines are only added, the comments among them kept; the exception sits in the asking rule.
    assert.deepEqual(before.split('\n').filter((line) => !after.split('\n').includes(line)), []);
    const rule = after.slice(after.indexOf('name: ask-before-staging'));
    assert.match(rule.slice(0, rule.indexOf('- name:', 1) >>> 0), /command_not_matches:\n\s+- git add -A\n/);
  });

  await t.test('2. the next session runs the same command without asking', async () => {
    execFileSync('git', ['reset', '-q'], { cwd: ws });
    writeFileSync(join(ws, 'notes.txt'), 'second\n');
    await runStager();
    assert.match(staged(), /notes\.txt/, `${STAGE} did not run the second time`);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'asked again');
    await page.locator('.statusbar-item', { hasText: /Enforce · \d+ calls? · 0 denied · 0 asked/ }).waitFor({ timeout: 15_000 });
  });
});
