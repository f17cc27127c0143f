/**
 * One line on a terminal's stderr saying what a long analysis is doing, rewritten in place. Quiet
 * for the first second (a small bundle's run prints nothing more than before), then at most four
 * times a second; cleared before the summary is printed.
 */
import { basename } from 'node:path';
import type { AnalyzeProgress } from '../analyze.js';
import { printable } from '../bundle/limits.js';

export interface Terminal {
  write(text: string): unknown;
  columns?: number;
}

const QUIET_MS = 1000;
const EVERY_MS = 250;

export class ProgressLine {
  private readonly started: number;
  private last = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(text: string, force = false): void {
    const t = this.now();
    if (t - this.started < QUIET_MS) return;
    if (!force && t - this.last < EVERY_MS) return;
    this.last = t;
    const width = Math.max(20, (this.terminal.columns ?? 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.terminal.write(`\r\x1b[K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.terminal.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `reading bundle.tgz: 512 files, 1.2 GB (…/pods/batch.json)`, `diagnosing 482,027 objects`. */
export function describeProgress(progress: AnalyzeProgress): string {
  if (progress.phase === 'diagnosing') return `diagnosing ${progress.objects.toLocaleString('en-US')} objects`;
  // Entry names come from the bundle: no control character reaches the terminal.
  const file = printable(progress.current.split('/').slice(-3).join('/'));
  const files = `${progress.entries.toLocaleString('en-US')} ${progress.entries === 1 ? 'file' : 'files'}`;
  return `reading ${printable(basename(progress.input))}: ${files}, ${formatBytes(progress.bytes)} (${file})`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
