// Text encoded as UTF-8 into one reused buffer. Encoding a large string at
// once (Buffer.from) allocates fresh memory every time, and first touches of
// fresh memory (page faults) are slow on a VM: writing the journal and the CSV
// export through a reused buffer avoids them.

export class EncodeBuffer {
  private buf: Buffer;
  /** Bytes in use. */
  length = 0;

  /** Bytes it holds before it has to grow. */
  get capacity(): number {
    return this.buf.length;
  }

  constructor(bytes: number) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  /** Whether `text` surely fits without growing (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  fits(text: string): boolean {
    return this.length + text.length * 3 <= this.buf.length;
  }

  /** Appends `text`, growing the buffer when it might not fit. */
  put(text: string): void {
    if (!this.fits(text)) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + text.length * 3));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(text, this.length);
  }

  /** The bytes in use (a view, valid until the next put). */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}
