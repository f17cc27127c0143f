/**
 * Keeps the end of a log: at most `maxLines` lines and `maxBytes` bytes, fed chunk by chunk.
 * Never holds more than about twice the byte cap, whatever the size of the log.
 */

export interface TailResult {
  /** The kept lines, oldest first, without their line ends (`\n` or `\r\n`). */
  lines: string[];
  /** True when older lines (or the start of an over-long line) were dropped. */
  truncated: boolean;
}

const NEWLINE = 0x0a;

export class LogTailCollector {
  private lines: string[] = [];
  private lineBytes: number[] = [];
  private head = 0;
  private keptBytes = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private truncated = false;

  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      this.addPartial(chunk.subarray(start, nl));
      this.completeLine();
      start = nl + 1;
    }
    if (start < chunk.length) this.addPartial(chunk.subarray(start));
  }

  end(): TailResult {
    if (this.partialBytes > 0) this.completeLine();
    const lines = this.lines.slice(this.head);
    this.lines = [];
    this.lineBytes = [];
    this.head = 0;
    return { lines, truncated: this.truncated };
  }

  private addPartial(part: Buffer): void {
    if (part.length === 0) return;
    // Copy: a subarray would pin the whole chunk for as long as the line is kept.
    this.partial.push(Buffer.from(part));
    this.partialBytes += part.length;
    if (this.partialBytes > 2 * this.maxBytes + 1) this.compactPartial();
  }

  /** An over-long line: keep only its last maxBytes bytes (it alone fills the byte cap). */
  private compactPartial(): void {
    const all = Buffer.concat(this.partial);
    const keep = all.subarray(Math.max(0, all.length - this.maxBytes));
    this.partial = [Buffer.from(keep)];
    this.partialBytes = keep.length;
    this.truncated = true;
    this.dropAll();
  }

  private completeLine(): void {
    let bytes = this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial);
    this.partial = [];
    this.partialBytes = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > this.maxBytes) {
      bytes = bytes.subarray(bytes.length - this.maxBytes);
      this.truncated = true;
    }
    this.lines.push(bytes.toString('utf8'));
    this.lineBytes.push(bytes.length + 1);
    this.keptBytes += bytes.length + 1;
    // The newline of the last kept line does not count against the cap.
    while (this.lines.length - this.head > this.maxLines || (this.keptBytes - 1 > this.maxBytes && this.lines.length - this.head > 0)) {
      this.dropOldest();
    }
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.lineBytes = this.lineBytes.slice(this.head);
      this.head = 0;
    }
  }

  private dropOldest(): void {
    this.keptBytes -= this.lineBytes[this.head]!;
    this.head++;
    this.truncated = true;
  }

  private dropAll(): void {
    if (this.lines.length - this.head > 0) this.truncated = true;
    this.lines = [];
    this.lineBytes = [];
    this.head = 0;
    this.keptBytes = 0;
  }
}

/** Reads a whole stream, keeping its tail. The stream is always read to its end. */
export async function readLogTail(body: AsyncIterable<Buffer>, maxLines: number, maxBytes: number): Promise<TailResult> {
  const tail = new LogTailCollector(maxLines, maxBytes);
  for await (const chunk of body) tail.push(chunk);
  return tail.end();
}
