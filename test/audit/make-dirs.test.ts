import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from '../../src/core/make-dirs';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkdirs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('creates every missing folder with the mode, and accepts one that exists', (t) => {
  const dir = join(tempDir(t), 'a', 'b', 'c');
  makeDirs(dir, 0o700);
  assert.equal(statSync(dir).mode & 0o777, 0o700 & ~process.umask());
  makeDirs(dir, 0o700);
  assert.ok(existsSync(dir));
});

test('a file in the way is an error naming it, as with mkdir -p', (t) => {
  const file = join(tempDir(t), 'file');
  writeFileSync(file, 'x');
  assert.throws(() => makeDirs(file), (e: NodeJS.ErrnoException) => e.code === 'EEXIST' && e.message.includes(file));
  assert.throws(() => makeDirs(join(file, 'sub')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
});

// Node's recursive mkdir loops forever there (a folder that answers ENOENT for a new entry):
// run in a child process, so a regression fails on its timeout instead of hanging the suite.
test('a folder that refuses new entries is an error, not a hang', { skip: !existsSync('/proc/sys') && 'no /proc/sys' }, () => {
  const script = `require(${JSON.stringify(require.resolve('../../src/core/make-dirs'))}).makeDirs('/proc/sys/rampart-learn-test/audit')`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, 'killed on the timeout: makeDirs hung');
  assert.match(r.stderr, /ENOENT: no such file or directory, mkdir '\/proc\/sys\/rampart-learn-test'/);
});
