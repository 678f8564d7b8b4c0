import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { GENESIS_HASH, hashRecord, isCompletion } from './chain';
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
  /** Chained records read (events and completion reports). */
  records: number;
  events: number;
  /** The first line that breaks the chain, when `ok` is false. */
  problem?: VerifyProblem;
  /** Torn lines (crash mid-write) that the chain skips over: reported, not fatal. */
  torn: VerifyProblem[];
  /** Hash of the last record: keep it elsewhere to detect truncation of the log's end. */
  head: string;
}

/**
 * Walks the chain of a file or a directory's files. Every record must hash to
 * its `hash` and point at the record before it; the first line where that
 * fails is reported, named by what most likely happened there.
 */
export async function verifyAudit(fileOrDir: string): Promise<VerifyResult> {
  const files = resolveAuditPaths(fileOrDir);
  const result: VerifyResult = { ok: true, files, records: 0, events: 0, torn: [], head: GENESIS_HASH };
  let prev = GENESIS_HASH;
  let prevPrev: string | null = null;
  let prevLoc: { file: string; line: number } | null = null;
  const seen = new Set<string>();
  // Unreadable lines since the last good record: torn writes if the chain carries on past them.
  let unreadable: VerifyProblem[] = [];

  const fail = (problem: VerifyProblem): VerifyResult => ({ ...result, ok: false, problem, head: prev });

  for (const file of files) {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (!text.trim()) continue;
      const rec = parseAuditLine(text);
      if (typeof rec === 'string') {
        unreadable.push({ file, line, message: rec });
        continue;
      }
      const where = { file, line };
      if (hashRecord(rec) !== rec.hash) {
        return fail({ ...where, message: 'edited: the record does not match its hash' });
      }
      if (rec.prev_hash !== prev) {
        if (unreadable.length) {
          const bad = unreadable[0];
          return fail({ ...bad, message: `edited or corrupt: ${bad.message}, and the chain does not continue past it` });
        }
        if (prevLoc && prevPrev !== null && rec.prev_hash === prevPrev) {
          return fail({ ...prevLoc, message: 'inserted: the next record chains past this line' });
        }
        const why = seen.has(rec.prev_hash)
          ? 'removed or reordered: this record follows a record further back'
          : 'removed, inserted or reordered: the record this one follows is missing here';
        return fail({ ...where, message: why });
      }
      result.torn.push(...unreadable.map((u) => ({ ...u, message: `torn line skipped (${u.message})` })));
      unreadable = [];
      seen.add(rec.hash);
      prevPrev = prev;
      prev = rec.hash;
      prevLoc = where;
      result.records++;
      if (!isCompletion(rec)) result.events++;
    }
  }
  result.torn.push(...unreadable.map((u) => ({ ...u, message: `torn last line skipped (${u.message})` })));
  result.head = prev;
  return result;
}
