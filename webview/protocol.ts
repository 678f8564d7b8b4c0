// The one message protocol between the Reviewer webview and the extension.
// Both bundles import this file, so a message shape changes in one place and
// the type checker follows it everywhere. The webview speaks first: it sends
// `ready` once its script runs, and the extension answers with `init`.

export type Label = 'safe' | 'unsafe' | 'unknown';
export const LABELS: readonly Label[] = ['safe', 'unsafe', 'unknown'];

export type DecisionAction = 'allow' | 'deny' | 'ask' | 'watch';

export interface EventRow {
  id: string;
  /** ISO-8601. */
  time: string;
  agent: string;
  session: string;
  tool: string;
  /** The command, path, URL or query of the call. */
  target: string;
  decision: DecisionAction | string;
  /** The policy denies this command now (a deny rule was added after the call): no *Deny…* is offered. */
  deniedNow?: true;
  /**
   * For an `ask` in Enforce mode, how it ended: `approved` (the call ran) or
   * `refused` (Deny, a dismissed dialog, a timeout: the call was blocked).
   * Absent for other decisions and for Learn mode, where asks run unasked.
   */
  approval?: 'approved' | 'refused';
  /**
   * False for a call recorded in Learn (monitor) mode: the policy's decision was
   * not enforced, so a `deny` or `ask` ran anyway. Absent when enforced or unknown.
   */
  enforced?: false;
  /** 0 (safe) … 100 (dangerous), from the policy decision; null when not scored. */
  safetyScore: number | null;
  prediction: { label: 'safe' | 'unsafe'; confidence: number; pUnsafe: number } | null;
  label: Label | null;
  reason?: string;
}

export type SortOrder = 'recent' | 'uncertain';

export interface EventQuery {
  offset: number;
  limit: number;
  /** Case-insensitive (ASCII) substring of the target (command, path or URL), the agent or the tool. */
  search: string;
  decision: DecisionAction | 'all';
  label: Label | 'unlabelled' | 'all';
  sort: SortOrder;
}

/** One page of the Reviewer's table. */
export interface EventPage {
  rows: EventRow[];
  /** How many rows the pager pages through: under "most uncertain first", only the newest UNCERTAIN_WINDOW matching calls. */
  total: number;
  /** How many calls match the filters (at least `total`). */
  matched: number;
}

export const DEFAULT_QUERY: EventQuery = { offset: 0, limit: 100, search: '', decision: 'all', label: 'all', sort: 'recent' };

export interface LabelCounts {
  safe: number;
  unsafe: number;
  unknown: number;
  unlabelled: number;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** What the metrics panel shows about the current model. */
export interface ModelSummary {
  createdAt: string;
  trainRows: number;
  testRows: number;
  accuracy: number;
  rocAuc: number | null;
  threshold: number;
  safe: ClassScores;
  unsafe: ClassScores;
  /** [[true safe, safe predicted unsafe], [unsafe predicted safe, true unsafe]] */
  confusion: [[number, number], [number, number]];
  /** Features whose shuffling changed the test score; zero-importance ones are left out. */
  topFeatures: { feature: string; importance: number }[];
  labelCounts: { safe: number; unsafe: number };
  /** Set when the held-out test set is too small for the scores above to mean much. */
  caveat?: string;
}

export type TrainingState =
  | { state: 'idle' }
  | { state: 'running'; message: string; fraction: number }
  | { state: 'done'; message: string }
  | { state: 'failed'; message: string }
  | { state: 'cancelled' };

/**
 * A row that may offer "Add deny rule…": a command the model predicts unsafe, or one a human labelled unsafe,
 * unless the policy already denied it.
 */
export function offersDenyRule(row: Pick<EventRow, 'tool' | 'target' | 'decision' | 'prediction' | 'label' | 'deniedNow'>): boolean {
  return row.tool === 'exec' && !!row.target.trim() && row.decision !== 'deny' && !row.deniedNow && (row.prediction?.label === 'unsafe' || row.label === 'unsafe');
}

/** Messages from the webview to the extension. */
export type ToExtension =
  | { type: 'ready' }
  | { type: 'query'; query: EventQuery }
  | { type: 'label'; id: string; label: Label; reason?: string }
  | { type: 'exportCsv' }
  | { type: 'train' }
  | { type: 'cancelTraining' }
  /** "Add deny rule…" on a row the model flags unsafe (or labelled unsafe); the extension edits the policy, unsaved, as a diff. */
  | { type: 'addDenyRule'; id: string }
  /** The empty state's button: runs the Run Agent Task command. */
  | { type: 'runAgentTask' };

/** Messages from the extension to the webview. */
export type ToWebview =
  | { type: 'init'; telemetry: 'ready' | 'unavailable'; note?: string }
  | ({ type: 'events'; query: EventQuery } & EventPage)
  | { type: 'labelled'; id: string; label: Label; reason?: string }
  | { type: 'labelCounts'; counts: LabelCounts }
  | { type: 'model'; model: ModelSummary | null; note?: string }
  | { type: 'training'; training: TrainingState }
  /** The deny rule was added to `file` (shown as a diff); `saved` tells whether the file is already saved. */
  | { type: 'denyRuleProposed'; id: string; pattern: string; file: string; saved: boolean }
  /** A document was saved, so a note about its unsaved edit can be brought up to date. */
  | { type: 'fileSaved'; file: string }
  | { type: 'error'; message: string };

const TO_EXTENSION_TYPES = new Set<ToExtension['type']>(['ready', 'query', 'label', 'exportCsv', 'train', 'cancelTraining', 'addDenyRule', 'runAgentTask']);

/**
 * Checks a message that claims to come from the webview. The webview is our
 * own code, but its messages still cross a process boundary, so a malformed
 * one is rejected with a reason rather than trusted.
 */
export function parseToExtension(raw: unknown): ToExtension | { error: string } {
  if (!raw || typeof raw !== 'object') return { error: 'message is not an object' };
  const m = raw as Record<string, unknown>;
  if (!TO_EXTENSION_TYPES.has(m.type as ToExtension['type'])) return { error: `unknown message type ${JSON.stringify(m.type)}` };
  if (m.type === 'label') {
    if (typeof m.id !== 'string' || !m.id) return { error: 'label: missing event id' };
    if (!LABELS.includes(m.label as Label)) return { error: `label: unknown label ${JSON.stringify(m.label)}` };
    if (m.reason !== undefined && typeof m.reason !== 'string') return { error: 'label: reason must be a string' };
    return { type: 'label', id: m.id, label: m.label as Label, reason: (m.reason as string | undefined)?.slice(0, 500) || undefined };
  }
  if (m.type === 'addDenyRule') {
    if (typeof m.id !== 'string' || !m.id) return { error: 'addDenyRule: missing event id' };
    return { type: 'addDenyRule', id: m.id };
  }
  if (m.type === 'query') return { type: 'query', query: sanitizeQuery(m.query) };
  return { type: m.type } as ToExtension;
}

/** Clamps a query from the webview into sane bounds, filling gaps with defaults. */
export function sanitizeQuery(raw: unknown): EventQuery {
  const q = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof EventQuery, unknown>>;
  const int = (v: unknown, dflt: number, min: number, max: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : dflt;
  const oneOf = <T extends string>(v: unknown, allowed: readonly T[], dflt: T): T => (allowed.includes(v as T) ? (v as T) : dflt);
  return {
    offset: int(q.offset, 0, 0, Number.MAX_SAFE_INTEGER),
    limit: int(q.limit, DEFAULT_QUERY.limit, 1, 500),
    search: typeof q.search === 'string' ? q.search.slice(0, 200) : '',
    decision: oneOf(q.decision, ['all', 'allow', 'deny', 'ask', 'watch'] as const, 'all'),
    label: oneOf(q.label, ['all', 'unlabelled', 'safe', 'unsafe', 'unknown'] as const, 'all'),
    sort: oneOf(q.sort, ['recent', 'uncertain'] as const, 'recent'),
  };
}
