import { describe, expect, test } from 'vitest';
import { LogTailCollector, readLogTail } from '../../src/bundle/log-tail.js';

function tail(text: string | Buffer, maxLines: number, maxBytes: number, chunk = 0) {
  const collector = new LogTailCollector(maxLines, maxBytes);
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  if (chunk <= 0) collector.push(bytes);
  else for (let o = 0; o < bytes.length; o += chunk) collector.push(bytes.subarray(o, o + chunk));
  return collector.end();
}

describe('log tails', () => {
  test('a short log is kept whole; a final line without newline counts', () => {
    expect(tail('a\nb\nc\n', 10, 100)).toEqual({ lines: ['a', 'b', 'c'], truncated: false });
    expect(tail('a\nb\nc', 10, 100)).toEqual({ lines: ['a', 'b', 'c'], truncated: false });
    expect(tail('', 10, 100)).toEqual({ lines: [], truncated: false });
    expect(tail('\n\n', 10, 100)).toEqual({ lines: ['', ''], truncated: false });
  });

  test('CRLF line ends lose their \\r', () => {
    expect(tail('one\r\ntwo\r\n', 10, 100)).toEqual({ lines: ['one', 'two'], truncated: false });
  });

  test('only the last N lines are kept', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    expect(tail(text, 3, 10_000)).toEqual({ lines: ['line 97', 'line 98', 'line 99'], truncated: true });
    // the same, fed one byte at a time
    expect(tail(text, 3, 10_000, 1)).toEqual({ lines: ['line 97', 'line 98', 'line 99'], truncated: true });
  });

  test('only the last B bytes are kept', () => {
    // each line is 9 bytes + newline; 25 bytes hold two lines joined by \n (19 bytes), not three (29)
    const text = 'aaaaaaaa1\naaaaaaaa2\naaaaaaaa3\n';
    expect(tail(text, 100, 25)).toEqual({ lines: ['aaaaaaaa2', 'aaaaaaaa3'], truncated: true });
    expect(tail(text, 100, 29)).toEqual({ lines: ['aaaaaaaa1', 'aaaaaaaa2', 'aaaaaaaa3'], truncated: false });
  });

  test('an over-long line keeps its end; memory stays bounded', () => {
    const long = `${'x'.repeat(10_000)}END`;
    expect(tail(`first\n${long}\n`, 10, 8, 1000)).toEqual({ lines: ['xxxxxEND'], truncated: true });
  });

  test('multi-byte characters survive chunk boundaries', () => {
    const text = 'ünïcødé ✓ 😀\nzweite Zeile\n';
    const bytes = Buffer.from(text);
    for (let chunk = 1; chunk <= 5; chunk++) {
      expect(tail(bytes, 10, 1000, chunk)).toEqual({ lines: ['ünïcødé ✓ 😀', 'zweite Zeile'], truncated: false });
    }
  });

  test('readLogTail reads a stream to its end', async () => {
    async function* chunks() {
      for (let i = 0; i < 5000; i++) yield Buffer.from(`${i}\n`);
    }
    const result = await readLogTail(chunks(), 2000, 2 * 1024 * 1024);
    expect(result.lines).toHaveLength(2000);
    expect(result.lines[0]).toBe('3000');
    expect(result.lines.at(-1)).toBe('4999');
    expect(result.truncated).toBe(true);
  });
});
