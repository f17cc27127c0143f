// Streaming bundle output: a directory tree, a .tar or a gzip-compressed .tgz, written file by
// file without ever holding a whole (possibly > 1 GiB) file in memory.
//
// A tar header carries the entry's size before its data, so a file is first written to a
// buffer; past SPILL_BYTES it spills to a temporary file (in a folder next to the output),
// and is copied into the archive once its size is known. Entries get a fixed mtime, owner
// and mode, in the order they are written, so the same content gives the same bytes.

import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';

/** Fixed mtime of every entry (the bundle's collection time). */
export const TAR_MTIME = new Date('2025-12-27T10:04:11Z');
const FLUSH_BYTES = 1 << 20;
const SPILL_BYTES = 16 << 20;

export function outputKind(out) {
  if (/\.(tgz|tar\.gz)$/i.test(out)) return 'tgz';
  if (/\.tar$/i.test(out)) return 'tar';
  return 'dir';
}

/** Writes a Buffer to a streamx or Node writable, waiting for 'drain' when it asks to. */
async function writeWithBackpressure(stream, buf) {
  for (let off = 0; off < buf.length; off += FLUSH_BYTES) {
    const part = off === 0 && buf.length <= FLUSH_BYTES ? buf : buf.subarray(off, off + FLUSH_BYTES);
    if (!stream.write(part)) await once(stream, 'drain');
  }
}

/** One file being written: `write(text)` appends, `close()` finishes it. */
class FileSink {
  constructor(onClose, spillPath) {
    this.onClose = onClose;
    this.spillPath = spillPath;
    this.parts = [];
    this.partBytes = 0;
    this.buffered = [];
    this.bufferedBytes = 0;
    this.bytes = 0;
    this.spill = undefined;
  }

  /** Appends text; awaits only when a chunk is flushed. */
  async write(text) {
    this.parts.push(text);
    this.partBytes += text.length; // close enough to bytes for the flush threshold (ASCII content)
    if (this.partBytes >= FLUSH_BYTES) await this.flush();
  }

  async flush() {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.partBytes = 0;
    this.bytes += buf.length;
    if (this.spill) {
      await writeWithBackpressure(this.spill, buf);
      return;
    }
    this.buffered.push(buf);
    this.bufferedBytes += buf.length;
    if (this.spillPath && this.bufferedBytes > SPILL_BYTES) {
      this.spill = createWriteStream(this.spillPath, { highWaterMark: 4 << 20 });
      for (const b of this.buffered) await writeWithBackpressure(this.spill, b);
      this.buffered = [];
      this.bufferedBytes = 0;
    }
  }

  async close() {
    await this.flush();
    if (this.spill) {
      this.spill.end();
      await once(this.spill, 'finish');
    }
    await this.onClose(this);
    return this.bytes;
  }
}

/**
 * `open(out)` → writer with `file(relPath)` returning a FileSink (one open file at a time),
 * `close()`, and `stats` (files, uncompressed bytes, the largest file).
 */
export async function openBundleWriter(out, { gzipLevel = 6 } = {}) {
  const kind = outputKind(out);
  const stats = { files: 0, bytes: 0, largest: { path: '', bytes: 0 } };
  const record = (rel, bytes) => {
    stats.files++;
    stats.bytes += bytes;
    if (bytes > stats.largest.bytes) stats.largest = { path: rel, bytes };
  };

  if (kind === 'dir') {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    return {
      kind,
      stats,
      file(rel) {
        const full = path.join(out, rel);
        mkdirSync(path.dirname(full), { recursive: true });
        const sink = new FileSink(async (s) => {
          record(rel, s.bytes);
        }, undefined);
        // A directory file streams straight to its final place.
        sink.spill = createWriteStream(full, { highWaterMark: 4 << 20 });
        return sink;
      },
      async close() {},
    };
  }

  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const tmpDir = mkdtempSync(path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.tmp-`));
  const pack = tar.pack();
  const fileOut = createWriteStream(out, { highWaterMark: 4 << 20 });
  const done = kind === 'tgz'
    ? pipeline(pack, zlib.createGzip({ level: gzipLevel, chunkSize: 1 << 16 }), fileOut)
    : pipeline(pack, fileOut);
  let failure;
  done.catch((err) => {
    failure = err;
  });
  const dirsWritten = new Set();
  let counter = 0;

  /** Starts a tar entry: its body writable (files only) and a promise that settles when the entry is done. */
  function entry(header) {
    let sink;
    const finished = new Promise((resolve, reject) => {
      sink = pack.entry({ mtime: TAR_MTIME, uid: 0, gid: 0, uname: 'root', gname: 'root', ...header }, (err) => (err ? reject(err) : resolve()));
    });
    return { sink, finished };
  }

  async function addDirs(rel) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirsWritten.has(dir)) continue;
      dirsWritten.add(dir);
      await entry({ name: `${dir}/`, type: 'directory', mode: 0o755 }).finished;
    }
  }

  async function addFile(rel, sink) {
    if (failure) throw failure;
    await addDirs(rel);
    const { sink: target, finished } = entry({ name: rel, type: 'file', mode: 0o644, size: sink.bytes });
    if (sink.spill) {
      for await (const chunk of createReadStream(sink.spillPath, { highWaterMark: 1 << 20 })) {
        if (!target.write(chunk)) await once(target, 'drain');
      }
      rmSync(sink.spillPath, { force: true });
    } else {
      for (const buf of sink.buffered) await writeWithBackpressure(target, buf);
      sink.buffered = [];
    }
    target.end();
    await finished;
    record(rel, sink.bytes);
  }

  return {
    kind,
    stats,
    file(rel) {
      return new FileSink((s) => addFile(rel, s), path.join(tmpDir, `f${counter++}`));
    },
    async close() {
      pack.finalize();
      await done;
      rmSync(tmpDir, { recursive: true, force: true });
      if (failure) throw failure;
    },
  };
}
