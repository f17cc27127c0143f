/**
 * What the bundle reader hands to whoever consumes a bundle (the snapshot builder).
 * The reader knows bundle layouts and file formats; it knows nothing about rules.
 */

/** A defect of the input itself, as the report contract's `problems[]` describes it. */
export interface Problem {
  /** The bundle path as the user gave it. */
  input: string;
  /** The path inside the bundle ('' for the bundle as a whole). */
  source: string;
  /** JSON pointer into the file, when the defect is inside one object. */
  pointer?: string;
  message: string;
}

export type InputKind = 'hrp-doctor' | 'troubleshoot' | 'directory';

/** One BUNDLE argument of `analyze`: a path, optionally with the cluster name given as NAME=PATH. */
export interface InputSpec {
  path: string;
  /** From NAME=PATH: the name of the single cluster of a foreign bundle. */
  clusterName?: string;
}

/**
 * Identifies one cluster's subtree inside one input. `dir` is the folder inside the input
 * that holds `cluster-resources/` (or the folder of plain kubectl outputs), '' for the root.
 */
export interface ClusterKey {
  input: string;
  dir: string;
}

/** Where an object came from, so problems and evidence can point at it. */
export interface Origin {
  cluster: ClusterKey;
  /** Path of the file inside the input, e.g. `clusters/x/cluster-resources/pods/kube-system.json`. */
  source: string;
  /** JSON pointer of the object inside the file: `/items/3`, `` for a single-object file, `/2` for a bare array or YAML document. */
  pointer: string;
}

/** The last lines of one container instance's log, as far as the reader kept them. */
export interface LogTail {
  cluster: ClusterKey;
  source: string;
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  /** The kept lines, oldest first. */
  lines: string[];
  /** True when older lines were dropped to stay within the cap. */
  truncated: boolean;
}

/** Something the collector could not collect, from `*-errors.json` or from the manifest. */
export interface CollectionError {
  cluster: ClusterKey;
  /** Resource as named by the file or command, e.g. `pods`, `helmreleaseproxies.addons.cluster.x-k8s.io`. */
  resource: string;
  namespace?: string;
  message: string;
  source: string;
}

/** A cluster subtree the reader found, with what it knows about it from the layout. */
export interface ClusterFound {
  cluster: ClusterKey;
  inputKind: InputKind;
  /** Resource files present, by resource name as the path names it (`pods`, `nodes`, `helmreleaseproxies.addons.cluster.x-k8s.io`). */
  resourcesSeen: Set<string>;
  /** Server version from `cluster-info/cluster_version.json`, when present. */
  serverVersion?: string;
}

/** hrp-doctor's manifest.json as the reader found it (validated against schemas/manifest.schema.json by the consumer). */
export interface ManifestFound {
  input: string;
  /** The input's top-level folder ('' when there is none); cluster `dir`s in the manifest are relative to it. */
  root: string;
  source: string;
  manifest: unknown;
}

export interface BundleSink {
  object(raw: unknown, origin: Origin): void;
  /**
   * What `ParallelParsing.worker`'s prepare function made of one element, when the element was
   * parsed in the worker thread; `object(raw)` must do the same as `prepare` then this.
   */
  preparedObject?(prepared: unknown, origin: Origin): void;
  /**
   * What preparedObject would receive for `raw` (object(raw) = preparedObject(prepare(raw))): a
   * reader that has to hold an object for a while keeps this smaller form.
   */
  prepare?(raw: unknown): unknown;
  log(tail: LogTail): void;
  collectionError(error: CollectionError): void;
  manifest(found: ManifestFound): void;
  cluster(found: ClusterFound): void;
  problem(problem: Problem): void;
}

/**
 * Large JSON files parsed in a worker thread (json-worker.ts): the main thread only gunzips and
 * untars, the worker splits, parses and prepares each element (the sink's own reduction of it,
 * e.g. pruning and validation) and hands back the much smaller result.
 */
export interface ParallelParsing {
  /** The worker's script: it calls serveJsonParsing() with the prepare function. */
  worker: URL;
  workerData?: unknown;
  /** JSON files at least this large go to the worker; smaller ones are not worth the round trip. */
  minFileBytes: number;
}

/** How far reading has come, after each entry of an input (for a progress line). */
export interface ReadProgress {
  input: string;
  /** Entries of the input read so far. */
  entries: number;
  /** Their uncompressed bytes. */
  bytes: number;
  /** The entry just read. */
  current: string;
}

/** What else readInputs can do besides reading. */
export interface ReadOptions {
  parallel?: ParallelParsing;
  progress?: (progress: ReadProgress) => void;
}

export interface ReaderLimits {
  /** Lines kept from the end of each log file. */
  logTailLines: number;
  /** Bytes kept from the end of each log file (`--max-log-bytes`). */
  logTailBytes: number;
  /** Largest YAML file read (`.yaml`/`.yml`); larger ones are skipped with a problem. */
  maxYamlBytes: number;
  /** Largest single JSON object (one list item, or a whole non-list file). */
  maxObjectBytes: number;
  /**
   * Bytes read from one input in all (`--max-total-bytes`): the decompressed tar stream of an
   * archive, the file contents read from a directory. Reading stops there; what was read is kept.
   */
  maxTotalBytes: number;
  /** Largest entry read (`--max-entry-bytes`); larger entries are skipped with a problem. */
  maxEntryBytes: number;
  /** Entries of one input, folders and links included (`--max-entries`); reading stops after them. */
  maxEntries: number;
  /** Elements of one JSON or YAML file (`--max-objects-per-file`); the rest of the file is not read. */
  maxObjectsPerFile: number;
  /** Deepest nesting of arrays and objects in a JSON or YAML file, counted from its top (`--max-depth`). */
  maxDepth: number;
  /** YAML alias expansion budget per document, the `yaml` package's maxAliasCount (`--max-yaml-aliases`). */
  maxYamlAliases: number;
  /**
   * Largest YAML text parsed at once. YAML cannot be split as it streams the way JSON is and the
   * parser needs some 70-110 bytes of memory per byte of text: a larger file is parsed one unit at
   * a time (one document, or one element of a top-level sequence or of a column-0 `items:` list),
   * and a unit larger than this is skipped with a problem.
   */
  maxYamlParseBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  logTailLines: 2000,
  logTailBytes: 2 * MiB,
  maxYamlBytes: 64 * MiB,
  maxObjectBytes: 64 * MiB,
  maxTotalBytes: 8 * GiB,
  maxEntryBytes: 2 * GiB,
  maxEntries: 500_000,
  maxObjectsPerFile: 1_000_000,
  maxDepth: 100,
  maxYamlAliases: 100,
  maxYamlParseBytes: 4 * MiB,
};

/** The `analyze` flag that raises each limit (the ones without a flag are not meant to be raised). */
export const LIMIT_FLAGS: { [K in keyof ReaderLimits]?: string } = {
  maxTotalBytes: '--max-total-bytes',
  maxEntryBytes: '--max-entry-bytes',
  maxEntries: '--max-entries',
  maxObjectsPerFile: '--max-objects-per-file',
  logTailBytes: '--max-log-bytes',
  maxDepth: '--max-depth',
  maxYamlAliases: '--max-yaml-aliases',
};

/** Thrown when an input cannot be read at all (exit status 2). The message names the file and the reason. */
export class UnreadableInputError extends Error {
  constructor(readonly input: string, reason: string) {
    super(`${input}: ${reason}`);
    this.name = 'UnreadableInputError';
  }
}
