import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { GENESIS_HASH, hashRecord, isCompletion, type AuditRecord } from './chain';
import { resolveAuditPaths } from './files';
import { parseAuditLine } from './reader';

export interface VerifyProblem {
  file: string;
  line: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  files: string[];
  /** Chained records read (events and completion reports). 0 with `ok`: an empty log, nothing to verify. */
  records: number;
  events: number;
  /** The first line that breaks the chain, when `ok` is false. */
  problem?: VerifyProblem;
  /** Torn lines (crash mid-write) that the chain skips over: reported, not fatal. */
  torn: VerifyProblem[];
  /** Hash of the last record: keep it elsewhere to detect truncation of the log's end. */
  head: string;
}

interface Location {
  file: string;
  line: number;
}

/** How every line the writer writes starts: `schema_version` is the first key of events and completion reports. */
const RECORD_START = '{"schema_version":';
const TORN = 'a record cut short by a crash mid-write';

/**
 * Whether an unreadable line can be what a writer killed mid-write leaves: the
 * start of a record. Anything else (random bytes, other JSON) the writer never
 * writes. A proper prefix of a record is never valid JSON.
 */
function isTornRecord(text: string): boolean {
  if (!text.startsWith(RECORD_START) && !RECORD_START.startsWith(text)) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** A line in an audit log that the writer cannot have written there. */
function notWritten(where: Location, reason: string): VerifyProblem {
  return { file: where.file, line: where.line, message: `edited or inserted: ${reason}` };
}

/**
 * Walks the chain of a file or a directory's files. Every record must hash to
 * its `hash` and point at the record before it; the first line where that
 * fails is reported, named by what most likely happened there. A log with
 * lines but no audit record at all is reported as not an audit log.
 */
export async function verifyAudit(fileOrDir: string): Promise<VerifyResult> {
  const files = resolveAuditPaths(fileOrDir);
  const walk = new ChainWalk(files);
  for (const file of files) {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      const problem = walk.next(text, { file, line });
      if (problem) return walk.fail(problem);
    }
  }
  return walk.finish();
}

class ChainWalk {
  private readonly result: VerifyResult;
  private prev = GENESIS_HASH;
  private prevPrev: string | null = null;
  private prevLoc: Location | null = null;
  private readonly seen = new Set<string>();
  /** Torn lines since the last good record: skipped if the chain carries on past them or nothing follows. */
  private torn: Location[] = [];
  /** A line the writer never writes, met before any record: a record further on makes it an edit, else this is no audit log. */
  private foreign: (Location & { reason: string }) | null = null;

  constructor(files: string[]) {
    this.result = { ok: true, files, records: 0, events: 0, torn: [], head: GENESIS_HASH };
  }

  /** Checks one line; returns the problem that ends the walk, if any. */
  next(text: string, where: Location): VerifyProblem | null {
    if (!text.trim()) return null;
    const rec = parseAuditLine(text);
    if (typeof rec === 'string') return this.unreadable(text, rec, where);
    if (this.foreign) return notWritten(this.foreign, this.foreign.reason);
    return this.record(rec, where);
  }

  fail(problem: VerifyProblem): VerifyResult {
    return { ...this.result, ok: false, problem, head: this.prev };
  }

  finish(): VerifyResult {
    if (this.foreign) {
      const { file, line, reason } = this.foreign;
      return this.fail({ file, line, message: `not an audit log (no audit record): ${reason}` });
    }
    // Only the final line can be a write the writer never finished; torn lines
    // before it were fenced off by a later writer that crashed in turn.
    const last = this.torn.pop();
    this.skipTorn();
    if (last) this.result.torn.push({ ...last, message: `torn last line skipped (${TORN})` });
    this.result.head = this.prev;
    return this.result;
  }

  private unreadable(text: string, reason: string, where: Location): VerifyProblem | null {
    if (isTornRecord(text)) {
      this.torn.push(where);
      return null;
    }
    if (this.result.records) return notWritten(where, reason);
    this.foreign ??= { ...where, reason };
    return null;
  }

  private record(rec: AuditRecord, where: Location): VerifyProblem | null {
    if (hashRecord(rec) !== rec.hash) return { ...where, message: 'edited: the record does not match its hash' };
    if (rec.prev_hash !== this.prev) return this.chainBreak(rec, where);
    this.skipTorn();
    this.seen.add(rec.hash);
    this.prevPrev = this.prev;
    this.prev = rec.hash;
    this.prevLoc = where;
    this.result.records++;
    if (!isCompletion(rec)) this.result.events++;
    return null;
  }

  /** Names what most likely happened where `rec` does not follow the record before it. */
  private chainBreak(rec: AuditRecord, where: Location): VerifyProblem {
    if (this.torn.length) return { ...this.torn[0], message: `edited or corrupt: ${TORN}, and the chain does not continue past it` };
    if (this.seen.has(rec.hash)) return { ...where, message: 'duplicated: this record already appears earlier in the log' };
    if (this.prevLoc && this.prevPrev !== null && rec.prev_hash === this.prevPrev) {
      return { ...this.prevLoc, message: 'inserted: the next record chains past this line' };
    }
    const why = this.seen.has(rec.prev_hash)
      ? 'removed or reordered: this record follows a record further back'
      : 'removed, inserted or reordered: the record this one follows is missing here';
    return { ...where, message: why };
  }

  private skipTorn(): void {
    this.result.torn.push(...this.torn.map((t) => ({ ...t, message: `torn line skipped (${TORN})` })));
    this.torn = [];
  }
}
