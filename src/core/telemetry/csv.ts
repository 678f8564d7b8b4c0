// The telemetry CSV format (what `export-csv` writes and `train --csv` reads):
// RFC 4180 (CRLF records, fields with commas, quotes or line breaks quoted,
// quotes doubled), a header row with the table's columns in order, empty cells
// for NULL.
//
// Formula injection: a spreadsheet treats a cell starting with = + - @ tab or
// CR as a formula. Such text cells get a leading apostrophe, which spreadsheets
// show as text. So the rule stays reversible, a text that already starts with
// apostrophes followed by one of those characters gets one more: readers undo
// it with `restoreCell` (strip one apostrophe when apostrophes precede one of
// those characters). Numeric columns are written as plain numbers.
import { writeSync } from 'node:fs';
import { EncodeBuffer } from './encode-buffer';
import { replaceFile } from '../replace-file';
import { COLUMNS } from './schema';
import type { TelemetryRow } from './types';

const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function restoreCell(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** A cell's value: text, a number, or NULL. */
export type CsvValue = string | number | null;

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = neutraliseCell(v);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = `${COLUMNS.join(',')}\r\n`;
/** Bytes of CSV written at a time. */
const CHUNK_BYTES = 1 << 18;

function record(values: readonly CsvValue[]): string {
  let line = field(values[0]);
  for (let i = 1; i < values.length; i++) line += `,${field(values[i])}`;
  return `${line}\r\n`;
}

function rowValues(row: TelemetryRow): CsvValue[] {
  return COLUMNS.map((c) => row[c]);
}

/**
 * CSV text for rows, optionally preceded by the header. The RFC 4180 rules
 * are written out here: csv-stringify produced the same bytes six times
 * slower (6.1 s against 0.9 s of CPU for 100k rows), which alone broke the
 * 2 s export budget, and with CRLF records it leaves a lone LF unquoted
 * unless told otherwise (agents' multi-line commands would split rows in
 * many readers). The tests check byte equality with csv-stringify configured
 * to quote CR and LF.
 */
export function telemetryCsv(rows: TelemetryRow[], header: boolean): string {
  let out = header ? HEADER : '';
  for (const row of rows) out += record(rowValues(row));
  return out;
}

/**
 * Writes the header and a record per row of column values (in COLUMNS order)
 * to `fd`, synchronously, a buffer at a time. Returns the number of records.
 */
function writeCsvRecords(fd: number, rows: Iterable<readonly CsvValue[]>): number {
  const out = new EncodeBuffer(CHUNK_BYTES);
  const flush = () => {
    const bytes = out.bytes;
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    out.clear();
  };
  out.put(HEADER);
  let records = 0;
  for (const values of rows) {
    const text = record(values);
    if (!out.fits(text)) flush();
    out.put(text);
    records++;
  }
  flush();
  return records;
}

/**
 * Writes rows of column values (in COLUMNS order) as a telemetry CSV file,
 * atomically (temp file + rename). The rows are read and written in one
 * synchronous pass. Returns the row count.
 */
export async function writeCsvFile(path: string, rows: Iterable<readonly CsvValue[]>): Promise<number> {
  let records = 0;
  await replaceFile(path, async (fh) => void (records = writeCsvRecords(fh.fd, rows)), 0o600);
  return records;
}

/** Writes rows as a telemetry CSV file, atomically (temp file + rename). Returns the row count. */
export function writeTelemetryCsv(path: string, rows: Iterable<TelemetryRow>): Promise<number> {
  const values = function* () {
    for (const row of rows) yield rowValues(row);
  };
  return writeCsvFile(path, values());
}
