import type { BundleSink, ClusterFound, CollectionError, LogTail, ManifestFound, Origin, Problem } from './types.js';

type Call = () => void;

/** A file whose elements are being parsed elsewhere (the parsing worker): its place in the order. */
export class PendingFile {
  private buffered: Call[] = [];
  closed = false;

  constructor(private readonly owner: OrderedSink) {}

  /** Delivers one of the file's results now if every earlier entry is delivered, else keeps it for then. */
  deliver(call: Call): void {
    if (this.owner.isHead(this)) call();
    else this.buffered.push(call);
  }

  /** No more results: the entries behind this file may be delivered. */
  close(): void {
    this.closed = true;
    this.owner.advance();
  }

  /** @internal */
  flush(): void {
    const calls = this.buffered;
    this.buffered = [];
    for (const call of calls) call();
  }
}

/**
 * Passes the reader's calls on to a sink in archive order, even when a file's elements come back
 * later from the parsing worker: calls made while such a file is pending wait behind it. The
 * sink thus sees the same calls in the same order with or without the worker, and the snapshot
 * and report do not depend on thread timing.
 */
export class OrderedSink implements BundleSink {
  private readonly queue: (Call | PendingFile)[] = [];
  private readonly idle: (() => void)[] = [];
  /** Calls waiting behind a pending file. */
  waiting = 0;

  constructor(private readonly sink: BundleSink) {}

  object(raw: unknown, origin: Origin): void {
    if (this.queue.length === 0 || !this.sink.prepare || !this.sink.preparedObject) this.call(() => this.sink.object(raw, origin));
    else {
      // Held until the files before it are in: hold the prepared (pruned) form, not the parsed one.
      const prepared = this.sink.prepare(raw);
      this.call(() => this.sink.preparedObject!(prepared, origin));
    }
  }
  preparedObject(prepared: unknown, origin: Origin): void { this.call(() => this.sink.preparedObject!(prepared, origin)); }
  log(tail: LogTail): void { this.call(() => this.sink.log(tail)); }
  collectionError(error: CollectionError): void { this.call(() => this.sink.collectionError(error)); }
  manifest(found: ManifestFound): void { this.call(() => this.sink.manifest(found)); }
  cluster(found: ClusterFound): void { this.call(() => this.sink.cluster(found)); }
  problem(problem: Problem): void { this.call(() => this.sink.problem(problem)); }

  /** The sink the results of a pending file go to (they are ordered by PendingFile.deliver). */
  get target(): BundleSink { return this.sink; }

  private call(call: Call): void {
    if (this.queue.length === 0) call();
    else {
      this.queue.push(call);
      this.waiting++;
    }
  }

  /** Reserves the current place in the order for a file whose results come later. */
  pendingFile(): PendingFile {
    const file = new PendingFile(this);
    this.queue.push(file);
    return file;
  }

  isHead(file: PendingFile): boolean {
    return this.queue[0] === file;
  }

  /** Delivers what waited behind files that are now closed, up to the next open one. */
  advance(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head instanceof PendingFile) {
        head.flush();
        if (!head.closed) return;
        this.queue.shift();
        continue;
      }
      this.queue.shift();
      this.waiting--;
      head();
    }
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves once every call is delivered (no file pending). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
