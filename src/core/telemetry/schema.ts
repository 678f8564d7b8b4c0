// The seed's `telemetry` table, the indexes behind the queries the store runs,
// and a small meta table recording how far the saved database has applied the
// journal.

export const COLUMNS = [
  'id', 'ts', 'event_type', 'tab_id', 'batch_id', 'tool', 'command',
  'exit_code', 'stdout', 'stderr', 'safety_score', 'safety_label', 'metadata',
] as const;

export type Column = (typeof COLUMNS)[number];

export const INTEGER_COLUMNS: ReadonlySet<Column> = new Set(['tab_id', 'exit_code', 'safety_score', 'safety_label']);

/** The id a label event reviews; must stay textually identical in queries so SQLite uses the index. */
export const LABEL_REF = "json_extract(metadata, '$.ref')";
export const DECISION_ACTION = "json_extract(metadata, '$.decision.action')";

export const TABLES_SQL = `
CREATE TABLE IF NOT EXISTS telemetry (
    id TEXT PRIMARY KEY,
    ts TEXT NOT NULL,
    event_type TEXT NOT NULL,
    tab_id INTEGER,
    batch_id TEXT,
    tool TEXT,
    command TEXT,
    exit_code INTEGER,
    stdout TEXT,
    stderr TEXT,
    safety_score INTEGER,
    safety_label INTEGER,  -- 0=safe, 1=unsafe, 2=unknown
    metadata TEXT
);
CREATE TABLE IF NOT EXISTS telemetry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** The tables TABLES_SQL creates: a database holding others is not a telemetry store. */
export const STORE_TABLES: readonly string[] = ['telemetry', 'telemetry_meta'];

export const INDEXES_SQL = `
-- newest-first paging (recent, keyset cursor) and retention by age; filters by
-- tool and by session. The decision filter walks the ts index (no index: an
-- expression index on the metadata JSON doubled the insert cost).
CREATE INDEX IF NOT EXISTS telemetry_ts ON telemetry(ts, id);
CREATE INDEX IF NOT EXISTS telemetry_tool_ts ON telemetry(tool, ts, id);
CREATE INDEX IF NOT EXISTS telemetry_batch_ts ON telemetry(batch_id, ts, id);
-- reviews of one event, and reviews of one command (effectiveLabel)
CREATE INDEX IF NOT EXISTS telemetry_label_ref ON telemetry(${LABEL_REF}, ts, id) WHERE event_type = 'label';
CREATE INDEX IF NOT EXISTS telemetry_label_command ON telemetry(command, ts, id) WHERE event_type = 'label';
`;

export const SCHEMA_SQL = TABLES_SQL + INDEXES_SQL;
