import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Whether two paths name the same file: the same path, or the same device and
 * inode (through a symlink or a hard link). Paths that cannot be looked at are
 * not the same file.
 */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
