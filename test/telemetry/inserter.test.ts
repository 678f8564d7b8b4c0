import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowInserter } from '../../src/core/telemetry/inserter';
import { COLUMNS, SCHEMA_SQL } from '../../src/core/telemetry/schema';
import { loadSqlJs } from '../../src/core/telemetry/sqljs';
import type { TelemetryRow } from '../../src/core/telemetry/types';

const TRICKY = ['', 'a', 'é', '日本語', '😀 emoji', 'nul\u0000inside', 'quote " and \\ backslash', 'line\r\nbreak', '\u2028', "'=1+1"];

function row(i: number, text: string): TelemetryRow {
  return {
    id: `id-${i}`,
    ts: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    event_type: i % 2 ? 'command' : 'tool',
    tab_id: i % 3 ? i : null,
    batch_id: `${text}-batch`,
    tool: i % 5 ? 'exec' : text,
    command: text,
    exit_code: i % 4 ? -i : null,
    stdout: i % 7 ? `${text}${'x'.repeat(i)}` : null,
    stderr: text,
    safety_score: i % 101,
    safety_label: i % 4 === 3 ? null : ((i % 3) as 0 | 1 | 2),
    metadata: JSON.stringify({ i, text }),
  };
}

async function roundTrip(rows: TelemetryRow[]): Promise<{ stored: Record<string, unknown>[]; types: string[][] }> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(SCHEMA_SQL);
    const inserter = new RowInserter(db, 'INSERT');
    db.run('BEGIN');
    inserter.insert(rows);
    db.run('COMMIT');
    inserter.free();
    const stmt = db.prepare(`SELECT * FROM telemetry ORDER BY rowid`);
    const stored: Record<string, unknown>[] = [];
    while (stmt.step()) stored.push(stmt.getAsObject());
    stmt.free();
    const types = db.exec(`SELECT ${COLUMNS.map((c) => `typeof(${c})`).join(', ')} FROM telemetry ORDER BY rowid`)[0].values as string[][];
    return { stored, types };
  } finally {
    db.close();
  }
}

test('rows come back exactly as inserted, column by column, with their SQL types', async () => {
  // 64 rows go through the many-row statement, the rest one by one
  const rows = Array.from({ length: 64 * 2 + 5 }, (_, i) => row(i, TRICKY[i % TRICKY.length]));
  const { stored, types } = await roundTrip(rows);
  assert.equal(stored.length, rows.length);
  for (let i = 0; i < rows.length; i++) {
    assert.deepEqual(stored[i], { ...rows[i] }, `row ${i}`);
    const want = COLUMNS.map((c) => (rows[i][c] === null ? 'null' : typeof rows[i][c] === 'number' ? 'integer' : 'text'));
    assert.deepEqual(types[i], want, `types of row ${i}`);
  }
});

test('text keeps its bytes: lengths and equality match SQL literals, also past the buffer size', async () => {
  const big = 'ü'.repeat(700_000); // 1.4 MB of UTF-8: more than the initial text buffer
  const rows = Array.from({ length: 70 }, (_, i) => row(i, i === 10 || i === 65 ? big : TRICKY[i % TRICKY.length]));
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(SCHEMA_SQL);
    const inserter = new RowInserter(db, 'INSERT');
    inserter.insert(rows);
    inserter.free();
    for (const [i, r] of rows.entries()) {
      const [[len, bytes, same]] = db.exec('SELECT length(command), length(CAST(command AS BLOB)), command = ? FROM telemetry WHERE id = ?', [r.command, r.id])[0].values;
      assert.deepEqual([len, bytes, same], [[...r.command!.split('\u0000')[0]].length, Buffer.byteLength(r.command!), 1], `row ${i}`);
    }
  } finally {
    db.close();
  }
});

test('INSERT OR IGNORE skips rows whose id is already stored', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(SCHEMA_SQL);
    const ignoring = new RowInserter(db, 'INSERT OR IGNORE');
    ignoring.insert([row(1, 'first')]);
    ignoring.insert([{ ...row(1, 'second') }, row(2, 'other')]);
    ignoring.free();
    assert.deepEqual(db.exec('SELECT id, command FROM telemetry ORDER BY id')[0].values, [['id-1', 'first'], ['id-2', 'other']]);
    const strict = new RowInserter(db, 'INSERT');
    assert.throws(() => strict.insert([row(2, 'again')]), /UNIQUE/);
    strict.free();
  } finally {
    db.close();
  }
});
