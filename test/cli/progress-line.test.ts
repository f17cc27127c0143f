import { describe, expect, it } from 'vitest';
import { describeProgress, formatBytes, ProgressLine } from '../../src/cli/progress-line.js';

function terminal(columns = 80) {
  const writes: string[] = [];
  return { writes, columns, write: (text: string) => writes.push(text) };
}

describe('the progress line of a long analysis', () => {
  it('stays quiet for the first second, then rewrites one line at most four times a second', () => {
    let now = 0;
    const out = terminal();
    const line = new ProgressLine(out, () => now);
    line.update('reading a');
    now = 900;
    line.update('reading b');
    expect(out.writes).toEqual([]);
    now = 1000;
    line.update('reading c');
    now = 1100;
    line.update('reading d');
    now = 1250;
    line.update('reading e');
    now = 1300;
    line.update('diagnosing', true);
    expect(out.writes).toEqual(['\r\x1b[Kreading c', '\r\x1b[Kreading e', '\r\x1b[Kdiagnosing']);
    line.clear();
    expect(out.writes.at(-1)).toBe('\r\x1b[K');
  });

  it('leaves the terminal alone when it showed nothing, and fits the line to its width', () => {
    let now = 0;
    const quiet = terminal();
    new ProgressLine(quiet, () => now).clear();
    expect(quiet.writes).toEqual([]);
    const narrow = terminal(30);
    const line = new ProgressLine(narrow, () => now);
    now = 2000;
    line.update('reading bundle.tgz: 973 files, 2.0 GB (pods/batch.json)');
    expect(narrow.writes[0]).toBe('\r\x1b[Kreading bundle.tgz: 973 file…');
    expect(narrow.writes[0]!.length - '\r\x1b[K'.length).toBe(29);
  });

  it('says which file of which bundle it is reading, and how much it has read', () => {
    expect(describeProgress({ phase: 'reading', input: '/tmp/x/bench-large.tgz', entries: 512, bytes: 1_234_567_890, current: 'b/clusters/wl/cluster-resources/pods/batch.json' }))
      .toBe('reading bench-large.tgz: 512 files, 1.2 GB (cluster-resources/pods/batch.json)');
    expect(describeProgress({ phase: 'diagnosing', objects: 482_027 })).toBe('diagnosing 482,027 objects');
    // A crafted entry name cannot move the cursor or recolour the terminal.
    expect(describeProgress({ phase: 'reading', input: 'b.tgz', entries: 1, bytes: 10, current: 'x/\x1b[2Jevil\r.json' }))
      .toBe('reading b.tgz: 1 file, 10 B (x/\\u001b[2Jevil\\u000d.json)');
    expect([formatBytes(999), formatBytes(1000), formatBytes(87_000_000)]).toEqual(['999 B', '1.0 KB', '87.0 MB']);
  });
});
