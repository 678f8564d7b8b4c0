// Turns a gate decision (an audit event) into a telemetry event.
import type { Action, AuditEvent } from '../types';
import { excerpt } from './validate';
import type { TelemetryEventInput } from './types';

/** Risk implied by the gate's decision alone. */
export const DECISION_SCORE: Record<Action, number> = { deny: 100, ask: 75, watch: 50, allow: 0 };

/** stdout/stderr excerpts kept from a reported run. */
export const EXCERPT_CHARS = 2_048;

/**
 * The safety score: the decision's score, or, when a model gave a probability
 * that the call is unsafe, the mean of the decision's score and 100 × that
 * probability. A deny stays 100: the policy decided, the model only informs.
 * The score is for review and charts; it never changes a decision.
 */
export function safetyScore(action: Action, modelProbability?: number): number {
  const base = DECISION_SCORE[action] ?? DECISION_SCORE.watch;
  if (modelProbability === undefined || !Number.isFinite(modelProbability) || action === 'deny') return base;
  const p = Math.min(1, Math.max(0, modelProbability));
  return Math.round((base + 100 * p) / 2);
}

const SUBJECT_KEYS = ['command', 'path', 'url', 'query'] as const;

/**
 * The text a reviewer reads for a call (the `command` column): the command,
 * else the path, URL or query, else the request as JSON. Returns the rest of
 * the request too, so metadata does not store the same text twice.
 */
function subject(ev: AuditEvent): { text: string; rest: Record<string, unknown> } {
  const r = ev.request ?? {};
  for (const key of SUBJECT_KEYS) {
    if (typeof r[key] === 'string') {
      const { [key]: text, ...rest } = r;
      return { text: text as string, rest };
    }
  }
  return { text: JSON.stringify(r), rest: {} };
}

export function telemetryEventFromAudit(
  event: AuditEvent,
  opts: { modelProbability?: number; stdoutExcerpt?: string; stderrExcerpt?: string } = {},
): TelemetryEventInput {
  const d = event.decision;
  const { text, rest } = subject(event);
  const metadata: Record<string, unknown> = {
    agent: event.agent,
    session: event.session,
    decision: { action: d.action, policy: d.policy, rule: d.rule, message: d.message, enforced: d.enforced, mode: d.mode, ...(d.approval ? { approval: d.approval } : {}) },
    cwd: event.cwd ?? null,
  };
  // the request's other fields (e.g. an edit's old/new text); its main value is the command column
  if (Object.keys(rest).length) metadata.request = rest;
  if (event.response?.duration_ms !== undefined) metadata.duration_ms = event.response.duration_ms;
  if (opts.modelProbability !== undefined) metadata.model_p_unsafe = opts.modelProbability;
  return {
    // the audit id: importing the same audit log twice adds nothing
    id: event.id,
    ts: event.timestamp,
    event_type: event.tool === 'exec' ? 'command' : 'tool',
    batch_id: event.session,
    tool: event.tool,
    command: text,
    exit_code: event.response?.exit_code ?? null,
    stdout: opts.stdoutExcerpt === undefined ? null : excerpt(opts.stdoutExcerpt, EXCERPT_CHARS),
    stderr: opts.stderrExcerpt === undefined ? null : excerpt(opts.stderrExcerpt, EXCERPT_CHARS),
    safety_score: safetyScore(d.action, opts.modelProbability),
    safety_label: null,
    metadata,
  };
}
