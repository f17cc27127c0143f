import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/collect/progress.js';

function capture(isTTY: boolean, quiet = false) {
  let out = '';
  let now = 0;
  const progress = new Progress({ write: (t) => void (out += t), isTTY, quiet, intervalMs: 1000, now: () => now });
  return { progress, out: () => out, tick: (ms: number) => void (now += ms) };
}

describe('progress on stderr', () => {
  it('plain lines when stderr is not a terminal: phases, failures at once, counts now and then', () => {
    const { progress, out, tick } = capture(false);
    progress.phase('management cluster m: looking for CAPI Cluster c');
    progress.planned(3);
    progress.started('m: nodes');
    progress.finished('m: nodes');
    progress.finished('m: pods -n x', 'Error from server (Forbidden): pods is forbidden');
    tick(1500);
    progress.finished('m: events -n x');
    expect(out()).toBe([
      'management cluster m: looking for CAPI Cluster c',
      '  failed [2/3] m: pods -n x: Error from server (Forbidden): pods is forbidden',
      '  3/3 calls done, 1 failed',
      '',
    ].join('\n'));
    expect(out()).not.toContain('\r');
    expect(progress.counts).toEqual({ total: 3, done: 3, failed: 1 });
  });

  it('one status line redrawn in place on a terminal', () => {
    const { progress, out } = capture(true);
    progress.planned(2);
    progress.started('m: nodes');
    progress.finished('m: nodes', 'boom');
    progress.end();
    expect(out()).toContain('\r\x1b[2K[0/2] m: nodes');
    expect(out()).toContain('\r\x1b[2K  failed [1/2] m: nodes: boom\n');
    expect(out().endsWith('\r\x1b[2K')).toBe(true);
  });

  it('nothing with --quiet', () => {
    const { progress, out } = capture(false, true);
    progress.phase('x');
    progress.planned(1);
    progress.finished('y', 'boom');
    expect(out()).toBe('');
  });
});
