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

/** One entry of tar-stream's extract iterator. */
type Entry = Extract extends AsyncIterable<infer T> ? T : never;

export type EntryType = 'file' | 'directory' | 'symlink' | 'link' | 'other';

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

/** The archive itself is broken (corrupt compression, bad tar header, truncated data). */
export class ArchiveError extends Error {
  constructor(
    readonly reason: string,
    /** Entries whose header was read before the failure. */
    readonly entriesSeen: number,
    /** The last entry whose header was read, as stored in the archive. */
    readonly lastEntry: string | undefined,
    /** The failure came from the gzip layer. */
    readonly inGzip: boolean,
  ) {
    super(reason);
    this.name = 'ArchiveError';
  }
}

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
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) return { problem: `absolute path ${raw}; skipped` };
  const parts = slashed.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return { problem: `path ${raw} climbs out of the bundle with ".."; skipped` };
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
  if (target.startsWith('/') || /^[A-Za-z]:\//.test(target)) return `${what} to the absolute path ${linkname}; not followed`;
  const dir = type === 'symlink' ? posix.dirname(path) : '.';
  const resolved = posix.normalize(posix.join(dir, target));
  if (resolved === '..' || resolved.startsWith('../')) return `${what} to ${linkname}, outside the bundle; not followed`;
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
    case undefined:
    case null:
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return 'other';
  }
}

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

/** The entries of a tar archive, gunzipped on the fly when `gzip`. Throws ArchiveError when the archive breaks. */
export async function* archiveEntries(file: string, gzip: boolean, report: EntryProblemReporter): AsyncGenerator<SourceEntry> {
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  // allowUnknownFormat: also read old (v7) tar headers; tar-stream's types do not declare the option.
  const extract = tarExtract({ allowUnknownFormat: true } as Parameters<typeof tarExtract>[0]);
  const gunzip = gzip ? createGunzip({ chunkSize: 1 << 16 }) : undefined;
  let gzipFailed = false;
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

  let seen = 0;
  let last: string | undefined;
  const wrap = (err: unknown) => (err instanceof ArchiveError ? err : new ArchiveError(archiveReason(err), seen, last, gzipFailed));
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
      const { body, skip } = archiveBody(entry, wrap);
      const normalised = normaliseEntryPath(entry.header.name);
      if (normalised === null || 'problem' in normalised) {
        if (normalised) report(entry.header.name, normalised.problem);
        await skip();
        continue;
      }
      const type = entryType(entry.header.type);
      const linkname = entry.header.linkname ?? undefined;
      if (type === 'symlink' || type === 'link') {
        const unsafe = unsafeLinkReason(normalised.path, linkname ?? '', type);
        if (unsafe) {
          report(normalised.path, unsafe);
          await skip();
          continue;
        }
      }
      yield {
        path: normalised.path,
        type,
        size: entry.header.size ?? 0,
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

/** A file's content, opened only when read. */
function lazyFile(abs: string): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      const stream = createReadStream(abs, { highWaterMark: 1 << 20 });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } finally {
        stream.destroy();
      }
    },
  };
}

/** The entries of a directory tree, sorted, without following symlinks. */
export async function* directoryEntries(root: string, report: EntryProblemReporter): AsyncGenerator<SourceEntry> {
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
        yield { path: childRel, type: 'file', size: info.size, body: lazyFile(childAbs), skip: noop };
      } else {
        yield { path: childRel, type: 'other', size: 0, body: EMPTY_BODY, skip: noop };
      }
    }
  }
  yield* walk('', root);
}

export type OpenedInput =
  | { kind: 'directory'; entries: (report: EntryProblemReporter) => AsyncGenerator<SourceEntry> }
  | { kind: 'archive'; compression: 'gzip' | 'none'; entries: (report: EntryProblemReporter) => AsyncGenerator<SourceEntry> };

/** Why an input cannot be opened, or how to iterate it (several times if needed). */
export async function openInput(path: string): Promise<OpenedInput | { unreadable: string }> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    return { unreadable: fsReason(err) };
  }
  if (info.isDirectory()) {
    return { kind: 'directory', entries: (report) => directoryEntries(path, report) };
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
  return { kind: 'archive', compression, entries: (report) => archiveEntries(path, compression === 'gzip', report) };
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
