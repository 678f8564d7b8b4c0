// Reads a file line by line through one reused buffer. Reading a whole
// journal at once (65 MB at 100k events) costs more than parsing it: every
// page of a fresh buffer is a page fault, and on a shared VM those are slow.
import { closeSync, openSync, readSync } from 'node:fs';

export interface FileLine {
  /** Holds the line at [start, end); only valid until the next line is read. */
  buf: Buffer;
  start: number;
  end: number;
  /** Byte offset of the line in the file. */
  offset: number;
  /** False for a last line with no newline after it. */
  terminated: boolean;
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** The lines of a file, without their newline. A line longer than the buffer grows it. */
export function* fileLines(path: string): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let data = buf.subarray(0, 0);
    /** File offset of buf[0]. */
    let base = 0;
    let start = 0;
    for (;;) {
      const nl = data.indexOf(NEWLINE, start);
      if (nl >= 0) {
        yield { buf, start, end: nl, offset: base + start, terminated: true };
        start = nl + 1;
        continue;
      }
      // Keep the partial line, at the front of the buffer, and read more after it.
      const partial = data.length - start;
      if (partial === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, start, data.length);
        buf = bigger;
      } else {
        buf.copy(buf, 0, start, data.length);
      }
      base += start;
      start = 0;
      const read = readSync(fd, buf, partial, buf.length - partial, base + partial);
      data = buf.subarray(0, partial + read);
      if (!read) {
        if (partial) yield { buf, start: 0, end: partial, offset: base, terminated: false };
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}
