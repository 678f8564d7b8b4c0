// The end-to-end harness: installs (once) and launches a real VS Code
// (code-server) with this extension loaded, and drives it through Playwright
// and Debian's Chromium. See scripts/setup-vscode-host.sh and docs/extension.md.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page, type FrameLocator, type Locator } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
// Shared by every clone on the machine (CI starts from a fresh clone each time); same default as the setup script.
const HOST = process.env.RAMPART_VSCODE_HOST ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'rampart-learn', 'vscode-host-4.100.3');
const CODE_SERVER = join(HOST, 'node_modules/.bin/code-server');
const CHROMIUM = '/usr/bin/chromium';

/** Installs the host when missing; returns a reason when it cannot be had. */
export function ensureHost(): string | undefined {
  if (!existsSync(CODE_SERVER) || !existsSync(join(HOST, '.installed-code-server-4.100.3'))) {
    process.stderr.write(`e2e: installing code-server into ${HOST} (first run, a few minutes)…\n`);
    const r = spawnSync('bash', [join(ROOT, 'scripts/setup-vscode-host.sh')], { stdio: ['ignore', 2, 2], env: { ...process.env, RAMPART_VSCODE_HOST: HOST } });
    if (r.status !== 0) return `scripts/setup-vscode-host.sh failed (exit ${r.status}); see its output above`;
  }
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!existsSync(join(ROOT, 'dist/extension.js'))) return 'dist/extension.js is missing: run npm run build';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export interface Host {
  url: string;
  tmp: string;
  userDataDir: string;
  extensionsDir: string;
  log: () => string;
  close(): Promise<void>;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'terminal.integrated.enablePersistentSessions': false,
  'editor.accessibilitySupport': 'off',
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Starts code-server in its own process group; `extension` is linked or installed from a .vsix.
 * `env` adds to the host's environment (e.g. a HOME of the test's own, so `~/.claude` is a fixture).
 */
export async function launchHost(opts: { tmp: string; extension: { link: string } | { vsix: string }; env?: Record<string, string> }): Promise<Host> {
  const userDataDir = join(opts.tmp, 'user-data');
  const extensionsDir = join(opts.tmp, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  if ('link' in opts.extension) {
    const pkg = JSON.parse(readFileSync(join(opts.extension.link, 'package.json'), 'utf8'));
    symlinkSync(opts.extension.link, join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`));
  } else {
    const r = spawnSync(CODE_SERVER, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', opts.extension.vsix], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`--install-extension failed: ${r.stdout}${r.stderr}`);
  }
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    CODE_SERVER,
    ['--config', join(opts.tmp, 'code-server.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash', ...opts.env } },
  );
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    tmp: opts.tmp,
    userDataDir,
    extensionsDir,
    log: () => output,
    async close() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
  };
}

/** The extension's output channel as written to the host's log folder ('' when not found). */
export function extensionLog(host: Host): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Rampart Learn.log') found.push(p);
    }
  };
  walk(join(host.userDataDir, 'logs'));
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** A failing subtest of `t` leaves a picture of the screen it failed on, and the extension's log on stderr. */
export function reportFailures(t: TestContext, page: () => Page, host: () => Host, prefix: string): void {
  t.afterEach(async (st) => {
    if ((st as { passed?: boolean }).passed !== false) return;
    await screenshot(page(), `${prefix}-FAILED-${st.name.replace(/\W+/g, '-')}`).catch(() => {});
    process.stderr.write(`e2e: extension log at failure:\n${extensionLog(host()).slice(-4000)}\n`);
  });
}

/** Ends a test file's session: the browser, then code-server's process group, then its folder (kept with KEEP_E2E=1). */
export async function shutdown(browser: Browser | undefined, host: Host | undefined, tmp: string | undefined): Promise<void> {
  await browser?.close();
  await host?.close();
  if (tmp && !process.env.KEEP_E2E) removeDir(tmp);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Opens the workbench on a folder, on a `.code-workspace` file (several folders),
 * or, without a target, on an empty window (no folder open).
 */
export async function openWorkbench(browser: Browser, host: Host, target?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const query = !target ? 'ew=true' : `${target.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(target)}`;
  // Generous timeouts: the machine is shared and may be busy.
  await page.goto(`${host.url}/?${query}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  return page;
}

/** Reloads the window (Developer: Reload Window) and waits for the workbench to come back. */
export async function reloadWindow(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 120_000 });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The notification toast whose message matches `text`, once it has faded in (so screenshots show it). */
export async function notification(page: Page, text: string | RegExp, timeout = 30_000): Promise<Locator> {
  const toast = page.locator('.notification-toast.notification-fade-in-done', { has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  await toast.waitFor({ timeout });
  return toast;
}

/** Clears every notification, so the next one can be told apart. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

/**
 * Opens the quick fixes at the cursor (Ctrl+.) and accepts the first whose
 * label starts with `label`; returns that label. Diagnostics may still be
 * settling on a busy machine, so a menu without it is asked for again.
 */
export async function applyQuickFix(page: Page, label: string, screenshotName?: string): Promise<string> {
  const rows = page.locator('.action-widget .monaco-list-row');
  const focused = page.locator('.action-widget .monaco-list-row.focused').first();
  const current = async () =>
    (await focused.count()) ? { label: (await focused.getAttribute('aria-label')) ?? '', index: Number(await focused.getAttribute('data-index')) } : { label: '', index: -1 };
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    await rows.first().waitFor({ timeout: 10_000 }).catch(() => {});
    // A pointer block covers the menu while it is open, and long menus scroll: walk it with the keyboard
    // (the first row is not always focused yet; ArrowDown focuses it). Labels may repeat, so the
    // walk ends when the focus wraps around to the top.
    const seen: string[] = [];
    let now = await current();
    for (let steps = 0; !now.label.startsWith(label) && steps < 500 && (await rows.count()); steps++) {
      if (now.label) seen.push(now.label);
      await page.keyboard.press('ArrowDown');
      const next = await current();
      if (next.index !== -1 && next.index < now.index) break;
      now = next;
    }
    if (now.label.startsWith(label)) break;
    if (attempt === 3) throw new Error(`no quick fix starting with ${label} among: ${seen.join(' | ')}`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(2000);
  }
  if (screenshotName) await screenshot(page, screenshotName);
  const chosen = (await current()).label;
  await page.keyboard.press('Enter');
  await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  return chosen;
}

/** Drags the side bar's edge so the Reviewer table has room (screenshots read better). */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (!bar) return;
  const x = bar.x + bar.width;
  const y = bar.y + bar.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(bar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/**
 * Runs a command from the palette by its title (e.g. "Rampart: Open Policy").
 * The palette lists the commands known when it opens, and extensions register
 * theirs a little after the workbench appears, so it retries a few times.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
  // Press Enter on the input itself: if something stole the focus, this fails instead of typing into an editor.
  await input.press('Enter');
}

/** Picks an item of the open quick pick whose label contains `text`. */
export async function pick(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Types into the open input box and accepts it. */
export async function answerInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** The Problems list's own rows as rendered (not the sticky headers drawn over it): index and text. */
function renderedProblemRows(page: Page): Promise<(readonly [number, string])[]> {
  return page.locator('.markers-panel .monaco-list-rows > .monaco-list-row')
    .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-index')), (e as HTMLElement).innerText] as const));
}

/**
 * Scrolls the Problems list from its top down, a few rows at a time, until
 * `done` holds or the list stops moving: the list only renders the rows in view.
 */
async function scrollProblems(page: Page, done: () => Promise<boolean>): Promise<void> {
  if (!(await renderedProblemRows(page)).length) return;
  await page.locator('.markers-panel .monaco-list').hover();
  for (let i = 0; i < 100 && !(await renderedProblemRows(page)).some(([index]) => index === 0); i++) {
    await page.mouse.wheel(0, -2000);
    await page.waitForTimeout(50);
  }
  let last = '';
  for (let i = 0, still = 0; i < 400 && still < 3 && !(await done()); i++) {
    const shown = (await renderedProblemRows(page)).map(([index]) => index).join(',');
    still = shown === last ? still + 1 : 0;
    last = shown;
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(100);
  }
}

/** Every row of the Problems list, in order, scrolled through. */
export async function problemRows(page: Page): Promise<string[]> {
  const byIndex = new Map<number, string>();
  await scrollProblems(page, async () => {
    for (const [index, text] of await renderedProblemRows(page)) byIndex.set(index, text);
    return false;
  });
  for (const [index, text] of await renderedProblemRows(page)) byIndex.set(index, text);
  return [...byIndex].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

/**
 * Applies a quick fix from the Problems panel: selects the first problem whose
 * text contains `problem`, opens its fixes with the row's light bulb (shown once
 * they are computed) and clicks the one whose label contains `fix`. Unlike the
 * editor's menu, this one lists every fix at once, so it suits long menus.
 */
export async function applyFixFromProblems(page: Page, problem: string, fix: string, screenshotName?: string): Promise<void> {
  const row = page.locator('.markers-panel .monaco-list-rows > .monaco-list-row', { hasText: problem }).first();
  await scrollProblems(page, async () => (await row.count()) > 0);
  const item = page.locator('.monaco-menu .action-item', { hasText: fix }).first();
  // On a loaded machine the menu may open before every provider answered: close it and ask again.
  for (let attempt = 1; ; attempt++) {
    await row.click();
    await row.locator('.markers-panel-action-quickfix').click({ timeout: 30_000 });
    try {
      await item.waitFor({ state: 'attached', timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  await item.scrollIntoViewIfNeeded();
  await item.hover();
  if (screenshotName) await screenshot(page, screenshotName);
  await item.click();
  await page.locator('.monaco-menu').waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * Answers code-server's (simple) file dialog titled `title` with a path. The
 * dialog fills in its start folder a moment after it opens, so wait for that
 * before typing, or it overwrites the answer.
 */
export async function answerFileDialog(page: Page, title: string, path: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 30_000 });
  for (let attempt = 1; (await input.inputValue()) !== path; attempt++) {
    if (attempt > 5) throw new Error(`the file dialog did not take ${path} (it shows ${await input.inputValue()})`);
    await input.fill(path);
    await page.waitForTimeout(500);
  }
  await input.press('Enter');
}

/** The Reviewer's content frame (webviews nest two iframes). */
export function reviewerFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const FIXTURES = join(__dirname, 'fixtures');

/**
 * A git repository with a small project, the fixture policy (with comments) and
 * the scripted agent (`fixtures/scripted-agent.js`, given `agentFlags`) as the
 * only agent; `settings` are added to the workspace settings.
 */
export function makeScriptedWorkspace(dir: string, opts: { agentFlags?: string; settings?: Record<string, unknown> } = {}): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, '.vscode'));
  copyFileSync(join(FIXTURES, 'rampart.yaml'), join(dir, 'rampart.yaml'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "demo", "version": "1.0.0" }\n');
  writeFileSync(join(dir, 'README.md'), '# demo\n\nA workspace for the Rampart e2e test.\n');
  writeFileSync(join(dir, 'src/app.js'), '// TODO: greet\nconsole.log("hi");\n');
  const agent = `node ${JSON.stringify(join(FIXTURES, 'scripted-agent.js'))}${opts.agentFlags ? ` ${opts.agentFlags}` : ''}`;
  writeFileSync(join(dir, '.vscode/settings.json'), JSON.stringify({ 'rampartLearn.agents': [{ name: 'scripted', command: agent }], ...opts.settings }, null, 2));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'add', '-A');
  git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-qm', 'initial');
}

/** Shows the Rampart side bar and waits for the Reviewer's table. */
export async function openReviewer(page: Page): Promise<FrameLocator> {
  await page.locator('.activitybar [aria-label^="Rampart"]').first().click();
  const reviewer = reviewerFrame(page);
  await reviewer.locator('#events').waitFor({ timeout: 90_000 });
  return reviewer;
}

/** Starts the scripted agent from the palette in `mode`, with `task`. */
export async function startScriptedAgent(page: Page, mode: 'Learn' | 'Enforce', task: string): Promise<void> {
  await runCommand(page, 'Rampart: Run Agent Task');
  await pick(page, 'scripted');
  await pick(page, mode);
  await answerInput(page, task);
}

/** code-server with this checkout's extension, a browser, and the workbench open on `target` (a folder or a workspace file). */
export async function startWorkbench(tmp: string, target?: string, env?: Record<string, string>): Promise<{ host: Host; browser: Browser; page: Page }> {
  const host = await launchHost({ tmp, extension: { link: ROOT }, env });
  const browser = await openBrowser();
  return { host, browser, page: await openWorkbench(browser, host, target) };
}
