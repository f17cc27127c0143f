/**
 * Reads bundles (hrp-doctor, troubleshoot, or folders of plain kubectl outputs) and reports what
 * they hold to a BundleSink. Bad content never throws: it becomes a `problem` and reading goes on.
 * Only an input that cannot be read at all throws UnreadableInputError.
 *
 * Limits (ReaderLimits, docs/limits.md) bound what one input can cost: bytes, entries, objects per
 * file, nesting depth, YAML aliases. A limit that is hit becomes a problem naming the flag that
 * raises it; what was read before it is kept.
 */
import { isPlainObject, notAnObject } from './elements.js';
import { errorEntries } from './errors-file.js';
import { jsonDeeperThan, splitJsonStream, type JsonSplitterOptions } from './json-items.js';
import { JsonParsingWorker } from './json-worker.js';
import { OrderedSink } from './ordered-sink.js';
import { classifyPath, clusterRootOf, type FileFormat } from './layout.js';
import { flagNote, printable } from './limits.js';
import { readLogTail } from './log-tail.js';
import { ArchiveError, openInput, type OpenedInput, type SourceEntry } from './sources.js';
import {
  DEFAULT_READER_LIMITS,
  UnreadableInputError,
  type BundleSink,
  type ClusterKey,
  type InputKind,
  type InputSpec,
  type ReadOptions,
  type ReadProgress,
  type ReaderLimits,
} from './types.js';
import { splitYamlStream, yamlItems } from './yaml-items.js';

/** Reads each input in turn. Throws UnreadableInputError for the first input that cannot be read at all. */
export async function readInputs(inputs: InputSpec[], sink: BundleSink, limits?: Partial<ReaderLimits>, options: ReadOptions = {}): Promise<void> {
  const resolved: ReaderLimits = { ...DEFAULT_READER_LIMITS, ...limits };
  const { parallel, progress } = options;
  if (!parallel || !sink.preparedObject) {
    for (const spec of inputs) await readInput(spec, sink, resolved, undefined, progress);
    return;
  }
  // The worker starts with the first file it gets: a small bundle never pays for it.
  const parsing: Parsing = { worker: new JsonParsingWorker(parallel.worker, parallel.workerData), ordered: new OrderedSink(sink), minFileBytes: parallel.minFileBytes };
  try {
    for (const spec of inputs) await readInput(spec, parsing.ordered, resolved, parsing, progress);
  } finally {
    await parsing.worker.close();
  }
}

/** The parsing worker, the sink that keeps the order around it, and the size from which a JSON file goes to it. */
interface Parsing {
  worker: JsonParsingWorker;
  ordered: OrderedSink;
  minFileBytes: number;
}

/** Calls waiting behind a file in the parsing worker, at most, before the reader waits for it. */
const MAX_WAITING_CALLS = 20_000;
/**
 * The main thread parses a file itself, rather than wait for the worker, when the file is at most
 * this large and the worker is this far behind: both threads stay busy. (Not a larger file: the
 * archive is read in order, so the worker would be idle while the main thread parses it.)
 */
const MAIN_THREAD_MAX_FILE_BYTES = 16 << 20;
const WORKER_BUSY_BYTES = 4 << 20;

export const NO_CLUSTER_DATA = 'no cluster data (no cluster-resources/ folder)';

/** Reads one input. */
export async function readInput(
  spec: InputSpec,
  sink: BundleSink,
  limits: ReaderLimits = DEFAULT_READER_LIMITS,
  parsing?: Parsing,
  progress?: (progress: ReadProgress) => void,
): Promise<void> {
  const opened = await openInput(spec.path);
  if ('unreadable' in opened) throw new UnreadableInputError(spec.path, opened.unreadable);
  const reader = new InputReader(spec.path, sink, limits, parsing, progress);
  try {
    await readOpenedInput(spec, opened, reader);
  } finally {
    // Every file out in the parsing worker is delivered before the input counts as read.
    await parsing?.ordered.whenIdle();
  }
}

async function readOpenedInput(spec: InputSpec, opened: OpenedInput, reader: InputReader): Promise<void> {
  const broken = await reader.pass(opened, 'layout');
  const bundleLike = reader.hasManifest || reader.clusters.size > 0 || reader.troubleshootMarker || reader.plainFiles.size > 0;
  if (broken) {
    if (reader.entries === 0 || !bundleLike) throw new UnreadableInputError(spec.path, unreadableArchiveReason(broken, opened));
    reader.problem('', brokenArchiveMessage(broken));
  }
  if (reader.entries === 0) {
    if (reader.skipped.count > 0) {
      const all = reader.skipped.count === 1 ? 'its only entry was skipped' : `all of its ${reader.skipped.count} entries were skipped`;
      throw new UnreadableInputError(spec.path, `nothing that can be read: ${all} (${reader.skipped.first})`);
    }
    throw new UnreadableInputError(spec.path, opened.kind === 'directory' ? 'empty directory' : 'archive holds no entries');
  }
  if (!bundleLike) {
    throw new UnreadableInputError(spec.path, 'nothing bundle-like in it (no manifest.json, no cluster-resources/ folder, no JSON or YAML files)');
  }

  let kind: InputKind = reader.hasManifest ? 'hrp-doctor' : 'troubleshoot';
  if (reader.clusters.size === 0 && !reader.hasManifest) {
    if (reader.troubleshootMarker || reader.plainFiles.size === 0) {
      reader.problem('', NO_CLUSTER_DATA);
      return;
    }
    // A folder (or archive) of plain `kubectl get -o json|yaml` outputs: one cluster at the root.
    kind = 'directory';
    reader.cluster('');
    await reader.pass(opened, 'plain');
  }
  // A cluster-info/ folder without cluster-resources/ is still a cluster that was collected (badly).
  if (kind !== 'directory') for (const dir of reader.versions.keys()) reader.cluster(dir);
  reader.finish(kind);
}

function unreadableArchiveReason(err: ArchiveError, opened: OpenedInput): string {
  if (err.limit) return `${err.limit.message}, before any bundle content was found`;
  if (err.entriesSeen === 0) {
    if (err.inGzip) return `not a tar archive (gzip data is corrupt: ${err.reason})`;
    if (/^unexpected end of data$/i.test(err.reason)) return 'not a tar archive (truncated before the first entry)';
    return opened.kind === 'archive' && opened.compression === 'gzip'
      ? 'not a tar archive (gzip-compressed, but what it holds is not tar)'
      : 'not a tar archive';
  }
  return `archive is truncated or corrupt (${err.reason}) after ${err.entriesSeen} entries, before any bundle content`;
}

function brokenArchiveMessage(err: ArchiveError): string {
  if (err.limit) return `${err.limit.message}; what was read before is analysed, the rest of the input was not read`;
  const truncated = /unexpected end of (file|data)/i.test(err.reason);
  const what = truncated ? `archive is truncated (${err.reason})` : `archive is corrupt (${err.inGzip ? 'gzip: ' : ''}${err.reason})`;
  const where = err.lastEntry === undefined ? 'before the first entry' : `at or after entry ${err.entriesSeen} (${printable(err.lastEntry)})`;
  return `${what} ${where}; the entries before it were read, the rest of the archive was not`;
}

interface ClusterState {
  resourcesSeen: Set<string>;
}

/** Reads a whole body up to `cap` bytes; `data` is undefined when it is larger (the body is still read to its end). */
async function readAll(body: AsyncIterable<Buffer>, cap: number): Promise<{ data?: Buffer; size: number }> {
  const parts: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of body) {
    size += chunk.length;
    if (over) continue;
    if (size > cap) {
      over = true;
      parts.length = 0;
      continue;
    }
    parts.push(chunk);
  }
  return over ? { size } : { data: Buffer.concat(parts), size };
}

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Problems inside one file (one per broken element) listed at most; the others are counted. A
 * 10 MB file of `1,1,1,...` is one short paragraph of the report, not a million rows.
 */
export const MAX_PROBLEMS_PER_FILE = 100;

/** Paths whose links would be read if they were files: a link there is data the analysis does not get. */
const READ_KINDS = new Set(['manifest', 'troubleshoot-marker', 'cluster-version', 'resource', 'errors', 'log', 'log-error']);

class InputReader {
  readonly clusters = new Map<string, ClusterState>();
  /** Server versions from `<dir>/cluster-info/cluster_version.json`, by cluster dir. */
  readonly versions = new Map<string, string>();
  /** JSON/YAML files outside any cluster folder, in case the input is a folder of plain kubectl outputs. */
  readonly plainFiles = new Map<string, { format: FileFormat; resource: string }>();
  hasManifest = false;
  troubleshootMarker = false;
  entries = 0;
  /** Uncompressed bytes of the entries read (for progress). */
  private bytes = 0;
  /** Entries the source refused (unsafe paths and links, devices, duplicates, too large), and the first reason. */
  readonly skipped = { count: 0, first: '' };

  constructor(
    readonly input: string,
    private readonly sink: BundleSink,
    private readonly limits: ReaderLimits,
    private readonly parsing?: Parsing,
    private readonly progress?: (progress: ReadProgress) => void,
  ) {}

  problem(source: string, message: string, pointer?: string): void {
    this.sink.problem(pointer === undefined ? { input: this.input, source, message } : { input: this.input, source, pointer, message });
  }

  cluster(dir: string): ClusterState {
    let state = this.clusters.get(dir);
    if (!state) this.clusters.set(dir, (state = { resourcesSeen: new Set() }));
    return state;
  }

  private key(dir: string): ClusterKey {
    return { input: this.input, dir };
  }

  /**
   * One pass over the input's entries. 'layout' reads everything the layout names; 'plain' reads the
   * plain JSON/YAML files found by the first pass. Returns the archive failure that ended the pass, if any.
   */
  async pass(opened: OpenedInput, mode: 'layout' | 'plain'): Promise<ArchiveError | undefined> {
    const report =
      mode === 'layout'
        ? (source: string, message: string) => {
            if (this.skipped.count++ === 0) this.skipped.first = `${printable(source)}: ${message}`;
            this.problem(source, message);
          }
        : () => {};
    try {
      for await (const entry of opened.entries(report, this.limits)) {
        if (mode === 'layout') {
          this.entries++;
          this.bytes += entry.size;
          this.progress?.({ input: this.input, entries: this.entries, bytes: this.bytes, current: entry.path });
        }
        try {
          if (mode === 'layout') await this.handle(entry);
          else await this.handlePlain(entry);
          // What the reader is ahead of the worker by stays bounded.
          if (this.parsing && this.parsing.ordered.waiting > MAX_WAITING_CALLS) await this.parsing.ordered.whenIdle();
        } catch (err) {
          if (err instanceof ArchiveError) throw err;
          // A failure reading one file (or a consumer error): report it and go on with the next entry.
          this.problem(entry.path, `could not be read: ${err instanceof Error ? err.message : String(err)}`);
        }
        await entry.skip();
      }
    } catch (err) {
      if (err instanceof ArchiveError) return err;
      throw err;
    }
    return undefined;
  }

  finish(kind: InputKind): void {
    const dirs = [...this.clusters.keys()].sort();
    for (const dir of dirs) {
      const state = this.clusters.get(dir)!;
      const serverVersion = this.versions.get(dir);
      this.sink.cluster({
        cluster: this.key(dir),
        inputKind: kind,
        resourcesSeen: state.resourcesSeen,
        ...(serverVersion === undefined ? {} : { serverVersion }),
      });
    }
  }

  private async handle(entry: SourceEntry): Promise<void> {
    if (entry.type === 'directory') {
      const root = clusterRootOf(entry.path, true);
      if (root !== undefined) this.cluster(root);
      return;
    }
    if (entry.type === 'symlink' || entry.type === 'link') {
      // Never followed. Unsafe ones were reported by the source; one inside the bundle is reported
      // where a file would have been read (its target is read at its own path, if it is there).
      if (READ_KINDS.has(classifyPath(entry.path).kind)) {
        const what = entry.type === 'symlink' ? 'symlink' : 'hard link';
        this.problem(entry.path, `${what} to ${printable(entry.linkname ?? '')} inside the bundle; not followed (links are never followed, only files are read)`);
      }
      return;
    }
    if (entry.type !== 'file') return;

    const what = classifyPath(entry.path);
    switch (what.kind) {
      case 'manifest': {
        this.hasManifest = true;
        const manifest = await this.readJson(entry);
        if (manifest !== undefined) this.sink.manifest({ input: this.input, root: what.root, source: entry.path, manifest });
        return;
      }
      case 'troubleshoot-marker': {
        if (what.file === 'analysis.json') {
          this.troubleshootMarker = true;
          return;
        }
        // `kubectl version -o yaml > version.yaml` in a folder of kubectl outputs is not a marker.
        const tail = await readAll(entry.body, 64 * 1024);
        if (tail.data && /troubleshoot\.sh\/|kind:\s*SupportBundle/.test(tail.data.toString('utf8'))) this.troubleshootMarker = true;
        else this.plainFiles.set(entry.path, { format: 'yaml', resource: 'version' });
        return;
      }
      case 'cluster-version': {
        const value = await this.readJson(entry);
        const version = serverVersionOf(value);
        if (version !== undefined) this.versions.set(what.clusterDir, version);
        else if (value !== undefined) this.problem(entry.path, 'no gitVersion in the server version file');
        return;
      }
      case 'resource':
        this.cluster(what.clusterDir).resourcesSeen.add(what.resource);
        await this.readObjects(entry, what.format, this.key(what.clusterDir));
        return;
      case 'errors': {
        this.cluster(what.clusterDir);
        const value = await this.readJson(entry);
        if (value === undefined) return;
        const entries = errorEntries(value, what.resource, what.namespace, what.keys);
        if (typeof entries === 'string') {
          this.problem(entry.path, entries);
          return;
        }
        for (const e of entries) this.sink.collectionError({ cluster: this.key(what.clusterDir), source: entry.path, ...e });
        return;
      }
      case 'log': {
        this.cluster(what.clusterDir);
        const tail = await readLogTail(entry.body, this.limits.logTailLines, this.limits.logTailBytes);
        this.sink.log({
          cluster: this.key(what.clusterDir),
          source: entry.path,
          namespace: what.namespace,
          pod: what.pod,
          container: what.container,
          previous: what.previous,
          lines: tail.lines,
          truncated: tail.truncated,
        });
        return;
      }
      case 'log-error': {
        this.cluster(what.clusterDir);
        const tail = await readLogTail(entry.body, 20, 4096);
        const text = oneLine(tail.lines.join('\n'));
        this.sink.collectionError({
          cluster: this.key(what.clusterDir),
          resource: 'pods/log',
          namespace: what.namespace,
          message: `${what.pod}/${what.container}: ${text || 'the log could not be collected'}`,
          source: entry.path,
        });
        return;
      }
      case 'ignored':
        this.cluster(what.clusterDir);
        return;
      case 'plain':
        this.plainFiles.set(entry.path, { format: what.format, resource: what.resource });
        return;
      case 'other':
        return;
    }
  }

  private async handlePlain(entry: SourceEntry): Promise<void> {
    if (entry.type !== 'file') return;
    const plain = this.plainFiles.get(entry.path);
    if (!plain) return;
    this.cluster('').resourcesSeen.add(plain.resource);
    await this.readObjects(entry, plain.format, this.key(''));
  }

  /** Every item of a resource file goes to the sink as it is: no validation, no de-duplication. */
  private async readObjects(entry: SourceEntry, format: FileFormat, cluster: ClusterKey): Promise<void> {
    const source = entry.path;
    const limits = this.limits;
    const jsonOptions = { maxObjectBytes: limits.maxObjectBytes, maxDepth: limits.maxDepth, maxItems: limits.maxObjectsPerFile };
    const parsing = this.parsing;
    const workerBusy = parsing !== undefined && entry.size <= MAIN_THREAD_MAX_FILE_BYTES && parsing.worker.backlog >= WORKER_BUSY_BYTES;
    if (format === 'json' && parsing && entry.size >= parsing.minFileBytes && !workerBusy) {
      await this.readJsonInWorker(entry, cluster, jsonOptions, parsing);
      return;
    }
    let elementProblems = 0;
    const problem = (message: string, pointer?: string) => {
      // Problems of the file as a whole (no pointer: truncation, a limit) are always listed.
      if (pointer !== undefined && ++elementProblems > MAX_PROBLEMS_PER_FILE) return;
      this.problem(source, message, pointer);
    };
    const emit = (value: unknown, pointer: string) => {
      if (isPlainObject(value)) this.sink.object(value, { cluster, source, pointer });
      else problem(notAnObject(value), pointer);
    };
    const handlers = { item: emit, problem };
    try {
      if (format === 'json') {
        await splitJsonStream(entry.body, handlers, jsonOptions);
        return;
      }
      const cap = limits.maxYamlBytes;
      if (entry.size > cap) {
        problem(`YAML file is ${entry.size} bytes, larger than the limit of ${cap} bytes; skipped`);
        return;
      }
      const yamlOptions = { maxAliasCount: limits.maxYamlAliases, maxDepth: limits.maxDepth, maxItems: limits.maxObjectsPerFile };
      if (entry.size > limits.maxYamlParseBytes) {
        // Too large to parse at once in bounded memory: one document or list element at a time.
        await splitYamlStream(entry.body, handlers, { ...yamlOptions, maxUnitBytes: limits.maxYamlParseBytes });
        return;
      }
      const { data, size } = await readAll(entry.body, cap);
      if (data === undefined) {
        problem(`YAML file is ${size} bytes, larger than the limit of ${cap} bytes; skipped`);
        return;
      }
      const { items, problems } = yamlItems(stripBom(data.toString('utf8')), yamlOptions);
      for (const p of problems) problem(p.message, p.pointer);
      for (const item of items) emit(item.value, item.pointer);
    } finally {
      if (elementProblems > MAX_PROBLEMS_PER_FILE) {
        this.problem(source, `${elementProblems - MAX_PROBLEMS_PER_FILE} more problems with elements of this file are not listed (only the first ${MAX_PROBLEMS_PER_FILE} are)`);
      }
    }
  }

  /**
   * A JSON file parsed and prepared in the worker thread. Its results arrive while the reader goes
   * on; they keep the file's place in the order (OrderedSink), problems counted as in readObjects.
   */
  private async readJsonInWorker(entry: SourceEntry, cluster: ClusterKey, options: JsonSplitterOptions, parsing: Parsing): Promise<void> {
    const source = entry.path;
    const sink = parsing.ordered.target;
    const file = parsing.ordered.pendingFile();
    let elementProblems = 0;
    const problem = (message: string, pointer?: string) => {
      if (pointer !== undefined && ++elementProblems > MAX_PROBLEMS_PER_FILE) return;
      sink.problem(pointer === undefined ? { input: this.input, source, message } : { input: this.input, source, pointer, message });
    };
    await parsing.worker.send(entry.body, options, {
      prepared: (result, pointer) => file.deliver(() => sink.preparedObject!(result, { cluster, source, pointer })),
      problem: (message, pointer) => file.deliver(() => problem(message, pointer)),
      done: (error) => {
        file.deliver(() => {
          if (error) problem(`could not be read: ${error.message}`);
          if (elementProblems > MAX_PROBLEMS_PER_FILE) {
            sink.problem({ input: this.input, source, message: `${elementProblems - MAX_PROBLEMS_PER_FILE} more problems with elements of this file are not listed (only the first ${MAX_PROBLEMS_PER_FILE} are)` });
          }
        });
        file.close();
      },
    });
  }

  /** A small JSON file, parsed whole (up to maxObjectBytes); undefined (and a problem) when it cannot be. */
  private async readJson(entry: SourceEntry): Promise<unknown> {
    const cap = this.limits.maxObjectBytes;
    const { data, size } = await readAll(entry.body, cap);
    if (data === undefined) {
      this.problem(entry.path, `file is ${size} bytes, larger than the limit of ${cap} bytes; skipped`);
      return undefined;
    }
    const text = stripBom(data.toString('utf8'));
    if (text.trim() === '') {
      this.problem(entry.path, 'empty file');
      return undefined;
    }
    if (jsonDeeperThan(data, this.limits.maxDepth)) {
      this.problem(entry.path, `nests deeper than ${this.limits.maxDepth} levels${flagNote('maxDepth')}; skipped`);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      this.problem(entry.path, `invalid JSON: ${(err as Error).message}`);
      return undefined;
    }
  }
}

/** gitVersion from troubleshoot's `{"info": {...}, "string": ...}` or a raw `/version` response. */
export function serverVersionOf(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const info = value.info;
  if (isPlainObject(info) && typeof info.gitVersion === 'string') return info.gitVersion;
  if (typeof value.gitVersion === 'string') return value.gitVersion;
  if (typeof value.string === 'string') return value.string;
  return undefined;
}
