// The --out of train and generate-sample: checked before any work, so a long
// training run never ends by writing over something the user cares about.
// Never a telemetry store's file (database, journal, lock) or any other SQLite
// database; an existing file that is not one of ours (an earlier model, an
// earlier CSV) only with --force.
import { existsSync, statSync } from 'node:fs';
import { unreplaceableReason } from '../core/replace-file';
import { readFileHead } from '../core/text-file';
import { defaultTelemetryPath, SQLITE_MAGIC, whichStoreFile } from '../core/telemetry/index';
import { UserError } from './errors';

export interface OutputKind {
  /** What is written, for messages: "model", "CSV". */
  what: string;
  /** Whether the first bytes of an existing file are those of an earlier output of this kind. */
  isOurs(head: string): boolean;
}

export function checkOutputFile(file: string, kind: OutputKind, opts: { db?: string; force?: boolean } = {}): void {
  for (const db of new Set([opts.db ?? defaultTelemetryPath(), defaultTelemetryPath()])) {
    const own = whichStoreFile(file, db);
    if (own) throw new UserError(`${file}: is the telemetry store's ${own}; write the ${kind.what} to another file`);
  }
  // Any store's journal or lock (not only the default's or --db's): named after its database.
  const part = /\.(journal|lock)$/.exec(file);
  if (part && (existsSync(file) || existsSync(file.slice(0, part.index)))) {
    throw new UserError(`${file}: is a telemetry store's ${part[1]}; write the ${kind.what} to another file`);
  }
  // A store's journal next to it: the database is that store's (it may not be written yet).
  if (existsSync(`${file}.journal`)) throw new UserError(`${file}: is a telemetry store (its journal is next to it); write the ${kind.what} to another file`);
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) throw new UserError(`--out ${file} is a directory; give a file name`);
  const unreplaceable = unreplaceableReason(file);
  if (unreplaceable) throw new UserError(`--out ${file} ${unreplaceable}; give a file name`);
  let bytes: Buffer;
  try {
    bytes = readFileHead(file, 4096);
  } catch {
    return; // unreadable: writing reports the problem
  }
  const head = bytes.toString('latin1');
  if (bytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) throw new UserError(`${file}: is a SQLite database; write the ${kind.what} to another file`);
  if (!opts.force && head && !kind.isOurs(head)) {
    throw new UserError(`${file} exists and is not a ${kind.what} rampart-learn wrote; choose another --out, or replace it with --force`);
  }
}
