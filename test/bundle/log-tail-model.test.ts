/**
 * The log tail keeps a byte window and splits lines once at the end. It must keep exactly what the
 * previous line-by-line collector kept (reproduced below as the model), for any log, caps and chunking.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LogTailCollector, type TailResult } from '../../src/bundle/log-tail.js';

// The collector as it was before the window rewrite (git history: src/bundle/log-tail.ts), with one fix (compactPartial).
const NEWLINE = 0x0a;
class PreviousLogTail {
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
    // The one change: keep a byte more, the `\r` a CRLF line end may leave there. The previous code
    // kept maxBytes bytes including that `\r`, so an over-long CRLF line came out one byte short
    // (or empty with a cap of one byte); the window keeps the line's real last bytes.
    const keep = all.subarray(Math.max(0, all.length - this.maxBytes - 1));
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

function run(collector: { push(chunk: Buffer): void; end(): TailResult }, bytes: Buffer, cuts: number[]): TailResult {
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    collector.push(bytes.subarray(at, cut));
    at = cut;
  }
  collector.push(bytes.subarray(at));
  return collector.end();
}

const logText = fc
  .array(fc.constantFrom('a', 'bc', 'ü', '😀', '\n', '\n', '\r\n', '\r', ' ', 'xxxxxxxxxxxxxxxxxxxx'), { maxLength: 80 })
  .map((parts) => Buffer.from(parts.join('')));

describe('the windowed log tail keeps what the line-by-line collector kept', () => {
  test('any log, any caps, any chunking (fixed seed)', () => {
    fc.assert(
      fc.property(logText, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.nat({ max: 200 }), { maxLength: 12 }), (bytes, maxLines, maxBytes, cuts) => {
        const expected = run(new PreviousLogTail(maxLines, maxBytes), bytes, cuts);
        expect(run(new LogTailCollector(maxLines, maxBytes), bytes, cuts)).toEqual(expected);
      }),
      { seed: 20260101, numRuns: 3000 },
    );
  });

  test('a gigabyte-scale log of newlines costs one copy per byte', () => {
    const chunk = Buffer.alloc(1 << 16, 0x0a);
    const collector = new LogTailCollector(2000, 2 * 1024 * 1024);
    const started = Date.now();
    for (let i = 0; i < 4096; i++) collector.push(chunk); // 256 MiB
    const result = collector.end();
    expect(result.lines).toHaveLength(2000);
    expect(result.truncated).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
