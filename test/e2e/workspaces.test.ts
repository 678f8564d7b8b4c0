// Several workspace folders in a real VS Code (code-server + Chromium): a
// .code-workspace with folders alpha and beta, each with its own rampart.yaml.
// Diagnostics land on the right file, Open Policy and Run Agent Task ask which
// folder, Analyze Claude Code History learns from real transcripts (beta's
// ~/.claude/projects folder; a transcript file chosen in the dialog for alpha)
// onto the right policy, a dismissed suggestion stays dismissed after a window
// reload (and on that folder's policy only), and two agents run at once, each its own session. Screenshots go to
// test-artifacts/workspaces-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  answerFileDialog, answerInput, applyFixFromProblems, clearNotifications, problemRows, ensureHost, startWorkbench, notification, pick, reloadWindow, shutdown, reportFailures, runCommand, screenshot, tempDir, waitFor, type Host,
} from './harness';
import { SHARED_DATA } from '../shared-data';

const FIXTURES = join(__dirname, 'fixtures');
const TRANSCRIPTS = join(SHARED_DATA, 'claude-code', 'transcripts');
/** Real Claude Code transcripts (JSON arrays of the records Claude Code writes as JSON Lines). */
const ALPHA_TRANSCRIPT = join(TRANSCRIPTS, 'RyanLisse__big3__logs__chat.json');
const BETA_TRANSCRIPT = join(TRANSCRIPTS, 'asp2131__cka-buddy__logs__chat.b21e0a437302.json');
/** alpha has no folder in ~/.claude/projects: the dialog opens at once, and its title says why. */
const ANALYZE_DIALOG = 'No Claude Code history for alpha in ~/.claude/projects: choose transcripts, hook logs or audit logs';

const missing = ensureHost() ?? (existsSync(ALPHA_TRANSCRIPT) && existsSync(BETA_TRANSCRIPT) ? undefined : `the Claude Code transcripts are missing under ${TRANSCRIPTS}`);

let host: Host;
let browser: Browser;
let page: Page;
let tmp: string;
let home: string;
let alpha: string;
let beta: string;
let alphaTranscript: string;

/** Claude Code keeps a project's transcripts in ~/.claude/projects/<its path with / and . as ->. */
function claudeProjectDir(folder: string): string {
  return join(home, '.claude', 'projects', folder.replace(/[/.]/g, '-'));
}

/** Folders alpha and beta, each with the fixture policy under a header naming it; beta's has a lint warning. */
function makeWorkspace(root: string): string {
  const policy = readFileSync(join(FIXTURES, 'rampart.yaml'), 'utf8');
  for (const folder of [alpha, beta]) mkdirSync(folder, { recursive: true });
  writeFileSync(join(alpha, 'rampart.yaml'), `# Policy of folder alpha\n${policy}`);
  writeFileSync(
    join(beta, 'rampart.yaml'),
    `# Policy of folder beta\n${policy}
  # Documentation the agent may read.
  - name: allow-docs
    match:
      tool: ["fetch"]
    rules:
      - action: allow
        when:
          domain_matches: ["Docs.Python.org"]
`,
  );
  const agent = `node ${JSON.stringify(join(FIXTURES, 'waiting-agent.js'))}`;
  const file = join(root, 'two-folders.code-workspace');
  writeFileSync(
    file,
    JSON.stringify({
      folders: [{ path: 'alpha' }, { path: 'beta' }],
      settings: { 'rampartLearn.agents': [{ name: 'alpha-bot', command: agent }, { name: 'beta-bot', command: agent }], 'rampartLearn.defaultMode': 'learn' },
    }, null, 2),
  );
  return file;
}

/**
 * A real transcript's records as if recorded in `folder`: its project folder is
 * `folder`, so the files the agent edited are that folder's, as in a history of
 * one's own project.
 */
function recordedIn(transcript: string, folder: string): unknown[] {
  const records = JSON.parse(readFileSync(transcript, 'utf8')) as { cwd?: string }[];
  const project = records.find((r) => r.cwd)!.cwd!;
  return records.map((r) => JSON.parse(JSON.stringify(r).split(project).join(folder)) as unknown);
}

before(async () => {
  if (missing) return;
  tmp = tempDir('rampart-e2e-workspaces-');
  home = join(tmp, 'home');
  alpha = join(tmp, 'ws', 'alpha');
  beta = join(tmp, 'ws', 'beta');
  const workspaceFile = makeWorkspace(join(tmp, 'ws'));
  // beta's Claude Code history, where Claude Code keeps it (one JSON record per line).
  const project = claudeProjectDir(beta);
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'b21e0a43.jsonl'), `${recordedIn(BETA_TRANSCRIPT, beta).map((r) => JSON.stringify(r)).join('\n')}\n`);
  // alpha's transcript is a file the user picks in the dialog.
  mkdirSync(join(tmp, 'saved'));
  alphaTranscript = join(tmp, 'saved', 'big3-chat.json');
  writeFileSync(alphaTranscript, JSON.stringify(recordedIn(ALPHA_TRANSCRIPT, alpha)));
  ({ host, browser, page } = await startWorkbench(tmp, workspaceFile, { HOME: home }));
});

after(() => shutdown(browser, host, tmp));

/**
 * The Problems panel's rows for one folder's files (file rows, then their
 * problems), through the panel's filter with a glob on the folder.
 */
async function problemsOf(folder: 'alpha' | 'beta'): Promise<string[]> {
  await runCommand(page, 'View: Focus Problems');
  await page.locator('.viewpane-filter input').fill(`**/${folder}/**`);
  // The filter applies after a short delay: wait until every file row shown is in `folder`.
  const files = page.locator('.markers-panel .monaco-list-row[aria-label*=" in file "] .label-description');
  for (let i = 0; ; i++) {
    const shown = await files.allInnerTexts();
    if (shown.every((f) => f === folder)) break;
    if (i === 40) throw new Error(`the Problems filter still shows files of ${shown.join(', ')}`);
    await page.waitForTimeout(250);
  }
  return problemRows(page);
}

/** Waits until `folder`'s problems include `text`; returns them all. */
async function waitForProblem(folder: 'alpha' | 'beta', text: string, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await problemsOf(folder);
    if (rows.some((r) => r.includes(text))) return rows;
    if (Date.now() > deadline) throw new Error(`no problem with ${text} on ${folder}/rampart.yaml; it has:\n${rows.join('\n')}`);
    await page.waitForTimeout(1000);
  }
}

/** Opens a folder's policy with Open Policy, which asks for the folder when no editor is active. */
async function openPolicyOf(folder: 'alpha' | 'beta'): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Rampart: Open Policy');
  await pick(page, folder);
  await page.locator('.monaco-editor .view-line', { hasText: `# Policy of folder ${folder}` }).waitFor({ timeout: 30_000 });
}

/** Runs Analyze Claude Code History for alpha (its policy is open), answering the file dialog with the saved transcript. */
async function analyzeAlpha(): Promise<void> {
  await clearNotifications(page);
  await runCommand(page, 'Rampart: Analyze Claude Code History');
  await answerFileDialog(page, ANALYZE_DIALOG, alphaTranscript);
  await notification(page, /learned rules to review from Claude Code history \(\d+ calls\)/, 90_000);
}

/** Runs Analyze Claude Code History for beta (its policy is open), on beta's folder in ~/.claude/projects. */
async function analyzeBeta(): Promise<void> {
  await clearNotifications(page);
  await runCommand(page, 'Rampart: Analyze Claude Code History');
  await pick(page, `Use ${claudeProjectDir(beta)}`);
  await notification(page, /learned rules to review from Claude Code history \(\d+ calls\) and 1 sensitive-access warning/, 90_000);
}

test('several workspace folders, each with its own policy', { skip: missing && `cannot run: ${missing}`, timeout: 600_000 }, async (t) => {
  reportFailures(t, () => page, () => host, 'workspaces');

  await t.test('1. each folder\'s rampart.yaml gets its own diagnostics', async () => {
    // The Problems panel gets room for a long list.
    await runCommand(page, 'View: Focus Problems');
    await runCommand(page, 'View: Toggle Maximized Panel');
    const rows = await waitForProblem('beta', 'domain pattern "Docs.Python.org" has upper-case letters', 120_000);
    assert.equal(rows.length, 2, `beta: one file row and one problem, got:\n${rows.join('\n')}`);
    assert.deepEqual(await problemsOf('alpha'), []);
    await problemsOf('beta');
    await screenshot(page, 'workspaces-1-lint-per-folder');
  });

  await t.test('2. Open Policy asks which folder', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Rampart: Open Policy');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.quick-input-widget input').getAttribute('placeholder'), 'Workspace folder for: Open Policy');
    const labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => l.trim());
    assert.deepEqual(labels, ['alpha', 'beta']);
    await screenshot(page, 'workspaces-2-open-policy-asks');
    await pick(page, 'beta');
    await page.locator('.monaco-editor .view-line', { hasText: '# Policy of folder beta' }).waitFor({ timeout: 30_000 });
  });

  await t.test('3. Analyze Claude Code History learns beta\'s history onto beta\'s policy', async () => {
    // beta's policy is the active editor, so the command works on beta without asking.
    await analyzeBeta();
    await waitForProblem('beta', 'Agent ran 3 `cargo …` commands that this policy does not allow');
    const rm = await problemsOf('beta');
    assert.ok(rm.some((r) => /Agent ran `rm src\/ui\/layout\.rs && cargo build 2>&1`: dangerous form/.test(r)), 'the sensitive-access warning is missing');
    assert.ok((await problemsOf('beta')).some((r) => r.includes('Docs.Python.org')), 'the lint warning went away');
    assert.ok(!(await problemsOf('alpha')).some((r) => r.includes('Agent ')), 'alpha got beta\'s suggestions');
    await problemsOf('beta');
    await screenshot(page, 'workspaces-3-beta-history');
  });

  await t.test('4. a transcript chosen in the dialog is learned onto alpha\'s policy only', async () => {
    await openPolicyOf('alpha');
    await analyzeAlpha();
    const rows = await waitForProblem('alpha', 'Agent ran 12 `pnpm …` commands that this policy does not allow');
    assert.ok(!rows.some((r) => r.includes('`cargo …`')), 'alpha shows beta\'s suggestions');
    const betaRows = await problemsOf('beta');
    assert.ok(betaRows.some((r) => r.includes('`cargo …`')), 'beta lost its suggestions');
    assert.ok(!betaRows.some((r) => r.includes('`pnpm …`')), 'beta got alpha\'s suggestions');
    await problemsOf('alpha');
    await screenshot(page, 'workspaces-4-alpha-transcript');
  });

  await t.test('5. a dismissed suggestion goes away, on that policy only, and stays dismissed after a reload', async () => {
    // `echo *` is suggested on both policies (8 calls in alpha's transcript, 3 in beta's history).
    assert.ok((await problemsOf('beta')).some((r) => r.includes('Agent ran 3 `echo …` commands')));
    const policy = readFileSync(join(alpha, 'rampart.yaml'), 'utf8');
    await problemsOf('alpha');
    // Every suggestion is anchored on `policies:`, so the menu is the short one; a single dismissal goes through its picker.
    await applyFixFromProblems(page, 'Agent ran 8 `echo …` commands', 'Dismiss one of these', 'workspaces-5a-dismiss-menu');
    await pick(page, 'exec: echo *');
    for (let i = 0; (await problemsOf('alpha')).some((r) => r.includes('`echo …`')); i++) {
      if (i === 20) throw new Error('the dismissed suggestion is still shown');
      await page.waitForTimeout(500);
    }
    assert.ok((await problemsOf('alpha')).some((r) => r.includes('`pnpm …`')), 'the other suggestions went too');
    assert.equal(readFileSync(join(alpha, 'rampart.yaml'), 'utf8'), policy, 'dismissing changed the policy');
    assert.ok((await problemsOf('beta')).some((r) => r.includes('Agent ran 3 `echo …` commands')), 'dismissing on alpha dismissed it on beta too');
    await problemsOf('alpha');
    await screenshot(page, 'workspaces-5b-dismissed');

    await reloadWindow(page);
    await openPolicyOf('alpha');
    await analyzeAlpha();
    await waitForProblem('alpha', '`pnpm …`');
    assert.ok(!(await problemsOf('alpha')).some((r) => r.includes('`echo …`')), 'the dismissed suggestion came back after the reload');
    await screenshot(page, 'workspaces-5c-still-dismissed-after-reload');
    // beta's policy, analyzed afresh, still has its own `echo *` suggestion.
    await openPolicyOf('beta');
    await analyzeBeta();
    await waitForProblem('beta', 'Agent ran 3 `echo …` commands');
  });

  await t.test('6. two agents at once, each its own session with its own counts', async () => {
    const commands = {
      alpha: { before: ['git --version', 'ls', 'pwd'], after: ['date +%Y'] },
      beta: { before: ['uname -s', 'whoami', 'ls', 'pwd', 'echo beta'], after: ['wc -l rampart.yaml', 'head -n 2 rampart.yaml'] },
    };
    writeFileSync(join(alpha, 'agent-commands.json'), JSON.stringify(commands.alpha));
    writeFileSync(join(beta, 'agent-commands.json'), JSON.stringify(commands.beta));
    for (const [folder, dir] of [['alpha', alpha], ['beta', beta]] as const) {
      await runCommand(page, 'View: Close All Editors'); // no active editor: the command asks which folder
      await runCommand(page, 'Rampart: Run Agent Task');
      await pick(page, folder);
      await pick(page, `${folder}-bot`);
      await pick(page, 'Learn');
      await answerInput(page, '');
      await waitFor(`${folder}-bot to wait for its go`, () => existsSync(join(dir, 'agent-waiting.txt')), 90_000);
    }
    await runCommand(page, 'View: Show Rampart');
    const session = (agent: string) => page.locator('.pane-body .monaco-list-row', { hasText: `${agent} · learn` });
    await session('alpha-bot').filter({ hasText: '3 calls' }).locator('.codicon-debug-start').waitFor({ timeout: 30_000 });
    await session('beta-bot').filter({ hasText: '5 calls' }).locator('.codicon-debug-start').waitFor({ timeout: 30_000 });
    await screenshot(page, 'workspaces-6a-two-agents-running');

    writeFileSync(join(alpha, 'agent-go.txt'), 'go\n');
    writeFileSync(join(beta, 'agent-go.txt'), 'go\n');
    await waitFor('both agents to finish', () => existsSync(join(alpha, 'agent-done.txt')) && existsSync(join(beta, 'agent-done.txt')), 90_000);
    await session('alpha-bot').filter({ hasText: '4 calls' }).waitFor({ timeout: 30_000 });
    await session('beta-bot').filter({ hasText: '7 calls' }).waitFor({ timeout: 30_000 });
    assert.equal(await session('alpha-bot').count(), 1);
    assert.equal(await session('beta-bot').count(), 1);
    await screenshot(page, 'workspaces-6b-two-agents-done');

    // Learning from beta's session puts its suggestions on beta's policy, not alpha's.
    await clearNotifications(page);
    await runCommand(page, 'Rampart: Learn From Session');
    await pick(page, 'beta-bot');
    await notification(page, /learned rules? to review from beta-bot session/, 60_000);
    await waitForProblem('beta', '`uname …`');
    assert.ok(!(await problemsOf('alpha')).some((r) => r.includes('`uname …`')), 'alpha got beta-bot\'s suggestions');
    await problemsOf('beta');
    await screenshot(page, 'workspaces-6c-learned-from-beta-session');
  });
});
