// Reading a small text file the user (or a cloned repository) names: a policy,
// a fragment, a settings file. The size is checked on the open descriptor and
// the read stops one byte past the limit, because `stat` reports 0 for devices
// and pipes (`rampart.yaml -> /dev/zero` would otherwise read forever), and
// opening a FIFO with nobody writing would block. Text must be UTF-8: decoding
// with replacement would change bytes the user never asked us to touch.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fsReason } from './fs-reason';

/** Why a file was refused; the message says the rest without naming the file. */
export type TextFileProblem = 'unreadable' | 'too-large' | 'encoding';

export class TextFileError extends Error {
  constructor(
    readonly problem: TextFileProblem,
    message: string,
    /** The decoded text (invalid bytes replaced), when the problem is in the content. */
    readonly text?: string,
    /** Offset in `text` of the first bad character. */
    readonly offset?: number,
  ) {
    super(message);
  }

  /** 1-based line and column of the bad character, for a content problem. */
  position(): { line: number; column: number } | undefined {
    if (this.text === undefined || this.offset === undefined) return undefined;
    const before = this.text.slice(0, this.offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: this.offset - lineStart + 1 };
  }
}

function kind(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

/** The file's bytes, at most `maxBytes` (or its first `maxBytes` when `head`); throws TextFileError for anything else. */
function readBytes(file: string, maxBytes: number, head = false): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new TextFileError('unreadable', fsReason(err));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TextFileError('unreadable', `${kind(st)}, not a file`);
    if (st.size > maxBytes && !head) throw new TextFileError('too-large', `is ${st.size} bytes; the limit is ${limitText(maxBytes)}`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (head) return buf.subarray(0, Math.min(n, maxBytes));
    // A file that grew between fstat and the read (a log being written) is still held to the limit.
    if (n > maxBytes) throw new TextFileError('too-large', `is over ${limitText(maxBytes)}`);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function limitText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

/** Decodes UTF-8, refusing invalid bytes with the offset of the first one. */
export function decodeUtf8(buf: Buffer): string {
  const text = buf.toString('utf8');
  // Each U+FFFD in the text is either one the file really holds (EF BF BD) or stands for invalid bytes.
  let byte = 0;
  let done = 0;
  for (let k = text.indexOf('\ufffd'); k !== -1; k = text.indexOf('\ufffd', k + 1)) {
    byte += Buffer.byteLength(text.slice(done, k));
    if (buf[byte] !== 0xef || buf[byte + 1] !== 0xbf || buf[byte + 2] !== 0xbd) {
      throw new TextFileError('encoding', `invalid UTF-8 (byte 0x${buf[byte]!.toString(16).padStart(2, '0')}); save the file as UTF-8`, text, k);
    }
    byte += 3;
    done = k + 1;
  }
  return text;
}

/** A regular file's text, at most `maxBytes` of strict UTF-8; a leading BOM is kept. */
export function readTextFile(file: string, maxBytes: number): string {
  return decodeUtf8(readBytes(file, maxBytes));
}

/** The first `bytes` of a regular file (all of it when shorter); throws TextFileError for anything else. */
export function readFileHead(file: string, bytes: number): Buffer {
  return readBytes(file, bytes, true);
}

/** The first `bytes` of a regular file as text (a character cut at the end is replaced). */
export function readTextHead(file: string, bytes: number): string {
  return readFileHead(file, bytes).toString('utf8');
}
