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
import { replaceFile } from './files';
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

function field(v: string | number | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = neutraliseCell(v);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CHUNK = 5000;
const HEADER = `${COLUMNS.join(',')}\r\n`;

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
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < COLUMNS.length; i++) line += (i ? ',' : '') + field(row[COLUMNS[i]]);
    out += `${line}\r\n`;
  }
  return out;
}

/** Writes rows as a telemetry CSV file, atomically (temp file + rename). Returns the row count. */
export async function writeTelemetryCsv(path: string, rows: Iterable<TelemetryRow>): Promise<number> {
  let count = 0;
  await replaceFile(
    path,
    async (fh) => {
      let batch: TelemetryRow[] = [];
      let first = true;
      const flush = async () => {
        await fh.write(telemetryCsv(batch, first));
        first = false;
        count += batch.length;
        batch = [];
      };
      for (const row of rows) {
        batch.push(row);
        if (batch.length >= CHUNK) await flush();
      }
      await flush();
    },
    0o600,
  );
  return count;
}
