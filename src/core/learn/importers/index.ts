// Imports observed calls from any mix of files and directories: each file's
// format is detected from its first recognisable record, records are streamed,
// and bad records are counted with file:line instead of stopping the import.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isRegularFile, listAuditFiles } from '../../audit';
import type { ObservedCall } from '../types';
import { detectFormat, mapRecord, type InputFormat } from './formats';
import { readJsonRecordBatches } from './records';

export { detectFormat, mapRecord, FORMAT_LABELS, type InputFormat } from './formats';
export { readJsonRecordBatches, readJsonRecords, type RawRecord } from './records';

export interface ImportFilter {
  /** Keep calls at or after this time (calls without a timestamp are kept). */
  since?: Date;
  agent?: string;
  session?: string;
}

export interface ImportStats {
  files: number;
  records: number;
  calls: number;
  /** Calls dropped by the filter. */
  filtered: number;
  byFormat: Partial<Record<InputFormat, number>>;
  /** Files whose format could not be recognised. */
  unrecognised: string[];
  /** Files with no record at all (empty, or blank lines only). */
  empty: string[];
  /** What every call read named, before the filter: says why a filter matched nothing. */
  seen: SeenValues;
  badLines: { count: number; samples: string[] };
}

export interface SeenValues {
  agents: Set<string>;
  sessions: Set<string>;
  /** The latest timestamp (ms), -Infinity when no call had one. */
  latest: number;
}

/** Distinct agents and sessions remembered for the filter's message (a bound on memory). */
const MAX_SEEN = 1000;

/** How many bad lines are kept as samples; the count covers all of them. */
export const BAD_LINE_SAMPLES = 20;
/** A file whose first records are all unrecognisable is given up after this many. */
const DETECT_LIMIT = 20;
const INPUT_FILE = /\.(jsonl|ndjson|json)(\.\d+)?$/i;

export function emptyImportStats(): ImportStats {
  return {
    files: 0, records: 0, calls: 0, filtered: 0, byFormat: {}, unrecognised: [], empty: [],
    seen: { agents: new Set(), sessions: new Set(), latest: -Infinity }, badLines: { count: 0, samples: [] },
  };
}

/**
 * Expands directories (recursively) into their JSON/JSONL files, sorted, each file once. Links are
 * followed, as `find -L` would (transcripts are often linked in from elsewhere); a folder reached twice,
 * by a link loop or two links to it, is read once.
 */
export function expandInputs(paths: string[]): string[] {
  const out: string[] = [];
  const walked = new Set<string>();
  const walk = (dir: string): void => {
    const st = statSync(dir);
    const id = `${st.dev}:${st.ino}`;
    if (walked.has(id)) return;
    walked.add(id);
    // Our rotated audit files first, in chain order; then everything else by name.
    // Only regular files, as below: reading a pipe planted under an audit file's name would hang.
    const audit = listAuditFiles(dir).filter(isRegularFile);
    out.push(...audit);
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      // A link's target decides; a dangling link is no input (statSync's undefined).
      const target = entry.isSymbolicLink() ? statSync(full, { throwIfNoEntry: false }) : entry;
      if (target?.isDirectory()) walk(full);
      else if (target?.isFile() && INPUT_FILE.test(entry.name) && !audit.includes(full)) out.push(full);
    }
  };
  for (const p of paths) {
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return readOnce(out);
}

/**
 * Each file once, however often the inputs name it (a file given twice, a directory and a file in it, a
 * link): read twice, every call would count double and pass `--min-frequency` on one observation.
 */
function readOnce(files: string[]): string[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    let id: string;
    try {
      const st = statSync(file);
      id = `${st.dev}:${st.ino}`;
    } catch {
      return true; // reported when it is read
    }
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function addBadLine(stats: ImportStats, where: string, reason: string): void {
  stats.badLines.count++;
  if (stats.badLines.samples.length < BAD_LINE_SAMPLES) stats.badLines.samples.push(`${where}: ${reason}`);
}

function see(call: ObservedCall, seen: SeenValues): void {
  if (call.agent && seen.agents.size < MAX_SEEN) seen.agents.add(call.agent);
  if (call.session && seen.sessions.size < MAX_SEEN) seen.sessions.add(call.session);
  const t = call.timestamp ? Date.parse(call.timestamp) : NaN;
  if (t > seen.latest) seen.latest = t;
}

function keep(call: ObservedCall, filter: ImportFilter): boolean {
  if (filter.agent !== undefined && call.agent !== filter.agent) return false;
  if (filter.session !== undefined && call.session !== filter.session) return false;
  if (filter.since && call.timestamp) {
    const t = Date.parse(call.timestamp);
    if (!Number.isNaN(t) && t < filter.since.getTime()) return false;
  }
  return true;
}

/** Streams the calls of one file, a read chunk's worth at a time, counting into `stats`. */
export async function* importFileBatches(file: string, filter: ImportFilter, stats: ImportStats): AsyncGenerator<ObservedCall[]> {
  stats.files++;
  let format: InputFormat | null = null;
  let undetected = 0;
  const recordsBefore = stats.records;
  for await (const records of readJsonRecordBatches(file)) {
    const batch: ObservedCall[] = [];
    for (const record of records) {
      const where = `${file}:${record.line}`;
      stats.records++;
      if (record.error !== undefined) {
        addBadLine(stats, where, record.error);
        continue;
      }
      if (!format) {
        format = detectFormat(record.value);
        if (!format) {
          addBadLine(stats, where, 'unrecognised record');
          if (++undetected >= DETECT_LIMIT) break;
          continue;
        }
      }
      let calls: ObservedCall[];
      try {
        calls = mapRecord(format, record.value);
      } catch (err) {
        addBadLine(stats, where, (err as Error).message);
        continue;
      }
      for (const call of calls) {
        see(call, stats.seen);
        if (!keep(call, filter)) {
          stats.filtered++;
          continue;
        }
        call.source = where;
        stats.calls++;
        stats.byFormat[format] = (stats.byFormat[format] ?? 0) + 1;
        batch.push(call);
      }
    }
    if (batch.length) yield batch;
    if (!format && undetected >= DETECT_LIMIT) break;
  }
  if (stats.records === recordsBefore) stats.empty.push(file);
  else if (!format) stats.unrecognised.push(file);
}

/** Streams the calls of every input (files or directories) in batches, in file order. */
export async function* importCallBatches(paths: string[], filter: ImportFilter = {}, stats = emptyImportStats()): AsyncGenerator<ObservedCall[]> {
  for (const file of expandInputs(paths)) yield* importFileBatches(file, filter, stats);
}

/** Streams the calls of every input one by one. */
export async function* importCalls(paths: string[], filter: ImportFilter = {}, stats = emptyImportStats()): AsyncGenerator<ObservedCall> {
  for await (const batch of importCallBatches(paths, filter, stats)) yield* batch;
}
