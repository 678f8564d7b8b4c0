// Streams JSON records out of a file that is either JSON Lines or one large
// JSON array, without loading it whole. Each record carries the line it
// starts on so bad input can be reported as file:line.
import { createReadStream } from 'node:fs';

export interface RawRecord {
  /** 1-based line where the record starts. */
  line: number;
  value?: unknown;
  /** Set instead of `value` when the record is not valid JSON. */
  error?: string;
}

/** Longer records are reported as bad rather than parsed (protects memory and the analyzer). */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

function parse(text: string, line: number): RawRecord {
  if (text.length > MAX_RECORD_CHARS) return { line, error: `record of ${text.length} characters is too long` };
  try {
    return { line, value: JSON.parse(text) };
  } catch (err) {
    return { line, error: `invalid JSON (${(err as Error).message})` };
  }
}

const tooLong = (line: number, chars: number): RawRecord => ({ line, error: `record of ${chars} characters is too long` });

/**
 * Splits JSON Lines text chunks into records; blank lines are skipped. A line
 * longer than MAX_RECORD_CHARS is counted, not buffered, so one giant line
 * cannot exhaust memory.
 */
class LineSplitter {
  private partial = '';
  /** Length of an over-long line being skipped (0 when none). */
  private skipped = 0;
  private line = 0;

  push(chunk: string, out: RawRecord[]): void {
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      this.line++;
      if (this.skipped) {
        out.push(tooLong(this.line, this.skipped + nl - start));
        this.skipped = 0;
      } else {
        const text = this.partial ? this.partial + chunk.slice(start, nl) : chunk.slice(start, nl);
        if (text.trim()) out.push(parse(text, this.line));
      }
      this.partial = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    if (start >= chunk.length) return;
    if (this.skipped) this.skipped += chunk.length - start;
    else if (this.partial.length + chunk.length - start > MAX_RECORD_CHARS) {
      this.skipped = this.partial.length + chunk.length - start;
      this.partial = '';
    } else this.partial += chunk.slice(start);
  }

  end(out: RawRecord[]): void {
    this.line++;
    if (this.skipped) out.push(tooLong(this.line, this.skipped));
    else if (this.partial.trim()) out.push(parse(this.partial, this.line));
  }
}

/**
 * Splits the elements of a top-level JSON array as they stream in: tracks
 * nesting and strings only, and leaves the parsing of each element to JSON.parse.
 */
class ArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private done = false;
  private line = 1;
  private element = '';
  private elementLine = 0;
  /** Length of an over-long element being skipped (0 when none). */
  private skipped = 0;

  push(chunk: string, out: RawRecord[]): void {
    // start of the current element's text inside this chunk (0 when it continues from the last one)
    let start = this.element ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true; // backslash
        else if (c === 34) this.inString = false; // quote
        continue;
      }
      if (this.done) {
        if (!isSpace(c)) {
          out.push({ line: this.line, error: 'unexpected text after the closing "]" of the array' });
          this.done = false; // report once
          this.depth = -1;
        }
        continue;
      }
      if (this.depth === -1) continue;
      if (this.depth === 0) {
        if (c === 91) this.depth = 1; // the opening [
        else if (!isSpace(c)) {
          out.push({ line: this.line, error: 'expected a JSON array' });
          this.depth = -1;
        }
        continue;
      }
      if (this.depth === 1 && (c === 44 || c === 93)) {
        // , or ] ends the element at array level
        if (start !== -1) this.append(chunk.slice(start, i));
        start = -1;
        const text = this.element.trim();
        if (this.skipped) out.push(tooLong(this.elementLine, this.skipped));
        else if (text) out.push(parse(text, this.elementLine));
        this.element = '';
        this.skipped = 0;
        this.elementLine = 0;
        if (c === 93) {
          this.depth = 0;
          this.done = true;
        }
        continue;
      }
      if (start === -1 && !isSpace(c)) {
        start = i;
        if (!this.elementLine) this.elementLine = this.line;
      } else if (start === -1) continue;
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) this.depth--;
    }
    if (start !== -1) this.append(chunk.slice(start));
  }

  /** Buffers element text; past MAX_RECORD_CHARS only its length is kept. */
  private append(text: string): void {
    if (this.skipped || this.element.length + text.length > MAX_RECORD_CHARS) {
      this.skipped += (this.skipped ? 0 : this.element.length) + text.length;
      this.element = ' '; // non-empty: the element is still in progress
    } else this.element += text;
  }

  end(out: RawRecord[]): void {
    if (this.skipped) {
      out.push(tooLong(this.elementLine, this.skipped));
    } else if (this.element.trim()) {
      out.push({ line: this.elementLine, error: 'truncated: the file ends inside an array element' });
    } else if (this.depth >= 1) {
      out.push({ line: this.line, error: 'truncated: the array is not closed' });
    }
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Reads a JSON Lines file or a JSON array file (detected by its first
 * non-blank character), yielding the records of each read chunk together:
 * one await per chunk rather than per record.
 */
export async function* readJsonRecordBatches(file: string): AsyncGenerator<RawRecord[]> {
  let splitter: LineSplitter | ArraySplitter | undefined;
  let leading = ''; // blank text before the first record, kept so line numbers stay right
  // 64 KB chunks: each chunk's records and calls then die young. With 1 MB chunks they outlived the young
  // generation, and a 1,000,000-event import peaked at about 400 MB RSS instead of about 320 MB, no faster.
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = chunk;
    if (!splitter) {
      text = (leading + chunk).replace(/^\uFEFF/, '');
      const first = text.trimStart();
      if (!first) {
        leading = text;
        continue;
      }
      splitter = first[0] === '[' ? new ArraySplitter() : new LineSplitter();
    }
    const batch: RawRecord[] = [];
    splitter.push(text, batch);
    if (batch.length) yield batch;
  }
  const last: RawRecord[] = [];
  splitter?.end(last);
  if (last.length) yield last;
}

/** The records of a file one by one. */
export async function* readJsonRecords(file: string): AsyncGenerator<RawRecord> {
  for await (const batch of readJsonRecordBatches(file)) yield* batch;
}
