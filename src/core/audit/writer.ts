import { closeSync, constants, existsSync, fchmodSync, fstatSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { AUDIT_SCHEMA_VERSION, type AuditEvent } from '../types';
import { GENESIS_HASH, hashRecord, type AuditRecord, type CompletionRecord } from './chain';
import { auditFileName, auditFileSeq, ensurePrivateDir, listAuditFiles, openAuditFile } from './files';
import { redactValue } from './redact';

export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface AuditWriterOptions {
  /** Start a new file (continuing the chain) before one would exceed this size. */
  maxFileBytes?: number;
  /**
   * Several processes append to this directory (e.g. one `hook` process per
   * tool call): every append takes a lock file and re-reads the chain's tail.
   */
  shared?: boolean;
}

/** What a caller supplies; ids, timestamps, schema and hashes are filled in. */
export type NewAuditEvent = Omit<AuditEvent, 'schema_version' | 'id' | 'timestamp' | 'prev_hash' | 'hash'> &
  Partial<Pick<AuditEvent, 'id' | 'timestamp'>>;

interface Tail {
  seq: number;
  size: number;
  hash: string;
  /** The file ends without a newline: a torn write we must not glue the next line onto. */
  torn: boolean;
}

const TAIL_CHUNK = 64 * 1024;
const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 15_000;
const nextId = monotonicFactory();

/**
 * Appends hash-chained records to an audit directory. Writes are synchronous
 * and whole-line, so records from one process are in chain order and a crash
 * can tear at most the last line (which `verifyAudit` reports and skips, and
 * which the next writer fences off with a newline).
 */
export class AuditWriter {
  private tail: Tail;
  private fd: number | null = null;
  private readonly maxFileBytes: number;
  private readonly shared: boolean;

  private constructor(
    readonly dir: string,
    opts: AuditWriterOptions,
  ) {
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.shared = opts.shared ?? false;
    ensurePrivateDir(dir);
    this.tail = readTail(dir);
  }

  static open(dir: string, opts: AuditWriterOptions = {}): AuditWriter {
    return new AuditWriter(dir, opts);
  }

  /** The file the next record goes to (unless it rotates first). */
  get currentFile(): string {
    return join(this.dir, auditFileName(this.tail.seq));
  }

  get lastHash(): string {
    return this.tail.hash;
  }

  /** Redacts the request, chains and appends one event; returns it as written. */
  append(input: NewAuditEvent): AuditEvent {
    const { id, timestamp, ...rest } = input;
    return this.write((prev_hash) => ({
      schema_version: AUDIT_SCHEMA_VERSION,
      id: id ?? nextId(),
      timestamp: timestamp ?? new Date().toISOString(),
      ...rest,
      request: redactValue(rest.request),
      prev_hash,
    })) as AuditEvent;
  }

  /** Records the outcome (exit code, duration) of an earlier event. */
  complete(ref: string, session: string, response: CompletionRecord['response']): CompletionRecord {
    return this.write((prev_hash) => ({
      schema_version: AUDIT_SCHEMA_VERSION,
      type: 'completion',
      id: nextId(),
      ref,
      timestamp: new Date().toISOString(),
      session,
      response,
      prev_hash,
    })) as CompletionRecord;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(build: (prevHash: string) => Omit<AuditRecord, 'hash'>): AuditRecord {
    const unlock = this.shared ? lockDir(this.dir) : null;
    try {
      if (this.shared) {
        this.close();
        this.tail = readTail(this.dir);
      }
      const body = build(this.tail.hash);
      const record = { ...body, hash: hashRecord(body) } as AuditRecord;
      let line = `${JSON.stringify(record)}\n`;
      if (this.tail.torn) line = `\n${line}`;
      const bytes = Buffer.byteLength(line);
      if (this.tail.size > 0 && this.tail.size + bytes > this.maxFileBytes && !this.tail.torn) {
        this.close();
        this.tail = { seq: this.tail.seq + 1, size: 0, hash: this.tail.hash, torn: false };
      }
      try {
        writeAll(this.openFd(), Buffer.from(line));
      } catch (err) {
        // Part of the line may be on disk (disk full): learn where the file really ends, so the
        // next record is fenced off from the piece instead of glued onto it.
        this.close();
        this.tail = readTail(this.dir);
        throw err;
      }
      this.tail = { ...this.tail, size: this.tail.size + bytes, hash: record.hash, torn: false };
      if (this.shared) this.close();
      return record;
    } finally {
      unlock?.();
    }
  }

  private openFd(): number {
    if (this.fd === null) {
      this.fd = openAuditFile(this.currentFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
      fchmodSync(this.fd, 0o600);
    }
    return this.fd;
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Where the chain stands in `dir`: the last file, its size, and the last record's hash. */
function readTail(dir: string): Tail {
  const files = existsSync(dir) ? listAuditFiles(dir) : [];
  if (!files.length) return { seq: 1, size: 0, hash: GENESIS_HASH, torn: false };
  const seq = auditFileSeq(basename(files[files.length - 1])) ?? 1;
  const { size, torn, hash: lastHash } = lastHashIn(files[files.length - 1]);
  let hash = lastHash;
  for (let i = files.length - 2; i >= 0 && hash === null; i--) hash = lastHashIn(files[i]).hash;
  return { seq, size, hash: hash ?? GENESIS_HASH, torn };
}

/**
 * Reads a file backwards until it finds a complete line carrying a hash. Lines
 * are cut at newline bytes (never part of a multi-byte character), so each
 * byte is looked at once however much junk follows the last record.
 */
function lastHashIn(file: string): { hash: string | null; torn: boolean; size: number } {
  const fd = openAuditFile(file, constants.O_RDONLY);
  try {
    const size = fstatSync(fd).size;
    // The piece after the last newline (a torn write when not empty) is never a record to chain from: not kept.
    let inLastPiece = true;
    let torn = false;
    let rest: Buffer[] = []; // the line being read, in reverse order of its pieces
    const lineEnding = (piece: Buffer): Buffer => Buffer.concat([piece, ...rest.reverse()]);
    for (let pos = size; pos > 0; ) {
      const n = Math.min(TAIL_CHUNK, pos);
      pos -= n;
      const chunk = Buffer.alloc(n);
      readSync(fd, chunk, 0, n, pos);
      let end = n;
      for (let nl = chunk.lastIndexOf(0x0a, end - 1); end > 0 && nl !== -1; nl = end > 0 ? chunk.lastIndexOf(0x0a, end - 1) : -1) {
        if (inLastPiece) torn ||= nl + 1 < end;
        else {
          const hash = hashOfLine(lineEnding(chunk.subarray(nl + 1, end)));
          if (hash) return { hash, torn, size };
        }
        inLastPiece = false;
        rest = [];
        end = nl;
      }
      if (inLastPiece) torn ||= end > 0;
      else rest.push(chunk.subarray(0, end));
    }
    return { hash: inLastPiece ? null : hashOfLine(lineEnding(Buffer.alloc(0))), torn, size };
  } finally {
    closeSync(fd);
  }
}

function hashOfLine(line: Buffer): string | null {
  if (line[0] !== 0x7b) return null; // every record starts with `{`: junk is not decoded
  try {
    const rec = JSON.parse(line.toString('utf8')) as { hash?: unknown };
    return typeof rec.hash === 'string' && /^[0-9a-f]{64}$/.test(rec.hash) ? rec.hash : null;
  } catch {
    return null;
  }
}

/** Takes `dir/.lock` (O_EXCL), breaking a lock older than LOCK_STALE_MS left by a crashed process. */
function lockDir(dir: string): () => void {
  const lock = join(dir, '.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      return () => {
        try {
          unlinkSync(lock);
        } catch {
          // already broken as stale by another process
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) unlinkSync(lock);
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`audit log ${dir} is locked by another process (${lock})`);
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}
