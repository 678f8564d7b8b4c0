// The append-only journal (JSON Lines) that makes the in-memory sql.js
// database durable. Each line is `{"seq":N,"event":{…row…}}`; a batch of lines
// is written with one write and flushed to disk before its events are
// acknowledged. The journal keeps every retained event (it is compacted to
// what the database still holds after a save), so the database can always be
// rebuilt from it.
import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { fileStamp, replaceFileWith } from './files';
import type { TelemetryRow } from './types';

export type SyncPolicy = 'fdatasync' | 'fsync' | 'none';

export interface JournalEntry {
  seq: number;
  event: TelemetryRow;
}

export interface JournalScan {
  /** Entries with seq > afterSeq, in file order. */
  entries: JournalEntry[];
  /** Highest seq seen in the file (0 when empty or missing). */
  maxSeq: number;
  lines: number;
  exists: boolean;
  warnings: string[];
}

const SEQ_PREFIX = '{"seq":';

function lineSeq(line: string): number {
  if (!line.startsWith(SEQ_PREFIX)) return NaN;
  const end = line.indexOf(',', SEQ_PREFIX.length);
  return end < 0 ? NaN : Number(line.slice(SEQ_PREFIX.length, end));
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const v = JSON.parse(line) as JournalEntry;
    if (Number.isInteger(v?.seq) && typeof v.event?.id === 'string' && typeof v.event.event_type === 'string') return v;
  } catch {
    // reported by the caller with the line number
  }
  return undefined;
}

/**
 * Reads the journal. Lines at or below `afterSeq` are already in the saved
 * database and are only scanned for their seq, not parsed. With `repair`, a
 * torn last line (a write cut short by a crash) is cut off so later appends
 * start on a clean line, and a journal with unreadable lines in the middle is
 * copied aside before anything rewrites it.
 */
export function scanJournal(path: string, afterSeq: number, repair: boolean): JournalScan {
  const scan: JournalScan = { entries: [], maxSeq: 0, lines: 0, exists: existsSync(path), warnings: [] };
  if (!scan.exists) return scan;
  const text = readFileSync(path, 'utf8');
  let start = 0;
  let lineNo = 0;
  const badLines = new Set<number>();
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl);
    lineNo++;
    if (nl < 0) {
      // The last line has no newline: the crash came mid-write.
      const entry = parseEntry(line);
      if (entry) {
        scan.lines++;
        scan.maxSeq = Math.max(scan.maxSeq, entry.seq);
        if (entry.seq > afterSeq) scan.entries.push(entry);
        if (repair) appendFileSync(path, '\n');
      } else if (repair) {
        // (a reader may just be seeing a write in progress: only the writer reports it)
        scan.warnings.push(`${path}:${lineNo}: torn last journal line (${Buffer.byteLength(line)} bytes, a write cut short before it was acknowledged) skipped`);
        truncateSync(path, Buffer.byteLength(text.slice(0, start)));
      }
      break;
    }
    if (line.length) {
      scan.lines++;
      const quick = lineSeq(line);
      if (quick <= afterSeq) {
        scan.maxSeq = Math.max(scan.maxSeq, quick);
      } else {
        const entry = parseEntry(line);
        if (entry) {
          scan.maxSeq = Math.max(scan.maxSeq, entry.seq);
          if (entry.seq > afterSeq) scan.entries.push(entry);
        } else {
          badLines.add(lineNo);
          scan.warnings.push(`${path}:${lineNo}: unreadable journal entry skipped`);
        }
      }
    }
    start = nl + 1;
  }
  if (badLines.size && repair) {
    // Keep the damaged journal as it was, then drop its unreadable lines so the next open is clean.
    const aside = `${path}.corrupt-${fileStamp()}`;
    copyFileSync(path, aside);
    const kept = text.split('\n').filter((_, i) => !badLines.has(i + 1));
    const temp = `${path}.tmp-repair-${process.pid}`;
    writeFileSync(temp, kept.join("\n"), { mode: 0o600 });
    renameSync(temp, path);
    scan.warnings.push(`${path}: ${badLines.size} unreadable journal line(s) removed; the journal as it was is kept as ${aside}`);
  }
  return scan;
}

/** Serialises entries as journal lines. */
export function journalLines(entries: JournalEntry[]): string {
  let out = '';
  for (const e of entries) out += `${JSON.stringify({ seq: e.seq, event: e.event })}\n`;
  return out;
}

export class Journal {
  private constructor(
    readonly path: string,
    private fh: FileHandle,
    private size: number,
    private readonly sync: SyncPolicy,
    /** The seq of the last entry written. */
    public lastSeq: number,
  ) {}

  static async open(path: string, sync: SyncPolicy, lastSeq: number): Promise<Journal> {
    const fh = await open(path, 'a', 0o600);
    const { size } = await fh.stat();
    return new Journal(path, fh, size, sync, lastSeq);
  }

  /** Appends rows as one write and flushes it per the sync policy. On failure nothing is left behind. */
  async append(rows: TelemetryRow[]): Promise<void> {
    const first = this.lastSeq + 1;
    const text = journalLines(rows.map((event, i) => ({ seq: first + i, event })));
    const bytes = Buffer.from(text, 'utf8');
    try {
      await this.fh.write(bytes, 0, bytes.length);
      if (this.sync === 'fdatasync') await this.fh.datasync();
      else if (this.sync === 'fsync') await this.fh.sync();
    } catch (err) {
      // cut a partial write off so the next batch starts on a clean line
      await this.fh.truncate(this.size).catch(() => undefined);
      throw err;
    }
    this.size += bytes.length;
    this.lastSeq = first + rows.length - 1;
  }

  /** Atomically replaces the journal with `entries` (compaction). */
  async rewrite(entries: JournalEntry[]): Promise<void> {
    await this.fh.close();
    const text = journalLines(entries);
    try {
      await replaceFileWith(this.path, text);
    } finally {
      this.fh = await open(this.path, 'a', 0o600);
      this.size = (await this.fh.stat()).size;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
