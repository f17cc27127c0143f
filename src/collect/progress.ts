/**
 * Progress on stderr: what is being collected, how far (n/m calls), failures as they happen.
 * On a terminal one status line is redrawn in place; otherwise (CI, a pipe, a file) plain lines:
 * phases, failures, and a count at most every few seconds. `quiet` prints nothing.
 */

export interface ProgressOptions {
  write: (text: string) => void;
  isTTY: boolean;
  quiet: boolean;
  /** Minimum time between two count lines when not on a terminal. */
  intervalMs?: number;
  now?: () => number;
}

export class Progress {
  private total = 0;
  private done = 0;
  private failed = 0;
  private status = '';
  private lastCountLine: number;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.lastCountLine = this.now();
  }

  get counts(): { total: number; done: number; failed: number } {
    return { total: this.total, done: this.done, failed: this.failed };
  }

  /** A new stage of the collection. */
  phase(text: string): void {
    this.line(text);
  }

  /** A call was queued. */
  planned(count = 1): void {
    this.total += count;
  }

  started(label: string): void {
    if (this.options.quiet || !this.options.isTTY) return;
    this.status = label;
    this.redraw();
  }

  finished(label: string, error?: string): void {
    this.done++;
    if (error !== undefined) {
      this.failed++;
      this.line(`  failed [${this.done}/${this.total}] ${label}: ${error}`);
      return;
    }
    if (this.options.quiet) return;
    if (this.options.isTTY) {
      this.redraw();
      return;
    }
    const t = this.now();
    if (t - this.lastCountLine >= (this.options.intervalMs ?? 3000)) {
      this.lastCountLine = t;
      this.options.write(`  ${this.done}/${this.total} calls done${this.failed ? `, ${this.failed} failed` : ''}\n`);
    }
  }

  /** Clears the status line (before the final summary). */
  end(): void {
    if (!this.options.quiet && this.options.isTTY && this.status !== '') this.options.write('\r\x1b[2K');
    this.status = '';
  }

  private line(text: string): void {
    if (this.options.quiet) return;
    if (this.options.isTTY) {
      this.options.write(`\r\x1b[2K${text}\n`);
      if (this.status) this.redraw();
    } else {
      this.options.write(`${text}\n`);
    }
  }

  private redraw(): void {
    const columns = process.stderr.columns || 100;
    const text = `[${this.done}/${this.total}] ${this.status}`;
    this.options.write(`\r\x1b[2K${text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text}`);
  }
}
