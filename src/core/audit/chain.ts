import { createHash } from 'node:crypto';
import type { AuditEvent } from '../types';
import { canonicalJson } from './canonical';

/** `prev_hash` of the first record of a log. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * A completion report for an earlier event: the command's exit code and
 * duration, known only after the call was decided and recorded. It is its own
 * line in the chain (events are never rewritten), pointing at the event by id.
 */
export interface CompletionRecord {
  schema_version: string;
  type: 'completion';
  id: string;
  /** `id` of the event this completes. */
  ref: string;
  timestamp: string;
  session: string;
  response: NonNullable<AuditEvent['response']>;
  prev_hash: string;
  hash: string;
}

export type AuditRecord = AuditEvent | CompletionRecord;

export function isCompletion(record: AuditRecord): record is CompletionRecord {
  return (record as CompletionRecord).type === 'completion';
}

/** SHA-256 over the previous hash and the canonical JSON of the record without its own `hash`. */
export function hashRecord(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...body } = record;
  return createHash('sha256').update(body.prev_hash).update('\n').update(canonicalJson(body)).digest('hex');
}
