// Session records shared by the session manager and the views.
import { plural } from '../core/plural';
import type { AuditEvent } from '../core/types';
import type { AgentMode } from './settings';

export interface SessionCounts {
  calls: number;
  /** Calls denied: by the policy, or as asks refused (a refused ask is blocked like a deny). */
  denied: number;
  asked: number;
  /** Asks a human approved (Enforce mode). */
  approved: number;
  /** Asks that were refused: Deny, a dismissed dialog, a timeout (Enforce mode); counted in `denied` too. */
  refused: number;
  watched: number;
}

export function emptyCounts(): SessionCounts {
  return { calls: 0, denied: 0, asked: 0, approved: 0, refused: 0, watched: 0 };
}

/** Adds one audit event to a session's counts. */
export function countEvent(counts: SessionCounts, event: Pick<AuditEvent, 'decision'>): void {
  counts.calls++;
  const { action, approval } = event.decision;
  if (action === 'deny') counts.denied++;
  else if (action === 'ask') {
    counts.asked++;
    if (approval === 'approved') counts.approved++;
    else if (approval) {
      counts.refused++;
      counts.denied++;
    }
  } else if (action === 'watch') counts.watched++;
}

/**
 * Learn mode blocks and asks nothing: its denies and asks are only what the
 * policy would have done (the calls ran), and the counts must not read as if
 * something had been blocked.
 */
function decidedWords(mode: AgentMode | undefined): { denied: string; asked: string } {
  return mode === 'learn' ? { denied: 'would be denied', asked: 'would be asked' } : { denied: 'denied', asked: 'asked' };
}

/**
 * One line for the status bar and the Sessions view. "(N approved)" tells the
 * asks apart once any was answered (Learn mode asks nobody).
 */
export function countsSummary(c: SessionCounts, mode?: AgentMode): string {
  const answered = c.approved + c.refused ? ` (${c.approved} approved)` : '';
  const w = decidedWords(mode);
  return `${plural(c.calls, 'call')} · ${c.denied} ${w.denied} · ${c.asked} ${w.asked}${answered}`;
}

/** The counts spelled out, for tooltips and the log. */
export function countsDetail(c: SessionCounts, mode?: AgentMode): string {
  const answered = c.approved + c.refused ? ` (${c.approved} approved, ${c.refused} refused)` : '';
  const w = decidedWords(mode);
  return `${plural(c.calls, 'call')}: ${c.denied} ${w.denied}, ${c.asked} ${w.asked}${answered}, ${c.watched} watched`;
}

/** A Sessions row's description: start time, the folder when the window has several, then the counts. */
export function sessionDescription(s: { startedAt: Date; folder: { name: string }; counts: SessionCounts; mode?: AgentMode }, multiRoot: boolean): string {
  const started = s.startedAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return [started, ...(multiRoot ? [s.folder.name] : []), countsSummary(s.counts, s.mode)].join(' · ');
}
