// One writer per store: the database lives in memory and the journal's
// sequence numbers are assigned by the process holding it, so a second writer
// would fork both. The lock file holds the owner's pid; a lock whose process
// is gone (e.g. killed with -9) is taken over.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { TelemetryError } from './types';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock is held by a live process (which may let go soon: a caller can wait and try again). */
export class LockHeldError extends TelemetryError {}

export function acquireLock(lockPath: string, storePath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          // removed by hand; nothing to release
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TelemetryError(`cannot lock ${storePath}: ${(err as Error).message}`);
      }
    }
    let owner = NaN;
    try {
      owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch {
      // vanished in between: retry
    }
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      const who = owner === process.pid ? 'this process' : `process ${owner}`;
      throw new LockHeldError(`${storePath} is open in ${who} (lock ${lockPath}); close it there, or open read-only`);
    }
    try {
      unlinkSync(lockPath);
    } catch {
      // someone else removed the stale lock first
    }
  }
  throw new TelemetryError(`cannot lock ${storePath}: another process keeps taking ${lockPath}`);
}
