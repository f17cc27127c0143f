/**
 * The entries of one input, archive or directory, as one async iterable. Nothing is extracted to
 * disk and an archive is never held in memory: entries are streamed in archive order, a directory
 * is walked in sorted order. Links are never followed.
 */
import { createReadStream } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Extract, type Header } from 'tar-stream';
import { counted, flagNote, formatBytes, printable } from './limits.js';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from './types.js';

/** One entry of tar-stream's extract iterator. */
type Entry = Extract extends AsyncIterable<infer T> ? T : never;

export type EntryType = 'file' | 'directory' | 'symlink' | 'link' | 'other';

/** The limits the sources enforce themselves. */
export type SourceLimits = Pick<ReaderLimits, 'maxTotalBytes' | 'maxEntryBytes' | 'maxEntries'>;

export interface SourceEntry {
  /** Forward slashes, no leading `./`, no trailing slash; never absolute, never with `..`. */
  path: string;
  type: EntryType;
  size: number;
  /** Target of a symlink or hard link, as stored (never followed). */
  linkname?: string;
  /**
   * The content. Read it to its end, or not at all and call `skip()`: an archive cannot move on
   * to the next entry before the current one is consumed. It can be iterated once.
   */
  body: AsyncIterable<Buffer>;
  /** Discards whatever of the body has not been read. Safe to call more than once. */
  skip(): Promise<void>;
}

/** Reports a defect of one entry (`source` is its path inside the input). */
export type EntryProblemReporter = (source: string, message: string) => void;

/** A limit that ended the reading of a whole input, and how to say so (`stopped after 8 GiB decompressed (--max-total-bytes)`). */
export interface LimitHit {
  limit: keyof ReaderLimits;
  message: string;
}

/**
 * The archive itself is broken (corrupt compression, bad tar header, truncated data), or reading
 * it was stopped by a limit (`limit` set): either way the entries after this point are not read.
 */
export class ArchiveError extends Error {
  constructor(
    readonly reason: string,
    /** Entries whose header was read before the failure. */
    readonly entriesSeen: number,
    /** The last entry whose header was read, as stored in the archive. */
    readonly lastEntry: string | undefined,
    /** The failure came from the gzip layer. */
    readonly inGzip: boolean,
    /** Set when no defect but a limit stopped the reading. */
    readonly limit?: LimitHit,
  ) {
    super(reason);
    this.name = 'ArchiveError';
  }
}

const totalLimitHit = (limits: SourceLimits, what: 'decompressed' | 'read'): LimitHit => ({
  limit: 'maxTotalBytes',
  message: `stopped after ${formatBytes(limits.maxTotalBytes)} ${what}${flagNote('maxTotalBytes')}`,
});

const entriesLimitHit = (limits: SourceLimits): LimitHit => ({
  limit: 'maxEntries',
  message: `stopped after ${counted(limits.maxEntries, 'entry', 'entries')}${flagNote('maxEntries')}`,
});

const entryTooBig = (size: number, limits: SourceLimits) =>
  `entry is ${formatBytes(size)}, larger than the limit of ${formatBytes(limits.maxEntryBytes)}${flagNote('maxEntryBytes')}; skipped`;

export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'zip' | 'none';

/** Detects compression by magic bytes. `empty` for a zero-byte file. */
export async function sniffCompression(file: string): Promise<Compression | 'empty'> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) return 'empty';
    const b = head.subarray(0, bytesRead);
    if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return 'bzip2';
    if (b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a && b[5] === 0x00) return 'xz';
    if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
    if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
    return 'none';
  } finally {
    await handle.close();
  }
}

/**
 * Normalises a path stored in an archive. Returns null for the archive root itself (`./`), a
 * problem for a path that is absolute or climbs out with `..`.
 */
export function normaliseEntryPath(raw: string): { path: string } | { problem: string } | null {
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) return { problem: `absolute path ${printable(raw)}; skipped` };
  const parts = slashed.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return { problem: `path ${printable(raw)} climbs out of the bundle with ".."; skipped` };
  if (parts.length === 0) return null;
  return { path: parts.join('/') };
}

/**
 * Why a link must not be trusted, or undefined when its target stays inside the input. A symlink's
 * target is relative to its own folder, a hard link's to the archive root.
 */
export function unsafeLinkReason(path: string, linkname: string, type: 'symlink' | 'link'): string | undefined {
  const target = linkname.replace(/\\/g, '/');
  const what = type === 'symlink' ? 'symlink' : 'hard link';
  if (target === '') return `${what} with an empty target; skipped`;
  if (target.startsWith('/') || /^[A-Za-z]:\//.test(target)) return `${what} to the absolute path ${printable(linkname)}; not followed`;
  const dir = type === 'symlink' ? posix.dirname(path) : '.';
  const resolved = posix.normalize(posix.join(dir, target));
  if (resolved === '..' || resolved.startsWith('../')) return `${what} to ${printable(linkname)}, outside the bundle; not followed`;
  return undefined;
}

const EMPTY_BODY: AsyncIterable<Buffer> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
};
const noop = async () => {};

function entryType(type: Header['type'] | null | undefined): EntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      // devices, FIFOs, and type flags tar-stream does not know (null): GNU sparse files, volume labels...
      return 'other';
  }
}

/** What a non-regular entry is, for its problem. */
function describeOtherType(type: Header['type'] | null | undefined): string {
  switch (type) {
    case 'character-device':
      return 'a character device';
    case 'block-device':
      return 'a block device';
    case 'fifo':
      return 'a FIFO (named pipe)';
    default:
      return 'an entry of a type that holds no plain file (unknown tar type flag)';
  }
}

const DUPLICATE = 'a second entry with the same path (after normalising); the first one was read, this one is skipped';

/**
 * The body of an archive entry: pulled with next() only, so that a reader that stops early does not
 * destroy the entry (which would destroy the whole archive stream); skip() drains the rest.
 */
function archiveBody(entry: Entry, wrap: (err: unknown) => ArchiveError): { body: AsyncIterable<Buffer>; skip: () => Promise<void> } {
  const it = entry[Symbol.asyncIterator]();
  let done = false;
  let started = false;
  const pull = async (): Promise<IteratorResult<Buffer>> => {
    if (done) return { done: true, value: undefined };
    try {
      const result = (await it.next()) as IteratorResult<Buffer>;
      if (result.done) done = true;
      return result;
    } catch (err) {
      done = true;
      throw wrap(err);
    }
  };
  const body: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]() {
      if (started) throw new Error('an entry body can be read only once');
      started = true;
      return { next: pull, return: async () => ({ done: true, value: undefined }) };
    },
  };
  const skip = async () => {
    while (!done) await pull();
  };
  return { body, skip };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** tar-stream's "Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?" misleads when it was gunzipped. */
const archiveReason = (err: unknown) => messageOf(err).replace(/^Invalid tar header\..*$/s, 'invalid tar header');

/**
 * Output chunk size of the gunzip stream. Large chunks cost fewer callbacks (a 2 GB bundle: 1.5 s of
 * CPU less with 1 MiB than with 64 KiB chunks), but gunzip drops the chunk it was filling when it
 * meets corrupt data: small archives keep small chunks, so that what precedes a corruption is read.
 */
export function gunzipChunkBytes(compressedBytes: number): number {
  return Math.min(1 << 20, Math.max(1 << 16, 2 ** Math.floor(Math.log2(Math.max(1, compressedBytes / 64)))));
}

/**
 * The entries of a tar archive, gunzipped on the fly when `gzip`. Throws ArchiveError when the
 * archive breaks or a limit stops it. Entries that must not be read (absolute paths, `..`, links
 * out of the bundle, devices, duplicates, entries over the size limit) are reported and skipped.
 */
export async function* archiveEntries(
  file: string,
  gzip: boolean,
  report: EntryProblemReporter,
  limits: SourceLimits = DEFAULT_READER_LIMITS,
): AsyncGenerator<SourceEntry> {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  // allowUnknownFormat: also read old (v7) tar headers; tar-stream's types do not declare the option.
  const extract = tarExtract({ allowUnknownFormat: true } as Parameters<typeof tarExtract>[0]);
  const gunzip = gzip ? createGunzip({ chunkSize: gunzipChunkBytes((await stat(file)).size) }) : undefined;
  let gzipFailed = false;
  let limitHit: LimitHit | undefined;
  source.on('error', (err) => extract.destroy(err));
  if (gunzip) {
    gunzip.on('error', (err) => {
      gzipFailed = true;
      extract.destroy(err);
    });
    source.pipe(gunzip).pipe(extract);
  } else {
    source.pipe(extract);
  }
  // The bytes handed to tar, i.e. decompressed: a gzip bomb stops here, whatever its entries say.
  // Memory stays flat: nothing is kept, and the pipe's backpressure holds at most a few chunks.
  let total = 0;
  const stop = (hit: LimitHit) => {
    if (limitHit) return;
    limitHit = hit;
    source.unpipe();
    gunzip?.unpipe();
    source.destroy();
    gunzip?.destroy();
    extract.destroy(new Error(hit.message));
  };
  (gunzip ?? source).on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > limits.maxTotalBytes) stop(totalLimitHit(limits, gzip ? 'decompressed' : 'read'));
  });

  let seen = 0;
  let last: string | undefined;
  const wrap = (err: unknown) =>
    err instanceof ArchiveError ? err : new ArchiveError(limitHit ? limitHit.message : archiveReason(err), seen, last, !limitHit && gzipFailed, limitHit);
  const files = new Set<string>();
  const entries = extract[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (err) {
        throw wrap(err);
      }
      if (next.done) return;
      const entry = next.value;
      seen++;
      last = entry.header.name;
      if (seen > limits.maxEntries) {
        stop(entriesLimitHit(limits));
        throw wrap(undefined);
      }
      const { body, skip } = archiveBody(entry, wrap);
      const normalised = normaliseEntryPath(entry.header.name);
      if (normalised === null || 'problem' in normalised) {
        if (normalised) report(entry.header.name, normalised.problem);
        await skip();
        continue;
      }
      const path = normalised.path;
      const type = entryType(entry.header.type);
      const linkname = entry.header.linkname ?? undefined;
      if (type === 'other') {
        report(path, `${describeOtherType(entry.header.type)}; skipped`);
        await skip();
        continue;
      }
      if (type !== 'directory') {
        if (files.has(path)) {
          report(path, DUPLICATE);
          await skip();
          continue;
        }
        files.add(path);
      }
      if (type === 'symlink' || type === 'link') {
        const unsafe = unsafeLinkReason(path, linkname ?? '', type);
        if (unsafe) {
          report(path, unsafe);
          await skip();
          continue;
        }
      }
      const size = entry.header.size ?? 0;
      if (type === 'file' && size > limits.maxEntryBytes) {
        report(path, entryTooBig(size, limits));
        await skip();
        continue;
      }
      yield {
        path,
        type,
        size,
        ...(linkname !== undefined && (type === 'symlink' || type === 'link') ? { linkname } : {}),
        body,
        skip,
      };
      await skip();
    }
  } finally {
    source.destroy();
    gunzip?.destroy();
    if (!extract.destroyed) extract.destroy();
  }
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Bytes read from the files of one directory input, shared by its files' bodies. */
interface ReadBudget {
  total: number;
  readonly limits: SourceLimits;
  entries: number;
}

/** A file's content, opened only when read, and read no further than the limits allow. */
function lazyFile(abs: string, rel: string, budget: ReadBudget): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      const { limits } = budget;
      const stream = createReadStream(abs, { highWaterMark: 1 << 20 });
      let bytes = 0;
      try {
        for await (const chunk of stream) {
          const buf = chunk as Buffer;
          bytes += buf.length;
          budget.total += buf.length;
          if (budget.total > limits.maxTotalBytes) {
            const hit = totalLimitHit(limits, 'read');
            throw new ArchiveError(hit.message, budget.entries, rel, false, hit);
          }
          // The size was checked before: a file that grows while it is read stops here.
          if (bytes > limits.maxEntryBytes) throw new Error(`the file grew past the limit of ${formatBytes(limits.maxEntryBytes)}${flagNote('maxEntryBytes')} while it was read`);
          yield buf;
        }
      } finally {
        stream.destroy();
      }
    },
  };
}

/**
 * The entries of a directory tree, sorted, without following symlinks. Only regular files are
 * ever opened (never a FIFO or a device, which could block or never end).
 */
export async function* directoryEntries(root: string, report: EntryProblemReporter, limits: SourceLimits = DEFAULT_READER_LIMITS): AsyncGenerator<SourceEntry> {
  const budget: ReadBudget = { total: 0, limits, entries: 0 };
  async function* walk(rel: string, abs: string): AsyncGenerator<SourceEntry> {
    let names: string[];
    try {
      names = await readdir(abs);
    } catch (err) {
      report(rel, `cannot list this folder: ${messageOf(err)}`);
      return;
    }
    names.sort(byCodeUnits);
    for (const name of names) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const childAbs = join(abs, name);
      if (++budget.entries > limits.maxEntries) {
        const hit = entriesLimitHit(limits);
        throw new ArchiveError(hit.message, budget.entries - 1, childRel, false, hit);
      }
      let info;
      try {
        info = await lstat(childAbs);
      } catch (err) {
        report(childRel, `cannot read: ${messageOf(err)}`);
        continue;
      }
      if (info.isSymbolicLink()) {
        let target = '';
        try {
          target = await readlink(childAbs);
        } catch {
          // reported below as a link with an empty target
        }
        const unsafe = unsafeLinkReason(childRel, target, 'symlink');
        if (unsafe) {
          report(childRel, unsafe);
          continue;
        }
        yield { path: childRel, type: 'symlink', size: 0, linkname: target, body: EMPTY_BODY, skip: noop };
      } else if (info.isDirectory()) {
        yield { path: childRel, type: 'directory', size: 0, body: EMPTY_BODY, skip: noop };
        yield* walk(childRel, childAbs);
      } else if (info.isFile()) {
        if (info.size > limits.maxEntryBytes) {
          report(childRel, entryTooBig(info.size, limits));
          continue;
        }
        yield { path: childRel, type: 'file', size: info.size, body: lazyFile(childAbs, childRel, budget), skip: noop };
      } else {
        const what = info.isFIFO() ? 'a FIFO (named pipe)' : info.isSocket() ? 'a socket' : info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device' : 'not a regular file';
        report(childRel, `${what}; skipped`);
      }
    }
  }
  yield* walk('', root);
}

export type OpenEntries = (report: EntryProblemReporter, limits?: SourceLimits) => AsyncGenerator<SourceEntry>;

export type OpenedInput =
  | { kind: 'directory'; entries: OpenEntries }
  | { kind: 'archive'; compression: 'gzip' | 'none'; entries: OpenEntries };

/** Why an input cannot be opened, or how to iterate it (several times if needed). */
export async function openInput(path: string): Promise<OpenedInput | { unreadable: string }> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    return { unreadable: fsReason(err) };
  }
  if (info.isDirectory()) {
    return { kind: 'directory', entries: (report, limits) => directoryEntries(path, report, limits) };
  }
  if (!info.isFile()) return { unreadable: 'not a file or directory' };
  let compression: Compression | 'empty';
  try {
    compression = await sniffCompression(path);
  } catch (err) {
    return { unreadable: fsReason(err) };
  }
  if (compression === 'empty') return { unreadable: 'empty file' };
  if (compression !== 'gzip' && compression !== 'none') {
    return { unreadable: `not a tar archive (${compression} data; only .tar and gzip-compressed .tgz/.tar.gz archives are read)` };
  }
  return { kind: 'archive', compression, entries: (report, limits) => archiveEntries(path, compression === 'gzip', report, limits) };
}

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory (a component of the path is a file)';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return `cannot read (${messageOf(err)})`;
  }
}
