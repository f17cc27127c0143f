/**
 * From kubectl's stdout to redacted files on disk, without holding a whole output in memory:
 * list items are split as they arrive (json-list.ts), parsed one by one, redacted, and written to a
 * spool file in the collector's private temp folder; the bundle writer then streams that file into
 * the archive. Nothing unredacted is ever written.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { JsonListSplitter } from './json-list.js';
import { LogRedactor, type Redactor } from './redact.js';

/** Hands out fresh file names in the spool folder. */
export class Spool {
  private next = 0;

  constructor(readonly dir: string) {}

  file(hint: string): string {
    this.next++;
    return join(this.dir, `${String(this.next).padStart(6, '0')}-${hint.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}`);
  }
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close');
  stream.end();
  await closed;
}

/** A `kubectl get -o json`-shaped List written item by item: `{"apiVersion", "items": [...], "kind", "metadata"}`. */
export class ListFile {
  private readonly stream: WriteStream;
  private count = 0;

  constructor(readonly path: string, apiVersion = 'v1') {
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.stream.write(`{\n  "apiVersion": ${JSON.stringify(apiVersion)},\n  "items": [`);
  }

  get items(): number {
    return this.count;
  }

  async item(obj: unknown): Promise<void> {
    const text = JSON.stringify(obj, null, 2).replace(/\n/g, '\n    ');
    await write(this.stream, `${this.count === 0 ? '\n' : ',\n'}    ${text}`);
    this.count++;
  }

  async close(kind = 'List', metadata: unknown = { resourceVersion: '' }): Promise<void> {
    await write(this.stream, `${this.count === 0 ? '' : '\n  '}],\n  "kind": ${JSON.stringify(kind)},\n  "metadata": ${JSON.stringify(metadata)}\n}\n`);
    await close(this.stream);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await once(this.stream, 'close').catch(() => undefined);
  }
}

export interface ListConsumeResult {
  isList: boolean;
  /** The list without its items (kind, metadata), or the whole value when it was not a list. */
  frame: unknown;
  items: number;
  /** True when reading stopped at the byte cap. */
  truncated: boolean;
}

/**
 * Reads a JSON document from `stdout`, handing each list item (parsed) to `onItem` in order and
 * waiting for it (back-pressure). Stops, destroying `stdout`, after `maxBytes` bytes.
 */
export async function consumeList(
  stdout: Readable,
  onItem: (item: unknown) => Promise<void> | void,
  maxBytes: number,
): Promise<ListConsumeResult> {
  const pending: string[] = [];
  const splitter = new JsonListSplitter((text) => pending.push(text));
  let bytes = 0;
  let items = 0;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    if (bytes + chunk.length > maxBytes) {
      // Keep whole items only: what the splitter completed before the cap.
      splitter.write(chunk.subarray(0, Math.max(0, maxBytes - bytes)));
      for (const text of pending.splice(0)) {
        await onItem(JSON.parse(text));
        items++;
      }
      stdout.destroy();
      return { isList: true, frame: undefined, items, truncated: true };
    }
    bytes += chunk.length;
    splitter.write(chunk);
    for (const text of pending.splice(0)) {
      await onItem(JSON.parse(text));
      items++;
    }
  }
  const result = splitter.end();
  return { isList: result.isList, frame: result.frame, items, truncated: false };
}

/**
 * Copies a log from `stdout` to `path` line by line through the log redactor. Stops after
 * `maxBytes` (kubectl's --limit-bytes already caps it; this guards against a kubectl that does not).
 */
export async function consumeLog(stdout: Readable, path: string, redactor: Redactor, maxBytes: number): Promise<{ bytes: number; truncated: boolean }> {
  const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const lines = new LogRedactor(redactor);
  let carry = '';
  let bytes = 0;
  let truncated = false;
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stdout as AsyncIterable<Buffer>) {
      let part = chunk;
      if (bytes + part.length > maxBytes) {
        part = part.subarray(0, Math.max(0, maxBytes - bytes));
        truncated = true;
      }
      bytes += part.length;
      const text = carry + decoder.decode(part, { stream: !truncated });
      const split = text.split('\n');
      carry = split.pop() ?? '';
      if (split.length > 0) await write(stream, `${split.map((l) => lines.line(l)).join('\n')}\n`);
      if (truncated) {
        stdout.destroy();
        break;
      }
    }
    carry += decoder.decode();
    if (carry !== '') await write(stream, lines.line(carry));
    await close(stream);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return { bytes, truncated };
}
