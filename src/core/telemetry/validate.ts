// Turns caller input into a stored row, or says precisely what is wrong with
// it (`events[3].exit_code: expected an integer`). Oversized output is cut to
// an excerpt; an oversized command or metadata is refused rather than cut,
// because a shortened command would be a different command.
import { COLUMNS } from './schema';
import { TelemetryError } from './types';
import type { SafetyLabel, TelemetryEventInput, TelemetryRow } from './types';

export interface Limits {
  /** stdout and stderr are cut to this many characters. */
  maxOutputChars: number;
  /** A whole row may not exceed this many characters of text. */
  maxEventChars: number;
}

const KNOWN = new Set<string>(COLUMNS);

/** Keeps the head of a long text and says how much was dropped. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…[${text.length - max} more characters]`;
}

function fail(where: string, field: string, problem: string): never {
  throw new TelemetryError(`${where}.${field}: ${problem}`);
}

/** An unpaired UTF-16 surrogate: it has no UTF-8 form, so SQLite and the CSV could not keep it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

function optString(v: unknown, where: string, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(where, field, `expected a string, got ${typeof v}`);
  // Replaced by U+FFFD up front, so the journal, the database and the export agree.
  return ANY_SURROGATE.test(v) ? v.replace(LONE_SURROGATE, '\uFFFD') : v;
}

function optInt(v: unknown, where: string, field: string, min = -(2 ** 53), max = 2 ** 53): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(where, field, `expected an integer${min > -(2 ** 53) ? ` from ${min} to ${max}` : ''}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function metadataText(v: unknown, where: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch (err) {
      fail(where, 'metadata', `not valid JSON (${(err as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(where, 'metadata', 'expected a JSON object');
    return v;
  }
  if (typeof v === 'object' && !Array.isArray(v)) return JSON.stringify(v);
  return fail(where, 'metadata', 'expected a JSON object or its text');
}

export function toRow(input: TelemetryEventInput, where: string, newId: () => string, now: () => number, limits: Limits): TelemetryRow {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new TelemetryError(`${where}: expected an object`);
  for (const key of Object.keys(input)) if (!KNOWN.has(key)) fail(where, key, `unknown field (fields: ${COLUMNS.join(', ')})`);
  const id = input.id === undefined || input.id === null ? newId() : optString(input.id, where, 'id')!;
  if (!id.length || id.length > 200) fail(where, 'id', 'must be 1 to 200 characters');
  const eventType = optString(input.event_type, where, 'event_type');
  if (!eventType || eventType.length > 64) fail(where, 'event_type', 'required, 1 to 64 characters');
  let ts: string;
  if (input.ts === undefined || input.ts === null) ts = new Date(now()).toISOString();
  else {
    const t = input.ts instanceof Date ? input.ts.getTime() : typeof input.ts === 'string' ? Date.parse(input.ts) : NaN;
    if (Number.isNaN(t)) fail(where, 'ts', `not a date: ${JSON.stringify(input.ts)}`);
    ts = new Date(t).toISOString();
  }
  const out = (v: unknown, field: string) => {
    const s = optString(v, where, field);
    return s === null ? null : excerpt(s, limits.maxOutputChars);
  };
  const row: TelemetryRow = {
    id,
    ts,
    event_type: eventType,
    tab_id: optInt(input.tab_id, where, 'tab_id'),
    batch_id: optString(input.batch_id, where, 'batch_id'),
    tool: optString(input.tool, where, 'tool'),
    command: optString(input.command, where, 'command'),
    exit_code: optInt(input.exit_code, where, 'exit_code'),
    stdout: out(input.stdout, 'stdout'),
    stderr: out(input.stderr, 'stderr'),
    safety_score: optInt(input.safety_score, where, 'safety_score', 0, 100),
    safety_label: optInt(input.safety_label, where, 'safety_label', 0, 2) as SafetyLabel | null,
    metadata: metadataText(input.metadata, where),
  };
  let size = 0;
  for (const c of COLUMNS) {
    const v = row[c];
    if (typeof v === 'string') size += v.length;
  }
  if (size > limits.maxEventChars) {
    throw new TelemetryError(`${where}: ${size} characters of text exceeds the ${limits.maxEventChars}-character limit per event`);
  }
  return row;
}
