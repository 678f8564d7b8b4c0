import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditEvent } from '../types';
import { isCompletion, type AuditRecord } from './chain';
import { resolveAuditPaths } from './files';

export interface BadLine {
  file: string;
  /** 1-based. */
  line: number;
  reason: string;
}

export interface ReadAuditOptions {
  /** Called for every line that is not a record (torn, corrupt, foreign); reading goes on. */
  onBadLine?: (bad: BadLine) => void;
}

export interface LocatedRecord {
  record: AuditRecord;
  file: string;
  line: number;
}

/** Parses one line; returns the record or why it is not one. */
export function parseAuditLine(text: string): AuditRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not an audit record (not a JSON object)';
  const rec = value as Record<string, unknown>;
  if (typeof rec.hash !== 'string' || typeof rec.prev_hash !== 'string') return 'not an audit record (no hash chain fields)';
  if (rec.type === 'completion') {
    if (typeof rec.ref !== 'string' || !rec.response || typeof rec.response !== 'object') return 'completion record without ref/response';
  } else if (typeof rec.tool !== 'string' || !rec.request || typeof rec.request !== 'object' || !rec.decision) {
    return 'not an audit event (missing tool, request or decision)';
  }
  return value as AuditRecord;
}

/**
 * Streams every record (events and completion reports) of a file, or of a
 * directory's files in chain order, with its location. Lines are never held
 * all at once, so multi-GB logs read in constant memory.
 */
export async function* readAuditRecords(fileOrDir: string, opts: ReadAuditOptions = {}): AsyncGenerator<LocatedRecord> {
  for (const file of resolveAuditPaths(fileOrDir)) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      const parsed = parseAuditLine(text);
      if (typeof parsed === 'string') opts.onBadLine?.({ file, line, reason: parsed });
      else yield { record: parsed, file, line };
    }
  }
}

/** Streams the tool-call events of a file or directory (completion reports are skipped). */
export async function* readAuditEvents(fileOrDir: string, opts: ReadAuditOptions = {}): AsyncGenerator<AuditEvent> {
  for await (const { record } of readAuditRecords(fileOrDir, opts)) {
    if (!isCompletion(record)) yield record;
  }
}
