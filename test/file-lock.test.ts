import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { acquireLock, LockHeldError } from '../src/core/file-lock';

function lockPath(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'telemetry.sqlite.lock');
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

test('a lock of a live process is refused; releasing it frees the store', (t) => {
  const lock = lockPath(t);
  const release = acquireLock(lock, 'db');
  assert.throws(() => acquireLock(lock, 'db'), (e) => e instanceof LockHeldError && /open in this process/.test(e.message));
  release();
  assert.equal(existsSync(lock), false);
  acquireLock(lock, 'db')();
  // The lock is written aside and linked into place (never seen empty): nothing of that is left behind.
  assert.deepEqual(readdirSync(dirname(lock)), []);
});

test('a stale lock is taken over, whether it names a dead process or holds garbage', (t) => {
  const lock = lockPath(t);
  for (const stale of [`${deadPid()}\n`, '', 'not a pid']) {
    writeFileSync(lock, stale);
    const release = acquireLock(lock, 'db');
    assert.equal(readFileSync(lock, 'utf8'), `${process.pid}\n`);
    release();
  }
});

test('releasing a lock another process has taken meanwhile leaves it in place', (t) => {
  const lock = lockPath(t);
  const release = acquireLock(lock, 'db');
  // another holder took the file over (as after a pid reuse made this one look dead)
  writeFileSync(lock, `${process.ppid}\n`);
  release();
  assert.equal(readFileSync(lock, 'utf8'), `${process.ppid}\n`);
});
