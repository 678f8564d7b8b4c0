import { dirname, resolve } from 'node:path';
import { existsSync, mkdirSync, statSync } from 'node:fs';

/**
 * `mkdirSync(dir, { recursive: true, mode })` without its hang: Node retries
 * forever when a folder exists but refuses new entries with ENOENT, as under
 * /proc. Creating each missing folder in turn makes that refusal an error
 * (ENOENT, EACCES, ENOTDIR …) that names the folder. A file at `dir` itself
 * is EEXIST, as with Node's.
 */
export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.push(d);
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (err) {
      // made meanwhile by another process; anything else in the way fails at the next step or the caller
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if (!statSync(dir).isDirectory()) {
    throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: 'EEXIST', syscall: 'mkdir', path: dir });
  }
}
