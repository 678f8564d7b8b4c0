// The telemetry data model: one row of the seed's `telemetry` table, what
// callers may pass in, and what queries return.

/** 0 = safe, 1 = unsafe, 2 = unknown (the seed's encoding). */
export type SafetyLabel = 0 | 1 | 2;

export const LABEL_NAMES: Record<SafetyLabel, 'safe' | 'unsafe' | 'unknown'> = { 0: 'safe', 1: 'unsafe', 2: 'unknown' };

/** Parses `safe`/`unsafe`/`unknown` or `0`/`1`/`2`; undefined otherwise. */
export function parseLabel(text: string): SafetyLabel | undefined {
  const t = text.trim().toLowerCase();
  const i = (['safe', 'unsafe', 'unknown'] as string[]).indexOf(t);
  if (i >= 0) return i as SafetyLabel;
  return t === '0' || t === '1' || t === '2' ? (Number(t) as SafetyLabel) : undefined;
}

/** One row of the `telemetry` table, exactly as stored. */
export interface TelemetryRow {
  id: string;
  /** ISO-8601 (UTC). */
  ts: string;
  /** `command` (exec), `tool` (other tools), `label` (a review), or a caller-defined type. */
  event_type: string;
  tab_id: number | null;
  /** A batch of related calls; events from the gate use the agent session. */
  batch_id: string | null;
  tool: string | null;
  command: string | null;
  exit_code: number | null;
  stdout: string | null;
  stderr: string | null;
  /** 0–100, higher is riskier. */
  safety_score: number | null;
  safety_label: SafetyLabel | null;
  /** A JSON object, as text. */
  metadata: string | null;
}

/** What `insertEvent` accepts: id and ts are filled in when missing; metadata may be an object. */
export type TelemetryEventInput = Partial<Omit<TelemetryRow, 'metadata' | 'ts'>> & {
  event_type: string;
  ts?: string | Date;
  metadata?: string | Record<string, unknown> | null;
};

/** A row as queries return it, with the label that applies after reviews. */
export interface TelemetryRecord extends TelemetryRow {
  effective_label: SafetyLabel | null;
  /** The `why` of the latest review, when the row was reviewed. */
  review_why: string | null;
}

export interface RecentFilter {
  tool?: string;
  /** The gate's decision action (metadata.decision.action): allow, deny, ask, watch. */
  decision?: string;
  /** Effective label; `none` selects events nobody labelled. */
  label?: SafetyLabel | 'none';
  /** Substring of the command (case-insensitive for ASCII). */
  text?: string;
  /** Substring of the command, the tool or the agent (`metadata.agent`), case-insensitive for ASCII: the Reviewer's search box. */
  search?: string;
  /** Agent session (stored in `batch_id`). */
  session?: string;
  /** Defaults to every type except `label` (reviews are folded into effective_label). */
  eventType?: string;
  /** Rows to skip (offset paging). */
  offset?: number;
  /** Keyset paging: only rows strictly older than this row (its ts and id). */
  before?: { ts: string; id: string };
}

export interface LabelCounts {
  safe: number;
  unsafe: number;
  unknown: number;
  /** Events with no label at all. */
  unlabelled: number;
  total: number;
}

export interface LabelReview {
  who: string;
  why: string;
}

export interface EffectiveLabel {
  label: SafetyLabel;
  /** `review` when a label event decided it, `recorded` when it is the event's own safety_label. */
  source: 'review' | 'recorded';
  /** The label event (review) or the event itself (recorded). */
  eventId: string;
  who?: string;
  why?: string;
  at?: string;
}

/** Metadata of a `label` event. */
export interface LabelMetadata {
  ref: string;
  who: string;
  why: string;
  at: string;
  previous: SafetyLabel | null;
}

export class TelemetryError extends Error {
  override name = 'TelemetryError';
}
