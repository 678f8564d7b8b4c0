// Checks on the paths a store is opened at and written to, so that a wrong
// `--db` or `--out` gets a clear error instead of damaging what is there.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TelemetryError } from './types';

/**
 * Refuses a path that exists but is not a regular file (a directory given as
 * `--db`): only a regular file can be a damaged store to move aside. A path
 * that cannot be looked at is left to the open that follows.
 */
export function refuseNonRegularFile(path: string, what: 'database' | 'journal'): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return;
  }
  if (!stats.isFile()) throw new TelemetryError(`${path}: ${stats.isDirectory() ? 'is a directory' : 'is not a regular file'}, not a telemetry ${what}`);
}

/** The nearest ancestor of `dir` (itself included) that exists. */
function nearestExisting(dir: string): string {
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Creates the directory of the store at `path` (mode 0700); a regular file in the way is named. */
export function makeStoreDirectory(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? `${nearestExisting(dir)} is not a directory` : (err as Error).message;
    throw new TelemetryError(`${path}: cannot create the store directory: ${reason}`);
  }
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Which file of the store at `dbPath` the path `file` is (also through a
 * link), if any: an output written there would destroy the store.
 */
export function whichStoreFile(file: string, dbPath: string): 'database' | 'journal' | undefined {
  if (sameFile(file, dbPath)) return 'database';
  if (sameFile(file, `${dbPath}.journal`)) return 'journal';
  return undefined;
}
