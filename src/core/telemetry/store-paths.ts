// Checks on the paths a store is opened at and written to, so that a wrong
// `--db` or `--out` gets a clear error instead of damaging what is there.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { makeDirs } from '../make-dirs';
import { sameFile } from '../same-file';
import { readFileHead } from '../text-file';
import { TelemetryError } from './types';

/**
 * Refuses a path that exists but is not a regular file (a directory given as
 * `--db`): only a regular file can be a damaged store to move aside. A path
 * that cannot be looked at is left to the open that follows.
 */
function refuseNonRegularFile(path: string, what: 'database' | 'journal'): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return;
  }
  if (!stats.isFile()) throw new TelemetryError(`${path}: ${stats.isDirectory() ? 'is a directory' : 'is not a regular file'}, not a telemetry ${what}`);
}

/** The first 16 bytes of every SQLite 3 database file. */
export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses paths that cannot be the store at `path`: a directory (or other
 * non-regular file) at the database or journal path, and a non-empty database
 * file that neither starts like a SQLite file nor has the store's journal
 * next to it (a policy or a CSV given as `--db`). Only a file recognisable as
 * a store may be reported corrupt and moved aside to be rebuilt; a clobbered
 * header is still recognised by its journal. A path that cannot be read is
 * left to the open that follows.
 */
export function refuseNonStore(path: string, journalPath: string): void {
  refuseNonRegularFile(path, 'database');
  refuseNonRegularFile(journalPath, 'journal');
  let head: Buffer | undefined;
  try {
    head = readFileHead(path, SQLITE_MAGIC.length);
  } catch {
    // unreadable: left to the open that follows
  }
  if (!head?.length || head.equals(SQLITE_MAGIC) || existsSync(journalPath)) return;
  throw new TelemetryError(`${path}: not a telemetry store (not a SQLite file, and no ${basename(journalPath)} next to it)`);
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
    makeDirs(dir, 0o700);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? `${nearestExisting(dir)} is not a directory` : (err as Error).message;
    throw new TelemetryError(`${path}: cannot create the store directory: ${reason}`);
  }
}

/**
 * Which file of the store at `dbPath` the path `file` is (also through a
 * link), if any: an output written there would destroy the store.
 */
export function whichStoreFile(file: string, dbPath: string): 'database' | 'journal' | 'lock' | undefined {
  if (sameFile(file, dbPath)) return 'database';
  if (sameFile(file, `${dbPath}.journal`)) return 'journal';
  if (sameFile(file, `${dbPath}.lock`)) return 'lock';
  return undefined;
}
