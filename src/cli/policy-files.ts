// File handling shared by `apply`, `analyze` and `learn`: which policy is
// active, backups before a policy is changed, and writes that never leave a
// half-written file behind.
import { copyFileSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { shippedPolicyPath } from '../core/policy/index';
import { UserError } from './errors';

export const DEFAULT_POLICY = 'rampart.yaml';

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

/** Writes through a temporary file in the same directory and renames it over the target. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const mode = existsSync(file) ? statSync(file).mode & 0o777 : 0o644;
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, file);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
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
