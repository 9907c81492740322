// Splits a byte stream into lines: `\n` ends a line, a `\r` before it is
// dropped, and a line longer than the cap is reported once and the rest of it skipped
// up to the next `\n` without being buffered — a client cannot make us hold more than
// about one cap's worth of bytes per connection.
// See docs/protocol.md#framing.

/** What the framer hands on: a whole line's bytes (without its terminator), or "too long". */
export type Frame = { kind: 'line'; bytes: Buffer } | { kind: 'too-long' };

/** Line framer over Buffer chunks; the byte cap excludes the line's `\r\n` / `\n`. */
export class LineFramer {
  private parts: Buffer[] = [];
  private size = 0;
  /** True while the rest of an over-long line is being skipped. */
  private skipping = false;

  constructor(private readonly maxBytes: number) {}

  /** Feeds one chunk; returns the frames it completes, in order. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.skipping) {
        if (nl !== -1) this.skipping = false;
      } else if (this.size + (end - start) > this.maxBytes + 1) {
        // Over the cap even if the last byte were the `\r` of a `\r\n`: refuse it now and
        // skip the rest of it, whether that is in this chunk or still to come.
        this.reset();
        this.skipping = nl === -1;
        frames.push({ kind: 'too-long' });
      } else {
        if (end > start) {
          // A line whole within this chunk is handed on and decoded at once: no copy. A part
          // kept for later is copied, so it does not pin the whole socket chunk in memory.
          this.parts.push(nl !== -1 && this.size === 0 ? chunk.subarray(start, end) : Buffer.from(chunk.subarray(start, end)));
          this.size += end - start;
        }
        if (nl !== -1) {
          const frame = this.finish();
          if (frame) frames.push(frame);
        }
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return frames;
  }

  /** The clean end of the stream: an unterminated last line counts as a line. */
  end(): Frame[] {
    if (this.skipping) {
      this.skipping = false;
      return [];
    }
    const frame = this.size > 0 ? this.finish() : null;
    return frame ? [frame] : [];
  }

  /** Bytes held for the current unfinished line. */
  get buffered(): number {
    return this.size;
  }

  private finish(): Frame | null {
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    this.reset();
    const length = all.length > 0 && all[all.length - 1] === 0x0d ? all.length - 1 : all.length;
    if (length > this.maxBytes) return { kind: 'too-long' };
    // Empty lines get no reply (`echo` pipelines and keep-alives send them).
    if (length === 0) return null;
    return { kind: 'line', bytes: all.subarray(0, length) };
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
  }
}
