// The telemetry store: the seed's `telemetry` table in sql.js (in memory),
// made durable by a journal. The write path is
//   validate → queue → one journal write + flush per batch, with the insert
//   into the database in one transaction meanwhile → commit → acknowledge,
// so concurrent `insertEvent` calls share one disk flush (group commit). The
// database file is a snapshot, replaced atomically on a debounce and on close;
// opening replays journal entries newer than the snapshot, and rebuilds the
// whole database from the journal when the snapshot is corrupt.
import { existsSync, lstatSync, realpathSync, renameSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database, SqlValue, Statement } from 'sql.js';
import { monotonicFactory } from 'ulid';
import { plural } from '../plural';
import { writeCsvFile } from './csv';
import type { CsvValue } from './csv';
import { replaceFileWith } from '../replace-file';
import { fileStamp, removeStaleTemps } from './files';
import { RowInserter } from './inserter';
import { Journal, journalLines, scanJournal } from './journal';
import type { JournalEntry, JournalScan, SyncPolicy } from './journal';
import { acquireLock, LockError, LockHeldError } from '../file-lock';
import { COLUMNS, DECISION_ACTION, INDEXES_SQL, LABEL_REF, SCHEMA_SQL, STORE_TABLES, TABLES_SQL } from './schema';
import { loadSqlJs, openSizedDatabase } from './sqljs';
import { makeStoreDirectory, refuseNonStore, whichStoreFile } from './store-paths';
import { TelemetryError } from './types';
import type {
  EffectiveLabel,
  LabelCounts,
  LabelMetadata,
  LabelReview,
  RecentFilter,
  SafetyLabel,
  TelemetryEventInput,
  TelemetryRecord,
  TelemetryRow,
} from './types';
import { toRow } from './validate';
import type { Limits } from './validate';

export interface RetentionOptions {
  /** Newest events kept (labels and the events they review are kept beyond it). 0 disables. Default 100,000. */
  maxRows?: number;
  /** Events older than this many days are dropped (never labels nor labelled events). 0 disables. Default 90. */
  maxAgeDays?: number;
}

export interface TelemetryStoreOptions {
  /** How a journal batch reaches the disk before it is acknowledged. Default `fdatasync`. */
  sync?: SyncPolicy;
  /**
   * Quiet time before the database snapshot is saved. Default 5,000 ms. A
   * snapshot rewrites the whole file (about 80 MB at 100k events) and only
   * shortens the replay on the next open, so it need not be frequent.
   */
  saveDebounceMs?: number;
  /** Longest a change waits for a snapshot under continuous writes. Default 60,000 ms. */
  saveMaxWaitMs?: number;
  retention?: RetentionOptions;
  /** stdout/stderr are cut to this many characters. Default 16,384. */
  maxOutputChars?: number;
  /** Largest event (characters of text). Default 1,048,576. */
  maxEventChars?: number;
  /** Read without locking or writing anything (e.g. the CLI while the extension runs). */
  readOnly?: boolean;
  /** Called for each warning as it happens (they are also kept in `warnings`). */
  onWarning?: (message: string) => void;
  /** Clock, for tests of retention by age. */
  now?: () => number;
}

interface Pending {
  rows: TelemetryRow[];
  resolve: (rows: TelemetryRow[]) => void;
  reject: (err: Error) => void;
}

const DAY_MS = 86_400_000;
/** Journal entries replayed per insert call on open (they are streamed, not all held at once). */
const REPLAY_BATCH = 1_024;
/** Least room a writer's database file gets beyond what it holds (see expectedDatabaseBytes). */
const WRITER_HEADROOM_BYTES = 64 << 20;
const ID = COLUMNS.indexOf('id');
const EVENT_TYPE = COLUMNS.indexOf('event_type');
const SAFETY_LABEL = COLUMNS.indexOf('safety_label');
const METADATA = COLUMNS.indexOf('metadata');

/** The latest review of an event: its label, and its label event's metadata (who, why, when). */
interface LatestReview {
  label: SafetyLabel;
  metadata: string;
}

/** An event's metadata with who reviewed it, why and when (`review`), so an export keeps the audit trail of its label. */
function withReview(metadata: string | null, labelMetadata: string): string {
  const m = jsonObject(labelMetadata) as Partial<LabelMetadata>;
  return JSON.stringify({ ...jsonObject(metadata), review: { who: m.who, why: m.why, at: m.at } });
}

/** A metadata cell as an object; one that is not (hand-edited, or from an older version) is kept whole under `unparsed`. */
function jsonObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { unparsed: text };
  } catch {
    return { unparsed: text };
  }
}
/** The review that decides a row's label: the latest label event referring to it, else its own label. */
/** A column of the latest review of row `t`. */
const latestReview = (column: string) =>
  `(SELECT ${column} FROM telemetry l WHERE l.event_type = 'label' AND ${LABEL_REF.replace('metadata', 'l.metadata')} = t.id ORDER BY l.ts DESC, l.id DESC LIMIT 1)`;
const EFFECTIVE_SQL = `COALESCE(${latestReview('l.safety_label')}, t.safety_label)`;
/** What queries return for a row: the row, the label that applies, and why it was last reviewed. */
const RECORD_SQL = `t.*, ${EFFECTIVE_SQL} AS effective_label, ${latestReview("json_extract(l.metadata, '$.why')")} AS review_why`;

const REVIEWED_IDS = `SELECT ${LABEL_REF} FROM telemetry WHERE event_type = 'label' AND ${LABEL_REF} IS NOT NULL`;
/** Ids whose latest review gave the bound label. */
const LATEST_REVIEW_IS = `SELECT ref FROM (SELECT ${LABEL_REF} AS ref, safety_label, row_number() OVER (PARTITION BY ${LABEL_REF} ORDER BY ts DESC, id DESC) AS n FROM telemetry WHERE event_type = 'label') WHERE n = 1 AND safety_label = ?`;

/** Runs `fn` in one transaction, rolled back if it throws. */
function transaction<T>(db: Database, fn: () => T): T {
  db.run('BEGIN');
  try {
    const result = fn();
    db.run('COMMIT');
    return result;
  } catch (err) {
    db.run('ROLLBACK');
    throw err;
  }
}

/** Steps a statement selecting COLUMNS to arrays in that order (`get` is several times faster than `getAsObject`). */
function* valueRows(stmt: Statement): Generator<SqlValue[]> {
  while (stmt.step()) yield stmt.get();
}

function rowObject(values: SqlValue[]): TelemetryRow {
  const row = {} as Record<string, SqlValue>;
  for (let i = 0; i < COLUMNS.length; i++) row[COLUMNS[i]] = values[i];
  return row as unknown as TelemetryRow;
}

/** Takes the store's writer lock; a store open elsewhere says how to go on. */
function lockStore(path: string): () => void {
  try {
    return acquireLock(`${path}.lock`, path);
  } catch (err) {
    if (err instanceof LockHeldError) throw new TelemetryError(`${err.message}; close it there, or open read-only`);
    if (err instanceof LockError) throw new TelemetryError(err.message);
    throw err;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function allRows<T>(db: Database, sql: string, params: SqlValue[] = []): T[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const out: T[] = [];
    while (stmt.step()) out.push(stmt.getAsObject() as T);
    return out;
  } finally {
    stmt.free();
  }
}

function firstRow<T>(db: Database, sql: string, params: SqlValue[] = []): T | undefined {
  return allRows<T>(db, `${sql} LIMIT 1`, params)[0];
}

/**
 * The store a path names: a symbolic link's target. The journal and the lock sit next to the database, and a
 * save replaces the file at the path, so a link must not be used as it is: writers would turn it into a
 * second store beside it, and the lock would not guard the real one.
 */
function storeTarget(path: string): string {
  let link: boolean;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return path; // missing: a new store
  }
  if (!link) return path;
  try {
    return realpathSync(path);
  } catch {
    throw new TelemetryError(`${path}: a symbolic link to a missing file; point --db at the store itself`);
  }
}

export class TelemetryStore {
  readonly path: string;
  readonly journalPath: string;
  /** Every warning raised since open (corrupt database, torn journal line, …). */
  readonly warnings: string[] = [];

  private db!: Database;
  private journal?: Journal;
  /** Statements of the write path, prepared on first use and kept until close. */
  private inserter?: RowInserter;
  private findIds?: Statement;
  private release?: () => void;
  private pending: Pending[] = [];
  private draining = false;
  /** Serialises journal writes, snapshot exports and compaction. */
  private io: Promise<void> = Promise.resolve();
  /** The snapshot being written, if any: one at a time. */
  private lastSave: Promise<void> = Promise.resolve();
  private appliedSeq = 0;
  private dirty = false;
  private dirtySince = 0;
  private saveTimer?: NodeJS.Timeout;
  private eventRows = 0;
  private trimmedSinceCompaction = 0;
  private closed = false;
  private readonly newId = monotonicFactory();
  private readonly limits: Limits;
  private readonly now: () => number;
  private readonly maxRows: number;
  private readonly maxAgeMs: number;

  private constructor(path: string, private readonly opts: TelemetryStoreOptions) {
    this.path = path;
    this.journalPath = `${path}.journal`;
    this.now = opts.now ?? Date.now;
    this.limits = { maxOutputChars: opts.maxOutputChars ?? 16_384, maxEventChars: opts.maxEventChars ?? 1_048_576 };
    this.maxRows = opts.retention?.maxRows ?? 100_000;
    this.maxAgeMs = (opts.retention?.maxAgeDays ?? 90) * DAY_MS;
  }

  static async open(path: string, opts: TelemetryStoreOptions = {}): Promise<TelemetryStore> {
    const store = new TelemetryStore(storeTarget(resolve(path)), opts);
    try {
      await store.load();
    } catch (err) {
      store.release?.();
      throw err;
    }
    return store;
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.opts.onWarning?.(message);
  }

  private async load(): Promise<void> {
    const readOnly = !!this.opts.readOnly;
    if (!readOnly) makeStoreDirectory(this.path);
    refuseNonStore(this.path, this.journalPath);
    if (!readOnly) {
      this.release = lockStore(this.path);
      removeStaleTemps(this.path);
      removeStaleTemps(this.journalPath);
    }
    const SQL = await loadSqlJs();
    const size = this.expectedDatabaseBytes();
    // Without a usable snapshot every journal entry is replayed, including seq 0 (see rewriteJournalFromDatabase).
    let savedSeq = -1;
    let rebuilt = false;
    if (existsSync(this.path)) {
      try {
        this.db = openSizedDatabase(SQL, this.path, size);
        savedSeq = this.checkSnapshot();
      } catch (err) {
        this.db?.close();
        // Another application's database (see refuseForeignDatabase) is refused, never moved aside.
        if (err instanceof TelemetryError) throw err;
        this.db = openSizedDatabase(SQL, undefined, size);
        rebuilt = true;
        const reason = (err as Error).message;
        if (readOnly) {
          this.warn(`${this.path}: database is corrupt (${reason}); showing what the journal holds`);
        } else {
          const aside = `${this.path}.corrupt-${fileStamp(new Date(this.now()))}`;
          renameSync(this.path, aside);
          this.warn(`${this.path}: database is corrupt (${reason}); moved it to ${aside} and rebuilt it from the journal`);
        }
      }
    } else {
      this.db = openSizedDatabase(SQL, undefined, size);
    }
    // Without a usable snapshot the database is built from the whole journal:
    // indexes built once after the rows cost less than updating them row by row.
    const fromJournal = savedSeq < 0;
    this.db.run(fromJournal ? TABLES_SQL : SCHEMA_SQL);
    const { scan, replayed } = this.replayJournal(savedSeq, !readOnly);
    if (fromJournal) this.db.run(INDEXES_SQL);
    for (const w of scan.warnings) this.warn(w);
    this.appliedSeq = Math.max(0, savedSeq, scan.maxSeq);
    this.eventRows = this.countEventRows();
    if (rebuilt) this.warn(`${this.path}: rebuilt with ${this.eventRows} events from ${this.journalPath}`);
    if (readOnly) return;

    // The journal must hold every retained event, or a corrupt snapshot could not be rebuilt.
    if (!scan.exists && this.eventRows > 0) await this.rewriteJournalFromDatabase(true);
    this.journal = await Journal.open(this.journalPath, this.opts.sync ?? 'fdatasync', this.appliedSeq);
    this.trim(true);
    if (replayed || rebuilt || this.trimmedSinceCompaction) this.markDirty();
  }

  /**
   * How large the database file will grow, to size it up front (see
   * openSizedDatabase): the journal holds every retained event, and a byte of
   * journal makes about 1.05 bytes of database. A writer gets room to grow
   * (address space only: pages nobody writes cost nothing).
   */
  private expectedDatabaseBytes(): number {
    const estimate = Math.max(fileSize(this.path), fileSize(this.journalPath) * 1.1);
    return Math.ceil(this.opts.readOnly ? estimate : estimate + Math.max(estimate / 4, WRITER_HEADROOM_BYTES));
  }

  /** Inserts the journal entries newer than `afterSeq` in one transaction, streamed in batches. */
  private replayJournal(afterSeq: number, repair: boolean): { scan: JournalScan; replayed: number } {
    const inserter = new RowInserter(this.db, 'INSERT OR IGNORE');
    const batch: TelemetryRow[] = [];
    let replayed = 0;
    const flush = () => {
      inserter.insert(batch);
      replayed += batch.length;
      batch.length = 0;
    };
    try {
      const scan = transaction(this.db, () => {
        const result = scanJournal(this.journalPath, afterSeq, repair, (entry) => {
          if (batch.push(entry.event) === REPLAY_BATCH) flush();
        });
        flush();
        return result;
      });
      return { scan, replayed };
    } finally {
      inserter.free();
    }
  }

  /**
   * Throws a TelemetryError for another application's database, and another
   * error (the snapshot is then moved aside by a writer) when it is damaged or
   * its `telemetry` table has other columns. Returns the journal seq it
   * includes, or -1 when it records none (an empty file: the whole journal is
   * replayed, seq 0 entries from a compaction included).
   */
  private checkSnapshot(): number {
    const columns = allRows<{ name: string }>(this.db, 'SELECT name FROM pragma_table_info(?)', ['telemetry']).map((r) => r.name);
    const ourColumns = columns.join(',') === COLUMNS.join(',');
    if (!ourColumns) this.refuseForeignDatabase(columns);
    const check = this.db.exec('PRAGMA quick_check');
    const verdict = String(check[0]?.values[0]?.[0] ?? '');
    if (verdict !== 'ok') throw new Error(`integrity check: ${verdict}`);
    if (columns.length && !ourColumns) throw new Error(`unexpected telemetry columns: ${columns.join(', ')}`);
    const hasMeta = allRows(this.db, "SELECT 1 FROM sqlite_master WHERE name = 'telemetry_meta'").length > 0;
    if (!hasMeta) return -1;
    const seq = firstRow<{ value: string }>(this.db, "SELECT value FROM telemetry_meta WHERE key = 'journal_seq'");
    return seq ? Number(seq.value) || 0 : -1;
  }

  /**
   * Throws a TelemetryError when the database is another application's file,
   * not ours to write into, chmod or move aside: it holds tables the store
   * never creates, or its own `telemetry` table with no sign of the store
   * beside it (our meta table, or a journal). (Called only when the
   * `telemetry` table is missing or has other columns.)
   */
  private refuseForeignDatabase(columns: readonly string[]): void {
    const tables = allRows<{ name: string }>(this.db, "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY name").map((r) => r.name);
    if (tables.some((t) => !STORE_TABLES.includes(t))) throw new TelemetryError(`${this.path}: not a telemetry database (tables: ${tables.join(', ')})`);
    if (columns.length && !tables.includes('telemetry_meta') && !existsSync(this.journalPath)) {
      throw new TelemetryError(`${this.path}: not a telemetry database (its telemetry table has the columns ${columns.join(', ')})`);
    }
  }

  private countEventRows(): number {
    // All rows minus label rows: two index counts (the label indexes are partial), not a table scan.
    const sql = "SELECT (SELECT count(*) FROM telemetry) - (SELECT count(*) FROM telemetry WHERE event_type = 'label')";
    return Number(this.db.exec(sql)[0].values[0][0]);
  }

  /**
   * Journals rows and inserts them. The journal write (and its flush) runs in
   * the thread pool while the rows go into the database in a transaction,
   * committed once the write is on disk and rolled back if it fails. (Queries
   * in this process may see the rows during that flush, a few milliseconds
   * before their inserts resolve.)
   */
  private async recordRows(rows: TelemetryRow[]): Promise<void> {
    const written = this.journal!.append(rows).then(
      () => undefined,
      (err: Error) => err,
    );
    this.inserter ??= new RowInserter(this.db, 'INSERT');
    let failure: Error | undefined;
    this.db.run('BEGIN');
    try {
      this.inserter.insert(rows);
    } catch (err) {
      failure = err as Error;
    }
    failure = (await written) ?? failure;
    this.db.run(failure ? 'ROLLBACK' : 'COMMIT');
    if (failure) throw failure;
  }

  // ---- writes ------------------------------------------------------------

  private assertWritable(): void {
    if (this.closed) throw new TelemetryError(`${this.path}: telemetry store is closed`);
    if (this.opts.readOnly) throw new TelemetryError(`${this.path}: telemetry store is open read-only`);
  }

  /** Adds one event; resolves with the stored row once it is on disk in the journal. */
  async insertEvent(event: TelemetryEventInput): Promise<TelemetryRow> {
    return (await this.enqueue([event], 'event'))[0];
  }

  /** Adds events in one transaction: all are stored or, on invalid input or a duplicate id, none. */
  insertMany(events: TelemetryEventInput[]): Promise<TelemetryRow[]> {
    if (!Array.isArray(events)) return Promise.reject(new TelemetryError('insertMany: expected an array of events'));
    return this.enqueue(events, 'events');
  }

  private enqueue(events: TelemetryEventInput[], name: string): Promise<TelemetryRow[]> {
    try {
      this.assertWritable();
      const rows = events.map((e, i) => toRow(e, name === 'event' ? name : `${name}[${i}]`, this.newId, this.now, this.limits));
      const ids = new Set(rows.map((r) => r.id));
      if (ids.size !== rows.length) throw new TelemetryError(`${name}: the same id appears twice`);
      if (!rows.length) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        this.pending.push({ rows, resolve, reject });
        this.drain();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    this.io = this.io.then(async () => {
      try {
        while (this.pending.length) await this.commitBatch(this.pending.splice(0));
      } finally {
        this.draining = false;
      }
    });
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    try {
      await this.commitAccepted(batch);
    } catch (err) {
      // unexpected (the database failed): settle every caller rather than leave one waiting
      for (const p of batch) p.reject(err as Error);
    }
  }

  private async commitAccepted(batch: Pending[]): Promise<void> {
    const accepted: Pending[] = [];
    const seen = this.storedIds(batch.flatMap((p) => p.rows.map((r) => r.id)));
    for (const p of batch) {
      const dup = p.rows.find((r) => seen.has(r.id));
      if (dup) {
        p.reject(new TelemetryError(`duplicate event id "${dup.id}"`));
        continue;
      }
      for (const r of p.rows) seen.add(r.id);
      accepted.push(p);
    }
    const rows = accepted.flatMap((p) => p.rows);
    if (!rows.length) return;
    try {
      await this.recordRows(rows);
    } catch (err) {
      const e = new TelemetryError(`${this.journalPath}: could not record ${plural(rows.length, 'event')}: ${(err as Error).message}`);
      for (const p of accepted) p.reject(e);
      return;
    }
    this.appliedSeq = this.journal!.lastSeq;
    for (const p of accepted) p.resolve(p.rows);
    this.eventRows += rows.filter((r) => r.event_type !== 'label').length;
    if (this.maxRows > 0 && this.eventRows > this.maxRows + Math.floor(this.maxRows / 20)) this.trim(false);
    this.markDirty();
  }

  /** Which of `ids` the database already holds: one query for a whole batch rather than one per id. */
  private storedIds(ids: string[]): Set<string> {
    const found = new Set<string>();
    const stmt = (this.findIds ??= this.db.prepare('SELECT t.id FROM json_each(?) j JOIN telemetry t ON t.id = j.value'));
    try {
      stmt.bind([JSON.stringify(ids)]);
      while (stmt.step()) found.add(stmt.get()[0] as string);
    } finally {
      stmt.reset();
    }
    return found;
  }

  /**
   * Records a review: a NEW event of type `label` that refers to `id`, with
   * who, when and why in its metadata. The reviewed row is never edited.
   */
  async labelEvent(id: string, label: SafetyLabel, review: LabelReview): Promise<TelemetryRow> {
    this.assertWritable();
    if (label !== 0 && label !== 1 && label !== 2) throw new TelemetryError(`label: expected 0 (safe), 1 (unsafe) or 2 (unknown), got ${JSON.stringify(label)}`);
    if (typeof review?.who !== 'string' || !review.who.trim()) throw new TelemetryError('label: "who" is required');
    if (typeof review.why !== 'string' || !review.why.trim()) throw new TelemetryError('label: "why" is required (say why the label applies)');
    const original = this.getEvent(id);
    if (!original) throw new TelemetryError(`label: no telemetry event with id "${id}"`);
    if (original.event_type === 'label') throw new TelemetryError(`label: "${id}" is itself a label event; label the event it reviews`);
    const at = new Date(this.now()).toISOString();
    const metadata: LabelMetadata = { ref: id, who: review.who.trim(), why: review.why.trim(), at, previous: original.effective_label };
    return this.insertEvent({ event_type: 'label', ts: at, tool: original.tool, command: original.command, safety_label: label, metadata: { ...metadata } });
  }

  // ---- reads -------------------------------------------------------------

  /**
   * The id of the one event whose id is `idOrPrefix` or starts with it (ids
   * are 26-character ULIDs; as with git, an unambiguous prefix will do).
   */
  resolveEventId(idOrPrefix: string): string {
    // A range on the primary key: every text starting with the prefix sorts between these bounds.
    const matches = idOrPrefix
      ? allRows<{ id: string }>(this.db, 'SELECT id FROM telemetry WHERE id >= ? AND id < ? ORDER BY id LIMIT 3', [idOrPrefix, `${idOrPrefix}\u{10FFFF}`]).map((r) => r.id)
      : [];
    if (matches[0] === idOrPrefix || matches.length === 1) return matches[0];
    if (!matches.length) throw new TelemetryError(`no telemetry event with id "${idOrPrefix}"`);
    const shown = `${matches.slice(0, 2).join(', ')}${matches.length > 2 ? ', …' : ''}`;
    throw new TelemetryError(`id prefix "${idOrPrefix}" is ambiguous (${shown}); give more of the id`);
  }

  /** Whether the store holds an event with this id (a key lookup, without the review columns getEvent adds). */
  hasEvent(id: string): boolean {
    return firstRow(this.db, 'SELECT 1 FROM telemetry WHERE id = ?', [id]) !== undefined;
  }

  getEvent(id: string): TelemetryRecord | undefined {
    return firstRow<TelemetryRecord>(this.db, `SELECT ${RECORD_SQL} FROM telemetry t WHERE t.id = ?`, [id]);
  }

  private whereClause(filter: RecentFilter): { sql: string; params: SqlValue[] } {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const add = (sql: string, ...values: SqlValue[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (filter.eventType !== undefined) add('t.event_type = ?', filter.eventType);
    else where.push("t.event_type != 'label'");
    if (filter.tool !== undefined) add('t.tool = ?', filter.tool);
    if (filter.session !== undefined) add('t.batch_id = ?', filter.session);
    if (filter.decision !== undefined) add(`${DECISION_ACTION.replace('metadata', 't.metadata')} = ?`, filter.decision);
    if (filter.text) add('instr(lower(t.command), lower(?)) > 0', filter.text);
    // One scan either way (no index serves a substring). OR stops at the first branch that matches, and the
    // agent's JSON is parsed only where the raw metadata contains the text: about twice the cost of a
    // command-only search, not four times (100,000 events: 85-115 ms against 43 ms for the count).
    if (filter.search) {
      const like = (column: string) => `instr(lower(${column}), lower(?)) > 0`;
      add(`(${like('t.command')} OR ${like('t.tool')} OR (${like('t.metadata')} AND ${like("json_extract(t.metadata, '$.agent')")}))`, ...Array<string>(4).fill(filter.search));
    }
    // Two uncorrelated subqueries (each evaluated once) instead of the per-row review lookup.
    if (filter.label === 'none') where.push(`t.safety_label IS NULL AND t.id NOT IN (${REVIEWED_IDS})`);
    else if (filter.label !== undefined) {
      add(`(t.id IN (${LATEST_REVIEW_IS}) OR (t.safety_label = ? AND t.id NOT IN (${REVIEWED_IDS})))`, filter.label, filter.label);
    }
    if (filter.before) add('(t.ts < ? OR (t.ts = ? AND t.id < ?))', filter.before.ts, filter.before.ts, filter.before.id);
    return { sql: where.join(' AND '), params };
  }

  /** Newest events first, filtered; page with `offset` or (cheaper deep down) `before` = the last row seen. */
  queryRecent(limit: number, filter: RecentFilter = {}): TelemetryRecord[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new TelemetryError(`limit: expected an integer from 1 to 100000, got ${limit}`);
    const offset = filter.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) throw new TelemetryError(`offset: expected a non-negative integer, got ${offset}`);
    const w = this.whereClause(filter);
    return allRows<TelemetryRecord>(
      this.db,
      `SELECT ${RECORD_SQL} FROM telemetry t WHERE ${w.sql} ORDER BY t.ts DESC, t.id DESC LIMIT ? OFFSET ?`,
      [...w.params, limit, offset],
    );
  }

  /** How many events match a filter (for a pager's total). */
  countEvents(filter: RecentFilter = {}): number {
    const w = this.whereClause({ ...filter, offset: undefined, before: undefined });
    return Number(firstRow<{ n: number }>(this.db, `SELECT count(*) AS n FROM telemetry t WHERE ${w.sql}`, w.params)?.n ?? 0);
  }

  /** The latest review of each reviewed event; with `withMetadata`, its label event's metadata too (else ''). */
  private latestReviews(withMetadata = false): Map<string, LatestReview> {
    const latest = new Map<string, LatestReview>();
    const stmt = this.db.prepare(`SELECT ${LABEL_REF} AS ref, safety_label, ${withMetadata ? 'metadata' : "''"} FROM telemetry WHERE event_type = 'label' ORDER BY ts, id`);
    try {
      while (stmt.step()) {
        const [ref, label, metadata] = stmt.get() as [string | null, SafetyLabel, string];
        if (ref !== null) latest.set(ref, { label, metadata });
      }
    } finally {
      stmt.free();
    }
    return latest;
  }

  /** Distribution of effective labels over events (for the Train confirmation and the metrics chart). */
  labelCounts(): LabelCounts {
    const counts: LabelCounts = { safe: 0, unsafe: 0, unknown: 0, unlabelled: 0, total: 0 };
    const key = (l: SafetyLabel | null): Exclude<keyof LabelCounts, 'total'> => (l === 0 ? 'safe' : l === 1 ? 'unsafe' : l === 2 ? 'unknown' : 'unlabelled');
    for (const r of allRows<{ l: SafetyLabel | null; n: number }>(this.db, "SELECT safety_label AS l, count(*) AS n FROM telemetry WHERE event_type != 'label' GROUP BY safety_label")) {
      counts[key(r.l)] += r.n;
      counts.total += r.n;
    }
    const reviews = this.latestReviews();
    if (reviews.size) {
      const reviewed = allRows<{ id: string; l: SafetyLabel | null }>(
        this.db,
        `SELECT id, safety_label AS l FROM telemetry WHERE event_type != 'label' AND id IN (${REVIEWED_IDS})`,
      );
      for (const r of reviewed) {
        counts[key(r.l)]--;
        counts[key(reviews.get(r.id)!.label)]++;
      }
    }
    return counts;
  }

  /**
   * The label that applies to an event id, or to a command: the latest review
   * wins; without one, the event's own recorded label (for a command, that of
   * its latest event carrying one). Null when nothing labels it.
   */
  effectiveLabel(commandOrId: string): EffectiveLabel | null {
    type LabelRow = { id: string; ts: string; safety_label: SafetyLabel | null; metadata: string | null };
    const review = (r: LabelRow | undefined): EffectiveLabel | null => {
      if (!r || r.safety_label === null) return null;
      const m = JSON.parse(r.metadata ?? '{}') as Partial<LabelMetadata>;
      return { label: r.safety_label, source: 'review', eventId: r.id, who: m.who, why: m.why, at: m.at ?? r.ts };
    };
    const recorded = (r: LabelRow | undefined): EffectiveLabel | null =>
      r && r.safety_label !== null ? { label: r.safety_label, source: 'recorded', eventId: r.id } : null;
    const cols = 'id, ts, safety_label, metadata';
    const event = firstRow<LabelRow & { event_type: string }>(this.db, `SELECT ${cols}, event_type FROM telemetry WHERE id = ?`, [commandOrId]);
    if (event && event.event_type !== 'label') {
      return (
        review(firstRow(this.db, `SELECT ${cols} FROM telemetry WHERE event_type = 'label' AND ${LABEL_REF} = ? ORDER BY ts DESC, id DESC`, [commandOrId])) ??
        recorded(event)
      );
    }
    return (
      review(firstRow(this.db, `SELECT ${cols} FROM telemetry WHERE command = ? AND event_type = 'label' ORDER BY ts DESC, id DESC`, [commandOrId])) ??
      recorded(
        firstRow(
          this.db,
          `SELECT ${cols} FROM telemetry WHERE command = ? AND event_type != 'label' AND safety_label IS NOT NULL ORDER BY ts DESC, id DESC`,
          [commandOrId],
        ),
      )
    );
  }

  /** Every event, oldest first, with `safety_label` replaced by its effective label (label events folded in). */
  *labelledRows(includeLabelEvents = false): Generator<TelemetryRow> {
    for (const values of this.labelledValues(includeLabelEvents)) yield rowObject(values);
  }

  /** `labelledRows` as arrays of column values (in COLUMNS order). */
  private *labelledValues(includeLabelEvents: boolean): Generator<SqlValue[]> {
    const reviews = this.latestReviews(true);
    const stmt = this.db.prepare(`SELECT ${COLUMNS.join(', ')} FROM telemetry ${includeLabelEvents ? '' : "WHERE event_type != 'label'"} ORDER BY ts, id`);
    try {
      for (const values of valueRows(stmt)) {
        const review = values[EVENT_TYPE] === 'label' ? undefined : reviews.get(values[ID] as string);
        if (review !== undefined) {
          values[SAFETY_LABEL] = review.label;
          values[METADATA] = withReview(values[METADATA] as string | null, review.metadata);
        }
        yield values;
      }
    } finally {
      stmt.free();
    }
  }

  /**
   * Writes every event as telemetry CSV (see csv.ts), effective labels filled
   * in, atomically. Label events are folded in; `includeLabelEvents` also
   * writes them as rows of their own. Returns the number of rows written.
   */
  async exportCsv(path: string, opts: { includeLabelEvents?: boolean } = {}): Promise<number> {
    if (this.closed) throw new TelemetryError(`${this.path}: telemetry store is closed`);
    const own = whichStoreFile(path, this.path);
    if (own) throw new TelemetryError(`${path}: is the telemetry store's ${own}; export to another file`);
    // In turn with journal writes and snapshots, so no change lands mid-read and close waits for it.
    return this.serial(() => writeCsvFile(resolve(path), this.labelledValues(!!opts.includeLabelEvents) as Iterable<CsvValue[]>)).catch((err: Error) => {
      throw new TelemetryError(`${path}: ${err.message}`);
    });
  }

  // ---- retention, snapshots, compaction ------------------------------------

  /** Applies retention now rather than at the next save (an import reports what it keeps). */
  applyRetention(): void {
    const before = this.eventRows;
    this.trim(true);
    if (this.eventRows !== before) this.markDirty();
  }

  /**
   * Drops events beyond `maxRows` (oldest first) and older than `maxAgeDays`.
   * Label events and the events they review are never dropped.
   */
  private trim(includeAge: boolean): void {
    const conds: string[] = [];
    const params: SqlValue[] = [];
    if (this.maxRows > 0 && this.eventRows > this.maxRows) {
      conds.push("id NOT IN (SELECT id FROM telemetry WHERE event_type != 'label' ORDER BY ts DESC, id DESC LIMIT ?)");
      params.push(this.maxRows);
    }
    if (includeAge && this.maxAgeMs > 0) {
      conds.push('ts < ?');
      params.push(new Date(this.now() - this.maxAgeMs).toISOString());
    }
    if (!conds.length) return;
    this.db.run(
      `DELETE FROM telemetry WHERE event_type != 'label'
         AND id NOT IN (${REVIEWED_IDS})
         AND (${conds.join(' OR ')})`,
      params,
    );
    const removed = this.db.getRowsModified();
    if (removed) {
      this.trimmedSinceCompaction += removed;
      this.eventRows = this.countEventRows();
    }
  }

  private markDirty(): void {
    this.dirty = true;
    const now = this.now();
    if (!this.dirtySince) this.dirtySince = now;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    const debounce = this.opts.saveDebounceMs ?? 5_000;
    const wait = Math.max(0, Math.min(debounce, this.dirtySince + (this.opts.saveMaxWaitMs ?? 60_000) - now));
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save().catch((err: Error) => this.warn(`${this.path}: snapshot failed, the journal still holds every event: ${err.message}`));
    }, wait);
    this.saveTimer.unref();
  }

  /** Runs `fn` after the journal writes and snapshots queued before it. */
  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.io.then(fn);
    this.io = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Saves the snapshot now, then compacts the journal if retention dropped
   * events. The database is exported in turn with journal writes, but the
   * file is written outside that queue, so inserts go on meanwhile.
   */
  save(): Promise<void> {
    if (this.opts.readOnly) return Promise.resolve();
    const run = (async () => {
      await this.lastSave;
      const bytes = await this.serial(() => this.exportSnapshot());
      if (!bytes) return;
      await replaceFileWith(this.path, bytes);
      if (this.trimmedSinceCompaction) await this.serial(() => this.rewriteJournalFromDatabase(false));
    })();
    this.lastSave = run.catch(() => undefined);
    return run;
  }

  private exportSnapshot(): Uint8Array | undefined {
    if (!this.dirty) return undefined;
    this.trim(true);
    this.db.run("INSERT OR REPLACE INTO telemetry_meta (key, value) VALUES ('journal_seq', ?)", [String(this.appliedSeq)]);
    this.dirty = false;
    this.dirtySince = 0;
    return this.db.export();
  }

  /**
   * Compaction: rewrites the journal to the events the database still holds.
   * Kept entries keep their seq; events found only in the database (a journal
   * that went missing) are written with seq 0, i.e. already in the snapshot.
   */
  private async rewriteJournalFromDatabase(journalMissing: boolean): Promise<void> {
    const kept: JournalEntry[] = [];
    const inJournal = new Set<string>();
    if (!journalMissing) {
      const ids = new Set(allRows<{ id: string }>(this.db, 'SELECT id FROM telemetry').map((r) => r.id));
      scanJournal(this.journalPath, -1, false, (e) => {
        if (ids.has(e.event.id) && !inJournal.has(e.event.id)) {
          kept.push(e);
          inJournal.add(e.event.id);
        }
      });
    }
    const stmt = this.db.prepare(`SELECT ${COLUMNS.join(', ')} FROM telemetry ORDER BY rowid`);
    const missing: JournalEntry[] = [];
    try {
      for (const values of valueRows(stmt)) if (!inJournal.has(values[ID] as string)) missing.push({ seq: 0, event: rowObject(values) });
    } finally {
      stmt.free();
    }
    const entries = [...missing, ...kept];
    if (this.journal) await this.journal.rewrite(entries);
    else await replaceFileWith(this.journalPath, journalLines(entries));
    this.trimmedSinceCompaction = 0;
  }

  /** Writes what is pending, saves the snapshot and releases the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    try {
      if (!this.opts.readOnly) {
        await this.io;
        this.dirty ||= this.trimmedSinceCompaction > 0;
        await this.save();
        await this.lastSave;
      }
    } finally {
      await this.journal?.close().catch(() => undefined);
      this.inserter?.free();
      this.findIds?.free();
      this.db.close();
      this.release?.();
    }
  }
}
