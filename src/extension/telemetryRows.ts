// Telemetry records → Reviewer rows, and Reviewer filters → store filters.
// No `vscode` here: this is the part of the Reviewer the unit tests pin down.
import type { RecentFilter, SafetyLabel, TelemetryRecord, TelemetryStore } from '../core/telemetry';
import { offersDenyRule, type EventPage, type EventQuery, type EventRow, type Label } from '../../webview/protocol';

const LABEL_OF: Record<SafetyLabel, Label> = { 0: 'safe', 1: 'unsafe', 2: 'unknown' };
export const LABEL_VALUE: Record<Label, SafetyLabel> = { safe: 0, unsafe: 1, unknown: 2 };
/** The `why` of a label set in the Reviewer without a reason (a label event always says why). */
export const NO_REASON = 'labelled in the Reviewer';

export type Predict = (command: string) => { prediction: 'safe' | 'unsafe'; confidence: number; p_unsafe: number };

/** An event's metadata JSON as an object; `{}` when absent or unreadable. */
export function parseMetadata(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

export function toEventRow(r: TelemetryRecord, predict?: Predict): EventRow {
  const meta = parseMetadata(r.metadata);
  const decision = (meta.decision ?? {}) as { action?: string; approval?: string; enforced?: unknown };
  const p = predict && r.tool === 'exec' && r.command ? predict(r.command) : undefined;
  return {
    id: r.id,
    time: r.ts,
    agent: typeof meta.agent === 'string' ? meta.agent : '',
    session: r.batch_id ?? '',
    tool: r.tool ?? r.event_type,
    target: r.command ?? '',
    decision: decision.action ?? '',
    // `none` (no approver attached) blocked the call too
    ...(decision.approval && { approval: decision.approval === 'approved' ? 'approved' : 'refused' }),
    ...(decision.enforced === false && { enforced: false as const }),
    safetyScore: r.safety_score,
    prediction: p ? { label: p.prediction, confidence: p.confidence, pUnsafe: p.p_unsafe } : null,
    label: r.effective_label === null || r.effective_label === undefined ? null : LABEL_OF[r.effective_label],
    ...(r.review_why && r.review_why !== NO_REASON && { reason: r.review_why }),
  };
}

/** Where a recorded call ran: its working directory and agent session, when known. */
export function recordContext(r: TelemetryRecord): { cwd?: string; session?: string } {
  const meta = parseMetadata(r.metadata);
  const out: { cwd?: string; session?: string } = {};
  if (typeof meta.cwd === 'string' && meta.cwd) out.cwd = meta.cwd;
  const session = typeof meta.session === 'string' && meta.session ? meta.session : r.batch_id;
  if (session) out.session = session;
  return out;
}

export function toRecentFilter(q: EventQuery): RecentFilter {
  const f: RecentFilter = {};
  if (q.search) f.search = q.search;
  if (q.decision !== 'all') f.decision = q.decision;
  if (q.label === 'unlabelled') f.label = 'none';
  else if (q.label !== 'all') f.label = LABEL_VALUE[q.label];
  return f;
}

/**
 * How unsure a row is, lower = more uncertain: the model's distance from its
 * threshold when there is a prediction, else the policy score's distance from
 * the middle. Labelled rows go last, they need no review.
 */
export function uncertainty(row: EventRow, threshold: number): number {
  if (row.label) return 2;
  if (row.prediction) return Math.abs(row.prediction.pUnsafe - threshold);
  return row.safetyScore === null ? 1 : 1 + Math.abs(row.safetyScore - 50) / 1000;
}

/** Rows the "most uncertain first" sort considers: the newest this many. */
export const UNCERTAIN_WINDOW = 2000;

/**
 * One page of the Reviewer. "Most uncertain first" ranks the newest
 * UNCERTAIN_WINDOW matching rows and pages through that ranking; "recent"
 * pages straight through the store.
 */
export function queryPage(store: TelemetryStore, q: EventQuery, predict: Predict | undefined, threshold: number, deniedNow?: DeniedNow): EventPage {
  const filter = toRecentFilter(q);
  // The one count the pager needs either way: the uncertain sort shows it beside its window.
  const matched = store.countEvents(filter);
  const rowOf = (record: TelemetryRecord) => ({ record, row: toEventRow(record, predict) });
  if (q.sort === 'uncertain') {
    const ranked = store
      .queryRecent(UNCERTAIN_WINDOW, filter)
      .map(rowOf)
      .sort((a, b) => uncertainty(a.row, threshold) - uncertainty(b.row, threshold));
    return { rows: marked(ranked.slice(q.offset, q.offset + q.limit), deniedNow), total: Math.min(matched, UNCERTAIN_WINDOW), matched };
  }
  return { rows: marked(store.queryRecent(q.limit, { ...filter, offset: q.offset }).map(rowOf), deniedNow), total: matched, matched };
}

/** Whether the policy a recorded call would go to denies it now (a deny rule was added since). */
export type DeniedNow = (command: string, context: { cwd?: string; session?: string }) => boolean;

/** The page's rows, those that would offer Deny… checked against the policy as it is now (only the page's: a policy evaluation each). */
function marked(page: { record: TelemetryRecord; row: EventRow }[], deniedNow: DeniedNow | undefined): EventRow[] {
  return page.map(({ record, row }) => (deniedNow && offersDenyRule(row) && deniedNow(row.target, recordContext(record)) ? { ...row, deniedNow: true } : row));
}
