import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import type { BundleSink, ClusterFound, CollectionError, LogTail, ManifestFound, Origin, Problem } from '../../src/bundle/types.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The real support bundles shared with the other projects (never copied into this repository). */
export const REAL_BUNDLES = resolve(here, '../../../shared/real-bundles');
export const realBundle = (name: string) => resolve(REAL_BUNDLES, name);

export interface RecordedObject {
  raw: Record<string, unknown>;
  origin: Origin;
}

/** A sink that keeps everything it is given. */
export class RecordingSink implements BundleSink {
  readonly objects: RecordedObject[] = [];
  readonly logs: LogTail[] = [];
  readonly collectionErrors: CollectionError[] = [];
  readonly manifests: ManifestFound[] = [];
  readonly clusters: ClusterFound[] = [];
  readonly problems: Problem[] = [];

  object(raw: unknown, origin: Origin): void {
    this.objects.push({ raw: raw as Record<string, unknown>, origin });
  }
  log(tail: LogTail): void {
    this.logs.push(tail);
  }
  collectionError(error: CollectionError): void {
    this.collectionErrors.push(error);
  }
  manifest(found: ManifestFound): void {
    this.manifests.push(found);
  }
  cluster(found: ClusterFound): void {
    this.clusters.push(found);
  }
  problem(problem: Problem): void {
    this.problems.push(problem);
  }

  /** Objects of one kind, optionally only from files under `sourcePrefix`. */
  ofKind(kind: string, sourcePrefix = ''): RecordedObject[] {
    return this.objects.filter((o) => o.raw.kind === kind && o.origin.source.startsWith(sourcePrefix));
  }

  names(kind: string, sourcePrefix = ''): string[] {
    return this.ofKind(kind, sourcePrefix).map((o) => String((o.raw.metadata as { name?: unknown } | undefined)?.name));
  }

  findLog(namespace: string, pod: string, container: string, previous = false): LogTail | undefined {
    return this.logs.find((l) => l.namespace === namespace && l.pod === pod && l.container === container && l.previous === previous);
  }
}

// ---- building inputs in tests ----

export const FIXTURES = resolve(here, 'fixtures');
export const NATIVE_FIXTURE = 'hrp-doctor-mgmt-20251227T100411Z';

export interface TarEntrySpec {
  name: string;
  type?: Header['type'];
  linkname?: string;
  content?: string | Buffer;
}

/** Packs entries into an uncompressed tar, in the given order. */
export async function makeTar(entries: TarEntrySpec[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((res, rej) => {
    p.on('end', () => res());
    p.on('error', rej);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    await new Promise<void>((res, rej) => {
      const header = { name: e.name, type, ...(e.linkname === undefined ? {} : { linkname: e.linkname }), mode: type === 'directory' ? 0o755 : 0o644 };
      const done = (err?: Error | null) => (err ? rej(err) : res());
      if (type === 'file') p.entry(header, e.content ?? '', done);
      else p.entry(header, done);
    });
  }
  p.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** The entries of a folder tree (folders first, sorted), named `<prefix><relative path>`. */
export function treeEntries(dir: string, prefix = ''): TarEntrySpec[] {
  const out: TarEntrySpec[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    const rel = `${prefix}${name}`;
    if (statSync(abs).isDirectory()) {
      out.push({ name: `${rel}/`, type: 'directory' });
      out.push(...treeEntries(abs, `${rel}/`));
    } else {
      out.push({ name: rel, content: readFileSync(abs) });
    }
  }
  return out;
}

export const gzip = (data: Buffer) => gzipSync(data);

const temps: string[] = [];
/** A fresh temporary folder, removed by cleanupTemps(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hrp-doctor-bundle-test-'));
  temps.push(dir);
  return dir;
}
export function cleanupTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}
