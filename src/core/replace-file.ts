// Crash-safe file replacement: write a sibling temp file, flush it, rename it
// over the target and flush the directory, so a reader sees either the old or
// the new file, never a half-written one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;
/** What a temp file's name adds to its target's: `removeStaleTemps` looks for it. */
export const TEMP_MARK = '.tmp-';

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * An error of the temp file or the rename as the user should see it: about
 * `path`, so without the temp file's name (it means nothing to them). The
 * caller names `path`; the error code is kept.
 */
function aboutTarget(err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (!e?.code || !e.syscall) return err;
  // rename(2) fails with EISDIR when the target is a directory.
  const reason = e.code === 'EISDIR' ? 'is a directory' : e.message.replace(/^\w+: /, '').replace(new RegExp(`, ${e.syscall}\\b.*$`, 's'), '');
  return Object.assign(new Error(reason), { code: e.code });
}

/**
 * Why `path` must not be replaced, or undefined: it exists and is neither a
 * regular file nor a directory (whose rename fails by itself). Renaming over a
 * device such as /dev/null, a pipe or a socket would replace it with a file,
 * for every program using it. Callers that check before long work use it too.
 */
export function unreplaceableReason(path: string): string | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st && !st.isFile() && !st.isDirectory() ? 'is not a regular file (a device, a pipe or a socket)' : undefined;
}

function assertReplaceable(path: string): void {
  const reason = unreplaceableReason(path);
  if (reason) throw Object.assign(new Error(reason), { code: 'ENOTREG' });
}

/**
 * Replaces `path` atomically with whatever `write` puts into the temp file.
 * On failure the temp file is removed and `path` is left as it was.
 */
export async function replaceFile(path: string, write: (fh: FileHandle) => Promise<void>, mode = 0o600): Promise<void> {
  assertReplaceable(path);
  const temp = `${path}${TEMP_MARK}${process.pid}-${++counter}`;
  try {
    const fh = await open(temp, 'w', mode);
    try {
      await write(fh);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw aboutTarget(err);
  }
  syncDir(dirname(path));
}

/** The same for `data` already in hand, without waiting: for the CLI's policy and model files. */
export function replaceFileSync(path: string, data: string | Uint8Array, mode = 0o600): void {
  assertReplaceable(path);
  const temp = `${path}${TEMP_MARK}${process.pid}-${++counter}`;
  try {
    const fd = openSync(temp, 'w', mode);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw aboutTarget(err);
  }
  syncDir(dirname(path));
}

export function replaceFileWith(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return replaceFile(path, async (fh) => void (await fh.write(bytes, 0, bytes.length)), mode);
}
