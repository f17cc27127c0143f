/**
 * Parsing large JSON files in a worker thread, so that a bundle of a 150,000-pod cluster uses
 * both cores: the main thread gunzips, untars and indexes; the worker splits each List
 * (json-items.ts), parses every element and passes it through a `prepare` function (the
 * snapshot's pruning and validation), then sends back what prepare returned, as JSON text in
 * batches, in file order. The results are a quarter of the parsed bytes and JSON.parse rebuilds
 * them faster than structured cloning would.
 *
 * Files are parsed one after the other, in archive order, while the main thread reads on: it
 * does not wait for a file's results before it sends the next one (OrderedSink keeps the
 * calls to the sink in archive order). The worker acknowledges the bytes it has parsed; the
 * main thread stops reading while more than IN_FLIGHT_BYTES are unacknowledged, so a 700 MB
 * file never sits in the worker's message queue.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import { isPlainObject, notAnObject } from './elements.js';
import { splitJsonStream, type JsonSplitterOptions } from './json-items.js';

/** Main thread → worker. */
type Command =
  | { type: 'file'; id: number; options: JsonSplitterOptions }
  | { type: 'chunk'; id: number; data: ArrayBuffer }
  | { type: 'end'; id: number }
  /** The input broke in the middle of the file: stop after what was sent, like a truncated file read inline. */
  | { type: 'abort'; id: number };

/** An element prepared (0, pointer, result) or a problem of the file (1, message, pointer or null). */
type ResultEntry = [0, string, unknown] | [1, string, string | null];

/** Worker → main thread. */
type Report =
  | { type: 'consumed'; bytes: number }
  /** The batch as UTF-8 JSON, in a buffer that changes hands (a string would be copied twice). */
  | { type: 'batch'; id: number; json: ArrayBuffer }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string };

/** Bytes sent to the worker and not parsed yet, at most. */
const IN_FLIGHT_BYTES = 8 << 20;
/** Bytes gathered from the archive before they are sent (fewer, larger messages). */
const CHUNK_BYTES = 1 << 20;
/** Elements per batch of results. */
const BATCH_ENTRIES = 500;

export interface PreparedHandlers {
  prepared(result: unknown, pointer: string): void;
  problem(message: string, pointer?: string): void;
  /** The last result was handled; `error` when the worker could not finish the file. */
  done(error?: Error): void;
}

// ---------------------------------------------------------------------------------------------
// Worker side

class AbortedFile extends Error {}

/** One file's bytes as they arrive: what splitJsonStream reads in the worker. */
class ChunkQueue implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private aborted = false;
  /** Parsed, or stopped early: chunks still arriving are only acknowledged. */
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly acknowledge: (bytes: number) => void,
    private readonly beforeWait: () => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.closed) this.acknowledge(chunk.length);
    else {
      this.chunks.push(chunk);
      this.wakeUp();
    }
  }

  end(): void {
    this.ended = true;
    this.wakeUp();
  }

  abort(): void {
    this.aborted = true;
    this.wakeUp();
  }

  close(): void {
    this.closed = true;
    for (const chunk of this.chunks.splice(0)) this.acknowledge(chunk.length);
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    let previous = 0;
    try {
      for (;;) {
        // The chunk handed out last time is parsed by now.
        if (previous > 0) this.acknowledge(previous);
        previous = 0;
        while (this.chunks.length === 0 && !this.ended && !this.aborted) {
          this.beforeWait();
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
        const chunk = this.chunks.shift();
        if (chunk) {
          previous = chunk.length;
          yield chunk;
          continue;
        }
        if (this.aborted) throw new AbortedFile();
        return;
      }
    } finally {
      if (previous > 0) this.acknowledge(previous);
    }
  }
}

/** Runs in the worker thread: parses the files the main thread sends, in order, and reports the prepared elements. */
export function serveJsonParsing(port: MessagePort, prepare: (element: Record<string, unknown>) => unknown): void {
  const files = new Map<number, ChunkQueue>();
  let chain = Promise.resolve();
  let entries: ResultEntry[] = [];
  let current = -1;
  const send = (report: Report) => port.postMessage(report);
  const flush = () => {
    if (entries.length === 0) return;
    const bytes = Buffer.from(JSON.stringify(entries), 'utf8');
    // A fresh, unshared ArrayBuffer: Buffer.from(string) may slice a pooled one for small strings.
    const json = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    port.postMessage({ type: 'batch', id: current, json } satisfies Report, [json as ArrayBuffer]);
    entries = [];
  };
  const handlers = {
    item(value: unknown, pointer: string) {
      if (!isPlainObject(value)) entries.push([1, notAnObject(value), pointer]);
      else {
        const result = prepare(value);
        // Nothing to send for what the sink ignores (kinds it does not read).
        if (result !== null && result !== undefined) entries.push([0, pointer, result]);
      }
      if (entries.length >= BATCH_ENTRIES) flush();
    },
    problem(message: string, pointer?: string) {
      entries.push([1, message, pointer ?? null]);
    },
  };
  const parse = async (id: number, queue: ChunkQueue, options: JsonSplitterOptions) => {
    current = id;
    let report: Report = { type: 'done', id };
    try {
      await splitJsonStream(queue, handlers, options);
    } catch (error) {
      if (!(error instanceof AbortedFile)) report = { type: 'failed', id, message: error instanceof Error ? error.message : String(error) };
    }
    flush();
    queue.close();
    files.delete(id);
    send(report);
  };

  port.on('message', (command: Command) => {
    switch (command.type) {
      case 'file': {
        const queue = new ChunkQueue((bytes) => send({ type: 'consumed', bytes }), flush);
        files.set(command.id, queue);
        chain = chain.then(() => parse(command.id, queue, command.options));
        return;
      }
      case 'chunk': {
        const queue = files.get(command.id);
        if (queue) queue.push(Buffer.from(command.data));
        else send({ type: 'consumed', bytes: command.data.byteLength });
        return;
      }
      case 'end':
        files.get(command.id)?.end();
        return;
      case 'abort':
        files.get(command.id)?.abort();
        return;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Main thread side

interface FileState {
  handlers: PreparedHandlers;
  /** The worker is done with the file (it may have stopped before its end). */
  finished: boolean;
}

/** The main thread's handle on the parsing worker: started with the first file, files sent in order. */
export class JsonParsingWorker {
  private worker: Worker | undefined;
  private readonly files = new Map<number, FileState>();
  private nextId = 0;
  private inFlight = 0;
  private drained: (() => void) | undefined;

  constructor(
    private readonly script: URL,
    private readonly workerData: unknown,
  ) {}

  /** Bytes sent and not parsed yet: how far behind the reader the worker is. */
  get backlog(): number {
    return this.inFlight;
  }

  /** Starts the worker, if it is not running. */
  start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: this.workerData });
    worker.on('message', (report: Report) => this.onReport(report));
    const lost = (why: string) => {
      this.worker = undefined;
      this.inFlight = 0;
      this.wakeReader();
      for (const [id, file] of this.files) {
        this.files.delete(id);
        file.finished = true;
        file.handlers.done(new Error(`the parsing worker ${why}`));
      }
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`stopped (exit status ${code})`));
    // An idle worker must not keep the process alive; while files are out, it is referenced.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private wakeReader(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.();
  }

  private onReport(report: Report): void {
    if (report.type === 'consumed') {
      this.inFlight -= report.bytes;
      if (this.inFlight <= IN_FLIGHT_BYTES) this.wakeReader();
      return;
    }
    const file = this.files.get(report.id);
    if (!file) return;
    switch (report.type) {
      case 'batch':
        for (const entry of JSON.parse(Buffer.from(report.json).toString('utf8')) as ResultEntry[]) {
          if (entry[0] === 0) file.handlers.prepared(entry[2], entry[1]);
          else if (entry[2] === null) file.handlers.problem(entry[1]);
          else file.handlers.problem(entry[1], entry[2]);
        }
        return;
      case 'done':
      case 'failed':
        this.files.delete(report.id);
        file.finished = true;
        if (this.files.size === 0) this.worker?.unref();
        this.wakeReader();
        file.handlers.done(report.type === 'failed' ? new Error(report.message) : undefined);
        return;
    }
  }

  /**
   * Sends one file's body to the worker; resolves once it is sent (or the worker stopped reading
   * it). The results reach `handlers` later, in file order, then `done`. An error of the body (a
   * truncated archive) is rethrown; the elements before it still reach the handlers.
   */
  async send(body: AsyncIterable<Buffer>, options: JsonSplitterOptions, handlers: PreparedHandlers): Promise<void> {
    const worker = this.start();
    const id = this.nextId++;
    const file: FileState = { handlers, finished: false };
    this.files.set(id, file);
    worker.ref();
    worker.postMessage({ type: 'file', id, options } satisfies Command);

    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pendingBytes === 0 || file.finished) return;
      // A copy the worker can own: the chunks are views into buffers the archive reader reuses.
      const data = new Uint8Array(pendingBytes);
      let offset = 0;
      for (const part of pending) {
        data.set(part, offset);
        offset += part.length;
      }
      this.inFlight += pendingBytes;
      pending = [];
      pendingBytes = 0;
      worker.postMessage({ type: 'chunk', id, data: data.buffer } satisfies Command, [data.buffer]);
    };
    try {
      for await (const chunk of body) {
        if (file.finished) break; // the worker stopped early (a limit, broken JSON): the caller skips the rest
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < CHUNK_BYTES) continue;
        flush();
        while (this.inFlight > IN_FLIGHT_BYTES && this.worker === worker) await new Promise<void>((resolve) => (this.drained = resolve));
      }
    } catch (error) {
      flush();
      if (!file.finished) worker.postMessage({ type: 'abort', id } satisfies Command);
      throw error;
    }
    flush();
    if (!file.finished) worker.postMessage({ type: 'end', id } satisfies Command);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
}
