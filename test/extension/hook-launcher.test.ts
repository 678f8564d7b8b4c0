import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookLauncherPath, writeHookLauncher } from '../../src/extension/hookLauncher';

/** A stand-in for one installed version's dist/cli.js: prints its version and its arguments. */
function fakeCli(root: string, version: string): string {
  const dir = join(root, `rampart-learn.rampart-learn-${version}`, 'dist');
  mkdirSync(dir, { recursive: true });
  const cli = join(dir, 'cli.js');
  writeFileSync(cli, `process.stdout.write(${JSON.stringify(version)} + ' ' + process.argv.slice(2).join(' '))`);
  return cli;
}

test("the hook's launcher keeps its path across extension updates and runs the installed version", () => {
  const root = mkdtempSync(join(tmpdir(), "rl-ext-launcher's "));
  const storage = join(root, 'globalStorage');
  const [v1, v2] = [fakeCli(root, '0.1.0'), fakeCli(root, '0.2.0')];

  assert.deepEqual(writeHookLauncher(storage, process.execPath, v1, false), { written: false }, 'activation does not create it');
  assert.equal(existsSync(hookLauncherPath(storage)), false);

  const installed = writeHookLauncher(storage, process.execPath, v1, true);
  assert.deepEqual(installed, { path: hookLauncherPath(storage), written: true });
  const launcher = installed.path!;
  assert.equal(execFileSync(launcher, ['hook', 'claude-code'], { encoding: 'utf8' }), '0.1.0 hook claude-code');
  assert.deepEqual(writeHookLauncher(storage, process.execPath, v1, false), { path: launcher, written: false }, 'up to date: left alone');

  // The update's first activation points the same launcher at the new version.
  assert.deepEqual(writeHookLauncher(storage, process.execPath, v2, false), { path: launcher, written: true });
  assert.equal(execFileSync(launcher, ['hook', 'claude-code'], { encoding: 'utf8' }), '0.2.0 hook claude-code');
});
