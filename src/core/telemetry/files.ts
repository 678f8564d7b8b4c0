// Crash-safe file replacement: write a sibling temp file, flush it, rename it
// over the target and flush the directory, so a reader sees either the old or
// the new file, never a half-written one.
import { closeSync, fsyncSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;
const TEMP_MARK = '.tmp-';

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

/** Replaces `path` atomically with whatever `write` puts into the temp file. */
export async function replaceFile(path: string, write: (fh: FileHandle) => Promise<void>, mode = 0o600): Promise<void> {
  const temp = `${path}${TEMP_MARK}${process.pid}-${++counter}`;
  const fh = await open(temp, 'w', mode);
  try {
    await write(fh);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  await rename(temp, path);
  syncDir(dirname(path));
}

export function replaceFileWith(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return replaceFile(path, async (fh) => void (await fh.write(bytes, 0, bytes.length)), mode);
}

/** Removes temp files a killed writer left next to `path`. Only call while holding the store's lock. */
export function removeStaleTemps(path: string): void {
  const prefix = `${basename(path)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix)) {
      try {
        unlinkSync(join(dirname(path), name));
      } catch {
        // already gone
      }
    }
  }
}

/** `20261124T081500123Z`: a timestamp usable in file names. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:.]/g, '');
}
