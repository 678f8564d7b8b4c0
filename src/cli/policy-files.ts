// File handling shared by `apply`, `analyze` and `learn`: which policy is
// active, backups before a policy is changed, and writes that never leave a
// half-written file behind.
import { copyFileSync, existsSync, realpathSync, statSync } from 'node:fs';
import { shippedPolicyPath } from '../core/policy/index';
import { replaceFileSync, unreplaceableReason } from '../core/replace-file';
import { acquireLock, LockHeldError } from '../core/file-lock';
import { readTextFile, TextFileError } from '../core/text-file';
import { fsReason, UserError } from './errors';

export const DEFAULT_POLICY = 'rampart.yaml';

/** The largest policy or fragment file `apply` and `--append` read. */
export const MAX_FRAGMENT_BYTES = 16 * 1024 * 1024;

/**
 * The policy a checking command (`lint`, `test`) works on: its argument or
 * `--policy` (one of them), else ./rampart.yaml. Unlike the gate, these never
 * fall back to the shipped policy: checking a file you did not name says nothing.
 */
export function policyToCheck(command: string, positionals: string[], flag: string | undefined): string {
  if (positionals.length > 1 || (positionals.length && flag && positionals[0] !== flag)) {
    throw new UserError(`${command}: give one policy file or directory (see --help)`);
  }
  const target = positionals[0] ?? flag;
  if (target) return target;
  if (existsSync(DEFAULT_POLICY)) return DEFAULT_POLICY;
  throw new UserError(`${command}: no ./${DEFAULT_POLICY} here; give a policy file or directory, or create one with \`rampart-learn init\``);
}

/** `--policy` if given, else ./rampart.yaml when present, else the shipped standard policy. */
export function resolvePolicyPath(flag: string | undefined): string {
  if (flag) return flag;
  if (existsSync(DEFAULT_POLICY)) return DEFAULT_POLICY;
  try {
    return shippedPolicyPath('standard');
  } catch {
    throw new UserError(`no ./${DEFAULT_POLICY} here and the shipped standard policy is missing; give one with --policy`);
  }
}

/**
 * A file's text for a command that will change or merge it: a regular file of
 * at most `limit` bytes of UTF-8 (re-encoding would rewrite bytes nobody touched).
 */
export function readUserText(file: string, what: string, limit: number): string {
  try {
    return readTextFile(file, limit);
  } catch (err) {
    if (!(err instanceof TextFileError)) throw err;
    const at = err.position();
    if (at) throw new UserError(`${file}:${at.line}:${at.column}: ${err.message}`);
    throw new UserError(`${what} ${file} ${err.message === 'ENOENT' ? `does not exist${what === 'policy file' ? '; create one from the standard policy with `rampart-learn init`' : ''}` : err.problem === 'too-large' ? err.message : `cannot be read: ${err.message}`}`);
  }
}

/**
 * Refuses a file made read-only (its owner may not write it), whoever runs us,
 * and one that is not a regular file: writeFileAtomic renames a new file over
 * its target, which would replace a device such as /dev/null or a pipe.
 */
export function assertWritable(file: string): void {
  if (!existsSync(file)) return;
  const unreplaceable = unreplaceableReason(file);
  if (unreplaceable) throw new UserError(`${file} ${unreplaceable}; give a file name`);
  if ((statSync(file).mode & 0o200) === 0) throw new UserError(`${file} is read-only; make it writable (chmod u+w) to change it`);
}

/**
 * Writes through a temporary file in the same directory and renames it over
 * the target. A symlinked file is written where the link points (a shared
 * team policy stays shared), and a read-only one is left alone: whoever made
 * it read-only did so to keep it from being changed.
 */
export function writeFileAtomic(file: string, text: string): void {
  const target = existsSync(file) ? realpathSync(file) : file;
  assertWritable(file);
  const mode = existsSync(target) ? statSync(target).mode & 0o777 : 0o644;
  try {
    replaceFileSync(target, text, mode);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${fsReason(err)}`);
  }
}

/** How long a change waits for another process's change of the same file. */
const LOCK_WAIT_MS = 10_000;

/**
 * Runs `change` (read, merge, back up, write) holding `<file>.lock`: two
 * applies at once would otherwise both read the old file, and the second
 * write would drop what the first added. A lock left by a process that is
 * gone is taken over.
 */
export function withFileLock<T>(file: string, change: () => T): T {
  const lock = `${existsSync(file) ? realpathSync(file) : file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let release: () => void;
  for (;;) {
    try {
      release = acquireLock(lock, file);
      break;
    } catch (err) {
      // Held by a live process: wait for it. Anything else (an unwritable directory) is final.
      if (!(err instanceof LockHeldError)) throw new UserError((err as Error).message);
      if (Date.now() > deadline) throw new UserError(`${file} is being changed by another process (lock ${lock}); try again when it is done`);
      Atomics.wait(pause, 0, 0, 50);
    }
  }
  try {
    return change();
  } finally {
    release();
  }
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Copies `file` to `file.bak`, or to a timestamped name when a backup already exists; returns its path. */
export function backupFile(file: string, now = new Date()): string {
  let backup = `${file}.bak`;
  if (existsSync(backup)) backup = `${file}.${stamp(now)}.bak`;
  for (let n = 2; existsSync(backup); n++) backup = `${file}.${stamp(now)}-${n}.bak`;
  try {
    copyFileSync(file, backup);
  } catch (err) {
    throw new UserError(`cannot write the backup ${backup}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return backup;
}

/** Colour for a stream: only on a TTY and never with NO_COLOR set. */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}
