import { chmodSync, closeSync, constants, fstatSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../make-dirs';

// A log directory holds audit.jsonl, then audit.000002.jsonl, audit.000003.jsonl…
// as the log rotates; the chain runs through them in that order.
const FILE_RE = /^audit(?:\.(\d+))?\.jsonl$/;

export function auditFileName(seq: number): string {
  return seq <= 1 ? 'audit.jsonl' : `audit.${String(seq).padStart(6, '0')}.jsonl`;
}

/** Sequence number of an audit file name, or null for other files. */
export function auditFileSeq(name: string): number | null {
  const m = FILE_RE.exec(name);
  if (!m) return null;
  return m[1] ? Number(m[1]) : 1;
}

const NOT_REGULAR = 'is not a regular file (a symbolic link, a directory, a pipe or a device); the audit writer never makes one';

/** An audit file that is not a regular one (see openAuditFile): the user's input, not a crash. */
export class AuditFileError extends Error {
  override name = 'AuditFileError';
}

/** A regular file, or a link to one. */
export const isRegularFile = (file: string): boolean => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

/** The audit files of `dir` in chain order. */
export function listAuditFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => ({ name, seq: auditFileSeq(name) }))
    .filter((f): f is { name: string; seq: number } => f.seq !== null)
    .sort((a, b) => a.seq - b.seq)
    .map((f) => join(dir, f.name));
}

/**
 * Opens an audit file for the writer (`flags` as for open(2)) without following
 * a link or waiting on a pipe, and refuses anything but a regular file: a link
 * planted under an audit file's name would have records appended to its target
 * (a shell start-up file), and a pipe would hang every hook call until Claude
 * Code's timeout lets the call through.
 */
export function openAuditFile(file: string, flags: number, mode = 0o600): number {
  let fd: number;
  try {
    fd = openSync(file, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ELOOP: a link (O_NOFOLLOW); ENXIO: a pipe nobody reads; EISDIR: a directory
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'EISDIR') throw new AuditFileError(`audit file ${file} ${NOT_REGULAR}`);
    throw err;
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new AuditFileError(`audit file ${file} ${NOT_REGULAR}`);
  }
  return fd;
}

/**
 * The files to read for a path given by the user: the file itself (a pipe such
 * as /dev/stdin too), or a directory's audit files, which must be regular
 * files (or links to them): a pipe planted there would hang the reader.
 */
export function resolveAuditPaths(fileOrDir: string): string[] {
  if (!statSync(fileOrDir).isDirectory()) return [fileOrDir];
  const files = listAuditFiles(fileOrDir);
  const odd = files.find((f) => !isRegularFile(f));
  if (odd) throw new AuditFileError(`audit file ${odd} ${NOT_REGULAR}`);
  return files;
}

/** Creates `dir` (and parents) and makes it private to the user: audit logs hold commands and paths. */
export function ensurePrivateDir(dir: string): void {
  makeDirs(dir, 0o700);
  chmodSync(dir, 0o700);
}
