/**
 * Streams bundle entries into a gzip-compressed tar at `<output>.tmp-<pid>` and renames it to
 * `<output>` only when everything was written: the final path never holds a partial bundle.
 * Entries are appended one at a time (tar needs each entry's size up front, so large outputs are
 * spooled to a file first and streamed from it).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';

export interface BundleWriterOptions {
  /** Modification time of every entry (default: now). */
  mtime?: Date;
  /** Suffix of the temporary file (default: `.tmp-<pid>`). */
  tmpSuffix?: string;
}

export class BundleWriter {
  readonly tmpPath: string;
  private readonly pack = tarPack();
  private readonly out: WriteStream;
  private readonly done: Promise<void>;
  private failure: unknown;
  private queue: Promise<void> = Promise.resolve();
  private state: 'open' | 'finishing' | 'aborted' = 'open';
  private renamed = false;
  private readonly mtime: Date;
  private entries = 0;

  private constructor(readonly finalPath: string, options: BundleWriterOptions) {
    this.tmpPath = `${finalPath}${options.tmpSuffix ?? `.tmp-${process.pid}`}`;
    this.mtime = options.mtime ?? new Date();
    this.out = createWriteStream(this.tmpPath, { flags: 'w', mode: 0o644 });
    this.done = pipeline(this.pack, createGzip({ level: 6 }), this.out);
    this.done.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Opens the temporary file; rejects when it cannot be created (missing folder, no permission). */
  static async open(finalPath: string, options: BundleWriterOptions = {}): Promise<BundleWriter> {
    const writer = new BundleWriter(finalPath, options);
    await new Promise<void>((resolve, reject) => {
      writer.out.once('open', () => resolve());
      writer.out.once('error', reject);
    });
    return writer;
  }

  get entryCount(): number {
    return this.entries;
  }

  /** Adds a file from memory. */
  addBuffer(name: string, data: Buffer | string): Promise<void> {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.enqueue(() => new Promise<void>((resolve, reject) => {
      this.pack.entry({ name, size: body.length, mode: 0o644, mtime: this.mtime, type: 'file' }, body, (error) => (error ? reject(error) : resolve()));
    }));
  }

  /** Adds a file streamed from disk (a spool file). */
  addFile(name: string, path: string): Promise<void> {
    return this.enqueue(async () => {
      const { size } = await stat(path);
      await new Promise<void>((resolve, reject) => {
        const entry = this.pack.entry({ name, size, mode: 0o644, mtime: this.mtime, type: 'file' }, (error) => (error ? reject(error) : resolve()));
        const source = createReadStream(path);
        source.on('error', (error) => {
          entry.destroy(error);
          reject(error);
        });
        source.pipe(entry);
      });
    });
  }

  /** Finishes the archive, flushes it to disk and renames it to the final path. */
  async finish(): Promise<void> {
    if (this.state !== 'open') throw new Error(`bundle writer already ${this.state}`);
    await this.queue;
    this.check();
    this.state = 'finishing';
    this.pack.finalize();
    await this.done;
    const handle = await open(this.tmpPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.tmpPath, this.finalPath);
    this.renamed = true;
  }

  /** Stops writing and removes the temporary file. Safe to call at any time, more than once. */
  async abort(): Promise<void> {
    if (this.renamed) return;
    this.state = 'aborted';
    this.pack.destroy();
    this.out.destroy();
    await this.done.catch(() => undefined);
    await unlink(this.tmpPath).catch(() => undefined);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => {
      this.check();
      return step();
    }).then(() => {
      this.entries++;
    });
    // A failed entry fails the writer: later entries are refused, finish() rejects.
    this.queue = run.catch((error: unknown) => {
      this.failure ??= error;
    });
    return run;
  }

  private check(): void {
    if (this.state !== 'open') throw new Error(`bundle writer is ${this.state}`);
    if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
  }
}
