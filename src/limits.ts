/**
 * The reader's limits as `analyze` flags: which flag sets which ReaderLimits field, how sizes
 * (`512MiB`, `8GiB`) and counts are written, and what a bad value says. docs/limits.md explains them.
 */
import type { Argv, Options } from 'yargs';
import { formatBytes, formatCount } from './bundle/limits.js';
import { DEFAULT_READER_LIMITS, LIMIT_FLAGS, type ReaderLimits } from './bundle/types.js';
import { UsageError } from './cli/errors.js';

interface LimitOption {
  key: keyof ReaderLimits;
  kind: 'size' | 'count';
  /** Smallest value that makes sense. */
  min: number;
  what: string;
}

const OPTIONS: LimitOption[] = [
  { key: 'maxTotalBytes', kind: 'size', min: 1, what: 'stop reading an input after this many bytes (decompressed)' },
  { key: 'maxEntryBytes', kind: 'size', min: 1, what: 'skip archive entries and files larger than this' },
  { key: 'maxEntries', kind: 'count', min: 1, what: 'stop reading an input after this many entries (folders and links count)' },
  { key: 'maxObjectsPerFile', kind: 'count', min: 1, what: 'stop reading a JSON or YAML file after this many objects' },
  { key: 'logTailBytes', kind: 'size', min: 1, what: 'keep this many bytes from the end of each container log' },
  { key: 'maxDepth', kind: 'count', min: 1, what: 'skip JSON and YAML objects nested deeper than this' },
  { key: 'maxYamlAliases', kind: 'count', min: 0, what: 'YAML alias expansions allowed per document (0 forbids aliases)' },
];

const flagOf = (key: keyof ReaderLimits) => LIMIT_FLAGS[key]!;
const nameOf = (key: keyof ReaderLimits) => flagOf(key).slice(2);

const UNIT: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kib: 1024, kb: 1000,
  m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2,
  g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3,
  t: 1024 ** 4, tib: 1024 ** 4, tb: 1000 ** 4,
};

/**
 * `8GiB`, `512 MiB`, `1.5g`, `2000000`: a number of bytes, with an optional unit. `K`/`M`/`G`/`T`
 * and `KiB`... are powers of 1024, `KB`/`MB`... powers of 1000. undefined when it is not a size.
 */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNIT[match[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `200000`, `200_000` or `200,000`; undefined when it is not a whole number. */
export function parseCount(text: string): number | undefined {
  const clean = text.trim().replace(/[_,](?=\d{3}(?:\D|$))/g, '');
  if (!/^\d+$/.test(clean)) return undefined;
  const n = Number(clean);
  return Number.isSafeInteger(n) ? n : undefined;
}

const defaultText = (o: LimitOption) => {
  const value = DEFAULT_READER_LIMITS[o.key];
  return o.kind === 'size' ? formatBytes(value).replace(' ', '') : formatCount(value);
};

/** Adds the limit flags to a command (strings: sizes carry units, and bad values get a clear message). */
export function withLimitOptions<T>(y: Argv<T>): Argv<T> {
  for (const o of OPTIONS) {
    y.option(nameOf(o.key), {
      type: 'string',
      group: 'Limits (docs/limits.md):',
      describe: `${o.what} (default ${defaultText(o)})`,
    } satisfies Options);
  }
  return y;
}

/** The limits given on the command line. Throws UsageError (exit 2) for a value that is not one. */
export function limitsFromArgs(args: Record<string, unknown>): Partial<ReaderLimits> {
  const limits: Partial<ReaderLimits> = {};
  for (const o of OPTIONS) {
    let raw = args[nameOf(o.key)];
    if (Array.isArray(raw)) raw = raw.at(-1); // repeated: the last one counts
    if (raw === undefined) continue;
    const text = String(raw);
    const value = o.kind === 'size' ? parseSize(text) : parseCount(text);
    if (value === undefined) {
      throw new UsageError(
        o.kind === 'size'
          ? `${flagOf(o.key)}: ${JSON.stringify(text)} is not a size (give bytes, or a number with a unit: 512MiB, 8GiB)`
          : `${flagOf(o.key)}: ${JSON.stringify(text)} is not a whole number`,
      );
    }
    if (value < o.min) throw new UsageError(`${flagOf(o.key)}: must be at least ${o.min}`);
    limits[o.key] = value;
  }
  return limits;
}
