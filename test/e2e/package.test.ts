// Packaging: `npm run package` builds a .vsix that installs into a real VS Code
// with `--install-extension`, and its commands work there: Open Policy creates
// rampart.yaml from the shipped standard policy (so policies/ is packaged), and
// the Reviewer opens with a working telemetry store (webview bundle and sql.js
// wasm packaged), and the Get Started walkthrough shows its steps and images. The package is built in a copy of the sources, so the
// checkout's dist/ (used by other tests) is left alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureHost, launchHost, openBrowser, openWorkbench, pick, shutdown, reviewerFrame, ROOT, runCommand, screenshot, tempDir, type Host } from './harness';

const missing = ensureHost();
const COPY = ['package.json', 'package-lock.json', 'README.md', 'LICENSE', '.vscodeignore', 'scripts', 'src', 'webview', 'shim', 'policies', 'media', 'docs', 'tsconfig.json'];

let tmp: string;
let host: Host;
let browser: Browser;
let page: Page;
let vsix: string;

before(async () => {
  if (missing) return;
  tmp = tempDir('rampart-vsix-');
  const src = join(tmp, 'src-copy');
  mkdirSync(src);
  for (const name of COPY) if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(src, name), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  execFileSync('npm', ['run', 'package'], { cwd: src, stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 });
  vsix = join(src, 'rampart-learn.vsix');
});

after(() => shutdown(browser, host, tmp));

test('the .vsix installs with --install-extension and its commands work', { skip: missing && `code-server host unavailable: ${missing}`, timeout: 400_000 }, async () => {
  assert.ok(existsSync(vsix), 'npm run package produced no .vsix');
  host = await launchHost({ tmp, extension: { vsix } });
  const installed = execFileSync('ls', [host.extensionsDir], { encoding: 'utf8' });
  assert.match(installed, /rampart-learn\.rampart-learn-\d+\.\d+\.\d+/);
  const ws = join(tmp, 'empty-workspace');
  mkdirSync(ws);
  browser = await openBrowser();
  page = await openWorkbench(browser, host, ws);

  try {
    await runCommand(page, 'Rampart: Open Policy');
  } catch (err) {
    await screenshot(page, 'vsix-FAILED-open-policy');
    throw new Error(`${(err as Error).message}\ncode-server log:\n${host.log().slice(-3000)}`);
  }
  await page.locator('.tabs-container .tab', { hasText: 'rampart.yaml' }).waitFor({ timeout: 60_000 });
  const created = readFileSync(join(ws, 'rampart.yaml'), 'utf8');
  assert.equal(created, readFileSync(join(ROOT, 'policies/standard.yaml'), 'utf8'));
  await screenshot(page, 'vsix-1-open-policy');

  await runCommand(page, 'View: Show Rampart');
  const reviewer = reviewerFrame(page);
  await reviewer.locator('#events').waitFor({ timeout: 60_000 });
  await reviewer.locator('#range', { hasText: 'of 0' }).waitFor({ timeout: 30_000 });
  assert.doesNotMatch(await reviewer.locator('#note').innerText(), /unavailable/i);
  await screenshot(page, 'vsix-2-reviewer');

  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pick(page, 'Get started with Rampart Learn');
  const walkthrough = page.locator('.gettingStartedContainer');
  await walkthrough.getByText('Run an agent in Learn mode').first().waitFor({ timeout: 30_000 });
  await walkthrough.getByText('Label calls in the Reviewer').first().waitFor();
  // The first step's screenshot comes from the .vsix: it loads.
  const image = walkthrough.locator('.getting-started-media img').first();
  await image.waitFor({ timeout: 30_000 });
  await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await image.elementHandle(), { timeout: 30_000 });
  await screenshot(page, 'vsix-3-walkthrough');
});
