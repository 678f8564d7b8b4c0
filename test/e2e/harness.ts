// The end-to-end harness: installs (once) and launches a real VS Code
// (code-server) with this extension loaded, and drives it through Playwright
// and Debian's Chromium. See scripts/setup-vscode-host.sh and docs/extension.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page, type FrameLocator } from 'playwright-core';

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

/** Starts code-server in its own process group; `extension` is linked or installed from a .vsix. */
export async function launchHost(opts: { tmp: string; extension: { link: string } | { vsix: string } }): Promise<Host> {
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
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash' } },
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

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Opens the workbench on a folder and waits until the extension host is up. */
export async function openWorkbench(browser: Browser, host: Host, folder: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Generous timeouts: the machine is shared and may be busy.
  await page.goto(`${host.url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  return page;
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
