// Telemetry's own file chores: temp files a killed writer left behind, and
// timestamps for the names of files moved aside.
import { readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TEMP_MARK } from '../replace-file';

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
