// One writer per file: the telemetry store (its database lives in memory and
// its journal's sequence numbers are assigned by the process holding it, so a
// second writer would fork both) and a policy being merged into (a second
// writer would drop what the first added). The lock file holds the owner's pid; a lock whose process
// is gone (e.g. killed with -9) is taken over. A lock file is removed only
// while it still holds the text read from it: two processes taking over one
// stale lock, or a holder whose lock was taken over, never remove a lock
// another process has just taken.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's text; undefined when it vanished in between. */
function lockText(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes the lock file if it still reads `text` (a pid, or a stale file's garbage). */
function unlinkIfStill(lockPath: string, text: string | undefined): void {
  if (text === undefined || lockText(lockPath) !== text) return;
  try {
    unlinkSync(lockPath);
  } catch {
    // removed in between
  }
}

/**
 * Creates the lock file with `text` in it, or throws EEXIST. The text is
 * written to a private file first and linked into place, so the lock never
 * exists empty: a process reading it between another's create and write would
 * take it for a stale lock and remove it, and both would hold the store.
 * Where hard links are not supported, the lock is created and then written.
 */
function createLock(lockPath: string, text: string): void {
  const draft = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, text, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(draft, lockPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || !['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code ?? '')) throw err;
    writeFileSync(lockPath, text, { flag: 'wx', mode: 0o600 });
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      // already gone
    }
  }
}

/** The lock cannot be taken. */
export class LockError extends Error {}

/** The lock is held by a live process (which may let go soon: a caller can wait and try again). */
export class LockHeldError extends LockError {}

/** Takes `lockPath` for `file` (named in errors); returns the function that lets it go. */
export function acquireLock(lockPath: string, file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const mine = `${process.pid}\n`;
      createLock(lockPath, mine);
      return () => unlinkIfStill(lockPath, mine);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LockError(`cannot lock ${file}: ${(err as Error).message}`);
      }
    }
    const text = lockText(lockPath);
    const owner = Number.parseInt(text ?? '', 10);
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      const who = owner === process.pid ? 'this process' : `process ${owner}`;
      throw new LockHeldError(`${file} is open in ${who} (lock ${lockPath})`);
    }
    unlinkIfStill(lockPath, text); // not when another process took the stale lock over first
  }
  throw new LockError(`cannot lock ${file}: another process keeps taking ${lockPath}`);
}
