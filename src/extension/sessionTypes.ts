// Session records shared by the session manager and the views.
import type { AuditEvent } from '../core/types';

export interface SessionCounts {
  calls: number;
  denied: number;
  asked: number;
  watched: number;
}

export function emptyCounts(): SessionCounts {
  return { calls: 0, denied: 0, asked: 0, watched: 0 };
}

/** Adds one audit event to a session's counts. */
export function countEvent(counts: SessionCounts, event: Pick<AuditEvent, 'decision'>): void {
  counts.calls++;
  const a = event.decision.action;
  if (a === 'deny') counts.denied++;
  else if (a === 'ask') counts.asked++;
  else if (a === 'watch') counts.watched++;
}
