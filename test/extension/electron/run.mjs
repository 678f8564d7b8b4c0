// `npm run test:electron`: runs test/extension/electron/suite.ts inside a real
// VS Code downloaded by @vscode/test-electron. Optional and not part of
// `npm test`: it needs internet access for the download (or VSCODE_EXECUTABLE
// pointing at an installed VS Code), and a display (use `xvfb-run -a` on a
// headless Linux). Without either it stops at once with a clear message.
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const version = process.env.VSCODE_TEST_VERSION || '1.100.3';
const cachePath = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rampart-learn', 'vscode-test');
// The download's idle timeout: an unreachable server fails in seconds, not minutes.
const IDLE_TIMEOUT_MS = 15_000;

function fail(message, code = 2) {
  process.stderr.write(`test:electron: ${message}\n`);
  process.exit(code);
}

async function vscodeExecutable() {
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  try {
    return await downloadAndUnzipVSCode({ version, cachePath, timeout: IDLE_TIMEOUT_MS });
  } catch (err) {
    fail(
      `could not download VS Code ${version} into ${cachePath}: ${err instanceof Error ? err.message : err}\n` +
        'This optional suite needs internet access (update.code.visualstudio.com), or VSCODE_EXECUTABLE set to an installed VS Code binary.\n' +
        'The offline suites are `npm test` (unit) and `npm run test:e2e` (code-server).',
    );
  }
}

// Download (or find) VS Code first: without it nothing else is worth doing.
const executable = await vscodeExecutable();
const work = mkdtempSync(join(tmpdir(), 'rampart-electron-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const suite = join(work, 'suite.js');
await build({
  entryPoints: [join(root, 'test/extension/electron/suite.ts')],
  outfile: suite,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
});

// The workspace: the standard policy as rampart.yaml, plus one with a typo for the lint check.
const workspace = join(work, 'workspace');
mkdirSync(join(workspace, 'broken'), { recursive: true });
cpSync(join(root, 'policies/standard.yaml'), join(workspace, 'rampart.yaml'));
writeFileSync(join(workspace, 'broken', 'rampart.yaml'), 'version: "1"\ndefualt_action: allow\npolicies: []\n');

try {
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${join(work, 'user-data')}`],
  });
} catch (err) {
  fail(`the suite failed in VS Code ${version}: ${err instanceof Error ? err.message : err}`, 1);
}
