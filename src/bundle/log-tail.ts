/**
 * Keeps the end of a log: at most `maxLines` lines and `maxBytes` bytes, fed chunk by chunk.
 *
 * While the log streams by, only a window of its last bytes is kept (copied into one circular
 * buffer, so no chunk is pinned and nothing is allocated per chunk); lines are split once, at the
 * end, walking back from the last byte. Memory stays about
 * twice the byte cap and the time is one copy per byte, whatever the log holds: a gigabyte of
 * newlines costs no more than a gigabyte of text.
 */

export interface TailResult {
  /** The kept lines, oldest first, without their line ends (`\n` or `\r\n`). */
  lines: string[];
  /** True when older lines (or the start of an over-long line) were dropped. */
  truncated: boolean;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

export class LogTailCollector {
  /** While less than a window has been pushed: copies of the chunks. */
  private parts: Buffer[] = [];
  /** Once a window has been pushed: the last `window` bytes, circular, written at `pos`. */
  private ring: Buffer | undefined;
  private pos = 0;
  /** Bytes pushed in all. */
  private total = 0;
  /**
   * Bytes of the stream's end that are enough to decide the tail: a kept line costs its bytes
   * plus one (its newline) against the cap, and its stored form is at most one `\r` longer, so
   * the kept lines never span more than 2 * (maxBytes + 1) bytes.
   */
  private readonly window: number;

  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
  ) {
    this.window = 2 * (maxBytes + 1);
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.total += chunk.length;
    if (!this.ring) {
      if (this.total < this.window) {
        // Copy: a subarray would pin the whole chunk (and the archive's buffer behind it).
        this.parts.push(Buffer.from(chunk));
        return;
      }
      // A window's worth: from now on one buffer, allocated once, overwritten in a circle.
      const before = Buffer.concat(this.parts);
      this.parts = [];
      this.ring = Buffer.allocUnsafe(this.window);
      this.pos = 0;
      this.write(before.subarray(Math.max(0, before.length - this.window)));
    }
    this.write(chunk);
  }

  private write(bytes: Buffer): void {
    const ring = this.ring!;
    const size = ring.length;
    const src = bytes.length > size ? bytes.subarray(bytes.length - size) : bytes;
    const first = Math.min(src.length, size - this.pos);
    src.copy(ring, this.pos, 0, first);
    src.copy(ring, 0, first);
    this.pos = (this.pos + src.length) % size;
  }

  private window_(): Buffer {
    if (!this.ring) return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    // total >= window here: the ring is full, its oldest byte at pos.
    return Buffer.concat([this.ring.subarray(this.pos), this.ring.subarray(0, this.pos)]);
  }

  end(): TailResult {
    const data = this.window_();
    this.parts = [];
    this.ring = undefined;
    if (data.length === 0) return { lines: [], truncated: false };
    /** The window starts after the stream's start: its first line may be cut. */
    const cut = this.total > data.length;

    const lines: string[] = [];
    let truncated = false;
    let used = 0; // bytes of the kept lines, each counted with its newline
    // The last line ends at the final newline, or at the end when the log does not end with one.
    let lineEnd = data[data.length - 1] === NEWLINE ? data.length - 1 : data.length;
    for (;;) {
      if (lines.length >= this.maxLines) {
        truncated = true;
        break;
      }
      const nl = lineEnd > 0 ? data.lastIndexOf(NEWLINE, lineEnd - 1) : -1;
      const partial = nl < 0 && cut;
      let line = data.subarray(nl + 1, lineEnd);
      if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
      if (line.length > this.maxBytes) {
        // An over-long line: the newest keeps its end (it alone fills the cap), an older one goes.
        if (lines.length === 0) lines.push(line.subarray(line.length - this.maxBytes).toString('utf8'));
        truncated = true;
        break;
      }
      // A line whose start is before the window is never kept whole (see `window`).
      if (partial || used + line.length > this.maxBytes) {
        truncated = true;
        break;
      }
      lines.push(line.toString('utf8'));
      used += line.length + 1;
      if (nl < 0) break;
      lineEnd = nl;
    }
    lines.reverse();
    return { lines, truncated };
  }
}

/** Reads a whole stream, keeping its tail. The stream is always read to its end. */
export async function readLogTail(body: AsyncIterable<Buffer>, maxLines: number, maxBytes: number): Promise<TailResult> {
  const tail = new LogTailCollector(maxLines, maxBytes);
  for await (const chunk of body) tail.push(chunk);
  return tail.end();
}
