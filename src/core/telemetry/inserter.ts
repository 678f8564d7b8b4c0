// Inserts telemetry rows into sql.js with statements prepared once.
//
// Two costs dominate sql.js inserts besides SQLite itself: the JavaScript glue
// per call, and the glue per bound string, which measures the string's UTF-8
// length and encodes it in JavaScript, character by character. So rows go 64
// to a statement, and text is encoded natively (Buffer.write) into one reused
// buffer whose slices are bound as blobs (sql.js copies those with one
// memcpy) and turned back into the same TEXT by `CAST(? AS TEXT)`, which
// reads the bytes as UTF-8 without converting them.
import type { Database, SqlValue, Statement } from 'sql.js';
import { COLUMNS, INTEGER_COLUMNS } from './schema';
import type { TelemetryRow } from './types';

export type InsertVerb = 'INSERT' | 'INSERT OR IGNORE';

const ROWS_PER_INSERT = 64;
/** Initial size of the text buffer; one grown past the limit (giant rows) is not kept. */
const TEXT_BUFFER_BYTES = 1 << 20;
const TEXT_BUFFER_LIMIT = 16 << 20;

const PLACEHOLDERS = `(${COLUMNS.map((c) => (INTEGER_COLUMNS.has(c) ? '?' : 'CAST(? AS TEXT)')).join(', ')})`;

function insertSql(verb: InsertVerb, rows: number): string {
  return `${verb} INTO telemetry (${COLUMNS.join(', ')}) VALUES ${Array(rows).fill(PLACEHOLDERS).join(', ')}`;
}

export class RowInserter {
  private wide?: Statement;
  private single?: Statement;
  private readonly wideValues = new Array<SqlValue>(ROWS_PER_INSERT * COLUMNS.length);
  private readonly singleValues = new Array<SqlValue>(COLUMNS.length);
  private text = Buffer.allocUnsafe(TEXT_BUFFER_BYTES);
  private used = 0;

  constructor(
    private readonly db: Database,
    private readonly verb: InsertVerb,
  ) {}

  /** Inserts `rows` in order. Call inside a transaction. */
  insert(rows: readonly TelemetryRow[]): void {
    let i = 0;
    if (rows.length >= ROWS_PER_INSERT) {
      this.wide ??= this.db.prepare(insertSql(this.verb, ROWS_PER_INSERT));
      for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) this.run(this.wide, this.wideValues, rows, i, ROWS_PER_INSERT);
    }
    if (i < rows.length) this.single ??= this.db.prepare(insertSql(this.verb, 1));
    for (; i < rows.length; i++) this.run(this.single!, this.singleValues, rows, i, 1);
    if (this.text.length > TEXT_BUFFER_LIMIT) this.text = Buffer.allocUnsafe(TEXT_BUFFER_BYTES);
  }

  free(): void {
    this.wide?.free();
    this.single?.free();
    this.wide = this.single = undefined;
  }

  private run(stmt: Statement, values: SqlValue[], rows: readonly TelemetryRow[], from: number, count: number): void {
    this.used = 0;
    for (let r = 0; r < count; r++) this.fill(values, r * COLUMNS.length, rows[from + r]);
    stmt.run(values);
  }

  /**
   * Puts a row's values at `at`, in COLUMNS order (a test checks the order).
   * Named property reads, not `row[column]` in a loop: rows parsed from the
   * journal come in many shapes, and a keyed read on them is a slow lookup.
   */
  private fill(values: SqlValue[], at: number, row: TelemetryRow): void {
    values[at] = this.bindable(row.id);
    values[at + 1] = this.bindable(row.ts);
    values[at + 2] = this.bindable(row.event_type);
    values[at + 3] = row.tab_id;
    values[at + 4] = this.bindable(row.batch_id);
    values[at + 5] = this.bindable(row.tool);
    values[at + 6] = this.bindable(row.command);
    values[at + 7] = row.exit_code;
    values[at + 8] = this.bindable(row.stdout);
    values[at + 9] = this.bindable(row.stderr);
    values[at + 10] = row.safety_score;
    values[at + 11] = row.safety_label;
    values[at + 12] = this.bindable(row.metadata);
  }

  /** A non-empty string as a view of its UTF-8 bytes in the text buffer; anything else as it is. */
  private bindable(v: SqlValue): SqlValue {
    // (an empty blob would bind as NULL, so '' stays a string)
    if (typeof v !== 'string' || v === '') return v;
    if (this.used + v.length * 3 > this.text.length) this.grow(v.length * 3);
    const n = this.text.write(v, this.used);
    const bytes = this.text.subarray(this.used, this.used + n);
    this.used += n;
    return bytes;
  }

  /** A bigger buffer: views already handed out for this statement keep the old one alive. */
  private grow(atLeast: number): void {
    this.text = Buffer.allocUnsafe(Math.max(this.text.length * 2, atLeast));
    this.used = 0;
  }
}
