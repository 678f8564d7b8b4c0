// The append-only journal (JSON Lines) that makes the in-memory sql.js
// database durable. Each line is `{"seq":N,"event":{…row…}}`; a batch of lines
// is written with one write and flushed to disk before its events are
// acknowledged. The journal keeps every retained event (it is compacted to
// what the database still holds after a save), so the database can always be
// rebuilt from it.
import { appendFileSync, constants, copyFileSync, existsSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { plural } from '../plural';
import { EncodeBuffer } from './encode-buffer';
import { replaceFileWith } from '../replace-file';
import { fileStamp } from './files';
import { fileLines } from './lines';
import type { TelemetryRow } from './types';

export type SyncPolicy = 'fdatasync' | 'fsync' | 'none';

export interface JournalEntry {
  seq: number;
  event: TelemetryRow;
}

export interface JournalScan {
  /** Highest seq seen in the file (0 when empty or missing). */
  maxSeq: number;
  lines: number;
  exists: boolean;
  warnings: string[];
}

const SEQ_PREFIX = Buffer.from('{"seq":');
/** Initial size of the buffer an append encodes into; one grown past the limit (a huge batch) is not kept. */
const JOURNAL_BUFFER_BYTES = 1 << 16;
const JOURNAL_BUFFER_LIMIT = 8 << 20;

/** The seq of a line from its first bytes, without parsing it (NaN when it does not start like an entry). */
function lineSeq(buf: Buffer, start: number, end: number): number {
  let i = start + SEQ_PREFIX.length;
  if (i >= end || buf.compare(SEQ_PREFIX, 0, SEQ_PREFIX.length, start, i) !== 0) return NaN;
  let seq = 0;
  const digits = i;
  for (; i < end && buf[i] >= 0x30 && buf[i] <= 0x39; i++) seq = seq * 10 + buf[i] - 0x30;
  return i > digits && buf[i] === 0x2c ? seq : NaN;
}

function parseEntry(buf: Buffer, start: number, end: number): JournalEntry | undefined {
  try {
    // Decoded line by line: one non-ASCII character would make a whole-file string two bytes per character.
    const v = JSON.parse(buf.toString('utf8', start, end)) as JournalEntry;
    if (Number.isInteger(v?.seq) && typeof v.event?.id === 'string' && typeof v.event.event_type === 'string') return v;
  } catch {
    // reported by the caller with the line number
  }
  return undefined;
}

/**
 * Reads the journal, passing each entry with seq > `afterSeq` to `onEntry`
 * in file order. Lines at or below `afterSeq` are already in the saved
 * database and are only scanned for their seq, not parsed. With `repair`, a
 * torn last line (a write cut short by a crash) is cut off so later appends
 * start on a clean line, and a journal with unreadable lines in the middle is
 * copied aside before they are removed.
 */
export function scanJournal(path: string, afterSeq: number, repair: boolean, onEntry: (entry: JournalEntry) => void): JournalScan {
  const scan: JournalScan = { maxSeq: 0, lines: 0, exists: existsSync(path), warnings: [] };
  if (!scan.exists) return scan;
  let lineNo = 0;
  /** Byte ranges of unreadable lines, newline included. */
  const badLines: [number, number][] = [];
  for (const { buf, start, end, offset, terminated } of fileLines(path)) {
    lineNo++;
    if (!terminated) {
      // The last line has no newline: the crash came mid-write.
      const entry = parseEntry(buf, start, end);
      if (entry) {
        scan.lines++;
        scan.maxSeq = Math.max(scan.maxSeq, entry.seq);
        if (entry.seq > afterSeq) onEntry(entry);
        if (repair) appendFileSync(path, '\n');
      } else if (repair) {
        // (a reader may just be seeing a write in progress: only the writer reports it)
        scan.warnings.push(`${path}:${lineNo}: torn last journal line (${end - start} bytes, a write cut short before it was acknowledged) skipped`);
        truncateSync(path, offset);
      }
      break;
    }
    if (end === start) continue;
    scan.lines++;
    const quick = lineSeq(buf, start, end);
    if (quick <= afterSeq) {
      scan.maxSeq = Math.max(scan.maxSeq, quick);
      continue;
    }
    const entry = parseEntry(buf, start, end);
    if (entry) {
      scan.maxSeq = Math.max(scan.maxSeq, entry.seq);
      if (entry.seq > afterSeq) onEntry(entry);
    } else {
      badLines.push([offset, offset + end - start + 1]);
      scan.warnings.push(`${path}:${lineNo}: unreadable journal entry skipped`);
    }
  }
  if (badLines.length && repair) {
    // Keep the damaged journal as it was, then drop its unreadable lines so the next open is clean.
    const aside = `${path}.corrupt-${fileStamp()}`;
    copyFileSync(path, aside);
    const text = readFileSync(path);
    const kept: Buffer[] = [];
    let from = 0;
    for (const [s, e] of badLines) {
      kept.push(text.subarray(from, s));
      from = e;
    }
    kept.push(text.subarray(from));
    const temp = `${path}.tmp-repair-${process.pid}`;
    writeFileSync(temp, Buffer.concat(kept), { mode: 0o600 });
    renameSync(temp, path);
    scan.warnings.push(`${path}: ${plural(badLines.length, 'unreadable journal line')} removed; the journal as it was is kept as ${aside}`);
  }
  return scan;
}

/** `{"seq":N,"event":{…}}` and a newline (the same text as stringifying the entry, without building it). */
function journalLine(seq: number, event: TelemetryRow): string {
  return `{"seq":${seq},"event":${JSON.stringify(event)}}\n`;
}

/** Serialises entries as journal lines. */
export function journalLines(entries: JournalEntry[]): string {
  let out = '';
  for (const e of entries) out += journalLine(e.seq, e.event);
  return out;
}

/**
 * The open flag that makes a write return only once it is on disk, as the
 * write followed by fdatasync (O_DSYNC) or fsync (O_SYNC) would: then one
 * call in the thread pool writes and flushes, and the store inserts into the
 * database meanwhile. Linux only: on macOS these flags do not flush the
 * drive's cache, which fsync and fdatasync do there (F_FULLFSYNC), so other
 * platforms call those after the write (undefined).
 */
function syncFlag(sync: SyncPolicy): number | undefined {
  if (sync === 'none') return 0;
  if (process.platform !== 'linux') return undefined;
  return sync === 'fdatasync' ? constants.O_DSYNC : constants.O_SYNC;
}

function openForAppend(path: string, sync: SyncPolicy): Promise<FileHandle> {
  const flag = syncFlag(sync);
  const flags = flag === undefined ? 'a' : constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | flag;
  return open(path, flags, 0o600);
}

export class Journal {
  private out = new EncodeBuffer(JOURNAL_BUFFER_BYTES);
  /** Whether each write is flushed as it is written (see syncFlag), or needs a flush call after it. */
  private readonly flushCall: boolean;

  private constructor(
    readonly path: string,
    private fh: FileHandle,
    private size: number,
    private readonly sync: SyncPolicy,
    /** The seq of the last entry written. */
    public lastSeq: number,
  ) {
    this.flushCall = syncFlag(sync) === undefined;
  }

  static async open(path: string, sync: SyncPolicy, lastSeq: number): Promise<Journal> {
    const fh = await openForAppend(path, sync);
    const { size } = await fh.stat();
    return new Journal(path, fh, size, sync, lastSeq);
  }

  /**
   * Appends rows as one write and flushes it per the sync policy. On failure
   * nothing is left behind. One append at a time (the store serialises them):
   * the lines are encoded into a buffer reused from one append to the next.
   * The lines are encoded and the write started before this returns.
   */
  async append(rows: TelemetryRow[]): Promise<void> {
    const first = this.lastSeq + 1;
    this.out.clear();
    for (let i = 0; i < rows.length; i++) this.out.put(journalLine(first + i, rows[i]));
    const bytes = this.out.bytes;
    try {
      for (let done = 0; done < bytes.length; ) done += (await this.fh.write(bytes, done, bytes.length - done)).bytesWritten;
      if (this.flushCall && this.sync === 'fdatasync') await this.fh.datasync();
      else if (this.flushCall && this.sync === 'fsync') await this.fh.sync();
    } catch (err) {
      // cut a partial write off so the next batch starts on a clean line
      await this.fh.truncate(this.size).catch(() => undefined);
      throw err;
    }
    this.size += bytes.length;
    this.lastSeq = first + rows.length - 1;
    if (this.out.capacity > JOURNAL_BUFFER_LIMIT) this.out = new EncodeBuffer(JOURNAL_BUFFER_BYTES);
  }

  /** Atomically replaces the journal with `entries` (compaction). */
  async rewrite(entries: JournalEntry[]): Promise<void> {
    await this.fh.close();
    const text = journalLines(entries);
    try {
      await replaceFileWith(this.path, text);
    } finally {
      this.fh = await openForAppend(this.path, this.sync);
      this.size = (await this.fh.stat()).size;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
