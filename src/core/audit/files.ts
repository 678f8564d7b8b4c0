import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

/** The audit files of `dir` in chain order. */
export function listAuditFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => ({ name, seq: auditFileSeq(name) }))
    .filter((f): f is { name: string; seq: number } => f.seq !== null)
    .sort((a, b) => a.seq - b.seq)
    .map((f) => join(dir, f.name));
}

/** The files to read for a path given by the user: the file itself, or a directory's audit files. */
export function resolveAuditPaths(fileOrDir: string): string[] {
  return statSync(fileOrDir).isDirectory() ? listAuditFiles(fileOrDir) : [fileOrDir];
}

/** Creates `dir` (and parents) and makes it private to the user: audit logs hold commands and paths. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
